from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PtspConfig(AppConfig):
    name = "ptsp"
    verbose_name = _("PTSP portal")

    def ready(self) -> None:
        from . import checks  # noqa: F401  (registers system checks)

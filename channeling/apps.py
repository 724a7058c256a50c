from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ChannelingConfig(AppConfig):
    name = "channeling"
    verbose_name = _("Service points and BPJS corrections")

    def ready(self) -> None:
        from . import permissions  # noqa: F401  (registers the rules)

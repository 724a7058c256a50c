from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TransparencyConfig(AppConfig):
    name = "transparency"
    verbose_name = _("Transparency, satisfaction survey and complaints")

    def ready(self) -> None:
        from . import events, permissions  # noqa: F401  (registers them)

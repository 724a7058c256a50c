from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PermitsConfig(AppConfig):
    name = "permits"
    verbose_name = _("Applications")

    def ready(self) -> None:
        from . import permissions  # noqa: F401  (registers the rules)

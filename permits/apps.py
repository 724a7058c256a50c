from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PermitsConfig(AppConfig):
    name = "permits"
    verbose_name = _("Applications")

    def ready(self) -> None:
        from . import datagen, permissions  # noqa: F401  (register rules, generator)

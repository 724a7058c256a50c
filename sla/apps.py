from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SlaConfig(AppConfig):
    name = "sla"
    verbose_name = _("Service deadlines (SLA)")

    def ready(self) -> None:
        from . import signals

        signals.connect()

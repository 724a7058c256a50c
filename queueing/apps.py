from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class QueueingConfig(AppConfig):
    name = "queueing"
    verbose_name = _("Walk-in queue")

    def ready(self) -> None:
        from . import datagen  # noqa: F401  (registers ``generate_data --tickets``)

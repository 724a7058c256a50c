from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "notifications"
    verbose_name = _("Notifications")

    def ready(self) -> None:
        from . import events  # noqa: F401  (registers the catalogue)

        post_migrate.connect(_sync_templates, sender=self)


def _sync_templates(sender, using="default", **kwargs) -> None:
    """Seed the admin-editable templates from the events' defaults."""
    from .services import notification_templates_sync

    notification_templates_sync()

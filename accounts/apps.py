from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Accounts")

    def ready(self) -> None:
        from . import signals  # noqa: F401  (connects the receivers)

        post_migrate.connect(_sync_roles)


def _sync_roles(sender, using="default", **kwargs) -> None:
    """Keep the auditor (every view permission) and admin (every permission)
    groups in step with the installed apps. ``post_migrate`` is sent once per
    app that has a models module (Django skips the others); the permissions of all
    apps exist only when it is sent for the last of those."""
    from django.apps import apps

    with_models = [c for c in apps.get_app_configs() if c.models_module is not None]
    if sender is not with_models[-1]:
        return
    from .roles import roles_sync

    roles_sync()

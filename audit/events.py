"""Logins (success and failure) and logouts, recorded through ``audit_record``.

Each is written in its own transaction (``audit_record_standalone``). A failed
login names the account only when one exists for the given username (as a
reference to it): an unknown "username" is often a mistyped password, so it is
never stored.
"""

from django.contrib.auth import get_user_model
from django.contrib.auth.signals import (
    user_logged_in,
    user_logged_out,
    user_login_failed,
)
from django.dispatch import receiver

from .context import audit_actor
from .services import audit_record_standalone


@receiver(user_logged_in, dispatch_uid="audit_login")
def _logged_in(sender, request, user, **kwargs) -> None:
    with audit_actor(user=user):
        audit_record_standalone(action="auth.login", obj=user)


@receiver(user_logged_out, dispatch_uid="audit_logout")
def _logged_out(sender, request, user, **kwargs) -> None:
    if user is None:
        return
    with audit_actor(user=user):
        audit_record_standalone(action="auth.logout", obj=user)


@receiver(user_login_failed, dispatch_uid="audit_login_failed")
def _login_failed(sender, credentials, request=None, **kwargs) -> None:
    User = get_user_model()
    username = credentials.get(User.USERNAME_FIELD) or credentials.get("username")
    account = None
    if username:
        account = (
            User._default_manager.filter(**{User.USERNAME_FIELD: username})
            .only("pk")
            .first()
        )
    audit_record_standalone(
        action="auth.login_failed",
        obj=account,
        object_type=User._meta.label_lower,
        object_id=account.pk if account is not None else "",
    )

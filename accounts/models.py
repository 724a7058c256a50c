"""Accounts: one user model for citizens (*warga*), businesses' representatives and
staff (*petugas*). Custom from the first migration so that identity fields can grow
without a swap."""

import uuid

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.contrib.auth.models import UserManager as DjangoUserManager
from django.db import models
from django.utils.translation import gettext_lazy as _

from audit.bulk import AuditedQuerySet
from audit.registry import audited


class UserManager(DjangoUserManager.from_queryset(AuditedQuerySet)):
    """Django's user manager whose bulk ``update()``/``delete()`` go through the
    audit trail (``audited_update``/``audited_delete``)."""


@audited(personal=("password", "email"))
class User(AbstractUser):
    """A person who signs in (*pengguna*).

    ``preferred_language`` is the language of e-mails and notifications sent to the
    user (one of ``settings.LANGUAGES``); the web UI follows the language cookie.
    """

    uuid = models.UUIDField(_("UUID"), default=uuid.uuid4, unique=True, editable=False)
    full_name = models.CharField(_("full name"), max_length=150, blank=True)
    preferred_language = models.CharField(
        _("preferred language"),
        max_length=8,
        choices=settings.LANGUAGES,
        default="id",
    )

    objects = UserManager()

    class Meta(AbstractUser.Meta):
        # Related-object access and save() use it too: no plain manager to bypass.
        base_manager_name = "objects"
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.full_name or self.username

    def get_full_name(self) -> str:
        return self.full_name or super().get_full_name()

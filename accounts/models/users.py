"""The user (*pengguna*): citizens (*warga*), businesses' representatives and staff
(*petugas*). Custom from the first migration so that identity fields can grow
without a swap."""

import uuid

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.contrib.auth.models import UserManager as DjangoUserManager
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _

from accounts.nik import nik_mask, validate_nik
from accounts.phones import validate_phone
from audit.bulk import AuditedQuerySet
from audit.registry import audited


class UserManager(DjangoUserManager.from_queryset(AuditedQuerySet)):
    """Django's user manager whose bulk ``update()``/``delete()`` go through the
    audit trail (``audited_update``/``audited_delete``)."""


@audited(personal=("password", "email", "phone", "nik", "full_name"))
class User(AbstractUser):
    """A person who signs in (*pengguna*).

    Citizens register themselves (``accounts.services.citizen_register``) and are
    inactive until their e-mail address or phone number is verified; staff are
    created by admins (``accounts.services.staff_create``). ``preferred_language``
    is the language of e-mails and notifications (one of ``settings.LANGUAGES``);
    the web UI follows the language cookie.

    ``nik``, ``email`` and ``phone`` are personal data: shown masked
    (``nik_masked``) unless ``accounts.permissions.user_can(viewer,
    "account.view_nik", user)``, never written to the audit trail as values, and
    blanked when the account is closed (``closed_at``). An e-mail address, phone
    number and NIK belong to at most one active account (database constraints).
    """

    uuid = models.UUIDField(_("UUID"), default=uuid.uuid4, unique=True, editable=False)
    full_name = models.CharField(_("full name"), max_length=150, blank=True)
    preferred_language = models.CharField(
        _("preferred language"),
        max_length=8,
        choices=settings.LANGUAGES,
        default="id",
    )
    #: When the user chose ``preferred_language`` (the ID/EN switch or the
    #: profile); until then the browser's language applies to pages.
    language_chosen_at = models.DateTimeField(
        _("language chosen at"), null=True, blank=True, editable=False
    )
    email_verified_at = models.DateTimeField(
        _("e-mail verified at"), null=True, blank=True, editable=False
    )
    phone = models.CharField(
        _("mobile phone number"),
        max_length=16,
        blank=True,
        validators=[validate_phone],
        help_text=_("International form, e.g. +6281234567890."),
    )
    phone_verified_at = models.DateTimeField(
        _("phone number verified at"), null=True, blank=True, editable=False
    )
    nik = models.CharField(
        _("NIK"),
        max_length=16,
        blank=True,
        validators=[validate_nik],
        help_text=_("Nomor Induk Kependudukan: 16 digits, from the KTP or KK."),
    )
    closed_at = models.DateTimeField(
        _("closed at"),
        null=True,
        blank=True,
        editable=False,
        help_text=_("When the account was closed and its personal data erased."),
    )

    objects = UserManager()

    class Meta(AbstractUser.Meta):
        base_manager_name = "objects"
        verbose_name = _("user")
        verbose_name_plural = _("users")
        permissions = [
            ("view_nik", _("Can see a person's full NIK")),
            ("manage_staff", _("Can create and import staff accounts")),
        ]
        constraints = [
            models.UniqueConstraint(
                Lower("email"),
                condition=Q(is_active=True) & ~Q(email=""),
                name="user_email_unique_when_active",
                violation_error_message=_(
                    "Another account already uses this e-mail address."
                ),
            ),
            models.UniqueConstraint(
                "phone",
                condition=Q(is_active=True) & ~Q(phone=""),
                name="user_phone_unique_when_active",
                violation_error_message=_(
                    "Another account already uses this phone number."
                ),
            ),
            models.UniqueConstraint(
                "nik",
                condition=Q(is_active=True) & ~Q(nik=""),
                name="user_nik_unique_when_active",
                violation_error_message=_("Another account already uses this NIK."),
            ),
            models.CheckConstraint(
                condition=Q(closed_at__isnull=True) | Q(is_active=False),
                name="user_closed_is_inactive",
            ),
        ]

    def __str__(self) -> str:
        return self.full_name or self.username

    def get_full_name(self) -> str:
        return self.full_name or super().get_full_name()

    @property
    def nik_masked(self) -> str:
        """``3671********0001`` (see ``accounts.nik.nik_mask``)."""
        return nik_mask(self.nik)

    @property
    def is_pending_verification(self) -> bool:
        """Registered but not verified yet: inactive, never closed, no verified
        contact."""
        return (
            not self.is_active
            and self.closed_at is None
            and self.email_verified_at is None
            and self.phone_verified_at is None
        )

"""Businesses and the people who act for them."""

import uuid

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from accounts.choices import BusinessRole
from audit.bulk import AuditedManager
from audit.registry import audited
from ptsp.models import TimeStampedModel

nib_validator = RegexValidator(
    r"^\d{13}$",
    _("A NIB has exactly 13 digits."),
    code="nib",
)
npwp_validator = RegexValidator(
    r"^(\d{15}|\d{16})$",
    _("An NPWP has 15 digits (or 16 since 2024); enter the digits only."),
    code="npwp",
)


@audited
class Business(TimeStampedModel):
    """A business that applies for permits (*pelaku usaha* / *badan usaha*).

    ``nib`` is the Nomor Induk Berusaha issued by OSS (PP No. 5 Tahun 2021, 13
    digits) and identifies the business; ``npwp`` its tax number (15 digits, or 16
    in the NIK-based form of PMK No. 112 Tahun 2022). Both are declared by the
    citizen who registers the business; officers check them against OSS when they
    review an application (a later integration).
    """

    uuid = models.UUIDField(_("UUID"), default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField(_("company name"), max_length=200)
    nib = models.CharField(
        _("NIB"),
        max_length=13,
        unique=True,
        validators=[nib_validator],
        help_text=_("Nomor Induk Berusaha from OSS: 13 digits."),
    )
    npwp = models.CharField(
        _("NPWP"), max_length=16, blank=True, validators=[npwp_validator]
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("registered by"),
    )

    objects = AuditedManager()

    class Meta:
        base_manager_name = "objects"
        verbose_name = _("business")
        verbose_name_plural = _("businesses")
        ordering = ["name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.nib})"


@audited
class BusinessMembership(TimeStampedModel):
    """A citizen who acts for a business, in a role (*kuasa / pengurus badan
    usaha*).

    The first person to register a NIB is confirmed at once; anyone else who
    declares the same NIB waits until an owner or director of the business confirms
    them (``confirmed_at``), so that nobody reads a business's applications by
    guessing its NIB. ``ended_at`` closes a membership (kept for the record).
    """

    business = models.ForeignKey(
        Business,
        on_delete=models.PROTECT,
        related_name="memberships",
        verbose_name=_("business"),
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="business_memberships",
        verbose_name=_("person"),
    )
    role = models.CharField(
        _("role in the business"), max_length=32, choices=BusinessRole
    )
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("confirmed by"),
    )
    ended_at = models.DateTimeField(_("ended at"), null=True, blank=True)

    objects = AuditedManager()

    class Meta:
        base_manager_name = "objects"
        verbose_name = _("business membership")
        verbose_name_plural = _("business memberships")
        constraints = [
            models.UniqueConstraint(
                fields=["business", "user"],
                condition=Q(ended_at__isnull=True),
                name="membership_once_per_person_while_open",
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.business} ({self.role})"

    @property
    def is_confirmed(self) -> bool:
        return self.confirmed_at is not None and self.ended_at is None

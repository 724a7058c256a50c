"""Officers of agencies and offices, and their leave and signing delegations."""

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from accounts.choices import DelegationKind, OfficerRole
from audit.bulk import AuditedManager
from audit.registry import audited
from ptsp.models import TimeStampedModel


@audited
class Officer(TimeStampedModel):
    """A staff member who works on applications (*petugas*), with one role.

    ``agency`` is the agency whose applications the officer handles (e.g. DINKES);
    ``office`` the place where they serve (the MPP, a kecamatan service point).
    At least one is set. A kecamatan front office has an ``office`` and no
    ``agency``: kecamatan service points receive walk-ins and hand applications on,
    with no agency queue of their own. ``agency_head`` needs an agency and
    ``office_head`` an office. The role is mirrored by the user's Django group of
    the same name (``accounts.roles``); change it with
    ``accounts.services.officer_update`` so both stay in step.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="officer",
        verbose_name=_("user"),
    )
    role = models.CharField(_("role"), max_length=32, choices=OfficerRole)
    agency = models.ForeignKey(
        "agencies.Agency",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="officers",
        verbose_name=_("agency"),
    )
    office = models.ForeignKey(
        "agencies.Office",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="officers",
        verbose_name=_("office"),
    )
    employee_number = models.CharField(
        _("NIP"),
        max_length=18,
        blank=True,
        validators=[RegexValidator(r"^\d{18}$", _("A NIP has 18 digits."))],
        help_text=_("Civil servant number (Nomor Induk Pegawai), if any."),
    )
    is_active = models.BooleanField(_("active"), default=True)

    objects = AuditedManager()

    class Meta:
        base_manager_name = "objects"
        verbose_name = _("officer")
        verbose_name_plural = _("officers")
        permissions = [
            ("view_all_agencies", _("Can read the records of every agency")),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(agency__isnull=False) | Q(office__isnull=False),
                name="officer_has_agency_or_office",
                violation_error_message=_("Choose an agency, an office or both."),
            ),
            models.CheckConstraint(
                condition=~Q(role=OfficerRole.AGENCY_HEAD) | Q(agency__isnull=False),
                name="agency_head_has_agency",
                violation_error_message=_("An agency head needs an agency."),
            ),
            models.CheckConstraint(
                condition=~Q(role=OfficerRole.OFFICE_HEAD) | Q(office__isnull=False),
                name="office_head_has_office",
                violation_error_message=_("An office head needs an office."),
            ),
        ]

    def __str__(self) -> str:
        place = self.agency.code if self.agency_id else str(self.office)
        return f"{self.user} ({self.get_role_display()}, {place})"


@audited
class Delegation(TimeStampedModel):
    """An officer's work or signature held by another officer for a period
    (*pelimpahan tugas* during leave, *pelimpahan wewenang penandatanganan*).

    ``kind=tasks``: the ``delegator`` is on leave and the ``delegate`` (substitute)
    handles their tasks. ``kind=signing``: the delegator (a signatory) lets the
    delegate (deputy) sign in their name. The period is ``[starts_at, ends_at)``,
    aware UTC instants shown in WIB. Periods of one delegator and kind never
    overlap (checked under a row lock in ``accounts.services.delegation_create``).
    Not transitive: a delegate on leave does not pass on what they hold.
    ``revoked_at`` ends a delegation early; rows are never deleted.
    """

    kind = models.CharField(_("kind"), max_length=16, choices=DelegationKind)
    delegator = models.ForeignKey(
        Officer,
        on_delete=models.PROTECT,
        related_name="delegations_given",
        verbose_name=_("delegating officer"),
    )
    delegate = models.ForeignKey(
        Officer,
        on_delete=models.PROTECT,
        related_name="delegations_received",
        verbose_name=_("substitute or deputy"),
    )
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    reason = models.CharField(
        _("reason"), max_length=255, help_text=_("E.g. annual leave, official trip.")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("revoked by"),
    )

    objects = AuditedManager()

    class Meta:
        base_manager_name = "objects"
        verbose_name = _("delegation")
        verbose_name_plural = _("delegations")
        ordering = ["-starts_at"]
        permissions = [
            (
                "manage_delegations",
                _("Can record leave and delegations for other officers"),
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")),
                name="delegation_ends_after_start",
            ),
            models.CheckConstraint(
                condition=~Q(delegator=F("delegate")),
                name="delegation_to_someone_else",
            ),
        ]
        indexes = [
            models.Index(
                fields=["delegate", "kind", "starts_at"], name="delegation_by_delegate"
            ),
            models.Index(
                fields=["delegator", "kind", "starts_at"],
                name="delegation_by_delegator",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.delegator} → {self.delegate} ({self.kind})"

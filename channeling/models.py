"""Assisted submissions at service points and hand-overs to BPJS.

``AssistedSubmission`` records who filed an application for a citizen who was
present (the operator, a front-office officer), where (the office: the MPP or a
kecamatan/kelurahan service point) and for whom (the citizen, whose account may
have been made at the counter). The application itself is an ordinary
``permits.Application`` of the citizen; it is submitted (and the SLA clock
starts) only when the citizen confirms with the one-time code.

``BpjsHandover`` is one hand-over of a BPJS participant-data correction to
BPJS's own system through the adapter (``channeling.bpjs``).
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from accounts.choices import CodeChannel
from audit.bulk import AuditedManager
from audit.registry import audited
from ptsp.models import TimeStampedModel

from .choices import AssistedStatus, HandoverStatus


@audited(personal=("code_address", "claim_code_hash"))
class AssistedSubmission(TimeStampedModel):
    """An application filed by an officer for a citizen at the counter
    (*pengajuan berbantuan petugas* at a *loket*).

    ``code_address`` is where the confirmation code went (the account's own
    e-mail or phone for a citizen who already had an account). For an account
    made at the counter (``account_created``), ``claim_code_hash`` keeps the HMAC
    of the confirmed code so the citizen can claim the account with the same
    code until ``claim_until`` (``CHANNELING_CLAIM_DAYS`` calendar days after
    confirmation); ``claim_attempts`` counts wrong tries
    (``PTSP_OTP_MAX_ATTEMPTS``). Times are aware UTC.
    """

    uuid = models.UUIDField(_("UUID"), default=uuid.uuid4, unique=True, editable=False)
    application = models.OneToOneField(
        "permits.Application",
        on_delete=models.PROTECT,
        related_name="assisted",
        verbose_name=_("application"),
    )
    office = models.ForeignKey(
        "agencies.Office",
        on_delete=models.PROTECT,
        related_name="assisted_submissions",
        verbose_name=_("office"),
    )
    operator = models.ForeignKey(
        "accounts.Officer",
        on_delete=models.PROTECT,
        related_name="assisted_submissions",
        verbose_name=_("operator"),
    )
    citizen = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="assisted_submissions",
        verbose_name=_("citizen"),
    )
    status = models.CharField(
        _("status"),
        max_length=32,
        choices=AssistedStatus,
        default=AssistedStatus.DRAFT,
        editable=False,
    )
    account_created = models.BooleanField(
        _("account made at the counter"), default=False, editable=False
    )
    code_channel = models.CharField(
        _("code sent by"), max_length=8, choices=CodeChannel, blank=True
    )
    code_address = models.CharField(_("code sent to"), max_length=254, blank=True)
    code_sent_at = models.DateTimeField(_("code sent at"), null=True, blank=True)
    confirmed_at = models.DateTimeField(
        _("confirmed at"),
        null=True,
        blank=True,
        editable=False,
        help_text=_("When the citizen confirmed; the application is submitted then."),
    )
    claim_code_hash = models.CharField(
        _("claim code (HMAC)"), max_length=64, blank=True, editable=False
    )
    claim_until = models.DateTimeField(_("claim until"), null=True, blank=True)
    claim_attempts = models.PositiveSmallIntegerField(_("wrong claim tries"), default=0)
    claimed_at = models.DateTimeField(_("claimed at"), null=True, blank=True)

    objects = AuditedManager()

    class Meta:
        base_manager_name = "objects"
        verbose_name = _("assisted submission")
        verbose_name_plural = _("assisted submissions")
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["office", "-created_at"], name="assisted_by_office")
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(confirmed_at__isnull=True)
                | Q(status=AssistedStatus.CONFIRMED),
                name="assisted_confirmed_time_only_when_confirmed",
            ),
            models.CheckConstraint(
                condition=~Q(status=AssistedStatus.CONFIRMED)
                | Q(confirmed_at__isnull=False),
                name="assisted_confirmed_has_time",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.application} @ {self.office}"


@audited
class BpjsHandover(TimeStampedModel):
    """One hand-over of a participant-data correction to BPJS's system
    (*penyerahan koreksi data ke sistem BPJS*).

    ``system`` is the BPJS agency's code (``BPJSKES`` or ``BPJSTK``);
    ``ticket`` the adapter's id of the request; ``external_reference`` the
    number BPJS gave the done correction; ``reason`` BPJS's refusal or the last
    transport error. ``sent_by`` is the officer whose step handed it over and in
    whose name the result is recorded. At most one open hand-over per step.
    """

    application = models.ForeignKey(
        "permits.Application",
        on_delete=models.PROTECT,
        related_name="bpjs_handovers",
        verbose_name=_("application"),
    )
    step = models.ForeignKey(
        "permits.ApplicationStep",
        on_delete=models.PROTECT,
        related_name="bpjs_handovers",
        verbose_name=_("step"),
    )
    system = models.CharField(_("BPJS system"), max_length=16)
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=HandoverStatus,
        default=HandoverStatus.PENDING,
        editable=False,
    )
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("sent by"),
    )
    ticket = models.CharField(_("BPJS ticket"), max_length=64, blank=True)
    external_reference = models.CharField(
        _("BPJS reference"), max_length=120, blank=True
    )
    reason = models.TextField(_("reason"), blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    objects = AuditedManager()

    class Meta:
        base_manager_name = "objects"
        verbose_name = _("BPJS hand-over")
        verbose_name_plural = _("BPJS hand-overs")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["step"],
                condition=Q(status__in=["pending", "sent"]),
                name="one_open_bpjs_handover_per_step",
            )
        ]

    def __str__(self) -> str:
        return f"{self.system} {self.ticket or '-'} ({self.status})"

"""Fee rules, bills, payments, gateway callbacks and refunds.

``FeeRule`` (*tarif retribusi*) says how a service is billed, from the
catalogue's ``fee`` entry plus admin-editable parameters; ``Bill`` (*SKRD*,
Surat Ketetapan Retribusi Daerah) is what an applicant owes; ``Payment``
(*pembayaran*) settles one bill, from the gateway or confirmed by a Bapenda or
BPKD officer; ``GatewayCallback`` records every callback attempt, accepted or
not; ``Refund`` (*pengembalian retribusi*) needs a second officer's approval.
Money is whole rupiah (IDR) in integer columns; instants are aware UTC, shown
in WIB.
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from audit.bulk import AuditedManager
from audit.registry import audited
from ptsp.models import TimeStampedModel

from .choices import (
    BillStatus,
    CallbackOutcome,
    FeeRuleKind,
    PaymentChannel,
    RefundReason,
    RefundStatus,
    RuleStatus,
)


@audited
class FeeRule(TimeStampedModel):
    """How a service is billed (*tarif retribusi*), one per service.

    ``kind``: ``free``; ``fixed`` (``fixed_amount`` IDR); ``pbg``, the building
    approval levy of PP 16/2021 (Lampiran, retribusi PBG)::

        amount = LLt * ILo * SHST * It * Ibg    (rounded half up to whole IDR)

    with LLt the total floor area in m² (entered by the officer from the
    technical documents), ILo ``locality_index``, SHST
    ``unit_price_idr_per_m2``, It the ``integrated_indices`` entry of the
    building function (``{"residential": "0.15", ...}``, decimal strings) and
    Ibg ``built_index``; ``not_billed`` for taxes, leases and contributions that
    other systems bill (shown on the service page, never billed here).
    ``exemptions``: ``[{"code": slug, "text": str, "text_en": str}]`` from the
    catalogue (e.g. ``mbr``, low-income households). The catalogue gives no PBG
    tariff numbers, so the seeded parameters are ``assumed`` until an
    administrator confirms them (``status``).
    """

    service = models.OneToOneField(
        "agencies.Service",
        on_delete=models.PROTECT,
        related_name="fee_rule",
        verbose_name=_("service"),
    )
    kind = models.CharField(_("kind"), max_length=16, choices=FeeRuleKind)
    fixed_amount = models.PositiveBigIntegerField(
        _("fixed amount (IDR)"), null=True, blank=True
    )
    unit_price_idr_per_m2 = models.PositiveBigIntegerField(
        _("unit price SHST (IDR per m²)"),
        null=True,
        blank=True,
        help_text=_("Highest standard unit price of buildings (SHST), per m²."),
    )
    locality_index = models.DecimalField(
        _("locality index ILo"),
        max_digits=7,
        decimal_places=5,
        null=True,
        blank=True,
        help_text=_("A fraction: 0.005 is 0.5 % (the upper bound in PP 16/2021)."),
    )
    integrated_indices = models.JSONField(
        _("integrated index It per building function"),
        default=dict,
        blank=True,
        help_text=_('For example {"residential": "0.15", "business": "0.70"}.'),
    )
    built_index = models.DecimalField(
        _("built-building index Ibg"),
        max_digits=5,
        decimal_places=3,
        default=1,
        help_text=_("1 for a new building."),
    )
    exemptions = models.JSONField(_("exemptions"), default=list, blank=True)
    description = models.TextField(_("rule (Indonesian)"), blank=True)
    description_en = models.TextField(_("rule (English)"), blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=RuleStatus, default=RuleStatus.ASSUMED
    )
    basis = models.TextField(
        _("basis"),
        blank=True,
        help_text=_("Where the parameters come from (regulation, decree)."),
    )
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("confirmed by"),
        editable=False,
    )
    confirmed_at = models.DateTimeField(
        _("confirmed at"), null=True, blank=True, editable=False
    )

    objects = AuditedManager()

    class Meta:
        base_manager_name = "objects"
        verbose_name = _("fee rule")
        verbose_name_plural = _("fee rules")
        ordering = ["service__code"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(kind=FeeRuleKind.FIXED) | Q(fixed_amount__gt=0),
                name="fixed_fee_has_amount",
            ),
            models.CheckConstraint(
                condition=~Q(kind=FeeRuleKind.PBG)
                | (
                    Q(unit_price_idr_per_m2__gt=0)
                    & Q(locality_index__gt=0)
                    & Q(built_index__gt=0)
                ),
                name="pbg_fee_has_parameters",
            ),
            models.CheckConstraint(
                condition=Q(status=RuleStatus.ASSUMED) | Q(confirmed_at__isnull=False),
                name="confirmed_fee_rule_has_time",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.service.code}: {self.get_kind_display()}"

    @property
    def billable(self) -> bool:
        return self.kind in (FeeRuleKind.FIXED, FeeRuleKind.PBG)


@audited
class Bill(TimeStampedModel):
    """A levy assessment (*SKRD*, Surat Ketetapan Retribusi Daerah) for one
    application.

    ``billing_code`` (*kode bayar*) is what the applicant quotes at the bank:
    16 digits, ``3671`` (Kota Tangerang), the WIB year's two digits, nine
    random digits and a Luhn check digit; unique. ``amount`` in whole IDR,
    positive (an exemption issues no bill). ``due_at``: aware UTC; after it the
    bill expires and the gateway's late payments are refused; it can be
    reissued (a new bill with a new code whose ``replaces`` is the old one).
    ``assessment``: the inputs and the parameters used, frozen, e.g.
    ``{"floor_area_m2": "72", "building_function": "residential", ...}``.
    At most one bill of an application is open at a time.
    """

    uuid = models.UUIDField(_("UUID"), default=uuid.uuid4, unique=True, editable=False)
    application = models.ForeignKey(
        "permits.Application",
        on_delete=models.PROTECT,
        related_name="bills",
        verbose_name=_("application"),
    )
    fee_rule = models.ForeignKey(
        FeeRule, on_delete=models.PROTECT, related_name="bills", verbose_name=_("rule")
    )
    billing_code = models.CharField(_("billing code"), max_length=20, unique=True)
    amount = models.PositiveBigIntegerField(_("amount (IDR)"))
    due_at = models.DateTimeField(_("due at"))
    status = models.CharField(
        _("status"), max_length=16, choices=BillStatus, default=BillStatus.OPEN
    )
    assessment = models.JSONField(_("assessment"), default=dict, blank=True)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("issued by"),
    )
    paid_at = models.DateTimeField(_("paid at"), null=True, blank=True)
    replaces = models.OneToOneField(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="replaced_by",
        verbose_name=_("replaces"),
    )

    objects = AuditedManager()

    class Meta:
        base_manager_name = "objects"
        verbose_name = _("bill (SKRD)")
        verbose_name_plural = _("bills (SKRD)")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(amount__gt=0), name="bill_amount_positive"
            ),
            models.UniqueConstraint(
                fields=["application"],
                condition=Q(status=BillStatus.OPEN),
                name="one_open_bill_per_application",
            ),
            models.CheckConstraint(
                condition=~Q(status=BillStatus.PAID) | Q(paid_at__isnull=False),
                name="paid_bill_has_time",
            ),
        ]

    def __str__(self) -> str:
        return self.billing_code

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("payments:bill_detail", kwargs={"uuid": self.uuid})

    @property
    def billing_code_display(self) -> str:
        """The code in groups of four, as printed on the SKRD."""
        code = self.billing_code
        return " ".join(code[i : i + 4] for i in range(0, len(code), 4))


@audited
class Payment(TimeStampedModel):
    """The settlement of one bill (*pembayaran*).

    From the gateway (``gateway_transaction_id`` unique: a replayed callback
    finds it and changes nothing) or confirmed manually by a Bapenda/BPKD
    officer with ``evidence`` (a PDF or image, stored privately). ``amount`` in
    IDR may exceed the bill for a manual confirmation (an overpayment, refunded
    through ``Refund``); it never falls short.
    """

    uuid = models.UUIDField(_("UUID"), default=uuid.uuid4, unique=True, editable=False)
    bill = models.OneToOneField(
        Bill, on_delete=models.PROTECT, related_name="payment", verbose_name=_("bill")
    )
    amount = models.PositiveBigIntegerField(_("amount (IDR)"))
    channel = models.CharField(_("channel"), max_length=16, choices=PaymentChannel)
    gateway_transaction_id = models.CharField(
        _("gateway transaction id"), max_length=64, null=True, blank=True, unique=True
    )
    paid_at = models.DateTimeField(_("paid at"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    reference = models.CharField(_("bank reference"), max_length=64, blank=True)
    evidence = models.FileField(
        _("evidence"), upload_to="payments/%Y/%m/", max_length=200, blank=True
    )
    evidence_content_type = models.CharField(
        _("evidence content type"), max_length=64, blank=True
    )
    evidence_sha256 = models.CharField(_("evidence SHA-256"), max_length=64, blank=True)
    note = models.TextField(_("note"), blank=True)

    objects = AuditedManager()

    class Meta:
        base_manager_name = "objects"
        verbose_name = _("payment")
        verbose_name_plural = _("payments")
        ordering = ["-paid_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(amount__gt=0), name="payment_amount_positive"
            ),
            models.CheckConstraint(
                condition=~Q(channel=PaymentChannel.GATEWAY)
                | Q(gateway_transaction_id__isnull=False),
                name="gateway_payment_has_transaction",
            ),
            models.CheckConstraint(
                condition=~Q(channel=PaymentChannel.MANUAL)
                | (Q(recorded_by__isnull=False) & ~Q(evidence="")),
                name="manual_payment_has_officer_and_evidence",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.bill.billing_code} ({self.get_channel_display()})"


@audited
class GatewayCallback(models.Model):
    """One callback attempt from the payment gateway (*notifikasi pembayaran*),
    kept whatever its ``outcome``: accepted, a replay, or refused (forged,
    unknown, mismatched, late). ``body`` is the raw request (at most 8 KiB);
    ``transaction_id``, ``billing_code`` and ``amount`` are what it claimed.
    """

    received_at = models.DateTimeField(_("received at"), auto_now_add=True)
    outcome = models.CharField(_("outcome"), max_length=16, choices=CallbackOutcome)
    transaction_id = models.CharField(_("transaction id"), max_length=64, blank=True)
    billing_code = models.CharField(_("billing code"), max_length=64, blank=True)
    amount = models.BigIntegerField(_("amount (IDR)"), null=True, blank=True)
    bill = models.ForeignKey(
        Bill,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="callbacks",
        verbose_name=_("bill"),
    )
    body = models.TextField(_("body"), blank=True)
    signature = models.CharField(_("signature"), max_length=200, blank=True)
    remote_addr = models.GenericIPAddressField(
        _("remote address"), null=True, blank=True
    )
    detail = models.CharField(_("detail"), max_length=300, blank=True)

    objects = AuditedManager()

    class Meta:
        base_manager_name = "objects"
        verbose_name = _("gateway callback")
        verbose_name_plural = _("gateway callbacks")
        ordering = ["-received_at"]
        indexes = [models.Index(fields=["transaction_id"], name="callback_tx_idx")]

    def __str__(self) -> str:
        return f"{self.transaction_id or '-'}: {self.outcome}"


@audited
class Refund(TimeStampedModel):
    """A refund of (part of) a payment (*pengembalian kelebihan pembayaran
    retribusi*): requested by one Bapenda/BPKD officer, approved or rejected by
    another signatory (four eyes). ``amount`` in IDR, positive; the approved
    refunds of a payment never exceed it."""

    uuid = models.UUIDField(_("UUID"), default=uuid.uuid4, unique=True, editable=False)
    payment = models.ForeignKey(
        Payment,
        on_delete=models.PROTECT,
        related_name="refunds",
        verbose_name=_("payment"),
    )
    amount = models.PositiveBigIntegerField(_("amount (IDR)"))
    reason = models.CharField(_("reason"), max_length=16, choices=RefundReason)
    note = models.TextField(_("note"))
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=RefundStatus,
        default=RefundStatus.REQUESTED,
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("requested by"),
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_note = models.TextField(_("decision note"), blank=True)

    objects = AuditedManager()

    class Meta:
        base_manager_name = "objects"
        verbose_name = _("refund")
        verbose_name_plural = _("refunds")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(amount__gt=0), name="refund_amount_positive"
            ),
            models.CheckConstraint(
                condition=Q(decided_by__isnull=True) | ~Q(decided_by=F("requested_by")),
                name="refund_four_eyes",
            ),
            models.CheckConstraint(
                condition=Q(status=RefundStatus.REQUESTED)
                | (Q(decided_by__isnull=False) & Q(decided_at__isnull=False)),
                name="decided_refund_has_decider",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.payment.bill.billing_code}: {self.amount}"

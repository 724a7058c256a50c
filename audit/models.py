"""The audit trail (*jejak audit*): one append-only table for every transaction, a
seal chain over it and signed daily checkpoints of that chain.

``AuditEntry`` rows are written inside business transactions by
``audit.services.audit_record``. ``AuditSeal`` rows are written later, in commit
order, by the sealer (``audit.sealing``); ``AuditCheckpoint`` rows sign the chain's
head (``audit.checkpoints``). None of the three tables is ever updated or deleted
from: on PostgreSQL triggers refuse it (migration ``0003``).
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

GENESIS_HASH = "0" * 64


class AppendOnlyError(RuntimeError):
    """An audit row was about to be changed or deleted: the trail is append-only."""


class AppendOnlyQuerySet(models.QuerySet):
    """Refuses ``update()``, ``bulk_update()`` and ``delete()`` in Python too (on
    SQLite there is no trigger to do it)."""

    def _refuse(self, *args, **kwargs):
        raise AppendOnlyError(f"{self.model._meta.label} rows are append-only.")

    update = bulk_update = delete = _refuse


class AppendOnlyModel(models.Model):
    """Rows are inserted once and never saved again or deleted."""

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        abstract = True
        base_manager_name = "objects"

    def save(self, *args, **kwargs) -> None:
        if not self._state.adding:
            raise AppendOnlyError(f"{self._meta.label} rows are append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError(f"{self._meta.label} rows are append-only.")


class AuditEntry(AppendOnlyModel):
    """One audited action (*catatan audit*), written by ``audit.services.audit_record``
    inside the transaction of the change it records.

    ``changes`` maps each changed field to ``[before, after]``; personal data (NIK,
    phone, e-mail) is stored as a reference (``{"ref": "accounts.user:12#nik"}``),
    never as the value. ``occurred_at`` is an aware UTC instant (shown in WIB).
    ``txid`` is the PostgreSQL transaction that inserted the row, set by a trigger
    (null on SQLite); the sealer uses it to seal entries in commit order.
    """

    occurred_at = models.DateTimeField(
        _("occurred at"), default=timezone.now, editable=False
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("actor"),
    )
    actor_label = models.CharField(
        _("actor label"),
        max_length=120,
        help_text=_("user:<id>, system:<task> or anonymous."),
    )
    actor_role = models.CharField(_("actor role"), max_length=64, blank=True)
    actor_agency = models.CharField(
        _("actor agency or office"), max_length=64, blank=True
    )
    action = models.CharField(_("action"), max_length=64)
    object_type = models.CharField(_("object type"), max_length=100, blank=True)
    object_id = models.CharField(_("object id"), max_length=64, blank=True)
    changes = models.JSONField(_("changes"), default=dict, blank=True)
    reason = models.TextField(_("reason"), blank=True)
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    request_id = models.CharField(_("request id"), max_length=64, blank=True)
    caused_by_request = models.CharField(
        _("caused by request"),
        max_length=64,
        blank=True,
        help_text=_("For system actors: the request whose work this is."),
    )
    txid = models.BigIntegerField(
        _("transaction id"),
        null=True,
        blank=True,
        editable=False,
        help_text=_("PostgreSQL transaction that wrote the entry (set by a trigger)."),
    )

    class Meta(AppendOnlyModel.Meta):
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit entries")
        permissions = [("verify_chain", _("Can verify the audit trail's seal chain"))]
        indexes = [
            models.Index(
                fields=["object_type", "object_id", "id"], name="audit_by_object"
            ),
            # An actor's entries in a time range, newest first: reads only the
            # range (audit.selectors.audit_entries_by_actor), not the history.
            models.Index(
                fields=["actor_label", "occurred_at", "id"], name="audit_by_actor_time"
            ),
            # The auditor workspace's pages in time order (auditor.selectors):
            # newest first, filtered or not, read only the page (no sort of
            # the trail): 162 ms -> 10 ms at 300,000 entries (docs/auditor.md).
            models.Index(fields=["occurred_at", "id"], name="audit_by_time"),
            # The sealer's cursor: (txid, id) after the last sealed entry.
            models.Index(fields=["txid", "id"], name="audit_seal_cursor"),
        ]
        # The BRIN index on occurred_at is PostgreSQL-only (migration 0003).

    def __str__(self) -> str:
        return (
            f"{self.action} {self.object_type}:{self.object_id} by {self.actor_label}"
        )


class AuditSeal(AppendOnlyModel):
    """The seal of one entry (*segel*): its place ``seq`` in the hash chain.

    ``hash`` is SHA-256 (hex) over ``prev_hash``, ``seq`` and the entry's canonical
    content (``audit.sealing.chain_hash``); ``seq`` runs 1, 2, 3... without gaps in the
    order the sealer saw the entries commit. Insert-only, like the entries.
    """

    seq = models.BigIntegerField(_("sequence"), primary_key=True)
    entry = models.OneToOneField(
        AuditEntry,
        on_delete=models.PROTECT,
        related_name="seal",
        verbose_name=_("entry"),
    )
    prev_hash = models.CharField(_("previous hash"), max_length=64)
    hash = models.CharField(_("hash"), max_length=64)
    sealed_at = models.DateTimeField(_("sealed at"), default=timezone.now)

    class Meta(AppendOnlyModel.Meta):
        verbose_name = _("audit seal")
        verbose_name_plural = _("audit seals")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(seq__gte=1), name="seal_seq_gte_1"
            )
        ]

    def __str__(self) -> str:
        return f"#{self.seq} {self.hash[:12]}"


class AuditCheckpoint(AppendOnlyModel):
    """A signed checkpoint (*titik periksa*) of the chain's head, made daily.

    ``signature`` is an Ed25519 signature (base64) by the portal's key over
    ``message`` (``audit.checkpoints.checkpoint_message``), which names ``number``,
    ``seq``, ``hash`` and ``created_at``. ``public_key`` (base64, raw 32 bytes) names
    the key used; verification trusts only the configured keys, never this column.
    ``number`` runs 1, 2, 3... without gaps. Publish each checkpoint outside the
    database (``manage.py audit_checkpoint --publish``).
    """

    number = models.BigIntegerField(_("number"), primary_key=True)
    seq = models.BigIntegerField(
        _("sequence"), help_text=_("Last sealed entry covered (0: empty chain).")
    )
    hash = models.CharField(_("hash"), max_length=64)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    public_key = models.CharField(_("public key"), max_length=64)
    signature = models.CharField(_("signature"), max_length=128)

    class Meta(AppendOnlyModel.Meta):
        verbose_name = _("audit checkpoint")
        verbose_name_plural = _("audit checkpoints")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(number__gte=1), name="checkpoint_number_gte_1"
            ),
            models.CheckConstraint(
                condition=models.Q(seq__gte=0), name="checkpoint_seq_gte_0"
            ),
        ]

    def __str__(self) -> str:
        return f"checkpoint {self.number} @ #{self.seq}"

"""Reads of the audit trail for auditors: filtered, time-ordered keyset pages,
timelines and the integrity status. Auditors read every agency; nothing here is
scoped further (callers check ``auditor.permissions.can_read_trail``), except
that a citizen's drafts are theirs alone: entries about an application never
submitted, and about files attached only to such drafts, are left out
(``private_drafts_excluded``).

No query counts the trail: a page fetches ``limit + 1`` rows to know whether a
next page exists.
"""

import base64
import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.db.models import CharField, Q, QuerySet
from django.db.models.functions import Cast

from accounts.models import User
from audit.models import AuditCheckpoint, AuditEntry, AuditSeal
from permits.models import Application, ApplicationDocumentLink

from .models import VerificationRun, VerificationStatus

WIB = ZoneInfo("Asia/Jakarta")


class BadCursor(ValueError):
    """The cursor is not one this module produced."""


@dataclass(frozen=True)
class TrailFilter:
    """What to look for. Dates are WIB calendar dates, inclusive
    (``date_from`` 00:00 WIB to the end of ``date_to``). ``actor`` is a
    username or an ``actor_label`` (``system:<task>``); ``agency`` an agency or
    office code; ``action`` an exact action or a prefix ending in ``.``
    (``application.``); ``reference`` an application reference: its entries and
    those of its steps. ``object_type``/``object_id`` name one object."""

    date_from: dt.date | None = None
    date_to: dt.date | None = None
    actor: str = ""
    role: str = ""
    agency: str = ""
    action: str = ""
    reference: str = ""
    object_type: str = ""
    object_id: str = ""
    ascending: bool = False

    def as_dict(self) -> dict[str, str]:
        """The non-empty filters as strings (for the export's audit entry)."""
        out = {}
        for name in (
            "date_from",
            "date_to",
            "actor",
            "role",
            "agency",
            "action",
            "reference",
            "object_type",
            "object_id",
        ):
            value = getattr(self, name)
            if value:
                out[name] = str(value)
        return out


def _wib_start(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time.min, tzinfo=WIB)


def actor_label_for(actor: str) -> str | None:
    """``user:<pk>`` for a username, the label itself for ``system:...``,
    ``user:...`` or ``anonymous``; ``None`` for an unknown username."""
    actor = actor.strip()
    if actor.startswith(("system:", "user:")) or actor == "anonymous":
        return actor
    pk = User.objects.filter(username=actor).values_list("pk", flat=True).first()
    return f"user:{pk}" if pk is not None else None


def application_objects(reference: str) -> Q | None:
    """The entries about one application (by reference): the application's own
    and its steps'. ``None`` when no application has that reference."""
    application = (
        Application.objects.filter(reference=reference.strip()).only("pk").first()
    )
    if application is None:
        return None
    step_ids = [str(pk) for pk in application.steps.values_list("pk", flat=True)]
    condition = Q(object_type="permits.application", object_id=str(application.pk))
    if step_ids:
        condition |= Q(object_type="permits.applicationstep", object_id__in=step_ids)
    return condition


def private_drafts_excluded(entries: QuerySet[AuditEntry]) -> QuerySet[AuditEntry]:
    """``entries`` without those about the citizens' private workspace: an
    application never submitted (``submitted_at`` empty: a draft, or a draft
    withdrawn), and a file not attached to any submitted application. Once
    submitted, an application's whole history shows, its draft days included.

    Source: the auditor reads submitted applications only (issue 15 and the
    route rules in ``tests/authorization/rules_auditor.py``). Two ``NOT IN``
    sub-queries on primary keys (hashed by PostgreSQL), no count."""
    drafts = (
        Application.objects.filter(submitted_at__isnull=True)
        .annotate(key=Cast("pk", CharField()))
        .values("key")
    )
    shared_files = (
        ApplicationDocumentLink.objects.filter(application__submitted_at__isnull=False)
        .annotate(key=Cast("document_id", CharField()))
        .values("key")
    )
    return entries.exclude(
        object_type="permits.application", object_id__in=drafts
    ).exclude(
        Q(object_type="permits.applicationdocument") & ~Q(object_id__in=shared_files)
    )


def trail_queryset(filters: TrailFilter) -> QuerySet[AuditEntry]:
    """Entries matching ``filters`` in time order (newest first unless
    ``ascending``), actor and seal joined, the citizens' drafts left out
    (``private_drafts_excluded``). Unknown actors or references match
    nothing (and are named in ``filters.unknown`` by the form)."""
    entries = private_drafts_excluded(AuditEntry.objects.all())
    if filters.date_from:
        entries = entries.filter(occurred_at__gte=_wib_start(filters.date_from))
    if filters.date_to:
        entries = entries.filter(
            occurred_at__lt=_wib_start(filters.date_to + dt.timedelta(days=1))
        )
    if filters.actor:
        label = actor_label_for(filters.actor)
        if label is None:
            return AuditEntry.objects.none()
        entries = entries.filter(actor_label=label)
    if filters.role:
        entries = entries.filter(actor_role=filters.role)
    if filters.agency:
        entries = entries.filter(actor_agency__iexact=filters.agency.strip())
    if filters.action:
        if filters.action.endswith("."):
            entries = entries.filter(action__startswith=filters.action)
        else:
            entries = entries.filter(action=filters.action)
    if filters.reference:
        condition = application_objects(filters.reference)
        if condition is None:
            return AuditEntry.objects.none()
        entries = entries.filter(condition)
    if filters.object_type:
        entries = entries.filter(object_type=filters.object_type)
    if filters.object_id:
        entries = entries.filter(object_id=filters.object_id)
    order = ("occurred_at", "id") if filters.ascending else ("-occurred_at", "-id")
    return entries.select_related("actor", "seal").order_by(*order)


def encode_cursor(entry: AuditEntry) -> str:
    raw = f"{entry.occurred_at.isoformat()}|{entry.pk}".encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str) -> tuple[dt.datetime, int]:
    """``(occurred_at, id)`` of the last row of the previous page. Raises
    ``BadCursor``."""
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        at, pk = raw.split("|")
        instant = dt.datetime.fromisoformat(at)
        if instant.tzinfo is None:
            raise ValueError("naive")
        return instant, int(pk)
    except (ValueError, UnicodeDecodeError) as exc:
        raise BadCursor(cursor) from exc


@dataclass
class TrailPage:
    """One page: ``entries`` and the cursor of the next page (``None`` at the
    end)."""

    entries: list[AuditEntry]
    next_cursor: str | None


def trail_page(filters: TrailFilter, *, cursor: str = "", limit: int = 50) -> TrailPage:
    """A keyset page of ``trail_queryset(filters)`` after ``cursor``; one query,
    ``limit + 1`` rows. Raises ``BadCursor``."""
    entries = trail_queryset(filters)
    if cursor:
        at, pk = decode_cursor(cursor)
        if filters.ascending:
            entries = entries.filter(
                Q(occurred_at__gt=at) | Q(occurred_at=at, id__gt=pk)
            )
        else:
            entries = entries.filter(
                Q(occurred_at__lt=at) | Q(occurred_at=at, id__lt=pk)
            )
    rows = list(entries[: limit + 1])
    more = len(rows) > limit
    rows = rows[:limit]
    return TrailPage(rows, encode_cursor(rows[-1]) if more and rows else None)


@dataclass
class IntegrityStatus:
    """The chain's state for the status panel: the last seal (``seq``, hash, its
    entry and when it was sealed), the last signed checkpoint, the latest
    finished verification and one still waiting, if any."""

    last_seal: AuditSeal | None
    last_checkpoint: AuditCheckpoint | None
    last_run: VerificationRun | None
    pending_run: VerificationRun | None


def integrity_status() -> IntegrityStatus:
    """Four indexed single-row reads."""
    return IntegrityStatus(
        last_seal=AuditSeal.objects.select_related("entry").order_by("-seq").first(),
        last_checkpoint=AuditCheckpoint.objects.order_by("-number").first(),
        last_run=VerificationRun.objects.exclude(status=VerificationStatus.PENDING)
        .select_related("requested_by")
        .order_by("-finished_at", "-id")
        .first(),
        pending_run=VerificationRun.objects.filter(status=VerificationStatus.PENDING)
        .order_by("-id")
        .first(),
    )

"""Retention of personal data, one rule per record type, applied daily by beat
(``privacy.tasks.privacy_retention_task``).

* Staff access log (``PersonalDataAccess``): deleted after
  ``PRIVACY_ACCESS_LOG_DAYS`` (730 calendar days). Source: UU 27/2022 art. 43(1)
  (kept no longer than its purpose); two years cover an objection and one
  yearly BPK audit cycle.
* Notification texts (``Notification.subject``, ``body``, ``context``,
  ``address``): blanked ``PRIVACY_NOTIFICATION_BODY_DAYS`` (90 calendar days)
  after the message was created, once it is final; the row (event, status,
  times) stays as the delivery record. Source: UU 27/2022 art. 16(2)
  (minimisation); the message itself reached the citizen.
* Applications, their documents and status history, issued permits: kept,
  never deleted here. Source: UU 43/2009 on archives art. 40-43 and PP 28/2012:
  records of public services are kept per the agency's retention schedule
  (*Jadwal Retensi Arsip*, JRA); destruction goes through the archives
  procedure, outside the portal.
* Audit trail: kept, append-only; it holds references, never personal values
  (``audit.services.personal_ref``), so erasing an account leaves it intact.

Each run records one ``privacy.retention`` audit entry with the counts (as the
system actor ``system:privacy_retention_task``). Safe to run twice.
"""

import datetime as dt
from dataclasses import asdict, dataclass

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from audit.context import audit_actor
from audit.services import audit_record
from notifications.models import Notification
from notifications.models.outbox import OPEN_STATUSES

from .models import PersonalDataAccess

BATCH = 1000


@dataclass
class RetentionResult:
    """How many rows each rule touched in one run."""

    access_logs_deleted: int = 0
    notification_texts_blanked: int = 0


def retention_apply(*, now: dt.datetime | None = None) -> RetentionResult:
    """Apply every rule above as of ``now`` (aware; default now) and return the
    counts. Works in batches of ``BATCH`` rows, each in its own transaction."""
    now = now or timezone.now()
    result = RetentionResult()
    access_before = now - dt.timedelta(days=settings.PRIVACY_ACCESS_LOG_DAYS)
    while True:
        with transaction.atomic():
            ids = list(
                PersonalDataAccess.objects.filter(accessed_at__lt=access_before)
                .order_by("pk")
                .values_list("pk", flat=True)[:BATCH]
            )
            if not ids:
                break
            deleted, _ = PersonalDataAccess.objects.filter(pk__in=ids).delete()
            result.access_logs_deleted += deleted
    body_before = now - dt.timedelta(days=settings.PRIVACY_NOTIFICATION_BODY_DAYS)
    stale = (
        Notification.objects.filter(created_at__lt=body_before)
        .exclude(status__in=OPEN_STATUSES)
        .exclude(body="", subject="", address="", context={})
    )
    while True:
        with transaction.atomic():
            ids = list(stale.order_by("pk").values_list("pk", flat=True)[:BATCH])
            if not ids:
                break
            result.notification_texts_blanked += Notification.objects.filter(
                pk__in=ids
            ).update(body="", subject="", address="", context={})
    if result.access_logs_deleted or result.notification_texts_blanked:
        with (
            audit_actor(system="system:privacy_retention_task"),
            transaction.atomic(),
        ):
            audit_record(
                action="privacy.retention",
                object_type="privacy.retention",
                changes={k: [None, v] for k, v in asdict(result).items()},
            )
    return result

"""Scenario 1: the final submit of a filled draft.

Portal (A): ``POST /api/v1/applications/<uuid>/submit/`` over HTTP to gunicorn
(sync workers, production settings without TLS) from a few client threads, one
draft per request, each draft with three attached documents. The service locks
the draft, validates the form against the JSON Schema, takes a reference
number under a row lock, hashes the tracking code (Argon2), copies the steps,
writes the status change, audit entries and the receipt notifications, and
starts the first step.

Baseline (B): the same writes in one psycopg2 transaction per draft, from the
same number of threads: lock the row, take the number (upsert), the same Argon2
hash, update the application, copy the steps with ``INSERT … SELECT``, insert the
status change, copy two audit entries and two notification rows of the same
size, start the first step, then the SLA engine's rows: lock the (absent)
timers, insert the service deadline and the running ledger segment of the
first step (copies of a portal submission's), refresh the deadline, write it to
the application and the step, with the three audit entries the engine writes.
No HTTP, no ORM, no validation.

The statement budget is measured in-process on the service, for a draft with
one and with three documents, and listed statement by statement.
"""

import datetime as dt
import http.client
import os
import re
import threading
import time
import uuid

from bench.harness import Outcome, Row, interleave, median

PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
CLIENTS = 4
FORM = {
    "full_name": "Dr. Siti Rahma",
    "nik": "3671051203850001",
    "phone": "081234567890",
    "str_number": "STR-123",
    "practice_place": "Klinik Sehat",
    "practice_address": "Jl. Merdeka 1, Tangerang",
    "licence_sequence": 1,
}


class _Setup:
    def __init__(self) -> None:
        from accounts.choices import OfficerRole
        from agencies.choices import AgencyKind, StepKind
        from agencies.models import Agency
        from audit.context import audit_actor
        from permits.services import document_upload
        from tests.permits.conftest import make_service, make_user

        tag = uuid.uuid4().hex[:6]
        with audit_actor(system="system:bench"):
            agency = Agency.objects.create(
                code=f"B{tag}".upper(), name=f"Bench {tag}", kind=AgencyKind.DINAS
            )
            A = StepKind.AGENCY
            self.service = make_service(
                code=f"bench-sub-{tag}",
                agency=agency,
                issuer=agency,
                steps=[
                    (A, agency, OfficerRole.FRONT_OFFICE, "", ""),
                    (A, agency, OfficerRole.VERIFIER, "", ""),
                    (A, agency, OfficerRole.APPROVER, "", ""),
                ],
            )
            self.user = make_user(f"bench-sub-{tag}")
            self.documents = [
                document_upload(owner=self.user, requirement_code=code, content=PDF)
                for code in ("ktp", "kk", "str")
            ]

    def drafts(self, count: int, documents: int = 3) -> list:
        """``count`` filled drafts with ``documents`` attached (untimed)."""
        from permits.models import Application, ApplicationDocumentLink

        version = self.service.current_version
        drafts = Application.objects.bulk_create(
            [
                Application(
                    service=self.service,
                    service_version=version,
                    applicant=self.user,
                    form_data=FORM,
                )
                for _ in range(count)
            ]
        )
        ApplicationDocumentLink.objects.bulk_create(
            [
                ApplicationDocumentLink(
                    application=draft,
                    document=document,
                    requirement_code=document.requirement_code,
                )
                for draft in drafts
                for document in self.documents[:documents]
            ]
        )
        return drafts

    def session_cookie(self) -> str:
        from django.conf import settings
        from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY
        from django.contrib.auth import SESSION_KEY as USER_KEY
        from django.contrib.sessions.backends.db import SessionStore

        store = SessionStore()
        store[USER_KEY] = str(self.user.pk)
        store[BACKEND_SESSION_KEY] = next(  # the login backend, not axes' guard
            b for b in settings.AUTHENTICATION_BACKENDS if "axes" not in b.lower()
        )
        store[HASH_SESSION_KEY] = self.user.get_session_auth_hash()
        store.create()
        token = "b" * 32  # an unmasked CSRF secret, also sent as the header
        return f"{settings.SESSION_COOKIE_NAME}={store.session_key}; csrftoken={token}"


def _budget(setup: _Setup, documents: int) -> list[str]:
    """The SQL statements of one service-level submission."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from audit.context import audit_actor
    from permits.services import application_submit

    draft = setup.drafts(1, documents)[0]
    with audit_actor(user=setup.user), CaptureQueriesContext(connection) as queries:
        application_submit(
            application=draft, applicant=setup.user, idempotency_key=uuid.uuid4().hex
        )
    return [q["sql"] for q in queries.captured_queries]


def _summary(sql: str) -> str:
    """``SELECT … FROM "permits_application" … FOR UPDATE`` style one-liner."""
    sql = re.sub(r"'[^']*'", "?", sql)
    verb = sql.split(None, 1)[0]
    table = re.search(r'(?:FROM|INTO|UPDATE)\s+"(\w+)"', sql)
    tail = " FOR UPDATE" if "FOR UPDATE" in sql else ""
    return f"{verb} {table.group(1) if table else ''}{tail}".strip()


def _portal_phase(context, cookie: str, drafts: list) -> float:
    """Submissions per second over HTTP from ``CLIENTS`` threads."""
    chunks = [drafts[i::CLIENTS] for i in range(CLIENTS)]
    errors: list[str] = []

    def client(mine: list) -> None:
        connection = http.client.HTTPConnection("127.0.0.1", context.port, timeout=60)
        try:
            for draft in mine:
                connection.request(
                    "POST",
                    f"/api/v1/applications/{draft.uuid}/submit/",
                    headers={
                        "Cookie": cookie,
                        "X-CSRFToken": "b" * 32,
                        "Idempotency-Key": uuid.uuid4().hex,
                        "Host": "127.0.0.1",
                    },
                )
                response = connection.getresponse()
                body = response.read()
                if response.status != 200:
                    errors.append(f"{response.status}: {body[:300]!r}")
                    return
        finally:
            connection.close()

    started = time.perf_counter()
    threads = [threading.Thread(target=client, args=(c,)) for c in chunks]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=600)
    elapsed = time.perf_counter() - started
    if errors:
        raise RuntimeError("submission failed: " + errors[0])
    return len(drafts) / elapsed


def _columns(cursor, table: str, skip: set[str]) -> list[str]:
    cursor.execute(
        "SELECT column_name FROM information_schema.columns "
        "WHERE table_name = %s ORDER BY ordinal_position",
        (table,),
    )
    return [row[0] for row in cursor.fetchall() if row[0] not in skip]


def _baseline_phase(context, setup: _Setup, drafts: list, templates: dict) -> float:
    from django.contrib.auth.hashers import make_password

    import psycopg2

    chunks = [drafts[i::CLIENTS] for i in range(CLIENTS)]
    year = dt.datetime.now(dt.UTC).year
    errors: list[str] = []
    audit_cols = ", ".join(f'"{c}"' for c in templates["audit_columns"])
    note_cols = templates["notification_columns"]
    note_select = ", ".join(
        "gen_random_uuid()"
        if c == "uuid"
        else "md5(random()::text)"
        if c == "dedupe_key"
        else f'"{c}"'
        for c in note_cols
    )
    note_cols_sql = ", ".join(f'"{c}"' for c in note_cols)

    def client(mine: list) -> None:
        connection = psycopg2.connect(context.database_url)
        try:
            for draft in mine:
                with connection, connection.cursor() as cursor:
                    cursor.execute(
                        "SELECT id, version FROM permits_application "
                        "WHERE id = %s FOR UPDATE",
                        (draft.pk,),
                    )
                    cursor.execute(
                        "INSERT INTO permits_referencecounter (year, last_number) "
                        "VALUES (%s, 1) ON CONFLICT (year) DO UPDATE SET "
                        "last_number = permits_referencecounter.last_number + 1 "
                        "RETURNING last_number",
                        (year + 100,),  # a year of its own: no clash with A
                    )
                    number = cursor.fetchone()[0]
                    code = uuid.uuid4().hex[:12].upper()
                    cursor.execute(
                        "UPDATE permits_application SET reference = %s, "
                        "tracking_code_hash = %s, idempotency_key = %s, "
                        "status = 'submitted', version = version + 1, "
                        "submitted_at = now(), updated_at = now() WHERE id = %s",
                        (
                            f"RAW-{year}-{number:07d}",
                            make_password(code),
                            uuid.uuid4().hex,
                            draft.pk,
                        ),
                    )
                    cursor.execute(
                        "INSERT INTO permits_applicationstep (application_id, "
                        'service_step_id, "order", name, name_en, kind, agency_id, '
                        "role, external_system, parallel_group, status, "
                        "external_reference) "
                        'SELECT %s, id, "order", name, name_en, kind, agency_id, '
                        "role, external_system, parallel_group, 'pending', '' "
                        "FROM agencies_servicestep WHERE version_id = %s",
                        (draft.pk, setup.service.current_version_id),
                    )
                    cursor.execute(
                        "INSERT INTO permits_statuschange (application_id, "
                        "from_status, to_status, action, actor_id, reason, "
                        "created_at) VALUES (%s, 'draft', 'submitted', '', %s, "
                        "'', now())",
                        (draft.pk, setup.user.pk),
                    )
                    for pk in templates["audit"]:
                        cursor.execute(
                            f"INSERT INTO audit_auditentry ({audit_cols}) "
                            f"SELECT {audit_cols} FROM audit_auditentry "
                            "WHERE id = %s",
                            (pk,),
                        )
                    for pk in templates["notifications"]:
                        cursor.execute(
                            f"INSERT INTO notifications_notification "
                            f"({note_cols_sql}) SELECT {note_select} "
                            "FROM notifications_notification WHERE id = %s",
                            (pk,),
                        )
                    cursor.execute(
                        "UPDATE permits_applicationstep SET status = 'active', "
                        "started_at = now() WHERE id = (SELECT id FROM "
                        "permits_applicationstep WHERE application_id = %s "
                        'ORDER BY "order" LIMIT 1 FOR UPDATE) RETURNING id',
                        (draft.pk,),
                    )
                    step_id = cursor.fetchone()[0]
                    _raw_sla(cursor, templates, draft.pk, step_id)
        except Exception as exc:
            errors.append(repr(exc))
        finally:
            connection.close()

    started = time.perf_counter()
    threads = [threading.Thread(target=client, args=(c,)) for c in chunks]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=600)
    elapsed = time.perf_counter() - started
    if errors:
        raise RuntimeError("raw submission failed: " + errors[0])
    return len(drafts) / elapsed


def _copy_sql(table: str, columns: list[str], replaced: tuple[str, ...]) -> str:
    """``INSERT INTO table … SELECT …`` copying one row by id, the ``replaced``
    columns taken from parameters (in that order, before the id)."""
    names = ", ".join(f'"{c}"' for c in columns)
    values = ", ".join("%s" if c in replaced else f'"{c}"' for c in columns)
    order = [c for c in columns if c in replaced]
    if order != list(replaced):
        raise ValueError(f"{table}: columns {order} out of order")
    return (
        f"INSERT INTO {table} ({names}) SELECT {values} FROM {table} "
        "WHERE id = %s RETURNING id"
    )


def _raw_sla(cursor, templates: dict, application_id: int, step_id: int) -> None:
    """What ``sla.services.sla_sync`` writes at submission, as raw SQL: the
    timers locked (none yet), the service deadline and the first step's
    running segment copied from a portal submission, the deadline refreshed
    and written to the application and the step, and the three audit entries
    the engine writes (segment opened, both due dates)."""
    sla = templates["sla"]
    cursor.execute(
        "SELECT id FROM sla_slatimer WHERE application_id = %s FOR UPDATE",
        (application_id,),
    )
    cursor.execute(sla["timer_sql"], (application_id, sla["timer"]))
    timer_id = cursor.fetchone()[0]
    cursor.execute(
        "SELECT id FROM sla_slasegment WHERE application_id = %s "
        "AND (ended_at IS NULL OR kind = 'paused') FOR UPDATE",
        (application_id,),
    )
    cursor.execute(sla["segment_sql"], (application_id, step_id, sla["segment"]))
    cursor.execute(sla["audit_sql"], (sla["audit"][0],))
    cursor.execute(
        "UPDATE sla_slatimer SET due_at = t.due_at, next_check_at = "
        "t.next_check_at FROM sla_slatimer t WHERE sla_slatimer.id = %s "
        "AND t.id = %s",
        (timer_id, sla["timer"]),
    )
    cursor.execute(
        "UPDATE permits_application SET due_at = %s WHERE id = %s",
        (sla["due_at"], application_id),
    )
    cursor.execute(sla["audit_sql"], (sla["audit"][1],))
    cursor.execute(
        "UPDATE permits_applicationstep SET due_at = %s WHERE id = %s",
        (sla["due_at"], step_id),
    )
    cursor.execute(sla["audit_sql"], (sla["audit"][2],))


def _sla_templates(cursor, setup: _Setup) -> dict:
    """The SLA rows of the portal's last submission, for the baseline to copy."""
    from audit.models import AuditEntry
    from sla.models import SlaSegment, SlaTimer

    timer = (
        SlaTimer.objects.filter(application__service=setup.service, step__isnull=True)
        .order_by("-pk")
        .first()
    )
    segment = (
        SlaSegment.objects.filter(application=timer.application_id)
        .order_by("-pk")
        .first()
    )
    audit = []
    for action in (
        "sla_segment.open",
        "application.sla_due",
        "application_step.sla_due",
    ):
        audit.append(
            AuditEntry.objects.filter(action=action)
            .order_by("-pk")
            .values_list("pk", flat=True)
            .first()
        )
    audit_columns = _columns(cursor, "audit_auditentry", {"id"})
    return {
        "timer": timer.pk,
        "segment": segment.pk,
        "due_at": timer.due_at,
        "audit": audit,
        "timer_sql": _copy_sql(
            "sla_slatimer",
            _columns(cursor, "sla_slatimer", {"id"}),
            ("application_id",),
        ),
        "segment_sql": _copy_sql(
            "sla_slasegment",
            _columns(cursor, "sla_slasegment", {"id"}),
            ("application_id", "step_id"),
        ),
        "audit_sql": _copy_sql("audit_auditentry", audit_columns, ()),
    }


def _templates(setup: _Setup) -> dict:
    """Rows of a portal submission that the baseline copies (same sizes)."""
    from django.db import connection

    from audit.models import AuditEntry
    from notifications.models import Notification

    with connection.cursor() as cursor:
        audit_columns = _columns(cursor, "audit_auditentry", {"id"})
        notification_columns = _columns(cursor, "notifications_notification", {"id"})
        sla = _sla_templates(cursor, setup)
    audit = list(
        AuditEntry.objects.filter(action__startswith="application.")
        .order_by("-pk")
        .values_list("pk", flat=True)[:2]
    )
    notifications = list(
        Notification.objects.filter(recipient=setup.user)
        .order_by("-pk")
        .values_list("pk", flat=True)[:2]
    )
    return {
        "audit": audit,
        "notifications": notifications,
        "audit_columns": audit_columns,
        "notification_columns": notification_columns,
        "sla": sla,
    }


def run(context) -> Outcome:
    from bench.scenarios.pages import Gunicorn

    started = time.perf_counter()
    setup = _Setup()
    _budget(setup, 1)  # the first of a year also creates its number counter
    one, three = _budget(setup, 1), _budget(setup, 3)
    templates = _templates(setup)
    per_round = 8 if context.smoke else 120
    cookie = setup.session_cookie()
    workers = 2 * (os.cpu_count() or 1) + 1
    outcome = Outcome(
        number="1",
        title="Submission of a filled draft",
        measures=(
            f"Submissions per second: `POST …/submit/` over HTTP from {CLIENTS} "
            f"client threads to gunicorn ({workers} sync workers) vs the same "
            "writes (and the same Argon2 hash of the tracking code) in one "
            f"psycopg2 transaction per draft from {CLIENTS} threads. Each draft "
            "has three documents."
        ),
        sizes=f"{context.rounds} rounds x {per_round} drafts per side",
    )

    def portal():
        drafts = setup.drafts(per_round)
        return _portal_phase(context, cookie, drafts)

    def baseline():
        drafts = setup.drafts(per_round)
        return _baseline_phase(context, setup, drafts, templates)

    with Gunicorn(context, workers):
        a, b = interleave(
            portal,
            baseline,
            rounds=context.rounds,
            on_round=lambda n, x, y: context.log(
                f"  round {n}: portal {x:.1f}/s, raw {y:.1f}/s"
            ),
        )
    rate, raw = median(a), median(b)
    outcome.rows += [
        Row(
            "throughput",
            rate,
            "/s",
            raw,
            rate / raw,
            goal="≥ 0.40x raw",
            met=rate / raw >= 0.4,
        ),
        Row(
            "statements per submission (1 document)",
            float(len(one)),
            "",
            goal="fixed",
        ),
        Row(
            "statements per submission (3 documents)",
            float(len(three)),
            "",
            goal="same as 1 document",
            met=len(one) == len(three),
        ),
    ]
    outcome.notes.append(
        "Statement budget of one submission (service layer, three documents; "
        "the ORM's savepoints around the outbox inserts included): "
        + "; ".join(f"{n}. `{_summary(sql)}`" for n, sql in enumerate(three, 1))
        + "."
    )
    outcome.notes.append(
        "The Argon2 hash of the tracking code (deliberately slow, about a "
        "tenth of a second on this machine) is in both paths; without it the "
        "raw transaction is several times faster."
    )
    outcome.notes.append(
        "The raw transaction includes the SLA engine's writes at submission "
        "(service deadline, running segment, due dates on the application and "
        "its step, and their three audit entries); it still leaves out the "
        "receipt document and its audit entry, and the reads the portal makes "
        "to decide (policy, calendar, steps)."
    )
    outcome.seconds = time.perf_counter() - started
    return outcome

"""``generate_data --applications N --tickets N``: applications with their steps,
history and documents, and queue tickets, realistic and consistent with what
the portal itself would have written."""

import datetime as dt
import itertools
import re
from collections import Counter
from io import StringIO
from zoneinfo import ZoneInfo

from django.core.management import CommandError, call_command
from django.db import connection
from django.db.models import F

import pytest

from accounts.models import Officer, User
from accounts.nik import nik_parse
from accounts.selectors import businesses_for
from agencies.calendars import calendar_schedule
from agencies.catalogue_loader import read_catalogue
from agencies.services import catalogue_apply
from audit.context import audit_actor
from permits.choices import ApplicationStatus as S
from permits.choices import StepStatus
from permits.datagen import _Simulation, tracking_code, working_deadline
from permits.models import (
    Application,
    ApplicationDocument,
    ApplicationDocumentLink,
    ApplicationStep,
    ReferenceCounter,
    StatusChange,
)
from permits.selectors import applications_of
from permits.services import application_track
from ptsp.datagen.context import GenerationContext
from queueing.models import DailySequence, QueueTicket
from workspace.selectors import tasks_for

UNTIL = dt.date(2026, 11, 1)
WIB = ZoneInfo("Asia/Jakarta")
OPEN = {S.SUBMITTED, S.IN_PROGRESS, S.WAITING_FOR_APPLICANT}


def _load_catalogue() -> None:
    with audit_actor(system="system:test_load"):
        catalogue_apply(plan=read_catalogue(), reason="test", holiday_years=(2026,))


def _generate(seed: int, *, years: float = 0.25, **sizes) -> str:
    out = StringIO()
    call_command(
        "generate_data",
        seed=seed,
        until=UNTIL,
        years=years,
        no_progress=True,
        stdout=out,
        **sizes,
    )
    return out.getvalue()


def test_working_deadline_counts_working_days_and_hours_in_wib():
    friday = dt.datetime(2026, 10, 30, 3, 0, tzinfo=dt.UTC)  # 10:00 WIB
    # Two working days after a Friday: Tuesday, at closing (15:00 WIB).
    assert working_deadline(friday, 2, "working_days") == dt.datetime(
        2026, 11, 3, 8, 0, tzinfo=dt.UTC
    )
    # Ten working hours from Friday 10:00 WIB: 5 on Friday, 5 on Monday.
    assert working_deadline(friday, 10, "working_hours") == dt.datetime(
        2026, 11, 2, 6, 0, tzinfo=dt.UTC
    )


class _Ids:
    def __init__(self) -> None:
        self.numbers = itertools.count(1)

    def take(self) -> int:
        return next(self.numbers)


def _stories(seed: int, count: int = 300) -> list:
    until = dt.datetime(2026, 11, 1, tzinfo=dt.UTC)
    context = GenerationContext(
        seed=seed, since=until - dt.timedelta(days=90), until=until, progress=False
    )
    officers = {}
    for service in context.weights.services:
        for step in service.current_version.steps.filter(agency__isnull=False):
            officers[(step.agency_id, step.role)] = [(1, 1), (2, 2)]
    people = {"citizens": [10, 11, 12], "officers": officers}
    ids = {"app": _Ids(), "step": _Ids(), "doc": _Ids()}
    simulation = _Simulation(context, people, ids, {})
    return [
        (s.status, s.reference, s.created, s.updated, s.steps, s.changes, s.documents)
        for s in (simulation.story(i, count) for i in range(count))
    ]


@pytest.mark.django_db
def test_the_same_seed_gives_the_same_applications_and_another_seed_others():
    _load_catalogue()
    first = _stories(seed=5)
    assert len(first) == 300
    assert _stories(seed=5) == first
    assert _stories(seed=6) != first


@pytest.mark.django_db(transaction=True)
def test_generated_applications_are_consistent_and_follow_the_catalogue():
    _load_catalogue()
    summary = _generate(seed=11, applications=400)
    assert "400 applications" in summary
    apps = Application.objects.all()
    assert apps.count() == 400
    statuses = Counter(apps.values_list("status", flat=True))
    # Old ones are decided, recent ones still open, a few never submitted.
    assert statuses[S.ISSUED] + statuses[S.COMPLETED] > 200
    assert statuses[S.REJECTED] > 0
    assert statuses[S.DRAFT] > 0
    assert sum(statuses[s] for s in OPEN) > 10
    # The service mix follows the catalogue's volumes.
    from ptsp.datagen.context import WeightedServices

    weights = WeightedServices.from_catalogue()
    ranked = sorted(
        zip(weights.weights, (s.pk for s in weights.services), strict=True),
        reverse=True,
    )
    by_service = Counter(apps.values_list("service_id", flat=True))
    assert by_service.most_common(1)[0][0] in {pk for _, pk in ranked[:3]}
    heaviest = ranked[0][1]
    expected = 400 * weights.share(
        next(s for s in weights.services if s.pk == heaviest)
    )
    assert 0.5 * expected < by_service[heaviest] < 1.5 * expected
    # Timestamps in order, fields the status implies.
    assert not apps.filter(submitted_at__lt=F("created_at")).exists()
    assert not apps.filter(decided_at__lt=F("submitted_at")).exists()
    assert not apps.filter(updated_at__lt=F("created_at")).exists()
    assert not apps.filter(created_at__gte=dt.datetime(2026, 11, 1, tzinfo=dt.UTC))
    drafts = apps.filter(status=S.DRAFT)
    assert not drafts.exclude(reference=None).exists()
    assert not drafts.exclude(submitted_at=None).exists()
    submitted = apps.exclude(status=S.DRAFT)
    references = list(submitted.values_list("reference", flat=True))
    assert all(re.fullmatch(r"PTSP-20\d\d-\d{6}", r) for r in references)
    assert not submitted.filter(due_at=None).exists()
    decided = apps.filter(status__in=[S.ISSUED, S.COMPLETED, S.REJECTED])
    assert not decided.filter(decided_at=None).exists()
    assert not apps.filter(status__in=OPEN).exclude(decided_at=None).exists()
    waiting = apps.filter(status=S.WAITING_FOR_APPLICANT)
    for app in waiting:
        revision = app.status_changes.order_by("-created_at", "-pk").first()
        assert revision.to_status == S.WAITING_FOR_APPLICANT
    # Every active step belongs to an open application (or an approved one
    # whose issuing steps run after the signature), and every open one not
    # waiting for the applicant has an active agency step.
    active = ApplicationStep.objects.filter(status=StepStatus.ACTIVE)
    assert set(active.values_list("application__status", flat=True)) <= (
        OPEN | {S.APPROVED}
    )
    for app in apps.filter(status__in=[S.SUBMITTED, S.IN_PROGRESS]):
        assert app.steps.filter(status=StepStatus.ACTIVE).exists()
    assert not ApplicationStep.objects.filter(application__status=S.DRAFT).exists()
    assert not active.filter(agency__isnull=False, due_at=None).exists()
    # History: starts at submission, ends in the current status.
    for app in submitted[:80]:
        changes = list(app.status_changes.order_by("created_at", "pk"))
        assert changes[0].from_status == S.DRAFT
        assert changes[0].to_status == S.SUBMITTED
        assert changes[-1].to_status == app.status
        assert app.version == len(changes) + 1
        decisions = [c for c in changes if c.to_status in (S.APPROVED, S.REJECTED)]
        if decisions:  # the decision, not a later step's row while approved
            first = next(c for c in decisions if c.from_status != c.to_status)
            assert app.decided_at == first.created_at
        # Each finished agency step left its row, as the officer's action does.
        done = app.steps.filter(status=StepStatus.DONE, agency__isnull=False)
        assert set(done.values_list("pk", flat=True)) <= {c.step_id for c in changes}
    # One document per requirement of submitted applications.
    app = submitted.filter(status=S.ISSUED).first()
    codes = [r["code"] for r in app.service_version.requirements]
    assert sorted(app.document_links.values_list("requirement_code", flat=True)) == (
        sorted(codes)
    )
    # Live submissions continue after the generated references.
    for year, last in ReferenceCounter.objects.values_list("year", "last_number"):
        numbers = [int(r.rsplit("-", 1)[1]) for r in references if r[5:9] == str(year)]
        assert last == max(numbers)
    # The rows pass the models' own validation.
    for model in (Application, ApplicationStep, ApplicationDocument, StatusChange):
        for row in model.objects.order_by("?")[:40]:
            row.full_clean()
    for link in ApplicationDocumentLink.objects.all()[:40]:
        link.full_clean(validate_unique=False)
    # Business services are filed for a business the applicant acts for.
    for_business = apps.exclude(business=None).select_related("business", "service")
    assert for_business.exists()
    assert not apps.filter(business=None, service__applicant_type="business")
    for app in for_business[:30]:
        assert app.service.applicant_type in ("business", "both")
        assert app.business in businesses_for(app.applicant)
        app.business.full_clean()
    citizens = User.objects.filter(username__startswith="gen11-p-warga-")
    assert 100 <= citizens.count() <= 140
    for user in citizens[:40]:
        user.full_clean()
        nik_parse(user.nik)
        assert not user.has_usable_password()


@pytest.mark.django_db(transaction=True)
def test_generated_work_shows_in_the_workspace_and_in_citizen_tracking():
    _load_catalogue()
    _generate(seed=12, applications=300)
    active = ApplicationStep.objects.filter(
        status=StepStatus.ACTIVE, agency__isnull=False
    )
    assigned = active.exclude(assigned_officer=None).first()
    assert assigned is not None
    user = assigned.assigned_officer.user
    assert assigned in tasks_for(user, "mine")
    unassigned = active.filter(assigned_officer=None).first()
    assert unassigned is not None
    colleague = Officer.objects.get(
        agency=unassigned.agency_id,
        role=unassigned.role,
        user__username__endswith="-01",
        user__username__startswith="gen12-p-",
    )
    assert unassigned in tasks_for(colleague.user, "unassigned")
    application = assigned.application
    assert application in applications_of(application.applicant)
    found = application_track(
        reference=application.reference, code=tracking_code(12).lower()
    )
    assert found == application


@pytest.mark.django_db(transaction=True)
def test_a_second_application_run_with_the_same_seed_is_refused():
    _load_catalogue()
    _generate(seed=13, applications=50)
    with pytest.raises(CommandError, match="already holds data of seed 13"):
        _generate(seed=13, applications=50)
    assert Application.objects.count() == 50


@pytest.mark.django_db(transaction=True)
def test_generated_tickets_keep_office_hours_and_daily_numbering():
    _load_catalogue()
    summary = _generate(seed=14, tickets=600)
    assert "600 tickets" in summary
    tickets = QueueTicket.objects.select_related("office__service_calendar")
    assert tickets.count() == 600
    statuses = Counter(tickets.values_list("status", flat=True))
    assert statuses["done"] > 450
    assert statuses["missed"] + statuses["cancelled"] > 0
    assert Counter(tickets.values_list("office__kind", flat=True))["mpp"] > 250
    schedules = {}
    lines: dict[tuple, list] = {}
    for ticket in tickets:
        calendar = ticket.office.service_calendar
        if calendar.pk not in schedules:
            schedules[calendar.pk] = calendar_schedule(
                calendar, dt.date(2026, 7, 1), UNTIL
            )
        assert schedules[calendar.pk].is_open(ticket.issued_at)
        assert ticket.issued_at.astimezone(WIB).date() == ticket.local_date
        assert ticket.number == f"{ticket.prefix}{ticket.sequence:03d}"
        assert ticket.service.queue_groups.filter(pk=ticket.group_id).exists()
        if ticket.status == "done":
            assert ticket.issued_at <= ticket.called_at < ticket.finished_at
            assert ticket.counter.service_groups.filter(pk=ticket.group_id).exists()
        ticket.full_clean(validate_constraints=False)
        key = (ticket.office_id, ticket.prefix, ticket.local_date)
        lines.setdefault(key, []).append((ticket.issued_at, ticket.sequence))
    # Numbered 1, 2, 3… per office, prefix and day in issue order; the day
    # sequence is where live issuing continues.
    for key, line in lines.items():
        assert [n for _, n in sorted(line)] == list(range(1, len(line) + 1))
        office, prefix, day = key
        assert DailySequence.objects.get(
            office=office, prefix=prefix, local_date=day
        ).last_number == len(line)


TICKET_FIELDS = (
    "office__code", "number", "local_date", "service__code", "status",
    "issued_at", "finished_at", "nik_hash",
)  # fmt: skip


def _ticket_rows() -> list[tuple]:
    return list(
        QueueTicket.objects.order_by("office__code", "issued_at").values_list(
            *TICKET_FIELDS
        )
    )


@pytest.mark.django_db(transaction=True)
def test_the_same_seed_gives_the_same_tickets_and_another_seed_others():
    _load_catalogue()
    _generate(seed=15, tickets=200)
    first = _ticket_rows()
    assert len(first) == 200
    with connection.cursor() as cursor:  # tickets are audited: no ORM delete
        cursor.execute("DELETE FROM queueing_queueticket")
        cursor.execute("DELETE FROM queueing_dailysequence")
    _generate(seed=15, tickets=200)
    assert _ticket_rows() == first
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM queueing_queueticket")
        cursor.execute("DELETE FROM queueing_dailysequence")
    _generate(seed=16, tickets=200)
    assert _ticket_rows() != first

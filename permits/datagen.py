"""``generate_data --applications N``: N applications over the time range with
their steps, history, documents, applicants and officers (``ptsp.datagen``).

Distributions and their sources:

- **Service**: drawn by catalogue volume (``context.weights``: the services'
  ``volume_note``, a service without one weighs the median).
- **Filing time**: stratified uniform over ``since``..``until`` (application
  ``i`` of N in the ``i``-th N-th of the range), so references grow with time;
  submitted 2 minutes to 2 days after the draft was opened (assumption).
- **Applicants**: ``max(20, N // 3)`` generated residents (assumption: a
  citizen files about three applications in two years), accounts.User rows
  with Indonesian names, unusable passwords and unique NIKs
  (``ptsp.datagen.people``). Civil-registration applications about someone
  else carry a ``subject`` (a newborn for birth certificates, the deceased for
  death certificates, a family member otherwise; 2 in 5, assumption).
- **Businesses**: one per eight applicants (assumption), ``accounts.Business``
  with a unique 13-digit NIB and an NPWP (4 in 5), its owner a confirmed
  ``BusinessMembership``. Applications for a business service (catalogue
  ``applicant_type``: ``business``; half of ``both``) are filed by the owner
  of a random business, for it.
- **Officers**: for each agency and role of the catalogue's steps,
  ``max(2, round(20 * agency share))`` generated ``accounts.Officer`` rows with
  their role group (the share: the agency's steps weighted by catalogue
  volume; assumption).
- **Workflow**: the service version's ``ServiceStep`` rows, as the portal copies
  them at submission: leading applicant steps done at submission, then each
  group (``parallel_group``) active in turn. An agency step lasts its share of
  the service level (``sla_value``/``sla_unit``, working days of Mon-Fri
  08:00-15:00 WIB, holidays ignored) times a log-normal factor (median 0.5,
  about one step in six over its share; assumption); officers finish in office
  hours. A front-office or verifier step asks for a revision 1 time in 10, at
  most once per application (waiting for the applicant, 14 days to answer, 1 in 12 never
  answer and lapse); a later applicant step waits 1 hour to 10 days; 8 in 100
  are rejected at a verifier or approver step; 2 in 100 are withdrawn a few days
  after submission; 3 in 100 drafts are never submitted (assumptions). The
  story is cut at ``until``: old applications are mostly issued/completed,
  recent ones submitted, in progress or waiting, exactly as far as their story
  got.
- **Deadlines**: ``due_at`` is the service level from submission plus the
  time spent waiting for the applicant (the SLA engine pauses there); a step
  with its own level gets its own ``due_at``, other active steps the service's.
- **Documents**: one ``ApplicationDocument`` per requirement of the version
  (owner the applicant, a placeholder storage name ``generated/…``; no file is
  written), PDF 7 in 10 else JPEG/PNG, 80 KB-4 MB, linked by
  ``ApplicationDocumentLink``. Drafts have some of them.
- **Tracking**: every application of a seed shares one tracking code
  (``tracking_code(seed)``), hashed once with the portal's hasher: a million
  distinct hashes would take days, and checking one costs the same.

References follow the portal's format ``PTSP-<WIB year>-<number>``, numbered
after the year's ``ReferenceCounter``, which is then moved past them. Rows are
COPY-loaded chunk by chunk (applications, then steps, history, documents,
links), each table's chunk committed on its own.
"""

import datetime as dt
import hashlib
import time
import uuid
from dataclasses import dataclass, field

from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.db import connections, transaction

from tqdm import tqdm

from accounts.models import Business, BusinessMembership, Officer, User
from agencies.choices import ApplicantType, ServiceCategory, SlaUnit, StepKind
from agencies.models import ServiceStep
from audit.context import audit_actor
from ptsp.datagen import GenerationContext, register
from ptsp.datagen.audit import USER_COLUMNS, _office_hours, user_row
from ptsp.datagen.loading import BulkLoader
from ptsp.datagen.people import IdPool, NikMaker, birth_date, full_name

from .choices import ApplicationStatus as S
from .choices import StepAction, StepStatus
from .models import (
    Application,
    ApplicationDocument,
    ApplicationDocumentLink,
    ApplicationStep,
    ReferenceCounter,
    StatusChange,
)

WIB = dt.timezone(dt.timedelta(hours=7))
CHUNK = 5_000  # applications per commit of every table
OFFICERS_PER_SHARE = 20
REVISION_DAYS = 14
P_ABANDONED_DRAFT = 0.03
P_REVISION = 0.10
P_LAPSE = 1 / 12
P_REJECT = 0.08
P_WITHDRAW = 0.02
P_SUBJECT = 0.4
APPLICANTS_PER_BUSINESS = 8
BUSINESS_FORMS = ["PT", "CV", "UD", "Toko", "Koperasi", "Klinik", "Apotek"]
BUSINESS_WORDS = [
    "Maju", "Jaya", "Sinar", "Abadi", "Sejahtera", "Berkah", "Mandiri", "Makmur",
    "Sentosa", "Cahaya", "Karya", "Bersama", "Nusantara", "Harapan", "Mulia",
]  # fmt: skip
APPLICATION_COLUMNS = (
    "id", "created_at", "updated_at", "uuid", "reference", "service_id",
    "service_version_id", "applicant_id", "business_id", "subject", "form_data",
    "status", "version", "submitted_at", "decided_at", "due_at",
    "applicant_deadline_at", "applicant_reminded_for", "revision_fields",
    "revision_baseline", "tracking_code_hash", "idempotency_key",
)  # fmt: skip
STEP_COLUMNS = (
    "id", "application_id", "service_step_id", "order", "name", "name_en", "kind",
    "agency_id", "role", "external_system", "parallel_group", "status",
    "assigned_officer_id", "external_reference", "started_at", "finished_at",
    "due_at",
)  # fmt: skip
CHANGE_COLUMNS = (
    "application_id", "from_status", "to_status", "step_id", "action",
    "agency_id", "actor_id", "reason", "created_at",
)  # fmt: skip
DOCUMENT_COLUMNS = (
    "id", "created_at", "updated_at", "uuid", "owner_id", "requirement_code",
    "file", "original_name", "content_type", "size", "sha256",
)  # fmt: skip
LINK_COLUMNS = ("application_id", "document_id", "requirement_code")
BUSINESS_COLUMNS = (
    "created_at", "updated_at", "uuid", "name", "nib", "npwp", "created_by_id",
)  # fmt: skip
MEMBERSHIP_COLUMNS = (
    "created_at", "updated_at", "business_id", "user_id", "role", "confirmed_at",
    "confirmed_by_id", "ended_at",
)  # fmt: skip
OFFICER_COLUMNS = (
    "created_at", "updated_at", "user_id", "role", "agency_id", "office_id",
    "employee_number", "is_active",
)  # fmt: skip
_TYPES = [("application/pdf", "pdf")] * 7 + [("image/jpeg", "jpg")] * 2
_TYPES += [("image/png", "png")]


def tracking_code(seed: int) -> str:
    """The tracking code of every application generated with ``seed``
    (``XXXX-XXXX-XXXX``, as ``permits.services.application_submit`` issues)."""
    digest = hashlib.sha256(f"ptsp-datagen:{seed}".encode()).hexdigest()[:12]
    return "-".join(digest[i : i + 4] for i in range(0, 12, 4)).upper()


# --- working time -----------------------------------------------------------------


def working_deadline(start: dt.datetime, value: int, unit: str) -> dt.datetime:
    """``start`` plus ``value`` working days (the end, 15:00 WIB, of the
    ``value``-th Mon-Fri day after ``start``'s) or working hours (inside
    08:00-15:00 WIB, Mon-Fri); holidays ignored (assumption: the SLA engine
    knows them, generated data need not)."""
    local = start.astimezone(WIB)
    if unit == SlaUnit.WORKING_HOURS:
        left = dt.timedelta(hours=value)
        while True:
            if local.weekday() < 5 and 8 <= local.hour < 15:
                close = local.replace(hour=15, minute=0, second=0, microsecond=0)
                if local + left <= close:
                    return (local + left).astimezone(dt.UTC)
                left -= close - local
            nxt = (local + dt.timedelta(days=1)).replace(
                hour=8, minute=0, second=0, microsecond=0
            )
            if local.hour < 8 and local.weekday() < 5:
                nxt = local.replace(hour=8, minute=0, second=0, microsecond=0)
            local = nxt
    day = local.date()
    counted = 0
    while counted < max(1, value):
        day += dt.timedelta(days=1)
        if day.weekday() < 5:
            counted += 1
    return dt.datetime.combine(day, dt.time(15), tzinfo=WIB).astimezone(dt.UTC)


# --- plans ------------------------------------------------------------------------


@dataclass(frozen=True)
class _Step:
    service_step_id: int
    order: int
    name: str
    name_en: str
    kind: str
    agency_id: int | None
    role: str
    external_system: str
    parallel_group: str
    sla: tuple[int, str] | None


@dataclass(frozen=True)
class _Plan:
    service_id: int
    version_id: int
    code: str
    category: str
    requirements: tuple[str, ...]
    leading: tuple[_Step, ...]  # applicant steps done by the submission
    groups: tuple[tuple[_Step, ...], ...]  # then activated group by group
    sla: tuple[int, str]
    subject: str  # "", "birth", "death" or "family"
    business: float  # chance that an application is filed for a business


def _plan(service) -> _Plan:
    version = service.current_version
    steps = [
        _Step(
            s.pk,
            s.order,
            s.name,
            s.name_en,
            s.kind,
            s.agency_id,
            s.role,
            s.external_system,
            s.parallel_group,
            (s.sla_value, s.sla_unit) if s.sla_value else None,
        )
        for s in ServiceStep.objects.filter(version=version).order_by("order", "pk")
    ]
    leading = []
    while steps and steps[0].kind == StepKind.APPLICANT:
        leading.append(steps.pop(0))
    groups: list[tuple[_Step, ...]] = []
    for step in steps:
        if (
            step.parallel_group
            and groups
            and groups[-1][0].parallel_group == (step.parallel_group)
        ):
            groups[-1] = (*groups[-1], step)
        else:
            groups.append((step,))
    subject = ""
    if service.category == ServiceCategory.CIVIL_REGISTRATION:
        subject = (
            "birth"
            if "kelahiran" in service.code
            else "death"
            if "kematian" in service.code
            else "family"
        )
    return _Plan(
        service_id=service.pk,
        version_id=version.pk,
        code=service.code,
        category=service.category,
        requirements=tuple(
            r.get("code", "") for r in version.requirements if r.get("code")
        ),
        leading=tuple(leading),
        groups=tuple(groups),
        sla=(version.sla_value, version.sla_unit),
        subject=subject,
        business={ApplicantType.BUSINESS: 1.0, ApplicantType.BOTH: 0.5}.get(
            service.applicant_type, 0.0
        ),
    )


# --- one application's story -------------------------------------------------------


class _Stop(Exception):
    """The story reached ``until`` (or the withdrawal)."""


@dataclass
class _Story:
    """One application's rows, built by ``_Simulation.story``."""

    app_id: int
    plan: _Plan
    applicant: int
    created: dt.datetime
    limit: dt.datetime
    status: str = S.DRAFT
    version: int = 1
    updated: dt.datetime | None = None
    submitted: dt.datetime | None = None
    decided: dt.datetime | None = None
    due: dt.datetime | None = None
    deadline: dt.datetime | None = None
    revision: list = field(default_factory=list)
    baseline: dict = field(default_factory=dict)
    steps: list = field(default_factory=list)  # mutable lists of STEP_COLUMNS
    changes: list = field(default_factory=list)
    documents: dict = field(default_factory=dict)  # requirement -> document id
    subject: dict | None = None
    business: int | None = None
    reference: str | None = None
    idempotency: str = ""
    revised: bool = False  # at most one revision request per application

    def at(self, when: dt.datetime) -> dt.datetime:
        """``when``, unless the story ends before it (raises ``_Stop``)."""
        if when >= self.limit:
            raise _Stop
        self.updated = max(self.updated or when, when)
        return when

    def change(self, when, to, *, step=None, action="", actor=None, reason=""):
        self.changes.append(
            (
                self.app_id,
                self.status,
                to,
                step[0] if step else None,
                action,
                step[7] if step else None,
                actor,
                reason,
                when,
            )
        )
        moved = self.status != to  # else a step's row in the same status
        self.status = to
        self.version += 1
        if moved and to == S.SUBMITTED:
            self.submitted = when
        if moved and to in (S.APPROVED, S.REJECTED):
            self.decided = when


class _Simulation:
    def __init__(self, context, people, ids, counters) -> None:
        self.context = context
        self.rng = context.rng_for("applications")
        self.plans = {s.pk: _plan(s) for s in context.weights.services}
        self.citizens: list[int] = people["citizens"]
        self.businesses: list[tuple[int, int]] = people.get("businesses", [])
        self.officers: dict[tuple[int, str], list[tuple[int, int]]] = people["officers"]
        self.ids = ids
        self.counters = counters  # WIB year -> last reference number
        self.tracking_hash = make_password(
            tracking_code(context.seed), salt=f"gen{context.seed}tracking"
        )

    def story(self, index: int, count: int) -> _Story:
        rng = self.rng
        context = self.context
        span = context.span.total_seconds()
        created = context.since + dt.timedelta(
            seconds=span * (index + rng.random()) / count
        )
        plan = self.plans[context.weights.pick(rng).pk]
        story = _Story(
            app_id=self.ids["app"].take(),
            plan=plan,
            applicant=rng.choice(self.citizens),
            created=created,
            limit=context.until,
        )
        story.updated = created
        if self.businesses and plan.business and rng.random() < plan.business:
            story.business, story.applicant = rng.choice(self.businesses)
        story.subject = self._subject(plan, created)
        withdraw_at = None
        try:
            self._documents(story)
            if rng.random() < P_ABANDONED_DRAFT:
                raise _Stop
            submitted = story.at(
                created + dt.timedelta(minutes=rng.uniform(2, 2 * 24 * 60))
            )
            if rng.random() < P_WITHDRAW:
                withdraw_at = submitted + dt.timedelta(
                    hours=rng.expovariate(1 / 72) + 0.5
                )
                story.limit = min(story.limit, withdraw_at)
            self._submit(story, submitted)
            self._work(story)
        except _Stop:
            pass
        if (
            withdraw_at is not None
            and withdraw_at < context.until
            and story.status in (S.SUBMITTED, S.IN_PROGRESS, S.WAITING_FOR_APPLICANT)
        ):
            story.limit = context.until
            story.at(withdraw_at)
            self._close_steps(story, withdraw_at)
            story.change(withdraw_at, S.WITHDRAWN, actor=story.applicant)
            story.deadline = None
        if story.status == S.DRAFT:
            # Drafts have uploaded some of their documents only.
            keep = rng.randrange(len(story.documents) + 1) if story.documents else 0
            story.documents = dict(list(story.documents.items())[:keep])
        return story

    def _subject(self, plan: _Plan, created: dt.datetime):
        rng = self.rng
        if not plan.subject or rng.random() >= P_SUBJECT:
            return None
        if plan.subject == "birth":
            born = (created - dt.timedelta(days=rng.randrange(1, 60))).date()
            return {
                "full_name": full_name(rng),
                "relationship": "child",
                "birth_date": born.isoformat(),
                "birth_place": "Kota Tangerang",
                "nik": "",
                "death_date": None,
            }
        born = birth_date(rng, created, youngest=20, oldest=85)
        died = None
        if plan.subject == "death":
            died = (created - dt.timedelta(days=rng.randrange(1, 90))).date()
        return {
            "full_name": full_name(rng),
            "relationship": rng.choice(["parent", "spouse", "sibling", "other_family"]),
            "birth_date": born.isoformat(),
            "birth_place": rng.choice(["Kota Tangerang", "Jakarta", "Serang"]),
            "nik": "",
            "death_date": died.isoformat() if died else None,
        }

    def _documents(self, story: _Story) -> None:
        for code in story.plan.requirements:
            story.documents[code] = self.ids["doc"].take()

    def _submit(self, story: _Story, at: dt.datetime) -> None:
        rng = self.rng
        plan = story.plan
        year = at.astimezone(WIB).year
        self.counters[year] = self.counters.get(year, 0) + 1
        story.reference = f"PTSP-{year}-{self.counters[year]:06d}"
        story.idempotency = f"{rng.getrandbits(128):032x}"
        story.due = working_deadline(at, *plan.sla)
        for step in plan.leading:
            story.steps.append(self._step_row(story, step, StepStatus.DONE, at, at))
        story.change(at, S.SUBMITTED, actor=story.applicant)

    def _step_row(self, story, step: _Step, status, started=None, finished=None):
        return [
            self.ids["step"].take(),
            story.app_id,
            step.service_step_id,
            step.order,
            step.name,
            step.name_en,
            step.kind,
            step.agency_id,
            step.role,
            step.external_system,
            step.parallel_group,
            status,
            None,
            "",
            started,
            finished,
            None,
        ]

    def _officer(self, step: _Step) -> tuple[int, int] | tuple[None, None]:
        pool = self.officers.get((step.agency_id, step.role))
        return self.rng.choice(pool) if pool else (None, None)

    def _work(self, story: _Story) -> None:
        """Activate the groups in turn until the end of the story or ``until``,
        recording what the portal's services record (``permits.services``):
        every step completion a history row (the first one moves a submitted
        application in progress), the approver's step the approval, the
        steps after it run while approved, then issued or completed."""
        rng = self.rng
        plan = story.plan
        rows = {}
        for group in plan.groups:
            for step in group:
                row = self._step_row(story, step, StepStatus.PENDING)
                rows[step.service_step_id] = row
                story.steps.append(row)
        agency_steps = sum(1 for g in plan.groups for s in g if s.agency_id) or 1
        budget = (story.due - story.submitted) / agency_steps
        rejecting = None
        if rng.random() < P_REJECT:
            deciders = [
                s
                for g in plan.groups
                for s in g
                if s.role in ("verifier", "approver", "technical_reviewer")
            ]
            rejecting = rng.choice(deciders) if deciders else None
        now = story.submitted
        last_actor = story.applicant
        for group in plan.groups:
            ends = []
            applicant = group[0].kind == StepKind.APPLICANT
            for step in group:
                row = rows[step.service_step_id]
                row[11] = StepStatus.ACTIVE
                row[14] = now
                row[16] = working_deadline(now, *step.sla) if step.sla else story.due
            waits = applicant and story.status in (S.SUBMITTED, S.IN_PROGRESS)
            if waits:
                story.change(
                    now,
                    S.WAITING_FOR_APPLICANT,
                    step=rows[group[0].service_step_id],
                    reason=group[0].name,
                )
            for step in group:
                row = rows[step.service_step_id]
                end, actor = self._finish(story, step, row, now, budget, rejecting)
                ends.append(end)
                last_actor = actor or last_actor
                if story.status == S.REJECTED:
                    return
            now = max(ends)
            if waits:
                story.change(now, S.IN_PROGRESS, actor=story.applicant)
        story.at(now)
        if story.status != S.APPROVED:  # no approver step: the last one approves
            if story.status == S.SUBMITTED:
                story.change(now, S.IN_PROGRESS, actor=last_actor)
            story.change(now, S.APPROVED, actor=last_actor)
        issued = story.at(now + dt.timedelta(seconds=rng.uniform(2, 120)))
        final = S.ISSUED if plan.category == ServiceCategory.PERMIT else S.COMPLETED
        story.change(issued, final, actor=last_actor)

    def _finish(self, story, step: _Step, row, start, budget, rejecting):
        """Run ``step`` from ``start`` to its end (raises ``_Stop`` at the
        limit, leaving it active); returns ``(end, acting user id)``."""
        rng = self.rng
        officer, user = self._officer(step) if step.agency_id else (None, None)
        if step.kind == StepKind.APPLICANT:
            end = start + dt.timedelta(hours=rng.uniform(1, 240))
        elif step.kind == StepKind.EXTERNAL_SYSTEM:
            end = start + dt.timedelta(hours=rng.uniform(1, 72))
        else:
            took = budget * rng.lognormvariate(-0.7, 0.7)
            end = _office_hours(start + max(dt.timedelta(minutes=10), took), rng)
            # Picked up by an officer soon after it became active.
            claimed = start + (end - start) * rng.uniform(0.05, 0.5)
            if officer is not None and claimed < story.limit:
                row[12] = officer
            if (
                story.status in (S.SUBMITTED, S.IN_PROGRESS)
                and step.role in ("front_office", "verifier")
                and not story.revised
                and rng.random() < P_REVISION
            ):
                story.revised = True
                end = self._revision(story, step, row, start, end, user)
        story.at(end)
        row[15] = end
        if step.agency_id:
            row[12] = officer
        open_for_officers = story.status in (S.SUBMITTED, S.IN_PROGRESS)
        if step is rejecting and open_for_officers:
            row[11] = StepStatus.SKIPPED  # runs again if an objection is granted
            self._close_steps(story, end)
            story.change(
                end,
                S.REJECTED,
                step=row,
                action=StepAction.REJECT,
                actor=user,
                reason="Persyaratan tidak terpenuhi.",
            )
            story.deadline = None
            return end, user
        row[11] = StepStatus.DONE
        if step.kind == StepKind.EXTERNAL_SYSTEM:
            row[13] = f"{step.external_system[:20]}-{rng.getrandbits(40):010X}"
        if step.kind == StepKind.APPLICANT:
            return end, None
        if step.role == "approver" and open_for_officers:
            if story.status == S.SUBMITTED:
                story.change(end, S.IN_PROGRESS, step=row, actor=user)
            story.change(
                end, S.APPROVED, step=row, action=StepAction.APPROVE, actor=user
            )
            return end, user
        action = (
            StepAction.RECORD_EXTERNAL
            if step.kind == StepKind.EXTERNAL_SYSTEM
            else StepAction.COMPLETE
        )
        to = S.IN_PROGRESS if story.status == S.SUBMITTED else story.status
        story.change(end, to, step=row, action=action, actor=user)
        return end, user

    def _revision(self, story, step, row, start, end, user) -> dt.datetime:
        """A revision request inside the step: waiting, then back (or lapsed).
        Returns the step's new end."""
        rng = self.rng
        asked = _office_hours(start + (end - start) * rng.uniform(0.1, 0.6), rng)
        story.at(asked)
        code = rng.choice(story.plan.requirements) if story.plan.requirements else ""
        story.revision = [code] if code else []
        story.baseline = {
            "fields": {},
            "documents": {code: story.documents[code]} if code else {},
        }
        story.deadline = asked + dt.timedelta(days=REVISION_DAYS)
        story.change(
            asked,
            S.WAITING_FOR_APPLICANT,
            step=row,
            action=StepAction.REQUEST_REVISION,
            actor=user,
            reason="Dokumen kurang jelas; mohon unggah ulang.",
        )
        if rng.random() < P_LAPSE:
            lapsed = story.at(story.deadline + dt.timedelta(minutes=rng.uniform(1, 60)))
            self._close_steps(story, lapsed)
            story.change(lapsed, S.LAPSED)
            raise _Stop
        answered = story.at(asked + dt.timedelta(hours=rng.uniform(1, 13 * 24)))
        # The resubmitted document replaces the flagged one.
        if code:
            story.documents[code] = self.ids["doc"].take()
        story.revision, story.baseline, story.deadline = [], {}, None
        story.change(answered, S.IN_PROGRESS, actor=story.applicant)
        paused = answered - asked
        story.due += paused
        if row[16] is not None:
            row[16] += paused
        return _office_hours(end + paused, rng)

    @staticmethod
    def _close_steps(story: _Story, at: dt.datetime) -> None:
        for row in story.steps:
            if row[11] in (StepStatus.ACTIVE, StepStatus.PENDING):
                row[11] = StepStatus.SKIPPED


# --- rows --------------------------------------------------------------------------


def _application_row(story: _Story, simulation: _Simulation) -> tuple:
    rng = simulation.rng
    submitted = story.status != S.DRAFT
    return (
        story.app_id,
        story.created,
        story.updated,
        uuid.UUID(int=rng.getrandbits(128), version=4),
        story.reference,
        story.plan.service_id,
        story.plan.version_id,
        story.applicant,
        story.business,
        story.subject,
        {},
        story.status,
        story.version,
        story.submitted,
        story.decided,
        story.due if submitted else None,
        story.deadline if story.status == S.WAITING_FOR_APPLICANT else None,
        None,
        story.revision if story.status == S.WAITING_FOR_APPLICANT else [],
        story.baseline if story.status == S.WAITING_FOR_APPLICANT else {},
        simulation.tracking_hash if story.reference else "",
        story.idempotency,
    )


def _document_rows(story: _Story, simulation: _Simulation):
    rng = simulation.rng
    for code, document_id in story.documents.items():
        content_type, extension = rng.choice(_TYPES)
        at = story.created + dt.timedelta(seconds=rng.uniform(15, 900))
        name = uuid.UUID(int=rng.getrandbits(128), version=4)
        yield (
            (
                document_id,
                at,
                at,
                name,
                story.applicant,
                code,
                f"generated/{at:%Y/%m}/{name.hex}.{extension}",
                f"{code[:60]}.{extension}",
                content_type,
                rng.randrange(80_000, 4_000_000),
                f"{rng.getrandbits(256):064x}",
            ),
            (story.app_id, document_id, code),
        )


# --- people --------------------------------------------------------------------------


def _make_people(context: GenerationContext, applications: int) -> dict:
    """Citizens (about one per three applications) and officers per agency and
    role of the catalogue's steps; returns ``{"citizens": [user id…],
    "officers": {(agency id, role): [(officer id, user id)…]}}``."""
    rng = context.rng_for("applications-people")
    using = context.using
    weights = context.weights
    share: dict[int, float] = {}
    roles: set[tuple[int, str]] = set()
    for service, weight in zip(weights.services, weights.weights, strict=True):
        for step in ServiceStep.objects.using(using).filter(
            version_id=service.current_version_id, agency__isnull=False
        ):
            roles.add((step.agency_id, step.role or "verifier"))
            share[step.agency_id] = share.get(step.agency_id, 0.0) + (
                weight / weights.cumulative[-1]
            )
    prefix = f"gen{context.seed}-p-"
    specs: list[tuple[str, str, int | None]] = []
    for agency_id, role in sorted(roles):
        n = max(2, round(OFFICERS_PER_SHARE * share[agency_id]))
        for k in range(n):
            specs.append((f"{prefix}o{agency_id}-{role}-{k + 1:02d}", role, agency_id))
    citizens = max(20, applications // 3)
    specs += [(f"{prefix}warga-{k + 1:07d}", "", None) for k in range(citizens)]
    niks = NikMaker(using)
    joined = context.since - dt.timedelta(days=30)
    bar = tqdm(
        total=len(specs),
        desc="applicants and officers",
        unit=" users",
        disable=not context.progress,
    )
    with BulkLoader(
        User._meta.db_table, USER_COLUMNS, using=using, on_batch=bar.update
    ) as loader:
        for username, role, _agency in specs:
            citizen = not role
            # Keyword arguments are evaluated in order: the draws from rng
            # keep the order they had (determinism for a seed).
            loader.add(
                user_row(
                    username=username,
                    staff=not citizen,
                    joined=joined,
                    uid=uuid.UUID(int=rng.getrandbits(128), version=4),
                    full_name=full_name(rng),
                    language="en" if rng.random() < 0.05 else "id",
                    nik=niks.make(rng, born=birth_date(rng, context.since))
                    if citizen
                    else "",
                )
            )
    bar.close()
    ids = dict(
        User.objects.using(using)
        .filter(username__startswith=prefix)
        .values_list("username", "id")
    )
    groups = dict(Group.objects.using(using).values_list("name", "id"))
    with (
        BulkLoader(Officer._meta.db_table, OFFICER_COLUMNS, using=using) as officers,
        BulkLoader(
            User.groups.through._meta.db_table, ("user_id", "group_id"), using=using
        ) as memberships,
    ):
        for username, role, agency_id in specs:
            if role:
                officers.add(
                    (joined, joined, ids[username], role, agency_id, None, "", True)
                )
                if role in groups:
                    memberships.add((ids[username], groups[role]))
    citizen_ids = [ids[u] for u, role, _ in specs if not role]
    businesses = _make_businesses(context, citizen_ids, joined)
    by_user = dict(
        Officer.objects.using(using)
        .filter(user__username__startswith=prefix)
        .values_list("user_id", "id")
    )
    pools: dict[tuple[int, str], list[tuple[int, int]]] = {}
    for username, role, agency_id in specs:
        if role:
            user_id = ids[username]
            pools.setdefault((agency_id, role), []).append((by_user[user_id], user_id))
    return {"citizens": citizen_ids, "officers": pools, "businesses": businesses}


def _make_businesses(context, citizens: list[int], joined) -> list[tuple[int, int]]:
    """One business per ``APPLICANTS_PER_BUSINESS`` citizens, owned by every
    ``APPLICANTS_PER_BUSINESS``-th of them; returns ``[(business id, owner
    user id)…]``."""
    rng = context.rng_for("applications-businesses")
    using = context.using
    taken = set(Business.objects.using(using).values_list("nib", flat=True))
    owners = citizens[::APPLICANTS_PER_BUSINESS]
    nibs = []
    with BulkLoader(Business._meta.db_table, BUSINESS_COLUMNS, using=using) as loader:
        for owner in owners:
            nib = f"{rng.randrange(10**12, 10**13)}"
            while nib in taken:
                nib = f"{rng.randrange(10**12, 10**13)}"
            taken.add(nib)
            nibs.append(nib)
            name = (
                f"{rng.choice(BUSINESS_FORMS)} {rng.choice(BUSINESS_WORDS)} "
                f"{rng.choice(BUSINESS_WORDS)}"
            )
            npwp = f"{rng.randrange(10**14, 10**15)}" if rng.random() < 0.8 else ""
            loader.add(
                (
                    joined,
                    joined,
                    uuid.UUID(int=rng.getrandbits(128), version=4),
                    name,
                    nib,
                    npwp,
                    owner,
                )
            )
    by_nib = dict(
        Business.objects.using(using).filter(nib__in=nibs).values_list("nib", "id")
    )
    pairs = [(by_nib[nib], owner) for nib, owner in zip(nibs, owners, strict=True)]
    with BulkLoader(
        BusinessMembership._meta.db_table, MEMBERSHIP_COLUMNS, using=using
    ) as loader:
        for business, owner in pairs:
            loader.add((joined, joined, business, owner, "owner", joined, None, None))
    return pairs


def _reference_counters(using: str) -> dict[int, int]:
    return dict(
        ReferenceCounter.objects.using(using).values_list("year", "last_number")
    )


def _save_counters(using: str, counters: dict[int, int]) -> None:
    """Move each year's counter past the generated references (live
    submissions continue after them)."""
    with (
        audit_actor(system="system:generate_data"),
        transaction.atomic(using=using),
    ):
        for year, last in counters.items():
            counter, _ = ReferenceCounter.objects.using(using).get_or_create(year=year)
            if counter.last_number < last:
                counter.last_number = last
                counter.save(update_fields=["last_number"])


@register("applications", help="Applications with steps, history and documents.")
def generate_applications(context: GenerationContext, count: int) -> str:
    """Write ``count`` applications and everything they imply (see the module)."""
    started = time.perf_counter()
    using = context.using
    people = _make_people(context, count)
    ids = {
        "app": IdPool(Application._meta.db_table, using=using),
        "step": IdPool(ApplicationStep._meta.db_table, using=using),
        "doc": IdPool(ApplicationDocument._meta.db_table, using=using),
    }
    counters = _reference_counters(using)
    simulation = _Simulation(context, people, ids, counters)
    loaders = [
        BulkLoader(Application._meta.db_table, APPLICATION_COLUMNS, using=using),
        BulkLoader(ApplicationStep._meta.db_table, STEP_COLUMNS, using=using),
        BulkLoader(StatusChange._meta.db_table, CHANGE_COLUMNS, using=using),
        BulkLoader(ApplicationDocument._meta.db_table, DOCUMENT_COLUMNS, using=using),
        BulkLoader(ApplicationDocumentLink._meta.db_table, LINK_COLUMNS, using=using),
    ]
    for loader in loaders:
        loader.batch_rows = 1 << 62  # flushed together, chunk by chunk
    apps, steps, changes, documents, links = loaders
    statuses: dict[str, int] = {}
    bar = tqdm(
        total=count, desc="applications", unit=" apps", disable=not context.progress
    )
    for index in range(count):
        story = simulation.story(index, count)
        statuses[story.status] = statuses.get(story.status, 0) + 1
        apps.add(_application_row(story, simulation))
        for row in story.steps:
            steps.add(row)
        for row in story.changes:
            changes.add(row)
        for document, link in _document_rows(story, simulation):
            documents.add(document)
            links.add(link)
        if (index + 1) % CHUNK == 0 or index + 1 == count:
            for loader in loaders:  # parents first: foreign keys hold per commit
                loader.flush()
            bar.update((index + 1) - bar.n)
    bar.close()
    _save_counters(using, counters)
    _analyze(using)
    seconds = time.perf_counter() - started
    mix = ", ".join(f"{statuses[k]:,} {k}" for k in sorted(statuses))
    return (
        f"{count:,} applications ({mix}; {steps.written:,} steps, "
        f"{changes.written:,} status changes, {documents.written:,} documents) "
        f"in {seconds:.0f} s ({count / max(seconds, 1e-9):,.0f}/s)"
    )


def _analyze(using: str) -> None:
    connection = connections[using]
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        for model in (Application, ApplicationStep, StatusChange, ApplicationDocument):
            cursor.execute(f'ANALYZE "{model._meta.db_table}"')

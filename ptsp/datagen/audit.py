"""``--audit N``: N audit entries as the portal writes them, over two years.

A discrete-event simulation, streamed in time order (a heap of running stories,
so memory stays flat at any N): citizens sign in, create applications for
services drawn by catalogue volume, upload one document per requirement and
submit; the workflow routes each to its agency, whose officers (in office hours,
Mon-Fri 08:00-15:00 WIB) start and complete every agency step, sometimes ask
for a revision, then approve (9 in 10) or reject; payments and permit issuing
are system actors. Around them: failed sign-ins, refused requests and rare
catalogue edits by an administrator. Object ids are application-like
(``permits.application`` with numeric ids, steps, documents, payments).

The actors are real ``accounts.User`` rows made first (about 150 officers,
3 administrators and citizens in proportion to the applications), named
``gen<seed>-…``, so a second run with the same seed stops on their unique
usernames instead of doubling the data. Entries are sealed into the hash chain
except the most recent ``UNSEALED_TAIL`` (about a minute's worth, as beat
leaves them), and each day of the range gets its signed checkpoint at 00:05
WIB, as the daily task makes it.
"""

import heapq
import ipaddress
import itertools
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta

from tqdm import tqdm

from accounts.models import User
from agencies.models import ServiceStep
from audit import signing
from audit.checkpoints import checkpoint_message
from audit.models import AuditCheckpoint, AuditEntry, AuditSeal
from audit.sealing import audit_seal

from . import register
from .context import GenerationContext, city_population
from .loading import BulkLoader

UNSEALED_TAIL = 500
OFFICERS = 150
ADMINS = 3
SEAL_WAIT_SECONDS = 300
WIB = timedelta(hours=7)
_CGNAT = int(ipaddress.IPv4Address("100.64.0.0"))  # mobile carriers' shared range
_FIRST = ["Ahmad", "Siti", "Budi", "Dewi", "Rizky", "Nur", "Agus", "Putri", "Andi"]
_LAST = ["Saputra", "Wulandari", "Hidayat", "Lestari", "Pratama", "Sari", "Nugroho"]
_DENIED_PATHS = ["/admin/", "/api/v1/audit/verify/", "/admin/audit/auditentry/"]
ENTRY_COLUMNS = (
    "occurred_at",
    "actor_id",
    "actor_label",
    "actor_role",
    "actor_agency",
    "action",
    "object_type",
    "object_id",
    "changes",
    "reason",
    "ip_address",
    "request_id",
    "caused_by_request",
)
USER_COLUMNS = (
    "password",
    "is_superuser",
    "username",
    "first_name",
    "last_name",
    "email",
    "is_staff",
    "is_active",
    "date_joined",
    "uuid",
    "full_name",
    "preferred_language",
    "nik",  # generated people carry no NIK or phone (personal data)
    "phone",
)


def user_row(
    *,
    username: str,
    staff: bool,
    joined,
    uid: uuid.UUID,
    full_name: str,
    language: str,
    nik: str = "",
) -> tuple:
    """One generated ``accounts.User`` in ``USER_COLUMNS`` order: an unusable
    password (generated people never sign in), ``<username>@example.org``, no
    phone; ``nik`` only for generated residents (``permits.datagen``)."""
    return (
        "!",
        False,
        username,
        "",
        "",
        f"{username}@example.org",
        staff,
        True,
        joined,
        uid,
        full_name,
        language,
        nik,
        "",
    )


@dataclass(frozen=True)
class _Person:
    user_id: int
    label: str
    role: str
    agency: str
    ip: str


@dataclass(frozen=True)
class _Plan:
    """What an application of one service goes through."""

    code: str
    agency: str
    requirements: tuple[str, ...]
    agency_steps: tuple[tuple[str, str], ...]  # (agency code, role)
    paid: bool


class _Simulation:
    """Yields entry rows (tuples of ``ENTRY_COLUMNS``) in time order."""

    def __init__(self, context: GenerationContext, count: int, people) -> None:
        self.rng = context.rng_for("audit")
        self.context = context
        self.count = count
        self.citizens: list[_Person] = people["citizen"]
        self.officers: dict[str, list[_Person]] = people["officer"]
        self.admins: list[_Person] = people["admin"]
        self.plans = {
            s.pk: _plan(s) for s in context.weights.services
        }  # one query per service, once
        self.ids = {name: itertools.count(1) for name in ("app", "doc", "step", "pay")}
        self.service_ids = [s.pk for s in context.weights.services]
        # Arrivals spread the entries over the whole range: 9 in 10 arrivals are
        # applications (``_entries_per_application`` entries each), 1 in 10 one
        # entry of noise.
        per_arrival = 0.9 * _entries_per_application(context, self.plans) + 0.1
        self.arrival_mean = context.span.total_seconds() / max(1.0, count / per_arrival)

    def rows(self) -> Iterator[tuple]:
        rng = self.rng
        heap: list = []
        tie = itertools.count()
        now = self.context.since
        next_arrival = now
        emitted = 0
        while emitted < self.count:
            if heap and heap[0][0] <= next_arrival:
                at, _, row, story = heapq.heappop(heap)
                yield row
                emitted += 1
                self._advance(heap, tie, story)
                continue
            at = next_arrival
            next_arrival = at + timedelta(
                seconds=rng.expovariate(1 / self.arrival_mean)
            )
            story = self._application(at) if rng.random() < 0.9 else self._noise(at)
            self._advance(heap, tie, story)

    @staticmethod
    def _advance(heap, tie, story) -> None:
        step = next(story, None)
        if step is not None:
            heapq.heappush(heap, (step[0], next(tie), step[1], story))

    # --- stories: generators of (time, row...) in increasing time ---------------

    def _application(self, at: datetime) -> Iterator[tuple]:
        rng = self.rng
        service_id = self.context.weights.pick(rng).pk
        plan = self.plans[service_id]
        citizen = rng.choice(self.citizens)
        app = str(next(self.ids["app"]))
        obj = ("permits.application", app)
        yield self._row(at, citizen, "auth.login", ("accounts.user", citizen.user_id))
        at += timedelta(seconds=rng.uniform(20, 300))
        yield self._row(
            at,
            citizen,
            "application.create",
            obj,
            {"service": [None, plan.code], "status": [None, "draft"]},
        )
        for requirement in plan.requirements:
            at += timedelta(seconds=rng.uniform(15, 900))
            yield self._row(
                at,
                citizen,
                "document.upload",
                ("permits.applicationdocument", next(self.ids["doc"])),
                {
                    "application": [None, int(app)],
                    "requirement": [None, requirement],
                    "size": [None, rng.randrange(80_000, 4_000_000)],
                },
            )
        at += timedelta(minutes=rng.uniform(2, 2 * 24 * 60))
        yield self._row(
            at,
            citizen,
            "application.submit",
            obj,
            {"status": ["draft", "submitted"], "version": [1, 2]},
        )
        workflow = self._system("system:application_route_task")
        at += timedelta(seconds=rng.uniform(1, 10))
        yield self._row(
            at, workflow, "application.route", obj, {"agency": [None, plan.agency]}
        )
        version, revised = 2, False
        for agency, role in plan.agency_steps:
            officer = rng.choice(self.officers[agency])
            step = ("permits.applicationstep", next(self.ids["step"]))
            at = _office_hours(at + timedelta(hours=rng.uniform(0.2, 20)), rng)
            yield self._row(
                at,
                officer,
                "step.start",
                step,
                {"status": ["pending", "in_progress"], "role": [None, role]},
            )
            if not revised and rng.random() < 0.12:
                revised = True
                version += 1
                at = _office_hours(at + timedelta(hours=rng.uniform(0.2, 6)), rng)
                yield self._row(
                    at,
                    officer,
                    "application.revision_requested",
                    obj,
                    {
                        "status": ["in_progress", "waiting"],
                        "version": [version - 1, version],
                    },
                    reason="Dokumen kurang jelas; unggah ulang.",
                )
                at += timedelta(hours=rng.uniform(1, 96))
                yield self._row(
                    at, citizen, "auth.login", ("accounts.user", citizen.user_id)
                )
                version += 1
                at += timedelta(minutes=rng.uniform(2, 30))
                yield self._row(
                    at,
                    citizen,
                    "application.resubmitted",
                    obj,
                    {
                        "status": ["waiting", "in_progress"],
                        "version": [version - 1, version],
                    },
                )
            at = _office_hours(at + timedelta(hours=rng.uniform(0.3, 12)), rng)
            yield self._row(
                at, officer, "step.complete", step, {"status": ["in_progress", "done"]}
            )
        if plan.paid:
            at += timedelta(hours=rng.uniform(0.5, 48))
            yield self._row(
                at,
                self._system("system:payment_callback_task"),
                "payment.received",
                ("fees.payment", next(self.ids["pay"])),
                {"application": [None, int(app)], "status": ["due", "paid"]},
            )
        decider = rng.choice(self.officers[plan.agency])
        at = _office_hours(at + timedelta(hours=rng.uniform(0.2, 8)), rng)
        approved = rng.random() < 0.9
        yield self._row(
            at,
            decider,
            "application.approve" if approved else "application.reject",
            obj,
            {
                "status": ["in_progress", "approved" if approved else "rejected"],
                "version": [version, version + 1],
            },
            reason="" if approved else "Persyaratan tidak terpenuhi.",
        )
        if approved:
            at += timedelta(seconds=rng.uniform(2, 120))
            yield self._row(
                at,
                self._system("system:permit_issue_task"),
                "permit.issue",
                ("permits.permit", app),
                {
                    "application": [None, int(app)],
                    "number": [None, f"{plan.code}/{app}"],
                },
            )

    def _noise(self, at: datetime) -> Iterator[tuple]:
        """What happens around the applications: failed sign-ins, refused
        requests, and now and then a catalogue edit by an administrator."""
        rng = self.rng
        draw = rng.random()
        if draw < 0.03:
            admin = rng.choice(self.admins)
            yield self._row(
                _office_hours(at, rng),
                admin,
                "service.update",
                ("agencies.service", rng.choice(self.service_ids)),
                {"fee_rule": ["(lama)", "(baru)"]},
                reason="Pembaruan standar pelayanan.",
            )
        elif draw < 0.4:
            anonymous = _Person(0, "anonymous", "", "", _ip(rng))
            yield self._row(
                at,
                anonymous,
                "access.denied",
                ("http.path", rng.choice(_DENIED_PATHS)),
                {"method": [None, "GET"], "status": [None, 403]},
            )
        else:
            citizen = rng.choice(self.citizens)
            yield self._row(
                at,
                _Person(0, "anonymous", "", "", citizen.ip),
                "auth.login_failed",
                ("accounts.user", citizen.user_id),
            )

    def _system(self, name: str) -> _Person:
        return _Person(0, name, "", "", "")

    def _row(
        self,
        at: datetime,
        actor: _Person,
        action: str,
        obj: tuple[str, object],
        changes: dict | None = None,
        *,
        reason: str = "",
    ) -> tuple:
        rng = self.rng
        request_id = f"{rng.getrandbits(128):032x}"
        system = actor.label.startswith("system:")
        return (
            at,
            (
                at,
                actor.user_id or None,
                actor.label,
                actor.role,
                actor.agency,
                action,
                obj[0],
                str(obj[1]),
                changes or {},
                reason,
                actor.ip or None,
                "" if system else request_id,
                request_id if system else "",
            ),
        )


def _entries_per_application(context: GenerationContext, plans: dict) -> float:
    """The expected number of entries of one application story, over the
    services' weights (see ``_Simulation._application``)."""
    total = 0.0
    for service, weight in zip(
        context.weights.services, context.weights.weights, strict=True
    ):
        plan = plans[service.pk]
        steps = len(plan.agency_steps)
        revision = 3 * (1 - 0.88**steps)  # requested, sign-in, resubmitted
        total += weight * (
            5 + len(plan.requirements) + 2 * steps + revision + plan.paid + 0.9
        )
    return total / context.weights.cumulative[-1]


def _office_hours(at: datetime, rng) -> datetime:
    """``at``, or the next office opening (Mon-Fri 08:00-15:00 WIB) plus a
    little; holidays are ignored (the SLA engine knows them, data need not)."""
    local = at + WIB
    while True:
        if local.weekday() < 5 and 8 <= local.hour < 15:
            return local - WIB
        opening = local.replace(hour=8, minute=0, second=0, microsecond=0)
        if local.hour >= 8:
            opening += timedelta(days=1)
        local = opening + timedelta(minutes=rng.uniform(0, 90))


def _ip(rng) -> str:
    return str(ipaddress.IPv4Address(_CGNAT + rng.randrange(1 << 22)))


def _plan(service) -> _Plan:
    version = service.current_version
    steps = ServiceStep.objects.filter(version=version).select_related("agency")
    agency_steps = tuple(
        (step.agency.code, step.role or "verifier")
        for step in steps.order_by("order")
        if step.agency_id is not None
    ) or ((service.agency.code, "verifier"),)
    return _Plan(
        code=service.code,
        agency=service.agency.code,
        requirements=tuple(r.get("code", "") for r in version.requirements),
        agency_steps=agency_steps,
        paid=version.fee_type in {"retribusi", "tax", "lease", "contribution"},
    )


def _make_people(context: GenerationContext, applications: int) -> dict:
    """Create the officers, administrators and citizens; return them by kind."""
    rng = context.rng_for("audit-people")
    weights = context.weights
    agencies = sorted(
        {s.agency.code for s in weights.services}
        | {code for s in weights.services for code, _ in _plan(s).agency_steps}
    )
    share = {code: 0.0 for code in agencies}
    for service, weight in zip(weights.services, weights.weights, strict=True):
        share[service.agency.code] += weight / weights.cumulative[-1]
    citizens = max(20, min(city_population(), int(applications * 0.8)))
    prefix = f"gen{context.seed}-"
    joined = context.since - timedelta(days=30)
    specs: list[tuple[str, str, str]] = []  # (username, role, agency)
    for code in agencies:
        for n in range(max(3, round(OFFICERS * share[code]))):
            specs.append((f"{prefix}{code.lower()}-{n + 1:03d}", "officer", code))
    specs += [(f"{prefix}admin-{n + 1}", "admin", "") for n in range(ADMINS)]
    specs += [(f"{prefix}warga-{n + 1:07d}", "citizen", "") for n in range(citizens)]
    bar = tqdm(
        total=len(specs), desc="users", unit=" users", disable=not context.progress
    )
    with BulkLoader(
        User._meta.db_table, USER_COLUMNS, using=context.using, on_batch=bar.update
    ) as loader:
        for username, role, _agency in specs:
            full_name = f"{rng.choice(_FIRST)} {rng.choice(_LAST)}"
            loader.add(
                user_row(
                    username=username,
                    staff=role != "citizen",
                    joined=joined,
                    uid=uuid.UUID(int=rng.getrandbits(128), version=4),
                    full_name=full_name,
                    language="en" if rng.random() < 0.1 else "id",
                )
            )
    bar.close()
    ids = dict(
        User.objects.using(context.using)
        .filter(username__startswith=prefix)
        .values_list("username", "id")
    )
    people: dict = {"citizen": [], "officer": {c: [] for c in agencies}, "admin": []}
    for username, role, agency in specs:
        user_id = ids[username]
        person = _Person(
            user_id,
            f"user:{user_id}",
            "officer" if role == "officer" else ("admin" if role == "admin" else ""),
            agency,
            _ip(rng) if role == "citizen" else f"10.36.71.{rng.randrange(2, 250)}",
        )
        if role == "officer":
            people["officer"][agency].append(person)
        else:
            people[role].append(person)
    return people


@register("audit", help="Audit entries over two years, sealed and checkpointed.")
def generate_audit(context: GenerationContext, count: int) -> str:
    """Write ``count`` entries (and their actors, seals and checkpoints)."""
    started = time.perf_counter()
    plans = {s.pk: _plan(s) for s in context.weights.services}
    applications = count / (_entries_per_application(context, plans) + 0.1)
    people = _make_people(context, applications=max(1, round(applications)))
    simulation = _Simulation(context, count, people)
    bar = tqdm(
        total=count, desc="audit entries", unit=" entries", disable=not context.progress
    )
    with BulkLoader(
        AuditEntry._meta.db_table,
        ENTRY_COLUMNS,
        using=context.using,
        on_batch=bar.update,
    ) as loader:
        for row in simulation.rows():
            loader.add(row)
    bar.close()
    sealed = _seal(context, count)
    checkpoints = _checkpoints(context)
    seconds = time.perf_counter() - started
    return (
        f"{count:,} audit entries ({sealed:,} sealed now, {checkpoints} daily "
        f"checkpoints) in {seconds:.0f} s"
    )


def _seal(context: GenerationContext, count: int) -> int:
    """Seal everything committed except the last ``UNSEALED_TAIL`` entries, with
    the portal's own sealer. Waits (up to ``SEAL_WAIT_SECONDS``) while a
    transaction elsewhere on the server holds sealing back."""
    using = context.using
    unsealed = AuditEntry.objects.using(using).filter(seal__isnull=True).count()
    target = max(0, unsealed - min(UNSEALED_TAIL, count // 10))
    bar = tqdm(total=target, desc="seals", unit=" seals", disable=not context.progress)
    done = 0
    waited_since = None
    while done < target:
        sealed = audit_seal(batch_size=min(5_000, target - done), max_batches=1)
        done += sealed
        bar.update(sealed)
        if sealed:
            waited_since = None
            continue
        waited_since = waited_since or time.monotonic()
        if time.monotonic() - waited_since > SEAL_WAIT_SECONDS:
            bar.close()
            raise TimeoutError(
                "Sealing is held back by a transaction left open on the server "
                "(see audit.sealing); entries are loaded, seal later with "
                "`manage.py audit_seal`."
            )
        time.sleep(0.5)
    bar.close()
    return done


def _checkpoints(context: GenerationContext) -> int:
    """One signed checkpoint per day at 00:05 WIB, covering the last seal whose
    entry occurred before it, numbered after any existing checkpoint. Entries
    outside the generated range (the catalogue's own, written today) move the
    chain on but mark no day."""
    using = context.using
    latest = AuditCheckpoint.objects.using(using).order_by("-number").first()
    number = latest.number if latest else 0
    seals = (
        AuditSeal.objects.using(using)
        .filter(seq__gt=latest.seq if latest else 0)
        .order_by("seq")
        .values_list("seq", "hash", "entry__occurred_at")
    )
    instant = (context.since + WIB).replace(hour=0, minute=5, second=0, microsecond=0)
    instant = instant - WIB + timedelta(days=1)
    made: list[AuditCheckpoint] = []
    last: tuple[int, str] | None = None

    def sign(at: datetime) -> None:
        nonlocal number
        if last is None or (made and made[-1].seq == last[0]):
            return
        number += 1
        message = checkpoint_message(
            number=number, seq=last[0], hash=last[1], created_at=at
        )
        signature, public_key = signing.sign(message)
        made.append(
            AuditCheckpoint(
                number=number,
                seq=last[0],
                hash=last[1],
                created_at=at,
                signature=signature,
                public_key=public_key,
            )
        )

    for seq, digest, occurred in seals.iterator(chunk_size=20_000):
        if context.since <= occurred < context.until:
            while occurred >= instant:
                sign(instant)
                instant += timedelta(days=1)
        last = (seq, digest)
    sign(instant)
    AuditCheckpoint.objects.using(using).bulk_create(made, batch_size=1_000)
    return len(made)

"""The SLA engine's records: per-service policy, the clock ledger, the deadlines
being watched, warnings sent, and formal extensions.

- ``SlaPolicy``: per service, the warning thresholds and the longest extension.
- ``SlaTimer``: one watched deadline: the service SLA of an application
  (``step`` null) or a step's own SLA. Its ``due_at`` is the deadline (aware UTC),
  ``next_check_at`` the next instant at which the beat sweep must look at it
  (a warning threshold or the deadline), indexed.
- ``SlaSegment``: the ledger. Running segments attribute working time to a step
  and its agency; pause segments record why and by whom the clock stopped.
- ``SlaWarning``: a threshold that fired (percent, 100 = breach), once per timer
  and threshold (unique), so two sweeps cannot both send it.
- ``SlaExtension``: a formal extension in working days, approved by the head of
  the agency that owns the service.

Rules: ``sla.worktime`` (package docstring) and ``docs/sla.md``.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from agencies.choices import SlaUnit
from audit.bulk import AuditedManager
from audit.registry import audit_exempt, audited

#: Issue 9: "for example 50 %, 75 %, 90 % of the SLA".
DEFAULT_THRESHOLDS = (50, 75, 90)
#: The breach is recorded as the 100 % threshold.
BREACH = 100


def default_thresholds() -> list[int]:
    return list(DEFAULT_THRESHOLDS)


def validate_thresholds(value) -> None:
    """A list of distinct whole percentages between 1 and 99."""
    if (
        not isinstance(value, list)
        or not all(isinstance(v, int) and 1 <= v <= 99 for v in value)
        or len(set(value)) != len(value)
    ):
        raise ValidationError(
            _("Give distinct whole percentages between 1 and 99, e.g. [50, 75, 90].")
        )


class TimerState(models.TextChoices):
    """Where a watched deadline stands."""

    WAITING = "waiting", _("Waiting for the clock to start")
    RUNNING = "running", _("Running")
    PAUSED = "paused", _("Paused (waiting for the applicant)")
    BREACHED = "breached", _("Overdue")
    MET = "met", _("Finished in time")
    LATE = "late", _("Finished late")
    STOPPED = "stopped", _("Stopped")


#: States in which the clock may still move.
OPEN_STATES = (
    TimerState.WAITING,
    TimerState.RUNNING,
    TimerState.PAUSED,
    TimerState.BREACHED,
)


class SegmentKind(models.TextChoices):
    RUNNING = "running", _("Working time")
    PAUSED = "paused", _("Paused")


class ExtensionStatus(models.TextChoices):
    REQUESTED = "requested", _("Requested")
    APPROVED = "approved", _("Approved")
    REFUSED = "refused", _("Refused")


@audited
class SlaPolicy(models.Model):
    """How a service's SLA is watched (*kebijakan SLA*): warning thresholds in
    percent of the SLA's working time, and the longest formal extension in
    working days (0: none allowed; extensions apply to working-day SLAs only).
    ``service_hours_office`` makes the SLA count that office's service hours
    instead of the agency's working time (issue 9). A service without a policy
    uses 50/75/90 %, the agency's working time and no extension."""

    service = models.OneToOneField(
        "agencies.Service",
        on_delete=models.CASCADE,
        related_name="sla_policy",
        verbose_name=_("service"),
    )
    warning_thresholds = models.JSONField(
        _("warning thresholds (%)"),
        default=default_thresholds,
        validators=[validate_thresholds],
        help_text=_("Percentages of the SLA's working time, e.g. [50, 75, 90]."),
    )
    max_extension_days = models.PositiveSmallIntegerField(
        _("longest extension (working days)"), default=0
    )
    service_hours_office = models.ForeignKey(
        "agencies.Office",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("count this office's service hours"),
        help_text=_(
            "Leave empty to count the agency's working-time calendar. When set, "
            "every day with service hours at this office is a working day."
        ),
    )

    objects = AuditedManager()

    class Meta:
        base_manager_name = "objects"
        verbose_name = _("SLA policy")
        verbose_name_plural = _("SLA policies")

    def __str__(self) -> str:
        return str(self.service)


@audit_exempt(
    "Derived bookkeeping: every field is recomputed from the ledger (audited "
    "SlaSegment rows), the calendar and the service version; the deadline a "
    "citizen sees is mirrored on Application.due_at, whose changes are audited."
)
class SlaTimer(models.Model):
    """A deadline the engine watches (*tenggat SLA*).

    ``step`` null: the service SLA of ``application``; else ``step``'s own SLA.
    ``value`` ``unit``: the SLA (working days or hours) plus ``extension_days``
    granted; ``calendar`` null means the city default hours. ``started_at``: the
    event that started the clock (the clock itself starts at the next working
    instant). ``due_at`` is null while paused with time left; ``remaining`` is the
    working time left when the clock last stopped or resumed. ``next_check_at``:
    the next threshold or the deadline, null when nothing is left to watch.
    """

    application = models.ForeignKey(
        "permits.Application",
        on_delete=models.CASCADE,
        related_name="sla_timers",
        verbose_name=_("application"),
    )
    step = models.OneToOneField(
        "permits.ApplicationStep",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="sla_timer",
        verbose_name=_("step"),
    )
    agency = models.ForeignKey(
        "agencies.Agency",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("agency"),
    )
    calendar = models.ForeignKey(
        "agencies.Calendar",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("calendar"),
    )
    value = models.PositiveIntegerField(_("SLA value"))
    unit = models.CharField(_("SLA unit"), max_length=16, choices=SlaUnit)
    extension_days = models.PositiveSmallIntegerField(
        _("extension (working days)"), default=0
    )
    thresholds = models.JSONField(
        _("warning thresholds (%)"), default=default_thresholds
    )
    state = models.CharField(
        _("state"), max_length=16, choices=TimerState, default=TimerState.WAITING
    )
    started_at = models.DateTimeField(_("clock started by event at"), null=True)
    due_at = models.DateTimeField(_("due at"), null=True, blank=True)
    budget = models.DurationField(_("working time granted"), null=True, blank=True)
    remaining = models.DurationField(_("working time left"), null=True, blank=True)
    is_provisional = models.BooleanField(_("provisional"), default=False)
    next_check_at = models.DateTimeField(_("next check at"), null=True, blank=True)
    breached_at = models.DateTimeField(_("breached at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("SLA deadline")
        verbose_name_plural = _("SLA deadlines")
        ordering = ["due_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["application"],
                condition=Q(step__isnull=True),
                name="sla_one_service_timer_per_application",
            ),
        ]
        indexes = [
            # The sweep reads only what has come due (issue 9, performance).
            models.Index(
                fields=["next_check_at"],
                condition=Q(next_check_at__isnull=False),
                name="sla_timer_next_check",
            ),
            models.Index(fields=["calendar", "state"], name="sla_timer_calendar"),
        ]

    def __str__(self) -> str:
        return f"{self.application_id}/{self.step_id or '-'}: {self.due_at}"

    @property
    def is_open(self) -> bool:
        return self.state in OPEN_STATES


@audited
class SlaSegment(models.Model):
    """One stretch of the ledger (*catatan waktu SLA*): working time on a step
    at an agency (``running``), or a pause of the application's clock with its
    reason and actor (``paused``). ``working_time`` is filled when the segment
    ends: working time of the service's calendar between its two instants."""

    application = models.ForeignKey(
        "permits.Application",
        on_delete=models.CASCADE,
        related_name="sla_segments",
        verbose_name=_("application"),
    )
    step = models.ForeignKey(
        "permits.ApplicationStep",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="sla_segments",
        verbose_name=_("step"),
    )
    agency = models.ForeignKey(
        "agencies.Agency",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("agency"),
    )
    kind = models.CharField(_("kind"), max_length=16, choices=SegmentKind)
    reason = models.CharField(_("reason"), max_length=300, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("actor"),
    )
    started_at = models.DateTimeField(_("from"))
    ended_at = models.DateTimeField(_("until"), null=True, blank=True)
    working_time = models.DurationField(_("working time"), null=True, blank=True)

    objects = AuditedManager()

    class Meta:
        base_manager_name = "objects"
        verbose_name = _("SLA ledger segment")
        verbose_name_plural = _("SLA ledger segments")
        ordering = ["application", "started_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["application"],
                condition=Q(kind="paused", ended_at__isnull=True),
                name="sla_one_open_pause_per_application",
            ),
            models.UniqueConstraint(
                fields=["step"],
                condition=Q(kind="running", ended_at__isnull=True),
                name="sla_one_open_segment_per_step",
            ),
            models.CheckConstraint(
                condition=Q(ended_at__isnull=True)
                | Q(ended_at__gte=models.F("started_at")),
                name="sla_segment_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.started_at}-{self.ended_at or '…'}"


@audit_exempt(
    "Exactly-once marker of a sent warning (insert-only, never changed except "
    "the withdrawal stamp); the notification outbox records each message."
)
class SlaWarning(models.Model):
    """A threshold that fired for a timer (*peringatan SLA*): ``threshold`` in
    percent, 100 for the breach. Unique per (timer, threshold): the database,
    not the sweep, guarantees that each fires once. ``withdrawn_at``: a calendar
    change undid the breach."""

    timer = models.ForeignKey(
        SlaTimer,
        on_delete=models.CASCADE,
        related_name="warnings",
        verbose_name=_("deadline"),
    )
    step = models.ForeignKey(
        "permits.ApplicationStep",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("step"),
    )
    threshold = models.PositiveSmallIntegerField(_("threshold (%)"))
    sent_at = models.DateTimeField(_("sent at"))
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)

    class Meta:
        verbose_name = _("SLA warning")
        verbose_name_plural = _("SLA warnings")
        ordering = ["timer", "threshold"]
        constraints = [
            models.UniqueConstraint(
                fields=["timer", "threshold"], name="sla_warning_once_per_threshold"
            )
        ]

    def __str__(self) -> str:
        return f"{self.timer_id}@{self.threshold}%"


@audited
class SlaExtension(models.Model):
    """A formal extension of an application's deadline (*perpanjangan waktu*),
    in working days, with a reason; requested by an officer of the owning
    agency, approved (or refused) by its head, within the service policy's
    ``max_extension_days`` in total. The extended deadline is the closing time of
    the N-th working day after the WIB date on which the deadline fell."""

    application = models.ForeignKey(
        "permits.Application",
        on_delete=models.CASCADE,
        related_name="sla_extensions",
        verbose_name=_("application"),
    )
    days = models.PositiveSmallIntegerField(
        _("working days"), validators=[MinValueValidator(1)]
    )
    reason = models.TextField(_("reason"))
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=ExtensionStatus,
        default=ExtensionStatus.REQUESTED,
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("requested by"),
    )
    requested_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)

    objects = AuditedManager()

    class Meta:
        base_manager_name = "objects"
        verbose_name = _("SLA extension")
        verbose_name_plural = _("SLA extensions")
        ordering = ["application", "requested_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(days__gte=1), name="sla_extension_positive"
            ),
            models.UniqueConstraint(
                fields=["application"],
                condition=Q(status="requested"),
                name="sla_one_open_extension_request",
            ),
        ]

    def __str__(self) -> str:
        return f"+{self.days} ({self.get_status_display()})"

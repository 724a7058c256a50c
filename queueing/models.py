"""The walk-in queue: service groups with ticket prefixes, counters (*loket*), their
operators, priority groups, tickets (*nomor antrian*) and bookings (*janji temu*).

Times are stored as aware UTC; a ticket's ``local_date`` is its WIB date (the day
changes at 17:00 UTC), which keys the daily numbering.
"""

import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from agencies.text import BilingualNameMixin
from audit.bulk import AuditedManager
from audit.registry import audit_exempt, audited
from ptsp.models import TimeStampedModel

from .choices import (
    ACTIVE_BOOKING_STATUSES,
    ACTIVE_TICKET_STATUSES,
    BookingStatus,
    TicketChannel,
    TicketStatus,
)

prefix_validator = RegexValidator(
    r"^[A-Z]{1,2}$", _("Use one or two capital letters, e.g. A.")
)


@audited
class PriorityGroup(BilingualNameMixin, TimeStampedModel):
    """A group of visitors served before the others (*kelompok prioritas*): the
    elderly (*lansia*), people with disabilities (*penyandang disabilitas*),
    pregnant women (*ibu hamil*).

    Source: UU 25/2009 Pasal 29 (*perlakuan khusus*). Reception staff choose the
    group when they issue the ticket; the kiosk does not offer it (a declared
    priority cannot be checked by a machine). Priority tickets are called before
    ordinary ones, first come first served among themselves.
    """

    code = models.SlugField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("name (Indonesian)"), max_length=100)
    name_en = models.CharField(_("name (English)"), max_length=100, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)

    objects = AuditedManager()

    class Meta:
        base_manager_name = "objects"
        verbose_name = _("priority group")
        verbose_name_plural = _("priority groups")
        ordering = ["sort_order", "code"]

    def __str__(self) -> str:
        return self.display_name


@audited
class ServiceGroup(BilingualNameMixin, TimeStampedModel):
    """Services of one office that share a waiting line and a ticket prefix
    (*kelompok layanan*), e.g. ``A`` for permits, ``B`` for civil registration,
    ``C`` for BPJS.

    Tickets are numbered per office, prefix and WIB day (``A001`` … ``A999``,
    ``A1000``). Online booking offers slots of ``booking_slot_minutes`` inside
    the office's service hours, each for at most ``booking_capacity`` visitors
    (0: no online booking). ``average_service_minutes`` seeds the estimated wait
    until the day has served tickets to measure.
    """

    office = models.ForeignKey(
        "agencies.Office",
        on_delete=models.PROTECT,
        related_name="queue_groups",
        verbose_name=_("office"),
    )
    prefix = models.CharField(
        _("ticket prefix"), max_length=2, validators=[prefix_validator]
    )
    name = models.CharField(_("name (Indonesian)"), max_length=100)
    name_en = models.CharField(_("name (English)"), max_length=100, blank=True)
    services = models.ManyToManyField(
        "agencies.Service",
        blank=True,
        related_name="queue_groups",
        verbose_name=_("services"),
        help_text=_("A service belongs to at most one group of an office."),
    )
    booking_slot_minutes = models.PositiveSmallIntegerField(
        _("booking slot length (minutes)"),
        default=30,
        validators=[MinValueValidator(5), MaxValueValidator(240)],
    )
    booking_capacity = models.PositiveSmallIntegerField(
        _("bookings per slot"),
        default=0,
        help_text=_("0 turns online booking off for this group."),
    )
    average_service_minutes = models.PositiveSmallIntegerField(
        _("typical service time (minutes)"),
        default=10,
        validators=[MinValueValidator(1)],
        help_text=_("Used for the estimated wait until today's tickets show it."),
    )
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)
    is_active = models.BooleanField(_("active"), default=True)

    objects = AuditedManager()

    class Meta:
        base_manager_name = "objects"
        verbose_name = _("service group")
        verbose_name_plural = _("service groups")
        ordering = ["office", "sort_order", "prefix"]
        constraints = [
            models.UniqueConstraint(
                fields=["office", "prefix"], name="service_group_prefix_unique"
            ),
            models.CheckConstraint(
                condition=Q(booking_slot_minutes__gte=5),
                name="service_group_slot_at_least_5_minutes",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.prefix} - {self.display_name}"


@audited
class Counter(TimeStampedModel):
    """A service counter (*loket*) of an office.

    It calls tickets of its ``service_groups``; when ``services`` is not empty,
    only tickets for those services. ``agency`` is the agency that staffs it
    (shown on the board). Its operators are ``CounterOperator`` rows.
    """

    office = models.ForeignKey(
        "agencies.Office",
        on_delete=models.PROTECT,
        related_name="counters",
        verbose_name=_("office"),
    )
    number = models.PositiveSmallIntegerField(
        _("number"), validators=[MinValueValidator(1)]
    )
    name = models.CharField(
        _("name"), max_length=60, blank=True, help_text=_("Default: Counter <number>.")
    )
    agency = models.ForeignKey(
        "agencies.Agency",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="counters",
        verbose_name=_("agency"),
    )
    service_groups = models.ManyToManyField(
        ServiceGroup, related_name="counters", verbose_name=_("service groups")
    )
    services = models.ManyToManyField(
        "agencies.Service",
        blank=True,
        related_name="counters",
        verbose_name=_("only these services"),
        help_text=_("Leave empty to serve every service of its groups."),
    )
    is_active = models.BooleanField(_("active"), default=True)

    objects = AuditedManager()

    class Meta:
        base_manager_name = "objects"
        verbose_name = _("counter")
        verbose_name_plural = _("counters")
        ordering = ["office", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["office", "number"], name="counter_number_unique_in_office"
            )
        ]
        permissions = [
            ("operate_counter", _("Can operate a counter")),
            ("issue_reception_ticket", _("Can issue tickets at reception")),
            ("view_queue_statistics", _("Can view queue statistics")),
        ]

    def __str__(self) -> str:
        if self.name:
            return self.name
        return _("Counter %(number)s") % {"number": self.number}

    @property
    def signage(self) -> str:
        """The name on the sign above the counter, as called aloud and in
        notifications: its name, else ``Loket <number>``."""
        return self.name or f"Loket {self.number}"


@audited
class CounterOperator(models.Model):
    """An officer assigned to work at a counter (*petugas loket*).

    The staff identity is ``accounts.Officer`` (one per user); this row only
    says which counters the officer serves. The officer's user also needs the
    ``queueing.operate_counter`` permission, held by the ``front_office`` role
    group (``accounts.roles``).
    """

    counter = models.ForeignKey(
        Counter,
        on_delete=models.CASCADE,
        related_name="operators",
        verbose_name=_("counter"),
    )
    officer = models.ForeignKey(
        "accounts.Officer",
        on_delete=models.CASCADE,
        related_name="queue_counters",
        verbose_name=_("officer"),
    )

    objects = AuditedManager()

    class Meta:
        base_manager_name = "objects"
        verbose_name = _("counter operator")
        verbose_name_plural = _("counter operators")
        constraints = [
            models.UniqueConstraint(
                fields=["counter", "officer"], name="counter_officer_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.officer.user} @ {self.counter}"


@audited
class OfficeSupervisor(models.Model):
    """An officer who runs an office's queue (*koordinator pelayanan*): issues
    reception tickets and reads its statistics (with the
    ``queueing.view_queue_statistics`` permission). The office's own head
    (``Officer`` with role ``office_head`` and that office) needs no row."""

    office = models.ForeignKey(
        "agencies.Office",
        on_delete=models.CASCADE,
        related_name="queue_supervisors",
        verbose_name=_("office"),
    )
    officer = models.ForeignKey(
        "accounts.Officer",
        on_delete=models.CASCADE,
        related_name="queue_offices",
        verbose_name=_("officer"),
    )

    objects = AuditedManager()

    class Meta:
        base_manager_name = "objects"
        verbose_name = _("office supervisor")
        verbose_name_plural = _("office supervisors")
        constraints = [
            models.UniqueConstraint(
                fields=["office", "officer"], name="office_supervisor_officer_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.officer.user} @ {self.office}"


@audit_exempt(
    "Number counter per office, prefix and WIB day: a technical sequence, "
    "not a business change; each issued ticket is audited."
)
class DailySequence(models.Model):
    """The last ticket number given per office, prefix and WIB day (*nomor urut
    harian*). ``ticket_issue`` locks the row (``SELECT … FOR UPDATE``), so numbers
    strictly increase under concurrent issuing; a new day starts a new row."""

    office = models.ForeignKey(
        "agencies.Office",
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("office"),
    )
    prefix = models.CharField(_("prefix"), max_length=2)
    local_date = models.DateField(_("date (WIB)"))
    last_number = models.PositiveIntegerField(_("last number"), default=0)

    class Meta:
        verbose_name = _("daily ticket sequence")
        verbose_name_plural = _("daily ticket sequences")
        constraints = [
            models.UniqueConstraint(
                fields=["office", "prefix", "local_date"],
                name="daily_sequence_unique",
            )
        ]

    def __str__(self) -> str:
        return f"{self.office_id} {self.prefix} {self.local_date}: {self.last_number}"


@audited
class QueueTicket(models.Model):
    """A queue ticket (*nomor antrian*), e.g. ``A012``.

    ``number`` is kept through transfers; ``group`` and ``service`` are where the
    ticket waits now. ``queued_at`` orders the line (the issue time; a transfer
    keeps it, so the visitor does not start again at the back). A checked-in
    booking gives ``window_starts_at``/``window_ends_at``: inside that window the
    ticket is called first. ``nik_hash`` is an HMAC-SHA256 of the NIK
    (``QUEUE_NIK_HASH_KEY``), never the NIK: one active ticket per NIK, service
    and day (constraint below). Durations are whole seconds of calendar time.

    ``application_reference`` is plain text for now (``PTSP-2026-000123``); the
    applications issue turns it into a link to the application.
    """

    uuid = models.UUIDField(_("UUID"), default=uuid.uuid4, unique=True, editable=False)
    office = models.ForeignKey(
        "agencies.Office",
        on_delete=models.PROTECT,
        related_name="queue_tickets",
        verbose_name=_("office"),
    )
    group = models.ForeignKey(
        ServiceGroup,
        on_delete=models.PROTECT,
        related_name="tickets",
        verbose_name=_("service group"),
    )
    service = models.ForeignKey(
        "agencies.Service",
        on_delete=models.PROTECT,
        related_name="queue_tickets",
        verbose_name=_("service"),
    )
    priority = models.ForeignKey(
        PriorityGroup,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="tickets",
        verbose_name=_("priority group"),
    )
    prefix = models.CharField(_("prefix"), max_length=2, editable=False)
    sequence = models.PositiveIntegerField(_("sequence"), editable=False)
    number = models.CharField(_("number"), max_length=12, editable=False)
    local_date = models.DateField(_("date (WIB)"), editable=False)
    channel = models.CharField(
        _("issued through"), max_length=16, choices=TicketChannel, editable=False
    )
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=TicketStatus,
        default=TicketStatus.WAITING,
        editable=False,
    )
    nik_hash = models.CharField(
        _("NIK (keyed hash)"), max_length=64, blank=True, editable=False
    )
    citizen = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        # PROTECT: accounts with records are closed, never deleted; a SET_NULL
        # cascade would also be a bulk update around the audit trail.
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="queue_tickets",
        verbose_name=_("citizen account"),
        help_text=_("Receives the turn-near notification."),
    )
    application_reference = models.CharField(
        _("application reference"),
        max_length=32,
        blank=True,
        help_text=_("Application the visitor comes for, e.g. PTSP-2026-000123."),
    )
    counter = models.ForeignKey(
        Counter,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="tickets",
        verbose_name=_("counter"),
        help_text=_("The counter that called or serves the ticket."),
    )
    target_counter = models.ForeignKey(
        Counter,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("transferred to counter"),
    )
    issued_at = models.DateTimeField(_("issued at"), default=timezone.now)
    queued_at = models.DateTimeField(_("in line since"), default=timezone.now)
    window_starts_at = models.DateTimeField(
        _("booking window from"), null=True, blank=True
    )
    window_ends_at = models.DateTimeField(_("booking window to"), null=True, blank=True)
    first_called_at = models.DateTimeField(_("first called at"), null=True, blank=True)
    called_at = models.DateTimeField(_("last called at"), null=True, blank=True)
    started_at = models.DateTimeField(_("service started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    recall_count = models.PositiveSmallIntegerField(_("recalls"), default=0)
    transfer_count = models.PositiveSmallIntegerField(_("transfers"), default=0)
    wait_seconds = models.PositiveIntegerField(
        _("waiting time (s)"),
        null=True,
        blank=True,
        help_text=_("From issue (or booking window) to the first call."),
    )
    service_seconds = models.PositiveIntegerField(
        _("service time (s)"), null=True, blank=True
    )
    turn_near_notified_at = models.DateTimeField(null=True, blank=True, editable=False)

    objects = AuditedManager()

    class Meta:
        base_manager_name = "objects"
        verbose_name = _("queue ticket")
        verbose_name_plural = _("queue tickets")
        ordering = ["-issued_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["office", "local_date", "number"],
                name="ticket_number_unique_per_office_day",
            ),
            models.UniqueConstraint(
                fields=["nik_hash", "service", "local_date"],
                condition=Q(status__in=ACTIVE_TICKET_STATUSES) & ~Q(nik_hash=""),
                name="one_active_ticket_per_nik_service_day",
            ),
            # A counter calls one visitor at a time (the services also lock it).
            models.UniqueConstraint(
                fields=["counter"],
                condition=Q(status__in=[TicketStatus.CALLED, TicketStatus.SERVING]),
                name="one_current_ticket_per_counter",
            ),
            models.CheckConstraint(
                condition=Q(window_starts_at__isnull=True, window_ends_at__isnull=True)
                | Q(window_ends_at__gt=F("window_starts_at")),
                name="ticket_window_complete",
            ),
        ]
        indexes = [
            models.Index(
                fields=["group", "status", "queued_at"], name="ticket_line_idx"
            ),
            models.Index(
                fields=["office", "local_date", "status"], name="ticket_office_day_idx"
            ),
            # Call-next (queueing.calling): each rank of the line walks its own
            # small partial index in line order and stops at the first ticket
            # it can lock, however long the line and the day's history.
            models.Index(
                fields=["office", "queued_at", "id"],
                condition=Q(status=TicketStatus.WAITING),
                name="ticket_waiting_line_idx",
            ),
            models.Index(
                fields=["office", "queued_at", "id"],
                condition=Q(status=TicketStatus.WAITING, priority__isnull=False),
                name="ticket_waiting_priority_idx",
            ),
            models.Index(
                fields=["office", "queued_at", "id"],
                condition=Q(status=TicketStatus.WAITING, window_ends_at__isnull=False),
                name="ticket_waiting_booked_idx",
            ),
            # Whether a call leaves work for the "turn near" task.
            models.Index(
                fields=["group"],
                condition=Q(
                    status=TicketStatus.WAITING,
                    citizen__isnull=False,
                    turn_near_notified_at__isnull=True,
                ),
                name="ticket_turn_near_due_idx",
            ),
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def is_active(self) -> bool:
        return self.status in ACTIVE_TICKET_STATUSES


@audited
class Booking(TimeStampedModel):
    """An appointment for a service at an office (*janji temu*), in a slot of the
    service group's booking calendar.

    ``code`` (``BK-7Q2M``) is shown at the kiosk to check in, which issues the
    ticket (``ticket``) and its number. ``nik_hash`` as on tickets. An officer
    may book on behalf of an applicant with ``application_reference``.
    """

    uuid = models.UUIDField(_("UUID"), default=uuid.uuid4, unique=True, editable=False)
    code = models.CharField(_("booking code"), max_length=12, unique=True)
    office = models.ForeignKey(
        "agencies.Office",
        on_delete=models.PROTECT,
        related_name="queue_bookings",
        verbose_name=_("office"),
    )
    group = models.ForeignKey(
        ServiceGroup,
        on_delete=models.PROTECT,
        related_name="bookings",
        verbose_name=_("service group"),
    )
    service = models.ForeignKey(
        "agencies.Service",
        on_delete=models.PROTECT,
        related_name="queue_bookings",
        verbose_name=_("service"),
    )
    citizen = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="queue_bookings",
        verbose_name=_("citizen account"),
    )
    nik_hash = models.CharField(_("NIK (keyed hash)"), max_length=64, editable=False)
    local_date = models.DateField(_("date (WIB)"))
    slot_starts_at = models.DateTimeField(_("slot starts at"))
    slot_ends_at = models.DateTimeField(_("slot ends at"))
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=BookingStatus,
        default=BookingStatus.BOOKED,
        editable=False,
    )
    ticket = models.OneToOneField(
        QueueTicket,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="booking",
        verbose_name=_("ticket"),
        editable=False,
    )
    application_reference = models.CharField(
        _("application reference"), max_length=32, blank=True
    )
    checked_in_at = models.DateTimeField(_("checked in at"), null=True, blank=True)
    reminded_at = models.DateTimeField(null=True, blank=True, editable=False)

    objects = AuditedManager()

    class Meta:
        base_manager_name = "objects"
        verbose_name = _("booking")
        verbose_name_plural = _("bookings")
        ordering = ["-slot_starts_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(slot_ends_at__gt=F("slot_starts_at")),
                name="booking_slot_ends_after_start",
            ),
            models.UniqueConstraint(
                fields=["nik_hash", "service", "local_date"],
                condition=Q(status__in=ACTIVE_BOOKING_STATUSES),
                name="one_active_booking_per_nik_service_day",
            ),
        ]
        indexes = [
            models.Index(
                fields=["group", "slot_starts_at", "status"], name="booking_slot_idx"
            )
        ]

    def __str__(self) -> str:
        return self.code

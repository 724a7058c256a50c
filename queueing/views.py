"""Pages of the walk-in queue (``/antrian/``): the kiosk, "my ticket", the display
board, the counter desk, bookings and the office head's statistics.

Views parse and authorize; the services decide. Another office's counter or
statistics, and another citizen's booking, are a 404.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

import segno

from agencies.models import Office, Service
from agencies.selectors import service_qs_public
from permits.selectors import application_qs_visible_to, applications_of
from ptsp.db_router import reads_from_replica
from ptsp.exceptions import ApplicationError

from . import services
from .choices import TicketChannel, TicketStatus
from .forms import BookingForm, CheckInForm, InviteForm, KioskForm, TransferForm
from .invitations import booking_invite, offices_for_invitation, ticket_application
from .models import Booking, QueueTicket, ServiceGroup
from .opening import QueueClosed, ensure_issuing_open, local_date
from .permissions import (
    can_issue_reception,
    counters_operated_by,
    kiosk_network_allowed,
    offices_supervised_by,
)
from .selectors import (
    board_calls,
    booking_slots,
    bookings_of,
    counter_current_ticket,
    counter_parked_tickets,
    groups_with_services,
    offices_with_queue,
    recent_calls,
    ticket_progress,
    waiting_counts,
)
from .statistics import bar_chart, heat_map, office_statistics


def _office(code: str) -> Office:
    return get_object_or_404(offices_with_queue(), code=code)


def _office_services(office: Office, *, bookable: bool = False) -> QuerySet[Service]:
    """Published services with an active queue group at ``office`` (one that
    takes online bookings when ``bookable``), each once. The group's
    conditions are one subquery, so they hold for the same group: chained
    ``filter()`` calls on ``queue_groups`` joined the groups again, matched a
    bookable group at another office and repeated the service once per group
    (the booking page failed with ``MultipleObjectsReturned``)."""
    groups = ServiceGroup.objects.filter(office=office, is_active=True)
    if bookable:
        groups = groups.filter(booking_capacity__gt=0)
    return service_qs_public().filter(pk__in=groups.values("services"))


def _error_text(exc: Exception) -> str:
    if isinstance(exc, ValidationError):
        return " ".join(exc.messages)
    return exc.message


def office_list(request: HttpRequest) -> HttpResponse:
    """Offices with a queue, with links to the kiosk, board and booking."""
    offices = list(offices_with_queue())
    return render(
        request,
        "queueing/office_list.html",
        {
            "offices": offices,
            "counters": counters_operated_by(request.user).exists(),
            "supervised": offices_supervised_by(request.user),
        },
    )


@never_cache
def kiosk(request: HttpRequest, office: str) -> HttpResponse:
    """Take a ticket: NIK, then a service button. Staff of the office see the
    reception fields (priority group, application reference; NIK optional)."""
    office_obj = _office(office)
    reception = can_issue_reception(request.user, office_obj)
    services_qs = _office_services(office_obj)
    form = KioskForm(services=services_qs, reception=reception)
    check_in = CheckInForm(prefix="checkin")
    error = ""
    if request.method == "POST":
        if not reception and not kiosk_network_allowed(request):
            raise Http404
        try:
            if "checkin-code" in request.POST:
                check_in = CheckInForm(request.POST, prefix="checkin")
                if check_in.is_valid():
                    ticket = services.booking_check_in(
                        office=office_obj,
                        code=check_in.cleaned_data["code"],
                        nik=check_in.cleaned_data["nik"],
                    )
                    return redirect(_ticket_url(ticket, new=True))
            else:
                form = KioskForm(
                    request.POST, services=services_qs, reception=reception
                )
                if form.is_valid():
                    data = form.cleaned_data
                    ticket = services.ticket_issue(
                        office=office_obj,
                        service=data["service"],
                        nik=data["nik"],
                        channel=(
                            TicketChannel.RECEPTION
                            if reception
                            else TicketChannel.KIOSK
                        ),
                        priority=data.get("priority"),
                        application_reference=data.get("application_reference", ""),
                    )
                    return redirect(_ticket_url(ticket, new=True))
        except (ApplicationError, ValidationError) as exc:
            error = _error_text(exc)
    closed = ""
    try:
        ensure_issuing_open(office_obj, timezone.now())
    except QueueClosed as exc:
        closed = exc.message
    status = 400 if error or form.errors or check_in.errors else 200
    return render(
        request,
        "queueing/kiosk.html",
        {
            "office": office_obj,
            "groups": groups_with_services(office_obj),
            "form": form,
            "check_in": check_in,
            "reception": reception,
            "error": error,
            "closed": closed,
        },
        status=status,
    )


def _ticket_url(ticket: QueueTicket, new: bool = False) -> str:
    url = reverse("queueing:ticket", args=[ticket.uuid])
    return f"{url}?baru=1" if new else url


def _ticket_context(ticket: QueueTicket) -> dict:
    return {"ticket": ticket, "progress": ticket_progress(ticket)}


@never_cache
def ticket_detail(request: HttpRequest, uuid) -> HttpResponse:
    """A visitor's ticket by its unguessable link (the QR code on the slip):
    number, position, estimated wait; refreshes itself."""
    ticket = get_object_or_404(
        QueueTicket.objects.select_related(
            "office", "service__current_version", "counter", "group"
        ),
        uuid=uuid,
    )
    url = request.build_absolute_uri(_ticket_url(ticket))
    qr = segno.make(url, error="m")
    context = _ticket_context(ticket)
    context.update(
        {
            "qr_svg": qr.svg_inline(scale=4, border=2, omitsize=True),
            "ticket_url": url,
            "is_new": request.GET.get("baru") == "1",
        }
    )
    return render(request, "queueing/ticket_detail.html", context)


@never_cache
def ticket_status(request: HttpRequest, uuid) -> HttpResponse:
    """The status block of the ticket page (polled by HTMX every 10 s)."""
    ticket = get_object_or_404(
        QueueTicket.objects.select_related("counter", "group"), uuid=uuid
    )
    return render(request, "queueing/_ticket_status.html", _ticket_context(ticket))


def board(request: HttpRequest, office: str) -> HttpResponse:
    """The display board (*papan antrian*) for a TV: calls per counter, polled
    every second; a chime and a spoken call once sound is enabled."""
    office_obj = _office(office)
    return render(
        request, "queueing/board.html", {"office": office_obj, **_board(office_obj)}
    )


def _board(office: Office) -> dict:
    day = local_date(office, timezone.now())
    return {
        "calls": board_calls(office),
        "recent": recent_calls(office, day),
        "waiting": waiting_counts(office, day),
    }


@never_cache
def board_calls_partial(request: HttpRequest, office: str) -> HttpResponse:
    office_obj = _office(office)
    return render(
        request,
        "queueing/_board_calls.html",
        {"office": office_obj, **_board(office_obj)},
    )


@login_required
def counter_list(request: HttpRequest) -> HttpResponse:
    counters = counters_operated_by(request.user).order_by("office__name", "number")
    return render(request, "queueing/counter_list.html", {"counters": counters})


def _counter(request: HttpRequest, pk: int):
    return get_object_or_404(counters_operated_by(request.user), pk=pk)


@login_required
@never_cache
def counter_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The counter desk: the current ticket and its actions, parked tickets,
    the lines of the counter's groups."""
    counter = _counter(request, pk)
    current = counter_current_ticket(counter)
    transfer = TransferForm(counter=counter, services=_office_services(counter.office))
    day = local_date(counter.office, timezone.now())
    group_ids = set(counter.service_groups.values_list("pk", flat=True))
    return render(
        request,
        "queueing/counter_detail.html",
        {
            "counter": counter,
            "current": current,
            "linked_application": ticket_application(
                request.user, current.application_reference if current else ""
            ),
            "parked": counter_parked_tickets(counter),
            "transfer": transfer,
            "waiting": [
                g for g in waiting_counts(counter.office, day) if g.pk in group_ids
            ],
        },
    )


COUNTER_ACTIONS = {
    "panggil": "call_next",
    "panggil-ulang": "recall",
    "mulai": "start",
    "selesai": "finish",
    "tunda": "park",
    "alihkan": "transfer",
}


@login_required
@require_POST
def counter_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    """One button of the counter desk (POST, then back to the desk)."""
    counter = _counter(request, pk)
    if action not in COUNTER_ACTIONS:
        raise Http404
    user = request.user
    try:
        if action == "panggil":
            ticket = services.ticket_call_next(counter=counter, user=user)
            if ticket is None:
                messages.info(request, _("Nobody is waiting for this counter."))
            else:
                messages.success(
                    request, _("Ticket %(number)s called.") % {"number": ticket.number}
                )
        elif action == "panggil-ulang":
            parked = None
            if request.POST.get("ticket"):
                parked = get_object_or_404(
                    QueueTicket, uuid=request.POST["ticket"], counter=counter
                )
            ticket = services.ticket_recall(counter=counter, user=user, ticket=parked)
            if ticket.status == TicketStatus.MISSED:
                messages.warning(
                    request,
                    _("Ticket %(number)s did not come and is marked missed.")
                    % {"number": ticket.number},
                )
            else:
                messages.success(
                    request,
                    _("Ticket %(number)s called again.") % {"number": ticket.number},
                )
        elif action == "mulai":
            services.ticket_start(counter=counter, user=user)
        elif action == "selesai":
            ticket = services.ticket_finish(counter=counter, user=user)
            messages.success(
                request, _("Ticket %(number)s finished.") % {"number": ticket.number}
            )
        elif action == "tunda":
            services.ticket_park(counter=counter, user=user)
        else:
            form = TransferForm(
                request.POST,
                counter=counter,
                services=_office_services(counter.office),
            )
            if not form.is_valid():
                messages.error(
                    request,
                    " ".join(form.non_field_errors() or [_("Check the transfer.")]),
                )
                return redirect("queueing:counter", pk=counter.pk)
            ticket = services.ticket_transfer(
                counter=counter,
                user=user,
                to_counter=form.cleaned_data["to_counter"],
                to_service=form.cleaned_data["to_service"],
            )
            messages.success(
                request,
                _("Ticket %(number)s transferred.") % {"number": ticket.number},
            )
    except ApplicationError as exc:
        messages.error(request, exc.message)
    return redirect("queueing:counter", pk=counter.pk)


@login_required
@reads_from_replica
def statistics(request: HttpRequest, office: str) -> HttpResponse:
    """The office head's statistics for a period (default: the last 28 days);
    read from the replica when one is configured (``ptsp.db_router``)."""
    office_obj = get_object_or_404(offices_supervised_by(request.user), code=office)
    today = local_date(office_obj, timezone.now())
    try:
        date_to = dt.date.fromisoformat(request.GET.get("sampai", ""))
    except ValueError:
        date_to = today
    try:
        date_from = dt.date.fromisoformat(request.GET.get("dari", ""))
    except ValueError:
        date_from = date_to - dt.timedelta(days=27)
    if date_from > date_to:
        date_from, date_to = date_to, date_from
    stats = office_statistics(office_obj, date_from, date_to)
    return render(
        request,
        "queueing/statistics.html",
        {
            "office": office_obj,
            "stats": stats,
            "wait_chart": bar_chart(
                [(row.label, row.wait_minutes) for row in stats.by_service],
                unit=_("min"),
            ),
            "heat": heat_map(stats),
        },
    )


def _booking_days(office: Office) -> list[dt.date]:
    from .opening import office_schedule

    today = local_date(office, timezone.now())
    days = settings.QUEUE_BOOKING_DAYS_AHEAD
    schedule = office_schedule(office, today, days)
    return [
        today + dt.timedelta(days=i)
        for i in range(days + 1)
        if schedule.local_spans(today + dt.timedelta(days=i))
    ]


@login_required
def booking_new(request: HttpRequest, office: str) -> HttpResponse:
    """Book a visit: choose the service and day, then a slot with room, and give
    the NIK. The page works without JavaScript (two submits)."""
    office_obj = _office(office)
    services_qs = _office_services(office_obj, bookable=True)
    days = _booking_days(office_obj)
    data = request.POST if request.method == "POST" else request.GET or None
    initial = {}
    if data is not None and "day" not in data and request.method == "GET":
        # An invitation link: service and application filled, nothing checked yet.
        initial, data = (
            {k: data[k] for k in ("service", "permohonan") if k in data},
            None,
        )
    # First pass without the slot: the service and day decide which slots exist.
    probe_data = {k: v for k, v in data.items() if k != "slot"} if data else None
    probe = BookingForm(probe_data, services=services_qs, days=days, initial=initial)
    slots = []
    if probe.is_bound and probe.is_valid():
        group = (
            probe.cleaned_data["service"]
            .queue_groups.filter(
                office=office_obj, is_active=True, booking_capacity__gt=0
            )
            .first()
        )
        slots = booking_slots(group, probe.cleaned_data["day"]) if group else []
    form = BookingForm(
        data, services=services_qs, days=days, slots=slots, initial=initial
    )
    error = ""
    if request.method == "POST" and form.is_valid():
        if not form.cleaned_data["slot"] or not form.cleaned_data["nik"]:
            error = _("Choose a time and give your NIK.")
        else:
            try:
                booking = services.booking_create(
                    citizen=request.user,
                    office=office_obj,
                    service=form.cleaned_data["service"],
                    slot_starts_at=form.cleaned_data["slot"],
                    nik=form.cleaned_data["nik"],
                    application_reference=_own_reference(
                        request.user, form.cleaned_data["permohonan"]
                    ),
                )
            except (ApplicationError, ValidationError) as exc:
                error = _error_text(exc)
            else:
                messages.success(
                    request,
                    _("Booked. Your booking code is %(code)s.")
                    % {"code": booking.code},
                )
                return redirect("queueing:booking", uuid=booking.uuid)
    return render(
        request,
        "queueing/booking_form.html",
        {
            "office": office_obj,
            "form": form,
            "slots_shown": bool(slots),
            "error": error,
        },
        status=400 if error else 200,
    )


def _own_reference(user, reference: str) -> str:
    """``reference`` when it names one of ``user``'s own applications, else ""."""
    reference = (reference or "").strip().upper()
    if reference and applications_of(user).filter(reference=reference).exists():
        return reference
    return ""


@login_required
@require_POST
def application_invite(request: HttpRequest, uuid) -> HttpResponse:
    """An officer invites the applicant to book a visit (from the application
    page). An application the officer may not see is a 404."""
    application = get_object_or_404(application_qs_visible_to(request.user), uuid=uuid)
    form = InviteForm(request.POST, offices=offices_for_invitation(application))
    if not form.is_valid():
        messages.error(request, _("Choose an office that takes bookings."))
    else:
        try:
            booking_invite(
                application=application,
                office=form.cleaned_data["office"],
                user=request.user,
                note=form.cleaned_data["note"],
            )
        except ApplicationError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("The invitation is sent to the applicant."))
    return redirect("permits:detail", uuid=application.uuid)


@login_required
def booking_list(request: HttpRequest) -> HttpResponse:
    return render(
        request, "queueing/booking_list.html", {"bookings": bookings_of(request.user)}
    )


@login_required
def booking_detail(request: HttpRequest, uuid) -> HttpResponse:
    booking = get_object_or_404(bookings_of(request.user), uuid=uuid)
    return render(
        request,
        "queueing/booking_detail.html",
        {"booking": booking, "grace": settings.QUEUE_BOOKING_GRACE_MINUTES},
    )


@login_required
@require_POST
def booking_cancel(request: HttpRequest, uuid) -> HttpResponse:
    booking: Booking = get_object_or_404(bookings_of(request.user), uuid=uuid)
    try:
        services.booking_cancel(booking=booking, citizen=request.user)
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request, _("Booking %(code)s cancelled.") % {"code": booking.code}
        )
    return redirect("queueing:booking", uuid=booking.uuid)

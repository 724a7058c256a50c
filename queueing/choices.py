"""Choices of the walk-in queue: ticket and booking states, issuing channels."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class TicketStatus(models.TextChoices):
    """Where a ticket (*nomor antrian*) stands; ``queueing.workflow`` says which
    changes are allowed."""

    WAITING = "waiting", _("Waiting")
    CALLED = "called", _("Called")
    SERVING = "serving", _("Being served")
    PARKED = "parked", _("Parked")
    DONE = "done", _("Done")
    MISSED = "missed", _("Missed")
    EXPIRED = "expired", _("Expired")
    CANCELLED = "cancelled", _("Cancelled")


#: States in which a ticket still holds its place (and its NIK's one active ticket).
ACTIVE_TICKET_STATUSES = (
    TicketStatus.WAITING,
    TicketStatus.CALLED,
    TicketStatus.SERVING,
    TicketStatus.PARKED,
)


class TicketChannel(models.TextChoices):
    KIOSK = "kiosk", _("Kiosk")
    RECEPTION = "reception", _("Reception")
    BOOKING = "booking", _("Online booking")


class BookingStatus(models.TextChoices):
    BOOKED = "booked", _("Booked")
    CHECKED_IN = "checked_in", _("Checked in")
    CANCELLED = "cancelled", _("Cancelled")
    NO_SHOW = "no_show", _("Did not come")


#: Bookings that take a place in their slot.
ACTIVE_BOOKING_STATUSES = (BookingStatus.BOOKED, BookingStatus.CHECKED_IN)

"""Invitations to book a visit, sent by an officer from an application
(*undangan datang ke loket*); and the application behind a ticket.

Source: issue 12, "a ticket can carry an application reference so that the
counter officer opens the application directly; an officer can invite an
applicant to come in (book a slot) from the application".
"""

from urllib.parse import urlencode

from django.conf import settings
from django.db import transaction
from django.db.models import QuerySet
from django.urls import reverse
from django.utils.translation import gettext as _

from accounts.permissions import user_can
from agencies.models import Office
from audit.services import audit_record
from notifications.services import notify
from notifications.variables import BilingualText
from permits.models import Application
from permits.selectors import application_qs_visible_to
from ptsp.exceptions import ApplicationError


def offices_for_invitation(application: Application) -> QuerySet[Office]:
    """Active offices where ``application``'s service can be booked (an active
    service group with a booking capacity), by name."""
    return (
        Office.objects.filter(
            is_active=True,
            queue_groups__is_active=True,
            queue_groups__booking_capacity__gt=0,
            queue_groups__services=application.service_id,
        )
        .distinct()
        .order_by("name")
    )


def can_invite(user, application: Application) -> bool:
    """An officer who may see ``application`` (an agency with a step in it),
    never the applicant themselves, and only for a submitted application."""
    return (
        application.reference is not None
        and application.applicant_id != getattr(user, "pk", None)
        and user_can(user, "application.work", None)
        and application_qs_visible_to(user).filter(pk=application.pk).exists()
    )


def booking_url(office: Office, application: Application) -> str:
    """Absolute link to the booking page of ``office`` with the service and the
    application reference filled in."""
    query = urlencode(
        {"service": application.service.code, "permohonan": application.reference}
    )
    path = reverse("queueing:booking-new", kwargs={"office": office.code})
    return f"{settings.PORTAL_BASE_URL.rstrip('/')}{path}?{query}"


@transaction.atomic(durable=True)
def booking_invite(
    *, application: Application, office: Office, user, note: str = ""
) -> None:
    """Notify the applicant (``appointment.invitation``) to book a visit at
    ``office`` for ``application``, with a prefilled booking link. Raises
    ``ApplicationError`` when ``user`` may not invite or the office does not
    take bookings for the service. Audited as ``application.invite_to_book``."""
    if not can_invite(user, application):
        raise ApplicationError(_("You may not invite this applicant."))
    if not offices_for_invitation(application).filter(pk=office.pk).exists():
        raise ApplicationError(_("This office does not take bookings for the service."))
    url = booking_url(office, application)
    audit_record(
        action="application.invite_to_book",
        obj=application,
        changes={"office": [None, office.code]},
        reason=note,
    )
    notify(
        event="appointment.invitation",
        recipient=application.applicant,
        context={
            "reference": application.reference,
            "service": BilingualText.of(application.service_version),
            "url": settings.PORTAL_BASE_URL.rstrip("/")
            + reverse("permits:detail", kwargs={"uuid": application.uuid}),
            "office": BilingualText.of(office),
            "note": note,
            "booking_url": url,
        },
    )


def ticket_application(user, reference: str) -> Application | None:
    """The application a ticket refers to, when ``user`` may see it; else
    ``None`` (the reference is then shown as plain text)."""
    if not reference:
        return None
    return (
        application_qs_visible_to(user)
        .filter(reference=reference.strip().upper())
        .first()
    )

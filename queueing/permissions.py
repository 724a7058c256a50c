"""Who may do what in the queue; the one place for these rules (pages, API and
services use them).

The staff identity is ``accounts.Officer`` (active, one per user); the
permissions come from the officer's role group (``accounts.roles``).

- Operating a counter: the ``queueing.operate_counter`` permission and a
  ``CounterOperator`` row linking the officer to that counter (superusers: any
  counter).
- Reception tickets (with a priority group, NIK optional): the
  ``queueing.issue_reception_ticket`` permission and a link to the office (an
  operator of one of its counters, or its supervisor).
- Statistics: ``queueing.view_queue_statistics`` and either an
  ``OfficeSupervisor`` row for the office or being its head (``Officer`` with
  role ``office_head`` and that office).
"""

import ipaddress

from django.conf import settings
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from accounts.models import Officer
from accounts.roles import OFFICE_HEAD
from agencies.models import Office
from ptsp.exceptions import ApplicationError

from .models import Counter, OfficeSupervisor


class NotAllowed(ApplicationError):
    """The user may not act on this counter or office (pages and API answer 404,
    so that another office's objects are not revealed)."""


def counters_operated_by(user) -> QuerySet[Counter]:
    """Active counters ``user`` may operate (none for anonymous users)."""
    qs = Counter.objects.filter(is_active=True).select_related("office", "agency")
    if not getattr(user, "is_authenticated", False):
        return qs.none()
    if user.is_superuser:
        return qs
    if not user.has_perm("queueing.operate_counter"):
        return qs.none()
    return qs.filter(operators__officer__user=user, operators__officer__is_active=True)


def can_operate(user, counter: Counter) -> bool:
    return counters_operated_by(user).filter(pk=counter.pk).exists()


def ensure_can_operate(user, counter: Counter) -> None:
    """Raise ``NotAllowed`` unless ``user`` may operate ``counter``."""
    if not can_operate(user, counter):
        raise NotAllowed(_("You do not operate this counter."))


def offices_supervised_by(user) -> QuerySet[Office]:
    """Offices whose queue statistics ``user`` may read."""
    qs = Office.objects.filter(is_active=True)
    if not getattr(user, "is_authenticated", False):
        return qs.none()
    if user.is_superuser:
        return qs
    if not user.has_perm("queueing.view_queue_statistics"):
        return qs.none()
    return qs.filter(_supervised(user))


def _supervised(user) -> Q:
    """Offices ``user`` supervises (row) or heads (role), as a filter."""
    officers = Officer.objects.filter(user=user, is_active=True)
    return Q(
        pk__in=OfficeSupervisor.objects.filter(officer__in=officers).values("office_id")
    ) | Q(pk__in=officers.filter(role=OFFICE_HEAD).values("office_id"))


def can_issue_reception(user, office: Office) -> bool:
    """Whether ``user`` may issue reception tickets at ``office``."""
    if not getattr(user, "is_authenticated", False):
        return False
    if user.is_superuser:
        return True
    if not user.has_perm("queueing.issue_reception_ticket"):
        return False
    if Office.objects.filter(_supervised(user), pk=office.pk).exists():
        return True
    return counters_operated_by(user).filter(office=office).exists()


def kiosk_network_allowed(request) -> bool:
    """Whether an anonymous request may issue tickets: always when
    ``QUEUE_KIOSK_NETWORKS`` is empty, else only from those networks (the
    kiosks' LAN), so that nobody takes walk-in tickets from home."""
    networks = settings.QUEUE_KIOSK_NETWORKS
    if not networks:
        return True
    try:
        address = ipaddress.ip_address(request.META.get("REMOTE_ADDR", ""))
    except ValueError:
        return False
    return any(address in ipaddress.ip_network(n, strict=False) for n in networks)

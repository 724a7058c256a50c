"""Who is acting: the actor context the audit trail reads.

Web requests get it from ``AuditContextMiddleware`` (user, IP address, request id);
Celery tasks and management commands set it with ``audit_actor(...)``, naming
themselves ``system:<task>`` together with the request that caused the work, so that
no entry ever says a bare "system".
"""

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, replace

from ptsp.middleware import current_request_id


@dataclass(frozen=True)
class Actor:
    """The acting party. ``user`` is a ``User`` or ``None`` for system work.

    ``system`` is ``"system:<task or command name>"`` when no person acts;
    ``caused_by_request`` carries the request id that led to it (may be empty for
    scheduled work, whose cause is the schedule named in ``system``).
    """

    user: object | None = None
    system: str = ""
    ip_address: str | None = None
    request_id: str = ""
    caused_by_request: str = ""

    @property
    def label(self) -> str:
        if self.user is not None and getattr(self.user, "pk", None) is not None:
            return f"user:{self.user.pk}"
        if self.system:
            return self.system
        return "anonymous"


_actor: ContextVar[Actor | None] = ContextVar("audit_actor", default=None)


def current_actor() -> Actor:
    """The actor of the current context; an anonymous actor outside any context."""
    actor = _actor.get()
    if actor is None:
        rid = current_request_id()
        return Actor(request_id="" if rid == "-" else rid)
    return actor


@contextmanager
def audit_actor(
    *,
    user: object | None = None,
    system: str = "",
    caused_by_request: str = "",
    ip_address: str | None = None,
) -> Iterator[Actor]:
    """Set the actor for the block: ``audit_actor(system="system:sla_sweep_task")``.

    Raises ``ValueError`` for a system actor whose name does not start with
    ``"system:"``.
    """
    if system and not system.startswith("system:"):
        raise ValueError("A system actor is named 'system:<task>'.")
    base = _actor.get() or Actor()
    actor = replace(
        base,
        user=user if user is not None else (None if system else base.user),
        system=system or base.system,
        caused_by_request=caused_by_request or base.caused_by_request,
        ip_address=ip_address or base.ip_address,
    )
    token = _actor.set(actor)
    try:
        yield actor
    finally:
        _actor.reset(token)


class AuditContextMiddleware:
    """Binds the request's user, client IP and request id to the audit context.

    The client IP is ``REMOTE_ADDR``; behind the proxy, gunicorn is configured to
    trust only the proxy's ``X-Forwarded-For``.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        actor = Actor(
            user=user if user is not None and user.is_authenticated else None,
            ip_address=request.META.get("REMOTE_ADDR") or None,
            request_id=getattr(request, "request_id", ""),
        )
        token = _actor.set(actor)
        try:
            return self.get_response(request)
        finally:
            _actor.reset(token)

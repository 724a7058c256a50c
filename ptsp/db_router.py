"""Read-only report queries on a PostgreSQL replica, when one is configured.

``DATABASE_REPLICA_URL`` (settings) adds the ``replica`` database alias, a
streaming replica of ``default``, and turns ``REPORTS_FROM_REPLICA`` on. Views
that only read for reports (the auditor's read-only API, queue statistics,
dashboards) wrap their work in
``replica_reads()`` or use ``@reads_from_replica``; inside, ``ReplicaRouter``
sends reads to ``replica``. Everything else reads and writes ``default``:
writes always go to ``default`` (also inside the block), and a read inside a
transaction on ``default`` stays there so that it sees its own writes. Without
a replica alias the router changes nothing.

Replicas lag the primary (usually well under a second); reports tolerate that,
workflow decisions do not, which is why reads go to the replica only where a
view opts in.
"""

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from functools import wraps

from django.conf import settings
from django.db import connections

REPLICA = "replica"
_reporting: ContextVar[bool] = ContextVar("ptsp_replica_reads", default=False)


def replica_configured() -> bool:
    return settings.REPORTS_FROM_REPLICA and REPLICA in connections.settings


@contextmanager
def replica_reads() -> Iterator[None]:
    """Within the block, reads go to the replica when one is configured."""
    token = _reporting.set(True)
    try:
        yield
    finally:
        _reporting.reset(token)


def reads_from_replica[F: Callable](view: F) -> F:
    """Decorate a read-only view: its queries read from the replica."""

    @wraps(view)
    def wrapped(*args, **kwargs):
        with replica_reads():
            return view(*args, **kwargs)

    return wrapped


class ReplicaReadsMixin:
    """For read-only class-based views (DRF ``APIView`` and Django's): the
    whole request reads from the replica, e.g.
    ``class AuditEntryListView(ReplicaReadsMixin, ListAPIView)``."""

    def dispatch(self, request, *args, **kwargs):
        with replica_reads():
            return super().dispatch(request, *args, **kwargs)


class ReplicaRouter:
    """``DATABASE_ROUTERS`` entry: see the module docstring."""

    def db_for_read(self, model, **hints) -> str | None:
        if (
            _reporting.get()
            and replica_configured()
            and not connections["default"].in_atomic_block
        ):
            return REPLICA
        return "default"

    def db_for_write(self, model, **hints) -> str:
        return "default"

    def allow_relation(self, obj1, obj2, **hints) -> bool:
        # One database seen two ways: objects read from either may relate.
        return True

    def allow_migrate(self, db, app_label, model_name=None, **hints) -> bool:
        return db != REPLICA

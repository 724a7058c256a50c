"""Reads of the audit trail: an object's history and an actor's actions.

Both are keyset pages, newest first, one query each (the actor joined), served
by an index whatever the size of the trail: no COUNT, no OFFSET. Scoping (who
may read whose entries) is the caller's: auditors see everything, an officer
only what their agency's objects allow.

The two reads skip the ORM: each runs a constant statement (one per query kind
and keyset shape, built once per database vendor) through ``connection.cursor()``
and returns ``AuditEntryRow`` tuples. Compiling the queryset and building model
instances cost 1.5-2 ms a query, five times the index range scan itself
(``bench/findings.md``, 5a); these are the trail's hottest reads.
"""

import json
from datetime import UTC, datetime
from functools import cache
from typing import Any, NamedTuple

from django.db import connections, router
from django.utils.dateparse import parse_datetime

from .models import AuditEntry

PAGE_SIZE = 50


class EntryActor(NamedTuple):
    """The user who acted (``AuditEntry.actor``): the three columns a trail
    shows, not the account."""

    pk: int
    username: str
    full_name: str

    def __str__(self) -> str:
        return self.username


class AuditEntryRow(NamedTuple):
    """One entry as the selectors return it: immutable, the ``AuditEntry``
    fields a reader needs (not ``txid``) with the same names, ``actor`` an
    ``EntryActor`` or ``None`` (system and anonymous actors), ``occurred_at``
    an aware UTC datetime and ``changes`` the decoded JSON."""

    id: int
    occurred_at: datetime
    actor_label: str
    actor_role: str
    actor_agency: str
    action: str
    object_type: str
    object_id: str
    changes: dict[str, Any]
    reason: str
    ip_address: str | None
    request_id: str
    caused_by_request: str
    actor: EntryActor | None

    @property
    def pk(self) -> int:
        return self.id

    def __str__(self) -> str:
        return (
            f"{self.action} {self.object_type}:{self.object_id} by {self.actor_label}"
        )


_COLUMNS = (
    "e.id, e.occurred_at, e.actor_label, e.actor_role, e.actor_agency, e.action, "
    "e.object_type, e.object_id, e.changes, e.reason, e.ip_address, e.request_id, "
    "e.caused_by_request, u.id, u.username, u.full_name"
)


@cache
def _statement(vendor: str, kind: str, keyset: bool) -> str:
    """The SQL of one (query kind, keyset shape): the same text for every call,
    so no per-query compiling. ``vendor`` is in the key for the day the
    vendors' texts differ; today the statement is portable."""
    from django.contrib.auth import get_user_model

    # Quoted the standard way, as Django does on PostgreSQL and SQLite.
    entries = f'"{AuditEntry._meta.db_table}"'
    users = f'"{get_user_model()._meta.db_table}"'
    head = (
        f"SELECT {_COLUMNS} FROM {entries} e "  # noqa: S608 (constant table names)
        f"LEFT OUTER JOIN {users} u ON u.id = e.actor_id "
    )
    if kind == "object":
        # Index audit_by_object (object_type, object_id, id).
        where = "WHERE e.object_type = %s AND e.object_id = %s"
        if keyset:
            where += " AND e.id < %s"
        return f"{head}{where} ORDER BY e.id DESC LIMIT %s"
    # Index audit_by_actor_time (actor_label, occurred_at, id): the range and
    # the keyset are bounds of one index range, the order is the index's.
    where = "WHERE e.actor_label = %s AND e.occurred_at >= %s AND e.occurred_at < %s"
    if keyset:
        where += " AND (e.occurred_at, e.id) < (%s, %s)"
    return f"{head}{where} ORDER BY e.occurred_at DESC, e.id DESC LIMIT %s"


def _connection():
    return connections[router.db_for_read(AuditEntry)]


def _instant(connection, value: datetime) -> Any:
    return connection.ops.adapt_datetimefield_value(value)


def _run(connection, sql: str, params: list[Any]) -> list[AuditEntryRow]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    naive = connection.vendor == "sqlite"  # naive UTC (or text), not aware
    loads = json.loads
    out = []
    for row in rows:
        at, changes, uid = row[1], row[8], row[13]
        if naive:
            at = parse_datetime(at) if isinstance(at, str) else at
            at = at.replace(tzinfo=UTC)
        if isinstance(changes, str):  # Django reads jsonb as text, as SQLite
            changes = loads(changes)
        actor = None if uid is None else EntryActor(uid, row[14], row[15])
        out.append(
            AuditEntryRow(
                row[0],
                at,
                *row[2:8],
                changes,
                *row[9:13],
                actor,  # type: ignore[arg-type]
            )
        )
    return out


def audit_entries_for_object_sql(
    *,
    object_type: str,
    object_id: str | int,
    before_id: int | None = None,
    limit: int = PAGE_SIZE,
    using: str | None = None,
) -> tuple[str, list[Any]]:
    """The statement and parameters ``audit_entries_for_object`` runs with
    these arguments (for EXPLAIN and the benchmark's raw baseline)."""
    connection = connections[using] if using else _connection()
    params: list[Any] = [object_type, str(object_id)]
    if before_id is not None:
        params.append(int(before_id))
    params.append(int(limit))
    return _statement(connection.vendor, "object", before_id is not None), params


def audit_entries_for_object(
    *,
    object_type: str,
    object_id: str | int,
    before_id: int | None = None,
    limit: int = PAGE_SIZE,
) -> list[AuditEntryRow]:
    """The entries about one object (``object_type`` ``"permits.application"``,
    ``object_id`` its pk), newest first, at most ``limit``; for the next page
    pass the last entry's ``id`` as ``before_id``. One query.

    Index ``audit_by_object`` (object_type, object_id, id) serves the filter and
    the order, so the cost does not grow with the trail.
    """
    connection = _connection()
    sql, params = audit_entries_for_object_sql(
        object_type=object_type,
        object_id=object_id,
        before_id=before_id,
        limit=limit,
        using=connection.alias,
    )
    return _run(connection, sql, params)


def audit_entries_by_actor_sql(
    *,
    actor_label: str,
    since: datetime,
    until: datetime,
    before: tuple[datetime, int] | None = None,
    limit: int = PAGE_SIZE,
    using: str | None = None,
) -> tuple[str, list[Any]]:
    """The statement and parameters ``audit_entries_by_actor`` runs with these
    arguments (for EXPLAIN and the benchmark's raw baseline)."""
    connection = connections[using] if using else _connection()
    params: list[Any] = [
        actor_label,
        _instant(connection, since),
        _instant(connection, until),
    ]
    if before is not None:
        at, before_id = before
        params += [_instant(connection, at), int(before_id)]
    params.append(int(limit))
    return _statement(connection.vendor, "actor", before is not None), params


def audit_entries_by_actor(
    *,
    actor_label: str,
    since: datetime,
    until: datetime,
    before: tuple[datetime, int] | None = None,
    limit: int = PAGE_SIZE,
) -> list[AuditEntryRow]:
    """What ``actor_label`` (``"user:12"``, ``"system:<task>"``) did in
    ``[since, until)`` (aware datetimes), newest first (by ``occurred_at``, then
    ``id``), at most ``limit``. For the next page pass the last entry's
    ``(occurred_at, id)`` as ``before``. One query.

    Index ``audit_by_actor_time`` (actor_label, occurred_at, id) serves filter
    and order: the query reads ``limit`` entries however many the actor has in
    the range or outside it (an officer has thousands a year).
    """
    connection = _connection()
    sql, params = audit_entries_by_actor_sql(
        actor_label=actor_label,
        since=since,
        until=until,
        before=before,
        limit=limit,
        using=connection.alias,
    )
    return _run(connection, sql, params)

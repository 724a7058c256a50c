# ruff: noqa: S608  (SQL built from model table names only; values are parameters)
"""The statements behind "call next" (``services.ticket_call_next``), start and
finish, in SQL because they are the hottest path of the queue: 50 counters of a
Mal Pelayanan Publik calling at once (issue 17, scenario 4).

``ticket_call`` is the whole call in one statement of three parts:

1. ``desk``: lock the counter (``FOR NO KEY UPDATE``: counter work is
   serialized per counter, tickets may still point at it), check that it is
   active and that the user is one of its active operators, and read its
   service groups and services.
2. ``taken``: take the first waiting ticket the counter may call with ``FOR
   UPDATE SKIP LOCKED`` and mark it called. Calling order
   (``selectors.line_rank``): a booked visitor inside the booking window, then
   priority groups, then everyone else; first come, first served
   (``queued_at``, then id) within each. Each rank is its own subquery that
   walks a partial index of waiting tickets in line order and stops at the
   first row it can lock; ``COALESCE`` evaluates the next rank only when the
   previous one found nobody. The ``NOT EXISTS`` guard refuses while the
   counter still has a ticket; the constraint ``one_current_ticket_per_counter``
   is the last word for two calls of one counter racing each other. The same
   part says whether a citizen account in the group's line may be due the
   "turn near" notification, so the task is only enqueued when it has work.
3. ``entry``: the call's audit entry, built by ``audit.services`` (the trail's
   write path) as an ``INSERT … SELECT`` over ``taken``.

One round trip between BEGIN and COMMIT instead of three (lock, take, entry).
``desk_lock`` alone serves the counter's other actions; ``ticket_advance``
starts and finishes in one ``UPDATE … RETURNING``.

PostgreSQL only; ``services`` falls back to the ORM elsewhere (SQLite in
development has no ``SKIP LOCKED`` and no concurrent writers).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cache

from django.db import connection

from accounts.models import Officer

from .choices import TicketStatus
from .models import Counter, CounterOperator, QueueTicket


@dataclass(frozen=True)
class Desk:
    """A counter locked for the rest of the transaction, with what calling needs:
    its office, service groups and (when limited) services, and whether the user
    is one of its active operators."""

    counter_id: int
    office_id: int
    group_ids: list[int]
    service_ids: list[int]
    on_duty: bool


@cache
def _desk_sql() -> str:
    counter = Counter._meta.db_table
    groups = Counter.service_groups.through._meta.db_table
    services = Counter.services.through._meta.db_table
    return f"""
SELECT c.office_id,
       ARRAY(SELECT g.servicegroup_id FROM {groups} g WHERE g.counter_id = c.id),
       ARRAY(SELECT s.service_id FROM {services} s WHERE s.counter_id = c.id),
       EXISTS (
         SELECT 1 FROM {CounterOperator._meta.db_table} o
           JOIN {Officer._meta.db_table} f ON f.id = o.officer_id
          WHERE o.counter_id = c.id AND f.user_id = %s AND f.is_active)
  FROM {counter} c
 WHERE c.id = %s AND c.is_active
   FOR NO KEY UPDATE OF c
"""


def desk_lock(counter_id: int, user_id: int | None) -> Desk | None:
    """Lock active counter ``counter_id`` and read it (one statement); ``None``
    when it does not exist or is not active. Call inside a transaction."""
    with connection.cursor() as cursor:
        cursor.execute(_desk_sql(), [user_id, counter_id])
        row = cursor.fetchone()
    if row is None:
        return None
    office_id, group_ids, service_ids, on_duty = row
    return Desk(counter_id, office_id, group_ids, service_ids, on_duty)


#: Columns read back from the called ticket, in model order.
def _columns() -> list[str]:
    return [f.column for f in QueueTicket._meta.concrete_fields]


@cache
def _call_sql(entry_sql: str) -> str:
    """The call in one statement: ``desk`` locks and reads the counter (as
    ``desk_lock``), ``taken`` takes and calls the first ticket the counter may
    call, ``entry`` writes its audit entry (``entry_sql``, from
    ``audit.services.audit_insert_from`` over ``taken``)."""
    table = QueueTicket._meta.db_table
    counter = Counter._meta.db_table
    groups = Counter.service_groups.through._meta.db_table
    services = Counter.services.through._meta.db_table
    waiting = TicketStatus.WAITING.value
    current = ", ".join(
        f"'{s.value}'" for s in (TicketStatus.CALLED, TicketStatus.SERVING)
    )
    mine = (
        f"w.office_id = d.office_id AND w.status = '{waiting}' AND ("
        "(w.target_counter_id IS NULL AND w.group_id = ANY(d.group_ids)"
        " AND (cardinality(d.service_ids) = 0 OR w.service_id = ANY(d.service_ids)))"
        " OR w.target_counter_id = d.id)"
    )

    def first(condition: str) -> str:
        return (
            f"(SELECT w.id FROM {table} w WHERE {mine} AND {condition}"
            " ORDER BY w.queued_at, w.id LIMIT 1 FOR UPDATE SKIP LOCKED)"
        )

    # Ranks 1 and 2 need not exclude tickets inside their booking window: an
    # unlocked one would have been taken by rank 0 in this same statement.
    booked = first("w.window_starts_at <= %(now)s AND w.window_ends_at >= %(now)s")
    priority = first("w.priority_id IS NOT NULL")
    regular = first("w.priority_id IS NULL")
    returning = ", ".join(f"t.{c}" for c in _columns())
    return f"""
WITH desk AS (
  SELECT c.id, c.office_id,
         ARRAY(SELECT g.servicegroup_id FROM {groups} g
                WHERE g.counter_id = c.id) AS group_ids,
         ARRAY(SELECT s.service_id FROM {services} s
                WHERE s.counter_id = c.id) AS service_ids,
         EXISTS (
           SELECT 1 FROM {CounterOperator._meta.db_table} o
             JOIN {Officer._meta.db_table} f ON f.id = o.officer_id
            WHERE o.counter_id = c.id AND f.user_id = %(user)s AND f.is_active
         ) AS on_duty
    FROM {counter} c
   WHERE c.id = %(counter)s AND c.is_active
     FOR NO KEY UPDATE OF c
), taken AS (
  UPDATE {table} t
     SET status = '{TicketStatus.CALLED.value}',
         counter_id = d.id,
         target_counter_id = NULL,
         called_at = %(now)s,
         first_called_at = COALESCE(t.first_called_at, %(now)s),
         wait_seconds = CASE WHEN t.first_called_at IS NULL THEN GREATEST(0, FLOOR(
             EXTRACT(EPOCH FROM %(now)s - CASE
               WHEN t.window_starts_at > t.issued_at
               THEN LEAST(t.window_starts_at, %(now)s) ELSE t.issued_at END)))::integer
           ELSE t.wait_seconds END
    FROM desk d
   WHERE (d.on_duty OR %(superuser)s)
     AND t.id = COALESCE({booked}, {priority}, {regular})
     AND NOT EXISTS (
       SELECT 1 FROM {table} b
        WHERE b.counter_id = d.id AND b.status IN ({current}))
  RETURNING {returning},
    EXISTS (
      SELECT 1 FROM {table} n
       WHERE n.group_id = t.group_id AND n.status = '{waiting}' AND n.id <> t.id
         AND n.citizen_id IS NOT NULL AND n.turn_near_notified_at IS NULL
    ) AS turn_near_due
), entry AS (
  {entry_sql}
)
SELECT d.on_duty, taken.*, (SELECT count(*) FROM entry)
  FROM desk d LEFT JOIN taken ON true
"""


@dataclass(frozen=True)
class Called:
    """What the one-statement call did: whether the counter is active
    (``found``) and ``user`` one of its active operators (``on_duty``), the
    ticket called (``None`` when nobody waits for the counter, it is still
    busy, or the user may not call) and whether the group's line has a
    citizen account that may be due the "turn near" notification."""

    found: bool
    on_duty: bool = False
    ticket: QueueTicket | None = None
    turn_near_due: bool = False


def ticket_call(
    *,
    counter_id: int,
    user_id: int | None,
    superuser: bool,
    now: dt.datetime,
    entry: tuple[str, dict],
) -> Called:
    """Lock counter ``counter_id``, take and call its next ticket at ``now``
    (aware) when ``user_id`` is one of its active operators (or ``superuser``),
    and write the call's audit entry, in one statement; ``entry`` is
    ``audit.services.audit_insert_from(source="taken", object_id="taken.id",
    …)``. Call inside a transaction (the entry is refused outside one).

    The busy guard reads the statement's snapshot: a second call of the same
    counter racing this one can pass it, and then fails on the constraint
    ``one_current_ticket_per_counter`` (``IntegrityError``, which
    ``services.ticket_call_next`` reports as a busy counter)."""
    entry_sql, entry_params = entry
    params = {
        "counter": counter_id,
        "user": user_id,
        "superuser": superuser,
        "now": now,
        **entry_params,
    }
    with connection.cursor() as cursor:
        cursor.execute(_call_sql(entry_sql), params)
        row = cursor.fetchone()
    if row is None:
        return Called(found=False)
    fields = QueueTicket._meta.concrete_fields
    on_duty, values = row[0], row[1 : 1 + len(fields)]
    if values[0] is None:  # the ticket's id: nothing taken
        return Called(found=True, on_duty=on_duty)
    ticket = QueueTicket.from_db(connection.alias, [f.attname for f in fields], values)
    return Called(True, on_duty, ticket, turn_near_due=row[1 + len(fields)])


@cache
def _advance_sql(to: TicketStatus) -> str:
    """Start (called → serving) or finish (serving → done) the counter's
    ticket; ``service_seconds`` adds the serving period as
    ``services._stop_clock`` does (whole seconds, never negative)."""
    table = QueueTicket._meta.db_table
    returning = ", ".join(_columns())
    if to == TicketStatus.SERVING:
        source, sets = TicketStatus.CALLED, "started_at = %(now)s"
    elif to == TicketStatus.DONE:
        source = TicketStatus.SERVING
        sets = (
            "finished_at = %(now)s, service_seconds = CASE WHEN started_at IS NULL "
            "THEN service_seconds ELSE COALESCE(service_seconds, 0) + GREATEST(0, "
            "FLOOR(EXTRACT(EPOCH FROM %(now)s - started_at)))::integer END"
        )
    else:
        raise ValueError(f"No one-statement step to {to}.")
    return (
        f"UPDATE {table} SET status = '{to.value}', {sets} "
        f"WHERE counter_id = %(counter)s AND status = '{source.value}' "
        f"RETURNING {returning}"
    )


def ticket_advance(
    counter_id: int, to: TicketStatus, now: dt.datetime
) -> QueueTicket | None:
    """Move the ticket at counter ``counter_id`` (locked by ``desk_lock``) to
    ``to`` (``SERVING`` or ``DONE``) at ``now`` in one statement and return it;
    ``None`` when the counter has no ticket in the state before (the caller
    explains why). Raises ``ValueError`` for another target."""
    with connection.cursor() as cursor:
        cursor.execute(_advance_sql(to), {"counter": counter_id, "now": now})
        row = cursor.fetchone()
    if row is None:
        return None
    fields = QueueTicket._meta.concrete_fields
    return QueueTicket.from_db(connection.alias, [f.attname for f in fields], row)

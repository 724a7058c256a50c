# ruff: noqa: S608  (SQL built from model table names only; values are parameters)
"""The two statements behind "call next" (``services.ticket_call_next``), in SQL
because they are the hottest path of the queue: 50 counters of a Mal Pelayanan
Publik calling at once (issue 17, scenario 4).

1. ``desk_lock``: lock the counter (``FOR NO KEY UPDATE``: counter work is
   serialized per counter, tickets may still point at it), check that it is
   active and that the user is one of its active operators, and read its service
   groups and services, in one round trip instead of four.
2. ``ticket_take``: in one ``UPDATE … RETURNING``, take the first waiting ticket
   the counter may call with ``FOR UPDATE SKIP LOCKED`` and mark it called.
   Calling order (``selectors.line_rank``): a booked visitor inside the booking
   window, then priority groups, then everyone else; first come, first served
   (``queued_at``, then id) within each. Each rank is its own subquery that
   walks a partial index of waiting tickets in line order and stops at the first
   row it can lock; ``COALESCE`` evaluates the next rank only when the previous
   one found nobody. The ``NOT EXISTS`` guard refuses while the counter still
   has a ticket (the counter lock, taken by statement 1 before this statement's
   snapshot, makes it exact; the constraint ``one_current_ticket_per_counter``
   is the last word). The same statement says whether a citizen account in the
   group's line may be due the "turn near" notification, so the task is only
   enqueued when it has work.

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
def _take_sql(limited: bool) -> str:
    table = QueueTicket._meta.db_table
    waiting = TicketStatus.WAITING.value
    current = ", ".join(
        f"'{s.value}'" for s in (TicketStatus.CALLED, TicketStatus.SERVING)
    )
    services = " AND w.service_id = ANY(%(services)s)" if limited else ""
    mine = (
        f"w.office_id = %(office)s AND w.status = '{waiting}' AND ("
        f"(w.target_counter_id IS NULL AND w.group_id = ANY(%(groups)s){services})"
        " OR w.target_counter_id = %(counter)s)"
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
UPDATE {table} t
   SET status = '{TicketStatus.CALLED.value}',
       counter_id = %(counter)s,
       target_counter_id = NULL,
       called_at = %(now)s,
       first_called_at = COALESCE(t.first_called_at, %(now)s),
       wait_seconds = CASE WHEN t.first_called_at IS NULL THEN GREATEST(0, FLOOR(
           EXTRACT(EPOCH FROM %(now)s - CASE
             WHEN t.window_starts_at > t.issued_at
             THEN LEAST(t.window_starts_at, %(now)s) ELSE t.issued_at END)))::integer
         ELSE t.wait_seconds END
 WHERE t.id = COALESCE({booked}, {priority}, {regular})
   AND NOT EXISTS (
     SELECT 1 FROM {table} b
      WHERE b.counter_id = %(counter)s AND b.status IN ({current}))
RETURNING {returning},
  EXISTS (
    SELECT 1 FROM {table} n
     WHERE n.group_id = t.group_id AND n.status = '{waiting}' AND n.id <> t.id
       AND n.citizen_id IS NOT NULL AND n.turn_near_notified_at IS NULL)
"""


@dataclass(frozen=True)
class Taken:
    """The ticket called (``None`` when nobody waits for the counter or it is
    still busy) and whether the group's line has a citizen account that may be
    due the "turn near" notification."""

    ticket: QueueTicket | None
    turn_near_due: bool = False


def ticket_take(desk: Desk, now: dt.datetime) -> Taken:
    """Take and call the next ticket for ``desk`` (locked by ``desk_lock`` in the
    same transaction) at ``now`` (aware). One statement."""
    params = {
        "counter": desk.counter_id,
        "office": desk.office_id,
        "groups": desk.group_ids,
        "services": desk.service_ids,
        "now": now,
    }
    with connection.cursor() as cursor:
        cursor.execute(_take_sql(bool(desk.service_ids)), params)
        row = cursor.fetchone()
    if row is None:
        return Taken(None)
    fields = QueueTicket._meta.concrete_fields
    ticket = QueueTicket.from_db(
        connection.alias, [f.attname for f in fields], row[: len(fields)]
    )
    return Taken(ticket, turn_near_due=row[-1])


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

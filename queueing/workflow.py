"""Allowed ticket state changes; pure Python, no database.

A counter calls a waiting ticket, may recall it (after ``QUEUE_RECALL_LIMIT``
recalls the next one marks it missed), starts serving, then finishes, parks it
(the visitor steps aside, e.g. to fetch a document) or transfers it to another
counter or service (back to waiting, same number). A parked ticket is called
again with a recall. The end-of-day sweep expires what was never called.
"""

from .choices import TicketStatus

S = TicketStatus

TRANSITIONS: dict[TicketStatus, frozenset[TicketStatus]] = {
    S.WAITING: frozenset({S.CALLED, S.EXPIRED, S.CANCELLED}),
    S.CALLED: frozenset({S.CALLED, S.SERVING, S.MISSED, S.PARKED, S.WAITING}),
    S.SERVING: frozenset({S.DONE, S.PARKED, S.WAITING}),
    S.PARKED: frozenset({S.CALLED, S.WAITING, S.EXPIRED}),
    S.DONE: frozenset(),
    S.MISSED: frozenset(),
    S.EXPIRED: frozenset(),
    S.CANCELLED: frozenset(),
}


def can_transition(source: TicketStatus | str, target: TicketStatus | str) -> bool:
    return TicketStatus(target) in TRANSITIONS[TicketStatus(source)]

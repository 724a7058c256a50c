"""The transition table of the shared workflow: pure Python, no database.

Source: issue 6 ("Applications and the shared workflow") and the SOP of
DPMPTSP Kota Tangerang: an application is submitted, worked on by the steps of
its service version, may wait for the applicant (revision), and ends approved
then issued (permits) or completed (data corrections), rejected, withdrawn
by the applicant before a decision, or lapsed when a revision is not answered
in time.
"""

from .choices import ApplicationStatus

S = ApplicationStatus

TRANSITIONS: dict[ApplicationStatus, frozenset[ApplicationStatus]] = {
    S.DRAFT: frozenset({S.SUBMITTED, S.WITHDRAWN}),
    S.SUBMITTED: frozenset(
        {S.IN_PROGRESS, S.WAITING_FOR_APPLICANT, S.REJECTED, S.WITHDRAWN}
    ),
    S.IN_PROGRESS: frozenset(
        {S.WAITING_FOR_APPLICANT, S.APPROVED, S.REJECTED, S.WITHDRAWN}
    ),
    S.WAITING_FOR_APPLICANT: frozenset({S.IN_PROGRESS, S.WITHDRAWN, S.LAPSED}),
    S.APPROVED: frozenset({S.ISSUED, S.COMPLETED}),
    # An objection to a rejection reopens the application at the agency head.
    S.REJECTED: frozenset({S.IN_PROGRESS}),
    S.ISSUED: frozenset(),
    S.COMPLETED: frozenset(),
    S.WITHDRAWN: frozenset(),
    S.LAPSED: frozenset(),
}

#: States in which the applicant may still withdraw (no decision yet).
WITHDRAWABLE = frozenset({S.DRAFT, S.SUBMITTED, S.IN_PROGRESS, S.WAITING_FOR_APPLICANT})

#: Final states: nothing happens after them.
FINAL = frozenset(s for s, targets in TRANSITIONS.items() if not targets)

#: Closed states: decided or ended, nothing pending on a deadline (the final
#: states and a rejection, which only an objection reopens). Pages hide the
#: service deadline of a closed application (it may still be stored).
CLOSED = frozenset(FINAL | {S.REJECTED})

#: States in which officers work on the application's active steps.
OPEN_FOR_OFFICERS = frozenset({S.SUBMITTED, S.IN_PROGRESS})


def can_transition(from_status: str, to_status: str) -> bool:
    """Whether ``from_status`` -> ``to_status`` is in ``TRANSITIONS``."""
    return ApplicationStatus(to_status) in TRANSITIONS[ApplicationStatus(from_status)]

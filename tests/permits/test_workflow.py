"""The transition table, walked pair by pair (pure, no database)."""

import itertools

import pytest

from permits.choices import ApplicationStatus
from permits.workflow import FINAL, TRANSITIONS, WITHDRAWABLE, can_transition

S = ApplicationStatus
ALLOWED = {
    (S.DRAFT, S.SUBMITTED),
    (S.DRAFT, S.WITHDRAWN),
    (S.SUBMITTED, S.IN_PROGRESS),
    (S.SUBMITTED, S.WAITING_FOR_APPLICANT),
    (S.SUBMITTED, S.REJECTED),
    (S.SUBMITTED, S.WITHDRAWN),
    (S.IN_PROGRESS, S.WAITING_FOR_APPLICANT),
    (S.IN_PROGRESS, S.APPROVED),
    (S.IN_PROGRESS, S.REJECTED),
    (S.IN_PROGRESS, S.WITHDRAWN),
    (S.WAITING_FOR_APPLICANT, S.IN_PROGRESS),
    (S.WAITING_FOR_APPLICANT, S.WITHDRAWN),
    (S.WAITING_FOR_APPLICANT, S.LAPSED),
    (S.APPROVED, S.ISSUED),
    (S.APPROVED, S.COMPLETED),
    (S.REJECTED, S.IN_PROGRESS),
}


@pytest.mark.parametrize(
    ("from_status", "to_status"), list(itertools.product(S, S)), ids=str
)
def test_every_pair_is_allowed_exactly_when_listed(from_status, to_status):
    """The table allows exactly the pairs the issue describes, no others."""
    assert can_transition(from_status, to_status) == (
        (from_status, to_status) in ALLOWED
    )


def test_every_status_has_a_row_and_final_states_lead_nowhere():
    assert set(TRANSITIONS) == set(S)
    assert {S.ISSUED, S.COMPLETED, S.WITHDRAWN, S.LAPSED} == FINAL
    assert not (WITHDRAWABLE & {S.APPROVED, S.REJECTED, *FINAL})

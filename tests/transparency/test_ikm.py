"""The IKM formula and grades of PermenPANRB 14/2017 (``transparency.ikm``)."""

from decimal import Decimal

import pytest

from transparency.ikm import grade_of, index_from_sums, index_of


def test_all_very_good_is_100_and_grade_a():
    """Every answer 4: NRR 4 per element, IKM 4 x 25 = 100 (A). The printed
    weight 0,111 would give 99.90; the exact 1/9 gives the table's top."""
    index = index_of([[4] * 9] * 3)
    assert index.value == Decimal("100.00")
    assert index.grade == "A"
    assert index.element_means == (Decimal("4.00"),) * 9


def test_all_not_good_is_25_and_grade_d():
    index = index_of([[1] * 9])
    assert index.value == Decimal("25.00")
    assert index.grade == "D"


def test_worked_example():
    """Two respondents: element means 3.5, 3, 2.5, 4, 3, 3, 3.5, 2, 3.5; their
    mean 28/9 = 3.1111; x 25 = 77.78 (B, 76.61-88.30)."""
    responses = [[4, 3, 2, 4, 3, 3, 4, 2, 4], [3, 3, 3, 4, 3, 3, 3, 2, 3]]
    index = index_of(responses)
    assert index.element_means[0] == Decimal("3.50")
    assert index.element_means[7] == Decimal("2.00")
    assert index.value == Decimal("77.78")
    assert index.grade == "B"
    assert index_from_sums(2, [7, 6, 5, 8, 6, 6, 7, 4, 7]) == index


@pytest.mark.parametrize(
    ("value", "grade"),
    [
        ("100.00", "A"),
        ("88.31", "A"),
        ("88.30", "B"),
        ("76.61", "B"),
        ("76.60", "C"),
        ("65.00", "C"),
        ("64.99", "D"),
        ("25.00", "D"),
    ],
)
def test_grade_boundaries_follow_the_conversion_table(value, grade):
    assert grade_of(Decimal(value))[0] == grade


def test_no_respondents_is_no_index():
    assert index_from_sums(0, [0] * 9) is None


@pytest.mark.parametrize(
    "responses",
    [[[5] * 9], [[0] * 9], [[3] * 8]],
)
def test_answers_off_the_scale_are_refused(responses):
    with pytest.raises(ValueError, match=r"scale|nine"):
        index_of(responses)


def test_sums_inconsistent_with_respondents_are_refused():
    with pytest.raises(ValueError, match="scale"):
        index_from_sums(2, [9] * 9)
    with pytest.raises(ValueError, match="Expected 9"):
        index_from_sums(2, [4] * 8)
    with pytest.raises(ValueError, match="outside"):
        grade_of(Decimal("24.99"))

"""The community satisfaction index (*Indeks Kepuasan Masyarakat*, IKM).

Source: Peraturan Menteri PANRB Nomor 14 Tahun 2017 tentang Pedoman Penyusunan
Survei Kepuasan Masyarakat Unit Penyelenggara Pelayanan Publik, Lampiran,
Bab II (unsur survei) and Bab III (pengolahan data):

- nine elements (*unsur*) U1..U9, each answered on a scale of 1 (tidak
  sesuai / tidak baik) to 4 (sangat sesuai / sangat baik);
- *nilai rata-rata* (NRR) of an element = sum of its answers / number of
  respondents;
- *NRR tertimbang* = NRR x weight, weight = 1 / number of elements = 1/9 (the
  regulation prints the rounded value 0,111);
- IKM = sum of the weighted NRRs (1..4); *IKM unit pelayanan* = IKM x 25
  (25..100);
- grade (*mutu pelayanan*) from the conversion table: A (Sangat Baik)
  88,31-100,00; B (Baik) 76,61-88,30; C (Kurang Baik) 65,00-76,60; D (Tidak
  Baik) 25,00-64,99.

We weight with the exact 1/9, not the printed 0,111: with 0,111 a unit whose
every answer is 4 would score 99,90, not the 100 the table tops out at. The
converted value is rounded half-up to two decimals before grading, as the
table is written in two decimals. Pure Python, no database.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext_lazy as _

#: The nine elements in the regulation's order: field name and label.
ELEMENTS: tuple[tuple[str, object], ...] = (
    ("u1", _("Requirements")),
    ("u2", _("Procedure")),
    ("u3", _("Service time")),
    ("u4", _("Fee")),
    ("u5", _("Service product")),
    ("u6", _("Staff competence")),
    ("u7", _("Staff behaviour")),
    ("u8", _("Complaint handling")),
    ("u9", _("Facilities")),
)
ELEMENT_FIELDS: tuple[str, ...] = tuple(name for name, _label in ELEMENTS)
SCALE = range(1, 5)
CONVERSION = Decimal(25)
TWO_PLACES = Decimal("0.01")

#: Lower bound of each grade on the 25..100 scale (Lampiran, tabel konversi).
GRADES: tuple[tuple[Decimal, str, object], ...] = (
    (Decimal("88.31"), "A", _("Very good")),
    (Decimal("76.61"), "B", _("Good")),
    (Decimal("65.00"), "C", _("Poor")),
    (Decimal("25.00"), "D", _("Very poor")),
)


@dataclass(frozen=True)
class Index:
    """IKM of a set of responses: ``element_means`` (NRR per element, 1..4),
    ``value`` (25.00..100.00, two decimals), ``grade`` (A-D) and its label."""

    respondents: int
    element_means: tuple[Decimal, ...]
    value: Decimal
    grade: str
    grade_label: object


def grade_of(value: Decimal) -> tuple[str, object]:
    """Grade letter and label of a converted value (25..100). Raises
    ``ValueError`` outside the table."""
    if not Decimal(25) <= value <= Decimal(100):
        raise ValueError(f"IKM value {value} is outside 25-100.")
    for lower, letter, label in GRADES:
        if value >= lower:
            return letter, label
    raise AssertionError("unreachable")  # pragma: no cover


def index_from_sums(respondents: int, sums: Sequence[int]) -> Index | None:
    """IKM from the per-element sums of ``respondents`` responses (nine sums,
    each ``respondents``..``4 x respondents``); ``None`` without respondents.
    Raises ``ValueError`` on a wrong number of sums or a sum off the scale."""
    if len(sums) != len(ELEMENTS):
        raise ValueError(f"Expected {len(ELEMENTS)} element sums, got {len(sums)}.")
    if respondents <= 0:
        return None
    for total in sums:
        if not respondents * SCALE.start <= total <= respondents * (SCALE.stop - 1):
            raise ValueError(f"Element sum {total} is off the 1-4 scale.")
    means = tuple(Decimal(total) / respondents for total in sums)
    weighted = sum(means, Decimal(0)) / len(ELEMENTS)
    value = (weighted * CONVERSION).quantize(TWO_PLACES, rounding=ROUND_HALF_UP)
    letter, label = grade_of(value)
    return Index(
        respondents,
        tuple(m.quantize(TWO_PLACES, rounding=ROUND_HALF_UP) for m in means),
        value,
        letter,
        label,
    )


def index_of(responses: Sequence[Sequence[int]]) -> Index | None:
    """IKM of individual responses, each nine answers 1..4."""
    sums = [0] * len(ELEMENTS)
    for answers in responses:
        if len(answers) != len(ELEMENTS):
            raise ValueError("Each response has nine answers.")
        for i, answer in enumerate(answers):
            if answer not in SCALE:
                raise ValueError(f"Answer {answer} is off the 1-4 scale.")
            sums[i] += answer
    return index_from_sums(len(responses), sums)

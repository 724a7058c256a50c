"""Worked cases derived by hand from the SLA rules (issue 9; ``sla.worktime``).

Calendar: the city's 2026 working-time calendar (``calendars.city_calendar``),
Mon-Fri 08:00-15:00 WIB, national holidays and cuti bersama closed, Ramadan
(19 Feb - 19 Mar 2026) Mon-Fri 08:00-14:00. Every time in the comments is WIB.
"""

from datetime import UTC, date, timedelta

import pytest

from .calendars import CUTI_BERSAMA_2026, NATIONAL_HOLIDAYS_2026, city_calendar, wib

CITY = city_calendar()
H = timedelta(hours=1)

HOURS_CASES = [
    # Inside working time: Tue 10:00 + 2 h is the same day, 12:00.
    pytest.param(wib(2026, 8, 4, 10), 2, wib(2026, 8, 4, 12), id="inside"),
    # Tue 13:00: 2 h until 15:00, the remaining 3 h on Wed from 08:00 -> 11:00.
    pytest.param(wib(2026, 8, 4, 13), 5, wib(2026, 8, 5, 11), id="overnight"),
    # Exactly at opening, a full day's 7 h: the earliest instant with 7 h elapsed is
    # the closing time itself, Wed 15:00, not Thu 08:00.
    pytest.param(wib(2026, 8, 5, 8), 7, wib(2026, 8, 5, 15), id="at-opening-to-close"),
    # Exactly at closing (Wed 15:00) is outside [08:00, 15:00): the clock starts at
    # Thu 08:00, so 1 h ends Thu 09:00.
    pytest.param(wib(2026, 8, 5, 15), 1, wib(2026, 8, 6, 9), id="at-closing"),
    # One microsecond before closing still counts that microsecond on Wed.
    pytest.param(
        wib(2026, 8, 5, 14, 59, 59, 999_999),
        1,
        wib(2026, 8, 6, 8, 59, 59, 999_999),
        id="just-before-closing",
    ),
    # Before opening (Thu 06:30): the clock starts at 08:00, 1 h ends 09:00.
    pytest.param(wib(2026, 8, 6, 6, 30), 1, wib(2026, 8, 6, 9), id="before-opening"),
    # Friday after closing (16:00): Sat and Sun have no working time, the clock
    # starts Mon 08:00, 1 h ends Mon 09:00.
    pytest.param(wib(2026, 8, 7, 16), 1, wib(2026, 8, 10, 9), id="friday-evening"),
    # Saturday: the clock starts Mon 08:00; 7 h fill Monday, the 8th ends Tue 09:00.
    pytest.param(wib(2026, 8, 8, 10), 8, wib(2026, 8, 11, 9), id="weekend"),
    # National holiday: Fri 14 Aug 14:00 counts 1 h to 15:00; Sat, Sun, and Mon
    # 17 Aug (Hari Kemerdekaan) are closed; the 2nd hour ends Tue 18 Aug 09:00.
    pytest.param(wib(2026, 8, 14, 14), 2, wib(2026, 8, 18, 9), id="national-holiday"),
    # PBG 10 working hours submitted Thu 10:00: 5 h Thu (10-15), 5 h Fri -> 13:00.
    pytest.param(wib(2026, 8, 13, 10), 10, wib(2026, 8, 14, 13), id="pbg-10-hours"),
    # Cuti bersama: Wed 13 May 14:00 counts 1 h; Thu 14 May (Kenaikan) and Fri
    # 15 May (cuti bersama) are closed, then the weekend; 2 h more end Mon 10:00.
    pytest.param(wib(2026, 5, 13, 14), 3, wib(2026, 5, 18, 10), id="cuti-bersama"),
    # Ramadan override: Thu 26 Feb 13:00 counts 1 h to the Ramadan closing at
    # 14:00, then 2 h on Fri from 08:00 -> 10:00 (15:00 closing would give 09:00).
    pytest.param(wib(2026, 2, 26, 13), 3, wib(2026, 2, 27, 10), id="ramadan"),
    # Ramadan closing: Mon 2 Mar 14:00 is closing time, clock starts Tue 08:00.
    pytest.param(wib(2026, 3, 2, 14), 1, wib(2026, 3, 3, 9), id="ramadan-at-closing"),
    # Fractional hours: 1.5 h from Tue 14:00 is 1 h Tue and 30 min Wed -> 08:30.
    pytest.param(wib(2026, 8, 4, 14), 1.5, wib(2026, 8, 5, 8, 30), id="fractional"),
    # Zero hours: the deadline is the clock start, Mon 08:00 for a Sunday event.
    pytest.param(wib(2026, 8, 9, 12), 0, wib(2026, 8, 10, 8), id="zero"),
]


@pytest.mark.parametrize(("start", "hours", "due"), HOURS_CASES)
def test_working_hours_deadline(start, hours, due):
    """N working hours end at the earliest instant with N hours of working time
    elapsed since the clock started."""
    result = CITY.add_working_hours(start, hours)
    assert result == due
    assert result.tzinfo is UTC
    assert CITY.elapsed(start, result) == hours * H


DAYS_CASES = [
    # Mon 10:00, 1 working day: the 1st working day after Monday is Tuesday, which
    # closes at 15:00.
    pytest.param(wib(2026, 8, 3, 10), 1, wib(2026, 8, 4, 15), id="inside"),
    # Mon 10:00, 5 days: Tue, Wed, Thu, Fri, then Mon 10 Aug 15:00.
    pytest.param(wib(2026, 8, 3, 10), 5, wib(2026, 8, 10, 15), id="five-days"),
    # At opening, Mon 08:00: the starting day is Monday either way -> Tue 15:00.
    pytest.param(wib(2026, 8, 3, 8), 1, wib(2026, 8, 4, 15), id="at-opening"),
    # Mon 14:59 is still Monday's working time -> Tue 15:00.
    pytest.param(wib(2026, 8, 3, 14, 59), 1, wib(2026, 8, 4, 15), id="before-closing"),
    # Exactly at closing, Mon 15:00: the clock starts Tue 08:00, so the starting day
    # is Tuesday and 1 working day ends Wed 15:00.
    pytest.param(wib(2026, 8, 3, 15), 1, wib(2026, 8, 5, 15), id="at-closing"),
    # Before opening, Mon 07:00: the clock starts Mon 08:00 -> Tue 15:00.
    pytest.param(wib(2026, 8, 3, 7), 1, wib(2026, 8, 4, 15), id="before-opening"),
    # Friday after closing (16:00): the clock starts Mon 08:00, starting day Monday,
    # 1 working day ends Tue 15:00.
    pytest.param(wib(2026, 8, 7, 16), 1, wib(2026, 8, 11, 15), id="friday-evening"),
    # Saturday 10:00: same clock start, same deadline as Friday evening.
    pytest.param(wib(2026, 8, 8, 10), 1, wib(2026, 8, 11, 15), id="saturday"),
    # Fri 14 Aug 10:00, 1 day: Mon 17 Aug is Hari Kemerdekaan -> Tue 18 Aug 15:00.
    pytest.param(wib(2026, 8, 14, 10), 1, wib(2026, 8, 18, 15), id="national-holiday"),
    # Thu 13 Aug 09:00, 5 days: Fri 14, (Mon 17 closed) Tue 18, Wed 19, Thu 20,
    # Fri 21 -> Fri 21 Aug 15:00.
    pytest.param(wib(2026, 8, 13, 9), 5, wib(2026, 8, 21, 15), id="five-over-holiday"),
    # Wed 13 May 10:00, 1 day: Thu 14 (Kenaikan) and Fri 15 May (cuti bersama) are
    # closed -> Mon 18 May 15:00.
    pytest.param(wib(2026, 5, 13, 10), 1, wib(2026, 5, 18, 15), id="cuti-bersama"),
    # Ramadan: Mon 2 Mar 10:00, 2 days -> Tue 3, Wed 4 Mar, closing 14:00.
    pytest.param(wib(2026, 3, 2, 10), 2, wib(2026, 3, 4, 14), id="ramadan"),
    # Idul Fitri: Tue 17 Mar 10:00, 3 days. Closed: Wed 18 (cuti bersama), Thu 19
    # (Nyepi), Fri 20 (cuti bersama), weekend, Mon 23 and Tue 24 (cuti bersama).
    # Wed 25, Thu 26, Fri 27 Mar; Ramadan is over, so closing 15:00.
    pytest.param(wib(2026, 3, 17, 10), 3, wib(2026, 3, 27, 15), id="idul-fitri"),
    # Zero days: the closing time of the starting day itself.
    pytest.param(wib(2026, 8, 3, 10), 0, wib(2026, 8, 3, 15), id="zero"),
    # Zero days after closing: the starting day is the next working day.
    pytest.param(wib(2026, 8, 7, 15), 0, wib(2026, 8, 10, 15), id="zero-after-close"),
]


@pytest.mark.parametrize(("start", "days", "due"), DAYS_CASES)
def test_working_days_deadline(start, days, due):
    """N working days end at the closing time of the N-th working day after the
    day on which the clock started."""
    result = CITY.add_working_days(start, days)
    assert result == due
    assert result.tzinfo is UTC
    assert CITY.deadline(start, days=days).due_at == due


def test_cuti_bersama_counts_where_the_agency_works_through_it():
    """An agency that stays open on cuti bersama gets a calendar without those
    dates: Wed 13 May 10:00 + 1 day is then Fri 15 May 15:00 (Thu 14 May, Kenaikan,
    stays closed)."""
    open_on_cuti = city_calendar(closed_dates=NATIONAL_HOLIDAYS_2026)
    start = wib(2026, 5, 13, 10)
    assert CITY.add_working_days(start, 1) == wib(2026, 5, 18, 15)
    assert open_on_cuti.add_working_days(start, 1) == wib(2026, 5, 15, 15)


def test_pause_spanning_a_weekend_carries_hours_over():
    """10 working hours from Thu 6 Aug 10:00: Thu counts 5 h, Fri 08:00-11:00 3 h,
    then the clock pauses (revision requested) with 2 h left. Resumed on Mon
    10:00, the deadline is Mon 12:00; without the pause it was Fri 13:00."""
    start = wib(2026, 8, 6, 10)
    assert CITY.add_working_hours(start, 10) == wib(2026, 8, 7, 13)
    result = CITY.deadline(
        start, hours=10, pauses=[(wib(2026, 8, 7, 11), wib(2026, 8, 10, 10))]
    )
    assert result.due_at == wib(2026, 8, 10, 12)
    assert result.budget == 10 * H
    assert result.remaining == 2 * H


def test_resumption_on_a_weekend_restarts_at_the_next_opening():
    """Paused Fri 14:00 with 2 h left, resumed Sat 09:00 (applicant uploads on
    Saturday): no working time until Mon 08:00, so the deadline is Mon 10:00."""
    start = wib(2026, 8, 7, 8)  # Fri 08:00 + 8 h: 6 h until the pause at 14:00
    result = CITY.deadline(
        start, hours=8, pauses=[(wib(2026, 8, 7, 14), wib(2026, 8, 8, 9))]
    )
    assert result.due_at == wib(2026, 8, 10, 10)


def test_pause_on_a_day_sla_moves_the_deadline_to_mid_day():
    """3 working days from Mon 3 Aug 10:00 end Thu 6 Aug 15:00: a budget of 5 + 7 +
    7 + 7 = 26 h. Paused Tue 12:00 after 5 + 4 = 9 h, 17 h remain. Resumed Fri
    10:00: Fri 5 h (12 left), Mon 7 h (5 left), Tue 11 Aug 08:00 + 5 h = 13:00."""
    start = wib(2026, 8, 3, 10)
    assert CITY.add_working_days(start, 3) == wib(2026, 8, 6, 15)
    paused_at = wib(2026, 8, 4, 12)
    assert CITY.remaining(paused_at, wib(2026, 8, 6, 15)) == 17 * H
    result = CITY.deadline(start, days=3, pauses=[(paused_at, wib(2026, 8, 7, 10))])
    assert result.due_at == wib(2026, 8, 11, 13)
    assert (result.budget, result.remaining) == (26 * H, 17 * H)


def test_two_pauses_and_an_open_pause():
    """PBG-like 10 h from Mon 3 Aug 08:00. Pause 1 (revision) Mon 12:00-Tue 12:00:
    4 h used, 6 h left. Pause 2 (payment) Tue 14:00, still open: 2 h more used,
    4 h left and no deadline. Paid Wed 09:00: 4 h -> Wed 13:00."""
    start = wib(2026, 8, 3, 8)
    revision = (wib(2026, 8, 3, 12), wib(2026, 8, 4, 12))
    waiting = CITY.deadline(
        start, hours=10, pauses=[revision, (wib(2026, 8, 4, 14), None)]
    )
    assert waiting.paused
    assert waiting.due_at is None
    assert waiting.remaining == 4 * H
    paid = CITY.deadline(
        start,
        hours=10,
        pauses=[revision, (wib(2026, 8, 4, 14), wib(2026, 8, 5, 9))],
    )
    assert paid.due_at == wib(2026, 8, 5, 13)


def test_deadline_passed_before_a_pause_stays_put():
    """2 h from Mon 10:00 are due Mon 12:00. A pause from 13:00 to Tue 09:00 comes
    after the breach: the deadline stays Mon 12:00 and 1 h is overdue at the
    pause."""
    result = CITY.deadline(
        wib(2026, 8, 3, 10),
        hours=2,
        pauses=[(wib(2026, 8, 3, 13), wib(2026, 8, 4, 9))],
    )
    assert result.due_at == wib(2026, 8, 3, 12)
    assert result.remaining == -1 * H


def test_holiday_added_while_the_clock_runs():
    """5 working days from Wed 19 Aug 10:00, paused Fri 21 Aug 10:00 - Mon 24 Aug
    10:00, on a calendar that does not yet close Tue 25 Aug (Maulid).

    Before: due Wed 26 Aug 15:00; budget Wed 5 h + 5 x 7 h = 40 h; 14 h used
    before the pause (Wed 5, Thu 7, Fri 2), 26 h left from Mon 10:00: Mon 5, Tue 7,
    Wed 7, Thu 7 -> Thu 27 Aug 15:00.
    After closing 25 Aug, recomputed from the same clock start and pauses: due
    without pauses Thu 27 Aug 15:00, still 40 h; 26 h from Mon 10:00: Mon 5, Wed 7,
    Thu 7, Fri 7 -> Fri 28 Aug 15:00.
    """
    maulid = date(2026, 8, 25)
    without_maulid = city_calendar(
        closed_dates=[
            day for day in NATIONAL_HOLIDAYS_2026 + CUTI_BERSAMA_2026 if day != maulid
        ]
    )
    start = wib(2026, 8, 19, 10)
    pauses = [(wib(2026, 8, 21, 10), wib(2026, 8, 24, 10))]
    before = without_maulid.deadline(start, days=5, pauses=pauses)
    after = CITY.deadline(start, days=5, pauses=pauses)
    assert without_maulid.add_working_days(start, 5) == wib(2026, 8, 26, 15)
    assert before.due_at == wib(2026, 8, 27, 15)
    assert CITY.add_working_days(start, 5) == wib(2026, 8, 27, 15)
    assert after.due_at == wib(2026, 8, 28, 15)
    assert before.budget == after.budget == 40 * H


def test_pause_during_closed_time_changes_nothing():
    """A pause from Fri 16:00 to Mon 07:00 covers no working time: same deadline."""
    start = wib(2026, 8, 6, 10)
    plain = CITY.deadline(start, days=2)
    paused = CITY.deadline(
        start, days=2, pauses=[(wib(2026, 8, 7, 16), wib(2026, 8, 10, 7))]
    )
    assert plain.due_at == paused.due_at == wib(2026, 8, 10, 15)

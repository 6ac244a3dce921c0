"""The pure working-day rules, without a database (the holiday dates are written out here)."""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from layanan.workdays.calendar import JAKARTA, WorkCalendar

# National holidays and cuti bersama around Lebaran (domain facts §7).
NATIONAL_2025 = {date(2025, 3, 29), date(2025, 3, 31), date(2025, 4, 1), date(2025, 4, 18), date(2025, 4, 20)}
CUTI_2025 = {date(2025, 3, 28), date(2025, 4, 2), date(2025, 4, 3), date(2025, 4, 4), date(2025, 4, 7)}
NATIONAL_2026 = {date(2026, 3, 19), date(2026, 3, 21), date(2026, 3, 22), date(2026, 4, 3), date(2026, 4, 5)}
CUTI_2026 = {date(2026, 3, 18), date(2026, 3, 20), date(2026, 3, 23), date(2026, 3, 24)}
ALL_OFF = frozenset(NATIONAL_2025 | CUTI_2025 | NATIONAL_2026 | CUTI_2026)
NATIONAL_ONLY = frozenset(NATIONAL_2025 | NATIONAL_2026)
CUTOFF = time(15, 0)


def wib(year: int, month: int, day: int, hour: int = 0, minute: int = 0, second: int = 0) -> datetime:
    """A wall-clock time in Jakarta (WIB)."""
    return datetime(year, month, day, hour, minute, second, tzinfo=JAKARTA)


@pytest.fixture
def office() -> WorkCalendar:
    """A Monday-Friday unit that observes cuti bersama, with a 15:00 cut-off."""
    return WorkCalendar(non_working_dates=ALL_OFF, saturday_is_workday=False, cutoff=CUTOFF, tz=JAKARTA)


def test_weekends_and_holidays_are_not_working_days(office: WorkCalendar) -> None:
    assert office.is_working_day(date(2025, 3, 27))  # Thursday
    assert not office.is_working_day(date(2025, 3, 28))  # Friday, cuti bersama Nyepi
    assert not office.is_working_day(date(2025, 3, 29))  # Saturday, Nyepi
    assert not office.is_working_day(date(2025, 3, 30))  # Sunday
    assert not office.is_working_day(date(2025, 3, 31))  # Monday, Idul Fitri


def test_lebaran_2025_five_working_days(office: WorkCalendar) -> None:
    # Received Thu 27 Mar 2025 10:00, before the 15:00 cut-off: day 0 is Thu 27 Mar.
    # Off: Fri 28 Mar cuti bersama Nyepi, Sat 29 Nyepi, Sun 30, Mon 31 Mar and Tue 1 Apr Idul Fitri,
    # Wed 2, Thu 3, Fri 4 Apr cuti bersama, Sat 5, Sun 6, Mon 7 Apr cuti bersama.
    # Day 1 Tue 8 Apr, day 2 Wed 9, day 3 Thu 10, day 4 Fri 11, day 5 Mon 14 Apr.
    received = wib(2025, 3, 27, 10, 0)

    assert office.add_working_days(received, 4) == date(2025, 4, 11)
    assert office.add_working_days(received, 5) == date(2025, 4, 14)


def test_lebaran_2025_after_cutoff_starts_after_the_break(office: WorkCalendar) -> None:
    # Received Thu 27 Mar 2025 16:00, after the cut-off: day 0 is the next working day, Tue 8 Apr.
    # Day 1 Wed 9, day 2 Thu 10, day 3 Fri 11, day 4 Mon 14, day 5 Tue 15 Apr.
    received = wib(2025, 3, 27, 16, 0)

    assert office.day_zero(received) == date(2025, 4, 8)
    assert office.add_working_days(received, 5) == date(2025, 4, 15)


def test_lebaran_2026_five_and_ten_working_days(office: WorkCalendar) -> None:
    # Received Tue 17 Mar 2026 14:00: day 0 Tue 17 Mar.
    # Off: Wed 18 cuti Nyepi, Thu 19 Nyepi, Fri 20 cuti Idul Fitri, Sat 21 and Sun 22 Idul Fitri,
    # Mon 23 and Tue 24 cuti Idul Fitri.
    # Day 1 Wed 25, day 2 Thu 26, day 3 Fri 27, day 4 Mon 30, day 5 Tue 31 Mar;
    # day 6 Wed 1 Apr, day 7 Thu 2 Apr, (Fri 3 Apr Good Friday), day 8 Mon 6, day 9 Tue 7, day 10 Wed 8 Apr.
    received = wib(2026, 3, 17, 14, 0)

    assert office.add_working_days(received, 5) == date(2026, 3, 31)
    assert office.add_working_days(received, 10) == date(2026, 4, 8)


def test_lebaran_2026_after_cutoff(office: WorkCalendar) -> None:
    # Received Tue 17 Mar 2026 15:30: day 0 Wed 25 Mar; day 1 Thu 26, day 2 Fri 27, day 3 Mon 30,
    # day 4 Tue 31 Mar, day 5 Wed 1 Apr.
    assert office.add_working_days(wib(2026, 3, 17, 15, 30), 5) == date(2026, 4, 1)


def test_cutoff_is_exclusive(office: WorkCalendar) -> None:
    # 14:59:59 is still today; 15:00:00 is already the next working day (Fri 27 Mar 2026 → Mon 30).
    assert office.day_zero(wib(2026, 3, 27, 14, 59, 59)) == date(2026, 3, 27)
    assert office.day_zero(wib(2026, 3, 27, 15, 0, 0)) == date(2026, 3, 30)


def test_zero_days_gives_the_start_working_day(office: WorkCalendar) -> None:
    # Sat 21 Mar 2026 (Idul Fitri) 09:00: day 0 is Wed 25 Mar, the first working day after the break.
    assert office.add_working_days(wib(2026, 3, 21, 9, 0), 0) == date(2026, 3, 25)
    assert office.add_working_days(wib(2026, 3, 26, 9, 0), 0) == date(2026, 3, 26)


def test_a_plain_date_counts_as_received_before_the_cutoff(office: WorkCalendar) -> None:
    assert office.add_working_days(date(2026, 3, 17), 0) == date(2026, 3, 17)
    assert office.add_working_days(date(2026, 3, 17), 1) == date(2026, 3, 25)


def test_without_cutoff_any_time_of_a_working_day_is_day_zero() -> None:
    calendar = WorkCalendar(non_working_dates=ALL_OFF, saturday_is_workday=False, cutoff=None, tz=JAKARTA)

    assert calendar.day_zero(wib(2026, 3, 17, 23, 59)) == date(2026, 3, 17)


def test_aware_datetimes_are_read_in_jakarta_time(office: WorkCalendar) -> None:
    # 07:59 UTC = 14:59 WIB (before the cut-off); 08:00 UTC = 15:00 WIB (after).
    assert office.day_zero(datetime(2025, 3, 27, 7, 59, tzinfo=UTC)) == date(2025, 3, 27)
    assert office.day_zero(datetime(2025, 3, 27, 8, 0, tzinfo=UTC)) == date(2025, 4, 8)
    # 18:00 UTC on Mon 16 Mar 2026 is 01:00 WIB on Tue 17 Mar.
    assert office.day_zero(datetime(2026, 3, 16, 18, 0, tzinfo=UTC)) == date(2026, 3, 17)
    # 14:30 in Makassar (WITA, UTC+8) is 13:30 in Jakarta.
    makassar = datetime(2026, 3, 27, 14, 30, tzinfo=ZoneInfo("Asia/Makassar"))
    assert office.day_zero(makassar) == date(2026, 3, 27)


def test_saturday_unit_works_saturdays_but_not_holiday_saturdays() -> None:
    # Saturday-open unit, cuti bersama observed. 2025: Sat 29 Mar is Nyepi (off), Sat 5 Apr works.
    # Day 0 Thu 27 Mar; day 1 Sat 5 Apr, day 2 Tue 8, day 3 Wed 9, day 4 Thu 10, day 5 Fri 11 Apr.
    calendar = WorkCalendar(non_working_dates=ALL_OFF, saturday_is_workday=True, cutoff=CUTOFF, tz=JAKARTA)

    assert not calendar.is_working_day(date(2025, 3, 29))
    assert calendar.is_working_day(date(2025, 4, 5))
    assert not calendar.is_working_day(date(2025, 4, 6))  # Sunday never works
    assert calendar.add_working_days(wib(2025, 3, 27, 10, 0), 5) == date(2025, 4, 11)
    # 2026: Sat 21 Mar is Idul Fitri (off), Sat 28 Mar works.
    # Day 0 Tue 17 Mar; day 1 Wed 25, day 2 Thu 26, day 3 Fri 27, day 4 Sat 28, day 5 Mon 30 Mar.
    assert calendar.add_working_days(wib(2026, 3, 17, 14, 0), 5) == date(2026, 3, 30)


def test_unit_without_cuti_bersama_works_through_collective_leave() -> None:
    # Only national holidays off. 2025: day 0 Thu 27 Mar; day 1 Fri 28 Mar, (Sat 29 - Tue 1 Apr off),
    # day 2 Wed 2 Apr, day 3 Thu 3, day 4 Fri 4, day 5 Mon 7 Apr.
    calendar = WorkCalendar(
        non_working_dates=NATIONAL_ONLY, saturday_is_workday=False, cutoff=CUTOFF, tz=JAKARTA
    )

    assert calendar.add_working_days(wib(2025, 3, 27, 10, 0), 5) == date(2025, 4, 7)
    # 2026: day 0 Tue 17 Mar; day 1 Wed 18, (Thu 19 Nyepi), day 2 Fri 20, (Sat 21, Sun 22),
    # day 3 Mon 23, day 4 Tue 24, day 5 Wed 25 Mar.
    assert calendar.add_working_days(wib(2026, 3, 17, 14, 0), 5) == date(2026, 3, 25)


def test_unit_closures_are_skipped() -> None:
    # Closed Wed 25 and Thu 26 Mar 2026 on top of Lebaran. Day 0 Tue 17 Mar; day 1 Fri 27,
    # day 2 Mon 30, day 3 Tue 31 Mar, day 4 Wed 1 Apr, day 5 Thu 2 Apr.
    closed = ALL_OFF | {date(2026, 3, 25), date(2026, 3, 26)}
    calendar = WorkCalendar(non_working_dates=closed, saturday_is_workday=False, cutoff=CUTOFF, tz=JAKARTA)

    assert calendar.add_working_days(wib(2026, 3, 17, 14, 0), 5) == date(2026, 4, 2)


def test_negative_days_count_back_from_day_zero(office: WorkCalendar) -> None:
    # Two working days before Wed 25 Mar 2026: Tue 17 Mar (day -1), Mon 16 Mar (day -2).
    assert office.add_working_days(date(2026, 3, 25), -2) == date(2026, 3, 16)


def test_next_working_day_skips_the_whole_break(office: WorkCalendar) -> None:
    assert office.next_working_day(date(2025, 3, 27)) == date(2025, 4, 8)
    assert office.next_working_day(date(2026, 3, 17)) == date(2026, 3, 25)


def test_working_days_between_counts_after_start_up_to_end(office: WorkCalendar) -> None:
    # (Thu 27 Mar 2025, Mon 14 Apr 2025]: Tue 8, Wed 9, Thu 10, Fri 11, Mon 14 Apr = 5.
    assert office.working_days_between(date(2025, 3, 27), date(2025, 4, 14)) == 5
    assert office.working_days_between(date(2025, 4, 14), date(2025, 3, 27)) == -5
    assert office.working_days_between(date(2025, 3, 27), date(2025, 3, 27)) == 0
    # Inside the break nothing counts.
    assert office.working_days_between(date(2025, 3, 27), date(2025, 4, 7)) == 0
    # (Tue 17 Mar 2026, Tue 31 Mar 2026]: 25, 26, 27, 30, 31 Mar = 5.
    assert office.working_days_between(date(2026, 3, 17), date(2026, 3, 31)) == 5


def test_working_days_between_takes_the_jakarta_date_of_datetimes(office: WorkCalendar) -> None:
    # 20:00 UTC on Tue 24 Mar 2026 is already Wed 25 Mar in Jakarta, a working day.
    assert office.working_days_between(date(2026, 3, 24), datetime(2026, 3, 24, 20, 0, tzinfo=UTC)) == 1


@pytest.mark.parametrize("saturday", [False, True])
def test_between_is_antisymmetric_and_inverse_of_add(saturday: bool) -> None:
    calendar = WorkCalendar(non_working_dates=ALL_OFF, saturday_is_workday=saturday, cutoff=None, tz=JAKARTA)
    rng = random.Random(20260323)
    first = date(2025, 1, 1)

    for _ in range(300):
        a = first + timedelta(days=rng.randrange(800))
        b = first + timedelta(days=rng.randrange(800))
        naive = sum(1 for i in range(1, (b - a).days + 1) if calendar.is_working_day(a + timedelta(days=i)))

        assert calendar.working_days_between(a, b) == -calendar.working_days_between(b, a)
        if b >= a:
            assert calendar.working_days_between(a, b) == naive
        if calendar.is_working_day(a):
            n = rng.randrange(40)
            assert calendar.working_days_between(a, calendar.add_working_days(a, n)) == n


def test_calendar_is_hashable_value() -> None:
    one = WorkCalendar(non_working_dates=ALL_OFF, saturday_is_workday=False, cutoff=CUTOFF, tz=JAKARTA)
    two = WorkCalendar(non_working_dates=ALL_OFF, saturday_is_workday=False, cutoff=CUTOFF, tz=JAKARTA)

    assert one == two
    assert hash(one) == hash(two)

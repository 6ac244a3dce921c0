from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, time
from typing import Any

import pytest
from django.core.cache import cache
from django.db import transaction

from layanan.accounts.models import ServiceUnit, User
from layanan.accounts.tests.factories import ServiceUnitFactory
from layanan.workdays import queries
from layanan.workdays.actions import add_holiday, import_holidays, remove_holiday
from layanan.workdays.calendar import JAKARTA
from layanan.workdays.models import Holiday
from layanan.workdays.queries import (
    add_working_days,
    calendar_for_unit,
    standard_calendar,
    working_days_between,
)
from layanan.workdays.tests.factories import HolidayFactory, UnitClosureFactory

pytestmark = pytest.mark.django_db


def wib(year: int, month: int, day: int, hour: int = 0, minute: int = 0, second: int = 0) -> datetime:
    """A wall-clock time in Jakarta (WIB)."""
    return datetime(year, month, day, hour, minute, second, tzinfo=JAKARTA)


@pytest.fixture
def official(db: None, django_capture_on_commit_callbacks: Callable[..., Any]) -> None:
    """The 2025 and 2026 holidays, loaded as by an operator (committed)."""
    with django_capture_on_commit_callbacks(execute=True):
        import_holidays([2025, 2026])


def test_standard_calendar_across_lebaran_2025(official: None) -> None:
    # Thu 27 Mar 2025 + 5: off Fri 28 Mar - Mon 7 Apr (cuti bersama, Nyepi, Idul Fitri, weekends);
    # day 1 Tue 8, 2 Wed 9, 3 Thu 10, 4 Fri 11, 5 Mon 14 Apr. The standard calendar has no cut-off.
    assert add_working_days(wib(2025, 3, 27, 10, 0), 5) == date(2025, 4, 14)
    assert add_working_days(wib(2025, 3, 27, 16, 0), 5) == date(2025, 4, 14)
    assert working_days_between(date(2025, 3, 27), date(2025, 4, 14)) == 5
    assert working_days_between(date(2025, 4, 14), date(2025, 3, 27)) == -5
    assert queries.next_working_day(date(2025, 3, 27)) == date(2025, 4, 8)
    assert not queries.is_working_day(date(2025, 4, 7))


def test_unit_calendar_across_lebaran_2026(official: None, unit_a: ServiceUnit) -> None:
    # unit_a: Monday-Friday, cuti bersama observed, cut-off 15:00.
    # Tue 17 Mar 2026 14:00 → day 0 Tue 17; off 18-24 Mar; day 1 Wed 25, 2 Thu 26, 3 Fri 27,
    # 4 Mon 30, 5 Tue 31 Mar.
    assert add_working_days(wib(2026, 3, 17, 14, 0), 5, unit=unit_a) == date(2026, 3, 31)
    # At 15:30 (after the cut-off) day 0 is Wed 25 Mar, so day 5 is Wed 1 Apr.
    assert add_working_days(wib(2026, 3, 17, 15, 30), 5, unit=unit_a) == date(2026, 4, 1)


def test_unit_cutoff_comes_from_the_unit(official: None) -> None:
    unit = ServiceUnitFactory(cutoff_at=time(12, 0))

    # Fri 27 Mar 2026 12:30 is after this unit's 12:00 cut-off: day 0 is Mon 30 Mar.
    assert add_working_days(wib(2026, 3, 27, 12, 30), 0, unit=unit) == date(2026, 3, 30)
    assert add_working_days(wib(2026, 3, 27, 11, 59), 0, unit=unit) == date(2026, 3, 27)


def test_saturday_unit(official: None) -> None:
    unit = ServiceUnitFactory(works_saturday=True)

    # Sat 21 Mar 2026 is Idul Fitri (off); Sat 28 Mar works.
    # Day 0 Tue 17 Mar; 1 Wed 25, 2 Thu 26, 3 Fri 27, 4 Sat 28, 5 Mon 30 Mar.
    assert add_working_days(wib(2026, 3, 17, 14, 0), 5, unit=unit) == date(2026, 3, 30)
    assert calendar_for_unit(unit).is_working_day(date(2026, 3, 28))
    assert not calendar_for_unit(unit).is_working_day(date(2026, 3, 29))


def test_unit_that_does_not_observe_cuti_bersama(official: None) -> None:
    unit = ServiceUnitFactory(observes_cuti_bersama=False)

    # 2025: day 0 Thu 27 Mar; 1 Fri 28 Mar (cuti bersama, but this unit works), (Sat 29 - Tue 1 Apr off),
    # 2 Wed 2 Apr, 3 Thu 3, 4 Fri 4, 5 Mon 7 Apr.
    assert add_working_days(wib(2025, 3, 27, 10, 0), 5, unit=unit) == date(2025, 4, 7)
    # 2026: day 0 Tue 17 Mar; 1 Wed 18, (Thu 19 Nyepi), 2 Fri 20, (Sat 21, Sun 22 Idul Fitri),
    # 3 Mon 23, 4 Tue 24, 5 Wed 25 Mar.
    assert add_working_days(wib(2026, 3, 17, 14, 0), 5, unit=unit) == date(2026, 3, 25)


def test_unit_closures_count_only_for_that_unit(
    official: None, unit_a: ServiceUnit, unit_b: ServiceUnit
) -> None:
    UnitClosureFactory(unit=unit_a, date=date(2026, 3, 25))
    UnitClosureFactory(unit=unit_a, date=date(2026, 3, 26))

    # unit_a: day 0 Tue 17 Mar; 1 Fri 27, 2 Mon 30, 3 Tue 31, 4 Wed 1 Apr, 5 Thu 2 Apr.
    assert add_working_days(wib(2026, 3, 17, 14, 0), 5, unit=unit_a) == date(2026, 4, 2)
    assert add_working_days(wib(2026, 3, 17, 14, 0), 5, unit=unit_b) == date(2026, 3, 31)
    assert add_working_days(wib(2026, 3, 17, 14, 0), 5) == date(2026, 3, 31)


def test_between_is_antisymmetric_for_a_unit(official: None, unit_a: ServiceUnit) -> None:
    pairs = [(date(2025, 3, 1), date(2025, 5, 1)), (date(2026, 3, 17), date(2026, 3, 31))]

    for a, b in pairs:
        assert working_days_between(a, b, unit=unit_a) == -working_days_between(b, a, unit=unit_a)
    assert working_days_between(date(2026, 3, 17), date(2026, 3, 31), unit=unit_a) == 5


def test_repeated_calls_hit_no_database(
    official: None, unit_a: ServiceUnit, django_assert_num_queries: Callable[..., Any]
) -> None:
    add_working_days(date(2026, 3, 17), 5, unit=unit_a)

    with django_assert_num_queries(0):
        for _ in range(100):
            add_working_days(date(2026, 3, 17), 5, unit=unit_a)
            working_days_between(date(2026, 1, 1), date(2026, 12, 31))


def test_an_added_holiday_counts_at_once_in_its_own_transaction(official: None, admin_user: User) -> None:
    assert add_working_days(date(2026, 3, 25), 1) == date(2026, 3, 26)

    add_holiday(
        actor=admin_user, on=date(2026, 3, 26), name="Tambahan", kind="national", legal_source="Keppres"
    )

    assert add_working_days(date(2026, 3, 25), 1) == date(2026, 3, 27)


def test_a_committed_change_reaches_other_processes_through_the_shared_version(
    official: None, admin_user: User, django_capture_on_commit_callbacks: Callable[..., Any]
) -> None:
    standard_calendar()
    version = cache.get(queries.CALENDAR_VERSION_KEY)

    with django_capture_on_commit_callbacks(execute=True):
        holiday = add_holiday(
            actor=admin_user, on=date(2026, 3, 26), name="Tambahan", kind="national", legal_source="Keppres"
        )

    assert cache.get(queries.CALENDAR_VERSION_KEY) != version
    # Another process still holding the old dates sees the new version and reloads.
    assert date(2026, 3, 26) in standard_calendar().non_working_dates

    with django_capture_on_commit_callbacks(execute=True):
        remove_holiday(holiday, actor=admin_user)

    assert date(2026, 3, 26) not in standard_calendar().non_working_dates


def test_a_process_holding_old_dates_reloads_when_the_version_moves(official: None) -> None:
    assert date(2026, 3, 26) not in standard_calendar().non_working_dates
    # Another process adds a holiday and publishes a new version; this process has not seen it.
    HolidayFactory(date=date(2026, 3, 26))

    assert date(2026, 3, 26) not in standard_calendar().non_working_dates  # still the held dates

    cache.set(queries.CALENDAR_VERSION_KEY, "another-process")

    assert date(2026, 3, 26) in standard_calendar().non_working_dates


def test_holidays_in_year_and_years(official: None) -> None:
    assert queries.holidays_in_year(2026).count() == 25
    assert queries.holiday_years() == [2025, 2026]
    assert queries.holidays_in_year(2026).first() == Holiday.objects.get(date=date(2026, 1, 1))


def test_a_rolled_back_change_leaves_no_trace(official: None, admin_user: User) -> None:
    assert date(2026, 3, 26) not in standard_calendar().non_working_dates

    with transaction.atomic():
        add_holiday(actor=admin_user, on=date(2026, 3, 26), name="Batal", kind="national", legal_source="x")
        assert date(2026, 3, 26) in standard_calendar().non_working_dates
        transaction.set_rollback(True)

    assert date(2026, 3, 26) not in standard_calendar().non_working_dates


def test_dates_read_inside_a_nested_block_are_not_reused_outside(official: None) -> None:
    standard_calendar()

    with transaction.atomic():
        HolidayFactory(date=date(2026, 3, 26))
        assert date(2026, 3, 26) in standard_calendar().non_working_dates
        transaction.set_rollback(True)

    assert date(2026, 3, 26) not in standard_calendar().non_working_dates

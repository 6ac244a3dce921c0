"""Survey periods: keys, bounds, neighbours and labels (pure, no database)."""

from __future__ import annotations

import datetime

import pytest
from django.utils import translation

from layanan.survey.periods import Period, recent_periods

D = datetime.date


@pytest.mark.parametrize(
    ("key", "period", "start", "end"),
    [
        ("2026", Period(2026), D(2026, 1, 1), D(2026, 12, 31)),
        ("2026-S1", Period(2026, "semester", 1), D(2026, 1, 1), D(2026, 6, 30)),
        ("2026-S2", Period(2026, "semester", 2), D(2026, 7, 1), D(2026, 12, 31)),
        ("2026-T1", Period(2026, "quarter", 1), D(2026, 1, 1), D(2026, 3, 31)),
        ("2026-T2", Period(2026, "quarter", 2), D(2026, 4, 1), D(2026, 6, 30)),
        ("2026-T3", Period(2026, "quarter", 3), D(2026, 7, 1), D(2026, 9, 30)),
        ("2026-T4", Period(2026, "quarter", 4), D(2026, 10, 1), D(2026, 12, 31)),
        ("2024-T1", Period(2024, "quarter", 1), D(2024, 1, 1), D(2024, 3, 31)),
    ],
)
def test_a_key_parses_and_round_trips(key: str, period: Period, start: D, end: D) -> None:
    parsed = Period.parse(key)

    assert parsed == period
    assert parsed.key == key
    assert str(parsed) == key
    assert Period.parse(parsed.key) == parsed
    assert (parsed.start, parsed.end) == (start, end)
    assert parsed.contains(start)
    assert parsed.contains(end)
    assert not parsed.contains(start - datetime.timedelta(days=1))
    assert not parsed.contains(end + datetime.timedelta(days=1))


def test_february_of_a_leap_year_is_in_the_first_quarter() -> None:
    assert Period.containing(D(2028, 2, 29), "quarter") == Period(2028, "quarter", 1)
    assert Period(2028, "quarter", 1).end == D(2028, 3, 31)


@pytest.mark.parametrize(
    ("period", "following"),
    [
        (Period(2026), Period(2027)),
        (Period(2026, "semester", 1), Period(2026, "semester", 2)),
        (Period(2026, "semester", 2), Period(2027, "semester", 1)),
        (Period(2026, "quarter", 3), Period(2026, "quarter", 4)),
        (Period(2026, "quarter", 4), Period(2027, "quarter", 1)),
    ],
)
def test_next_and_previous_cross_the_year(period: Period, following: Period) -> None:
    assert period.next() == following
    assert following.previous() == period
    assert following.start == period.end + datetime.timedelta(days=1)


@pytest.mark.parametrize(
    "key",
    [
        "",
        "26",
        "2026-",
        "2026-S3",
        "2026-S0",
        "2026-T5",
        "2026-T0",
        "2026-Q1",
        "2026-s2",
        "2026-T12",
        " 2026",
        "2026 ",
        "2026\n",
        "1999",
        "3000",
        "2026-S2/../",
        "abcd",
    ],
)
def test_bad_keys_raise_value_error(key: str) -> None:
    with pytest.raises(ValueError):
        Period.parse(key)


@pytest.mark.parametrize(
    ("kind", "number"), [("month", 1), ("year", 2), ("semester", 3), ("quarter", 0), ("quarter", 5)]
)
def test_a_period_that_does_not_exist_cannot_be_made(kind: str, number: int) -> None:
    with pytest.raises(ValueError):
        Period(2026, kind, number)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("day", "kind", "expected"),
    [
        (D(2026, 1, 1), "year", "2026"),
        (D(2026, 12, 31), "year", "2026"),
        (D(2026, 6, 30), "semester", "2026-S1"),
        (D(2026, 7, 1), "semester", "2026-S2"),
        (D(2026, 3, 31), "quarter", "2026-T1"),
        (D(2026, 4, 1), "quarter", "2026-T2"),
        (D(2026, 9, 30), "quarter", "2026-T3"),
        (D(2026, 10, 1), "quarter", "2026-T4"),
    ],
)
def test_containing(day: D, kind: str, expected: str) -> None:
    period = Period.containing(day, kind)  # type: ignore[arg-type]

    assert period.key == expected
    assert period.contains(day)


def test_containing_is_a_year_by_default() -> None:
    assert Period.containing(D(2026, 8, 17)) == Period(2026)


def test_recent_periods_go_back_across_the_year() -> None:
    keys = [period.key for period in recent_periods(D(2026, 2, 10), "quarter", 4)]

    assert keys == ["2026-T1", "2025-T4", "2025-T3", "2025-T2"]
    assert [p.key for p in recent_periods(D(2026, 8, 1), "semester", 3)] == ["2026-S2", "2026-S1", "2025-S2"]


def test_periods_sort_by_year_first() -> None:
    assert Period(2025, "quarter", 4) < Period(2026, "quarter", 1)


def test_labels_are_translated() -> None:
    with translation.override("en"):
        assert Period(2026).label == "Year 2026"
        assert Period(2026, "semester", 2).label == "Semester II 2026"
        assert Period(2026, "quarter", 3).label == "Quarter III 2026"

"""Reads of the working-day calendar, and the calendar of a service unit.

``calendar_for_unit`` is called for every deadline, so the holiday and closure dates are kept in
memory per process. A token in Django's cache says which version of them is current: every action
that changes a holiday or a closure publishes a new token when its transaction commits, and each
process reloads when the token it holds is no longer the current one. A warm call costs one cache
read and no database query.
"""

from __future__ import annotations

import threading
import uuid
from collections.abc import Callable, Hashable
from datetime import date, datetime
from typing import Any

from django.core.cache import cache
from django.db import connection, transaction
from django.db.models import QuerySet

from layanan.accounts.models import ServiceUnit
from layanan.workdays.calendar import JAKARTA, WorkCalendar
from layanan.workdays.models import Holiday, UnitClosure

CALENDAR_VERSION_KEY = "workdays:calendar-version"


# What the held dates are valid for: the shared version token, and the savepoint stack they were
# read under. Outside transactions (and in outermost ones) the stack is empty, so every request of
# the process shares them; inside nested atomic blocks, and in each test case (which runs in its
# own savepoint), they are read afresh, so rows a test or a rolled-back block wrote never leak.
Version = tuple[str, tuple[str | None, ...]]

_lock = threading.Lock()
_held: dict[str, Any] = {"version": None, "values": {}}
# Set in a thread whose open transaction changed the calendar: until it ends, that thread reads
# the database directly, so neither its own uncommitted rows nor a rollback poison the cache.
_pending = threading.local()


def _current_token() -> str | None:
    """The shared token; None when the cache keeps nothing (e.g. DummyCache): then never remember."""
    token = cache.get(CALENDAR_VERSION_KEY)
    if token is None:
        cache.add(CALENDAR_VERSION_KEY, uuid.uuid4().hex, None)
        token = cache.get(CALENDAR_VERSION_KEY)
    return None if token is None else str(token)


def _publish_change() -> None:
    cache.set(CALENDAR_VERSION_KEY, uuid.uuid4().hex, None)
    clear_calendar_cache()


def calendar_changed() -> None:
    """Called by every action that changes holidays or closures, inside its transaction."""
    _pending.changed = True
    transaction.on_commit(_publish_change)


def clear_calendar_cache() -> None:
    """Forget the dates held in this process."""
    with _lock:
        _held["version"] = None
        _held["values"] = {}
    _pending.changed = False


def _current_version() -> Version | None:
    """The version the held dates must have, resetting them if they are older.

    None when this thread changed the calendar in its still-open transaction, or when there is no
    shared cache: read the database.
    """
    if getattr(_pending, "changed", False):
        if connection.in_atomic_block:
            return None
        # The changing transaction ended without a commit (on_commit would have cleared the flag).
        clear_calendar_cache()
    token = _current_token()
    if token is None:
        return None
    version = (token, tuple(connection.savepoint_ids))
    with _lock:
        if _held["version"] != version:
            _held["version"], _held["values"] = version, {}
    return version


def _remembered(
    version: Version | None, key: Hashable, load: Callable[[], frozenset[date]]
) -> frozenset[date]:
    """The dates under ``key``, loaded once per version (every time when ``version`` is None)."""
    if version is None:
        return load()
    with _lock:
        found: frozenset[date] | None = _held["values"].get(key) if _held["version"] == version else None
    if found is None:
        found = load()
        with _lock:
            # Keep them only if no newer version arrived while loading.
            if _held["version"] == version:
                _held["values"][key] = found
    return found


def _holiday_dates(version: Version | None, kind: str) -> frozenset[date]:
    return _remembered(
        version, kind, lambda: frozenset(Holiday.objects.filter(kind=kind).values_list("date", flat=True))
    )


def _closure_dates(version: Version | None, unit_id: int) -> frozenset[date]:
    return _remembered(
        version,
        ("closures", unit_id),
        lambda: frozenset(UnitClosure.objects.filter(unit_id=unit_id).values_list("date", flat=True)),
    )


def national_holiday_dates() -> frozenset[date]:
    """Every date of a national holiday (all years loaded)."""
    return _holiday_dates(_current_version(), Holiday.Kind.NATIONAL)


def cuti_bersama_dates() -> frozenset[date]:
    """Every date of *cuti bersama* (all years loaded)."""
    return _holiday_dates(_current_version(), Holiday.Kind.CUTI_BERSAMA)


def closure_dates(unit: ServiceUnit) -> frozenset[date]:
    """Every date ``unit`` is closed on by its own decision."""
    return _closure_dates(_current_version(), unit.pk)


def standard_calendar() -> WorkCalendar:
    """The government calendar: Monday-Friday, national holidays and cuti bersama off, no cut-off."""
    version = _current_version()
    return WorkCalendar(
        non_working_dates=_holiday_dates(version, Holiday.Kind.NATIONAL)
        | _holiday_dates(version, Holiday.Kind.CUTI_BERSAMA),
        saturday_is_workday=False,
        cutoff=None,
        tz=JAKARTA,
    )


def calendar_for_unit(unit: ServiceUnit) -> WorkCalendar:
    """The calendar of one unit: its Saturdays, cut-off, cuti bersama choice and closures."""
    version = _current_version()
    off = _holiday_dates(version, Holiday.Kind.NATIONAL) | _closure_dates(version, unit.pk)
    if unit.observes_cuti_bersama:
        off |= _holiday_dates(version, Holiday.Kind.CUTI_BERSAMA)
    return WorkCalendar(
        non_working_dates=off,
        saturday_is_workday=unit.works_saturday,
        cutoff=unit.cutoff_at,
        tz=JAKARTA,
    )


def _calendar(unit: ServiceUnit | None) -> WorkCalendar:
    return standard_calendar() if unit is None else calendar_for_unit(unit)


def add_working_days(start: datetime | date, n: int, unit: ServiceUnit | None = None) -> date:
    """``n`` working days after day 0 of ``start`` (rules in ``layanan.workdays.calendar``)."""
    return _calendar(unit).add_working_days(start, n)


def working_days_between(
    start: datetime | date, end: datetime | date, unit: ServiceUnit | None = None
) -> int:
    """Working days after ``start`` up to and including ``end``; negative when ``end`` is earlier."""
    return _calendar(unit).working_days_between(start, end)


def is_working_day(day: date, unit: ServiceUnit | None = None) -> bool:
    """Whether ``day`` is a working day of ``unit`` (or of the standard government calendar)."""
    return _calendar(unit).is_working_day(day)


def next_working_day(day: date, unit: ServiceUnit | None = None) -> date:
    """The first working day strictly after ``day``."""
    return _calendar(unit).next_working_day(day)


def holidays_in_year(year: int) -> QuerySet[Holiday]:
    """The national holidays and cuti bersama of one year, in date order."""
    return Holiday.objects.filter(date__year=year).order_by("date", "kind", "name")


def holiday_years() -> list[int]:
    """The years that have at least one holiday loaded, oldest first."""
    return sorted({day.year for day in Holiday.objects.dates("date", "year")})


def closures_in_year(units: QuerySet[ServiceUnit], year: int) -> QuerySet[UnitClosure]:
    """The closures of ``units`` in one year, with their unit and agency, in date order."""
    return (
        UnitClosure.objects.filter(unit__in=units, date__year=year)
        .select_related("unit__agency")
        .order_by("date", "unit__agency__name", "unit__name")
    )

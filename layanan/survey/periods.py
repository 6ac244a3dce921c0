"""Survey periods: a quarter (*triwulan*), a semester or a year. Pure: no ORM.

A period is written as a key: ``2026`` (the year), ``2026-S2`` (July to December), ``2026-T3``
(July to September). The key is what URLs and the CSV export carry.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass
from typing import Literal

from django.utils.translation import gettext as _

PeriodKind = Literal["year", "semester", "quarter"]
PERIOD_KINDS: tuple[PeriodKind, ...] = ("year", "semester", "quarter")
_KEY_RE = re.compile(r"^(?P<year>\d{4})(?:-(?P<letter>[ST])(?P<number>[1-4]))?$")
_MONTHS = {"year": 12, "semester": 6, "quarter": 3}


@dataclass(frozen=True, order=True)
class Period:
    year: int
    kind: PeriodKind = "year"
    number: int = 1

    def __post_init__(self) -> None:
        if self.kind not in _MONTHS:
            raise ValueError(f"unknown period kind {self.kind!r}")
        if not 1 <= self.number <= 12 // _MONTHS[self.kind]:
            raise ValueError(f"{self.kind} {self.number} does not exist")
        if not 2000 <= self.year <= 2999:
            raise ValueError(f"year {self.year} is out of range")

    @classmethod
    def parse(cls, key: str) -> Period:
        match = _KEY_RE.fullmatch(key or "")  # not .match: "$" lets "2026\n" through
        if match is None:
            raise ValueError(f"not a period key: {key!r}")
        year = int(match["year"])
        if match["letter"] is None:
            return cls(year)
        kind: PeriodKind = "semester" if match["letter"] == "S" else "quarter"
        return cls(year, kind, int(match["number"]))

    @classmethod
    def containing(cls, day: datetime.date, kind: PeriodKind = "year") -> Period:
        return cls(day.year, kind, (day.month - 1) // _MONTHS[kind] + 1)

    @property
    def key(self) -> str:
        if self.kind == "year":
            return str(self.year)
        return f"{self.year}-{'S' if self.kind == 'semester' else 'T'}{self.number}"

    @property
    def start(self) -> datetime.date:
        return datetime.date(self.year, (self.number - 1) * _MONTHS[self.kind] + 1, 1)

    @property
    def end(self) -> datetime.date:
        """The last day of the period (inclusive)."""
        following = self.next()
        return following.start - datetime.timedelta(days=1)

    def next(self) -> Period:
        last = 12 // _MONTHS[self.kind]
        if self.number < last:
            return Period(self.year, self.kind, self.number + 1)
        return Period(self.year + 1, self.kind, 1)

    def previous(self) -> Period:
        if self.number > 1:
            return Period(self.year, self.kind, self.number - 1)
        return Period(self.year - 1, self.kind, 12 // _MONTHS[self.kind])

    def contains(self, day: datetime.date) -> bool:
        return self.start <= day <= self.end

    @property
    def label(self) -> str:
        """In the active language: "2026", "Semester II 2026", "Triwulan III 2026"."""
        roman = ("I", "II", "III", "IV")[self.number - 1]
        if self.kind == "year":
            return _("Year %(year)s") % {"year": self.year}
        if self.kind == "semester":
            return _("Semester %(number)s %(year)s") % {"number": roman, "year": self.year}
        return _("Quarter %(number)s %(year)s") % {"number": roman, "year": self.year}

    def __str__(self) -> str:
        return self.key


def recent_periods(today: datetime.date, kind: PeriodKind, count: int = 4) -> list[Period]:
    """The period holding ``today`` and the ``count - 1`` before it, newest first."""
    period = Period.containing(today, kind)
    periods = [period]
    while len(periods) < count:
        period = period.previous()
        periods.append(period)
    return periods

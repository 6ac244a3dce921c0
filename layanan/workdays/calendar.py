"""Working-day arithmetic for service deadlines (pure: no ORM, no settings, no clock).

Rules, for one ``WorkCalendar``:

* **Working day.** Monday to Friday, and Saturday when ``saturday_is_workday``; never Sunday;
  never a date in ``non_working_dates`` (national holidays, *cuti bersama* when observed, and the
  unit's own closures, as assembled by ``layanan.workdays.queries.calendar_for_unit``).
* **Day 0** (``day_zero``) of something received at ``start``: ``start`` is read as a wall-clock
  time in ``tz`` (an aware datetime is converted to ``tz``; a naive one is taken as already in
  ``tz``). If that date is a working day and the time is before ``cutoff`` (or there is no
  cut-off), day 0 is that date. Received at or after the cut-off, or on a non-working day, day 0 is
  the next working day. A plain ``date`` has no time and counts as received before the cut-off.
* **add_working_days(start, n)**: the date ``n`` working days after day 0; ``n = 0`` gives day 0
  itself, ``n < 0`` counts back from day 0.
* **working_days_between(start, end)**: the number of working days after ``start`` up to and
  including ``end`` (``start`` itself never counts); ``0`` when equal, and the negative of the
  reverse count when ``end`` is before ``start``, so ``between(a, b) == -between(b, a)``. Datetimes
  count as their date in ``tz``; the cut-off plays no part. For a working day ``d``,
  ``working_days_between(d, add_working_days(d, n)) == n``.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, tzinfo
from zoneinfo import ZoneInfo

JAKARTA = ZoneInfo("Asia/Jakarta")
SATURDAY, SUNDAY = 5, 6
ONE_DAY = timedelta(days=1)


@dataclass(frozen=True)
class WorkCalendar:
    """Which days a service unit works, and when a day's intake closes."""

    non_working_dates: frozenset[date] = frozenset()
    saturday_is_workday: bool = False
    cutoff: time | None = None
    tz: tzinfo = JAKARTA
    # Non-working dates that fall on an otherwise working weekday, sorted, for counting ranges.
    _closed_weekdays: tuple[date, ...] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        closed = sorted(d for d in self.non_working_dates if self._is_working_weekday(d))
        object.__setattr__(self, "_closed_weekdays", tuple(closed))

    def _is_working_weekday(self, day: date) -> bool:
        weekday = day.weekday()
        return weekday < SATURDAY or (weekday == SATURDAY and self.saturday_is_workday)

    def is_working_day(self, day: date) -> bool:
        """Whether ``day`` is a working day of this calendar."""
        return self._is_working_weekday(day) and day not in self.non_working_dates

    def next_working_day(self, day: date) -> date:
        """The first working day strictly after ``day``."""
        day += ONE_DAY
        while not self.is_working_day(day):
            day += ONE_DAY
        return day

    def previous_working_day(self, day: date) -> date:
        """The last working day strictly before ``day``."""
        day -= ONE_DAY
        while not self.is_working_day(day):
            day -= ONE_DAY
        return day

    def local_date(self, moment: datetime | date) -> date:
        """The calendar date of ``moment`` in this calendar's time zone."""
        if isinstance(moment, datetime):
            return self._local(moment).date()
        return moment

    def _local(self, moment: datetime) -> datetime:
        if moment.tzinfo is None:
            return moment.replace(tzinfo=self.tz)
        return moment.astimezone(self.tz)

    def day_zero(self, received: datetime | date) -> date:
        """The working day the clock starts on for something received at ``received``."""
        if isinstance(received, datetime):
            local = self._local(received)
            day = local.date()
            in_time = self.cutoff is None or local.time() < self.cutoff
        else:
            day, in_time = received, True
        if self.is_working_day(day) and in_time:
            return day
        return self.next_working_day(day)

    def add_working_days(self, start: datetime | date, n: int) -> date:
        """The date ``n`` working days after day 0 of ``start`` (see the module rules)."""
        day = self.day_zero(start)
        step = self.next_working_day if n >= 0 else self.previous_working_day
        for _ in range(abs(n)):
            day = step(day)
        return day

    def working_days_between(self, start: datetime | date, end: datetime | date) -> int:
        """Working days after ``start`` up to and including ``end``; negative if ``end`` is earlier."""
        first, last = self.local_date(start), self.local_date(end)
        if last < first:
            return -self._count_after(last, first)
        return self._count_after(first, last)

    def _count_after(self, first: date, last: date) -> int:
        """Working days in the half-open range (first, last], first <= last."""
        per_week = 6 if self.saturday_is_workday else 5
        days = (last - first).days
        weeks, rest = divmod(days, 7)
        count = weeks * per_week
        day = first + timedelta(days=weeks * 7)
        for _ in range(rest):
            day += ONE_DAY
            if self._is_working_weekday(day):
                count += 1
        closed = self._closed_weekdays
        count -= bisect.bisect_right(closed, last) - bisect.bisect_right(closed, first)
        return count

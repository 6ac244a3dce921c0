"""The manager's figures for a service mall over a range of days (read only).

For a site and the days ``start`` to ``end`` (both inclusive, by the ticket's ``day``), per line,
per counter and per hour of arrival (local time, 0–23):

* **taken**: tickets given to visitors (kiosk, phone, greeter, booking). A transfer's ticket is
  not counted again: the visitor took one ticket, in their first line (and hour of arrival);
* **called**: tickets that were called (at a counter: called there);
* **served**: tickets finished (``done``); **no-shows**: tickets marked as not come; the
  **no-show rate** is no-shows ÷ (served + no-shows), ``None`` with neither;
* **average wait** (minutes): from arrival to the (latest) call, over the tickets called. A
  transfer keeps the arrival time, so its wait counts from the visitor's arrival;
* **average service** (minutes): from the start of the visit (or its call, when the officer did
  not press *Start*) to its end, over the tickets served.

The database does the grouping: five queries whatever the number of days or tickets. Durations are
averaged as ``DurationField`` expressions, which Django maps on both databases (an interval on
PostgreSQL, microseconds on SQLite).
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.db.models import Avg, Count, DurationField, ExpressionWrapper, F, Q, QuerySet
from django.db.models.functions import Coalesce, ExtractHour
from django.utils import timezone

from layanan.queueing.models import ServiceGroup, Site, Ticket

MAX_DAYS = 366
DEFAULT_DAYS = 30
BUSIEST = 3


@dataclass(frozen=True)
class Figures:
    """One row of figures: a line, a counter, an hour or the whole site."""

    taken: int
    called: int
    served: int
    no_show: int
    avg_wait: float | None  # minutes
    avg_service: float | None  # minutes

    @property
    def no_show_rate(self) -> float | None:
        ended = self.served + self.no_show
        return self.no_show / ended if ended else None

    @property
    def no_show_percent(self) -> float | None:
        rate = self.no_show_rate
        return None if rate is None else rate * 100


@dataclass(frozen=True)
class LineRow:
    group: ServiceGroup
    figures: Figures


@dataclass(frozen=True)
class CounterRow:
    number: int
    figures: Figures


@dataclass(frozen=True)
class HourRow:
    hour: int
    figures: Figures


@dataclass(frozen=True)
class Report:
    site: Site
    start: datetime.date
    end: datetime.date
    total: Figures
    lines: list[LineRow]
    counters: list[CounterRow]
    hours: list[HourRow]  # from the first to the last hour with a ticket, empty hours included

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    @property
    def busiest_hours(self) -> list[HourRow]:
        """The hours with the most tickets taken, most first (the earlier hour on a tie)."""
        ranked = sorted(
            (row for row in self.hours if row.figures.taken), key=lambda r: (-r.figures.taken, r.hour)
        )
        return ranked[:BUSIEST]


def default_range(today: datetime.date | None = None) -> tuple[datetime.date, datetime.date]:
    """The last ``DEFAULT_DAYS`` days up to today."""
    end = today or timezone.localdate()
    return end - datetime.timedelta(days=DEFAULT_DAYS - 1), end


def site_for_analytics(slug: str) -> Site | None:
    """The site by slug, closed ones too: their history stays readable."""
    return Site.objects.select_related("operator").filter(slug=slug).first()


def _tickets(site: Site, start: datetime.date, end: datetime.date) -> QuerySet[Ticket]:
    return Ticket.objects.filter(site=site, day__gte=start, day__lte=end)


def _aggregates(*, taken: bool = True) -> dict[str, Any]:
    wait = ExpressionWrapper(F("called_at") - F("arrived_at"), output_field=DurationField())
    service = ExpressionWrapper(
        F("finished_at") - Coalesce(F("started_at"), F("called_at")), output_field=DurationField()
    )
    done = Q(status=Ticket.Status.DONE, finished_at__isnull=False) & (
        Q(started_at__isnull=False) | Q(called_at__isnull=False)
    )
    values: dict[str, Any] = {
        "called": Count("id", filter=Q(called_at__isnull=False)),
        "served": Count("id", filter=Q(status=Ticket.Status.DONE)),
        "no_show": Count("id", filter=Q(status=Ticket.Status.NO_SHOW)),
        "avg_wait": Avg(wait, filter=Q(called_at__isnull=False)),
        "avg_service": Avg(service, filter=done),
    }
    if taken:
        values["taken"] = Count("id", filter=~Q(channel=Ticket.Channel.TRANSFER))
    return values


def _minutes(value: datetime.timedelta | float | None) -> float | None:
    if value is None:
        return None
    if isinstance(value, datetime.timedelta):
        return value.total_seconds() / 60
    return float(value) / 60_000_000  # microseconds (a backend that returns the raw number)


def _figures(row: Mapping[str, Any]) -> Figures:
    return Figures(
        taken=int(row.get("taken") or 0),
        called=int(row.get("called") or 0),
        served=int(row.get("served") or 0),
        no_show=int(row.get("no_show") or 0),
        avg_wait=_minutes(row.get("avg_wait")),
        avg_service=_minutes(row.get("avg_service")),
    )


EMPTY = Figures(0, 0, 0, 0, None, None)


def report(site: Site, start: datetime.date, end: datetime.date) -> Report:
    """Every figure of the page and the CSV in five queries."""
    tickets = _tickets(site, start, end)
    total = _figures(tickets.aggregate(**_aggregates()))

    groups = list(ServiceGroup.objects.filter(site=site).order_by("sort_order", "prefix"))
    per_group = {
        row["group_id"]: _figures(row)
        for row in tickets.values("group_id").annotate(**_aggregates()).order_by()
    }
    lines = [LineRow(group, per_group.get(group.pk, EMPTY)) for group in groups]

    counters = [
        CounterRow(row["counter__number"], _figures(row))
        for row in tickets.filter(counter__isnull=False)
        .values("counter__number")
        .annotate(**_aggregates(taken=False))
        .order_by("counter__number")
    ]

    hour = ExtractHour("arrived_at", tzinfo=timezone.get_current_timezone())
    per_hour = {
        int(row["hour"]): _figures(row)
        for row in tickets.annotate(hour=hour).values("hour").annotate(**_aggregates()).order_by()
    }
    hours: list[HourRow] = []
    if per_hour:
        hours = [HourRow(h, per_hour.get(h, EMPTY)) for h in range(min(per_hour), max(per_hour) + 1)]
    return Report(site, start, end, total, lines, counters, hours)

"""Reads of the queue: the board, the lines and their waiting times, a counter's work."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, DurationField, ExpressionWrapper, F, Max, Q, Sum
from django.utils import timezone

from layanan.queueing.estimates import minutes_per_visit, wait_minutes
from layanan.queueing.models import Counter, CounterSession, ServiceGroup, Site, Ticket
from layanan.queueing.permissions import can_work_counter

RECENT_VISITS = 30


def today() -> datetime.date:
    return timezone.localdate()


def active_sites() -> Any:
    return Site.objects.filter(is_active=True).order_by("name")


def site_by_slug(slug: str) -> Site | None:
    return Site.objects.select_related("operator").filter(slug=slug, is_active=True).first()


def groups_of(site: Site) -> list[ServiceGroup]:
    return list(site.groups.prefetch_related("services").order_by("sort_order", "prefix"))


@dataclass(frozen=True)
class LineStatus:
    group: ServiceGroup
    waiting: int
    open_counters: int
    minutes_per_visit: float
    wait: int | None  # minutes; None when no counter of the line is open


def lines(site: Site, *, day: datetime.date | None = None) -> list[LineStatus]:
    """Every line of the site now: people waiting, open counters, the estimated wait. Five
    queries for the whole site, however many lines it has."""
    day = day or today()
    groups = groups_of(site)
    waiting = dict(
        Ticket.objects.filter(site=site, day=day, status=Ticket.Status.WAITING)
        .values("group_id")
        .annotate(n=Count("id"))
        .order_by()
        .values_list("group_id", "n")
    )
    open_counters = dict(
        Counter.objects.filter(
            site=site, is_active=True, sessions__closed_at__isnull=True, sessions__isnull=False
        )
        .values("groups")
        .annotate(n=Count("id", distinct=True))
        .order_by()
        .values_list("groups", "n")
    )
    durations = recent_durations_by_group(site, day)
    result = []
    for group in groups:
        per_visit = minutes_per_visit(durations.get(group.pk, []), group.usual_service_minutes)
        count = int(waiting.get(group.pk, 0))
        counters = int(open_counters.get(group.pk, 0))
        result.append(LineStatus(group, count, counters, per_visit, wait_minutes(count, counters, per_visit)))
    return result


def recent_durations_by_group(site: Site, day: datetime.date) -> dict[int, list[float]]:
    """Per line, minutes from call to finish of its latest ``RECENT_VISITS`` finished visits of
    the day: one query over the site's finished tickets of the day (a day's volume at most)."""
    spans = (
        Ticket.objects.filter(site=site, day=day, status=Ticket.Status.DONE, called_at__isnull=False)
        .annotate(span=ExpressionWrapper(F("finished_at") - F("called_at"), output_field=DurationField()))
        .order_by("-finished_at")
        .values_list("group_id", "span")
    )
    result: dict[int, list[float]] = {}
    for group_id, span in spans:
        recent = result.setdefault(group_id, [])
        if span is not None and len(recent) < RECENT_VISITS:
            recent.append(span.total_seconds() / 60)
    return result


@dataclass(frozen=True)
class BoardCall:
    code: str
    counter: int
    called_at: datetime.datetime | None
    call_count: int
    priority: bool


def board(site: Site, *, day: datetime.date | None = None, limit: int = 8) -> dict[str, Any]:
    """What the hall screens show: the latest calls (newest first) and the next numbers per line.
    Two queries."""
    day = day or today()
    calls = [
        BoardCall(
            row["prefix"] + f"-{row['number']:03d}",
            row["counter__number"],
            row["called_at"],
            row["call_count"],
            bool(row["need"]),
        )
        for row in Ticket.objects.filter(
            site=site, day=day, status__in=[Ticket.Status.CALLED, Ticket.Status.SERVING]
        )
        .order_by("-called_at")
        .values("prefix", "number", "counter__number", "called_at", "call_count", "need")[:limit]
    ]
    waiting = (
        Ticket.objects.filter(site=site, day=day, status=Ticket.Status.WAITING)
        .order_by("arrived_at", "id")
        .values("prefix", "number")[:limit]
    )
    return {"calls": calls, "next": [f"{row['prefix']}-{row['number']:03d}" for row in waiting]}


def board_version(site: Site, *, day: datetime.date | None = None) -> str:
    """Changes whenever the board would: a ticket issued, called, called again, or leaving the
    counter. One aggregate over the site's tickets of the day (index ``site, day``); the screens
    poll this cheap value."""
    day = day or today()
    row = Ticket.objects.filter(site=site, day=day).aggregate(
        issued=Count("id"),
        calls=Sum("call_count"),
        current=Count("id", filter=Q(status__in=[Ticket.Status.CALLED, Ticket.Status.SERVING])),
        waiting=Count("id", filter=Q(status=Ticket.Status.WAITING)),
        last_call=Max("called_at"),
    )
    if not row["issued"]:
        return ""
    last = row["last_call"].timestamp() if row["last_call"] else 0
    return f"{row['issued']}-{row['calls'] or 0}-{row['current']}-{row['waiting']}-{last:.6f}"


def position(ticket: Ticket) -> int:
    """People ahead of ``ticket`` in its line (0 once it is called)."""
    if ticket.status != Ticket.Status.WAITING:
        return 0
    return (
        Ticket.objects.filter(group_id=ticket.group_id, day=ticket.day, status=Ticket.Status.WAITING)
        .filter(Q(arrived_at__lt=ticket.arrived_at) | Q(arrived_at=ticket.arrived_at, id__lt=ticket.pk))
        .count()
    )


def counters_for(user: Any, site: Site | None = None) -> list[Counter]:
    counters = Counter.objects.select_related("site").filter(is_active=True, site__is_active=True)
    if site is not None:
        counters = counters.filter(site=site)
    return [
        counter for counter in counters.order_by("site__name", "number") if can_work_counter(user, counter)
    ]


def session_of(counter: Counter) -> CounterSession | None:
    return (
        CounterSession.objects.filter(counter=counter, closed_at__isnull=True)
        .select_related("officer")
        .first()
    )

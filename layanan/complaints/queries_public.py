"""Reads of the public complaint pages (``/laporan/``): the list, one report and the statistics.

What the public sees of a report:

* Only reports that are public (``Complaint.is_public``: verified, not *rahasia*, not the protected
  *pungli* channel) and not archived. A report the coordinator archived (spam, a duplicate, abuse)
  was never handled, so it is not published either.
* Its title, story, category, place, dates, state, the support count and the agency's answers
  (the notes of ``answer`` steps). Never who reported: not the reporter's name even when the
  report is not anonymous, nor any other reporter column (the querysets here do not even select
  them), nor the attachments (photos can show people), the officers' other notes, the reporter's
  replies or the rating comment.

The statistics count *every* report, confidential and protected ones included: they are numbers
without content, and leaving the sensitive reports out would make the agencies that receive them
look better than they are.

Every read runs a fixed number of queries whatever the number of reports: the list is a keyset
page in the order of the ``cmp_recent`` / ``cmp_agency_recent`` indexes, and the statistics are
aggregates computed by the database (the median too: ``percentile_cont`` on PostgreSQL, a window
query that returns only the middle rows elsewhere).
"""

from __future__ import annotations

import datetime
import statistics
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, cast

from django.db import connection, models
from django.db.models import Avg, Count, F, FloatField, Q, QuerySet, Window
from django.db.models.functions import RowNumber, Substr
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from layanan.accounts.models import Agency
from layanan.complaints.models import Complaint, ComplaintCategory, ComplaintEvent
from layanan.core.logging import redact
from layanan.core.references import parse_reference
from layanan.regions.models import Region
from layanan.workflow.models import TimelineEvent

PAGE_SIZE = 20
PERIODS = (30, 90, 365)
DEFAULT_PERIOD = 90

# Only these columns of a report are ever read for the public pages.
PUBLIC_FIELDS = (
    "id",
    "reference",
    "kind",
    "title",
    "body",
    "incident_date",
    "region",
    "region__code",
    "region__name",
    "regency_code",
    "location_text",
    "category",
    "category__slug",
    "category__name",
    "category__name_en",
    "agency",
    "agency__slug",
    "agency__name",
    "agency__short_name",
    "state",
    "is_open",
    "submitted_at",
    "first_answered_at",
    "resolved_at",
    "closed_at",
    "support_count",
)


class PublicStatus(models.TextChoices):
    """The four states the public filters by (the workflow's states, grouped)."""

    OPEN = "diproses", _("Being handled")
    ANSWERED = "dijawab", _("Answered")
    RESOLVED = "selesai", _("Resolved")
    CLOSED = "ditutup", _("Closed")


STATUS_COLOURS = {
    PublicStatus.OPEN: "blue",
    PublicStatus.ANSWERED: "yellow",
    PublicStatus.RESOLVED: "green",
    PublicStatus.CLOSED: "grey",
}


def public_status(report: Complaint) -> PublicStatus:
    if report.state == "answered":
        return PublicStatus.ANSWERED
    if report.state == "resolved":
        return PublicStatus.RESOLVED
    return PublicStatus.OPEN if report.is_open else PublicStatus.CLOSED


def _status_filter(status: str) -> Q:
    if status == PublicStatus.ANSWERED:
        return Q(state="answered")
    if status == PublicStatus.RESOLVED:
        return Q(state="resolved")
    if status == PublicStatus.CLOSED:
        return Q(is_open=False)
    if status == PublicStatus.OPEN:
        return Q(is_open=True) & ~Q(state__in=["answered", "resolved"])
    return Q()


def public_reports() -> QuerySet[Complaint]:
    """Every report the public may see, with only the public columns (the same rule as
    ``Complaint.is_public``, written as a filter, minus unpublished states)."""
    return Complaint.objects.public().select_related("region", "category", "agency").only(*PUBLIC_FIELDS)


# The list ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ReportFilters:
    agency: str = ""  # agency slug
    category: str = ""  # category slug
    status: str = ""  # a PublicStatus value
    regency: str = ""  # regency/city code, e.g. "33.02"

    @property
    def any(self) -> bool:
        return bool(self.agency or self.category or self.status or self.regency)


@dataclass(frozen=True)
class ReportPage:
    """One page of the list, newest first. ``newer``/``older`` are the references to pass as
    ``?sebelum=`` / ``?setelah=`` for the neighbouring pages (None: there is none)."""

    reports: list[Complaint]
    regency_names: dict[str, str]
    newer: str | None
    older: str | None


def filtered_reports(filters: ReportFilters) -> QuerySet[Complaint]:
    reports = public_reports()
    if filters.agency:
        reports = reports.filter(agency__slug=filters.agency)
    if filters.category:
        reports = reports.filter(category__slug=filters.category)
    if filters.regency:
        reports = reports.filter(regency_code=filters.regency)
    return reports.filter(_status_filter(filters.status))


def _anchor(reference: str) -> tuple[datetime.datetime, int] | None:
    """Where a page boundary sits: the (submitted_at, id) of a *public* report. A reference of a
    report the public may not see is treated as unknown, so cursors reveal nothing."""
    parsed = parse_reference(reference) if reference else None
    if parsed is None:
        return None
    row = public_reports().filter(reference=str(parsed)).values_list("submitted_at", "id").first()
    return (row[0], row[1]) if row else None


def report_page(
    filters: ReportFilters, *, after: str = "", before: str = "", size: int = PAGE_SIZE
) -> ReportPage:
    """A page of public reports, newest first (``submitted_at`` descending, ``id`` ascending, as
    in the indexes): the first page, the page after report ``after`` or the one before ``before``.
    Three queries: the anchor, the page, the names of its regencies."""
    reports = filtered_reports(filters)
    anchor_after = _anchor(after) if after else None
    anchor_before = _anchor(before) if before and anchor_after is None else None
    if anchor_before is not None:
        at, pk = anchor_before
        rows = list(
            reports.filter(Q(submitted_at__gt=at) | Q(submitted_at=at, id__lt=pk)).order_by(
                "submitted_at", "-id"
            )[: size + 1]
        )
        has_newer, has_older = len(rows) > size, True
        rows = rows[:size][::-1]
    else:
        if anchor_after is not None:
            at, pk = anchor_after
            reports = reports.filter(Q(submitted_at__lt=at) | Q(submitted_at=at, id__gt=pk))
        rows = list(reports.order_by("-submitted_at", "id")[: size + 1])
        has_newer, has_older = anchor_after is not None, len(rows) > size
        rows = rows[:size]
    return ReportPage(
        reports=[_redacted(report) for report in rows],
        regency_names=regency_names(report.regency_code for report in rows),
        newer=rows[0].reference if rows and has_newer else None,
        older=rows[-1].reference if rows and has_older else None,
    )


def regency_names(codes: Iterable[str]) -> dict[str, str]:
    wanted = set(codes)
    if not wanted:
        return {}
    return dict(Region.objects.filter(code__in=wanted).values_list("code", "name"))


@dataclass(frozen=True)
class Choice:
    value: str
    label: str


@dataclass(frozen=True)
class FilterChoices:
    agencies: list[Choice]
    categories: list[Choice]
    regencies: list[Choice]


def filter_choices(language: str | None = None) -> FilterChoices:
    """The agencies, categories and regencies to filter by (three queries). The regencies are
    those where an active agency sits: a fixed, short list, not a scan of the reports."""
    agencies = [
        Choice(slug, name)
        for slug, name in Agency.objects.filter(is_active=True).order_by("name").values_list("slug", "name")
    ]
    categories = [
        Choice(category.slug, category.display_name(language))
        for category in ComplaintCategory.objects.filter(is_active=True, is_protected=False).only(
            "slug", "name", "name_en", "sort_order"
        )
    ]
    agency_regencies = (
        Agency.objects.filter(is_active=True).annotate(regency=Substr("region_id", 1, 5)).values("regency")
    )
    regencies = [
        Choice(code, name)
        for code, name in Region.objects.filter(level=Region.Level.REGENCY, code__in=agency_regencies)
        .order_by("name")
        .values_list("code", "name")
    ]
    return FilterChoices(agencies, categories, regencies)


# One report --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PublicAnswer:
    at: datetime.datetime
    text: str
    agency: str  # the name of the agency the report was disposed to when it answered ("" unknown)


def public_report(reference: str) -> Complaint | None:
    """The public report with ``reference``, or None (also for a report the public may not see:
    the caller answers 404 for both, so the page does not tell which references exist)."""
    parsed = parse_reference(reference)
    if parsed is None:
        return None
    report = public_reports().filter(reference=str(parsed)).first()
    return _redacted(report) if report is not None else None


def _redacted(report: Complaint) -> Complaint:
    """A published report whose title and text have anything that looks like a NIK, a phone
    number or an e-mail address masked (reporters sometimes write theirs into the story)."""
    report.title = redact(report.title)
    report.body = redact(report.body)
    return report


def public_answers(report: Complaint) -> list[PublicAnswer]:
    """The agency's answers to a public report, oldest first (two queries). Only the notes of
    ``answer`` steps: every other note (requests for information, internal notes, the reporter's
    replies) stays between the reporter and the staff."""
    events = list(
        ComplaintEvent.objects.filter(
            case=report, kind=TimelineEvent.Kind.TRANSITION, transition__in=["dispose", "answer"]
        )
        .order_by("at", "id")
        .values_list("transition", "at", "note", "data")
    )
    slugs = {str((data or {}).get("agency", "")) for key, _at, _note, data in events if key == "dispose"}
    names = dict(Agency.objects.filter(slug__in=slugs - {""}).values_list("slug", "name")) if slugs else {}
    answers: list[PublicAnswer] = []
    current = ""
    for key, at, note, data in events:
        if key == "dispose":
            current = names.get(str((data or {}).get("agency", "")), "")
        elif note.strip():
            answers.append(PublicAnswer(at=at, text=redact(note.strip()), agency=current))
    return answers


# Statistics --------------------------------------------------------------------------------------


class Median(models.Aggregate):
    """``percentile_cont(0.5)`` (PostgreSQL): the median, interpolated between the two middle
    values of an even count. NULLs are ignored, as by every aggregate."""

    function = "PERCENTILE_CONT"
    name = "Median"
    template = "%(function)s(0.5) WITHIN GROUP (ORDER BY %(expressions)s)"
    output_field = FloatField()


@dataclass(frozen=True)
class AgencyStatistics:
    slug: str  # "" for the total row
    name: str
    received: int
    answered: int  # first answers whose timeliness is known
    answered_on_time: int
    median_working_days: float | None
    rating_average: float | None
    rating_count: int

    @property
    def on_time_percent(self) -> int | None:
        if not self.answered:
            return None
        return round(100 * self.answered_on_time / self.answered)


@dataclass(frozen=True)
class Statistics:
    days: int
    since: datetime.datetime
    agencies: list[AgencyStatistics]
    total: AgencyStatistics


def _aggregates(*, with_median: bool) -> dict[str, Any]:
    aggregates: dict[str, Any] = {
        "received": Count("id"),
        "answered": Count("id", filter=Q(answered_on_time__isnull=False)),
        "on_time": Count("id", filter=Q(answered_on_time=True)),
        "rating_average": Avg("rating"),
        "rating_count": Count("rating"),
    }
    if with_median:
        aggregates["median"] = Median("first_answer_working_days")
    return aggregates


def uses_percentile() -> bool:
    """Whether the database computes the median with ``percentile_cont`` (PostgreSQL)."""
    return connection.vendor == "postgresql"


def medians_by_window(reports: QuerySet[Complaint], *, by_agency: bool) -> dict[int | None, float]:
    """The median ``first_answer_working_days`` of ``reports`` (per agency id, or overall under
    the key None), on any database with window functions: the database numbers the answered
    reports of each group in order of their days and returns only the one or two middle rows,
    whose mean is the median. One query; at most two rows per group leave the database."""
    partition = [F("agency_id")] if by_agency else []
    middle = (
        reports.filter(first_answer_working_days__isnull=False)
        .annotate(
            position=Window(
                RowNumber(), partition_by=partition, order_by=F("first_answer_working_days").asc()
            ),
            group_size=Window(Count("id"), partition_by=partition),
        )
        # The middle rows: n/2 <= position <= n/2 + 1, in integers.
        .annotate(twice=F("position") * 2)
        .filter(twice__gte=F("group_size"), twice__lte=F("group_size") + 2)
        .values_list("agency_id" if by_agency else "id", "first_answer_working_days")
    )
    values: dict[int | None, list[int]] = defaultdict(list)
    for key, days in middle:
        values[key if by_agency else None].append(days)
    return {key: float(statistics.fmean(days)) for key, days in values.items()}


def complaint_statistics(days: int = DEFAULT_PERIOD, *, now: datetime.datetime | None = None) -> Statistics:
    """Per agency (the agency a report is disposed to) and overall, for the reports submitted in
    the last ``days`` days: received, first answers on time, the median of working days to the
    first answer, and the reporters' ratings. Confidential and protected reports are counted
    (numbers only). Two queries on PostgreSQL, four elsewhere."""
    since = (now or timezone.now()) - datetime.timedelta(days=days)
    reports = Complaint.objects.filter(submitted_at__gte=since)
    percentile = uses_percentile()
    rows = cast(
        "list[dict[str, Any]]",
        list(
            reports.filter(agency__isnull=False)
            .values("agency_id", "agency__slug", "agency__name")
            .annotate(**_aggregates(with_median=percentile))
            .order_by("agency__name", "agency_id")
        ),
    )
    overall = reports.aggregate(**_aggregates(with_median=percentile))
    if percentile:
        medians: dict[int | None, float] = {row["agency_id"]: row["median"] for row in rows}
        medians[None] = overall["median"]
    else:
        medians = medians_by_window(reports.filter(agency__isnull=False), by_agency=True)
        medians.update(medians_by_window(reports, by_agency=False))
    agencies = [
        AgencyStatistics(
            slug=row["agency__slug"],
            name=row["agency__name"],
            received=row["received"],
            answered=row["answered"],
            answered_on_time=row["on_time"],
            median_working_days=medians.get(row["agency_id"]),
            rating_average=row["rating_average"],
            rating_count=row["rating_count"],
        )
        for row in rows
    ]
    total = AgencyStatistics(
        slug="",
        name=str(_("All agencies")),
        received=overall["received"],
        answered=overall["answered"],
        answered_on_time=overall["on_time"],
        median_working_days=medians.get(None),
        rating_average=overall["rating_average"],
        rating_count=overall["rating_count"],
    )
    return Statistics(days=days, since=since, agencies=agencies, total=total)

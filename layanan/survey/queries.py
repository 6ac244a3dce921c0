"""Reads of the satisfaction survey. Every figure is summed by the database: one aggregate query
per scope and period, never a loop over responses."""

from __future__ import annotations

import datetime
import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db.models import Count, Q, QuerySet, Sum
from django.db.models.functions import Substr
from django.utils.translation import gettext as _

from layanan.accounts.models import Agency, ServiceUnit
from layanan.catalog.models import Service
from layanan.regions.models import Region
from layanan.survey.elements import BY_KEY, ELEMENT_KEYS
from layanan.survey.models import SurveyInvitation, SurveyReport, SurveyResponse
from layanan.survey.periods import Period
from layanan.survey.scoring import ElementTally, IndexScore, Weighting, minimum_sample, score
from layanan.survey.tokens import normalise

PROFILE_FIELDS = ("sex", "age_band", "education", "occupation")


def token_digest(token: str) -> str:
    return hashlib.sha256(normalise(token).encode()).hexdigest()


def open_invitation(token: str, *, today: datetime.date) -> SurveyInvitation | None:
    """The invitation ``token`` opens, if it is still unanswered and not expired."""
    if not token or len(token) > 64:
        return None
    return (
        SurveyInvitation.objects.select_related("unit__agency", "service")
        .filter(token_digest=token_digest(token), answered=False, expires_on__gte=today)
        .first()
    )


def invitation_state(token: str, *, today: datetime.date) -> str:
    """``open``, ``answered``, ``expired`` or ``unknown``: why a token does (not) open the form."""
    invitation = (
        SurveyInvitation.objects.filter(token_digest=token_digest(token))
        .only("answered", "expires_on")
        .first()
        if token and len(token) <= 64
        else None
    )
    if invitation is None:
        return "unknown"
    if invitation.answered:
        return "answered"
    if invitation.expires_on < today:
        return "expired"
    return "open"


# --- Scopes and figures ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Scope:
    """What a figure is about: a service, a unit, an agency or a region (by code prefix)."""

    kind: str  # service | unit | agency | region
    key: Any  # the Service, ServiceUnit or Agency, or the region code

    def responses(self) -> QuerySet[SurveyResponse]:
        if self.kind == "service":
            return SurveyResponse.objects.filter(service=self.key)
        if self.kind == "unit":
            return SurveyResponse.objects.filter(unit=self.key)
        if self.kind == "agency":
            return SurveyResponse.objects.filter(agency=self.key)
        if self.kind == "region":
            code = str(self.key)
            return SurveyResponse.objects.filter(Q(region_code=code) | Q(region_code__startswith=f"{code}."))
        raise ValueError(f"unknown scope {self.kind!r}")

    def invitations(self) -> QuerySet[SurveyInvitation]:
        if self.kind == "service":
            return SurveyInvitation.objects.filter(service=self.key)
        if self.kind == "unit":
            return SurveyInvitation.objects.filter(unit=self.key)
        if self.kind == "agency":
            return SurveyInvitation.objects.filter(unit__agency=self.key)
        code = str(self.key)
        return SurveyInvitation.objects.filter(
            Q(unit__region=code) | Q(unit__region__code__startswith=f"{code}.")
        )


def service_scope(service: Service) -> Scope:
    return Scope("service", service)


def unit_scope(unit: ServiceUnit) -> Scope:
    return Scope("unit", unit)


def agency_scope(agency: Agency) -> Scope:
    return Scope("agency", agency)


def region_scope(code: str) -> Scope:
    return Scope("region", code)


def _sums() -> dict[str, Any]:
    aggregates: dict[str, Any] = {"respondents": Count("id")}
    for key in ELEMENT_KEYS:
        aggregates[f"{key}__total"] = Sum(key)
        aggregates[f"{key}__answered"] = Count(key)
    return aggregates


def _tallies(row: dict[str, Any]) -> list[ElementTally]:
    return [
        ElementTally(key, int(row[f"{key}__total"] or 0), int(row[f"{key}__answered"] or 0))
        for key in ELEMENT_KEYS
    ]


def in_period(responses: QuerySet[SurveyResponse], period: Period) -> QuerySet[SurveyResponse]:
    return responses.filter(submitted_on__gte=period.start, submitted_on__lte=period.end)


def tallies(scope: Scope, period: Period) -> tuple[int, list[ElementTally]]:
    """Respondents and, per element, the sum of the answers and how many answered: one query."""
    row = in_period(scope.responses(), period).aggregate(**_sums())
    return int(row["respondents"]), _tallies(row)


@dataclass(frozen=True)
class Figures:
    """A scope's survey in one period: the index, the sample and its target."""

    respondents: int
    tallies: list[ElementTally]
    score: IndexScore | None
    population: int
    minimum_sample: int
    weighting: str

    @property
    def sample_reached(self) -> bool:
        return self.minimum_sample > 0 and self.respondents >= self.minimum_sample

    @property
    def progress_percent(self) -> int:
        if self.minimum_sample <= 0:
            return 0
        return min(100, self.respondents * 100 // self.minimum_sample)

    @property
    def still_needed(self) -> int:
        return max(0, self.minimum_sample - self.respondents)


def figures_from(
    respondents: int, element_tallies: list[ElementTally], *, population: int, weighting: str
) -> Figures:
    # The population is at least the respondents: every respondent used the service.
    population = max(population, respondents)
    return Figures(
        respondents=respondents,
        tallies=element_tallies,
        score=score(element_tallies, _weighting(weighting)),
        population=population,
        minimum_sample=minimum_sample(population),
        weighting=weighting,
    )


def _weighting(value: str) -> Weighting:
    return "exact" if value == "exact" else "permen"


def invited_in_period(scope: Scope, period: Period) -> int:
    """Transactions of the period the platform invited to answer: the platform's share of the
    population (the service users of the period)."""
    return scope.invitations().filter(issued_on__gte=period.start, issued_on__lte=period.end).count()


def figures(scope: Scope, period: Period, *, weighting: str, offline_population: int = 0) -> Figures:
    """Three queries: the sums, the invitations of the period, nothing else."""
    respondents, element_tallies = tallies(scope, period)
    population = invited_in_period(scope, period) + offline_population
    return figures_from(respondents, element_tallies, population=population, weighting=weighting)


@dataclass(frozen=True)
class ServiceFigures:
    service_id: int | None
    name: str
    respondents: int
    score: IndexScore | None


def by_service(unit: ServiceUnit, period: Period, *, weighting: str) -> list[ServiceFigures]:
    """Per service of the unit (one GROUP BY query), most respondents first."""
    rows: Any = (
        in_period(SurveyResponse.objects.filter(unit=unit), period)
        .values("service_id", "service__name")
        .annotate(**_sums())
        .order_by("-respondents", "service__name")  # type: ignore[misc]
    )
    return [
        ServiceFigures(
            row["service_id"],
            row["service__name"] or "",
            int(row["respondents"]),
            score(_tallies(row), _weighting(weighting)),
        )
        for row in rows
    ]


PROFILE_CHOICES: dict[str, list[str]] = {
    "sex": SurveyResponse.Sex.values,
    "age_band": SurveyResponse.AgeBand.values,
    "education": SurveyResponse.Education.values,
    "occupation": SurveyResponse.Occupation.values,
}


def profile(scope: Scope, period: Period) -> dict[str, dict[str, int]]:
    """The respondent profile: for each question of the profile, the count per answer ("" =
    not given). One query: a filtered COUNT per answer, so the period is read once."""
    aggregates = {
        f"{name}__{value or 'blank'}": Count("id", filter=Q(**{name: value}))
        for name, values in PROFILE_CHOICES.items()
        for value in [*values, ""]
    }
    row = in_period(scope.responses(), period).aggregate(**aggregates)
    return {
        name: {
            value: int(row[f"{name}__{value or 'blank'}"] or 0)
            for value in [*values, ""]
            if row[f"{name}__{value or 'blank'}"]
        }
        for name, values in PROFILE_CHOICES.items()
    }


def suggestions(unit: ServiceUnit, period: Period, *, status: str | None = None) -> QuerySet[SurveyResponse]:
    responses = in_period(SurveyResponse.objects.filter(unit=unit), period).exclude(
        suggestion_status=SurveyResponse.SuggestionStatus.NONE
    )
    if status is not None:
        responses = responses.filter(suggestion_status=status)
    return responses.only(
        "public_id", "submitted_on", "suggestion", "suggestion_status", "published_suggestion", "unit_id"
    ).order_by("submitted_on", "id")


def published_wordings(unit: ServiceUnit, period: Period) -> list[str]:
    """The moderated wordings of the period's published suggestions (never the raw, encrypted
    text: it is neither read nor decrypted here)."""
    return list(
        suggestions(unit, period, status=SurveyResponse.SuggestionStatus.PUBLISHED).values_list(
            "published_suggestion", flat=True
        )
    )


def anonymous_rows(unit: ServiceUnit, period: Period) -> Iterable[dict[str, Any]]:
    """The period's responses for the CSV export: answers, profile, channel, date, service, and
    the suggestion only as published (moderated). Streamed in chunks."""
    rows: Iterable[dict[str, Any]] = (
        in_period(SurveyResponse.objects.filter(unit=unit), period)
        .order_by("submitted_on", "id")
        .values(
            "submitted_on", "channel", "service__slug", *ELEMENT_KEYS, *PROFILE_FIELDS, "published_suggestion"
        )
        .iterator(chunk_size=2000)
    )
    return rows


# --- Reports ----------------------------------------------------------------------------------------


def report_for(unit: ServiceUnit, period: Period) -> SurveyReport | None:
    return SurveyReport.objects.filter(unit=unit, period_key=period.key).first()


def previous_published_report(unit: ServiceUnit, period: Period) -> SurveyReport | None:
    """The unit's latest published report of a period that ended before ``period`` starts."""
    candidates = SurveyReport.objects.filter(unit=unit, status=SurveyReport.Status.PUBLISHED).exclude(
        period_key=period.key
    )
    earlier = [
        report
        for report in candidates.prefetch_related("actions")
        if Period.parse(report.period_key).end < period.start
    ]
    return max(earlier, key=lambda report: Period.parse(report.period_key).end, default=None)


def published_report_covering(unit: ServiceUnit, day: datetime.date) -> SurveyReport | None:
    """A published report of ``unit`` whose period holds ``day`` (its figures are frozen)."""
    published = SurveyReport.objects.filter(unit=unit, status=SurveyReport.Status.PUBLISHED).only(
        "period_key"
    )
    return next((report for report in published if Period.parse(report.period_key).contains(day)), None)


def published_reports(*, agency: Agency | None = None, year: int | None = None) -> QuerySet[SurveyReport]:
    reports = SurveyReport.objects.filter(status=SurveyReport.Status.PUBLISHED, unit__is_active=True)
    if agency is not None:
        reports = reports.filter(unit__agency=agency)
    if year is not None:
        reports = reports.filter(period_key__startswith=str(year))
    return reports.select_related("unit__agency").order_by("-period_key", "unit__agency__name", "unit__name")


def published_report(agency_slug: str, unit_slug: str, period_key: str) -> SurveyReport | None:
    return (
        SurveyReport.objects.select_related("unit__agency", "unit__region")
        .filter(
            unit__agency__slug=agency_slug,
            unit__slug=unit_slug,
            period_key=period_key,
            status=SurveyReport.Status.PUBLISHED,
        )
        .first()
    )


@dataclass
class UnitSummary:
    unit: ServiceUnit
    figures: Figures
    report: SurveyReport | None = None
    extra: dict[str, Any] = field(default_factory=dict)


def services_of_unit(unit: ServiceUnit) -> QuerySet[Service]:
    return Service.objects.filter(unit=unit).order_by("name")


# --- The report as pages show it (live while a draft, frozen once published) ------------------------


@dataclass(frozen=True)
class ElementRow:
    code: str
    key: str
    name: str
    answered: int
    nrr: Any  # Decimal, 2 places, or None
    bar: int  # bar length for the chart, 0-300 (NRR 4 = 300)


@dataclass(frozen=True)
class ProfileRow:
    label: str
    count: int
    percent: int


@dataclass
class ReportView:
    unit: ServiceUnit
    period: Period
    report: SurveyReport | None
    figures: Figures
    elements: list[ElementRow]
    lowest: list[ElementRow]
    profile: list[tuple[str, list[ProfileRow]]]
    services: list[dict[str, Any]]
    suggestions: list[str]
    actions: list[Any]
    previous: SurveyReport | None
    previous_actions: list[Any]

    @property
    def published(self) -> bool:
        return bool(self.report and self.report.is_published)


def _profile_rows(counts: dict[str, dict[str, int]]) -> list[tuple[str, list[ProfileRow]]]:
    labels = {
        "sex": (_("Sex"), dict(SurveyResponse.Sex.choices)),
        "age_band": (_("Age"), dict(SurveyResponse.AgeBand.choices)),
        "education": (_("Highest education"), dict(SurveyResponse.Education.choices)),
        "occupation": (_("Main occupation"), dict(SurveyResponse.Occupation.choices)),
    }
    result = []
    for name in PROFILE_FIELDS:
        title, choices = labels[name]
        given = counts.get(name, {})
        total = sum(given.values()) or 1
        rows = [
            ProfileRow(str(label), given.get(value, 0), given.get(value, 0) * 100 // total)
            for value, label in choices.items()
        ]
        rows.append(ProfileRow(_("Not given"), given.get("", 0), given.get("", 0) * 100 // total))
        result.append((str(title), rows))
    return result


def _element_rows(figures: Figures) -> list[ElementRow]:
    rows = []
    scored = {element.key: element for element in figures.score.elements} if figures.score else {}
    for tally in figures.tallies:
        element = BY_KEY[tally.key]
        nrr = scored[tally.key].nrr_display if tally.key in scored else None
        rows.append(
            ElementRow(
                element.code,
                tally.key,
                str(element.name),
                tally.answered,
                nrr,
                int(nrr * 75) if nrr is not None else 0,
            )
        )
    return rows


def report_view(unit: ServiceUnit, period: Period, report: SurveyReport | None) -> ReportView:
    """Everything a report page shows. A published report reads its snapshot only."""
    if report is not None and report.is_published:
        snapshot = report.snapshot
        element_tallies = [
            ElementTally(row["key"], row["total"], row["answered"]) for row in snapshot["tallies"]
        ]
        figures_ = figures_from(
            snapshot["respondents"],
            element_tallies,
            population=snapshot["population"],
            weighting=report.weighting,
        )
        profile_counts = snapshot["profile"]
        # Stored as text (JSON); shown as numbers, so that they follow the reader's locale.
        services = [
            {**row, "ikm": Decimal(row["ikm"]) if row.get("ikm") is not None else None}
            for row in snapshot["services"]
        ]
        published_suggestions = list(snapshot["suggestions"])
    else:
        weighting = report.weighting if report else settings.LAYANAN_SKM_WEIGHTING
        offline = report.offline_population if report else 0
        scope = unit_scope(unit)
        figures_ = figures(scope, period, weighting=weighting, offline_population=offline)
        profile_counts = profile(scope, period)
        services = [
            {
                "name": row.name,
                "respondents": row.respondents,
                "ikm": row.score.ikm if row.score else None,
                "grade": row.score.grade if row.score else None,
            }
            for row in by_service(unit, period, weighting=weighting)
        ]
        published_suggestions = published_wordings(unit, period)
    rows = _element_rows(figures_)
    lowest_keys = [element.key for element in figures_.score.lowest(3)] if figures_.score else []
    by_key = {row.key: row for row in rows}
    previous = previous_published_report(unit, period)
    return ReportView(
        unit=unit,
        period=period,
        report=report,
        figures=figures_,
        elements=rows,
        lowest=[by_key[key] for key in lowest_keys],
        profile=_profile_rows(profile_counts),
        services=services,
        suggestions=published_suggestions,
        actions=list(report.actions.all()) if report else [],
        previous=previous,
        previous_actions=list(previous.actions.all()) if previous else [],
    )


# --- The back office overview: every unit of a period in two GROUP BY queries ---------------------------


@dataclass(frozen=True)
class OverviewRow:
    unit: ServiceUnit
    figures: Figures
    report_status: str


def overview(units: list[ServiceUnit], period: Period) -> list[OverviewRow]:
    """Per unit: the live index, the sample and the report's status. Four queries in all."""
    unit_ids = [unit.pk for unit in units]
    grouped: Any = (
        in_period(SurveyResponse.objects.filter(unit_id__in=unit_ids), period)
        .values("unit_id")
        .annotate(**_sums())
        .order_by()
    )
    sums: dict[int, dict[str, Any]] = {row["unit_id"]: row for row in grouped}
    invited = dict(
        SurveyInvitation.objects.filter(
            unit_id__in=unit_ids, issued_on__gte=period.start, issued_on__lte=period.end
        )
        .values("unit_id")
        .annotate(n=Count("id"))
        .order_by()
        .values_list("unit_id", "n")
    )
    reports = {
        report.unit_id: report
        for report in SurveyReport.objects.filter(unit_id__in=unit_ids, period_key=period.key).only(
            "unit_id", "status", "weighting", "offline_population"
        )
    }
    empty: dict[str, Any] = {
        "respondents": 0,
        **{f"{key}__total": 0 for key in ELEMENT_KEYS},
        **{f"{key}__answered": 0 for key in ELEMENT_KEYS},
    }
    rows = []
    for unit in units:
        row = sums.get(unit.pk, empty)
        report = reports.get(unit.pk)
        weighting = report.weighting if report else settings.LAYANAN_SKM_WEIGHTING
        population = invited.get(unit.pk, 0) + (report.offline_population if report else 0)
        rows.append(
            OverviewRow(
                unit,
                figures_from(
                    int(row["respondents"]), _tallies(row), population=population, weighting=weighting
                ),
                report.status if report else "",
            )
        )
    return rows


def published_score(report: SurveyReport) -> IndexScore | None:
    """The index of a published report, from its snapshot (no query)."""
    element_tallies = [
        ElementTally(row["key"], row["total"], row["answered"]) for row in report.snapshot.get("tallies", [])
    ]
    return score(element_tallies, _weighting(report.weighting)) if element_tallies else None


@dataclass(frozen=True)
class GroupRow:
    key: str
    name: str
    figures: Figures


def totals(period: Period, *, by: str, weighting: str) -> list[GroupRow]:
    """The period's index per agency (``by="agency"``) or per regency or city (``by="regency"``,
    the first two parts of the unit's region code), over every unit: three GROUP BY queries and
    one for the names. The population adds the invitations and the units' offline counts."""
    if by == "agency":
        group, invitation_group, report_group = "agency_id", "unit__agency_id", "unit__agency_id"
        responses: Any = in_period(SurveyResponse.objects.all(), period).values(group)
        invitations: Any = SurveyInvitation.objects.values(invitation_group)
        reports: Any = SurveyReport.objects.values(report_group)
    elif by == "regency":
        group = invitation_group = report_group = "regency"
        responses = (
            in_period(SurveyResponse.objects.all(), period)
            .annotate(regency=Substr("region_code", 1, 5))
            .values(group)
        )
        invitations = SurveyInvitation.objects.annotate(regency=Substr("unit__region_id", 1, 5)).values(group)
        reports = SurveyReport.objects.annotate(regency=Substr("unit__region_id", 1, 5)).values(group)
    else:
        raise ValueError(f"unknown grouping {by!r}")
    sums = {row[group]: row for row in responses.annotate(**_sums()).order_by()}
    invited = {
        row[invitation_group]: row["n"]
        for row in invitations.filter(issued_on__gte=period.start, issued_on__lte=period.end)
        .annotate(n=Count("id"))
        .order_by()
    }
    offline = {
        row[report_group]: row["n"] or 0
        for row in reports.filter(period_key=period.key).annotate(n=Sum("offline_population")).order_by()
    }
    names: dict[Any, str]
    if by == "agency":
        names = dict(Agency.objects.filter(pk__in=sums).values_list("pk", "name"))
    else:
        names = dict(Region.objects.filter(code__in=sums).values_list("code", "name"))
    rows = [
        GroupRow(
            str(key),
            names.get(key, str(key)),
            figures_from(
                int(row["respondents"]),
                _tallies(row),
                population=invited.get(key, 0) + offline.get(key, 0),
                weighting=weighting,
            ),
        )
        for key, row in sums.items()
    ]
    return sorted(rows, key=lambda row: row.name)

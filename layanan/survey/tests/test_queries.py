"""Reads of the satisfaction survey: the sums by the database (one query per scope and period),
the oracle of domain-facts §1.6, scopes, population and minimum sample, the overview."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from layanan.accounts.models import ServiceUnit, User
from layanan.accounts.tests.factories import AgencyFactory, ServiceUnitFactory, region
from layanan.catalog.tests.factories import ServiceFactory
from layanan.survey import actions, queries
from layanan.survey.elements import ELEMENT_KEYS
from layanan.survey.models import SurveyReport, SurveyResponse
from layanan.survey.periods import Period
from layanan.survey.scoring import ElementTally, minimum_sample, score
from layanan.survey.tests.factories import (
    ORACLE,
    ORACLE_IKM_EXACT,
    ORACLE_IKM_PERMEN,
    bulk_responses,
    day_in,
    invitations,
    past_period,
    published_report,
    respond,
)

pytestmark = pytest.mark.django_db


def test_tallies_is_one_query_and_matches_the_oracle(
    unit_a: ServiceUnit, django_assert_num_queries: Any
) -> None:
    period = past_period()
    bulk_responses(unit_a, ORACLE, day=day_in(period))

    with django_assert_num_queries(1):
        respondents, tallies = queries.tallies(queries.unit_scope(unit_a), period)

    assert respondents == 4
    assert [t.key for t in tallies] == list(ELEMENT_KEYS)
    assert [(t.total, t.answered) for t in tallies] == [
        (13, 4),
        (13, 4),
        (11, 4),
        (16, 4),
        (13, 4),
        (13, 4),
        (14, 4),
        (11, 4),
        (10, 4),
    ]
    exact, permen = score(tallies, "exact"), score(tallies, "permen")
    assert exact is not None
    assert permen is not None
    assert str(exact.ikm) == ORACLE_IKM_EXACT == "79.17"
    assert str(permen.ikm) == ORACLE_IKM_PERMEN == "78.38"
    assert (exact.grade, permen.grade) == ("B", "B")
    assert [e.nrr_display for e in exact.elements] == [
        Decimal(v) for v in ("3.25", "3.25", "2.75", "4.00", "3.25", "3.25", "3.50", "2.75", "2.50")
    ]


def test_figures_use_the_weighting_asked_for(unit_a: ServiceUnit) -> None:
    period = past_period()
    bulk_responses(unit_a, ORACLE, day=day_in(period))
    scope = queries.unit_scope(unit_a)

    exact = queries.figures(scope, period, weighting="exact").score
    permen = queries.figures(scope, period, weighting="permen").score

    assert exact is not None
    assert permen is not None
    assert (str(exact.ikm), str(permen.ikm)) == ("79.17", "78.38")


def test_blank_answers_are_averaged_over_those_who_answered(unit_a: ServiceUnit) -> None:
    period = past_period()
    bulk_responses(
        unit_a,
        [(4, None, 1), (2, 3, None), (None, None, None, 4)],
        day=day_in(period),
    )

    respondents, tallies = queries.tallies(queries.unit_scope(unit_a), period)

    assert respondents == 3
    by_key = {t.key: t for t in tallies}
    assert by_key["persyaratan"] == ElementTally("persyaratan", 6, 2)
    assert by_key["prosedur"] == ElementTally("prosedur", 3, 1)
    assert by_key["waktu"] == ElementTally("waktu", 1, 1)
    assert by_key["biaya"] == ElementTally("biaya", 4, 1)
    assert by_key["pengaduan"] == ElementTally("pengaduan", 0, 0)
    result = score(tallies, "exact")
    assert result is not None
    nrr = {e.key: e.nrr_display for e in result.elements}
    assert nrr["persyaratan"] == Decimal("3.00")  # (4 + 2) / 2, not / 3
    assert nrr["prosedur"] == Decimal("3.00")
    assert nrr["pengaduan"] is None
    assert result.elements_scored == 4


def test_only_the_period_is_counted(unit_a: ServiceUnit) -> None:
    period = past_period()
    one_day = datetime.timedelta(days=1)
    for day in (period.start, period.end):
        bulk_responses(unit_a, [(4,)], day=day)
    for day in (period.start - one_day, period.end + one_day):
        bulk_responses(unit_a, [(1,)], day=day)

    respondents, tallies = queries.tallies(queries.unit_scope(unit_a), period)

    assert respondents == 2
    assert tallies[0] == ElementTally("persyaratan", 8, 2)


def test_no_response_gives_no_score(unit_a: ServiceUnit) -> None:
    figures = queries.figures(queries.unit_scope(unit_a), past_period(), weighting="exact")

    assert figures.respondents == 0
    assert figures.score is None
    assert figures.minimum_sample == 0
    assert not figures.sample_reached


@pytest.fixture
def spread(unit_a: ServiceUnit) -> dict[str, Any]:
    """Responses of the past period spread over services, units, agencies and regions.

    unit_a (agency A, 33.74): 2 on service s1, 1 on s2, 1 without a service
    unit_a2 (agency A, 33.74.01): 3
    unit_c (agency C, 33.01): 5
    unit_d (agency C, 34.71): 7
    """
    period = past_period()
    day = day_in(period)
    unit_a2 = ServiceUnitFactory(agency=unit_a.agency, region=region("33.74.01", "Semarang Tengah"))
    agency_c = AgencyFactory(region=region("33.01", "Kabupaten Cilacap"))
    unit_c = ServiceUnitFactory(agency=agency_c, region=region("33.01", "Kabupaten Cilacap"))
    unit_d = ServiceUnitFactory(agency=agency_c, region=region("34.71", "Kota Yogyakarta"))
    s1, s2 = ServiceFactory(unit=unit_a), ServiceFactory(unit=unit_a)
    bulk_responses(unit_a, [(4,), (4,)], day=day, service=s1)
    bulk_responses(unit_a, [(3,)], day=day, service=s2)
    bulk_responses(unit_a, [(2,)], day=day)
    bulk_responses(unit_a2, [(3,)] * 3, day=day)
    bulk_responses(unit_c, [(2,)] * 5, day=day)
    bulk_responses(unit_d, [(1,)] * 7, day=day)
    invitations(unit_a, 10, day=day)
    invitations(unit_a2, 20, day=day)
    invitations(unit_c, 40, day=day)
    invitations(unit_d, 80, day=day)
    return {
        "period": period,
        "s1": s1,
        "s2": s2,
        "unit_a2": unit_a2,
        "agency_c": agency_c,
        "unit_c": unit_c,
        "unit_d": unit_d,
    }


@pytest.mark.parametrize(
    ("scope", "respondents", "persyaratan_total", "invited"),
    [
        ("service:s1", 2, 8, 0),
        ("service:s2", 1, 3, 0),
        ("unit:unit_a", 4, 13, 10),
        ("unit:unit_a2", 3, 9, 20),
        ("agency:a", 7, 22, 30),
        ("agency:c", 12, 17, 120),
        ("region:33", 12, 32, 70),
        ("region:33.74", 7, 22, 30),
        ("region:33.74.01", 3, 9, 20),
        ("region:33.7", 0, 0, 0),
        ("region:34", 7, 7, 80),
    ],
)
def test_scopes_count_their_own_rows(
    unit_a: ServiceUnit,
    spread: dict[str, Any],
    scope: str,
    respondents: int,
    persyaratan_total: int,
    invited: int,
) -> None:
    kind, name = scope.split(":")
    targets: dict[str, Any] = {
        "s1": spread["s1"],
        "s2": spread["s2"],
        "unit_a": unit_a,
        "unit_a2": spread["unit_a2"],
        "a": unit_a.agency,
        "c": spread["agency_c"],
    }
    chosen = queries.Scope(kind, targets.get(name, name))

    counted, tallies = queries.tallies(chosen, spread["period"])

    assert counted == respondents
    assert tallies[0].total == persyaratan_total
    assert queries.invited_in_period(chosen, spread["period"]) == invited


def test_an_unknown_scope_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown scope"):
        queries.Scope("province", "33").responses()


def test_by_service_groups_a_units_responses(unit_a: ServiceUnit, spread: dict[str, Any]) -> None:
    rows = queries.by_service(unit_a, spread["period"], weighting="exact")

    counted = {row.service_id: row.respondents for row in rows}
    assert counted == {spread["s1"].pk: 2, spread["s2"].pk: 1, None: 1}
    assert rows[0].service_id == spread["s1"].pk  # most respondents first
    first = rows[0].score
    assert first is not None
    assert first.ikm == Decimal("100.00")


def test_population_is_the_invitations_of_the_period_plus_offline_users(unit_a: ServiceUnit) -> None:
    period = past_period()
    invitations(unit_a, 60, day=day_in(period))
    invitations(unit_a, 7, day=period.start - datetime.timedelta(days=1))  # the period before
    invitations(unit_a, 9, day=period.end + datetime.timedelta(days=1))  # the period after
    bulk_responses(unit_a, [(3,)] * 5, day=day_in(period))

    figures = queries.figures(queries.unit_scope(unit_a), period, weighting="permen", offline_population=40)

    assert figures.population == 100
    assert figures.minimum_sample == minimum_sample(100) == 80
    assert figures.still_needed == 75
    assert figures.progress_percent == 6
    assert not figures.sample_reached


def test_the_population_is_at_least_the_respondents(unit_a: ServiceUnit) -> None:
    period = past_period()
    bulk_responses(unit_a, [(3,)] * 10, day=day_in(period))  # answered through the general link

    figures = queries.figures(queries.unit_scope(unit_a), period, weighting="exact")

    assert figures.population == 10
    assert figures.minimum_sample == 10
    assert figures.sample_reached
    assert figures.progress_percent == 100


def test_the_report_settings_change_the_population_of_the_draft(unit_a: ServiceUnit, unit_head: User) -> None:
    period = past_period()
    invitations(unit_a, 800, day=day_in(period))
    bulk_responses(unit_a, ORACLE, day=day_in(period))
    actions.save_report_settings(
        unit_a, period, weighting="exact", offline_population=200, method_note="", actor=unit_head
    )

    view = queries.report_view(unit_a, period, queries.report_for(unit_a, period))

    assert view.figures.population == 1000
    assert view.figures.minimum_sample == 278
    assert view.figures.score is not None
    assert str(view.figures.score.ikm) == "79.17"
    assert [row.key for row in view.lowest] == ["pengaduan", "waktu", "sarana"]


def _units(count: int) -> list[ServiceUnit]:
    units: list[ServiceUnit] = [ServiceUnitFactory() for _ in range(count)]
    period = past_period()
    for number, unit in enumerate(units):
        bulk_responses(unit, ORACLE[: number % 4 + 1], day=day_in(period))
        invitations(unit, number + 1, day=day_in(period))
        SurveyReport.objects.create(unit=unit, period_key=period.key, weighting="exact", offline_population=3)
    return units


def test_the_overview_takes_the_same_queries_for_one_unit_or_five() -> None:
    period = past_period()
    one, five = _units(1), _units(5)

    with CaptureQueriesContext(connection) as for_one:
        rows_one = queries.overview(one, period)
    with CaptureQueriesContext(connection) as for_five:
        rows_five = queries.overview(five, period)

    assert len(for_one) == len(for_five) <= 4
    assert len(rows_one) == 1
    assert len(rows_five) == 5
    assert [row.figures.respondents for row in rows_five] == [1, 2, 3, 4, 1]
    assert [row.figures.population for row in rows_five] == [4, 5, 6, 7, 8]  # invited + offline 3
    assert all(row.report_status == "draft" for row in rows_five)


def test_the_overview_equals_the_figures_of_each_unit(unit_a: ServiceUnit, unit_b: ServiceUnit) -> None:
    period = past_period()
    bulk_responses(unit_a, ORACLE, day=day_in(period))
    invitations(unit_b, 3, day=day_in(period))

    rows = {row.unit.pk: row for row in queries.overview([unit_a, unit_b], period)}

    live = queries.figures(queries.unit_scope(unit_a), period, weighting="permen")
    assert rows[unit_a.pk].figures == live
    assert rows[unit_b.pk].figures.respondents == 0
    assert rows[unit_b.pk].figures.score is None
    assert rows[unit_b.pk].figures.population == 3
    assert rows[unit_b.pk].report_status == ""


def test_suggestions_and_the_anonymous_rows(unit_a: ServiceUnit, unit_head: User) -> None:
    period = past_period()
    plain = respond(unit_a, day=day_in(period, 1))
    first = respond(unit_a, day=day_in(period, 2), suggestion="Antrean panjang, nama saya Budi.")
    second = respond(unit_a, day=day_in(period, 3), suggestion="Toilet kotor.")
    actions.moderate_suggestion(first, publish=True, wording="Antrean panjang.", actor=unit_head)

    assert list(queries.suggestions(unit_a, period)) == [first, second]
    pending = queries.suggestions(unit_a, period, status=SurveyResponse.SuggestionStatus.PENDING)
    assert list(pending) == [second]

    rows = list(queries.anonymous_rows(unit_a, period))
    assert len(rows) == 3
    assert "suggestion" not in rows[0]
    assert [row["published_suggestion"] for row in rows] == ["", "Antrean panjang.", ""]
    assert plain.pk  # the response without suggestion is exported too


def test_published_reports_lists_published_reports_of_active_units_only(
    unit_a: ServiceUnit, unit_b: ServiceUnit, unit_head: User
) -> None:
    period = past_period()
    published = published_report(unit_a, unit_head, period=period)
    SurveyReport.objects.create(unit=unit_b, period_key=period.key, weighting="exact")  # a draft

    assert list(queries.published_reports()) == [published]
    assert list(queries.published_reports(agency=unit_b.agency)) == []
    assert list(queries.published_reports(year=period.year)) == [published]
    assert list(queries.published_reports(year=period.year + 1)) == []
    assert queries.published_report(unit_a.agency.slug, unit_a.slug, period.key) == published
    assert queries.published_report(unit_b.agency.slug, unit_b.slug, period.key) is None

    ServiceUnit.objects.filter(pk=unit_a.pk).update(is_active=False)
    assert list(queries.published_reports()) == []


def test_the_previous_published_report_is_the_latest_one_before_the_period(
    unit_a: ServiceUnit, unit_head: User
) -> None:
    this_year = Period.containing(day_in(past_period()), "year").next()
    two_back = past_period().previous()
    older = published_report(unit_a, unit_head, period=two_back.previous(), rows=ORACLE[:1])
    newer = published_report(unit_a, unit_head, period=two_back, rows=ORACLE[:1])

    assert queries.previous_published_report(unit_a, this_year) == newer
    assert queries.previous_published_report(unit_a, two_back) == older
    assert queries.previous_published_report(unit_a, two_back.previous()) is None

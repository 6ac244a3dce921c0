"""The back office's totals per agency and per regency or city: every unit together, a constant
number of queries, the population from invitations and the units' offline counts."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.test import Client

from layanan.accounts.models import ServiceUnit
from layanan.accounts.tests.factories import ServiceUnitFactory, region
from layanan.survey.models import SurveyReport
from layanan.survey.periods import Period
from layanan.survey.queries import totals
from layanan.survey.tests.factories import ORACLE, bulk_responses, day_in, invitations, past_period


@pytest.mark.django_db
def test_totals_per_agency_add_up_every_unit_of_the_agency(
    unit_a: ServiceUnit, unit_b: ServiceUnit, django_assert_num_queries: object
) -> None:
    period = past_period()
    sibling: ServiceUnit = ServiceUnitFactory(agency=unit_a.agency, region=unit_a.region)
    bulk_responses(unit_a, ORACLE[:2], day=day_in(period))
    bulk_responses(sibling, ORACLE[2:], day=day_in(period))
    bulk_responses(unit_b, [(1,) * 9], day=day_in(period))
    bulk_responses(unit_a, [(1,) * 9], day=day_in(period.next()))  # another period: left out
    invitations(unit_a, 90, day=day_in(period))
    SurveyReport.objects.create(unit=sibling, period_key=period.key, weighting="exact", offline_population=10)

    with django_assert_num_queries(4):  # type: ignore[operator]
        rows = {row.key: row for row in totals(period, by="agency", weighting="exact")}

    mine = rows[str(unit_a.agency_id)]
    assert mine.name == unit_a.agency.name
    assert mine.figures.respondents == 4
    assert mine.figures.score is not None
    assert mine.figures.score.ikm == Decimal("79.17")  # the oracle, split over two units
    assert mine.figures.population == 100
    assert mine.figures.minimum_sample == 80
    assert rows[str(unit_b.agency_id)].figures.respondents == 1


@pytest.mark.django_db
def test_totals_per_regency_group_units_by_the_first_two_parts_of_their_region_code() -> None:
    period = Period(2025)
    regency = region("33.02", "Kabupaten Banyumas")
    district = region("33.02.26", "Purwokerto Timur")
    in_regency: ServiceUnit = ServiceUnitFactory(region=regency)
    in_district: ServiceUnit = ServiceUnitFactory(region=district)
    elsewhere: ServiceUnit = ServiceUnitFactory(region=region("33.74", "Kota Semarang"))
    bulk_responses(in_regency, [(4,) * 9], day=day_in(period))
    bulk_responses(in_district, [(2,) * 9], day=day_in(period))
    bulk_responses(elsewhere, [(1,) * 9], day=day_in(period))

    rows = {row.key: row for row in totals(period, by="regency", weighting="exact")}

    assert rows["33.02"].name == "Kabupaten Banyumas"
    assert rows["33.02"].figures.respondents == 2
    assert rows["33.02"].figures.score is not None
    assert rows["33.02"].figures.score.ikm == Decimal("75.00")
    assert rows["33.74"].figures.respondents == 1


@pytest.mark.django_db
def test_the_overview_shows_the_totals_to_the_inspectorate_only(
    unit_a: ServiceUnit, inspector: object, officer: object
) -> None:
    from layanan.core.testing import verified_client

    period = past_period()
    bulk_responses(unit_a, ORACLE, day=day_in(period))
    url = f"/petugas/skm/?jenis=tahun&periode={period.key}"
    inspectorate_page = verified_client(inspector).get(url)
    officer_page: Client = verified_client(officer)
    assert inspectorate_page.status_code == 200
    assert b'id="agencies"' in inspectorate_page.content
    assert b'id="regencies"' in inspectorate_page.content
    assert b'id="agencies"' not in officer_page.get(url).content

"""The published survey reports (``/skm/``): the list, a report's page and its PDF."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.utils import translation

from layanan.accounts.models import ServiceUnit, User
from layanan.accounts.roles import Role
from layanan.accounts.tests.factories import staff_with_role
from layanan.documents.pdf import pdf_available
from layanan.survey import actions
from layanan.survey.models import FollowUpAction, SurveyReport
from layanan.survey.periods import Period
from layanan.survey.tests.factories import (
    ORACLE,
    day_in,
    past_period,
    published_report,
    respond,
)

pytestmark = pytest.mark.django_db

LIST = "/skm/"


@pytest.fixture
def client() -> Client:
    visitor = Client()
    visitor.cookies["layanan_language"] = "en"
    return visitor


def text(response: Any) -> str:
    return str(response.content.decode())


def detail_url(unit: ServiceUnit, period: Period, suffix: str = "") -> str:
    return f"/skm/{unit.agency.slug}/{unit.slug}/{period.key}/{suffix}"


def test_the_list_shows_published_reports_only(
    client: Client, unit_a: ServiceUnit, unit_b: ServiceUnit, unit_head: User
) -> None:
    period = past_period()
    published_report(unit_a, unit_head, period=period)
    respond(unit_b, day=day_in(period))
    SurveyReport.objects.create(unit=unit_b, period_key=period.key, weighting="exact")  # a draft

    response = client.get(LIST)

    assert response.status_code == 200
    assert [report.unit for report, _score in response.context["rows"]] == [unit_a]
    html = text(response)
    assert unit_a.name in html
    assert unit_b.name not in html
    assert detail_url(unit_a, period) in html
    assert "78.38" in html


def test_the_list_is_empty_before_any_publication(client: Client, unit_a: ServiceUnit) -> None:
    response = client.get(LIST)

    assert response.status_code == 200
    assert response.context["rows"] == []
    assert "No survey report has been published yet." in text(response)


def test_the_list_filters_by_agency(
    client: Client, unit_a: ServiceUnit, unit_b: ServiceUnit, unit_head: User
) -> None:
    published_report(unit_a, unit_head)
    head_b = staff_with_role(Role.UNIT_HEAD, unit=unit_b)
    published_report(unit_b, head_b)

    only_b = client.get(LIST, {"instansi": unit_b.agency.slug})
    assert only_b.status_code == 200
    assert [report.unit for report, _score in only_b.context["rows"]] == [unit_b]

    bad = client.get(LIST, {"instansi": "tidak-ada"})
    assert bad.status_code == 400
    assert len(bad.context["rows"]) == 2


def test_a_published_report_has_its_page(client: Client, unit_a: ServiceUnit, unit_head: User) -> None:
    period = past_period()
    report = published_report(unit_a, unit_head, period=period, suggestion="Ruang tunggu perlu kipas angin.")
    FollowUpAction.objects.create(
        report=report,
        element="pengaduan",
        action="Buka kanal pengaduan WhatsApp",
        owner="Kasi",
        due_on=period.end,
    )

    response = client.get(detail_url(unit_a, period))

    assert response.status_code == 200
    html = text(response)
    assert unit_a.name in html
    assert unit_a.agency.name in html
    assert "78.38" in html
    assert "Quality of service: B" in html
    assert "<dt>Respondents</dt><dd>4</dd>" in html
    assert "Ruang tunggu perlu kipas angin." in html
    assert "Buka kanal pengaduan WhatsApp" in html
    assert detail_url(unit_a, period, "laporan.pdf") in html
    view = response.context["view"]
    assert [row.key for row in view.lowest] == ["pengaduan", "waktu", "sarana"]


def test_a_report_page_is_in_indonesian_by_default(unit_a: ServiceUnit, unit_head: User) -> None:
    period = past_period()
    published_report(unit_a, unit_head, period=period)

    response = Client().get(detail_url(unit_a, period))

    assert response.status_code == 200
    assert '<html lang="id"' in text(response)
    with translation.override("id"):
        assert translation.gettext("Respondents") in text(response)


def test_a_draft_and_an_unknown_report_are_404(client: Client, unit_a: ServiceUnit, unit_head: User) -> None:
    period = past_period()
    for number, row in enumerate(ORACLE):
        respond(unit_a, row, day=day_in(period, number))
    actions.save_report_settings(
        unit_a, period, weighting="exact", offline_population=0, method_note="", actor=unit_head
    )

    assert client.get(detail_url(unit_a, period)).status_code == 404
    assert client.get(detail_url(unit_a, period, "laporan.pdf")).status_code == 404
    assert client.get(detail_url(unit_a, period.previous())).status_code == 404
    assert client.get(f"/skm/{unit_a.agency.slug}/tidak-ada/{period.key}/").status_code == 404


@pytest.mark.parametrize("key", ["2025-X1", "20255", "2025-S3", "semua", "2025-T0"])
def test_a_bad_period_key_is_404(client: Client, unit_a: ServiceUnit, unit_head: User, key: str) -> None:
    published_report(unit_a, unit_head)

    assert client.get(f"/skm/{unit_a.agency.slug}/{unit_a.slug}/{key}/").status_code == 404
    assert client.get(f"/skm/{unit_a.agency.slug}/{unit_a.slug}/{key}/laporan.pdf").status_code == 404


def test_the_report_of_a_closed_unit_is_still_reachable_but_not_listed(
    client: Client, unit_a: ServiceUnit, unit_head: User
) -> None:
    period = past_period()
    published_report(unit_a, unit_head, period=period)
    ServiceUnit.objects.filter(pk=unit_a.pk).update(is_active=False)

    assert client.get(LIST).context["rows"] == []
    assert client.get(detail_url(unit_a, period)).status_code == 200


def test_the_report_shows_the_follow_up_of_the_previous_one(
    client: Client, unit_a: ServiceUnit, unit_head: User
) -> None:
    period = past_period()
    earlier = period.previous()
    earlier_report = published_report(unit_a, unit_head, period=earlier, rows=ORACLE[:2])
    item = FollowUpAction.objects.create(
        report=earlier_report, element="waktu", action="Tambah loket sore", owner="Kasi", due_on=period.end
    )
    actions.update_follow_up(item, status="done", progress_note="Loket sore dibuka.", actor=unit_head)
    published_report(unit_a, unit_head, period=period)

    response = client.get(detail_url(unit_a, period))

    assert response.status_code == 200
    html = text(response)
    assert "Tambah loket sore" in html
    assert "Loket sore dibuka." in html
    assert response.context["view"].previous == earlier_report


def test_the_pdf_is_a_pdf(client: Client, unit_a: ServiceUnit, unit_head: User) -> None:
    if not pdf_available():
        pytest.skip("WeasyPrint cannot be loaded here")
    period = past_period()
    published_report(unit_a, unit_head, period=period)

    response = client.get(detail_url(unit_a, period, "laporan.pdf"))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert f"skm-{unit_a.agency.slug}-{unit_a.slug}-{period.key}.pdf" in response["Content-Disposition"]

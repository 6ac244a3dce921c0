"""The public reports (``/laporan/``) in a real browser, in both languages, with axe-core after
every page load: the list, its filters (and a bad filter value), a report with the agency's
answer, the statistics table with its period, and a confidential report's address (404)."""

from __future__ import annotations

import datetime
import importlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.apps import apps
from django.utils import timezone, translation

from layanan.accounts.models import ServiceUnit, User
from layanan.accounts.roles import Role
from layanan.accounts.tests.factories import ServiceUnitFactory, staff_with_role
from layanan.complaints.actions import answer_complaint, dispose_complaint, rate_complaint
from layanan.complaints.models import Complaint
from layanan.complaints.tests.factories import report

LANGUAGES = ["id", "en"]
Axe = Callable[[Any], None]
ANSWER = "Sampah sudah diangkut dan jadwal pengangkutan ditambah menjadi setiap hari."


def _t(language: str, message: str, **params: Any) -> str:
    """``message`` as the page shows it in ``language`` (the catalogue's translation, or the English
    source while the Indonesian entry is still missing)."""
    with translation.override(language):
        text = translation.gettext(message)
    return text % params if params else text


def _follow(page: Any, locator: Any) -> None:
    with page.expect_navigation():
        locator.click()


@dataclass
class Reports:
    answered: Complaint
    open: Complaint
    confidential: Complaint


def _submitted(title: str, *, unit: ServiceUnit, coordinator: User, **kwargs: Any) -> tuple[Complaint, str]:
    at = timezone.now() - datetime.timedelta(days=10)
    body = f"{title}. Sudah lebih dari seminggu tidak ada tindakan dari petugas."
    submission = report(title=title, body=body, now=at, **kwargs)
    dispose_complaint(submission.complaint, unit=unit, actor=coordinator, now=at)
    return submission.complaint, submission.secret or ""


@pytest.fixture
def reports(transactional_db: None) -> Reports:
    # A transactional test empties the tables after each test, the migration's categories too.
    importlib.import_module("layanan.complaints.migrations.0002_default_categories").seed(apps, None)
    dlh: ServiceUnit = ServiceUnitFactory(
        agency__name="Dinas Lingkungan Hidup", agency__slug="dlh", name="Bidang Kebersihan"
    )
    dpu: ServiceUnit = ServiceUnitFactory(
        agency__name="Dinas Pekerjaan Umum", agency__slug="dpu", name="Jalan"
    )
    coordinator = staff_with_role(Role.COMPLAINT_COORDINATOR, agency=dlh.agency)
    officer = staff_with_role(Role.BACK_OFFICE, unit=dlh)
    answered, secret = _submitted("Sampah menumpuk di Pasar Wage", unit=dlh, coordinator=coordinator)
    answer_complaint(answered, actor=officer, note=ANSWER, now=timezone.now() - datetime.timedelta(days=8))
    rate_complaint(answered, rating=4, actor=None, tracking_secret=secret)
    still_open, _secret = _submitted(
        "Jalan berlubang di Jalan Pemuda",
        unit=dpu,
        coordinator=coordinator,
        category_slug="infrastruktur",
        attributes={"fasilitas": "jalan"},
    )
    confidential, _secret = _submitted(
        "Limbah rahasia dibuang ke sungai", unit=dlh, coordinator=coordinator, is_confidential=True
    )
    return Reports(answered=answered, open=still_open, confidential=confidential)


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_visitor_reads_public_reports_answers_and_statistics(
    page: Any, axe: Axe, set_language: Any, language: str, reports: Reports
) -> None:
    set_language(page, language)
    page.goto("/laporan/")
    axe(page)
    assert page.get_by_role("heading", level=1).inner_text() == _t(language, "Public reports")
    assert page.get_by_role("link", name=reports.answered.title).is_visible()
    assert page.get_by_role("link", name=reports.open.title).is_visible()
    assert reports.confidential.title not in page.content()

    # Filter by agency and status, without JavaScript-only controls.
    page.get_by_label(_t(language, "Agency"), exact=True).select_option("dpu")
    page.get_by_label(_t(language, "Status"), exact=True).select_option("diproses")
    _follow(page, page.get_by_role("button", name=_t(language, "Show reports")))
    axe(page)
    assert page.get_by_role("link", name=reports.open.title).is_visible()
    assert page.get_by_role("link", name=reports.answered.title).count() == 0

    # A bad value in the address is reported in the visitor's language; the rest still applies.
    page.goto("/laporan/?status=entah&instansi=dlh")
    axe(page)
    summary = page.locator(".error-summary")
    assert _t(language, "Choose a status from the list.") in summary.inner_text()
    assert page.get_by_role("link", name=reports.answered.title).is_visible()

    # One report: the story, the agency's answer, never the reporter.
    _follow(page, page.get_by_role("link", name=reports.answered.title))
    axe(page)
    assert page.get_by_role("heading", level=1).inner_text() == reports.answered.title
    assert ANSWER in page.locator("main").inner_text()
    assert page.get_by_role("heading", name=_t(language, "The agency's answer")).is_visible()

    # The statistics: an accessible table, the period chosen with a plain form.
    page.goto("/laporan/")
    axe(page)
    _follow(
        page,
        page.get_by_role("link", name=_t(language, "How quickly each agency answers: statistics per agency")),
    )
    axe(page)
    table = page.get_by_role("table")
    assert table.locator("caption").is_visible()
    assert table.get_by_role("rowheader", name="Dinas Lingkungan Hidup").is_visible()
    page.get_by_label(_t(language, "Reports submitted in"), exact=True).select_option("365")
    _follow(page, page.get_by_role("button", name=_t(language, "Show statistics")))
    axe(page)
    assert "periode=365" in page.url
    assert reports.confidential.title not in page.content()

    # A confidential report's address is an ordinary "page not found".
    response = page.goto(f"/laporan/{reports.confidential.reference}/")
    axe(page)
    assert response is not None
    assert response.status == 404
    assert reports.confidential.title not in page.content()

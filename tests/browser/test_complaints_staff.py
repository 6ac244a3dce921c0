"""The staff side of complaints in a real browser, in both languages, checked with axe-core after
every page load: the coordinator finds an anonymous report in the inbox, opens it, confirms the
routing assistant's suggestion with one click; the unit's officer finds it in the unit's queue,
first forgets the answer (the message comes back), then answers. The reporter's identity appears
on no page.

Selectors use ids, names and form actions, not texts: the pages read the same in both languages.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import Any

import pytest
from django.apps import apps

from layanan.accounts.models import ServiceUnit, User
from layanan.complaints.models import Complaint, Disposition
from layanan.complaints.tests.factories import category, report

LANGUAGES = ["id", "en"]
Axe = Callable[[Any], None]
NAME = "Rahmat Hidayatullah"
EMAIL = "rahmat.rahasia@example.id"
ANSWER = "Petugas kebersihan sudah mengangkut sampah pada Senin pagi."


@pytest.fixture(autouse=True)
def _categories(transactional_db: None) -> None:
    """The default categories, seeded by migration: a transactional test before this one may
    have flushed them."""
    migration = importlib.import_module("layanan.complaints.migrations.0002_default_categories")
    migration.seed(apps, None)


def _no_identity(page: Any) -> None:
    html = page.content()
    assert NAME not in html
    assert EMAIL not in html


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("language", LANGUAGES)
def test_coordinator_confirms_the_suggestion_and_the_unit_answers(
    page: Any,
    axe: Axe,
    set_language: Any,
    login_as: Any,
    unit_a: ServiceUnit,
    coordinator: User,
    officer: User,
    language: str,
) -> None:
    complaint = report(
        is_anonymous=True,
        reporter_details={"name": NAME, "email": EMAIL},
        title="Sampah menumpuk di depan pasar",
    ).complaint
    # The routing assistant's suggestion, as submit_complaint stores it on arrival.
    Complaint.objects.filter(pk=complaint.pk).update(
        suggested_agency=unit_a.agency, suggested_category=category("lingkungan"), suggestion_confidence=0.9
    )
    set_language(page, language)
    login_as(page, coordinator)

    # 1. The coordinator's inbox: the report, with the suggestion.
    page.goto("/petugas/pengaduan/")
    axe(page)
    assert page.locator("html").get_attribute("lang") == language
    row = page.locator("table.complaints-queue tbody tr", has_text=complaint.reference)
    assert row.count() == 1
    assert unit_a.agency.name in row.inner_text()
    _no_identity(page)

    # 2. The case page: anonymous, the suggestion offered.
    row.locator("a").click()
    page.wait_for_load_state("load")
    axe(page)
    assert page.url.endswith(f"/petugas/pengaduan/{complaint.reference}/")
    _no_identity(page)

    # 3. One click on the suggestion.
    page.locator('form[action$="/disposisi/saran/"] button[type=submit]').first.click()
    page.wait_for_load_state("load")
    axe(page)
    complaint.refresh_from_db()
    assert complaint.state == "disposed"
    assert complaint.unit_id == unit_a.pk
    assert Disposition.objects.get(complaint=complaint).source == Disposition.Source.SUGGESTION
    assert page.locator(".apps-timeline").first.is_visible()

    # 4. The unit's officer: the report is in the unit's queue.
    page.context.clear_cookies()
    set_language(page, language)
    login_as(page, officer)
    page.goto("/petugas/pengaduan/")
    axe(page)
    page.locator(f'table.complaints-queue a[href$="/{complaint.reference}/"]').click()
    page.wait_for_load_state("load")
    axe(page)
    _no_identity(page)

    # 5. An answer without text comes back with the message, then the answer goes.
    answer = page.locator('form[action$="/langkah/answer/"]')
    answer.locator("button[type=submit]").click()
    page.wait_for_load_state("load")
    axe(page)
    assert page.locator(".error-summary").is_visible()
    assert page.locator("#note-answer").get_attribute("aria-invalid") == "true"
    page.fill("#note-answer", ANSWER)
    page.locator('form[action$="/langkah/answer/"] button[type=submit]').click()
    page.wait_for_load_state("load")
    axe(page)
    complaint.refresh_from_db()
    assert complaint.state == "answered"
    assert ANSWER in page.content()
    _no_identity(page)


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("language", LANGUAGES)
def test_coordinator_disposes_by_hand_and_filters_the_queue(
    page: Any,
    axe: Axe,
    set_language: Any,
    login_as: Any,
    unit_a: ServiceUnit,
    coordinator: User,
    language: str,
) -> None:
    complaint = report(title="Lampu jalan mati", category_slug="lainnya").complaint
    report(title="Sampah di sungai")
    set_language(page, language)
    login_as(page, coordinator)

    page.goto("/petugas/pengaduan/")
    axe(page)
    page.select_option("#id_category", "lainnya")
    page.locator("form.apps-queue-filters button[type=submit]").click()
    page.wait_for_load_state("load")
    axe(page)
    rows = page.locator("table.complaints-queue tbody tr")
    assert rows.count() == 1
    assert complaint.reference in rows.nth(0).inner_text()

    rows.nth(0).locator("a").click()
    page.wait_for_load_state("load")
    axe(page)
    page.locator('form[action$="/disposisi/"] button[type=submit]').click()
    page.wait_for_load_state("load")
    axe(page)
    assert page.locator(".error-summary").is_visible()
    page.select_option("#id_unit", str(unit_a.pk))
    page.select_option("#id_resolution_class", "ringan")
    page.locator('form[action$="/disposisi/"] button[type=submit]').click()
    page.wait_for_load_state("load")
    axe(page)
    complaint.refresh_from_db()
    assert complaint.state == "disposed"
    assert complaint.resolution_class == "ringan"

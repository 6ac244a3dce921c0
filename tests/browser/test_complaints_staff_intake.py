"""Officer-entered reports and the complaint deadlines in a real browser, both languages, axe-core
after every page load: a coordinator records a telephone report (first with a mistake: the
message comes back with everything typed kept), then sees the receipt with the reference and the
tracking code; a platform administrator edits the national deadlines.

Selectors use ids and names, not texts (the Indonesian texts come with the lead's translations).
The URL module of ``test_views_staff_intake`` wires the new pages until the lead includes them."""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import Any

import pytest
from django.apps import apps

from layanan.accounts.models import User
from layanan.complaints.models import Complaint, ComplaintPolicy
from layanan.complaints.tests.factories import STORY, district

LANGUAGES = ["id", "en"]
Axe = Callable[[Any], None]


@pytest.fixture(autouse=True)
def _categories(transactional_db: None) -> None:
    """The default categories, seeded by migration: a transactional test before this one may
    have flushed them."""
    migration = importlib.import_module("layanan.complaints.migrations.0002_default_categories")
    migration.seed(apps, None)


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("language", LANGUAGES)
def test_an_officer_records_a_phone_report(
    page: Any, axe: Axe, set_language: Any, login_as: Any, coordinator: User, language: str
) -> None:
    place = district()
    set_language(page, language)
    login_as(page, coordinator)

    page.goto("/petugas/pengaduan/catat/")
    axe(page)
    assert page.locator("html").get_attribute("lang") == language
    page.check("input[name=channel][value=phone]")
    page.check("input[name=kind][value=pengaduan]")
    page.select_option("#id_category", "lingkungan")
    page.fill("#id_title", "Sampah menumpuk di pinggir jalan")
    page.fill("#id_body", "Terlalu pendek")
    page.select_option("#id_region", place.code)
    page.fill("#id_name", "Rahmat Hidayatullah")
    page.fill("#id_phone", "0812 9876 5432")
    page.click("#record-report")
    page.wait_for_load_state("load")
    axe(page)
    assert page.locator(".error-summary").is_visible()
    assert page.locator("#id_body").get_attribute("aria-invalid") == "true"
    assert page.input_value("#id_title") == "Sampah menumpuk di pinggir jalan"
    assert page.input_value("#id_phone") == "0812 9876 5432"
    assert not Complaint.objects.exists()

    page.fill("#id_body", STORY)
    page.click("#record-report")
    page.wait_for_load_state("load")
    axe(page)
    complaint = Complaint.objects.get()
    assert complaint.channel == Complaint.Channel.PHONE
    assert page.url.endswith("/petugas/pengaduan/catat/tanda-terima/")
    assert complaint.reference not in page.url
    assert complaint.reference in page.content()
    code = page.locator("#tracking-code").inner_text().strip()
    assert len(code) == 8

    page.reload()
    page.wait_for_load_state("load")
    axe(page)
    assert page.locator("#tracking-code").count() == 0
    assert code not in page.content()


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("language", LANGUAGES)
def test_the_admin_edits_the_national_deadlines(
    page: Any, axe: Axe, set_language: Any, login_as: Any, admin_user: User, language: str
) -> None:
    set_language(page, language)
    login_as(page, admin_user)
    page.goto("/petugas/pengaduan/kebijakan/")
    axe(page)
    page.click("#policy-nasional")
    page.wait_for_load_state("load")
    axe(page)

    page.fill("#id_first_answer_working_days", "400")
    page.click("#save-policy")
    page.wait_for_load_state("load")
    axe(page)
    assert page.locator(".error-summary").is_visible()
    assert page.locator("#id_first_answer_working_days").get_attribute("aria-invalid") == "true"

    page.fill("#id_first_answer_working_days", "7")
    page.fill("#id_auto_dispose_confidence", "0.95")
    page.click("#save-policy")
    page.wait_for_load_state("load")
    axe(page)
    assert page.url.endswith("/petugas/pengaduan/kebijakan/")
    policy = ComplaintPolicy.objects.get(region__isnull=True)
    assert policy.first_answer_working_days == 7
    assert policy.auto_dispose_confidence == 0.95

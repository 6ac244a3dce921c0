"""Complaints in a real browser, as a citizen, in both languages, with axe-core after every page
load: a visitor reports without an account (the place picked a level at a time without JavaScript,
an error on the way, the category's extra question, check your report), sees the reference and
the tracking code once, and follows the report with them; the *rahasia* and *anonim* choices; the
protected *pungli* channel; a duplicate hint and supporting the existing report instead; rating an
answer, which reopens the report when the rating is low."""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import Any

import pytest
from django.apps import apps
from django.utils import translation

from layanan.accounts.models import ServiceUnit, User
from layanan.complaints.actions import answer_complaint, dispose_complaint, transition_complaint
from layanan.complaints.models import Complaint
from layanan.complaints.tests.factories import STORY, district, report

LANGUAGES = ["id", "en"]
Axe = Callable[[Any], None]
TITLE = "Jalan berlubang di depan SD Negeri 3"
BODY = "Jalan di depan SD Negeri 3 berlubang besar sejak dua bulan, motor sering jatuh di sana."


def _t(language: str, message: str, **params: Any) -> str:
    """``message`` as the page shows it in ``language`` (the catalogue's translation, or the English
    source while the Indonesian entry is still missing)."""
    with translation.override(language):
        text = translation.gettext(message)
    return text % params if params else text


@pytest.fixture
def categories(transactional_db: None) -> None:
    """The default categories (a transactional test starts from a flushed database)."""
    importlib.import_module("layanan.complaints.migrations.0002_default_categories").seed(apps, None)
    district()


def _press(page: Any, axe: Axe, selector: str) -> None:
    with page.expect_navigation():
        page.locator(selector).first.click()
    axe(page)


def _fill_step_one(
    page: Any, axe: Axe, *, protected: bool = False, title: str = TITLE, body: str = BODY
) -> None:
    if not protected:
        page.check("input[name=kind][value=pengaduan]")
        page.select_option("select[name=category]", "infrastruktur")
    page.fill("input[name=title]", title)
    page.fill("textarea[name=body]", body)
    page.select_option("select[name=province]", "33")
    _press(page, axe, "button[name=action][value=pick]")
    # What was typed is still there after the round trip.
    assert page.locator("input[name=title]").input_value() == title
    page.select_option("select[name=regency]", "33.74")
    _press(page, axe, "button[name=action][value=pick]")
    page.select_option("select[name=district]", "33.74.01")
    page.fill("input[name=location_text]", "depan SD Negeri 3")


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("language", LANGUAGES)
def test_visitor_reports_and_follows_the_report(
    page: Any, axe: Axe, set_language: Any, categories: None, language: str
) -> None:
    set_language(page, language)
    page.goto("/pengaduan/")
    axe(page)
    assert page.locator("html").get_attribute("lang") == language
    assert page.get_by_role("heading", level=1).inner_text() == _t(
        language, "Report a problem with a public service"
    )

    # A story too short: the error summary, what was typed kept.
    _fill_step_one(page, axe, body="Pendek sekali")
    _press(page, axe, "button[name=action][value=continue]")
    assert page.locator(".error-summary").is_visible()
    assert page.locator("textarea[name=body]").input_value() == "Pendek sekali"
    assert page.locator("select[name=district]").input_value() == "33.74.01"
    page.fill("textarea[name=body]", BODY)
    _press(page, axe, "button[name=action][value=continue]")

    # Check your report: the summary, the category's question, the contact.
    assert page.url.endswith("/pengaduan/periksa/")
    main = page.locator("main").inner_text()
    assert TITLE in main
    assert "Kecamatan Semarang Tengah" in main
    page.check("input[name=attribute_fasilitas][value=jalan]")
    page.fill("input[name=contact]", "0812 3456 7890")
    _press(page, axe, "main form[enctype] button.button")

    # Sent: the reference and the code, once.
    assert "/pengaduan/terkirim/" in page.url
    complaint = Complaint.objects.get()
    assert complaint.reference in page.locator(".panel-confirm").inner_text()
    secret = page.locator("#tracking-code").inner_text()
    assert len(secret) == 8
    assert secret not in page.url
    assert complaint.attributes == {"fasilitas": "jalan"}
    assert complaint.language == language

    # Follow it from another browser session with the reference and the code.
    page.context.clear_cookies()
    set_language(page, language)
    page.goto("/pengaduan/lacak/")
    axe(page)
    page.fill("input[name=reference]", complaint.reference.lower().replace("-", " "))
    page.fill("input[name=code]", secret.lower())
    _press(page, axe, "main form[method=post] button.button")
    assert page.url.endswith(f"/pengaduan/lacak/{complaint.reference}/")
    assert secret not in page.url
    assert page.get_by_role("heading", level=1).inner_text() == TITLE
    assert page.locator("#timeline tbody tr").count() == 1
    assert secret not in page.content()


@pytest.mark.django_db(transaction=True)
def test_anonymous_and_confidential_report(page: Any, axe: Axe, categories: None) -> None:
    page.goto("/pengaduan/")
    axe(page)
    _fill_step_one(page, axe)
    _press(page, axe, "button[name=action][value=continue]")
    page.check("input[name=attribute_fasilitas][value=jalan]")
    page.check("input[name=is_anonymous]")
    page.check("input[name=is_confidential]")
    page.fill("input[name=name]", "Dewi Lestari")
    _press(page, axe, "main form[enctype] button.button")

    complaint = Complaint.objects.get()
    assert complaint.is_anonymous
    assert complaint.is_confidential
    assert complaint.reporter is None
    main = page.locator("main").inner_text()
    assert _t("id", "You reported anonymously: nobody handling the report sees who you are.") in main
    assert _t("id", "The content is confidential: it is not published.") in main
    _press(page, axe, f'main a[href="/pengaduan/lacak/{complaint.reference}/"]')
    assert _t("id", "Confidential: the content is not published.") in page.locator("main").inner_text()
    assert "Dewi Lestari" not in page.content()


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("language", LANGUAGES)
def test_pungli_channel(page: Any, axe: Axe, set_language: Any, categories: None, language: str) -> None:
    set_language(page, language)
    page.goto("/pengaduan/")
    axe(page)
    _press(page, axe, 'main a[href="/pengaduan/pungli/"]')
    assert page.get_by_role("heading", level=1).inner_text() == _t(
        language, "Report illegal charges or abuse of power"
    )
    assert page.locator("input[name=kind]").count() == 0
    _fill_step_one(
        page,
        axe,
        protected=True,
        title="Diminta uang pelicin untuk KTP",
        body="Petugas meminta uang Rp200.000 agar KTP saya cepat jadi, tanpa kuitansi.",
    )
    _press(page, axe, "button[name=action][value=continue]")
    assert page.url.endswith("/pengaduan/pungli/periksa/")
    assert page.locator("input[name=is_confidential]").count() == 0
    assert page.locator("#duplicates").count() == 0
    page.check("input[name=is_anonymous]")
    _press(page, axe, "main form[enctype] button.button")

    complaint = Complaint.objects.get()
    assert complaint.kind == "pungli"
    assert complaint.is_confidential
    assert complaint.is_anonymous
    assert complaint.category.is_protected


@pytest.mark.django_db(transaction=True)
def test_duplicate_hint_and_support(
    page: Any, axe: Axe, login_as: Any, categories: None, citizen: User, coordinator: User
) -> None:
    existing = report(
        category_slug="infrastruktur",
        title="Jalan rusak depan SD Negeri 3",
        body=STORY,
        attributes={"fasilitas": "jalan"},
    ).complaint
    transition_complaint(existing, "start_verification", actor=coordinator)
    login_as(page, citizen)

    page.goto("/pengaduan/")
    axe(page)
    _fill_step_one(page, axe)
    _press(page, axe, "button[name=action][value=continue]")
    hint = page.locator("#duplicates")
    assert hint.is_visible()
    assert existing.reference in hint.inner_text()
    assert page.locator("input[name=contact]").count() == 0  # the account's contact is used
    _press(page, axe, "#duplicates form button")

    assert existing.reference in page.locator(".panel-confirm").inner_text()
    existing.refresh_from_db()
    assert existing.support_count == 1
    assert Complaint.objects.count() == 1


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("language", LANGUAGES)
def test_visitor_rates_the_answer_low_and_the_report_reopens(
    page: Any,
    axe: Axe,
    set_language: Any,
    categories: None,
    coordinator: User,
    officer: User,
    unit_a: ServiceUnit,
    language: str,
) -> None:
    submission = report()
    complaint = dispose_complaint(submission.complaint, unit=unit_a, actor=coordinator)
    answer_complaint(complaint, actor=officer, note="Sampah sudah kami angkut.")
    assert submission.secret is not None
    set_language(page, language)

    page.goto("/pengaduan/lacak/")
    axe(page)
    page.fill("input[name=reference]", complaint.reference)
    page.fill("input[name=code]", submission.secret)
    _press(page, axe, "main form[method=post] button.button")
    assert "Sampah sudah kami angkut." in page.locator("main").inner_text()
    assert officer.full_name not in page.content()

    # A low rating needs a comment: the error, then the rating with it.
    page.check("input[name=rating-rating][value='1']")
    _press(page, axe, "form[action$='/nilai/'] button")
    assert page.locator(".error-summary").is_visible()
    page.check("input[name=rating-rating][value='1']")
    page.fill("textarea[name=rating-comment]", "Masih ada sampah di ujung jalan.")
    _press(page, axe, "form[action$='/nilai/'] button")

    complaint.refresh_from_db()
    assert complaint.rating == 1
    assert complaint.state == "in_progress"
    assert page.locator(".messages").is_visible()

"""A complaint end to end in one browser, in both languages, axe-core after every page load:

1. a visitor without an account reports anonymously through the web form and gets the reference
   and the tracking code;
2. the coordinator of the regency opens it (no identity on the page) and confirms the routing
   assistant's suggestion with one click;
3. the unit's officer answers;
4. the visitor, back with the reference and the code, reads the answer and rates it: resolved;
5. the public list shows the report and the answer, never who reported.

And the *rahasia* case: a confidential report is handled the same way, but its content appears on
no public page (list, detail, statistics), while the reporter still follows it.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import Any

import pytest
from django.apps import apps

from layanan.accounts.models import ServiceUnit, User
from layanan.complaints.actions import answer_complaint, dispose_complaint
from layanan.complaints.models import Complaint, ComplaintCategory
from layanan.complaints.tests.factories import district

LANGUAGES = ["id", "en"]
Axe = Callable[[Any], None]
TITLE = "Sampah menumpuk di depan pasar"
BODY = "Sampah di depan Pasar Wage menumpuk sejak seminggu, baunya sampai ke rumah warga dan sekolah."
NAME = "Sulastri Pelapor"
EMAIL = "sulastri.pelapor@example.id"
ANSWER = "Petugas kebersihan sudah mengangkut sampah pada Senin pagi dan menambah jadwal angkut."


@pytest.fixture
def categories(transactional_db: None) -> None:
    importlib.import_module("layanan.complaints.migrations.0002_default_categories").seed(apps, None)
    district()


def _press(page: Any, axe: Axe, selector: str) -> None:
    with page.expect_navigation():
        page.locator(selector).first.click()
    axe(page)


def _no_identity(page: Any) -> None:
    html = page.content()
    assert NAME not in html
    assert EMAIL not in html


def _report(page: Any, axe: Axe, *, anonymous: bool, confidential: bool) -> tuple[Complaint, str]:
    page.goto("/pengaduan/")
    axe(page)
    page.check("input[name=kind][value=pengaduan]")
    page.select_option("select[name=category]", "lingkungan")
    page.fill("input[name=title]", TITLE)
    page.fill("textarea[name=body]", BODY)
    page.select_option("select[name=province]", "33")
    _press(page, axe, "button[name=action][value=pick]")
    page.select_option("select[name=regency]", "33.74")
    _press(page, axe, "button[name=action][value=pick]")
    page.select_option("select[name=district]", "33.74.01")
    _press(page, axe, "button[name=action][value=continue]")
    assert page.url.endswith("/pengaduan/periksa/")
    if anonymous:
        page.check("input[name=is_anonymous]")
    if confidential:
        page.check("input[name=is_confidential]")
    page.fill("input[name=name]", NAME)
    page.fill("input[name=contact]", EMAIL)
    _press(page, axe, "main form[enctype] button.button")
    complaint = Complaint.objects.order_by("-pk").first()
    assert complaint is not None
    assert complaint.reference in page.locator(".panel-confirm").inner_text()
    secret = page.locator("#tracking-code").inner_text()
    return complaint, secret


def _track(page: Any, axe: Axe, complaint: Complaint, secret: str) -> None:
    page.goto("/pengaduan/lacak/")
    axe(page)
    page.fill("input[name=reference]", complaint.reference)
    page.fill("input[name=code]", secret)
    _press(page, axe, "main form[method=post] button.button")
    assert page.url.endswith(f"/pengaduan/lacak/{complaint.reference}/")


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("language", LANGUAGES)
def test_an_anonymous_complaint_end_to_end(
    page: Any,
    axe: Axe,
    set_language: Any,
    login_as: Any,
    categories: None,
    unit_a: ServiceUnit,
    coordinator: User,
    officer: User,
    language: str,
) -> None:
    # 1. The visitor reports anonymously.
    set_language(page, language)
    complaint, secret = _report(page, axe, anonymous=True, confidential=False)
    assert complaint.is_anonymous
    assert complaint.reporter is None
    # The routing assistant's suggestion (what submit_complaint stores from routing_store).
    Complaint.objects.filter(pk=complaint.pk).update(
        suggested_agency=unit_a.agency,
        suggested_category=ComplaintCategory.objects.get(slug="lingkungan"),
        suggestion_confidence=0.92,
    )

    # 2. The coordinator confirms the suggestion with one click.
    page.context.clear_cookies()
    set_language(page, language)
    login_as(page, coordinator)
    page.goto("/petugas/pengaduan/")
    axe(page)
    _no_identity(page)
    _press(page, axe, f'table.complaints-queue a[href$="/{complaint.reference}/"]')
    _no_identity(page)
    _press(page, axe, 'form[action$="/disposisi/saran/"] button[type=submit]')
    complaint.refresh_from_db()
    assert (complaint.state, complaint.unit_id) == ("disposed", unit_a.pk)

    # 3. The unit's officer answers.
    page.context.clear_cookies()
    set_language(page, language)
    login_as(page, officer)
    page.goto(f"/petugas/pengaduan/{complaint.reference}/")
    axe(page)
    _no_identity(page)
    page.fill("#note-answer", ANSWER)
    _press(page, axe, 'form[action$="/langkah/answer/"] button[type=submit]')
    complaint.refresh_from_db()
    assert complaint.state == "answered"

    # 4. The visitor comes back with the reference and the code, reads the answer and rates it.
    page.context.clear_cookies()
    set_language(page, language)
    _track(page, axe, complaint, secret)
    assert ANSWER in page.locator("main").inner_text()
    assert officer.full_name not in page.content()
    page.check("input[name=rating-rating][value='5']")
    _press(page, axe, "form[action$='/nilai/'] button")
    complaint.refresh_from_db()
    assert (complaint.state, complaint.rating) == ("resolved", 5)

    # 5. The public sees the report and the answer, never who reported.
    page.goto("/laporan/")
    axe(page)
    assert TITLE in page.locator("main").inner_text()
    _no_identity(page)
    _press(page, axe, f'main a[href$="/laporan/{complaint.reference}/"]')
    assert ANSWER in page.locator("main").inner_text()
    _no_identity(page)


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("language", LANGUAGES)
def test_a_confidential_complaint_never_appears_publicly(
    page: Any,
    axe: Axe,
    set_language: Any,
    categories: None,
    unit_a: ServiceUnit,
    coordinator: User,
    officer: User,
    language: str,
) -> None:
    set_language(page, language)
    complaint, secret = _report(page, axe, anonymous=False, confidential=True)
    assert complaint.is_confidential
    dispose_complaint(complaint, unit=unit_a, actor=coordinator)
    answer_complaint(complaint, actor=officer, note=ANSWER)

    page.context.clear_cookies()
    set_language(page, language)
    for path in ("/laporan/", "/laporan/statistik/", "/laporan/?kategori=lingkungan"):
        page.goto(path)
        axe(page)
        html = page.content()
        assert TITLE not in html
        assert complaint.reference not in html
    response = page.goto(f"/laporan/{complaint.reference}/")
    assert response is not None
    assert response.status == 404
    axe(page)
    assert BODY not in page.content()

    # The reporter still follows it, with the answer.
    _track(page, axe, complaint, secret)
    main = page.locator("main").inner_text()
    assert TITLE in main
    assert ANSWER in main


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("language", LANGUAGES)
def test_a_signed_in_citizen_finds_an_anonymous_report_under_my_reports(
    page: Any, axe: Axe, set_language: Any, login_as: Any, categories: None, citizen: User, language: str
) -> None:
    from layanan.complaints.tests.factories import report

    complaint = report(actor=citizen, is_anonymous=True, title=TITLE).complaint
    assert complaint.reporter is None  # anonymous: not linked, found through the blind index
    set_language(page, language)
    login_as(page, citizen)
    page.goto("/akun/")
    axe(page)
    _press(page, axe, 'main a[href="/akun/pengaduan/"]')
    main = page.locator("main").inner_text()
    assert complaint.reference in main
    assert TITLE in main
    _press(page, axe, f'main a[href$="{complaint.reference}/"]')
    assert page.get_by_role("heading", level=1).inner_text() == TITLE

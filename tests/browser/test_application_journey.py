"""The whole life of one paid application in a real browser, in both languages, with axe-core after
every page load (issue 4, first acceptance line): the citizen applies online with documents from
their vault; the officer returns it for correction; the citizen corrects it; the officer accepts
it and the unit head approves it; the citizen pays on the payment simulator; the officer issues
the signed PDF; anyone verifies it at the URL its QR code holds. (The walk-in journey at the
counter is ``test_applications_counter.py``.)"""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import Any

import pytest
from django.conf import settings
from django.urls import reverse
from pypdf import PdfReader

from layanan.accounts.models import ServiceUnit, User
from layanan.accounts.tests.factories import citizen_profile_with_nik, region
from layanan.applications.models import Application, Bill, IssuedDocument
from layanan.applications.tests.factories import VALID_NIK, vault_document
from layanan.applications.tests.test_outputs import require_weasyprint
from layanan.catalog.tests.factories import (
    AdoptedStandardFactory,
    ServiceFactory,
    complete_published,
    paid_fee,
)
from layanan.documents.pdf import verification_url
from layanan.documents.signing import sha256_hex
from tests.browser.test_applications_citizen import VILLAGE, _continue, _follow, _t

LANGUAGES = ["id", "en"]
Axe = Callable[[Any], None]
NOTE = "Foto KK terpotong. Mohon pilih KK yang lengkap."


def _step(page: Any, axe: Axe, key: str, note: str = "") -> None:
    if note:
        page.locator(f"#note-{key}").fill(note)
    with page.expect_navigation():
        page.locator(f'form[action$="/langkah/{key}/"] button[type=submit]').click()
    axe(page)


def _state(application: Application) -> str:
    application.refresh_from_db()
    return application.state


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("language", LANGUAGES)
def test_apply_correct_approve_pay_issue_and_verify(
    page: Any,
    axe: Axe,
    set_language: Any,
    login_as: Any,
    citizen: User,
    officer: User,
    unit_head: User,
    unit_a: ServiceUnit,
    language: str,
) -> None:
    require_weasyprint()
    for code, name in (("33", "Jawa Tengah"), ("33.02", "Kabupaten Banyumas"), ("33.02.01", "Karanglewas")):
        region(code, name)
    region(VILLAGE, "Karanglewas Kidul")
    citizen_profile_with_nik(citizen, nik=VALID_NIK, address="Jl. Merdeka 17 RT 01/RW 02")
    service = ServiceFactory(unit=unit_a, name="Izin Reklame", slug="izin-reklame", channel="both")
    AdoptedStandardFactory(service=service, published=complete_published(fee=paid_fee(75_000)))
    identity_card = vault_document(citizen, "ktp")
    cropped_card = vault_document(citizen, "kk")

    # 1. The citizen applies online; both documents come from the vault (once-only).
    set_language(page, language)
    login_as(page, citizen)
    page.goto(service.get_absolute_url())
    axe(page)
    _follow(page, page.get_by_role("link", name=_t(language, "Apply online")))
    axe(page)
    _follow(page, page.get_by_role("button", name=_t(language, "Start now")))
    axe(page)
    for level, code in (
        ("Province", "33"),
        ("Regency or city", "33.02"),
        ("District (kecamatan)", "33.02.01"),
    ):
        page.get_by_label(_t(language, level), exact=True).select_option(code)
        _follow(page, page.get_by_role("button", name=f"{_t(language, 'Choose')} — {_t(language, level)}"))
        axe(page)
    page.get_by_label(_t(language, "Village (desa or kelurahan)")).select_option(VILLAGE)
    _continue(page, language)
    axe(page)
    page.locator(f'input[name="dok_1_ktp"][value="{identity_card.public_id}"]').check()
    page.locator(f'input[name="dok_2_kk"][value="{cropped_card.public_id}"]').check()
    page.locator('input[name="q_3"][value="tidak"]').check()
    _continue(page, language)
    axe(page)
    page.get_by_label(_t(language, "I declare that the information and documents I give are true.")).check()
    _continue(page, language)
    axe(page)
    _follow(page, page.get_by_role("button", name=_t(language, "Accept and send")))
    axe(page)
    application = Application.objects.get()
    assert application.reference in page.locator(".panel-confirm").inner_text()
    assert application.fee_amount == 75_000  # from the standard, never typed
    assert application.documents.count() == 2

    # 2. The officer starts the check and returns it for correction with a note.
    login_as(page, officer)
    page.goto(application.get_staff_url())
    axe(page)
    _step(page, axe, "start_check")
    _step(page, axe, "return_for_correction", NOTE)
    assert _state(application) == "returned_for_correction"

    # 3. The citizen reads the note and corrects the family card with a new upload.
    login_as(page, citizen)
    page.goto(reverse("applications:my-applications"))
    axe(page)
    _follow(page, page.get_by_role("link", name=f"{_t(language, 'Correct it')} — {application.reference}"))
    axe(page)
    assert NOTE in page.locator(".application-note").inner_text()
    page.locator("#id_dok_2_kk__upload").set_input_files(
        {"name": "kk lengkap.png", "mimeType": "image/png", "buffer": _png()}
    )
    _follow(page, page.locator(".actions").get_by_role("button", name=_t(language, "Send the corrections")))
    axe(page)
    assert _state(application) == "completeness_check"
    assert application.documents.filter(vault_document__display_name="kk lengkap.png").exists()

    # 4. The officer accepts it; the unit head approves; the officer asks for the fee.
    login_as(page, officer)
    page.goto(application.get_staff_url())
    axe(page)
    _step(page, axe, "accept_complete")
    login_as(page, unit_head)
    page.goto(application.get_staff_url())
    axe(page)
    _step(page, axe, "approve", "Disetujui.")
    login_as(page, officer)
    page.goto(application.get_staff_url())
    axe(page)
    _step(page, axe, "request_payment")
    assert _state(application) == "awaiting_payment"
    bill = Bill.objects.get(application=application)
    assert bill.amount == 75_000

    # 5. The citizen pays on the simulator, through the same signed callback as a bank.
    login_as(page, citizen)
    page.goto(application.get_absolute_url())
    axe(page)
    _follow(page, page.locator(f'main a[href="{reverse("applications:pay", args=[application.reference])}"]'))
    axe(page)
    _follow(
        page, page.locator(f'main a[href="{reverse("applications:simulator", args=[bill.billing_code])}"]')
    )
    axe(page)
    _follow(page, page.locator("main form[method=post] button.button"))
    axe(page)
    bill.refresh_from_db()
    assert bill.status == Bill.Status.PAID

    # 6. The officer issues the signed output; the citizen downloads it.
    login_as(page, officer)
    page.goto(application.get_staff_url())
    axe(page)
    _step(page, axe, "issue_paid_output")
    assert _state(application) == "output_issued"
    document = IssuedDocument.objects.get(application=application)
    login_as(page, citizen)
    page.goto(application.get_absolute_url())
    axe(page)
    download = reverse("applications:output-download", args=[application.reference, document.public_id])
    with page.expect_download() as info:
        page.locator(f'main a[href="{download}"]').click()
    with open(info.value.path(), "rb") as handle:
        pdf = handle.read()
    assert sha256_hex(pdf) == document.pdf_sha256

    # 7. Anyone verifies it at the address printed in the PDF (its QR code holds the same URL).
    printed = verification_url(settings.LAYANAN_SITE_URL, document.public_id, None)
    assert printed.replace("/", "") in "".join(
        p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages
    ).replace("/", "").replace("\n", "")
    page.context.clear_cookies()
    set_language(page, language)
    page.goto(printed.removeprefix(settings.LAYANAN_SITE_URL))
    axe(page)
    assert page.locator(".panel-confirm h1").is_visible()
    assert application.reference in page.locator("main").inner_text()
    assert VALID_NIK not in page.content()


def _png() -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (80, 50), (20, 120, 60)).save(out, "PNG")
    return out.getvalue()

"""A paid service end to end in a real browser, in both languages, with axe-core after every page
load: the officer asks for payment, the citizen opens the pay page, pays in the simulator (the
same signed callback path as a bank), reads the receipt; the officer issues the signed output;
the citizen downloads the PDF; anyone opens its verification page (QR target) and the
verification form and sees VALID; a changed copy is not valid; the unit head revokes it and the
verification page says so."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.urls import reverse

from layanan.accounts.models import ServiceUnit, User
from layanan.applications.actions import transition_application
from layanan.applications.models import Bill, IssuedDocument
from layanan.applications.tests.factories import VALID_NIK, application_in
from layanan.applications.tests.test_outputs import require_weasyprint
from layanan.catalog.tests.factories import (
    AdoptedStandardFactory,
    ServiceFactory,
    complete_published,
    paid_fee,
)
from layanan.documents.signing import sha256_hex

LANGUAGES = ["id", "en"]
Axe = Callable[[Any], None]
AMOUNT = {"id": "Rp75.000", "en": "Rp75,000"}


def _click_and_check(page: Any, axe: Axe, selector: str) -> None:
    with page.expect_navigation():
        page.locator(selector).first.click()
    axe(page)


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("language", LANGUAGES)
def test_pay_issue_download_and_verify(
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
    service = ServiceFactory(unit=unit_a, name="Izin Reklame", slug="izin-reklame")
    AdoptedStandardFactory(service=service, published=complete_published(fee=paid_fee(75_000)))
    approved = application_in("approved", service, citizen, officer=officer, unit_head=unit_head)
    case = transition_application(approved, "request_payment", actor=officer)
    bill = case.bills.get()
    reference = case.reference
    pay_url = reverse("applications:pay", kwargs={"reference": reference})
    receipt_url = reverse("applications:receipt", kwargs={"reference": reference})

    # The citizen's case page links the pay page.
    set_language(page, language)
    login_as(page, citizen)
    page.goto(case.get_absolute_url())
    axe(page)
    assert page.locator("html").get_attribute("lang") == language
    _click_and_check(page, axe, f'main a[href="{pay_url}"]')

    # Pay page: the amount from the standard, the billing code in groups, the simulator link.
    assert page.url.endswith(pay_url)
    main = page.locator("main").inner_text()
    assert AMOUNT[language] in main
    assert " ".join(bill.billing_code[i : i + 3] for i in range(0, 15, 3)) in main
    assert "Perda Nomor 1 Tahun 2024" in main
    simulator_url = reverse("applications:simulator", kwargs={"billing_code": bill.billing_code})
    _click_and_check(page, axe, f'main a[href="{simulator_url}"]')

    # The simulator plays the bank and sends the signed notice; back on the case page.
    assert AMOUNT[language] in page.locator("main").inner_text()
    _click_and_check(page, axe, "main form[method=post] button.button")
    assert page.url.endswith(case.get_absolute_url())
    bill.refresh_from_db()
    assert bill.status == Bill.Status.PAID
    assert page.locator(".messages").is_visible()
    _click_and_check(page, axe, f'main a[href="{receipt_url}"]')
    receipt = page.locator("main").inner_text()
    assert str(bill.receipt_number) in receipt
    assert AMOUNT[language] in receipt

    # The officer issues the output on the staff case page (the step needs the payment).
    login_as(page, officer)
    page.goto(case.get_staff_url())
    axe(page)
    assert bill.billing_code in page.locator("main").inner_text()
    _click_and_check(page, axe, 'main form[action$="/langkah/issue_paid_output/"] button')
    document = IssuedDocument.objects.get(application=case)
    download_url = reverse(
        "applications:output-download", kwargs={"reference": reference, "document_id": document.public_id}
    )
    assert page.locator(f'main a[href="{download_url}"]').count() == 1

    # The citizen downloads the PDF from the case page: exactly the signed bytes.
    login_as(page, citizen)
    page.goto(case.get_absolute_url())
    axe(page)
    with page.expect_download() as download_info:
        page.locator(f'main a[href="{download_url}"]').click()
    path = download_info.value.path()
    with open(path, "rb") as handle:
        pdf = handle.read()
    assert pdf.startswith(b"%PDF-")
    assert sha256_hex(pdf) == document.pdf_sha256

    # Anyone (signed out) opens the verification URL printed as the QR code: VALID.
    page.context.clear_cookies()
    set_language(page, language)
    page.goto(reverse("applications:verify", kwargs={"document_id": document.public_id}))
    axe(page)
    assert page.locator(".panel-confirm h1").is_visible()
    main = page.locator("main").inner_text()
    assert reference in main
    assert "Siti Rahmawati" in main
    assert VALID_NIK not in page.content()

    # The verification form: the number as typed on paper (small letters) leads to the same page.
    page.goto(reverse("applications:verify-form"))
    axe(page)
    page.fill("input[name=document_id]", document.public_id.lower())
    _click_and_check(page, axe, "main form[method=post] button.button")
    assert page.url.endswith(f"/verifikasi/{document.public_id}/")
    assert page.locator(".panel-confirm h1").is_visible()

    # Uploading the PDF checks it byte for byte.
    page.goto(reverse("applications:verify-form"))
    axe(page)
    page.set_input_files("input[name=pdf]", path)
    _click_and_check(page, axe, "main form[method=post] button.button")
    assert page.locator(".panel-confirm h1").is_visible()

    # A copy with one byte changed is not valid; an unknown number is not found.
    changed = bytearray(pdf)
    changed[len(changed) // 2] ^= 0x01
    page.goto(reverse("applications:verify-form"))
    axe(page)
    page.set_input_files(
        "input[name=pdf]", {"name": "copy.pdf", "mimeType": "application/pdf", "buffer": bytes(changed)}
    )
    _click_and_check(page, axe, "main form[method=post] button.button")
    assert page.locator(".notice-banner-warning").is_visible()
    assert page.locator(".panel-confirm").count() == 0
    response = page.goto(reverse("applications:verify", kwargs={"document_id": "DAAAAAAAAAAAAAAAA"}))
    axe(page)
    assert response is not None
    assert response.status == 404

    # The unit head revokes the document; its verification page then says so, with the reason.
    login_as(page, unit_head)
    page.goto(
        reverse(
            "applications:staff-revoke", kwargs={"reference": reference, "document_id": document.public_id}
        )
    )
    axe(page)
    page.fill("textarea[name=reason]", "Nama usaha pada dokumen keliru")
    _click_and_check(page, axe, "main form[method=post] button.button-warning")
    assert page.url.endswith(case.get_staff_url())
    page.context.clear_cookies()
    set_language(page, language)
    page.goto(reverse("applications:verify", kwargs={"document_id": document.public_id}))
    axe(page)
    assert page.locator(".panel-confirm").count() == 0
    assert "Nama usaha pada dokumen keliru" in page.locator("main").inner_text()

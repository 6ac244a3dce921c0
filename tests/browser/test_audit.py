from __future__ import annotations

from typing import Any

import pytest

from layanan.accounts.models import User
from layanan.audit.tests.factories import record

TEXT = {
    "id": {
        "title": "Log audit",
        "action": "Tindakan",
        "apply": "Terapkan saringan",
        "verify": "Verifikasi rantai",
        "intact": "Log audit utuh.",
        "detail_title": "Peristiwa audit",
        "back": "Kembali ke log audit",
    },
    "en": {
        "title": "Audit log",
        "action": "Action",
        "apply": "Apply filters",
        "verify": "Verify chain",
        "intact": "The audit log is intact.",
        "detail_title": "Audit event",
        "back": "Back to the audit log",
    },
}


@pytest.mark.parametrize("language", ["id", "en"])
def test_inspector_filters_opens_an_event_and_verifies_the_chain(
    page: Any, axe: Any, set_language: Any, login_as: Any, inspector: User, language: str
) -> None:
    text = TEXT[language]
    record("accounts.user_updated", actor=inspector, object_type="accounts.user", object_id="7")
    record("catalog.service_published", object_type="catalog.service", object_id="ktp-el")
    set_language(page, language)
    login_as(page, inspector)

    page.goto("/petugas/audit/")
    axe(page)
    assert page.get_by_role("heading", level=1).inner_text() == text["title"]
    assert page.locator("tbody tr").count() == 2

    page.get_by_label(text["action"], exact=True).fill("catalog.")
    page.get_by_role("button", name=text["apply"]).click()
    axe(page)
    assert page.locator("tbody tr").count() == 1
    assert page.get_by_label(text["action"], exact=True).input_value() == "catalog."

    page.locator("tbody tr").first.get_by_role("link").click()
    axe(page)
    assert page.get_by_role("heading", level=1).inner_text().startswith(text["detail_title"])
    assert "catalog.service_published" in page.locator("main").inner_text()

    page.get_by_role("link", name=text["back"]).click()
    axe(page)
    page.get_by_role("button", name=text["verify"]).click()
    axe(page)
    assert text["intact"] in page.get_by_role("status").inner_text()


def test_a_citizen_gets_the_access_denied_page(page: Any, axe: Any, login_as: Any, citizen: User) -> None:
    login_as(page, citizen)

    response = page.goto("/petugas/audit/")
    axe(page)

    assert response is not None
    assert response.status == 403

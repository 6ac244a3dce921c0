"""Open311 client keys in a real browser, in both languages, checked with axe-core: a platform
administrator lists the clients, creates one (the key is shown once), and revokes it; and the
endpoint's own page for people."""

from __future__ import annotations

from typing import Any

import pytest

from layanan.accounts.models import User
from layanan.accounts.tests.factories import region
from layanan.open311.models import Open311Client

LANGUAGES = ["id", "en"]
TEXT = {
    "list": {"id": "Klien Open311", "en": "Open311 clients"},
    "add": {"id": "Tambah klien", "en": "Add a client"},
    "form": {"id": "Tambah klien Open311", "en": "Add an Open311 client"},
    "create": {"id": "Buat klien dan kuncinya", "en": "Create the client and its key"},
    "created": {"id": "Klien Open311 dibuat", "en": "Open311 client created"},
    "back": {"id": "Kembali ke klien Open311", "en": "Back to the Open311 clients"},
    "revoke": {"id": "Cabut kunci", "en": "Revoke key"},
    "index": {"id": "Open311 GeoReport v2", "en": "Open311 GeoReport v2"},
}


def _h1(page: Any) -> str:
    text: str = page.get_by_role("heading", level=1).inner_text()
    return text


@pytest.mark.parametrize("language", LANGUAGES)
def test_admin_creates_and_revokes_a_client_key(
    page: Any, axe: Any, set_language: Any, login_as: Any, admin_user: User, language: str
) -> None:
    region("33.74", name="Kota Semarang")
    set_language(page, language)
    login_as(page, admin_user)

    page.goto("/petugas/open311/")
    axe(page)
    assert _h1(page) == TEXT["list"][language]

    page.get_by_role("link", name=TEXT["add"][language]).click()
    axe(page)
    assert _h1(page) == TEXT["form"][language]

    # A missing contact brings the form back with its error and what was typed.
    page.locator("#id_name").fill("Aplikasi Lapor Kota")
    page.locator("#id_region").fill("33.74")
    page.get_by_role("button", name=TEXT["create"][language]).click()
    axe(page)
    assert page.locator(".error-summary").is_visible()
    assert page.locator("#id_name").input_value() == "Aplikasi Lapor Kota"
    assert page.locator("#id_region").input_value() == "33.74"
    assert not Open311Client.objects.exists()

    page.locator("#id_contact").fill("Tim TI, ti@example.id")
    page.get_by_role("button", name=TEXT["create"][language]).click()
    axe(page)
    assert _h1(page) == TEXT["created"][language]
    key = page.locator(".reference").inner_text().strip()
    client = Open311Client.objects.get()
    assert key.startswith(client.prefix)
    assert len(key) == 48

    page.get_by_role("link", name=TEXT["back"][language]).click()
    axe(page)
    assert key not in page.content()
    assert page.get_by_role("rowheader", name="Aplikasi Lapor Kota").is_visible()

    page.get_by_role("button", name=TEXT["revoke"][language]).click()
    axe(page)
    assert page.locator(".messages").is_visible()
    client.refresh_from_db()
    assert client.revoked_at is not None
    assert page.get_by_role("button", name=TEXT["revoke"][language]).count() == 0


@pytest.mark.parametrize("language", LANGUAGES)
def test_endpoint_page_for_people(page: Any, axe: Any, set_language: Any, language: str) -> None:
    set_language(page, language)

    page.goto("/open311/v2/")
    axe(page)

    assert _h1(page) == TEXT["index"][language]
    assert page.locator("html").get_attribute("lang") == language
    assert page.get_by_role("link", name="JSON").count() >= 1

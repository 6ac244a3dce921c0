"""The citizen's document vault in a real browser, in both languages, with axe-core after every page
load: reach it from the account page, see the once-only data masked, upload a document (with a
refused file first), open it, see how many applications use it, remove it."""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.utils import translation
from pypdf import PdfWriter

from layanan.accounts.models import ServiceUnit, User
from layanan.accounts.tests.factories import VALID_KK_NUMBER, VALID_NIK, citizen_profile_with_nik
from layanan.applications.tests.factories import submit
from layanan.catalog.tests.factories import service_with_adopted_standard
from layanan.vault.models import VaultDocument

LANGUAGES = ["id", "en"]
Axe = Callable[[Any], None]


def _t(language: str, message: str, **params: Any) -> str:
    """``message`` as the page shows it in ``language`` (the catalogue's translation, or the English
    source while the Indonesian entry is still missing)."""
    with translation.override(language):
        text = translation.gettext(message)
    return text % params if params else text


def _n(language: str, singular: str, plural: str, count: int) -> str:
    with translation.override(language):
        return translation.ngettext(singular, plural, count) % {"counter": count}


def _h1(page: Any) -> str:
    text: str = page.get_by_role("heading", level=1).inner_text()
    return text


def _follow(page: Any, locator: Any) -> None:
    with page.expect_navigation():
        locator.click()


def _pdf(path: Path) -> Path:
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    out = io.BytesIO()
    writer.write(out)
    path.write_bytes(out.getvalue())
    return path


@pytest.fixture
def siti(citizen: User) -> User:
    citizen_profile_with_nik(citizen, kk_number=VALID_KK_NUMBER, address="Jl. Merdeka 17 RT 01/RW 02")
    return citizen


@pytest.mark.parametrize("language", LANGUAGES)
def test_citizen_uploads_opens_and_removes_a_document(
    page: Any, axe: Axe, set_language: Any, login_as: Any, siti: User, tmp_path: Path, language: str
) -> None:
    set_language(page, language)
    login_as(page, siti)

    page.goto("/akun/")
    axe(page)
    _follow(
        page,
        page.locator("main").get_by_role(
            "link", name=_t(language, "Your documents: upload them once, use them in every application")
        ),
    )
    axe(page)

    assert page.url.endswith("/akun/dokumen/")
    assert page.locator("html").get_attribute("lang") == language
    assert _h1(page) == _t(language, "Your documents")
    details = page.locator(".summary-list").inner_text()
    assert "3273********0009" in details
    assert VALID_NIK not in details
    assert "Merdeka" not in details
    empty = (
        "You have not uploaded any documents yet. Start with your identity card (KTP-el) and "
        "family card (KK): most services ask for them."
    )
    assert page.get_by_text(_t(language, empty), exact=False).is_visible()

    _follow(page, page.get_by_role("link", name=_t(language, "Upload a document")))
    axe(page)
    assert page.url.endswith("/akun/dokumen/unggah/")
    assert _h1(page) == _t(language, "Upload a document")

    # Nothing chosen: both fields say what to do.
    _follow(page, page.get_by_role("button", name=_t(language, "Upload"), exact=True))
    axe(page)
    summary = page.locator(".error-summary").inner_text()
    assert _t(language, "Choose the kind of document.") in summary
    assert _t(language, "Choose the file to upload.") in summary

    # A program renamed to .pdf is refused on the file field; the chosen kind stays.
    kind_label = _t(language, "Kind of document")
    file_label = _t(language, "File")
    page.get_by_label(kind_label).select_option("kk")
    fake = tmp_path / "kartu keluarga.pdf"
    fake.write_bytes(b"MZ\x90\x00" + b"\x00" * 200)
    page.get_by_label(file_label, exact=True).set_input_files(str(fake))
    _follow(page, page.get_by_role("button", name=_t(language, "Upload"), exact=True))
    axe(page)
    assert page.locator("#id_file_error").is_visible()
    assert "PDF" in page.locator("#id_file_error").inner_text()
    assert page.get_by_label(kind_label).input_value() == "kk"
    assert not VaultDocument.objects.exists()

    page.get_by_label(file_label, exact=True).set_input_files(str(_pdf(tmp_path / "Kartu Keluarga.pdf")))
    _follow(page, page.get_by_role("button", name=_t(language, "Upload"), exact=True))
    axe(page)

    assert page.url.endswith("/akun/dokumen/")
    family_card = _t(language, "Family card (KK)")
    assert page.locator(".notice").inner_text() == _t(
        language,
        "“%(name)s” is now in your documents as “%(kind)s”.",
        name="Kartu Keluarga.pdf",
        kind=family_card,
    )
    assert page.get_by_role("heading", name=family_card, level=3).is_visible()
    card = page.locator(".card").filter(has_text="Kartu Keluarga.pdf")
    assert _t(language, "Not used yet") in card.inner_text()
    document = VaultDocument.objects.get()

    # Download: the browser gets the decrypted PDF as a download (images open inline, sandboxed).
    href = card.get_by_role("link", name=_t(language, "Download")).get_attribute("href")
    assert href == f"/akun/dokumen/{document.public_id}/"
    response = page.request.get(href)
    assert response.status == 200
    assert response.body().startswith(b"%PDF-")
    assert response.headers["content-type"] == "application/pdf"
    assert response.headers["content-disposition"] == 'attachment; filename="Kartu Keluarga.pdf"'
    assert response.headers["content-security-policy"].startswith("default-src 'none'")

    _follow(page, card.get_by_role("link", name=_t(language, "Remove")))
    axe(page)
    assert _h1(page) == _t(language, "Remove “%(name)s” from your documents?", name="Kartu Keluarga.pdf")
    assert (
        _t(language, "You have not used this document in any application.")
        in page.locator("main").inner_text()
    )

    _follow(page, page.get_by_role("button", name=_t(language, "Remove document")))
    axe(page)
    assert page.url.endswith("/akun/dokumen/")
    assert page.locator(".notice").inner_text() == _t(
        language, "“%(name)s” has been removed from your documents.", name="Kartu Keluarga.pdf"
    )
    assert page.locator(".card").filter(has_text="Kartu Keluarga.pdf").count() == 0
    assert page.request.get(href).status == 404


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_document_used_in_an_application_says_so_and_the_application_keeps_it(
    page: Any, axe: Axe, set_language: Any, login_as: Any, siti: User, unit_a: ServiceUnit, language: str
) -> None:
    service = service_with_adopted_standard(unit=unit_a, channel="both", slug="persetujuan-bangunan-gedung")
    application = submit(service, siti).application
    shared = VaultDocument.objects.filter(shares__application=application).distinct()
    assert shared.exists()
    document = shared.first()
    assert document is not None
    set_language(page, language)
    login_as(page, siti)

    page.goto("/akun/dokumen/")
    axe(page)

    card = page.locator(".card").filter(has_text=document.display_name).first
    assert _n(language, "%(counter)s application", "%(counter)s applications", 1) in card.inner_text()

    _follow(page, card.get_by_role("link", name=_t(language, "Remove")))
    axe(page)
    explanation = _n(
        language,
        "You used this document in %(counter)s application. That application keeps its copy: "
        "the officers handling it can still read it.",
        "You used this document in %(counter)s applications. Those applications keep their copy: "
        "the officers handling them can still read it.",
        1,
    )
    assert explanation in page.locator("main").inner_text()

    _follow(page, page.get_by_role("button", name=_t(language, "Remove document")))
    axe(page)
    document.refresh_from_db()
    assert document.removed_at is not None
    assert application.documents.filter(vault_document=document).exists()

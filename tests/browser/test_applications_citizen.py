"""Applying online in a real browser, in both languages, with axe-core after every page load:
from the service page to the start page, the form pages (prefilled from the profile, the village
picked a level at a time without JavaScript, a document uploaded into the vault, another reused
from it, an error on the way), check your answers with a change link, sending, the confirmation
with its one-time tracking code, the citizen's applications and the case page; then a correction
asked for by the agency."""

from __future__ import annotations

import io
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.utils import translation
from PIL import Image

from layanan.accounts.models import ServiceUnit, User
from layanan.accounts.tests.factories import ServiceUnitFactory, citizen_profile_with_nik, region
from layanan.applications.models import Application, ApplicationDraft
from layanan.applications.tests.factories import VALID_NIK, application_in, vault_document
from layanan.catalog.models import Service
from layanan.catalog.tests.factories import service_with_adopted_standard
from layanan.vault.models import VaultDocument

LANGUAGES = ["id", "en"]
Axe = Callable[[Any], None]
VILLAGE = "33.02.01.2001"


def _t(language: str, message: str, **params: Any) -> str:
    """``message`` as the page shows it in ``language`` (the catalogue's translation, or the English
    source while the Indonesian entry is still missing)."""
    with translation.override(language):
        text = translation.gettext(message)
    return text % params if params else text


def _h1(page: Any) -> str:
    text: str = page.get_by_role("heading", level=1).inner_text()
    return text


def _follow(page: Any, locator: Any) -> None:
    with page.expect_navigation():
        locator.click()


def _continue(page: Any, language: str) -> None:
    _follow(
        page,
        page.locator(".actions").get_by_role("button", name=_t(language, "Save and continue"), exact=True),
    )


@pytest.fixture
def regions(transactional_db: None) -> None:
    region("33", "Jawa Tengah")
    region("33.02", "Kabupaten Banyumas")
    region("33.02.01", "Karanglewas")
    region(VILLAGE, "Karanglewas Kidul")
    region("34", "DI Yogyakarta")


@pytest.fixture
def unit(transactional_db: None) -> ServiceUnit:
    unit: ServiceUnit = ServiceUnitFactory(
        agency__name="Dinas Kependudukan dan Pencatatan Sipil",
        agency__slug="disdukcapil",
        name="Loket Dukcapil",
    )
    return unit


@pytest.fixture
def service(unit: ServiceUnit) -> Service:
    return service_with_adopted_standard(
        unit=unit, slug="kartu-keluarga", name="Kartu Keluarga", channel="both"
    )


@pytest.fixture
def siti(citizen: User) -> User:
    citizen_profile_with_nik(citizen, nik=VALID_NIK, address="Jl. Merdeka 17 RT 01/RW 02")
    return citizen


def _png(path: Path) -> Path:
    out = io.BytesIO()
    Image.new("RGB", (60, 40), (30, 90, 200)).save(out, "PNG")
    path.write_bytes(out.getvalue())
    return path


@pytest.mark.parametrize("language", LANGUAGES)
def test_apply_online_from_the_service_page_to_the_case_page(
    page: Any,
    axe: Axe,
    set_language: Any,
    login_as: Any,
    siti: User,
    service: Service,
    regions: None,
    tmp_path: Path,
    language: str,
) -> None:
    family_card = vault_document(siti, "kk")
    set_language(page, language)
    login_as(page, siti)

    page.goto("/layanan/kartu-keluarga/")
    axe(page)
    _follow(page, page.get_by_role("link", name=_t(language, "Apply online")))
    axe(page)

    assert page.url.endswith("/layanan/kartu-keluarga/ajukan/")
    assert page.locator("html").get_attribute("lang") == language
    assert "KTP-el pemohon" in page.locator("main").inner_text()
    _follow(page, page.get_by_role("button", name=_t(language, "Start now")))
    axe(page)

    # About you: prefilled from the profile (once-only), the village picked level by level.
    draft = ApplicationDraft.objects.get()
    assert page.url.endswith(f"/akun/permohonan/draf/{draft.public_id}/halaman/pemohon/")
    assert page.get_by_label(_t(language, "Full name"), exact=True).input_value() == "Siti Rahmawati"
    assert page.get_by_label(_t(language, "NIK (identity number)")).input_value() == VALID_NIK
    street = page.get_by_label(_t(language, "Street, house number, RT/RW"))
    assert street.input_value() == "Jl. Merdeka 17 RT 01/RW 02"
    street.fill("Jl. Merdeka 18 RT 01/RW 02")
    for level, code in (
        ("Province", "33"),
        ("Regency or city", "33.02"),
        ("District (kecamatan)", "33.02.01"),
    ):
        page.get_by_label(_t(language, level), exact=True).select_option(code)
        _follow(page, page.get_by_role("button", name=f"{_t(language, 'Choose')} — {_t(language, level)}"))
        axe(page)
        assert page.url.endswith("#field-alamat")
    # What was typed before a "Choose" is still there.
    assert (
        page.get_by_label(_t(language, "Street, house number, RT/RW")).input_value()
        == "Jl. Merdeka 18 RT 01/RW 02"
    )
    page.get_by_label(_t(language, "Village (desa or kelurahan)")).select_option(VILLAGE)
    # Enter in a text box continues, as on any one-button form.
    with page.expect_navigation():
        page.get_by_label(_t(language, "Mobile number")).press("Enter")
    axe(page)

    # Documents: a new upload for the KTP, the family card from the vault.
    assert page.url.endswith("/halaman/dokumen/")
    page.locator("#id_dok_1_ktp__upload").set_input_files(str(_png(tmp_path / "ktp saya.png")))
    page.locator(f'input[name="dok_2_kk"][value="{family_card.public_id}"]').check()
    page.locator('input[name="q_3"][value="tidak"]').check()
    _continue(page, language)
    axe(page)
    assert VaultDocument.objects.filter(owner=siti, display_name="ktp saya.png").exists()

    # Declaration: forgetting the box shows the error summary, linked to the box.
    assert page.url.endswith("/halaman/pernyataan/")
    _continue(page, language)
    axe(page)
    summary = page.locator(".error-summary")
    assert _t(language, "Tick the box to confirm the declaration.") in summary.inner_text()
    page.get_by_label(_t(language, "I declare that the information and documents I give are true.")).check()
    _continue(page, language)
    axe(page)

    # Check your answers: personal data masked; a change link goes to the page and comes back.
    assert page.url.endswith(f"/akun/permohonan/draf/{draft.public_id}/periksa/")
    main = page.locator("main").inner_text()
    assert "3515********0001" in main
    assert VALID_NIK not in main
    assert "Karanglewas Kidul" in main
    assert "Merdeka 18" not in main
    assert "ktp saya.png" in main
    change = page.get_by_role("link", name=f"{_t(language, 'Change')} — {_t(language, 'Full name')}")
    _follow(page, change)
    axe(page)
    assert "return=check" in page.url
    page.get_by_label(_t(language, "Full name"), exact=True).fill("Siti Rahmawati Putri")
    _continue(page, language)
    axe(page)
    assert page.url.endswith("/periksa/")
    assert "Siti Rahmawati Putri" in page.locator("main").inner_text()

    _follow(page, page.get_by_role("button", name=_t(language, "Accept and send")))
    axe(page)

    # Confirmation: the reference and the tracking code, never in the address.
    application = Application.objects.get()
    assert page.url.endswith(f"/akun/permohonan/{application.reference}/terkirim/")
    assert application.reference in page.locator(".panel-confirm").inner_text()
    secret = page.locator("#tracking-code").inner_text()
    assert re.fullmatch(r"[2-9A-Z]{8}", secret)
    assert secret not in page.url
    assert not ApplicationDraft.objects.exists()

    _follow(page, page.get_by_role("link", name=_t(language, "Go to your applications")))
    axe(page)
    assert page.url.endswith("/akun/permohonan/")
    row = page.get_by_role("row").filter(has_text=application.reference)
    assert _t(language, "Submitted") in row.inner_text()

    _follow(page, row.get_by_role("link", name=application.reference))
    axe(page)
    assert page.url.endswith(f"/akun/permohonan/{application.reference}/")
    assert _h1(page) == "Kartu Keluarga"
    assert "ktp saya.png" in page.locator("main").inner_text()

    # The code was shown once.
    page.goto(f"/akun/permohonan/{application.reference}/terkirim/")
    axe(page)
    assert page.locator("#tracking-code").count() == 0


@pytest.mark.parametrize("language", LANGUAGES)
def test_save_for_later_then_continue_or_discard_from_my_applications(
    page: Any, axe: Axe, set_language: Any, login_as: Any, siti: User, service: Service, language: str
) -> None:
    set_language(page, language)
    login_as(page, siti)

    page.goto("/layanan/kartu-keluarga/ajukan/")
    axe(page)
    _follow(page, page.get_by_role("button", name=_t(language, "Start now")))
    axe(page)
    page.get_by_label(_t(language, "NIK (identity number)")).fill("1234")
    _follow(page, page.get_by_role("button", name=_t(language, "Save and come back later")))
    axe(page)

    assert page.url.endswith("/akun/permohonan/")
    assert ApplicationDraft.objects.get().answer_data()["nik"] == "1234"
    _follow(page, page.get_by_role("link", name=f"{_t(language, 'Continue')} — Kartu Keluarga"))
    axe(page)
    assert page.url.endswith("/halaman/pemohon/")
    assert page.get_by_label(_t(language, "NIK (identity number)")).input_value() == "1234"

    page.goto("/akun/permohonan/")
    axe(page)
    _follow(page, page.get_by_role("button", name=f"{_t(language, 'Discard')} — Kartu Keluarga"))
    axe(page)
    assert not ApplicationDraft.objects.exists()


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_returned_application_is_corrected(
    page: Any,
    axe: Axe,
    set_language: Any,
    login_as: Any,
    siti: User,
    service: Service,
    unit: ServiceUnit,
    regions: None,
    language: str,
) -> None:
    from layanan.accounts.roles import Role
    from layanan.accounts.tests.factories import staff_with_role

    officer = staff_with_role(Role.BACK_OFFICE, unit=unit)
    head = staff_with_role(Role.UNIT_HEAD, unit=unit)
    application = application_in("returned_for_correction", service, siti, officer=officer, unit_head=head)
    set_language(page, language)
    login_as(page, siti)

    page.goto("/akun/permohonan/")
    axe(page)
    _follow(page, page.get_by_role("link", name=f"{_t(language, 'Correct it')} — {application.reference}"))
    axe(page)
    assert page.url.endswith(f"/akun/permohonan/{application.reference}/perbaiki/")
    assert "Catatan petugas" in page.locator(".application-note").inner_text()

    # The stored village is picked again level by level.
    page.get_by_label(_t(language, "Street, house number, RT/RW")).fill("Jl. Merdeka 20")
    page.get_by_label(_t(language, "District (kecamatan)")).select_option("33.02.01")
    _follow(
        page,
        page.get_by_role("button", name=f"{_t(language, 'Choose')} — {_t(language, 'District (kecamatan)')}"),
    )
    axe(page)
    page.get_by_label(_t(language, "Village (desa or kelurahan)")).select_option(VILLAGE)
    _follow(page, page.locator(".actions").get_by_role("button", name=_t(language, "Send the corrections")))
    axe(page)

    assert page.url.endswith(f"/akun/permohonan/{application.reference}/")
    application.refresh_from_db()
    assert application.state == "completeness_check"
    assert application.answer_data()["alamat"] == {"street": "Jl. Merdeka 20", "region": VILLAGE}

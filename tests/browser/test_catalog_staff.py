"""The agency back office of the catalog in a real browser, in both languages, checked with axe-core:
a back-office officer drafts a new version of a standard and sends it to consultation, the unit
head adopts it with a decree; the unit head records the service promise (maklumat)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from layanan.accounts.models import ServiceUnit, User
from layanan.catalog.models import Service, ServicePromise, ServiceStandard
from layanan.catalog.tests.factories import service_with_adopted_standard

LANGUAGES = ["id", "en"]
Axe = Callable[[Any], None]
TEXT = {
    "id": {
        "list": "Standar pelayanan",
        "start": "Mulai versi baru",
        "save": "Simpan draf",
        "add_requirement": "Tambah persyaratan",
        "saved": "Draf telah disimpan.",
        "diff": "Lihat perubahannya",
        "changed": "Diubah",
        "back": "Kembali ke versi 2",
        "consult": "Kirim ke konsultasi publik",
        "in_consultation": "Dalam konsultasi publik",
        "adopt": "Tetapkan dengan keputusan",
        "adopt_submit": "Tetapkan dan publikasikan",
        "adopted": "Ditetapkan",
        "problem": "Ada masalah",
        "required": "Kolom ini wajib diisi.",
        "promises": "Maklumat pelayanan",
        "record": "Catat maklumat yang telah ditandatangani",
        "save_promise": "Simpan maklumat",
    },
    "en": {
        "list": "Service standards",
        "start": "Start a new version",
        "save": "Save the draft",
        "add_requirement": "Add another requirement",
        "saved": "The draft was saved.",
        "diff": "See what changed",
        "changed": "Changed",
        "back": "Back to version 2",
        "consult": "Send to public consultation",
        "in_consultation": "In public consultation",
        "adopt": "Adopt with a decree",
        "adopt_submit": "Adopt and publish",
        "adopted": "Adopted",
        "problem": "There is a problem",
        "required": "This field is required.",
        "promises": "Service promises",
        "record": "Record the signed promise",
        "save_promise": "Save the promise",
    },
}
DECREE = "Keputusan Kepala Dinas Kependudukan dan Pencatatan Sipil Nomor 000.8/321/2026"


@pytest.fixture
def family_card(unit_a: ServiceUnit) -> Service:
    return service_with_adopted_standard(unit=unit_a, slug="kartu-keluarga", name="Kartu Keluarga")


@pytest.mark.parametrize("language", LANGUAGES)
def test_officer_drafts_and_the_unit_head_adopts(
    page: Any,
    axe: Axe,
    set_language: Any,
    login_as: Any,
    officer: User,
    unit_head: User,
    family_card: Service,
    language: str,
) -> None:
    text = TEXT[language]
    set_language(page, language)
    login_as(page, officer)

    page.goto("/petugas/katalog/")
    axe(page)
    assert page.get_by_role("heading", level=1).inner_text() == text["list"]

    page.get_by_role("link", name="Kartu Keluarga").click()
    axe(page)
    assert page.get_by_role("heading", level=1).inner_text() == "Kartu Keluarga"

    page.get_by_role("button", name=text["start"]).click()
    axe(page)
    assert page.locator("#id_requirements-0-name").input_value() == "KTP-el pemohon"

    # "Add another row" works without JavaScript and keeps what was typed.
    page.locator("#id_requirements-0-name").fill("KTP-el asli pemohon")
    page.get_by_role("button", name=text["add_requirement"]).click()
    axe(page)
    assert page.locator("#id_requirements-0-name").input_value() == "KTP-el asli pemohon"
    assert page.locator("#id_requirements-3-name").is_visible()

    # A half-filled new row brings the form back with its error, every value kept.
    page.locator("#id_requirements-3-document_type").select_option("pas_foto")
    page.get_by_role("button", name=text["save"]).first.click()
    axe(page)
    assert page.locator(".error-summary").inner_text().startswith(text["problem"])
    assert text["required"] in page.locator(".error-summary").inner_text()
    assert page.locator("#id_requirements-0-name").input_value() == "KTP-el asli pemohon"

    page.locator("#id_requirements-3-name").fill("Pas foto berwarna 3×4")
    page.locator("#id_requirements-3-form").select_option("original")
    page.get_by_role("button", name=text["save"]).first.click()
    axe(page)
    assert page.locator(".messages").inner_text() == text["saved"]

    page.get_by_role("link", name=text["diff"]).click()
    axe(page)
    requirements = page.locator("#diff-requirements").locator("xpath=..")
    assert "KTP-el asli pemohon" in requirements.locator("ins").first.inner_text()
    assert requirements.get_by_role("rowheader", name=text["changed"]).count() == 1

    page.get_by_role("link", name=text["back"]).click()
    axe(page)
    page.get_by_role("button", name=text["consult"]).click()
    axe(page)
    assert text["in_consultation"] in page.locator(".summary-list").first.inner_text()
    assert page.get_by_role("link", name=text["adopt"]).count() == 0  # not for a back-office officer

    login_as(page, unit_head)
    page.goto("/petugas/katalog/kartu-keluarga/versi/2/")
    axe(page)
    page.get_by_role("link", name=text["adopt"]).click()
    axe(page)
    page.locator("#id_decree_number").fill(DECREE)
    page.locator("#id_decree_date").fill("2026-03-02")
    page.get_by_role("button", name=text["adopt_submit"]).click()
    axe(page)
    assert text["adopted"] in page.locator(".summary-list").first.inner_text()

    family_card.refresh_from_db()
    adopted = family_card.adopted_standard
    assert adopted is not None
    assert (adopted.version, adopted.decree_number) == (2, DECREE)
    assert adopted.published["requirements"][0]["name"] == "KTP-el asli pemohon"
    assert ServiceStandard.objects.get(service=family_card, version=1).status == "superseded"


@pytest.mark.parametrize("language", LANGUAGES)
def test_unit_head_records_the_service_promise(
    page: Any, axe: Axe, set_language: Any, login_as: Any, unit_head: User, unit_a: ServiceUnit, language: str
) -> None:
    text = TEXT[language]
    set_language(page, language)
    login_as(page, unit_head)

    page.goto("/petugas/maklumat/")
    axe(page)
    assert page.get_by_role("heading", level=1).inner_text() == text["promises"]

    page.get_by_role("link", name=text["record"]).click()
    axe(page)
    assert page.locator("#id_text").input_value().startswith("Dengan ini, kami menyatakan sanggup")
    page.locator("#id_signatory_name").fill("Drs. Bambang Widodo, M.Si.")
    page.locator("#id_signatory_title").fill("Kepala Dinas")
    page.locator("#id_signed_on").fill("2026-01-12")
    page.get_by_role("button", name=text["save_promise"]).click()
    axe(page)

    assert "Drs. Bambang Widodo, M.Si." in page.locator("main").inner_text()
    assert ServicePromise.objects.get(unit=unit_a).signatory_title == "Kepala Dinas"

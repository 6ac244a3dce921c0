from __future__ import annotations

from typing import Any

import pytest

from layanan.accounts.tests.factories import ServiceUnitFactory
from layanan.catalog.models import Service
from layanan.catalog.tests.factories import ServiceFactory, tag_service

TEXT = {
    "id": {
        "heading": "Cari layanan",
        "life_event": "Peristiwa kehidupan",
        "birth": "Kelahiran",
        "show": "Tampilkan layanan",
        "free": "Tidak dipungut biaya",
        "time": "1 hari kerja",
        "legal_basis": "Dasar hukum:",
    },
    "en": {
        "heading": "Find a service",
        "life_event": "Life event",
        "birth": "Birth",
        "show": "Show services",
        "free": "Free of charge",
        "time": "1 working day",
        "legal_basis": "Legal basis:",
    },
}


@pytest.fixture
def catalog(transactional_db: None) -> None:
    disdukcapil = ServiceUnitFactory(
        agency__name="Dinas Kependudukan dan Pencatatan Sipil", name="Loket Pencatatan Sipil"
    )
    police = ServiceUnitFactory(agency__name="Kepolisian Resor Kota Banyumas", name="Gerai SKCK")
    tag_service(
        ServiceFactory(
            unit=disdukcapil,
            slug="akta-kelahiran",
            name="Akta Kelahiran",
            summary="Pencatatan kelahiran dan penerbitan kutipan akta kelahiran.",
        ),
        Service.LifeEvent.BIRTH,
    )
    tag_service(
        ServiceFactory(
            unit=police,
            slug="skck",
            name="Surat Keterangan Catatan Kepolisian",
            fee_is_free=False,
            fee_note="PNBP penerbitan SKCK Rp30.000 per lembar.",
            fee_legal_basis="PP 76/2020 tentang Jenis dan Tarif atas Jenis PNBP yang Berlaku pada Polri.",
        ),
        Service.LifeEvent.WORK,
    )


@pytest.mark.parametrize("language", ["id", "en"])
def test_find_a_service_by_life_event_and_read_it(
    page: Any, axe: Any, set_language: Any, catalog: None, language: str
) -> None:
    text = TEXT[language]
    set_language(page, language)

    page.goto("/layanan/")
    axe(page)

    assert page.locator("html").get_attribute("lang") == language
    assert page.get_by_role("heading", level=1).inner_text() == text["heading"]
    assert page.get_by_role("link", name="Surat Keterangan Catatan Kepolisian").is_visible()

    page.get_by_label(text["life_event"]).select_option(label=text["birth"])
    page.get_by_role("button", name=text["show"]).click()
    page.wait_for_url("**/layanan/?peristiwa=kelahiran")
    axe(page)

    assert page.get_by_role("link", name="Akta Kelahiran").is_visible()
    assert page.get_by_role("link", name="Surat Keterangan Catatan Kepolisian").count() == 0

    page.get_by_role("link", name="Akta Kelahiran").click()
    page.wait_for_url("**/layanan/akta-kelahiran/")
    axe(page)

    assert page.get_by_role("heading", level=1).inner_text() == "Akta Kelahiran"
    assert page.locator(".panel-confirm").inner_text() == text["free"]
    assert text["time"] in page.locator("dl.summary").inner_text()


@pytest.mark.parametrize("language", ["id", "en"])
def test_paid_service_shows_fee_with_legal_basis(
    page: Any, axe: Any, set_language: Any, catalog: None, language: str
) -> None:
    set_language(page, language)

    page.goto("/layanan/skck/")
    axe(page)

    summary = page.locator("dl.summary").inner_text()
    assert "PNBP penerbitan SKCK Rp30.000 per lembar." in summary
    assert f"{TEXT[language]['legal_basis']} PP 76/2020" in summary
    assert page.locator(".panel-confirm").count() == 0

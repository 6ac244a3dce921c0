"""The public service catalog in a real browser, in both languages, with axe-core after every page
load: find a service by search, by agency and by life event, read its standard, print it; the
JSON-LD block keeps the strict Content-Security-Policy."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest

from layanan.accounts.tests.factories import ServiceUnitFactory
from layanan.catalog.models import Service
from layanan.catalog.tests.factories import (
    AdoptedStandardFactory,
    ServiceFactory,
    ServicePromiseFactory,
    complete_published,
    tag_service,
)

LANGUAGES = ["id", "en"]
Axe = Callable[[Any], None]
TEXT = {
    "id": {
        "heading": "Cari layanan",
        "question": "Apa yang Anda perlukan?",
        "search": "Cari",
        "filters": "Pilih instansi atau peristiwa kehidupan",
        "agency": "Instansi",
        "life_event": "Peristiwa kehidupan",
        "show": "Tampilkan layanan",
        "birth": "Kelahiran",
        "work": "Pekerjaan",
        "found_one": "1 layanan ditemukan",
        "nothing": "Kami tidak menemukan layanan untuk pencarian Anda.",
        "bring": "Yang perlu dibawa",
        "steps": "Langkah-langkah",
        "time": "3 hari kerja",
        "free": "Tidak dipungut biaya",
        "copy": "fotokopi",
        "only_if": "Hanya jika pemohon diwakilkan",
        "promise": "Maklumat pelayanan",
        "decree": "Ditetapkan dengan keputusan",
        "amount": "Rp30.000",
        "hours": "Senin sampai Jumat, 08.00–16.00",
        "printable": "Versi cetak",
        "print": "Cetak halaman ini",
        "source": "Sumber:",
        "back": "Kembali ke halaman layanan",
        "agency_error": "Pilih instansi dari daftar.",
    },
    "en": {
        "heading": "Find a service",
        "question": "What do you need?",
        "search": "Search",
        "filters": "Choose an agency or a life event",
        "agency": "Agency",
        "life_event": "Life event",
        "show": "Show services",
        "birth": "Birth",
        "work": "Work",
        "found_one": "1 service found",
        "nothing": "We could not find a service for your search.",
        "bring": "What to bring",
        "steps": "Steps",
        "time": "3 working days",
        "free": "Free of charge",
        "copy": "copy",
        "only_if": "Only if pemohon diwakilkan",
        "promise": "Service promise",
        "decree": "Adopted by decree",
        "amount": "Rp30,000",
        "hours": "Monday to Friday, 08.00–16.00",
        "printable": "Printable version",
        "print": "Print this page",
        "source": "Source:",
        "back": "Back to the service page",
        "agency_error": "Choose an agency from the list.",
    },
}
POLICE = "Kepolisian Resor Kota Banyumas"
SKCK = "Surat Keterangan Catatan Kepolisian"
SKCK_FEE = {
    "is_free": False,
    "items": [
        {
            "label": "Penerbitan SKCK",
            "amount": 30_000,
            "legal_basis": "PP 76/2020 tentang Jenis dan Tarif atas Jenis PNBP yang Berlaku pada Polri",
        }
    ],
    "legal_basis": "",
    "note": "",
}


@pytest.fixture
def catalog(transactional_db: None) -> None:
    disdukcapil = ServiceUnitFactory(
        agency__name="Dinas Kependudukan dan Pencatatan Sipil",
        agency__slug="disdukcapil",
        name="Loket Pencatatan Sipil",
        address="Jl. Jenderal Soedirman No. 1, Purwokerto",
    )
    police = ServiceUnitFactory(agency__name=POLICE, agency__slug="polresta", name="Gerai SKCK")
    birth = ServiceFactory(
        unit=disdukcapil,
        slug="akta-kelahiran",
        name="Akta Kelahiran",
        summary="Pencatatan kelahiran anak dan penerbitan kutipan akta kelahiran.",
        keywords="akte lahir, akta lahir",
        counter_location="MPP Banyumas, loket 3",
    )
    AdoptedStandardFactory(service=birth)
    tag_service(birth, Service.LifeEvent.BIRTH)
    ServicePromiseFactory(unit=disdukcapil)
    skck = ServiceFactory(
        unit=police,
        slug="skck",
        name=SKCK,
        summary="Surat keterangan catatan kepolisian untuk melamar pekerjaan.",
        channel=Service.Channel.COUNTER,
    )
    AdoptedStandardFactory(service=skck, published=complete_published(fee=SKCK_FEE))
    tag_service(skck, Service.LifeEvent.WORK)
    ServiceFactory(unit=police, slug="izin-keramaian", name="Izin Keramaian", summary="Izin untuk acara.")


def _h1(page: Any) -> str:
    text: str = page.get_by_role("heading", level=1).inner_text()
    return text


def _follow(page: Any, locator: Any) -> None:
    """Activate a link or a submit button and wait for the page it leads to."""
    with page.expect_navigation():
        locator.click()


def _result_names(page: Any) -> list[str]:
    names: list[str] = page.locator(".catalog-result h3").all_inner_texts()
    return names


@pytest.mark.parametrize("language", LANGUAGES)
def test_find_a_service_by_search_and_read_its_standard(
    page: Any, axe: Axe, set_language: Any, catalog: None, language: str
) -> None:
    text = TEXT[language]
    set_language(page, language)

    page.goto("/layanan/")
    axe(page)

    assert page.locator("html").get_attribute("lang") == language
    assert _h1(page) == text["heading"]
    page.get_by_label(text["question"]).fill("bikin akte lahir")
    _follow(page, page.get_by_role("button", name=text["search"], exact=True))
    axe(page)

    assert "q=bikin+akte+lahir" in page.url
    assert _result_names(page)[0] == "Akta Kelahiran"
    assert page.get_by_label(text["question"]).input_value() == "bikin akte lahir"

    _follow(page, page.get_by_role("link", name="Akta Kelahiran"))
    axe(page)

    assert page.url.endswith("/layanan/akta-kelahiran/")
    assert _h1(page) == "Akta Kelahiran"
    assert page.locator(".catalog-free-top").inner_text() == text["free"]
    assert page.get_by_role("heading", name=text["bring"], level=2).is_visible()
    checklist = page.locator(".catalog-checklist").all_inner_texts()
    assert any(f"KTP-el pemohon ({text['copy']})" in items for items in checklist)
    assert any(text["only_if"] in items for items in checklist)
    steps = page.locator("ol.steps > li")
    assert steps.count() == 4
    assert "Pemohon mengisi formulir" in steps.first.inner_text()
    assert text["time"] in page.locator("#time + p").inner_text()
    assert page.get_by_role("heading", name=text["promise"], level=2).is_visible()
    assert "Drs. Bambang Sutrisno" in page.locator(".catalog-promise figcaption").inner_text()
    assert text["decree"] in page.locator("main").inner_text()
    assert text["hours"] in page.locator("main").inner_text()

    # The structured data is a data block search engines read: it parses, and nothing runs it.
    data = json.loads(page.locator('script[type="application/ld+json"]').text_content())
    assert data["@type"] == "GovernmentService"
    assert data["name"] == "Akta Kelahiran"
    assert data["offers"][0]["price"] == "0"

    # The contents list jumps to a section on the same page.
    page.locator(".catalog-contents").get_by_role("link", name=text["steps"]).click()
    assert page.url.endswith("#procedure")

    _follow(page, page.get_by_role("link", name=text["printable"]))
    axe(page)

    assert page.url.endswith("/layanan/akta-kelahiran/cetak/")
    assert _h1(page) == "Akta Kelahiran"
    assert page.get_by_role("button", name=text["print"]).is_visible()  # layanan.js shows it
    assert f"{text['source']} http://" in page.locator(".catalog-print-footer").inner_text()
    page.emulate_media(media="print")
    assert not page.locator(".site-nav").is_visible()
    assert not page.get_by_role("button", name=text["print"]).is_visible()
    assert not page.get_by_role("link", name=text["back"]).is_visible()
    assert page.get_by_role("heading", name=text["bring"], level=2).is_visible()
    page.emulate_media(media="screen")


@pytest.mark.parametrize("language", LANGUAGES)
def test_find_a_service_by_agency(
    page: Any, axe: Axe, set_language: Any, catalog: None, language: str
) -> None:
    text = TEXT[language]
    set_language(page, language)

    page.goto("/layanan/")
    axe(page)

    _follow(page, page.locator("#browse-agencies + ul").get_by_role("link", name=POLICE))
    axe(page)

    assert page.url.endswith("/layanan/instansi/polresta/")
    assert _h1(page) == POLICE
    assert page.get_by_role("heading", name="Gerai SKCK", level=2).is_visible()
    assert text["hours"] in page.locator("main").inner_text()
    assert _result_names(page) == ["Izin Keramaian", SKCK]

    _follow(page, page.get_by_role("link", name=SKCK))
    axe(page)

    assert _h1(page) == SKCK
    assert page.locator(".catalog-free-top").count() == 0
    fees = page.locator(".catalog-fees")
    assert "Penerbitan SKCK" in fees.inner_text()
    assert text["amount"] in fees.inner_text()
    assert "PP 76/2020" in fees.inner_text()

    page.goto("/layanan/izin-keramaian/")
    axe(page)

    assert page.locator(".notice-banner").is_visible()
    assert page.locator("#requirements").count() == 0


@pytest.mark.parametrize("language", LANGUAGES)
def test_find_a_service_by_life_event(
    page: Any, axe: Axe, set_language: Any, catalog: None, language: str
) -> None:
    text = TEXT[language]
    set_language(page, language)

    page.goto("/layanan/")
    axe(page)

    _follow(page, page.locator("#browse-life-events + p + ul").get_by_role("link", name=text["birth"]))
    axe(page)

    assert page.url.endswith("/layanan/peristiwa/kelahiran/")
    assert _h1(page) == text["birth"]
    assert _result_names(page) == ["Akta Kelahiran"]

    _follow(page, page.get_by_role("link", name="Akta Kelahiran"))
    axe(page)

    assert _h1(page) == "Akta Kelahiran"
    assert text["free"] in page.locator("main").inner_text()


@pytest.mark.parametrize("language", LANGUAGES)
def test_filters_and_bad_values_without_javascript_help(
    page: Any, axe: Axe, set_language: Any, catalog: None, language: str
) -> None:
    text = TEXT[language]
    set_language(page, language)

    page.goto("/layanan/")
    axe(page)

    page.get_by_text(text["filters"]).click()  # the <details> opens without JavaScript too
    page.get_by_label(text["agency"], exact=True).select_option(label=POLICE)
    page.get_by_label(text["life_event"], exact=True).select_option(label=text["work"])
    _follow(page, page.get_by_role("button", name=text["show"]))
    axe(page)

    assert "instansi=polresta" in page.url
    assert "peristiwa=pekerjaan" in page.url
    assert _result_names(page) == [SKCK]
    assert text["found_one"] in page.locator("#results-title").inner_text()

    page.goto("/layanan/?q=zzzqqxx")
    axe(page)

    assert text["nothing"] in page.locator("main").inner_text()
    assert page.locator("#browse-life-events").is_visible()

    page.goto("/layanan/?instansi=tidak-ada&peristiwa=pekerjaan")
    axe(page)

    assert page.locator(".error-summary").inner_text().count(text["agency_error"]) == 1
    assert page.title().startswith("Kesalahan:" if language == "id" else "Error:")
    assert _result_names(page) == [SKCK]


@pytest.mark.parametrize("language", LANGUAGES)
def test_catalog_pages_keep_the_strict_content_security_policy(
    browser_instance: Any, live_server: Any, catalog: None, language: str
) -> None:
    # A context without the CSP bypass the axe harness needs: the JSON-LD block must not be
    # reported as a blocked inline script.
    context = browser_instance.new_context(base_url=live_server.url)
    context.add_cookies([{"name": "layanan_language", "value": language, "url": live_server.url}])
    browser_page = context.new_page()
    problems: list[str] = []
    browser_page.on(
        "console", lambda message: problems.append(message.text) if message.type == "error" else None
    )
    browser_page.on("pageerror", lambda error: problems.append(str(error)))
    try:
        for path in [
            "/layanan/",
            "/layanan/?q=akta",
            "/layanan/peristiwa/kelahiran/",
            "/layanan/instansi/polresta/",
            "/layanan/skck/cetak/",
            "/layanan/akta-kelahiran/",
        ]:
            response = browser_page.goto(path)
            assert "script-src 'self'" in response.headers["content-security-policy"]
            browser_page.wait_for_load_state("load")
        assert browser_page.locator('script[type="application/ld+json"]').count() == 1
    finally:
        context.close()

    assert problems == []

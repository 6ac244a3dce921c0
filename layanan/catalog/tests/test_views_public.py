"""The public catalog: search and browse, the service page with its standard, the print version."""

from __future__ import annotations

import datetime
import json
import re
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import Resolver404, resolve, reverse

from layanan.accounts.models import ServiceUnit
from layanan.accounts.tests.factories import ServiceUnitFactory
from layanan.catalog.models import Service
from layanan.catalog.tests.factories import (
    AdoptedStandardFactory,
    ServiceFactory,
    ServicePromiseFactory,
    complete_published,
    service_with_adopted_standard,
    tag_service,
)

pytestmark = pytest.mark.django_db

PP_76 = "PP 76/2020 tentang Jenis dan Tarif atas Jenis PNBP yang Berlaku pada Kepolisian Negara RI."
SKCK_FEE = {
    "is_free": False,
    "items": [{"label": "Penerbitan SKCK", "amount": 30_000, "legal_basis": PP_76}],
    "legal_basis": "",
    "note": "Dibayar di loket bank di MPP.",
}


@pytest.fixture
def birth_certificate(unit_a: ServiceUnit) -> Service:
    unit_a.address = "Jl. Jenderal Soedirman No. 1, Purwokerto"
    unit_a.works_saturday = True
    unit_a.save()
    service = service_with_adopted_standard(
        unit=unit_a,
        slug="akta-kelahiran",
        name="Akta Kelahiran",
        summary="Pencatatan kelahiran anak dan penerbitan kutipan akta kelahiran.",
        keywords="akte lahir, akta lahir",
        counter_location="MPP Banyumas, loket 3",
    )
    ServicePromiseFactory(unit=unit_a, signed_on=datetime.date(2025, 1, 2), text="Maklumat lama.")
    ServicePromiseFactory(unit=unit_a, signed_on=datetime.date(2026, 1, 2))
    return tag_service(service, Service.LifeEvent.BIRTH)


@pytest.fixture
def police_record(unit_b: ServiceUnit) -> Service:
    service = ServiceFactory(
        unit=unit_b,
        slug="skck",
        name="Surat Keterangan Catatan Kepolisian",
        summary="Surat keterangan tentang catatan kepolisian untuk melamar kerja.",
        channel=Service.Channel.COUNTER,
    )
    AdoptedStandardFactory(
        service=service,
        published=complete_published(
            fee=SKCK_FEE, completion_time={"value": 45, "unit": "minutes", "starts_when_complete": False}
        ),
    )
    return tag_service(service, Service.LifeEvent.WORK)


@pytest.fixture
def unprepared(unit_b: ServiceUnit) -> Service:
    """A published service whose standard is not adopted yet."""
    return ServiceFactory(
        unit=unit_b, slug="izin-reklame", name="Izin Reklame", channel=Service.Channel.ONLINE
    )


@pytest.fixture
def fake_search(monkeypatch: pytest.MonkeyPatch) -> Callable[[list[int]], list[dict[str, Any]]]:
    """Replace the search engine by one that answers ``ids``; returns the calls it received."""

    def install(ids: list[int]) -> list[dict[str, Any]]:
        calls: list[dict[str, Any]] = []

        def search(query: str, **options: Any) -> list[int]:
            calls.append({"query": query, **options})
            return ids

        monkeypatch.setattr("layanan.catalog.views.public.search_services", search)
        return calls

    return install


def _english(client: Client) -> Client:
    client.cookies["layanan_language"] = "en"
    return client


def _main(client: Client, url: str, data: dict[str, str] | None = None) -> str:
    response = client.get(url, data)
    assert response.status_code == 200
    body = response.content.decode()
    return body[body.index("<main") : body.index("</main>")]


def _text(html: str) -> str:
    """The words a reader sees: inline tags vanish, the others separate words."""
    inline_gone = re.sub(r"</?(?:strong|span|a|em|b)\b[^>]*>", "", html)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", inline_gone))


def _structured_data(client: Client, url: str) -> dict[str, Any]:
    body = client.get(url).content.decode()
    blocks = re.findall(r'<script type="application/ld\+json">(.*?)</script>', body, re.DOTALL)
    assert len(blocks) == 1
    data: dict[str, Any] = json.loads(blocks[0])
    return data


# --- Catalog home -----------------------------------------------------------------------------------


def test_home_offers_search_and_browsing_by_life_event_and_agency(
    client: Client, birth_certificate: Service, police_record: Service, unprepared: Service
) -> None:
    main = _main(client, "/layanan/")

    assert "<h1>Cari layanan</h1>" in main
    assert 'type="search" name="q"' in main
    for event in Service.LifeEvent:
        assert f'href="/layanan/peristiwa/{event.value}/">{event.label}</a>' in main
    assert 'href="/layanan/peristiwa/kelahiran/">Kelahiran</a> <span class="muted">1 layanan</span>' in main
    assert 'href="/layanan/peristiwa/kematian/">Kematian</a> <span class="muted">0 layanan</span>' in main
    disdukcapil = main.index(
        'href="/layanan/instansi/disdukcapil/">Dinas Kependudukan dan Pencatatan Sipil</a>'
    )
    dpmptsp = main.index('href="/layanan/instansi/dpmptsp/">Dinas Penanaman Modal dan PTSP</a>')
    assert disdukcapil < dpmptsp
    assert '<span class="muted">2 layanan</span>' in main[dpmptsp:]
    assert "catalog-result" not in main


def test_home_counts_only_published_services_of_active_units_and_agencies(
    client: Client, birth_certificate: Service
) -> None:
    tag_service(ServiceFactory(unit=birth_certificate.unit, is_active=False), Service.LifeEvent.BIRTH)
    tag_service(
        ServiceFactory(unit=ServiceUnitFactory(agency=birth_certificate.unit.agency, is_active=False)),
        Service.LifeEvent.BIRTH,
    )
    closed = ServiceFactory(
        unit=ServiceUnitFactory(agency__name="Instansi Nonaktif", agency__is_active=False)
    )
    tag_service(closed, Service.LifeEvent.BIRTH)

    main = _main(client, "/layanan/")

    assert 'Kelahiran</a> <span class="muted">1 layanan</span>' in main
    assert 'Dinas Kependudukan dan Pencatatan Sipil</a> <span class="muted">1 layanan</span>' in main
    assert "Instansi Nonaktif" not in main


def test_home_in_english(client: Client, birth_certificate: Service) -> None:
    main = _main(_english(client), "/layanan/")

    assert "<h1>Find a service</h1>" in main
    assert "Browse by life event" in main
    assert 'Birth</a> <span class="muted">1 service</span>' in main
    assert 'Death</a> <span class="muted">0 services</span>' in main


def test_main_menu_links_to_the_catalog(client: Client) -> None:
    body = client.get("/").content.decode()

    assert '<a href="/layanan/">Layanan</a>' in body
    assert '<a href="/layanan/" aria-current="page">Layanan</a>' in client.get("/layanan/").content.decode()


# --- Search -----------------------------------------------------------------------------------------


def test_search_shows_services_in_the_order_search_ranks_them(
    client: Client, fake_search: Any, birth_certificate: Service, police_record: Service
) -> None:
    calls = fake_search([police_record.pk, birth_certificate.pk])

    main = _main(client, "/layanan/", {"q": "surat"})

    assert calls == [{"query": "surat", "agency": "", "life_event": "", "limit": 30}]
    assert "2 layanan ditemukan untuk “surat”" in main
    assert main.index("Surat Keterangan Catatan Kepolisian") < main.index("Akta Kelahiran")
    assert 'value="surat"' in main
    skck = _text(main[main.index('href="/layanan/skck/"') : main.index('href="/layanan/akta-kelahiran/"')])
    assert "Biaya: Rp30.000" in skck
    assert "45 menit" in skck
    assert "Dinas Penanaman Modal dan PTSP" in skck
    assert "Tidak dipungut biaya" in main[main.index('href="/layanan/akta-kelahiran/"') :]


def test_search_never_shows_a_hidden_service(
    client: Client, fake_search: Any, birth_certificate: Service
) -> None:
    withdrawn = ServiceFactory(name="Layanan Ditarik", is_active=False)
    fake_search([withdrawn.pk, birth_certificate.pk])

    main = _main(client, "/layanan/", {"q": "layanan"})

    assert "Layanan Ditarik" not in main
    assert "1 layanan ditemukan" in main


def test_search_words_are_shown_as_text_not_markup(client: Client, fake_search: Any) -> None:
    fake_search([])

    main = _main(client, "/layanan/", {"q": "<b>akta</b>"})

    assert "<b>akta</b>" not in main
    assert "“&lt;b&gt;akta&lt;/b&gt;”" in main


def test_search_passes_the_filters_and_applies_them(
    client: Client, fake_search: Any, birth_certificate: Service, police_record: Service
) -> None:
    calls = fake_search([police_record.pk, birth_certificate.pk])

    main = _main(client, "/layanan/", {"q": "surat", "instansi": "disdukcapil", "peristiwa": "kelahiran"})

    assert calls == [{"query": "surat", "agency": "disdukcapil", "life_event": "kelahiran", "limit": 30}]
    assert "Akta Kelahiran" in main
    assert "Surat Keterangan Catatan Kepolisian" not in main
    assert "Instansi: <strong>Dinas Kependudukan dan Pencatatan Sipil</strong>" in main
    assert "Peristiwa kehidupan: <strong>Kelahiran</strong>" in main
    assert '<option value="disdukcapil" selected>' in main
    assert '<details class="catalog-filters" open>' in main


def test_search_without_results_suggests_what_to_do(
    client: Client, fake_search: Any, birth_certificate: Service
) -> None:
    fake_search([])

    main = _main(client, "/layanan/", {"q": "paspor kucing", "peristiwa": "kelahiran"})

    assert "0 layanan ditemukan untuk “paspor kucing”" in main
    assert "periksa ejaan kata Anda" in main
    assert "?q=paspor+kucing" in main  # search again without the filters
    assert 'href="/layanan/peristiwa/kelahiran/"' in main  # browse instead
    assert 'href="/layanan/instansi/disdukcapil/"' in main


def test_real_search_finds_the_birth_certificate_from_colloquial_words(
    client: Client, birth_certificate: Service, police_record: Service
) -> None:
    main = _main(client, "/layanan/", {"q": "bikin akte lahir"})

    results = re.findall(r'<h3><a href="(/layanan/[^"]+/)">', main)
    assert results[0] == "/layanan/akta-kelahiran/"


# --- Filters without words --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("filters", "shown", "hidden"),
    [
        ({"instansi": "dpmptsp"}, "Surat Keterangan Catatan Kepolisian", "Akta Kelahiran"),
        ({"peristiwa": "kelahiran"}, "Akta Kelahiran", "Surat Keterangan Catatan Kepolisian"),
        (
            {"instansi": "dpmptsp", "peristiwa": "pekerjaan"},
            "Surat Keterangan Catatan Kepolisian",
            "Akta Kelahiran",
        ),
    ],
    ids=["agency", "life-event", "both"],
)
def test_filters_list_the_matching_services(
    client: Client,
    birth_certificate: Service,
    police_record: Service,
    filters: dict[str, str],
    shown: str,
    hidden: str,
) -> None:
    main = _main(client, "/layanan/", filters)

    assert shown in main
    assert hidden not in main
    assert "1 layanan ditemukan" in main


def test_combined_filters_without_match_say_so(
    client: Client, birth_certificate: Service, police_record: Service
) -> None:
    main = _main(client, "/layanan/", {"instansi": "disdukcapil", "peristiwa": "pekerjaan"})

    assert "0 layanan ditemukan" in main
    assert "Akta Kelahiran" not in main


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"instansi": "tidak-ada"}, "Pilih instansi dari daftar."),
        ({"peristiwa": "ulang-tahun"}, "Pilih peristiwa kehidupan dari daftar."),
        ({"instansi": "<script>"}, "Pilih instansi dari daftar."),
        ({"q": "a" * 201}, "Gunakan paling banyak 200 karakter."),
    ],
    ids=["unknown-agency", "unknown-life-event", "markup", "too-long"],
)
def test_bad_values_give_a_clear_message(
    client: Client, birth_certificate: Service, params: dict[str, str], message: str
) -> None:
    response = client.get("/layanan/", params)

    assert response.status_code == 200
    body = response.content.decode()
    assert message in body
    assert "<title>Kesalahan:" in body
    assert '<div class="error-summary"' in body
    assert "<script>" not in body[body.index("<main") :]


def test_a_bad_filter_is_left_out_and_the_others_still_apply(
    client: Client, birth_certificate: Service, police_record: Service
) -> None:
    main = _main(client, "/layanan/", {"instansi": "dpmptsp", "peristiwa": "ulang-tahun"})

    assert "Pilih peristiwa kehidupan dari daftar." in main
    assert "Surat Keterangan Catatan Kepolisian" in main
    assert "Akta Kelahiran" not in main


@pytest.mark.parametrize("page", ["abc", "0", "99", "-1"])
def test_an_impossible_page_number_shows_a_page(
    client: Client, birth_certificate: Service, page: str
) -> None:
    main = _main(client, "/layanan/", {"instansi": "disdukcapil", "page": page})

    assert "Akta Kelahiran" in main


def test_long_filtered_lists_are_paged(client: Client, unit_a: ServiceUnit) -> None:
    for number in range(41):
        ServiceFactory(unit=unit_a, name=f"Layanan {number:02d}")

    first = _main(client, "/layanan/", {"instansi": "disdukcapil"})
    second = _main(client, "/layanan/", {"instansi": "disdukcapil", "page": "2"})

    assert "41 layanan ditemukan" in first
    assert "Layanan 39" in first
    assert "Layanan 40" not in first
    assert 'href="?instansi=disdukcapil&amp;page=2" rel="next"' in first
    assert "Halaman 1 dari 2" in first
    assert "Layanan 40" in second
    assert "Layanan 00" not in second


# --- Query counts: constant in the number of services -----------------------------------------------


def _more_services(unit: ServiceUnit, count: int = 6) -> None:
    for _ in range(count):
        tag_service(
            service_with_adopted_standard(unit=unit), Service.LifeEvent.BIRTH, Service.LifeEvent.HEALTH
        )
        tag_service(ServiceFactory(unit=unit), Service.LifeEvent.BIRTH)


@pytest.mark.parametrize(
    "params",
    [{}, {"peristiwa": "kelahiran"}, {"instansi": "disdukcapil", "peristiwa": "kelahiran"}, {"q": "layanan"}],
    ids=["home", "life-event", "both-filters", "search"],
)
def test_list_query_count_does_not_grow_with_services(
    client: Client,
    django_assert_num_queries: Any,
    fake_search: Any,
    birth_certificate: Service,
    police_record: Service,
    params: dict[str, str],
) -> None:
    fake_search([birth_certificate.pk])
    with CaptureQueriesContext(connection) as baseline:
        client.get("/layanan/", params)
    _more_services(birth_certificate.unit)
    fake_search(list(Service.objects.values_list("pk", flat=True)))

    with django_assert_num_queries(len(baseline.captured_queries)):
        response = client.get("/layanan/", params)

    assert response.status_code == 200


@pytest.mark.parametrize("url", ["/layanan/peristiwa/kelahiran/", "/layanan/instansi/disdukcapil/"])
def test_browse_pages_query_count_does_not_grow_with_services(
    client: Client, django_assert_num_queries: Any, birth_certificate: Service, url: str
) -> None:
    with CaptureQueriesContext(connection) as baseline:
        client.get(url)
    _more_services(birth_certificate.unit)
    ServiceUnitFactory(agency=birth_certificate.unit.agency)
    _more_services(ServiceUnitFactory(agency=birth_certificate.unit.agency), count=2)

    with django_assert_num_queries(len(baseline.captured_queries)):
        response = client.get(url)

    assert response.content.decode().count('class="catalog-result"') > 10


def test_service_page_query_count_does_not_grow_with_life_events(
    client: Client, django_assert_num_queries: Any, birth_certificate: Service
) -> None:
    with CaptureQueriesContext(connection) as baseline:
        client.get("/layanan/akta-kelahiran/")
    tag_service(
        birth_certificate, Service.LifeEvent.HEALTH, Service.LifeEvent.MOVING, Service.LifeEvent.DEATH
    )
    ServicePromiseFactory(unit=birth_certificate.unit, signed_on=datetime.date(2020, 1, 1))

    with django_assert_num_queries(len(baseline.captured_queries)):
        client.get("/layanan/akta-kelahiran/")


# --- Browse by life event ---------------------------------------------------------------------------


def test_life_event_page_lists_its_services_by_agency(
    client: Client, birth_certificate: Service, police_record: Service
) -> None:
    other = tag_service(
        service_with_adopted_standard(unit=police_record.unit, name="Surat Pindah Bayi"), "kelahiran"
    )

    main = _main(client, "/layanan/peristiwa/kelahiran/")

    assert "<h1>Kelahiran</h1>" in main
    assert "2 layanan yang mungkin Anda perlukan" in main
    assert (
        main.index("Dinas Kependudukan dan Pencatatan Sipil</h2>")
        < main.index("Akta Kelahiran")
        < main.index("Dinas Penanaman Modal dan PTSP</h2>")
        < main.index(other.name)
    )
    assert "Surat Keterangan Catatan Kepolisian" not in main
    assert '<input type="hidden" name="peristiwa" value="kelahiran">' in main
    assert 'href="/layanan/peristiwa/pekerjaan/">Pekerjaan</a>' in main  # other life events


def test_life_event_page_hides_unpublished_services(client: Client, birth_certificate: Service) -> None:
    tag_service(ServiceFactory(name="Layanan Ditarik", is_active=False), "kelahiran")
    tag_service(
        ServiceFactory(name="Layanan Unit Tutup", unit=ServiceUnitFactory(is_active=False)), "kelahiran"
    )

    main = _main(client, "/layanan/peristiwa/kelahiran/")

    assert "Layanan Ditarik" not in main
    assert "Layanan Unit Tutup" not in main


def test_life_event_without_services_says_so(client: Client, birth_certificate: Service) -> None:
    main = _main(client, "/layanan/peristiwa/kematian/")

    assert "<h1>Kematian</h1>" in main
    assert "Belum ada layanan untuk peristiwa ini." in main


def test_unknown_life_event_is_404(client: Client) -> None:
    assert client.get("/layanan/peristiwa/ulang-tahun/").status_code == 404


def test_life_event_page_in_english(client: Client, birth_certificate: Service) -> None:
    main = _main(_english(client), "/layanan/peristiwa/kelahiran/")

    assert "<h1>Birth</h1>" in main
    assert "1 service you may need for this moment in life." in main
    assert "Free of charge" in main
    assert "3 working days" in main


# --- Browse by agency -------------------------------------------------------------------------------


def test_agency_page_lists_units_with_hours_and_services(
    client: Client, birth_certificate: Service, unprepared: Service
) -> None:
    unit = birth_certificate.unit
    ServiceFactory(unit=unit, name="Layanan Ditarik", is_active=False)
    closed_unit = ServiceUnitFactory(agency=unit.agency, name="Unit Tutup", is_active=False)
    ServiceFactory(unit=closed_unit, name="Layanan Unit Tutup")
    ServiceUnitFactory(agency=unit.agency, name="Unit Tanpa Layanan")

    main = _main(client, "/layanan/instansi/disdukcapil/")

    assert "<h1>Dinas Kependudukan dan Pencatatan Sipil</h1>" in main
    assert f">{unit.name}</h2>" in main
    text = _text(main)
    assert "Senin sampai Jumat, 08.00–16.00" in text
    assert "Sabtu Buka, jam yang sama" in text
    assert "Jl. Jenderal Soedirman No. 1, Purwokerto" in text
    assert 'href="/layanan/akta-kelahiran/"' in main
    assert 'href="/instansi/disdukcapil/"' in main
    for hidden in ("Layanan Ditarik", "Unit Tutup", "Unit Tanpa Layanan", "Izin Reklame"):
        assert hidden not in main


def test_agency_page_marks_a_service_without_standard(client: Client, unprepared: Service) -> None:
    main = _main(client, "/layanan/instansi/dpmptsp/")

    assert "Izin Reklame" in main
    assert "Standar sedang disusun" in main


@pytest.mark.parametrize("agency_fields", [None, {"is_active": False}], ids=["unknown", "inactive"])
def test_unknown_or_inactive_agency_is_404(client: Client, agency_fields: dict[str, bool] | None) -> None:
    if agency_fields is not None:
        ServiceFactory(
            unit=ServiceUnitFactory(
                agency__slug="tutup", **{f"agency__{k}": v for k, v in agency_fields.items()}
            )
        )

    assert client.get("/layanan/instansi/tutup/").status_code == 404


def test_agency_page_in_english(client: Client, birth_certificate: Service) -> None:
    text = _text(_main(_english(client), "/layanan/instansi/disdukcapil/"))

    assert "Monday to Friday, 08.00–16.00" in text
    assert "Saturday Open, same hours" in text
    assert "1 service at this agency." in text


# --- The service page -------------------------------------------------------------------------------


def test_service_page_shows_the_six_published_components(client: Client, birth_certificate: Service) -> None:
    main = _main(client, "/layanan/akta-kelahiran/")
    text = _text(main)

    assert "<h1>Akta Kelahiran</h1>" in main
    assert "Pencatatan kelahiran anak dan penerbitan kutipan akta kelahiran." in main
    assert "Disebut juga akte lahir, akta lahir" in text
    # Requirements: a checklist, original or copy, conditions said once.
    assert "Yang perlu dibawa" in main
    assert "KTP-el pemohon (fotokopi)" in text
    assert "Kartu Keluarga (asli)" in text
    assert "Diterbitkan oleh: Dinas Kependudukan dan Pencatatan Sipil" in text
    assert "Surat kuasa bermeterai (asli) Hanya jika pemohon diwakilkan" in text
    assert "hanya jika hanya jika" not in text.lower()
    # Procedure: numbered steps, who does what, in order.
    steps = main[main.index('<ol class="steps">') :]
    assert (
        steps.index("Pemohon mengisi formulir")
        < steps.index("Petugas loket memeriksa")
        < steps.index("Kepala unit menandatangani")
    )
    assert '<p class="catalog-step-actor">Pemohon</p>' in steps
    # Completion time, fee, products, complaint channels.
    assert "3 hari kerja" in text
    assert "Dihitung sejak hari permohonan Anda lengkap." in text
    assert '<p class="catalog-free catalog-free-top"><strong>Tidak dipungut biaya</strong></p>' in main
    assert "UU 24/2013 Pasal 79A" in text
    assert "Kartu Keluarga dokumen elektronik" in text
    assert "SP4N-LAPOR! (lapor.go.id, SMS 1708): lapor.go.id" in text
    assert "Langsung di meja pengaduan: Meja pengaduan MPP" in text


def test_service_page_shows_where_when_promise_and_decree(client: Client, birth_certificate: Service) -> None:
    text = _text(_main(client, "/layanan/akta-kelahiran/"))
    standard = birth_certificate.adopted_standard
    assert standard is not None

    assert "Ajukan langsung di MPP Banyumas, loket 3, atau secara daring." in text
    assert "Jl. Jenderal Soedirman No. 1, Purwokerto" in text
    assert "Senin sampai Jumat, 08.00–16.00" in text
    assert "Sabtu Buka, jam yang sama" in text
    # The promise in force (the latest signed), with its signatory and date.
    assert "Dengan ini, kami menyatakan sanggup" in text
    assert "Maklumat lama." not in text
    assert "Drs. Bambang Sutrisno, M.Si., Kepala Dinas" in text
    assert "2 Januari 2026" in text
    # The decree and the date of the last change.
    assert f"Ditetapkan dengan keputusan {standard.decree_number}" in text
    assert "Tanggal keputusan 15 Januari 2026" in text
    assert standard.adopted_at is not None
    assert f"Terakhir diubah {standard.adopted_at.day} " in text


def test_service_page_of_a_paid_service_lists_each_amount_with_its_basis(
    client: Client, police_record: Service
) -> None:
    main = _main(client, "/layanan/skck/")
    text = _text(main)

    assert "catalog-free" not in main
    assert "Yang Anda bayar:" in text
    assert f"Penerbitan SKCK Rp30.000 Dasar hukum: {PP_76}" in text
    assert "Dibayar di loket bank di MPP." in text
    assert "Bayar hanya sebesar jumlah di halaman ini" in text
    assert "45 menit" in text
    assert "Dihitung sejak hari permohonan Anda diterima." in text
    assert "Ajukan langsung di " + police_record.unit.name + "." in text
    assert "daring" not in text.split("Di mana dan kapan")[1].split("Maklumat")[0].lower()


def test_service_page_without_adopted_standard_says_it_is_being_prepared(
    client: Client, unprepared: Service
) -> None:
    main = _main(client, "/layanan/izin-reklame/")

    assert "Standar pelayanan sedang disusun" in main
    assert 'id="requirements"' not in main
    assert "Ajukan secara daring." in _text(main)


def test_service_page_with_a_broken_standard_says_it_is_being_prepared(
    client: Client, unprepared: Service
) -> None:
    AdoptedStandardFactory(service=unprepared, published={"requirements": []})

    main = _main(client, "/layanan/izin-reklame/")

    assert "Standar pelayanan sedang disusun" in main


def test_service_page_links_only_to_pages_that_exist(
    client: Client, birth_certificate: Service, police_record: Service, unprepared: Service
) -> None:
    for slug in ("akta-kelahiran", "skck", "izin-reklame"):
        for url in (f"/layanan/{slug}/", f"/layanan/{slug}/cetak/"):
            body = client.get(url).content.decode()
            for href in re.findall(r'href="(/[^"#?]*)', body):
                if href.startswith("/static/"):
                    continue
                try:
                    resolve(href)
                except Resolver404:  # pragma: no cover - the assertion message says which
                    pytest.fail(f"{url} links to {href}, which does not exist")
                response = client.get(href)
                if href.endswith("/ajukan/"):  # applying needs a citizen account: sign in first
                    assert response.status_code == 302
                    assert response["Location"].startswith(reverse("accounts:signin"))
                    continue
                assert response.status_code == 200, f"{url} links to {href}"


def test_service_page_offers_no_action_that_does_not_exist_yet(
    client: Client, birth_certificate: Service
) -> None:
    text = _text(_main(client, "/layanan/akta-kelahiran/")).lower()

    assert "segera tersedia" not in text
    assert "antrean" not in text


def test_service_page_in_english(client: Client, birth_certificate: Service, police_record: Service) -> None:
    client = _english(client)
    text = _text(_main(client, "/layanan/akta-kelahiran/"))

    assert "What to bring" in text
    assert "KTP-el pemohon (copy)" in text
    assert "Only if pemohon diwakilkan" in text
    assert "Applicant" in text
    assert "3 working days" in text
    assert "Free of charge" in text
    assert "Apply in person at MPP Banyumas, loket 3, or online." in text
    assert "Monday to Friday, 08.00–16.00" in text
    assert "2 January 2026" in text
    assert "Service promise" in text
    assert "Rp30,000" in _text(_main(client, "/layanan/skck/"))


@pytest.mark.parametrize(
    "hidden",
    [{"is_active": False}, {"unit__is_active": False}, {"unit__agency__is_active": False}],
    ids=["unpublished", "inactive-unit", "inactive-agency"],
)
@pytest.mark.parametrize("suffix", ["", "cetak/"])
def test_hidden_service_is_404(client: Client, hidden: dict[str, bool], suffix: str) -> None:
    service_with_adopted_standard(slug="ditarik", **hidden)

    assert client.get(f"/layanan/ditarik/{suffix}").status_code == 404


@pytest.mark.parametrize("suffix", ["", "cetak/"])
def test_unknown_service_is_404(client: Client, suffix: str) -> None:
    assert client.get(f"/layanan/tidak-ada/{suffix}").status_code == 404


# --- Structured data --------------------------------------------------------------------------------


def test_structured_data_describes_a_free_government_service(
    client: Client, birth_certificate: Service
) -> None:
    data = _structured_data(client, "/layanan/akta-kelahiran/")

    assert data["@context"] == "https://schema.org"
    assert data["@type"] == "GovernmentService"
    assert data["name"] == "Akta Kelahiran"
    assert data["description"] == birth_certificate.summary
    assert data["url"] == "http://testserver/layanan/akta-kelahiran/"
    assert data["serviceType"] == "Kelahiran"
    assert data["provider"] == {
        "@type": "GovernmentOrganization",
        "name": "Dinas Kependudukan dan Pencatatan Sipil",
        "url": "http://testserver/layanan/instansi/disdukcapil/",
    }
    assert data["areaServed"]["@type"] == "AdministrativeArea"
    assert data["areaServed"]["name"]
    counter, online = data["availableChannel"]
    assert counter["@type"] == "ServiceChannel"
    assert counter["servicePhysicalLocation"]["name"] == "MPP Banyumas, loket 3"
    assert counter["servicePhysicalLocation"]["address"] == "Jl. Jenderal Soedirman No. 1, Purwokerto"
    hours = counter["servicePhysicalLocation"]["openingHoursSpecification"][0]
    assert hours["dayOfWeek"][-1] == "Saturday"
    assert (hours["opens"], hours["closes"]) == ("08:00", "16:00")
    assert counter["processingTime"] == "P3D"
    assert online["serviceUrl"] == "http://testserver/layanan/akta-kelahiran/"
    assert data["offers"] == [
        {"@type": "Offer", "price": "0", "priceCurrency": "IDR", "description": "Tidak dipungut biaya"}
    ]
    assert data["termsOfService"] == "http://testserver/layanan/akta-kelahiran/cetak/"


def test_structured_data_of_a_paid_service_has_each_price(client: Client, police_record: Service) -> None:
    data = _structured_data(client, "/layanan/skck/")

    assert data["offers"] == [
        {
            "@type": "Offer",
            "name": "Penerbitan SKCK",
            "price": "30000",
            "priceCurrency": "IDR",
            "description": PP_76,
        }
    ]
    assert [channel["name"] for channel in data["availableChannel"]] == ["Di loket"]
    assert data["availableChannel"][0]["processingTime"] == "PT45M"


def test_structured_data_without_standard_has_no_offer(client: Client, unprepared: Service) -> None:
    data = _structured_data(client, "/layanan/izin-reklame/")

    assert "offers" not in data
    assert data["availableChannel"] == [
        {"@type": "ServiceChannel", "name": "Daring", "serviceUrl": "http://testserver/layanan/izin-reklame/"}
    ]


def test_structured_data_cannot_close_its_script_block(client: Client, unit_a: ServiceUnit) -> None:
    service_with_adopted_standard(unit=unit_a, slug="aneh", name="Aneh </script><script>alert(1)</script>")

    body = client.get("/layanan/aneh/").content.decode()

    assert "</script><script>alert(1)" not in body
    assert _structured_data(client, "/layanan/aneh/")["name"] == "Aneh </script><script>alert(1)</script>"


def test_structured_data_is_in_the_reader_language(client: Client, birth_certificate: Service) -> None:
    data = _structured_data(_english(client), "/layanan/akta-kelahiran/")

    assert data["serviceType"] == "Birth"
    assert data["offers"][0]["description"] == "Free of charge"


# --- Print version ----------------------------------------------------------------------------------


def test_print_version_has_the_standard_promise_decree_and_address(
    client: Client, birth_certificate: Service
) -> None:
    main = _main(client, "/layanan/akta-kelahiran/cetak/")
    text = _text(main)
    standard = birth_certificate.adopted_standard
    assert standard is not None

    assert '<article class="catalog-print">' in main
    assert "<h1>Akta Kelahiran</h1>" in main
    for heading in (
        "Yang perlu dibawa",
        "Langkah-langkah",
        "Berapa lama",
        "Biaya",
        "Yang Anda terima",
        "Pengaduan",
    ):
        assert heading in text
    assert "KTP-el pemohon (fotokopi)" in text
    assert "Dengan ini, kami menyatakan sanggup" in text
    assert standard.decree_number in text
    assert "Sumber: http://testserver/layanan/akta-kelahiran/" in text
    assert 'data-module="print"' in main
    assert 'href="/layanan/akta-kelahiran/"' in client.get("/layanan/akta-kelahiran/cetak/").content.decode()


def test_print_version_without_standard(client: Client, unprepared: Service) -> None:
    main = _main(client, "/layanan/izin-reklame/cetak/")

    assert "Standar pelayanan sedang disusun" in main
    assert "Sumber: http://testserver/layanan/izin-reklame/" in _text(main)


def test_print_version_in_english(client: Client, police_record: Service) -> None:
    text = _text(_main(_english(client), "/layanan/skck/cetak/"))

    assert "Service standard" in text
    assert "Rp30,000" in text
    assert "Source: http://testserver/layanan/skck/" in text


# --- Methods and personas ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "/layanan/",
        "/layanan/peristiwa/kelahiran/",
        "/layanan/instansi/disdukcapil/",
        "/layanan/akta-kelahiran/",
        "/layanan/akta-kelahiran/cetak/",
    ],
)
def test_catalog_pages_accept_only_get(client: Client, birth_certificate: Service, url: str) -> None:
    assert client.post(url).status_code == 405


@pytest.mark.parametrize("persona_client", ["citizen_client", "officer_client", "admin_client_verified"])
def test_signed_in_people_see_the_same_catalog(
    persona_client: str, request: Any, birth_certificate: Service
) -> None:
    client = request.getfixturevalue(persona_client)

    for url in ("/layanan/", "/layanan/peristiwa/kelahiran/", "/layanan/instansi/disdukcapil/"):
        assert client.get(url).status_code == 200
    assert client.get("/layanan/akta-kelahiran/").status_code == 200
    assert client.get("/layanan/akta-kelahiran/cetak/").status_code == 200

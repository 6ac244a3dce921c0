"""Catalog search: Indonesian understanding, ranking, filters, freshness, bounded work.

Runs on SQLite and PostgreSQL (CI). Expected orders are computed by the pure ranking
(``FieldedBM25`` over the raw text, no database), so the same assertions prove that both
databases' full-text indexes return exactly the candidates the pure ranking scores.
"""

from __future__ import annotations

import time
from typing import Any

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from layanan.accounts.models import Agency, ServiceUnit
from layanan.accounts.tests.factories import ServiceUnitFactory
from layanan.catalog import search
from layanan.catalog.models import SearchDocument, SearchIndexState, Service
from layanan.catalog.search import FIELD_WEIGHTS, invalidate_search_index, search_services, search_terms
from layanan.catalog.tests.factories import (
    AdoptedStandardFactory,
    ServiceFactory,
    complete_published,
    tag_service,
)
from layanan.core import text

pytestmark = pytest.mark.django_db


def _requirement(name: str) -> dict[str, str]:
    return {
        "document_type": "lainnya",
        "name": name,
        "form": "copy",
        "issued_by": "",
        "condition": "",
        "note": "",
    }


def _service(
    unit: ServiceUnit,
    slug: str,
    name: str,
    summary: str,
    *,
    keywords: str = "",
    requirements: tuple[str, ...] = (),
    products: tuple[str, ...] = (),
    events: tuple[str, ...] = (),
    is_active: bool = True,
) -> Service:
    service: Service = ServiceFactory(
        unit=unit, slug=slug, name=name, summary=summary, keywords=keywords, is_active=is_active
    )
    if requirements or products:
        published = complete_published(
            requirements=[_requirement(item) for item in requirements or ("Formulir permohonan",)],
            products=[
                {"name": item, "description": "", "is_electronic": False} for item in products or ("Surat",)
            ],
        )
        AdoptedStandardFactory(service=service, published=published)
    if events:
        tag_service(service, *events)
    return service


@pytest.fixture
def catalog() -> dict[str, Service]:
    dukcapil = ServiceUnitFactory(
        agency__slug="disdukcapil",
        agency__name="Dinas Kependudukan dan Pencatatan Sipil",
        name="Pencatatan Sipil",
    )
    polres = ServiceUnitFactory(agency__slug="polres", agency__name="Kepolisian Resor", name="Satpas")
    pupr = ServiceUnitFactory(
        agency__slug="pupr", agency__name="Dinas Pekerjaan Umum", name="Bangunan Gedung"
    )
    closed_unit = ServiceUnitFactory(agency=dukcapil.agency, name="Loket Lama", is_active=False)
    closed_agency = ServiceUnitFactory(
        agency__slug="tutup", agency__name="Instansi Tutup", agency__is_active=False
    )
    Event = Service.LifeEvent
    services = [
        _service(
            dukcapil,
            "akta-kelahiran",
            "Akta Kelahiran",
            "Pencatatan kelahiran dan penerbitan kutipan akta kelahiran bagi anak yang baru lahir.",
            requirements=("Surat keterangan lahir dari rumah sakit atau bidan", "KTP-el kedua orang tua"),
            products=("Kutipan akta kelahiran",),
            events=(Event.BIRTH,),
        ),
        _service(
            dukcapil,
            "kartu-identitas-anak",
            "Kartu Identitas Anak (KIA)",
            "Kartu identitas bagi anak berusia di bawah 17 tahun.",
            requirements=("Kutipan akta kelahiran anak", "Kartu Keluarga"),
            events=(Event.BIRTH, Event.EDUCATION),
        ),
        _service(
            dukcapil,
            "ktp-el",
            "Kartu Tanda Penduduk Elektronik",
            "Perekaman dan pencetakan KTP-el, juga penggantian KTP yang rusak atau hilang.",
            keywords="e-KTP, KTP elektronik",
            requirements=("Kartu Keluarga",),
            events=(Event.MOVING,),
        ),
        _service(
            dukcapil,
            "legalisasi",
            "Legalisasi Fotokopi Dokumen Kependudukan",
            "Pengesahan fotokopi akta kelahiran dan Kartu Keluarga.",
        ),
        _service(
            polres,
            "perpanjangan-sim-c",
            "Perpanjangan SIM C",
            "Perpanjangan Surat Izin Mengemudi untuk sepeda motor.",
            requirements=("SIM C lama", "Surat keterangan sehat"),
            events=(Event.VEHICLE,),
        ),
        _service(
            polres,
            "sim-a-baru",
            "Penerbitan SIM A Baru",
            "Surat Izin Mengemudi untuk mobil, setelah lulus ujian.",
            events=(Event.VEHICLE,),
        ),
        _service(
            polres,
            "skck",
            "Surat Keterangan Catatan Kepolisian",
            "Surat keterangan kelakuan baik untuk melamar pekerjaan.",
            keywords="SKCK, surat kelakuan baik",
            events=(Event.WORK,),
        ),
        _service(
            pupr,
            "pbg",
            "Persetujuan Bangunan Gedung (PBG)",
            "Persetujuan untuk membangun baru atau merenovasi rumah dan gedung.",
            keywords="IMB, izin mendirikan bangunan",
            requirements=("Gambar teknis bangunan", "Bukti kepemilikan tanah"),
            events=(Event.BUILDING_HOUSE,),
        ),
        # Waris: one service per field, to check the field weights.
        _service(
            pupr, "ahli-waris", "Surat Keterangan Ahli Waris", "Keterangan bagi keluarga yang ditinggalkan."
        ),
        _service(
            pupr,
            "balik-nama",
            "Balik Nama Sertifikat",
            "Perubahan nama pemilik tanah setelah pembagian waris.",
        ),
        _service(
            pupr,
            "pemecahan-tanah",
            "Pemecahan Bidang Tanah",
            "Pemecahan satu bidang tanah menjadi beberapa bidang.",
            requirements=("Surat keterangan waris dari kelurahan", "Sertifikat tanah asli"),
        ),
        # Not published: never found.
        _service(
            dukcapil, "akta-kelahiran-arsip", "Akta Kelahiran (arsip)", "Layanan lama.", is_active=False
        ),
        _service(closed_unit, "akta-kelahiran-loket-lama", "Akta Kelahiran di loket lama", "Loket tutup."),
        _service(closed_agency, "akta-kelahiran-instansi-tutup", "Akta Kelahiran", "Instansi tutup."),
    ]
    invalidate_search_index()
    return {service.slug: service for service in services}


def _slugs(ids: list[int]) -> list[str]:
    by_id = dict(Service.objects.values_list("pk", "slug"))
    return [by_id[pk] for pk in ids]


def _find(query: str, **filters: Any) -> list[str]:
    return _slugs(search_services(query, **filters))


# --- Indonesian understanding -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "best"),
    [
        ("akta kelahiran", "akta-kelahiran"),
        ("bikin akte lahir anak", "akta-kelahiran"),
        ("akta kelahrian", "akta-kelahiran"),
        ("e-KTP hilang", "ktp-el"),
        ("ktp el rusak", "ktp-el"),
        ("kartu tanda penduduk", "ktp-el"),
        ("imb rumah", "pbg"),
        ("izin mendirikan bangunan", "pbg"),
        ("perpanjang sim c", "perpanjangan-sim-c"),
        ("sim a", "sim-a-baru"),
        ("surat kelakuan baik", "skck"),
        ("legalisir fotokopi kk", "legalisasi"),
        ("birth certificate", "akta-kelahiran"),
        ("driving licence renewal", "perpanjangan-sim-c"),
    ],
)
def test_finds_the_service_a_citizen_means(catalog: dict[str, Service], query: str, best: str) -> None:
    assert _find(query)[0] == best


def test_a_match_in_the_name_outranks_summary_which_outranks_requirements(
    catalog: dict[str, Service],
) -> None:
    assert _find("waris") == ["ahli-waris", "balik-nama", "pemecahan-tanah"]


def test_unpublished_services_units_and_agencies_are_never_found(catalog: dict[str, Service]) -> None:
    found = _find("akta kelahiran", limit=50)

    assert "akta-kelahiran" in found
    assert not {"akta-kelahiran-arsip", "akta-kelahiran-loket-lama", "akta-kelahiran-instansi-tutup"} & set(
        found
    )


def test_limit(catalog: dict[str, Service]) -> None:
    assert len(search_services("akta kelahiran kartu keluarga", limit=2)) == 2
    assert search_services("akta kelahiran", limit=0) == []


# --- Same results on every database -------------------------------------------------------------


def _reference_ranking(query: str, *, agency: str = "", life_event: str = "", limit: int = 20) -> list[int]:
    """The pure ranking: FieldedBM25 over the raw text of every service, no database index."""
    services = list(
        Service.objects.select_related("unit__agency", "adopted_standard")
        .prefetch_related("life_events")
        .order_by("pk")
    )
    documents = []
    for service in services:
        published = service.adopted_standard.published if service.adopted_standard else {}
        detail = [item["name"] for item in published.get("requirements", [])]
        for product in published.get("products", []):
            detail += [product["name"], product.get("description", "")]
        documents.append(
            {
                "name": f"{service.name}\n{service.keywords}",
                "summary": service.summary,
                "detail": "\n".join(part for part in detail if part),
                "context": "\n".join(
                    [service.unit.agency.name, service.unit.agency.short_name, service.unit.name]
                    + [tag.event.replace("-", " ") for tag in service.life_events.all()]
                ),
            }
        )
    index = text.FieldedBM25(documents, FIELD_WEIGHTS, k1=search.BM25_K1, b=search.BM25_B)
    eligible = [
        position
        for position, service in enumerate(services)
        if service.is_active
        and service.unit.is_active
        and service.unit.agency.is_active
        and (not agency or service.unit.agency.slug == agency)
        and (not life_event or any(tag.event == life_event for tag in service.life_events.all()))
    ]
    terms = list(dict.fromkeys(term for term in index.query_terms(query) if term in index.stems))
    ranked = index.rank(terms[: search.MAX_QUERY_TERMS], limit=limit, among=eligible)
    return [services[position].pk for position, _score in ranked]


@pytest.mark.parametrize(
    ("query", "filters"),
    [
        ("akta kelahiran", {}),
        ("surat keterangan", {}),
        ("kartu", {}),
        ("kartu keluarga anak", {}),
        ("sim", {}),
        ("tanah waris sertifikat", {}),
        ("keterangan", {"agency": "pupr"}),
        ("anak", {"life_event": "kelahiran"}),
        ("surat", {"agency": "polres", "life_event": "kendaraan"}),
        ("gimana cara bikin akte kelahrian buat anak yg baru lahir", {}),
        ("dinas kependudukan", {}),
    ],
)
@pytest.mark.parametrize("retrieval", ["full-text index", "in memory", "automatic"])
def test_results_equal_the_pure_ranking(
    catalog: dict[str, Service],
    monkeypatch: pytest.MonkeyPatch,
    query: str,
    filters: dict[str, str],
    retrieval: str,
) -> None:
    threshold = {"full-text index": 10**9, "in memory": -1, "automatic": search.FULL_TEXT_MAX_MATCHES}
    monkeypatch.setattr(search, "FULL_TEXT_MAX_MATCHES", threshold[retrieval])
    agency, life_event = filters.get("agency", ""), filters.get("life_event", "")
    expected = _reference_ranking(query, agency=agency, life_event=life_event)

    assert expected, "the query should find something"
    assert search_services(query, agency=agency, life_event=life_event) == expected
    assert search_services(query, agency=agency, life_event=life_event, limit=2) == expected[:2]


def test_ties_are_broken_by_service_id(catalog: dict[str, Service]) -> None:
    unit = ServiceUnitFactory()
    twins = [_service(unit, f"kembar-{n}", "Layanan Kembar Zamrud", "Sama persis.") for n in range(3)]
    invalidate_search_index()

    assert search_services("zamrud") == [service.pk for service in twins]


# --- Filters ------------------------------------------------------------------------------------


def test_agency_filter(catalog: dict[str, Service]) -> None:
    polres = _find("surat keterangan", agency="polres")
    assert polres[0] == "skck"
    assert set(polres) <= {"skck", "perpanjangan-sim-c", "sim-a-baru"}
    pupr = set(Service.objects.filter(unit__agency__slug="pupr").values_list("slug", flat=True))
    assert {"ahli-waris", "pemecahan-tanah"} <= set(_find("surat keterangan", agency="pupr")) <= pupr
    assert _find("akta", agency="tidak-ada") == []


def test_life_event_filter(catalog: dict[str, Service]) -> None:
    assert _find("kartu", life_event="kelahiran") == ["kartu-identitas-anak"]
    assert _find("kartu", life_event="kematian") == []
    assert _find("kartu", life_event="bukan-peristiwa") == []


def test_a_deactivated_agency_disappears_without_any_invalidation(catalog: dict[str, Service]) -> None:
    assert "pbg" in _find("imb")

    Agency.objects.filter(slug="pupr").update(is_active=False)

    assert _find("imb") == []


# --- Freshness across processes -----------------------------------------------------------------


def test_invalidation_makes_changes_visible(catalog: dict[str, Service]) -> None:
    assert _find("pas foto") == []
    service = catalog["ktp-el"]
    service.summary = "Perekaman KTP-el dan pengambilan pas foto."
    service.save()

    invalidate_search_index()

    assert _find("pas foto") == ["ktp-el"]


def test_another_process_sees_the_change_at_its_next_search(catalog: dict[str, Service]) -> None:
    assert _find("marmer") == []
    process_a = search._index  # this process's index, built by the search above

    # Process B changes the catalog, invalidates and searches (and so syncs).
    search.reset_process_cache()
    unit = ServiceUnitFactory()
    new = _service(unit, "ubin-marmer", "Izin Tambang Marmer", "Izin usaha pertambangan batuan.")
    invalidate_search_index()
    assert _find("marmer") == ["ubin-marmer"]
    assert search._index is not process_a

    # Back in process A, still holding its old index: the token in the database differs.
    search._index = process_a
    assert search_services("marmer") == [new.pk]


def test_a_new_process_loads_the_same_index(catalog: dict[str, Service]) -> None:
    before = {query: search_services(query) for query in ("akta", "sim", "tanah waris")}
    search.reset_process_cache()

    assert {query: search_services(query) for query in before} == before


def test_sync_re_analyses_only_the_changed_services(catalog: dict[str, Service]) -> None:
    search_services("akta")  # synced
    Service.objects.filter(slug="skck").update(name="Surat Keterangan Catatan Kepolisian (SKCK)")

    invalidate_search_index()
    result = search.sync_search_index()

    assert (result.analysed, result.removed, result.skipped) == (1, 0, False)
    assert search.sync_search_index().skipped  # nothing signalled since


def test_an_analyser_change_re_analyses_everything(catalog: dict[str, Service]) -> None:
    search_services("akta")
    token = SearchIndexState.objects.get().token
    SearchIndexState.objects.update(analyzer_version="older")
    SearchDocument.objects.update(source_hash="older")

    assert _find("akta kelahiran")[0] == "akta-kelahiran"
    state = SearchIndexState.objects.get()
    assert state.analyzer_version == search.index_version()
    assert state.token != token
    assert not SearchDocument.objects.filter(source_hash="older").exists()


def test_a_deleted_service_leaves_the_index(catalog: dict[str, Service]) -> None:
    assert _find("legalisir")[0] == "legalisasi"

    catalog["legalisasi"].delete()
    invalidate_search_index()

    assert "legalisasi" not in _find("legalisir fotokopi")
    assert not SearchDocument.objects.filter(service_id=catalog["legalisasi"].pk).exists()


@pytest.mark.parametrize("threshold", [10**9, -1])
@pytest.mark.parametrize(("agency", "life_event"), [("", ""), ("disdukcapil", "kelahiran")])
def test_a_search_without_changes_costs_two_queries(
    catalog: dict[str, Service], monkeypatch: pytest.MonkeyPatch, threshold: int, agency: str, life_event: str
) -> None:
    monkeypatch.setattr(search, "FULL_TEXT_MAX_MATCHES", threshold)
    search_services("akta")  # sync and load

    with CaptureQueriesContext(connection) as queries:
        search_services("akta kelahiran", agency=agency, life_event=life_event)

    # The state row, then the candidates (full-text) or the allowed services (in memory).
    assert len(queries.captured_queries) == 2
    full_text = "catalog_searchdocument_fts" if connection.vendor == "sqlite" else "terms_tsvector"
    assert (full_text in queries.captured_queries[1]["sql"]) == (threshold > 0)


def test_in_memory_retrieval_walks_past_unpublished_services(
    catalog: dict[str, Service], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(search, "FULL_TEXT_MAX_MATCHES", -1)
    unit = ServiceUnitFactory()
    for n in range(150):
        _service(unit, f"safir-{n}", "Layanan Safir", "Arsip.", is_active=False)
    shown = _service(unit, "safir-aktif", "Layanan Safir Aktif", "Masih berlaku.")
    invalidate_search_index()

    assert search_services("safir", limit=1) == [shown.pk]


def test_rebuild_command(catalog: dict[str, Service], capsys: pytest.CaptureFixture[str]) -> None:
    call_command("rebuild_search_index")
    assert f"{len(catalog)} services analysed" in capsys.readouterr().out

    call_command("rebuild_search_index", "--changed-only")
    assert "0 services analysed" in capsys.readouterr().out
    assert _find("akta kelahiran")[0] == "akta-kelahiran"


def test_first_search_ever_builds_the_index(catalog: dict[str, Service]) -> None:
    SearchIndexState.objects.all().delete()
    SearchDocument.objects.all().delete()
    search.reset_process_cache()

    assert _find("skck") == ["skck"]


# --- The database's full-text index -------------------------------------------------------------


def test_the_full_text_index_follows_the_documents(catalog: dict[str, Service]) -> None:
    search_services("akta")
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT rowid, terms FROM catalog_searchdocument_fts ORDER BY rowid")
            indexed = cursor.fetchall()
            assert indexed == list(SearchDocument.objects.order_by("pk").values_list("pk", "terms"))
        elif connection.vendor == "postgresql":
            cursor.execute("SELECT service_id, terms_tsvector::text FROM catalog_searchdocument ORDER BY 1")
            generated = cursor.fetchall()
            expected = [
                (pk, " ".join(f"'{term}'" for term in sorted(set(terms.split()))))
                for pk, terms in SearchDocument.objects.order_by("pk").values_list("pk", "terms")
            ]
            assert generated == expected
            cursor.execute("SET LOCAL enable_seqscan = off")
            cursor.execute(
                "EXPLAIN SELECT service_id FROM catalog_searchdocument "
                "WHERE terms_tsvector @@ 'akta'::tsquery"
            )
            plan = "\n".join(row[0] for row in cursor.fetchall())
            assert "catalog_searchdocument_terms_gin" in plan
        else:  # pragma: no cover
            pytest.skip("no full-text index on this database")


# --- Bad input ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "query",
    [
        "",
        "   ",
        "!!!???",
        "' OR 1=1 --",
        '"',
        "NEAR(akta",
        "*",
        "akta*",
        "\x00",
        "🙂🙂",
        "و ي ن",
        "yang dan di untuk",
        "xqzjvw",
        "akta AND NOT kelahiran",
        "a | b & !c",
    ],
)
def test_junk_queries_never_fail(catalog: dict[str, Service], query: str) -> None:
    search_services(query)  # no exception; most give nothing


@pytest.mark.parametrize(
    "query", ["", "   ", "!!!???", "\x00", "🙂", "yang dan di untuk", "xqzjvw", "' OR 1=1 --"]
)
def test_empty_and_junk_queries_find_nothing(catalog: dict[str, Service], query: str) -> None:
    assert search_services(query) == []


def test_query_words_that_are_operators_in_full_text_syntax_are_plain_words(
    catalog: dict[str, Service],
) -> None:
    unit = ServiceUnitFactory()
    _service(unit, "operator", "Layanan Near Not", "Kata near dan not.")
    invalidate_search_index()

    assert _find("near not") == ["operator"]
    assert _find("NOT") == ["operator"]


def test_a_very_long_query_does_bounded_work(catalog: dict[str, Service]) -> None:
    long_query = " ".join(["akta kelahiran anak kartu keluarga surat keterangan sim bangunan"] * 5_000)
    search_services("akta")  # warm

    started = time.perf_counter()
    found = search_services(long_query)
    elapsed = time.perf_counter() - started

    assert found
    assert len(search_terms(long_query)) <= search.MAX_QUERY_TERMS
    assert elapsed < 2.0  # a few milliseconds in practice; generous for a loaded CI machine


def test_many_distinct_unknown_words_are_bounded_too(catalog: dict[str, Service]) -> None:
    query = " ".join(f"kata{n}salah" for n in range(10_000))
    search_services("akta")

    started = time.perf_counter()
    assert search_services(query) == []
    assert time.perf_counter() - started < 2.0

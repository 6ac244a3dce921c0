"""The public catalog API: /api/v1/agencies, /api/v1/services, /api/v1/services/{slug}, OpenAPI."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.test import Client
from pytest_django import DjangoAssertNumQueries

from layanan.accounts.models import ServiceUnit
from layanan.accounts.tests.factories import AgencyFactory, ServiceUnitFactory, region
from layanan.catalog.models import Service
from layanan.catalog.search import reset_process_cache, sync_search_index
from layanan.catalog.tests.factories import (
    COMPLETE_PUBLISHED,
    ServiceFactory,
    ServicePromiseFactory,
    service_with_adopted_standard,
    tag_service,
)

API = "/api/v1"


@pytest.fixture
def unit(db: None) -> ServiceUnit:
    return ServiceUnitFactory(
        agency__slug="disdukcapil",
        agency__name="Dinas Kependudukan dan Pencatatan Sipil",
        agency__short_name="Disdukcapil",
        slug="pencatatan-sipil",
        name="Loket Pencatatan Sipil",
        region=region("33.02", "Kabupaten Banyumas"),
    )


@pytest.fixture
def birth(unit: ServiceUnit) -> Service:
    service = service_with_adopted_standard(
        unit=unit,
        slug="akta-kelahiran",
        name="Penerbitan Akta Kelahiran",
        summary="Pencatatan kelahiran dan penerbitan kutipan akta kelahiran.",
    )
    return tag_service(service, "kelahiran")


def get(client: Client, path: str, **params: Any) -> Any:
    return client.get(f"{API}{path}", params)


# --- /agencies ------------------------------------------------------------------------------------


def test_agencies_lists_active_agencies_with_their_active_units(
    client: Client, unit: ServiceUnit, django_assert_num_queries: DjangoAssertNumQueries
) -> None:
    ServiceUnitFactory(agency=unit.agency, slug="tutup", name="Loket Tutup", is_active=False)
    AgencyFactory(slug="dinas-lama", is_active=False)
    other = ServiceUnitFactory(agency__slug="dpmptsp", agency__name="DPMPTSP", slug="perizinan")

    with django_assert_num_queries(2):
        response = get(client, "/agencies")

    assert response.status_code == 200
    body = response.json()
    assert [agency["slug"] for agency in body] == ["dpmptsp", "disdukcapil"]  # by name
    disdukcapil = body[1]
    assert disdukcapil == {
        "slug": "disdukcapil",
        "name": "Dinas Kependudukan dan Pencatatan Sipil",
        "short_name": "Disdukcapil",
        "kind": "regional",
        "region": {"code": unit.agency.region_id, "name": unit.agency.region.name},
        "website": "",
        "units": [
            {
                "slug": "pencatatan-sipil",
                "name": "Loket Pencatatan Sipil",
                "address": "",
                "opens_at": "08:00:00",
                "closes_at": "16:00:00",
                "cutoff_at": "15:00:00",
                "works_saturday": False,
            }
        ],
    }
    assert [item["slug"] for item in body[0]["units"]] == [other.slug]


# --- /services ------------------------------------------------------------------------------------


def test_services_lists_published_services_with_pagination(
    client: Client, unit: ServiceUnit, birth: Service
) -> None:
    ServiceFactory(unit=unit, slug="akta-kematian", name="Penerbitan Akta Kematian")
    ServiceFactory(unit=unit, slug="tersembunyi", name="Belum Terbit", is_active=False)
    ServiceFactory(unit__is_active=False, slug="unit-tutup")
    ServiceFactory(unit__agency__is_active=False, slug="instansi-tutup")

    response = get(client, "/services", limit=1)

    assert response.status_code == 200
    body = response.json()
    assert (body["count"], body["limit"], body["offset"]) == (2, 1, 0)
    assert body["items"] == [
        {
            "slug": "akta-kelahiran",
            "name": "Penerbitan Akta Kelahiran",
            "summary": "Pencatatan kelahiran dan penerbitan kutipan akta kelahiran.",
            "channel": "both",
            "agency": {
                "slug": "disdukcapil",
                "name": "Dinas Kependudukan dan Pencatatan Sipil",
                "short_name": "Disdukcapil",
            },
            "unit": {"slug": "pencatatan-sipil", "name": "Loket Pencatatan Sipil"},
            "life_events": ["kelahiran"],
            "has_adopted_standard": True,
            "url": "http://testserver/layanan/akta-kelahiran/",
        }
    ]
    second = get(client, "/services", limit=1, offset=1).json()
    assert [item["slug"] for item in second["items"]] == ["akta-kematian"]
    assert second["items"][0]["has_adopted_standard"] is False
    assert get(client, "/services", offset=5).json() == {"count": 2, "limit": 20, "offset": 5, "items": []}


def test_services_are_filtered_by_agency_and_life_event(
    client: Client, unit: ServiceUnit, birth: Service
) -> None:
    tag_service(ServiceFactory(unit=unit, slug="akta-kematian"), "kematian")
    tag_service(ServiceFactory(unit__agency__slug="dpmptsp", slug="izin-usaha"), "memulai-usaha")

    def slugs(**params: str) -> list[str]:
        response = get(client, "/services", **params)
        assert response.status_code == 200
        return sorted(item["slug"] for item in response.json()["items"])

    assert slugs(agency="disdukcapil") == ["akta-kelahiran", "akta-kematian"]
    assert slugs(life_event="kematian") == ["akta-kematian"]
    assert slugs(agency="disdukcapil", life_event="memulai-usaha") == []
    assert slugs(agency="dpmptsp", life_event="memulai-usaha") == ["izin-usaha"]
    assert slugs(life_event="", agency="", q="") == ["akta-kelahiran", "akta-kematian", "izin-usaha"]


def test_search_ranks_with_the_catalog_search(client: Client, unit: ServiceUnit, birth: Service) -> None:
    ServiceFactory(unit=unit, slug="akta-kematian", name="Penerbitan Akta Kematian", summary="Kematian.")
    ServiceFactory(unit=unit, slug="ktp-el", name="Perekaman KTP Elektronik", summary="KTP-el.")
    sync_search_index(full=True)
    reset_process_cache()

    body = get(client, "/services", q="bikin akte lahir anak").json()

    assert body["items"][0]["slug"] == "akta-kelahiran"
    assert body["count"] == len(body["items"])


def test_search_passes_filters_and_pages_the_ranked_results(
    client: Client, unit: ServiceUnit, birth: Service, monkeypatch: pytest.MonkeyPatch
) -> None:
    others = [ServiceFactory(unit=unit, slug=f"lain-{number}") for number in range(3)]
    ranked = [others[2].pk, birth.pk, others[0].pk, others[1].pk]
    calls: list[dict[str, Any]] = []

    def search(query: str, **options: Any) -> list[int]:
        calls.append({"query": query, **options})
        return ranked

    monkeypatch.setattr("layanan.catalog.api.search_services", search)

    body = get(
        client, "/services", q="  akta  ", agency="disdukcapil", life_event="kelahiran", limit=2, offset=1
    ).json()

    assert calls == [{"query": "akta", "agency": "disdukcapil", "life_event": "kelahiran", "limit": 500}]
    assert body["count"] == 4
    assert [item["slug"] for item in body["items"]] == ["akta-kelahiran", "lain-0"]


@pytest.mark.parametrize(
    ("params", "field", "fragment"),
    [
        ({"limit": "0"}, "limit", "greater than or equal to 1"),
        ({"limit": "101"}, "limit", "less than or equal to 100"),
        ({"limit": "banyak"}, "limit", "valid integer"),
        ({"offset": "-1"}, "offset", "greater than or equal to 0"),
        ({"life_event": "liburan"}, "life_event", "'kelahiran'"),
        ({"q": "x" * 201}, "q", "at most 200 characters"),
        ({"agency": "tidak-ada"}, "agency", "No active agency has the slug 'tidak-ada'."),
    ],
)
def test_bad_parameters_are_422_with_a_clear_message(
    client: Client, birth: Service, params: dict[str, str], field: str, fragment: str
) -> None:
    response = get(client, "/services", **params)

    assert response.status_code == 422
    (error,) = response.json()["detail"]
    assert error["loc"] == ["query", field]
    assert fragment in error["msg"]


def test_an_inactive_agency_is_an_unknown_filter(client: Client, birth: Service) -> None:
    AgencyFactory(slug="dinas-lama", is_active=False)
    assert get(client, "/services", agency="dinas-lama").status_code == 422


def test_services_list_needs_the_same_queries_for_more_rows(
    client: Client, unit: ServiceUnit, birth: Service, django_assert_num_queries: DjangoAssertNumQueries
) -> None:
    # count, page, life events
    with django_assert_num_queries(3):
        assert len(get(client, "/services").json()["items"]) == 1
    for number in range(6):
        tag_service(service_with_adopted_standard(unit=unit, slug=f"lain-{number}"), "kelahiran", "kesehatan")
        ServiceFactory(slug=f"instansi-lain-{number}")

    with django_assert_num_queries(3):
        assert len(get(client, "/services").json()["items"]) == 13
    # + the agency check
    with django_assert_num_queries(4):
        assert len(get(client, "/services", agency="disdukcapil").json()["items"]) == 7


def test_search_results_need_the_same_queries_for_more_rows(
    client: Client,
    unit: ServiceUnit,
    birth: Service,
    monkeypatch: pytest.MonkeyPatch,
    django_assert_num_queries: DjangoAssertNumQueries,
) -> None:
    services = [birth, *(service_with_adopted_standard(unit=unit, slug=f"lain-{n}") for n in range(6))]
    monkeypatch.setattr(
        "layanan.catalog.api.search_services", lambda query, **options: [s.pk for s in services]
    )

    # the page, its life events
    with django_assert_num_queries(2):
        assert len(get(client, "/services", q="akta", limit=1).json()["items"]) == 1
    with django_assert_num_queries(2):
        assert len(get(client, "/services", q="akta").json()["items"]) == 7


# --- /services/{slug} -----------------------------------------------------------------------------


def test_service_detail_has_the_adopted_standard_with_the_published_components_only(
    client: Client, unit: ServiceUnit, birth: Service, django_assert_num_queries: DjangoAssertNumQueries
) -> None:
    ServicePromiseFactory(unit=unit, signed_on=datetime.date(2025, 1, 2), text="Janji lama.")
    ServicePromiseFactory(unit=unit, signed_on=datetime.date(2026, 1, 2), text="Kami sanggup melayani.")
    standard = birth.adopted_standard
    assert standard is not None

    # the service with unit, agency, region and standard; its life events; the promise
    with django_assert_num_queries(3):
        response = get(client, "/services/akta-kelahiran")

    assert response.status_code == 200
    body = response.json()
    assert body["slug"] == "akta-kelahiran"
    assert body["life_events"] == ["kelahiran"]
    assert body["agency"]["slug"] == "disdukcapil"
    assert body["unit"]["region"] == {"code": "33.02", "name": "Kabupaten Banyumas"}
    assert body["unit"]["service_promise"] == {
        "text": "Kami sanggup melayani.",
        "signatory_name": "Drs. Bambang Sutrisno, M.Si.",
        "signatory_title": "Kepala Dinas",
        "signed_on": "2026-01-02",
    }
    assert body["url"] == "http://testserver/layanan/akta-kelahiran/"
    published = body["standard"]
    assert set(published) == {
        "version",
        "decree_number",
        "decree_date",
        "adopted_at",
        "requirements",
        "procedure",
        "completion_time",
        "fee",
        "products",
        "complaint_channels",
    }
    assert (published["version"], published["decree_number"], published["decree_date"]) == (
        1,
        standard.decree_number,
        "2026-01-15",
    )
    assert published["adopted_at"] is not None
    for key in ("requirements", "procedure", "completion_time", "fee", "products", "complaint_channels"):
        assert published[key] == COMPLETE_PUBLISHED[key]
    assert "staff_count" not in response.content.decode()


def test_service_without_adopted_standard_has_none(client: Client, unit: ServiceUnit) -> None:
    ServiceFactory(unit=unit, slug="baru")

    body = get(client, "/services/baru").json()

    assert body["standard"] is None
    assert body["unit"]["service_promise"] is None


@pytest.mark.parametrize("slug", ["tidak-ada", "tersembunyi", "unit-tutup", "Akta Kelahiran"])
def test_unknown_or_unpublished_service_is_a_json_404(client: Client, birth: Service, slug: str) -> None:
    ServiceFactory(slug="tersembunyi", is_active=False)
    ServiceFactory(slug="unit-tutup", unit__is_active=False)

    response = get(client, f"/services/{slug}")

    assert response.status_code == 404
    assert response["Content-Type"].startswith("application/json")
    assert response.json() == {"detail": f"No published service has the slug {slug!r}."}


# --- OpenAPI --------------------------------------------------------------------------------------


def test_openapi_document_describes_the_catalog_endpoints(client: Client) -> None:
    response = client.get(f"{API}/openapi.json")

    assert response.status_code == 200
    document = response.json()
    paths = document["paths"]
    assert {"/api/v1/agencies", "/api/v1/services", "/api/v1/services/{slug}"} <= set(paths)
    schemas = document["components"]["schemas"]

    def schema_of(operation: dict[str, Any], status: str) -> dict[str, Any]:
        reference = operation["responses"][status]["content"]["application/json"]["schema"]
        if "items" in reference:
            reference = reference["items"]
        schema: dict[str, Any] = schemas[reference["$ref"].rsplit("/", 1)[-1]]
        return schema

    agencies = paths["/api/v1/agencies"]["get"]
    assert set(schema_of(agencies, "200")["properties"]) >= {"slug", "name", "kind", "region", "units"}

    services = paths["/api/v1/services"]["get"]
    parameters = {parameter["name"]: parameter for parameter in services["parameters"]}
    assert set(parameters) == {"q", "agency", "life_event", "limit", "offset"}
    assert all(parameter["in"] == "query" for parameter in parameters.values())
    assert parameters["limit"]["schema"]["maximum"] == 100
    assert set(schema_of(services, "200")["properties"]) == {"count", "limit", "offset", "items"}
    assert "422" in services["responses"]

    detail = paths["/api/v1/services/{slug}"]["get"]
    assert [(parameter["name"], parameter["in"]) for parameter in detail["parameters"]] == [("slug", "path")]
    assert "standard" in schema_of(detail, "200")["properties"]
    assert set(schemas["StandardOut"]["properties"]) >= {
        "decree_number",
        "decree_date",
        "adopted_at",
        "requirements",
        "procedure",
        "completion_time",
        "fee",
        "products",
        "complaint_channels",
    }
    assert schema_of(detail, "404")["properties"]["detail"]["type"] == "string"

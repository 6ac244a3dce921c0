from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from layanan.accounts.models import ServiceUnit
from layanan.accounts.tests.factories import ServiceUnitFactory
from layanan.catalog.models import Service
from layanan.catalog.tests.factories import ServiceFactory, tag_service

pytestmark = pytest.mark.django_db

PP_76 = "PP 76/2020 tentang Jenis dan Tarif atas Jenis PNBP yang Berlaku pada Kepolisian Negara RI."


@pytest.fixture
def birth_certificate(unit_a: ServiceUnit) -> Service:
    service = ServiceFactory(
        unit=unit_a, slug="akta-kelahiran", name="Akta Kelahiran", summary="Pencatatan kelahiran anak."
    )
    return tag_service(service, Service.LifeEvent.BIRTH)


@pytest.fixture
def police_record(unit_b: ServiceUnit) -> Service:
    service = ServiceFactory(
        unit=unit_b,
        slug="skck",
        name="Surat Keterangan Catatan Kepolisian",
        fee_is_free=False,
        fee_note="PNBP penerbitan SKCK Rp30.000 per lembar.",
        fee_legal_basis=PP_76,
        completion_time_value=2,
        channel=Service.Channel.COUNTER,
    )
    return tag_service(service, Service.LifeEvent.WORK)


def _english(client: Client) -> Client:
    client.cookies["layanan_language"] = "en"
    return client


def test_list_groups_active_services_by_agency(
    client: Client, birth_certificate: Service, police_record: Service
) -> None:
    response = client.get("/layanan/")

    assert response.status_code == 200
    body = response.content.decode()
    assert "<h1>Cari layanan</h1>" in body
    disdukcapil = body.index("Dinas Kependudukan dan Pencatatan Sipil")
    dpmptsp = body.index("Dinas Penanaman Modal dan PTSP")
    assert (
        disdukcapil
        < body.index("Akta Kelahiran")
        < dpmptsp
        < body.index("Surat Keterangan Catatan Kepolisian")
    )
    assert 'href="/layanan/akta-kelahiran/"' in body
    assert "Tidak dipungut biaya" in body
    assert "Dikenakan biaya" in body


def test_list_hides_unpublished_services_and_inactive_units_and_agencies(
    client: Client, birth_certificate: Service
) -> None:
    ServiceFactory(name="Layanan Ditarik", is_active=False)
    ServiceFactory(name="Layanan Unit Tutup", unit=ServiceUnitFactory(is_active=False))
    ServiceFactory(name="Layanan Instansi Nonaktif", unit=ServiceUnitFactory(agency__is_active=False))

    body = client.get("/layanan/").content.decode()

    assert "Akta Kelahiran" in body
    for hidden in ("Layanan Ditarik", "Layanan Unit Tutup", "Layanan Instansi Nonaktif"):
        assert hidden not in body


def test_list_filters_by_life_event(
    client: Client, birth_certificate: Service, police_record: Service
) -> None:
    response = client.get("/layanan/", {"peristiwa": "pekerjaan"})

    body = response.content.decode()
    assert "Surat Keterangan Catatan Kepolisian" in body
    assert "Akta Kelahiran" not in body
    assert "untuk peristiwa “Pekerjaan”" in body
    assert '<option value="pekerjaan" selected>' in body


def test_list_with_life_event_without_services_says_so(client: Client, birth_certificate: Service) -> None:
    body = client.get("/layanan/", {"peristiwa": "kematian"}).content.decode()

    assert "Akta Kelahiran" not in body
    assert "Belum ada layanan untuk peristiwa ini." in body


def test_list_with_unknown_life_event_shows_error_and_every_service(
    client: Client, birth_certificate: Service
) -> None:
    response = client.get("/layanan/", {"peristiwa": "ulang-tahun"})

    assert response.status_code == 200
    body = response.content.decode()
    assert "Pilih peristiwa kehidupan dari daftar." in body
    assert "Akta Kelahiran" in body


def test_list_in_english(client: Client, birth_certificate: Service) -> None:
    body = _english(client).get("/layanan/", {"peristiwa": "kelahiran"}).content.decode()

    assert "<h1>Find a service</h1>" in body
    assert "1 service for the life event “Birth”." in body
    assert "Free of charge" in body
    assert "1 working day" in body


def test_list_query_count_does_not_grow_with_services(
    client: Client, django_assert_num_queries: Any, birth_certificate: Service, police_record: Service
) -> None:
    with CaptureQueriesContext(connection) as baseline:
        client.get("/layanan/")
    for _ in range(6):
        tag_service(ServiceFactory(), Service.LifeEvent.BIRTH, Service.LifeEvent.HEALTH)

    with django_assert_num_queries(len(baseline.captured_queries)):
        response = client.get("/layanan/")

    assert response.content.decode().count('class="card"') == 8


def test_filtered_list_query_count_does_not_grow_with_services(
    client: Client, django_assert_num_queries: Any, birth_certificate: Service
) -> None:
    with CaptureQueriesContext(connection) as baseline:
        client.get("/layanan/", {"peristiwa": "kelahiran"})
    for _ in range(6):
        tag_service(ServiceFactory(), Service.LifeEvent.BIRTH)

    with django_assert_num_queries(len(baseline.captured_queries)):
        client.get("/layanan/", {"peristiwa": "kelahiran"})


def test_detail_of_free_service(client: Client, birth_certificate: Service) -> None:
    response = client.get("/layanan/akta-kelahiran/")

    assert response.status_code == 200
    body = response.content.decode()
    assert "<h1>Akta Kelahiran</h1>" in body
    assert "Pencatatan kelahiran anak." in body
    assert '<p class="panel panel-confirm"><strong>Tidak dipungut biaya</strong></p>' in body
    assert "Dinas Kependudukan dan Pencatatan Sipil" in body
    assert birth_certificate.unit.name in body
    assert "1 hari kerja" in body
    assert "Daring dan di loket" in body
    assert 'href="/layanan/?peristiwa=kelahiran">Kelahiran</a>' in body


def test_detail_of_paid_service_shows_fee_and_legal_basis(client: Client, police_record: Service) -> None:
    body = client.get("/layanan/skck/").content.decode()

    assert "panel-confirm" not in body
    assert "PNBP penerbitan SKCK Rp30.000 per lembar." in body
    assert f"Dasar hukum: {PP_76}" in body
    assert "2 hari kerja" in body
    assert "Di loket" in body


def test_detail_in_english(client: Client, birth_certificate: Service) -> None:
    body = _english(client).get("/layanan/akta-kelahiran/").content.decode()

    assert "Free of charge" in body
    assert "1 working day" in body
    assert "Online and at the counter" in body


@pytest.mark.parametrize(
    "hidden",
    [{"is_active": False}, {"unit__is_active": False}, {"unit__agency__is_active": False}],
    ids=["unpublished", "inactive-unit", "inactive-agency"],
)
def test_detail_of_hidden_service_is_404(client: Client, hidden: dict[str, bool]) -> None:
    ServiceFactory(slug="ditarik", **hidden)

    assert client.get("/layanan/ditarik/").status_code == 404


def test_detail_of_unknown_service_is_404(client: Client) -> None:
    assert client.get("/layanan/tidak-ada/").status_code == 404


def test_catalog_pages_accept_only_get(client: Client, birth_certificate: Service) -> None:
    assert client.post("/layanan/").status_code == 405
    assert client.post("/layanan/akta-kelahiran/").status_code == 405


@pytest.mark.parametrize("persona_client", ["citizen_client", "officer_client", "admin_client_verified"])
def test_signed_in_people_see_the_same_catalog(
    persona_client: str, request: Any, birth_certificate: Service
) -> None:
    client = request.getfixturevalue(persona_client)

    assert client.get("/layanan/").status_code == 200
    assert client.get("/layanan/akta-kelahiran/").status_code == 200

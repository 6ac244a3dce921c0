"""The public agency directory: content and a constant number of queries."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from layanan.accounts.tests.factories import AgencyFactory, ServiceUnitFactory

pytestmark = pytest.mark.django_db


def test_agency_list_shows_active_agencies_only(client: Client) -> None:
    AgencyFactory(name="Dinas Aktif")
    AgencyFactory(name="Dinas Lama", is_active=False)

    page = client.get("/instansi/").content.decode()

    assert "Dinas Aktif" in page
    assert "Dinas Lama" not in page


def test_agency_list_queries_do_not_grow_with_agencies(
    client: Client, django_assert_num_queries: Any
) -> None:
    ServiceUnitFactory.create_batch(2)
    with django_assert_num_queries(2):
        client.get("/instansi/")

    ServiceUnitFactory.create_batch(8)
    with django_assert_num_queries(2):
        response = client.get("/instansi/")

    assert response.status_code == 200


def test_agency_detail_shows_active_units_in_two_queries(
    client: Client, django_assert_num_queries: Any
) -> None:
    unit = ServiceUnitFactory(name="Loket KTP")
    ServiceUnitFactory(agency=unit.agency, name="Loket Tutup", is_active=False)
    ServiceUnitFactory.create_batch(3, agency=unit.agency)

    with django_assert_num_queries(2):
        response = client.get(f"/instansi/{unit.agency.slug}/")

    page = response.content.decode()
    assert "Loket KTP" in page
    assert "Loket Tutup" not in page

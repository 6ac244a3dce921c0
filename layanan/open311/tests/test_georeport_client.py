"""Conformance of the read side with the ``georeport`` PyPI client (an independent Open311 client
built on ``requests`` and ``xmltodict``), over real HTTP against the live test server, in JSON and
in XML.

``serialized_rollback`` keeps the complaint categories that a data migration seeds: a live-server
test empties the database afterwards.
"""

from __future__ import annotations

from typing import Any

import pytest
from georeport import GeoReport

from layanan.accounts.models import ServiceUnit, User
from layanan.open311.tests.factories import public_report

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)
FORMATS = ["json", "xml"]


def _as_list(value: Any) -> list[Any]:
    """xmltodict turns a one-element container into a dict (a known trait of XML clients)."""
    return value if isinstance(value, list) else [value]


@pytest.fixture
def georeport_for(live_server: Any) -> Any:
    def make(output_format: str) -> GeoReport:
        return GeoReport(root_address=f"{live_server.url}/open311/v2/", output_format=output_format)

    return make


@pytest.mark.parametrize("output_format", FORMATS)
def test_client_lists_services_and_reads_a_definition(georeport_for: Any, output_format: str) -> None:
    client = georeport_for(output_format)

    services = client.get_service_list()
    definition = client.get_service_definition("infrastruktur")

    codes = [service["service_code"] for service in services]
    assert "infrastruktur" in codes
    assert "pungli" not in codes
    assert definition["service_code"] == "infrastruktur"
    attributes = definition["attributes"]
    if output_format == "xml":
        attributes = _as_list(attributes["attribute"])
    assert [attribute["code"] for attribute in attributes] == ["fasilitas", "tingkat"]


@pytest.mark.parametrize("output_format", FORMATS)
def test_client_lists_and_reads_requests(
    georeport_for: Any, coordinator: User, unit_a: ServiceUnit, output_format: str
) -> None:
    first = public_report(coordinator=coordinator, unit=unit_a)
    second = public_report(
        coordinator=coordinator, unit=unit_a, category_slug="infrastruktur", attributes={"fasilitas": "jalan"}
    )
    client = georeport_for(output_format)

    everything = _as_list(client.get_service_requests())
    by_code = _as_list(client.get_service_requests(service_code="infrastruktur"))
    by_ids = _as_list(client.get_service_requests(service_request_id=f"{first.reference},{second.reference}"))
    open_ones = _as_list(client.get_service_requests(status="open"))
    one = client.get_service_request(first.reference)

    assert [r["service_request_id"] for r in everything] == [second.reference, first.reference]
    assert [r["service_request_id"] for r in by_code] == [second.reference]
    assert {r["service_request_id"] for r in by_ids} == {first.reference, second.reference}
    assert len(open_ones) == 2
    assert one["service_request_id"] == first.reference
    assert one["status"] == "open"
    assert one["agency_responsible"] == unit_a.agency.name


@pytest.mark.parametrize("output_format", FORMATS)
def test_client_sees_errors_as_http_errors(georeport_for: Any, output_format: str) -> None:
    import requests

    client = georeport_for(output_format)

    with pytest.raises(requests.HTTPError) as unknown_service:
        client.get_service_definition("tidak-ada")
    with pytest.raises(requests.HTTPError) as unknown_request:
        client.get_service_request("ADU-2026-999999-1")

    assert unknown_service.value.response is not None
    assert unknown_request.value.response is not None
    assert unknown_service.value.response.status_code == 404
    assert unknown_request.value.response.status_code == 404

"""The read side of the Open311 endpoint: discovery, services, definitions, requests, tokens.

Every JSON response is validated against the schemas in ``layanan/open311/schemas/``; every XML
response is parsed and its structure checked.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from layanan.accounts.models import ServiceUnit, User
from layanan.complaints.actions import transition_complaint
from layanan.complaints.models import ComplaintCategory
from layanan.complaints.tests.factories import report
from layanan.open311.tests.conformance import error_codes, json_body, xml_errors, xml_root
from layanan.open311.tests.factories import public_report

pytestmark = pytest.mark.django_db
BASE = "/open311/v2"


def get(path: str, **query: Any) -> Any:
    return Client().get(f"{BASE}/{path}", query)


# --- Discovery --------------------------------------------------------------------------------


def test_discovery_announces_the_endpoint_in_both_formats() -> None:
    data = json_body(get("discovery.json"), "discovery")
    root = xml_root(get("discovery.xml"), "discovery")

    endpoint = data["endpoints"][0]
    assert endpoint["url"].endswith("/open311/v2/")
    assert set(endpoint["formats"]) == {"text/xml", "application/json"}
    assert [e.tag for e in root] == ["changeset", "contact", "key_service", "endpoints"]
    xml_endpoint = root.find("endpoints/endpoint")
    assert xml_endpoint is not None
    assert [f.text for f in xml_endpoint.findall("formats/format")] == ["text/xml", "application/json"]
    assert xml_endpoint.findtext("specification") == "http://wiki.open311.org/GeoReport_v2"


def test_the_endpoint_root_answers_with_and_without_the_trailing_slash() -> None:
    assert Client().get(f"{BASE}/").status_code == 200
    assert Client().get(BASE).status_code == 301


# --- Services ---------------------------------------------------------------------------------


def test_services_are_the_active_categories_without_the_protected_channel() -> None:
    ComplaintCategory.objects.filter(slug="lainnya").update(is_active=False)

    data = json_body(get("services.json"), "services")
    root = xml_root(get("services.xml"), "services", "service")

    codes = [service["service_code"] for service in data]
    assert "infrastruktur" in codes
    assert "pungli" not in codes
    assert "lainnya" not in codes
    assert [s.findtext("service_code") for s in root] == codes
    infrastructure = next(s for s in data if s["service_code"] == "infrastruktur")
    assert infrastructure["metadata"] is True
    assert infrastructure["type"] == "realtime"
    assert next(s for s in data if s["service_code"] == "kesehatan")["metadata"] is False


def test_service_names_follow_the_request_language() -> None:
    indonesian = json_body(get("services.json"), "services")
    english = json_body(Client().get(f"{BASE}/services.json", headers={"accept-language": "en"}), "services")

    assert indonesian[0]["service_name"] == "Infrastruktur, Jalan dan Jembatan"
    assert english[0]["service_name"] == "Roads, bridges and infrastructure"


def test_service_definition_lists_the_category_attributes() -> None:
    data = json_body(get("services/infrastruktur.json"), "service_definition")
    root = xml_root(get("services/infrastruktur.xml"), "service_definition")

    assert data["service_code"] == "infrastruktur"
    facility = data["attributes"][0]
    assert (facility["code"], facility["datatype"], facility["required"]) == (
        "fasilitas",
        "singlevaluelist",
        True,
    )
    assert {v["key"] for v in facility["values"]} >= {"jalan", "jembatan"}
    attributes = root.findall("attributes/attribute")
    assert [a.findtext("code") for a in attributes] == ["fasilitas", "tingkat"]
    assert attributes[0].findtext("required") == "true"
    assert [v.findtext("key") for v in attributes[0].findall("values/value")][:2] == ["jalan", "jembatan"]


def test_service_without_attributes_has_an_empty_definition() -> None:
    data = json_body(get("services/kesehatan.json"), "service_definition")

    assert data == {"service_code": "kesehatan", "attributes": []}


@pytest.mark.parametrize("code", ["tidak-ada", "pungli"])
def test_unknown_or_protected_service_is_404_in_the_error_format(code: str) -> None:
    response_json = get(f"services/{code}.json")
    response_xml = get(f"services/{code}.xml")

    assert response_json.status_code == response_xml.status_code == 404
    assert error_codes(response_json) == [404]
    assert [code for code, _text in xml_errors(response_xml)] == ["404"]


def test_unknown_jurisdiction_is_404() -> None:
    response = get("services.json", jurisdiction_id="99.99")

    assert response.status_code == 404
    assert error_codes(response) == [404]


# --- Requests ---------------------------------------------------------------------------------


@pytest.fixture
def reports(coordinator: User, inspector: User, unit_a: ServiceUnit) -> dict[str, Any]:
    """A public report, and reports the public may not see: confidential, unverified, pungli."""
    public = public_report(coordinator=coordinator, unit=unit_a, latitude=-6.98, longitude=110.41)
    confidential = public_report(coordinator=coordinator, unit=unit_a, is_confidential=True)
    unverified = report().complaint
    protected = report(kind="pungli", category_slug="pungli").complaint
    transition_complaint(protected, "start_verification", actor=inspector)
    return {"public": public, "hidden": [confidential, unverified, protected]}


def test_requests_list_only_public_reports(reports: dict[str, Any]) -> None:
    data = json_body(get("requests.json"), "requests")
    root = xml_root(get("requests.xml"), "service_requests", "request")

    assert [r["service_request_id"] for r in data] == [reports["public"].reference]
    assert [r.findtext("service_request_id") for r in root] == [reports["public"].reference]
    entry = data[0]
    assert entry["status"] == "open"
    assert entry["service_code"] == "lingkungan"
    assert entry["agency_responsible"] == "Dinas Kependudukan dan Pencatatan Sipil"
    assert entry["address_id"] == "33.74.01"
    assert entry["address"].startswith("Kecamatan Semarang Tengah, Kota Semarang")
    assert (entry["lat"], entry["long"]) == (-6.98, 110.41)
    assert entry["expected_datetime"].endswith("+07:00")
    assert entry["requested_datetime"].endswith("+07:00")


def test_xml_request_has_every_field_in_the_spec_order(reports: dict[str, Any]) -> None:
    root = xml_root(get("requests.xml"), "service_requests", "request")

    assert [e.tag for e in root[0]] == [
        "service_request_id", "status", "status_notes", "service_name", "service_code", "description",
        "agency_responsible", "service_notice", "requested_datetime", "updated_datetime",
        "expected_datetime", "address", "address_id", "zipcode", "lat", "long", "media_url",
    ]  # fmt: skip
    assert root[0].findtext("media_url") == ""


def test_one_request_is_a_list_of_one(reports: dict[str, Any]) -> None:
    reference = reports["public"].reference

    data = json_body(get(f"requests/{reference}.json"), "requests")
    root = xml_root(get(f"requests/{reference}.xml"), "service_requests", "request")

    assert [r["service_request_id"] for r in data] == [reference]
    assert len(root) == 1


def test_hidden_reports_are_404_one_by_one(reports: dict[str, Any]) -> None:
    for complaint in reports["hidden"]:
        response = get(f"requests/{complaint.reference}.json")
        xml = get(f"requests/{complaint.reference}.xml")

        assert response.status_code == xml.status_code == 404
        assert error_codes(response) == [404]
        assert complaint.title.encode() not in response.content + xml.content


def test_asking_for_hidden_reports_by_id_finds_only_public_ones(reports: dict[str, Any]) -> None:
    ids = ",".join([reports["public"].reference, *(c.reference for c in reports["hidden"])])

    data = json_body(get("requests.json", service_request_id=ids), "requests")

    assert [r["service_request_id"] for r in data] == [reports["public"].reference]


def test_service_request_id_overrides_the_other_filters(reports: dict[str, Any]) -> None:
    data = json_body(
        get("requests.json", service_request_id=reports["public"].reference, status="closed"), "requests"
    )

    assert len(data) == 1


def test_filters_by_service_code_and_status(reports: dict[str, Any]) -> None:
    assert json_body(get("requests.json", service_code="lingkungan,kesehatan"), "requests") != []
    assert json_body(get("requests.json", service_code="kesehatan"), "requests") == []
    assert json_body(get("requests.json", status="open"), "requests") != []
    assert json_body(get("requests.json", status="closed"), "requests") == []
    assert json_body(get("requests.json", status="open,closed"), "requests") != []


def test_filters_by_jurisdiction(reports: dict[str, Any]) -> None:
    from layanan.accounts.tests.factories import region

    region("33.02", name="Kabupaten Banyumas")

    assert json_body(get("requests.json", jurisdiction_id="33.74"), "requests") != []
    assert json_body(get("requests.json", jurisdiction_id="33.02"), "requests") == []
    assert get(f"requests/{reports['public'].reference}.json", jurisdiction_id="33.02").status_code == 404


def test_filters_by_date_range(reports: dict[str, Any]) -> None:
    now = timezone.now()
    before = (now - timedelta(days=10)).isoformat()
    after = (now + timedelta(days=1)).isoformat()
    earlier = (now - timedelta(days=20)).isoformat()

    assert json_body(get("requests.json", start_date=before, end_date=after), "requests") != []
    assert json_body(get("requests.json", start_date=earlier, end_date=before), "requests") == []
    assert json_body(get("requests.json", start_date=after), "requests") == []


def test_default_window_is_the_last_90_days(coordinator: User, unit_a: ServiceUnit) -> None:
    old = timezone.now() - timedelta(days=120)
    public_report(coordinator=coordinator, unit=unit_a, now=old, dispose_now=old)
    recent = public_report(coordinator=coordinator, unit=unit_a)

    data = json_body(get("requests.json"), "requests")
    in_window = json_body(
        get(
            "requests.json",
            start_date=(old - timedelta(days=1)).isoformat(),
            end_date=(old + timedelta(days=1)).isoformat(),
        ),
        "requests",
    )

    assert [r["service_request_id"] for r in data] == [recent.reference]
    assert len(in_window) == 1


def test_page_size_extension(coordinator: User, unit_a: ServiceUnit) -> None:
    first = public_report(coordinator=coordinator, unit=unit_a)
    second = public_report(coordinator=coordinator, unit=unit_a)

    page_1 = json_body(get("requests.json", page_size="1"), "requests")
    page_2 = json_body(get("requests.json", page_size="1", page="2"), "requests")

    assert [r["service_request_id"] for r in page_1 + page_2] == [second.reference, first.reference]


@pytest.mark.parametrize(
    ("query", "status"),
    [
        ({"start_date": "2026-01-01T00:00:00+07:00", "end_date": "2026-06-01T00:00:00+07:00"}, 400),
        ({"start_date": "2026-03-01T00:00:00+07:00", "end_date": "2026-02-01T00:00:00+07:00"}, 400),
        ({"start_date": "2026-01-01T00:00:00"}, 400),
        ({"start_date": "kemarin"}, 400),
        ({"status": "pending"}, 400),
        ({"page_size": "5000"}, 400),
        ({"page": "0"}, 400),
        ({"service_code": "tidak-ada"}, 404),
        ({"service_code": "pungli"}, 404),
        ({"jurisdiction_id": "99"}, 404),
        ({"service_request_id": ",".join(["ADU-2026-000001-5"] * 101)}, 400),
    ],
)
def test_bad_filters_answer_in_the_error_format(query: dict[str, str], status: int) -> None:
    response = get("requests.json", **query)
    xml = get("requests.xml", **query)

    assert response.status_code == xml.status_code == status
    assert error_codes(response) == [status]
    assert xml_errors(xml)[0][0] == str(status)


def test_empty_arguments_count_as_absent(reports: dict[str, Any]) -> None:
    data = json_body(
        get("requests.json", service_code="", status="", start_date="", jurisdiction_id=""), "requests"
    )

    assert len(data) == 1


def test_unknown_request_is_404() -> None:
    response = get("requests/ADU-2026-999999-1.json")

    assert response.status_code == 404
    assert error_codes(response) == [404]


def test_list_runs_a_fixed_number_of_queries(
    coordinator: User, unit_a: ServiceUnit, django_assert_max_num_queries: Any
) -> None:
    for _n in range(5):
        public_report(coordinator=coordinator, unit=unit_a)

    with django_assert_max_num_queries(4):
        data = json_body(get("requests.json"), "requests")

    assert len(data) == 5


# --- Tokens -----------------------------------------------------------------------------------


def test_token_resolves_to_the_service_request_id(reports: dict[str, Any]) -> None:
    token = str(reports["public"].public_id)

    data = json_body(get(f"tokens/{token}.json"), "tokens")
    root = xml_root(get(f"tokens/{token}.xml"), "service_requests", "request")

    assert data == [{"service_request_id": reports["public"].reference, "token": token}]
    assert root[0].findtext("service_request_id") == reports["public"].reference


def test_unknown_token_is_404(reports: dict[str, Any]) -> None:
    protected = reports["hidden"][2]

    for token in ["nope", "00000000-0000-0000-0000-000000000000", str(protected.public_id)]:
        response = get(f"tokens/{token}.json")
        assert response.status_code == 404
        assert error_codes(response) == [404]


# --- Errors of every endpoint -----------------------------------------------------------------


@pytest.mark.parametrize(
    "path", ["discovery", "services", "services/infrastruktur", "requests/X", "tokens/X"]
)
def test_wrong_method_is_405_in_the_error_format(path: str) -> None:
    response = Client().delete(f"{BASE}/{path}.json")
    xml = Client().put(f"{BASE}/{path}.xml")

    assert response.status_code == xml.status_code == 405
    assert error_codes(response) == [405]
    assert "GET" in response["Allow"]
    assert xml_errors(xml)[0][0] == "405"


def test_unknown_resource_is_404_in_the_error_format() -> None:
    response = get("servis.json")
    xml = get("servis.xml")

    assert error_codes(response) == [404]
    assert xml_errors(xml)[0][0] == "404"


def test_answers_in_the_request_language() -> None:
    indonesian = get("services/tidak-ada.json")
    english = Client().get(f"{BASE}/services/tidak-ada.json", headers={"accept-language": "en-GB,en;q=0.8"})

    assert indonesian["Content-Language"] == "id"
    assert english["Content-Language"] == "en"
    assert "Accept-Language" in english["Vary"]
    assert json_body(english, "errors")[0]["description"] == "service_code tidak-ada was not found."


def test_read_responses_allow_other_sites() -> None:
    assert get("services.json")["Access-Control-Allow-Origin"] == "*"

"""``POST requests``: a client with its API key submits a report; every refusal is in the Open311
error format with the spec's status, and creates nothing."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from layanan.accounts.tests.factories import region
from layanan.audit.models import AuditEvent
from layanan.complaints.models import Complaint, ComplaintCategory
from layanan.complaints.tests.factories import STORY, district
from layanan.open311.actions import revoke_open311_client
from layanan.open311.models import Open311Client
from layanan.open311.tests.conformance import error_codes, json_body, xml_errors, xml_root
from layanan.open311.views import api

pytestmark = pytest.mark.django_db
URL = "/open311/v2/requests.json"


@pytest.fixture
def key() -> str:
    from layanan.open311.tests.factories import client_with_key

    district()
    return client_with_key()[1]


def form(key: str, **changes: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "api_key": key,
        "jurisdiction_id": "33.74",
        "service_code": "infrastruktur",
        "lat": "-6.9839",
        "long": "110.4094",
        "address_string": "Jl. Pemuda 10, Sekayu, Semarang Tengah, Kota Semarang",
        "address_id": "33.74.01",
        "description": STORY + "\nSudah dilaporkan ke RT tetapi belum ada tindakan.",
        "attribute[fasilitas]": "jalan",
        "attribute[tingkat]": "berat",
        "email": "warga@example.id",
        "first_name": "Rina",
        "last_name": "Wulandari",
        "phone": "0812-3456-7890",
        "account_id": "acct-77",
        "device_id": "device-1",
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def post(data: dict[str, Any], *, fmt: str = "json", **headers: str) -> Any:
    return Client(enforce_csrf_checks=True).post(f"/open311/v2/requests.{fmt}", data, headers=headers)


def test_client_submits_a_report(key: str) -> None:
    response = post(form(key))

    assert response.status_code == 200
    data = json_body(response, "post_response")
    complaint = Complaint.objects.get()
    assert data[0]["service_request_id"] == complaint.reference
    assert data[0]["account_id"] == "acct-77"
    assert "3" in data[0]["service_notice"]
    assert complaint.channel == "open311"
    assert complaint.kind == "pengaduan"
    assert complaint.category.slug == "infrastruktur"
    assert complaint.region_id == "33.74.01"
    assert complaint.title == "Jalan di depan SD Negeri 3 berlubang besar sejak dua bulan, sudah ada motor…"
    assert complaint.body.endswith("belum ada tindakan.")
    assert complaint.location_text.startswith("Jl. Pemuda 10")
    assert (str(complaint.latitude), str(complaint.longitude)) == ("-6.983900", "110.409400")
    assert complaint.attributes == {"fasilitas": "jalan", "tingkat": "berat"}
    assert complaint.reporter is None
    assert complaint.reporter_details() == {
        "name": "Rina Wulandari",
        "email": "warga@example.id",
        "phone": "+6281234567890",
        "open311_account_id": "acct-77",
    }
    assert complaint.idempotency_scope == ""
    assert Open311Client.objects.get().last_used_at is not None


def test_client_submits_in_xml(key: str) -> None:
    response = post(form(key), fmt="xml")

    root = xml_root(response, "service_requests", "request")
    assert root[0].findtext("service_request_id") == Complaint.objects.get().reference
    assert [e.tag for e in root[0]] == ["service_request_id", "service_notice", "account_id"]


def test_list_attributes_and_unknown_attributes(key: str) -> None:
    data = form(
        key, **{"attribute[fasilitas]": None, "attribute[fasilitas][]": ["jalan"], "attribute[x]": "1"}
    )

    response = post(data)

    assert response.status_code == 200
    assert Complaint.objects.get().attributes == {"fasilitas": "jalan", "tingkat": "berat"}


def test_multivaluelist_attribute(key: str) -> None:
    ComplaintCategory.objects.filter(slug="lingkungan").update(
        attributes=[
            {
                "code": "jenis",
                "datatype": "multivaluelist",
                "required": True,
                "description": "Jenis sampah",
                "values": [{"key": "organik", "name": "Organik"}, {"key": "plastik", "name": "Plastik"}],
            }
        ]
    )
    both = form(key, service_code="lingkungan", **{"attribute[jenis][]": ["organik", "plastik"]})
    one = form(
        key, service_code="lingkungan", description=STORY + " Lagi.", **{"attribute[jenis]": "plastik"}
    )
    wrong = form(
        key, service_code="lingkungan", description=STORY + " Lain.", **{"attribute[jenis][]": ["kaca"]}
    )

    assert post(both).status_code == 200
    assert post(one).status_code == 200
    assert post(wrong).status_code == 400
    assert [c.attributes for c in Complaint.objects.order_by("id")] == [
        {"jenis": ["organik", "plastik"]},
        {"jenis": ["plastik"]},
    ]


def test_location_by_address_string_alone(key: str) -> None:
    response = post(form(key, lat=None, long=None, address_id=None))

    assert response.status_code == 200
    complaint = Complaint.objects.get()
    assert complaint.region_id == "33.74"
    assert complaint.latitude is None


def test_anonymous_and_confidential_extensions(key: str) -> None:
    response = post(form(key, anonymous="true", confidential="1"))

    assert response.status_code == 200
    complaint = Complaint.objects.get()
    assert complaint.is_anonymous
    assert complaint.is_confidential


def test_api_key_may_come_in_the_query(key: str) -> None:
    data = form(key, api_key=None)

    response = Client().post(f"{URL}?api_key={key}", data)

    assert response.status_code == 200


def _refused(response: Any, status: int) -> None:
    assert response.status_code == status
    assert error_codes(response) == [status] * len(json.loads(response.content))
    assert not Complaint.objects.exists()


@pytest.mark.parametrize("bad_key", [None, "", "o311_not-a-key", "x" * 500])
def test_missing_or_wrong_api_key_is_403(key: str, bad_key: str | None) -> None:
    events = AuditEvent.objects.count()

    response = post(form(key, api_key=bad_key))
    xml = post(form(key, api_key=bad_key), fmt="xml")

    _refused(response, 403)
    assert xml.status_code == 403
    assert xml_errors(xml)[0][0] == "403"
    assert AuditEvent.objects.count() == events


def test_revoked_key_is_403(key: str) -> None:
    revoke_open311_client(Open311Client.objects.get(), actor=None)

    _refused(post(form(key)), 403)


@pytest.mark.parametrize("code", ["tidak-ada", "pungli"])
def test_unknown_or_protected_service_is_404(key: str, code: str) -> None:
    _refused(post(form(key, service_code=code)), 404)


def test_unknown_jurisdiction_is_404(key: str) -> None:
    _refused(post(form(key, jurisdiction_id="99.99", address_id=None)), 404)


def test_missing_required_attribute_is_400(key: str) -> None:
    response = post(form(key, **{"attribute[fasilitas]": None}))
    xml = post(form(key, **{"attribute[fasilitas]": None}), fmt="xml")

    _refused(response, 400)
    assert "attribute[fasilitas]" in json.loads(response.content)[0]["description"]
    assert xml_errors(xml)[0][0] == "400"


def test_attribute_outside_its_list_is_400(key: str) -> None:
    _refused(post(form(key, **{"attribute[fasilitas]": "kapal"})), 400)


@pytest.mark.parametrize(
    "changes",
    [
        {"service_code": None},
        {"description": None},
        {"description": "Terlalu pendek"},
        {"description": "x" * 4001},
        {"lat": None, "long": None, "address_string": None, "address_id": None},
        {"long": None},
        {"lat": "utara", "long": "timur"},
        {"lat": "10.5", "long": "200"},
        {"jurisdiction_id": None, "address_id": None},
        {"jurisdiction_id": "33", "address_id": None},
        {"address_id": "33.74.99"},
        {"email": "bukan-email"},
        {"phone": "12345"},
        {"anonymous": "mungkin"},
    ],
)
def test_bad_fields_are_400(key: str, changes: dict[str, Any]) -> None:
    region("33", name="Jawa Tengah")

    _refused(post(form(key, **changes)), 400)


def test_address_outside_the_jurisdiction_is_400(key: str) -> None:
    region("33.02.01", name="Kecamatan Lumbir")

    _refused(post(form(key, address_id="33.02.01")), 400)


def test_client_limited_to_a_jurisdiction(key: str) -> None:
    from layanan.open311.tests.factories import client_with_key

    region("33.02.01", name="Kecamatan Lumbir")
    _client, limited = client_with_key(name="Aplikasi Banyumas", region=region("33.02", name="Kab. Banyumas"))

    _refused(post(form(limited)), 403)
    response = post(form(limited, jurisdiction_id=None, address_id=None))

    assert response.status_code == 200
    assert Complaint.objects.get().region_id == "33.02"


def test_retry_with_the_same_idempotency_key_returns_the_first_report(key: str) -> None:
    first = post(form(key), **{"Idempotency-Key": "retry-1"})
    second = post(form(key), **{"Idempotency-Key": "retry-1"})

    assert first.status_code == second.status_code == 200
    assert json_body(first, "post_response") == json_body(second, "post_response")
    assert second["Idempotent-Replayed"] == "true"
    assert "Idempotent-Replayed" not in first
    assert Complaint.objects.count() == 1


def test_same_idempotency_key_with_other_content_is_400(key: str) -> None:
    post(form(key), **{"Idempotency-Key": "retry-2"})

    response = post(form(key, description=STORY + " Lain."), **{"Idempotency-Key": "retry-2"})

    assert response.status_code == 400
    assert error_codes(response) == [400]
    assert Complaint.objects.count() == 1


def test_idempotency_keys_are_per_client(key: str) -> None:
    from layanan.open311.tests.factories import client_with_key

    other = client_with_key(name="Aplikasi Lain")[1]

    post(form(key), **{"Idempotency-Key": "same"})
    post(form(other), **{"Idempotency-Key": "same"})

    assert Complaint.objects.count() == 2


def test_too_long_idempotency_key_is_400(key: str) -> None:
    _refused(post(form(key), **{"Idempotency-Key": "k" * 81}), 400)


def test_submissions_are_rate_limited_per_key(key: str, monkeypatch: pytest.MonkeyPatch) -> None:
    from layanan.open311.tests.factories import client_with_key

    monkeypatch.setattr(api, "POSTS_PER_MINUTE", 2)
    other = client_with_key(name="Aplikasi Lain")[1]

    statuses = [post(form(key, description=f"{STORY} ({n})")).status_code for n in range(3)]
    limited = post(form(key, description=f"{STORY} (4)"))
    other_response = post(form(other))

    assert statuses == [200, 200, 429]
    assert error_codes(limited) == [429]
    assert other_response.status_code == 200
    assert Complaint.objects.count() == 3


def test_messages_follow_the_request_language(key: str) -> None:
    english = post(form(key, service_code=None), **{"Accept-Language": "en"})

    assert english["Content-Language"] == "en"
    assert json.loads(english.content)[0]["description"] == "Send service_code (see services.json)."


@pytest.mark.parametrize(
    "garbage",
    [
        {"attribute[]": "x"},
        {"attribute[[x]]": "y"},
        {"lat": "NaN", "long": "NaN"},
        {"lat": "Infinity", "long": "1"},
        {"jurisdiction_id": "\x00"},
        {"description": "\x00" * 30},
        {"address_id": "'; DROP TABLE complaints_complaint; --"},
    ],
)
def test_garbage_never_causes_a_server_error(key: str, garbage: dict[str, Any]) -> None:
    response = post(form(key, **garbage))

    assert 200 <= response.status_code < 500

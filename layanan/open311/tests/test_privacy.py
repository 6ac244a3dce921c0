"""No Open311 response ever carries who reported, and confidential reports do not exist for it.

The identity of reporters is searched for in the raw bytes of every response of every endpoint, in
both formats, after the reports were made public.
"""

from __future__ import annotations

import re

import pytest
from django.test import Client

from layanan.accounts.models import ServiceUnit, User
from layanan.accounts.tests.factories import CitizenFactory
from layanan.complaints.actions import dispose_complaint
from layanan.complaints.models import Complaint
from layanan.complaints.tests.factories import STORY, district, report
from layanan.open311.tests.factories import client_with_key, public_report

pytestmark = pytest.mark.django_db
BASE = "/open311/v2"
NAME, EMAIL, PHONE = "Rina Wulandari", "rina.rahasia@example.id", "081298765432"


def _every_response(references: list[str], tokens: list[str]) -> bytes:
    client = Client()
    body = b""
    for fmt in ("json", "xml"):
        paths = ["discovery", "services", "services/infrastruktur", "requests"]
        paths += [f"requests/{reference}" for reference in references]
        paths += [f"tokens/{token}" for token in tokens]
        for path in paths:
            response = client.get(f"{BASE}/{path}.{fmt}")
            assert response.status_code in (200, 404), path
            body += response.content
        body += client.get(f"{BASE}/requests.{fmt}", {"service_request_id": ",".join(references)}).content
    return body


def _identity_absent(body: bytes, *, name: str, email: str, phone: str = "") -> None:
    text = body.decode()
    for value in (name, *name.split(), email):
        assert not re.search(rf"(?<!\w){re.escape(value)}(?!\w)", text, flags=re.IGNORECASE), value
    if phone:
        for value in (phone, "+62" + phone[1:], "62" + phone[1:]):
            assert value not in text, value


def test_anonymous_open311_reporter_never_appears(coordinator: User, unit_a: ServiceUnit) -> None:
    district()
    _client, key = client_with_key()
    response = Client().post(
        f"{BASE}/requests.json",
        {
            "api_key": key,
            "jurisdiction_id": "33.74",
            "address_id": "33.74.01",
            "service_code": "lingkungan",
            "address_string": "Jl. Pandanaran 5",
            "description": STORY,
            "first_name": "Rina",
            "last_name": "Wulandari",
            "email": EMAIL,
            "phone": PHONE,
            "account_id": "akun-rina-99",
            "anonymous": "true",
        },
    )
    assert response.status_code == 200
    complaint = Complaint.objects.get()
    dispose_complaint(complaint, unit=unit_a, actor=coordinator)

    body = _every_response([complaint.reference], [str(complaint.public_id)])

    assert complaint.reference.encode() in body
    _identity_absent(body, name=NAME, email=EMAIL, phone=PHONE)
    assert b"akun-rina-99" not in body


def test_reporters_of_web_reports_never_appear_anonymous_or_not(
    coordinator: User, unit_a: ServiceUnit
) -> None:
    person = CitizenFactory(full_name="Yohanes Pranoto", email="yohanes.p@example.id")
    anonymous = public_report(coordinator=coordinator, unit=unit_a, actor=person, is_anonymous=True)
    named = public_report(coordinator=coordinator, unit=unit_a, actor=person, title="Lampu jalan mati")
    visitor = public_report(
        coordinator=coordinator,
        unit=unit_a,
        reporter_details={"name": "Sri Lestari", "email": "sri.l@example.id", "phone": "+6285712345678"},
        is_anonymous=True,
    )
    references = [anonymous.reference, named.reference, visitor.reference]

    body = _every_response(references, [])

    assert all(reference.encode() in body for reference in references)
    _identity_absent(body, name="Yohanes Pranoto", email="yohanes.p@example.id")
    _identity_absent(body, name="Sri Lestari", email="sri.l@example.id", phone="085712345678")


def test_personal_data_written_in_the_story_is_redacted(coordinator: User, unit_a: ServiceUnit) -> None:
    story = f"{STORY} Hubungi saya di {PHONE} atau {EMAIL}, NIK 3374015508900009."
    complaint = public_report(coordinator=coordinator, unit=unit_a, body=story)

    body = _every_response([complaint.reference], [])

    assert b"berlubang besar" in body
    for value in (PHONE, EMAIL, "3374015508900009"):
        assert value.encode() not in body


def test_confidential_reports_do_not_exist_for_open311(coordinator: User, unit_a: ServiceUnit) -> None:
    secret = public_report(
        coordinator=coordinator, unit=unit_a, is_confidential=True, title="Judul yang rahasia sekali"
    )
    hidden_story = "Cerita rahasia tentang jembatan yang retak di dekat balai desa, jangan diumumkan."
    unverified = report(body=hidden_story).complaint

    body = _every_response([secret.reference, unverified.reference], [])

    assert b"rahasia sekali" not in body
    assert b"jangan diumumkan" not in body
    listed = Client().get(
        f"{BASE}/requests.json", {"service_request_id": f"{secret.reference},{unverified.reference}"}
    )
    assert listed.json() == []
    assert Client().get(f"{BASE}/requests/{secret.reference}.json").status_code == 404

"""A report an officer records from a telephone call or a visit (``/petugas/pengaduan/catat/``):
who may, the region choices of the officer's own regency, a phone report with the reporter's
contact kept encrypted, the receipt shown once, bad input (400, everything typed kept), a double
submit making one report, the protected channel and the category's questions."""

from __future__ import annotations

import re
import uuid
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from layanan.accounts.models import ServiceUnit, User
from layanan.accounts.roles import Role
from layanan.accounts.tests.factories import AgencyFactory, region, staff_with_role
from layanan.audit.models import AuditEvent
from layanan.complaints.models import Complaint
from layanan.complaints.tests.factories import STORY, district
from layanan.core.testing import verified_client

pytestmark = pytest.mark.django_db

NEW = "/petugas/pengaduan/catat/"
RECEIPT = "/petugas/pengaduan/catat/tanda-terima/"
NAME = "Rahmat Hidayatullah"
PHONE = "0812 9876 5432"
PHONE_STORED = "+6281298765432"
EMAIL = "rahmat.rahasia@example.id"


def _signed_in(user: User, language: str = "en") -> Client:
    client = verified_client(user)
    client.cookies["layanan_language"] = language
    return client


def _text(response: Any) -> str:
    return str(response.content.decode())


def _posted(**changes: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "channel": "phone",
        "kind": "pengaduan",
        "category": "lingkungan",
        "title": "Sampah menumpuk di pinggir jalan",
        "body": STORY,
        "incident_date": "",
        "region": district().code,
        "location_text": "Depan SD Negeri 3",
        "name": NAME,
        "phone": PHONE,
        "email": "",
        "idempotency_key": str(uuid.uuid4()),
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


@pytest.fixture(autouse=True)
def _places(db: None) -> None:
    district()
    region("33.02.01", "Kecamatan Lumbir")


def test_url_names() -> None:
    assert reverse("complaints:staff-new") == NEW
    assert reverse("complaints:staff-new-receipt") == RECEIPT


# --- Who may --------------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["coordinator", "inspector", "front_officer"])
def test_officers_who_take_reports_see_the_form(request: pytest.FixtureRequest, persona: str) -> None:
    response = _signed_in(request.getfixturevalue(persona)).get(NEW)
    assert response.status_code == 200
    html = _text(response)
    assert 'name="idempotency_key"' in html
    assert 'value="phone"' in html
    assert 'value="walk_in"' in html
    assert 'value="pungli"' in html  # anyone may record it: it goes to the inspectorate


@pytest.mark.parametrize("persona", ["officer", "unit_head", "admin_user"])
def test_other_staff_are_refused(request: pytest.FixtureRequest, persona: str) -> None:
    client = _signed_in(request.getfixturevalue(persona))
    assert client.get(NEW).status_code == 403
    assert client.post(NEW, _posted()).status_code == 403
    assert not Complaint.objects.exists()


def test_citizens_are_refused_and_visitors_sent_to_sign_in(citizen: User) -> None:
    client = Client()
    client.force_login(citizen)
    assert client.get(NEW).status_code == 403
    response = Client().get(NEW)
    assert response.status_code == 302
    assert "catat" in response["Location"]


def test_only_the_officers_own_regency_is_offered(coordinator: User) -> None:
    html = _text(_signed_in(coordinator).get(NEW))
    assert 'value="33.74"' in html
    assert 'value="33.74.01"' in html
    assert "33.02.01" not in html
    assert "Kecamatan Lumbir" not in html


def test_a_place_outside_the_officers_regency_is_refused(coordinator: User) -> None:
    response = _signed_in(coordinator).post(NEW, _posted(region="33.02.01"))
    assert response.status_code == 400
    assert not Complaint.objects.exists()


# --- Recording a report ---------------------------------------------------------------------------


def test_a_phone_report_is_recorded_with_the_contact_encrypted(coordinator: User) -> None:
    client = _signed_in(coordinator)
    response = client.post(NEW, _posted())
    assert response.status_code == 302
    assert response["Location"] == RECEIPT
    complaint = Complaint.objects.get()
    assert complaint.reference not in response["Location"]
    assert complaint.channel == Complaint.Channel.PHONE
    assert complaint.submitted_by_id == coordinator.pk
    assert complaint.reporter_id is None
    assert complaint.region_id == "33.74.01"
    assert complaint.location_text == "Depan SD Negeri 3"
    details = complaint.reporter_details()
    assert details["name"] == NAME
    assert details["phone"] == PHONE_STORED
    with connection.cursor() as cursor:
        cursor.execute("SELECT reporter_data FROM complaints_complaint WHERE id = %s", [complaint.pk])
        raw = str(cursor.fetchone()[0])
    assert NAME not in raw
    assert PHONE_STORED not in raw
    event = AuditEvent.objects.filter(action="complaints.submitted").get()
    assert event.actor_id == coordinator.pk
    assert event.summary["channel"] == "phone"
    assert PHONE_STORED not in str(event.summary)
    assert NAME not in str(event.summary)


def test_the_receipt_shows_the_code_once(coordinator: User) -> None:
    client = _signed_in(coordinator)
    client.post(NEW, _posted(channel="walk_in"))
    complaint = Complaint.objects.get()
    assert complaint.channel == Complaint.Channel.WALK_IN
    first = _text(client.get(RECEIPT))
    assert complaint.reference in first
    assert 'id="tracking-code"' in first
    second = _text(client.get(RECEIPT))
    assert complaint.reference in second
    assert 'id="tracking-code"' not in second
    assert 'id="tracking-code-gone"' in second


def test_the_receipt_is_only_for_the_session_that_recorded(coordinator: User, front_officer: User) -> None:
    _signed_in(coordinator).post(NEW, _posted())
    assert _signed_in(front_officer).get(RECEIPT).status_code == 404


def test_a_double_submit_makes_one_report(front_officer: User) -> None:
    client = _signed_in(front_officer)
    data = _posted()
    first = client.post(NEW, data)
    second = client.post(NEW, data)
    assert first.status_code == second.status_code == 302
    assert second["Location"] == RECEIPT
    assert Complaint.objects.count() == 1
    assert complaint_reference_in(client) == Complaint.objects.get().reference


def test_a_retry_from_another_session_finds_the_same_report(front_officer: User) -> None:
    data = _posted()
    _signed_in(front_officer).post(NEW, data)
    other = _signed_in(front_officer)
    assert other.post(NEW, data).status_code == 302
    assert Complaint.objects.count() == 1
    html = _text(other.get(RECEIPT))
    assert Complaint.objects.get().reference in html
    assert 'id="tracking-code"' not in html  # the code belongs to the first try only


def complaint_reference_in(client: Client) -> str:
    html = _text(client.get(RECEIPT))
    reference = Complaint.objects.get().reference
    return reference if reference in html else ""


def test_anonymous_and_confidential_choices_are_kept(inspector: User) -> None:
    _signed_in(inspector).post(NEW, _posted(is_anonymous="on", is_confidential="on", email=EMAIL))
    complaint = Complaint.objects.get()
    assert complaint.is_anonymous
    assert complaint.is_confidential
    assert complaint.reporter_details()["email"] == EMAIL


# --- Bad input ------------------------------------------------------------------------------------


@pytest.mark.parametrize("language", ["id", "en"])
def test_bad_input_answers_400_and_keeps_what_was_typed(coordinator: User, language: str) -> None:
    data = _posted(body="Terlalu pendek", phone="12345", title="Lampu jalan mati total")
    response = _signed_in(coordinator, language).post(NEW, data)
    assert response.status_code == 400
    html = _text(response)
    assert 'class="error-summary"' in html
    assert 'href="#id_body"' in html
    assert 'href="#id_phone"' in html
    assert 'value="Lampu jalan mati total"' in html
    assert "Terlalu pendek" in html
    assert f'value="{data["idempotency_key"]}"' in html
    assert 'value="33.74.01" selected' in html
    assert not Complaint.objects.exists()


def test_a_future_date_is_refused(coordinator: User) -> None:
    response = _signed_in(coordinator).post(NEW, _posted(incident_date="2999-01-01"))
    assert response.status_code == 400
    assert 'href="#id_incident_date"' in _text(response)


def test_pungli_needs_the_protected_category(front_officer: User) -> None:
    client = _signed_in(front_officer)
    response = client.post(NEW, _posted(kind="pungli"))
    assert response.status_code == 400
    assert 'href="#id_category"' in _text(response)
    assert not Complaint.objects.exists()
    assert client.post(NEW, _posted(kind="pungli", category="pungli")).status_code == 302
    complaint = Complaint.objects.get()
    assert complaint.kind == "pungli"
    assert complaint.is_confidential


def test_the_protected_category_is_only_for_pungli(coordinator: User) -> None:
    response = _signed_in(coordinator).post(NEW, _posted(category="pungli"))
    assert response.status_code == 400
    assert not Complaint.objects.exists()


def test_the_categorys_required_question_is_asked(coordinator: User) -> None:
    client = _signed_in(coordinator)
    response = client.post(NEW, _posted(category="infrastruktur", attribute_tingkat="berat"))
    assert response.status_code == 400
    html = _text(response)
    assert 'href="#id_attribute_fasilitas_0"' in html
    assert re.search(r'value="berat"[^>]*checked', html)
    assert not Complaint.objects.exists()
    data = _posted(category="infrastruktur", attribute_fasilitas="lampu", attribute_tingkat="berat")
    assert client.post(NEW, data).status_code == 302
    assert Complaint.objects.get().attributes == {"fasilitas": "lampu", "tingkat": "berat"}


def test_answers_to_other_categories_questions_are_dropped(coordinator: User) -> None:
    _signed_in(coordinator).post(NEW, _posted(attribute_fasilitas="lampu"))
    assert "fasilitas" not in Complaint.objects.get().attributes


def test_an_officer_whose_agency_has_no_regency_gets_no_places(unit_a: ServiceUnit) -> None:
    agency = AgencyFactory(region=region("34", "DI Yogyakarta"))
    officer = staff_with_role(Role.COMPLAINT_COORDINATOR, agency=agency)
    response = _signed_in(officer).post(NEW, _posted())
    assert response.status_code == 400
    assert not Complaint.objects.exists()

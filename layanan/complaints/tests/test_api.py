"""The complaints API: POST /api/v1/complaints (anyone, idempotent, rate-limited), GET one (reporter,
tracking secret header, handling staff), POST its transitions, and the signed SP4N-LAPOR! inbound."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client, TestCase, override_settings
from django.urls import include, path
from django.utils import translation
from ninja import NinjaAPI

from layanan.accounts.actions.tokens import create_api_token
from layanan.accounts.models import ServiceUnit, User
from layanan.audit.models import AuditEvent
from layanan.complaints import api
from layanan.complaints.api import router
from layanan.complaints.intake import process_pending_intake
from layanan.complaints.lapor import SIGNATURE_HEADER, SimulatedLapor, signed_headers
from layanan.complaints.models import Complaint, ComplaintEvent, ComplaintIntake
from layanan.complaints.tests.factories import DISTRICT, STORY, district
from layanan.core.references import check_secret

# The router on an API of its own, in front of the project's URLs (layanan/api.py may mount it too).
_api = NinjaAPI(urls_namespace="complaints-api-test", docs_url=None)
_api.add_router("/", router)
urlpatterns = [path("api/v1/", _api.urls), path("", include("layanan.urls"))]
pytestmark = pytest.mark.urls(__name__)

COMPLAINTS = "/api/v1/complaints"
LAPOR = "/api/v1/lapor/reports"


@pytest.fixture(autouse=True)
def _places(db: None) -> None:
    district()
    # The API keeps categories and regions in the process for a while: start each test afresh.
    api._CATEGORIES["until"] = 0.0
    api._REGIONS.clear()


def token_client(user: User) -> Client:
    _api_token, token = create_api_token(user, name="tests", actor=None)
    return Client(headers={"Authorization": f"Bearer {token}"})


def report_body(**overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "category": "lingkungan",
        "title": "Sampah menumpuk di pinggir jalan",
        "body": STORY,
        "region": DISTRICT,
    }
    return {**body, **overrides}


def submit(client: Client, body: dict[str, Any], *, key: str | None = "kunci-1", query: str = "") -> Any:
    """POST a report; the after-commit work (the intake task, immediate in tests) runs at once."""
    headers = {"Idempotency-Key": key} if key is not None else {}
    with TestCase.captureOnCommitCallbacks(execute=True):
        return client.post(f"{COMPLAINTS}{query}", body, content_type="application/json", headers=headers)


def step(
    client: Client, reference: str, key: str, body: dict[str, Any] | None = None, *, secret: str | None = None
) -> Any:
    return client.post(
        f"{COMPLAINTS}/{reference}/transitions/{key}",
        body or {},
        content_type="application/json",
        headers={"X-Tracking-Secret": secret} if secret else {},
    )


def snapshot() -> tuple[int, int, int]:
    return Complaint.objects.count(), ComplaintEvent.objects.count(), AuditEvent.objects.count()


# --- POST /complaints -----------------------------------------------------------------------------


def test_visitor_reports_without_an_account_and_gets_the_secret_once() -> None:
    client = Client()

    created = submit(client, report_body(is_anonymous=True))
    retry = submit(client, report_body(is_anonymous=True))

    assert created.status_code == 202, created.json()
    complaint = Complaint.objects.get()
    answer = created.json()
    assert answer["reference"] == complaint.reference
    assert created["Location"] == f"{COMPLAINTS}/{complaint.reference}"
    assert check_secret(answer["tracking_secret"], complaint.tracking_secret_digest)
    assert set(answer) == {"reference", "state", "state_label", "is_open", "submitted_at", "tracking_secret"}
    assert answer["state"] == "received"
    assert (complaint.channel, complaint.is_anonymous) == ("api", True)
    assert (complaint.reporter, complaint.reporter_index) == (None, "")
    # A visitor's retry: the reference and state, no secret and no content.
    assert retry.status_code == 200
    assert retry["Idempotent-Replayed"] == "true"
    assert set(retry.json()) == {"reference", "state", "state_label", "is_open", "submitted_at"}
    assert retry.json()["reference"] == complaint.reference
    assert Complaint.objects.count() == 1


def test_same_key_with_another_body_is_refused_and_changes_nothing() -> None:
    client = Client()
    submit(client, report_body())
    before = snapshot()

    response = submit(client, report_body(title="Judul yang lain sama sekali"))

    assert response.status_code == 422
    assert response.json()["code"] == "idempotency_key_reused"
    assert snapshot() == before


def test_visitors_keys_do_not_reach_other_addresses_reports() -> None:
    submit(Client(REMOTE_ADDR="10.0.0.1"), report_body())

    response = submit(Client(REMOTE_ADDR="10.0.0.2"), report_body())

    assert response.status_code == 202
    assert Complaint.objects.count() == 2


def test_citizen_with_a_token_reports_under_their_account(citizen: User) -> None:
    client = token_client(citizen)

    created = submit(client, report_body())
    retry = submit(client, report_body())

    assert created.status_code == 202, created.json()
    complaint = Complaint.objects.get()
    assert complaint.reporter == citizen
    assert ComplaintIntake.objects.get().idempotency_scope == f"user:{citizen.pk}"
    assert retry.status_code == 200
    assert retry.json()["state"] == "submitted"
    assert "tracking_secret" not in retry.json()
    fetched = client.get(f"{COMPLAINTS}/{complaint.reference}").json()
    assert fetched["title"] == "Sampah menumpuk di pinggir jalan"
    assert fetched["timeline"][0]["state"] == "submitted"


@override_settings(LAYANAN_COMPLAINT_INTAKE="poll")
def test_an_accepted_report_is_received_until_the_worker_makes_it(citizen: User, coordinator: User) -> None:
    created = submit(Client(), report_body()).json()
    mine = submit(token_client(citizen), report_body(), key="kunci-2").json()
    url = f"{COMPLAINTS}/{created['reference']}"

    by_secret = Client().get(url, headers={"X-Tracking-Secret": created["tracking_secret"]})
    by_account = token_client(citizen).get(f"{COMPLAINTS}/{mine['reference']}")
    by_staff = token_client(coordinator).get(url)
    wrong = Client().get(url, headers={"X-Tracking-Secret": "SALAH234"})
    early_step = step(Client(), created["reference"], "supply_info", secret=created["tracking_secret"])
    pending_count = Complaint.objects.count()
    process_pending_intake()
    made = Client().get(url, headers={"X-Tracking-Secret": created["tracking_secret"]})

    assert (created["state"], pending_count) == ("received", 0)
    assert (by_secret.status_code, by_secret.json()["state"]) == (200, "received")
    assert set(by_secret.json()) == {"reference", "state", "state_label", "is_open", "submitted_at"}
    assert (by_account.status_code, by_account.json()["state"]) == (200, "received")
    assert by_staff.status_code == 404
    assert wrong.status_code == 404
    assert (early_step.status_code, early_step.json()["code"]) == (409, "not_processed_yet")
    assert made.status_code == 200
    assert (made.json()["state"], made.json()["title"]) == ("submitted", "Sampah menumpuk di pinggir jalan")


def test_missing_or_invalid_idempotency_key_is_a_400() -> None:
    missing = submit(Client(), report_body(), key=None)
    spaced = submit(Client(), report_body(), key="dua kata")

    assert (missing.status_code, missing.json()["code"]) == (400, "idempotency_key_missing")
    assert (spaced.status_code, spaced.json()["code"]) == (400, "idempotency_key_invalid")
    assert Complaint.objects.count() == 0


def test_bad_input_gives_messages_per_field_in_the_callers_language() -> None:
    client = Client()

    malformed = client.post(
        COMPLAINTS, "{", content_type="application/json", headers={"Idempotency-Key": "k"}
    )
    missing = submit(client, {"title": 5}, query="?lang=en")
    unknown = submit(client, report_body(category="tidak-ada", region="99.99"), query="?lang=en")
    short = submit(client, report_body(body="Terlalu pendek."), query="?lang=en")
    attribute = submit(client, report_body(category="infrastruktur"), query="?lang=en")

    assert (malformed.status_code, malformed.json()["code"]) == (400, "invalid_json")
    assert missing.status_code == 422
    assert missing.json()["code"] == "invalid_request"
    assert missing.json()["fields"]["category"] == ["This field is required."]
    assert missing.json()["fields"]["title"] == ["Send text here."]
    assert unknown.json()["fields"] == {
        "category": ["No active category has this slug."],
        "region": ["No region has this code."],
    }
    assert short.status_code == 422
    assert short.json()["code"] == "invalid_report"
    with translation.override("en"):
        assert short.json()["fields"]["body"] == ["Tell us what happened in at least 20 characters."]
    assert short["Content-Language"] == "en"
    assert list(attribute.json()["fields"]) == ["attribute[fasilitas]"]
    assert Complaint.objects.count() == 0


def test_messages_follow_the_language_asked_for() -> None:
    english = submit(Client(), report_body(body="pendek"), query="?lang=en")
    indonesian = submit(Client(), report_body(body="pendek"), key="kunci-2", query="?lang=id")

    with translation.override("en"):
        assert english.json()["fields"]["body"] == ["Tell us what happened in at least 20 characters."]
    assert indonesian["Content-Language"] == "id"
    with translation.override("id"):
        from django.utils.translation import gettext

        assert indonesian.json()["message"] == gettext(
            "Some fields are missing or not valid. See the messages per field."
        )


def test_a_refused_token_is_a_401_not_a_silent_visitor_report() -> None:
    client = Client(headers={"Authorization": "Bearer lay_salah"})

    response = submit(client, report_body())

    assert response.status_code == 401
    assert response.json()["code"] == "unauthenticated"
    assert Complaint.objects.count() == 0


def test_a_signed_in_browser_reports_with_its_session_and_csrf_token(citizen: User) -> None:
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(citizen)
    browser.get("/")  # the CSRF cookie
    token = browser.cookies["csrftoken"].value
    before = snapshot()

    without_token = submit(browser, report_body())
    after_refusal = snapshot()
    with TestCase.captureOnCommitCallbacks(execute=True):
        with_token = browser.post(
            COMPLAINTS,
            report_body(),
            content_type="application/json",
            headers={"Idempotency-Key": "kunci-1", "X-CSRFToken": token},
        )

    assert (without_token.status_code, without_token.json()["code"]) == (403, "csrf_failed")
    assert after_refusal == before
    assert with_token.status_code == 202, with_token.json()
    assert Complaint.objects.get().reporter == citizen


def test_staff_do_not_report_through_the_api(coordinator: User) -> None:
    response = submit(token_client(coordinator), report_body())

    assert (response.status_code, response.json()["code"]) == (403, "forbidden")
    assert Complaint.objects.count() == 0


@override_settings(LAYANAN_COMPLAINT_API_SUBMISSIONS_PER_HOUR=2)
def test_submissions_are_limited_per_client_address() -> None:
    client = Client(REMOTE_ADDR="10.1.1.1")
    for number in range(2):
        assert submit(client, report_body(title=f"Laporan {number}"), key=f"k{number}").status_code == 202

    refused = submit(client, report_body(title="Laporan 3"), key="k3")
    elsewhere = submit(Client(REMOTE_ADDR="10.1.1.2"), report_body(title="Laporan 3"), key="k3")

    assert refused.status_code == 429
    assert refused.json()["code"] == "too_many_requests"
    assert refused["Retry-After"] == "3600"
    assert elsewhere.status_code == 202
    assert Complaint.objects.count() == 3


# --- Who sees what --------------------------------------------------------------------------------


def _anonymous_report_by(citizen: User) -> tuple[str, str]:
    created = submit(token_client(citizen), report_body(is_anonymous=True))
    assert created.status_code == 202, created.json()
    return created.json()["reference"], created.json()["tracking_secret"]


def _identity(citizen: User) -> list[bytes]:
    return [value.encode() for value in (citizen.full_name, citizen.email, citizen.username) if value]


def test_anonymous_reporters_identity_is_in_no_response_byte(
    citizen: User, coordinator: User, officer: User, unit_a: ServiceUnit
) -> None:
    created = submit(token_client(citizen), report_body(is_anonymous=True))
    reference, secret = created.json()["reference"], created.json()["tracking_secret"]
    staff = token_client(coordinator)
    unit = token_client(officer)

    responses = [
        created,
        submit(token_client(citizen), report_body(is_anonymous=True)),
        token_client(citizen).get(f"{COMPLAINTS}/{reference}"),
        Client().get(f"{COMPLAINTS}/{reference}", headers={"X-Tracking-Secret": secret}),
        staff.get(f"{COMPLAINTS}/{reference}"),
        step(staff, reference, "dispose", {"agency": unit_a.agency.slug, "unit": unit_a.slug}),
        unit.get(f"{COMPLAINTS}/{reference}"),
        step(unit, reference, "answer", {"note": "Sudah kami bersihkan."}),
        step(Client(), reference, "rate", {"rating": 5}, secret=secret),
        staff.get(f"{COMPLAINTS}/{reference}"),
    ]

    assert [r.status_code for r in responses] == [202, 200, 200, 200, 200, 200, 200, 200, 200, 200]
    for response in responses:
        for value in _identity(citizen):
            assert value not in response.content, response.content
        assert "reporter" not in response.json()
    assert Complaint.objects.get().state == "resolved"
    assert Complaint.objects.get().reporter is None


def test_handling_staff_see_a_named_reporter_masked(citizen: User, coordinator: User) -> None:
    reference = submit(token_client(citizen), report_body()).json()["reference"]

    answer = token_client(coordinator).get(f"{COMPLAINTS}/{reference}").json()

    assert answer["reporter"]["name"].startswith(citizen.full_name.split()[0])
    assert citizen.full_name.encode() not in json.dumps(answer).encode()
    assert citizen.email not in json.dumps(answer)
    assert "@" in answer["reporter"]["email"]


def test_the_reporter_and_the_handling_staff_see_the_report_others_get_404(
    citizen: User, other_citizen: User, coordinator: User, officer: User, other_agency_officer: User
) -> None:
    reference = submit(token_client(citizen), report_body()).json()["reference"]
    url = f"{COMPLAINTS}/{reference}"

    assert token_client(citizen).get(url).status_code == 200
    assert token_client(coordinator).get(url).json()["transitions"][0]["key"] == "start_verification"
    # Not disposed yet: the unit has nothing to do with it.
    for outsider in (other_citizen, officer, other_agency_officer):
        response = token_client(outsider).get(url)
        assert (response.status_code, response.json()["code"]) == (404, "not_found")
    assert Client().get(url).status_code == 404
    assert Client().get(f"{COMPLAINTS}/BUKAN-REFERENSI").status_code == 404


def test_the_tracking_secret_counts_only_in_its_header() -> None:
    created = submit(Client(), report_body()).json()
    url = f"{COMPLAINTS}/{created['reference']}"

    with_header = Client().get(url, headers={"X-Tracking-Secret": created["tracking_secret"].lower()})
    in_url = Client().get(
        f"{url}?secret={created['tracking_secret']}&tracking_secret={created['tracking_secret']}"
    )
    wrong = Client().get(url, headers={"X-Tracking-Secret": "SALAH234"})

    assert with_header.status_code == 200
    assert with_header.json()["title"] == "Sampah menumpuk di pinggir jalan"
    assert in_url.status_code == 404
    assert wrong.status_code == 404


def test_wrong_secrets_are_limited_per_address() -> None:
    created = submit(Client(), report_body()).json()
    url = f"{COMPLAINTS}/{created['reference']}"
    guesser = Client(REMOTE_ADDR="10.9.9.9")
    for _ in range(10):
        assert guesser.get(url, headers={"X-Tracking-Secret": "SALAH234"}).status_code == 404

    blocked = guesser.get(url, headers={"X-Tracking-Secret": created["tracking_secret"]})

    assert blocked.status_code == 429
    assert Client().get(url, headers={"X-Tracking-Secret": created["tracking_secret"]}).status_code == 200


# --- Transitions ----------------------------------------------------------------------------------


def test_staff_and_reporter_steps_through_the_api(
    coordinator: User, officer: User, unit_a: ServiceUnit
) -> None:
    created = submit(Client(), report_body()).json()
    reference, secret = created["reference"], created["tracking_secret"]
    staff = token_client(coordinator)

    verifying = step(staff, reference, "start_verification")
    again = step(staff, reference, "start_verification")
    no_note = step(staff, reference, "archive")
    disposed = step(staff, reference, "dispose", {"agency": unit_a.agency.slug, "unit": unit_a.slug})
    answered = step(token_client(officer), reference, "answer", {"note": "Sudah kami bersihkan."})
    rated = step(Client(), reference, "rate", {"rating": 4}, secret=secret)

    assert verifying.json()["state"] == "verifying"
    assert (again.status_code, again.json()["code"]) == (409, "wrong_state")
    assert (no_note.status_code, no_note.json()["code"]) == (422, "note_required")
    assert disposed.json()["state"] == "disposed"
    assert disposed.json()["agency"] == unit_a.agency.slug
    assert answered.json()["state"] == "answered"
    assert answered.json()["timeline"][-1]["note"] == "Sudah kami bersihkan."
    assert (rated.status_code, rated.json()["state"], rated.json()["rating"]) == (200, "resolved", 4)


def test_a_visitor_with_the_secret_cannot_take_staff_steps() -> None:
    created = submit(Client(), report_body()).json()
    before = snapshot()

    response = step(Client(), created["reference"], "start_verification", secret=created["tracking_secret"])

    assert (response.status_code, response.json()["code"]) == (403, "forbidden")
    assert snapshot() == before


def test_steps_on_reports_one_cannot_see_are_404(officer: User) -> None:
    created = submit(Client(), report_body()).json()
    client = token_client(officer)
    before = snapshot()

    response = step(client, created["reference"], "start_verification")

    assert response.status_code == 404
    assert snapshot() == before


def test_dispose_needs_a_unit(coordinator: User) -> None:
    reference = submit(Client(), report_body()).json()["reference"]

    response = step(token_client(coordinator), reference, "dispose", {"agency": "tidak-ada", "unit": "x"})

    assert response.status_code == 422
    assert list(response.json()["fields"]) == ["unit"]
    assert Complaint.objects.get().state == "submitted"


# --- SP4N-LAPOR! inbound --------------------------------------------------------------------------


def lapor_report(**overrides: Any) -> dict[str, Any]:
    report = SimulatedLapor.inbound_report(
        title="Pungutan di luar tarif resmi saat mengurus KTP",
        body="Petugas meminta uang tambahan di luar ketentuan saat saya mengurus KTP elektronik.",
        region=DISTRICT,
        category="kependudukan",
        reporter_name="Rina Kartika",
        tracking_id="LAPOR-0000012345",
    )
    return {**report, **overrides}


def deliver(body: bytes, headers: dict[str, str]) -> Any:
    return Client().post(
        LAPOR,
        body,
        content_type="application/json",
        headers={k: v for k, v in headers.items() if k != "Content-Type"},
    )


def test_a_signed_lapor_report_is_filed_once_with_its_tracking_id() -> None:
    body = json.dumps(lapor_report()).encode()

    first = deliver(body, signed_headers(body))
    again = deliver(body, signed_headers(body))

    assert first.status_code == 201, first.json()
    complaint = Complaint.objects.get()
    assert first.json() == {
        "reference": complaint.reference,
        "lapor_tracking_id": "LAPOR-0000012345",
        "created": True,
    }
    assert (complaint.channel, complaint.lapor_tracking_id, complaint.category.slug) == (
        "lapor",
        "LAPOR-0000012345",
        "kependudukan",
    )
    assert again.status_code == 200
    assert again.json()["created"] is False
    assert again.json()["reference"] == complaint.reference
    assert Complaint.objects.count() == 1


@pytest.mark.parametrize(
    "headers",
    [{}, {SIGNATURE_HEADER: "sha256=" + "0" * 64}, {SIGNATURE_HEADER: "tanda tangan palsu"}],
    ids=["missing", "wrong", "malformed"],
)
def test_a_lapor_report_with_a_bad_signature_is_refused(headers: dict[str, str]) -> None:
    body = json.dumps(lapor_report()).encode()

    response = deliver(body, headers)

    assert (response.status_code, response.json()["code"]) == (403, "invalid_signature")
    assert snapshot() == (0, 0, 0)


def test_a_lapor_report_signed_for_another_body_is_refused() -> None:
    signed_for = json.dumps(lapor_report()).encode()
    tampered = json.dumps(lapor_report(lokasi="33.74")).encode()

    response = deliver(tampered, signed_headers(signed_for))

    assert response.status_code == 403
    assert Complaint.objects.count() == 0


def test_a_lapor_tracking_id_again_with_other_content_is_a_409() -> None:
    first = json.dumps(lapor_report()).encode()
    changed = json.dumps(lapor_report(judul="Judul lain untuk laporan yang sama")).encode()
    deliver(first, signed_headers(first))

    response = deliver(changed, signed_headers(changed))

    assert (response.status_code, response.json()["code"]) == (409, "idempotency_key_reused")
    assert Complaint.objects.count() == 1


def test_a_signed_but_invalid_lapor_report_gets_messages_by_lapor_field() -> None:
    bad = json.dumps(lapor_report(lokasi="99.99", isi="pendek", id_lapor="")).encode()
    not_an_object = b"[1, 2]"

    invalid = deliver(bad, signed_headers(bad))
    malformed = deliver(not_an_object, signed_headers(not_an_object))

    assert invalid.status_code == 422
    assert set(invalid.json()["fields"]) == {"lokasi", "id_lapor"}
    assert (malformed.status_code, malformed.json()["code"]) == (400, "invalid_json")
    assert Complaint.objects.count() == 0


def test_the_routes_are_in_the_openapi_document() -> None:
    document = Client().get("/api/v1/openapi.json").json()

    assert {"/api/v1/complaints", "/api/v1/complaints/{reference}", "/api/v1/lapor/reports"} <= set(
        document["paths"]
    )
    assert "/api/v1/complaints/{reference}/transitions/{key}" in document["paths"]
    post = document["paths"]["/api/v1/complaints"]["post"]
    assert {} in post["security"]
    assert "X-Tracking-Secret" in {
        p["name"] for p in document["paths"]["/api/v1/complaints/{reference}"]["get"]["parameters"]
    }

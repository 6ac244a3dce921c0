"""The applications API: POST /api/v1/applications (idempotent), GET one, POST its transitions."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.utils import translation
from django.utils.translation import gettext

from layanan.accounts.actions.tokens import create_api_token, revoke_api_token
from layanan.accounts.models import ServiceUnit, User
from layanan.applications import actions
from layanan.applications.models import Application, ApplicationEvent
from layanan.applications.tests.factories import (
    application_in,
    complete_answers,
    service_counting_from_submission,
    submitted_application,
)
from layanan.audit.models import AuditEvent
from layanan.catalog.models import Service
from layanan.catalog.tests.factories import service_with_adopted_standard
from layanan.core.references import check_secret
from layanan.core.testing import verified_client

APPLICATIONS = "/api/v1/applications"
APPLICATION_FIELDS = {
    "reference",
    "service",
    "service_name",
    "channel",
    "state",
    "state_label",
    "is_open",
    "submitted_at",
    "due_date",
    "step_due_date",
    "overall_due_date",
    "timeline",
    "transitions",
}

postgresql_only = pytest.mark.skipif(
    "connection.vendor != 'postgresql'", reason="needs PostgreSQL (concurrent transactions)"
)


@pytest.fixture
def service(unit_a: ServiceUnit) -> Service:
    return service_counting_from_submission(unit=unit_a, slug="akta-kelahiran", channel="both")


def token_client(user: User) -> Client:
    """A machine client: no session, an API token in every request."""
    _api_token, token = create_api_token(user, name="tests", actor=None)
    return Client(headers={"Authorization": f"Bearer {token}"})


def apply(
    client: Client, body: dict[str, Any], *, key: str | None = "kunci-1", path: str = APPLICATIONS
) -> Any:
    headers = {"Idempotency-Key": key} if key is not None else {}
    return client.post(path, body, content_type="application/json", headers=headers)


def body_for(service: Service, citizen: User, **overrides: Any) -> dict[str, Any]:
    return {"service": service.slug, "answers": complete_answers(service, citizen, **overrides)}


def transition(client: Client, reference: str, key: str, note: str = "", *, query: str = "") -> Any:
    return client.post(
        f"{APPLICATIONS}/{reference}/transitions{query}",
        {"transition": key, "note": note},
        content_type="application/json",
    )


def snapshot() -> tuple[int, int, int]:
    return Application.objects.count(), ApplicationEvent.objects.count(), AuditEvent.objects.count()


# --- POST /applications ---------------------------------------------------------------------------


def test_create_returns_201_with_the_secret_once_then_200_on_retry(service: Service, citizen: User) -> None:
    client = token_client(citizen)
    body = body_for(service, citizen)

    first = apply(client, body)
    retry = apply(client, body)

    assert first.status_code == 201, first.json()
    created = first.json()
    application = Application.objects.get()
    assert created["reference"] == application.reference
    assert first["Location"] == f"{APPLICATIONS}/{application.reference}"
    assert check_secret(created["tracking_secret"], application.tracking_secret_digest)
    assert set(created) == APPLICATION_FIELDS | {"tracking_secret"}
    assert created["service"] == "akta-kelahiran"
    assert created["channel"] == "api"
    assert created["state"] == "submitted"
    assert created["timeline"] == [
        {"state": "submitted", "label": created["state_label"], "at": created["submitted_at"]}
    ]
    assert (application.channel, application.applicant, application.submitted_by) == ("api", citizen, citizen)
    assert application.idempotency_key == "kunci-1"

    assert retry.status_code == 200
    assert retry["Idempotent-Replayed"] == "true"
    assert "tracking_secret" not in retry.json()
    assert retry.json()["reference"] == created["reference"]
    assert Application.objects.count() == 1
    assert AuditEvent.objects.filter(action="applications.submitted").count() == 1


def test_the_response_holds_no_answers_or_personal_data(service: Service, citizen: User) -> None:
    body = body_for(service, citizen)

    response = apply(token_client(citizen), body)

    text = response.content.decode()
    assert response.status_code == 201
    assert "answers" not in response.json()
    for value in ("3515140508680001", "081234567890", "Jl. Merdeka", "Siti Rahmawati"):
        assert value not in text


def test_a_key_reused_with_another_body_is_refused(service: Service, citizen: User) -> None:
    client = token_client(citizen)
    apply(client, body_for(service, citizen))
    other_body = body_for(service, citizen, nama="Budi Santoso")
    before = snapshot()

    response = apply(client, other_body)

    assert response.status_code == 422
    assert response.json()["code"] == "idempotency_key_reused"
    assert response.json()["message"]
    assert snapshot() == before


def test_keys_are_per_caller(service: Service, citizen: User, other_citizen: User) -> None:
    apply(token_client(citizen), body_for(service, citizen))

    response = apply(token_client(other_citizen), body_for(service, other_citizen))

    assert response.status_code == 201
    assert Application.objects.count() == 2


def test_a_new_key_makes_a_new_application(service: Service, citizen: User) -> None:
    client = token_client(citizen)
    body = body_for(service, citizen)

    first = apply(client, body, key="satu")
    second = apply(client, body, key="dua")

    assert (first.status_code, second.status_code) == (201, 201)
    assert first.json()["reference"] != second.json()["reference"]


@pytest.mark.parametrize(
    ("key", "code"),
    [
        (None, "idempotency_key_missing"),
        ("  ", "idempotency_key_missing"),
        ("ada spasi", "idempotency_key_invalid"),
        ("x" * 81, "idempotency_key_invalid"),
    ],
)
def test_the_idempotency_key_is_required_and_checked(
    service: Service, citizen: User, key: str | None, code: str
) -> None:
    client = token_client(citizen)
    body = body_for(service, citizen)
    before = snapshot()

    response = apply(client, body, key=key)

    assert response.status_code == 400
    assert response.json()["code"] == code
    assert "Idempotency-Key" in response.json()["message"]
    assert snapshot() == before


def test_unauthenticated_and_revoked_tokens_get_401(service: Service, citizen: User) -> None:
    body = body_for(service, citizen)
    api_token, token = create_api_token(citizen, name="lama", actor=None)
    revoke_api_token(api_token, actor=None)
    before = snapshot()

    anonymous = apply(Client(), body)
    revoked = apply(Client(headers={"Authorization": f"Bearer {token}"}), body)
    garbage = apply(Client(headers={"Authorization": "Bearer lay_tidak-ada"}), body)

    for response in (anonymous, revoked, garbage):
        assert response.status_code == 401
        assert response.json()["code"] == "unauthenticated"
        assert set(response.json()) == {"code", "message"}
        assert response["WWW-Authenticate"].startswith("Bearer")
    assert snapshot() == before


def test_bad_answers_get_422_with_messages_per_field_in_the_callers_language(
    service: Service, citizen: User
) -> None:
    body = body_for(service, citizen, nama="", nik="1234", pernyataan="")
    client = token_client(citizen)
    before = snapshot()

    default = apply(client, body)
    english = apply(client, body, path=f"{APPLICATIONS}?lang=en")

    assert default.status_code == english.status_code == 422
    assert default.json()["code"] == english.json()["code"] == "invalid_answers"
    fields = english.json()["fields"]
    assert set(fields) == {"answers.nama", "answers.nik", "answers.pernyataan"}
    assert fields["answers.nama"] == ["Fill in this field."]
    assert fields["answers.pernyataan"] == ["Tick the box to confirm the declaration."]
    assert english["Content-Language"] == "en"
    with translation.override("id"):
        assert default.json()["fields"]["answers.nama"] == [gettext("Fill in this field.")]
        assert default.json()["message"] == gettext(
            "Some answers are missing or not valid. See the messages per field."
        )
    assert default["Content-Language"] == "id"
    assert snapshot() == before


def test_the_language_cookie_chooses_the_language(service: Service, citizen: User) -> None:
    client = token_client(citizen)
    client.cookies["layanan_language"] = "en"

    english = apply(client, body_for(service, citizen))
    indonesian = client.get(f"{APPLICATIONS}/{english.json()['reference']}?lang=id")

    assert english.json()["state_label"] == "Submitted"
    assert indonesian.json()["state_label"] == "Diajukan"


def test_a_document_of_someone_else_is_refused(service: Service, citizen: User, other_citizen: User) -> None:
    foreign = complete_answers(service, other_citizen)
    document_fields = [key for key in foreign if key.startswith("dok_")]
    body = body_for(service, citizen, **{document_fields[0]: foreign[document_fields[0]]})

    response = apply(token_client(citizen), body, path=f"{APPLICATIONS}?lang=en")

    assert response.status_code == 422
    assert response.json()["fields"] == {f"answers.{document_fields[0]}": ["Choose one of your documents."]}
    assert not Application.objects.exists()


def test_unknown_unpublished_and_counter_only_services_are_refused(
    service: Service, citizen: User, unit_a: ServiceUnit
) -> None:
    client = token_client(citizen)
    hidden = service_with_adopted_standard(unit=unit_a, slug="tersembunyi", is_active=False)
    counter = service_with_adopted_standard(unit=unit_a, slug="di-loket", channel="counter")
    answers = complete_answers(service, citizen)

    unknown = apply(client, {"service": "tidak-ada", "answers": answers}, key="a")
    unpublished = apply(client, {"service": hidden.slug, "answers": answers}, key="b")
    counter_only = apply(client, {"service": counter.slug, "answers": answers}, key="c")

    assert (unknown.status_code, unknown.json()["code"]) == (422, "unknown_service")
    assert set(unknown.json()["fields"]) == {"service"}
    assert (unpublished.status_code, unpublished.json()["code"]) == (422, "unknown_service")
    assert (counter_only.status_code, counter_only.json()["code"]) == (422, "counter_only")
    assert set(counter_only.json()["fields"]) == {"service"}
    assert not Application.objects.exists()


def test_staff_cannot_apply_through_the_api(service: Service, citizen: User, front_officer: User) -> None:
    body = body_for(service, citizen)
    front_office_api = token_client(front_officer)
    before = snapshot()

    response = apply(front_office_api, body)

    assert response.status_code == 403
    assert response.json()["code"] == "forbidden"
    assert snapshot() == before


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"answers": {}}, "service"),
        ({"service": "akta-kelahiran"}, "answers"),
        ({"service": "x", "answers": []}, "answers"),
    ],
)
def test_a_malformed_body_gets_our_error_shape(
    service: Service, citizen: User, body: dict[str, Any], field: str
) -> None:
    response = apply(token_client(citizen), body)

    assert response.status_code == 422
    assert response.json()["code"] == "invalid_request"
    assert field in response.json()["fields"]


def test_invalid_json_gets_our_error_shape(citizen: User) -> None:
    response = token_client(citizen).post(
        APPLICATIONS, "{not json", content_type="application/json", headers={"Idempotency-Key": "k"}
    )

    assert response.status_code == 400
    with translation.override("id"):
        assert response.json() == {
            "code": "invalid_json",
            "message": gettext("The request body is not valid JSON."),
        }


def test_a_browser_session_needs_the_csrf_token(service: Service, citizen: User) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(citizen)
    body = body_for(service, citizen)

    refused = apply(client, body)
    client.get("/")  # sets the CSRF cookie
    accepted = client.post(
        APPLICATIONS,
        body,
        content_type="application/json",
        headers={"Idempotency-Key": "k", "X-CSRFToken": client.cookies["csrftoken"].value},
    )

    assert refused.status_code == 403
    assert refused.json()["code"] == "csrf_failed"
    assert accepted.status_code == 201


# --- GET /applications/{reference} ----------------------------------------------------------------


def test_the_applicant_sees_their_application(service: Service, citizen: User) -> None:
    application = submitted_application(service, citizen)

    by_token = token_client(citizen).get(f"{APPLICATIONS}/{application.reference}")
    client = Client()
    client.force_login(citizen)
    by_session = client.get(f"{APPLICATIONS}/{application.reference.lower()}")

    assert by_token.status_code == by_session.status_code == 200
    body = by_token.json()
    assert set(body) == APPLICATION_FIELDS
    assert body["reference"] == application.reference
    assert body["state"] == "submitted"
    assert body["transitions"] == []
    assert by_session.json()["reference"] == application.reference


def test_staff_of_the_unit_see_it_with_their_steps(service: Service, citizen: User, officer: User) -> None:
    application = submitted_application(service, citizen)

    response = verified_client(officer).get(f"{APPLICATIONS}/{application.reference}?lang=en")
    by_token = token_client(officer).get(f"{APPLICATIONS}/{application.reference}")

    assert response.status_code == by_token.status_code == 200
    assert response.json()["transitions"] == [
        {"key": "start_check", "label": "Start completeness check", "requires_note": False}
    ]
    assert response.json()["overall_due_date"] is not None


def test_staff_without_the_second_factor_are_not_authenticated(
    service: Service, citizen: User, officer: User
) -> None:
    application = submitted_application(service, citizen)
    client = Client()
    client.force_login(officer)

    response = client.get(f"{APPLICATIONS}/{application.reference}")

    assert response.status_code == 401


@pytest.mark.parametrize("persona", ["other_citizen", "other_agency_officer"])
def test_others_get_404(
    service: Service, citizen: User, persona: str, request: pytest.FixtureRequest
) -> None:
    application = submitted_application(service, citizen)
    user = request.getfixturevalue(persona)

    response = token_client(user).get(f"{APPLICATIONS}/{application.reference}")

    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


@pytest.mark.parametrize("reference", ["AKL-2026-000001-0", "bukan-nomor", "AKL-2026-999999-1"])
def test_unknown_or_malformed_references_get_404(service: Service, citizen: User, reference: str) -> None:
    submitted_application(service, citizen)

    response = token_client(citizen).get(f"{APPLICATIONS}/{reference}")

    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


def test_get_without_authentication_gets_401(service: Service, citizen: User) -> None:
    application = submitted_application(service, citizen)

    response = Client().get(f"{APPLICATIONS}/{application.reference}")

    assert response.status_code == 401
    assert response.json()["code"] == "unauthenticated"


# --- POST /applications/{reference}/transitions --------------------------------------------------


def test_staff_take_a_step(service: Service, citizen: User, officer: User) -> None:
    application = submitted_application(service, citizen)

    response = transition(token_client(officer), application.reference, "start_check")

    assert response.status_code == 200, response.json()
    assert response.json()["state"] == "completeness_check"
    assert [entry["state"] for entry in response.json()["timeline"]] == ["submitted", "completeness_check"]
    application.refresh_from_db()
    assert application.state == "completeness_check"
    assert AuditEvent.objects.filter(action="applications.start_check", actor_id=officer.pk).count() == 1


def test_a_step_the_caller_may_not_take_is_403_and_changes_nothing(
    service: Service, citizen: User, unit_head: User
) -> None:
    application = submitted_application(service, citizen)
    citizen_api, unit_head_api = token_client(citizen), token_client(unit_head)
    before = snapshot()

    by_applicant = transition(citizen_api, application.reference, "start_check")
    by_unit_head = transition(unit_head_api, application.reference, "start_check")

    assert by_applicant.status_code == by_unit_head.status_code == 403
    assert by_applicant.json()["code"] == "forbidden"
    assert snapshot() == before
    application.refresh_from_db()
    assert application.state == "submitted"


def test_a_step_from_the_wrong_state_is_409(service: Service, citizen: User, officer: User) -> None:
    application = application_in("processing", service, citizen, officer=officer, unit_head=officer)
    officer_api = token_client(officer)
    before = snapshot()

    response = transition(officer_api, application.reference, "start_check")

    assert response.status_code == 409
    assert response.json()["code"] == "wrong_state"
    assert snapshot() == before


def test_a_step_that_needs_a_note_is_422_with_the_field(
    service: Service, citizen: User, officer: User
) -> None:
    application = application_in("completeness_check", service, citizen, officer=officer, unit_head=officer)
    officer_api = token_client(officer)
    before = snapshot()

    response = transition(officer_api, application.reference, "return_for_correction", query="?lang=en")

    assert response.status_code == 422
    assert response.json()["code"] == "note_required"
    assert response.json()["fields"] == {"note": ["Write a note: the applicant needs to know why."]}
    assert snapshot() == before


def test_an_unknown_step_is_422(service: Service, citizen: User, officer: User) -> None:
    application = submitted_application(service, citizen)

    response = transition(token_client(officer), application.reference, "terbang")

    assert response.status_code == 422
    assert response.json()["code"] == "unknown_transition"
    assert set(response.json()["fields"]) == {"transition"}


def test_the_applicant_resubmits_after_correction(service: Service, citizen: User, officer: User) -> None:
    application = application_in(
        "returned_for_correction", service, citizen, officer=officer, unit_head=officer
    )
    client = token_client(citizen)

    seen = client.get(f"{APPLICATIONS}/{application.reference}")
    response = transition(client, application.reference, "resubmit")

    assert [t["key"] for t in seen.json()["transitions"]] == ["resubmit"]
    assert response.status_code == 200
    assert response.json()["state"] == "completeness_check"


def test_transitions_of_an_application_out_of_sight_are_404(
    service: Service, citizen: User, other_agency_officer: User
) -> None:
    application = submitted_application(service, citizen)
    outsider = token_client(other_agency_officer)
    before = snapshot()

    response = transition(outsider, application.reference, "start_check")

    assert response.status_code == 404
    assert snapshot() == before


def test_a_malformed_transition_body_gets_our_error_shape(
    service: Service, citizen: User, officer: User
) -> None:
    application = submitted_application(service, citizen)

    response = token_client(officer).post(
        f"{APPLICATIONS}/{application.reference}/transitions", {"note": "x"}, content_type="application/json"
    )

    assert response.status_code == 422
    assert response.json()["code"] == "invalid_request"
    assert set(response.json()["fields"]) == {"transition"}


# --- OpenAPI --------------------------------------------------------------------------------------


def test_openapi_documents_the_three_operations(client: Client) -> None:
    document = client.get("/api/v1/openapi.json").json()

    paths = document["paths"]
    create = paths["/api/v1/applications"]["post"]
    assert "get" in paths["/api/v1/applications/{reference}"]
    assert "post" in paths["/api/v1/applications/{reference}/transitions"]
    header = next(p for p in create["parameters"] if p["name"] == "Idempotency-Key")
    assert (header["in"], header["required"]) == ("header", True)
    assert set(create["responses"]) >= {"200", "201", "400", "401", "403", "422"}
    assert create["responses"]["422"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/ErrorOut"
    }
    assert {"BearerToken": []} in create["security"]
    schemas = document["components"]["schemas"]
    assert set(schemas["ErrorOut"]["properties"]) == {"code", "message", "fields"}
    assert "tracking_secret" in schemas["ApplicationCreatedOut"]["properties"]
    assert "tracking_secret" not in schemas["ApplicationOut"]["properties"]
    assert "answers" not in schemas["ApplicationOut"]["properties"]
    assert document["components"]["securitySchemes"]["BearerToken"] == {"type": "http", "scheme": "bearer"}


# --- Concurrency (PostgreSQL) ---------------------------------------------------------------------


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_two_identical_requests_at_the_same_time_make_one_application(
    service: Service, citizen: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    body = body_for(service, citizen)
    _api_token, token = create_api_token(citizen, name="tests", actor=None)
    # Both requests pass the idempotency look-up before either inserts: the race, every time.
    both_checked = threading.Barrier(2, timeout=20)
    original = actions.next_reference

    def next_reference_after_both_checked(prefix: str, year: int) -> str:
        both_checked.wait()
        return original(prefix, year)

    monkeypatch.setattr(actions, "next_reference", next_reference_after_both_checked)
    results: list[Any] = []
    errors: list[BaseException] = []

    def post() -> None:
        try:
            results.append(apply(Client(headers={"Authorization": f"Bearer {token}"}), body))
        except BaseException as error:  # noqa: BLE001 - reported by the assertion below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=post) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert errors == []
    assert sorted(response.status_code for response in results) == [200, 201]
    assert len({response.json()["reference"] for response in results}) == 1
    assert [
        ("tracking_secret" in response.json()) for response in results if response.status_code == 200
    ] == [False]
    assert Application.objects.count() == 1
    assert AuditEvent.objects.filter(action="applications.submitted").count() == 1


def test_get_takes_a_constant_number_of_queries(
    service: Service, citizen: User, officer: User, django_assert_num_queries: Any
) -> None:
    application = application_in("processing", service, citizen, officer=officer, unit_head=officer)
    client = verified_client(officer)
    client.get(f"{APPLICATIONS}/{application.reference}")  # warm the workflow cache

    # Session, user, TOTP device; the application with its service, unit and workflow; may the
    # officer see it; the timeline (one query, however long); the officer's roles for the steps.
    with django_assert_num_queries(7):
        response = client.get(f"{APPLICATIONS}/{application.reference}")

    assert response.status_code == 200
    assert len(response.json()["timeline"]) == 3

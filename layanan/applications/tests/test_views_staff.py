"""The back office of applications: queue, case, steps, assignment, personal data and documents,
workload and the workflow editor; the persona matrix and query counts."""

from __future__ import annotations

import datetime
import hashlib
import json
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from layanan.accounts.models import ServiceUnit, StaffMembership, User
from layanan.accounts.roles import Role
from layanan.accounts.tests.factories import ServiceUnitFactory
from layanan.applications.actions import assign_application, transition_application, workflow_scope
from layanan.applications.models import Application, ApplicationEvent, ServiceConfig
from layanan.applications.tests.factories import (
    VALID_NIK,
    application_in,
    service_counting_from_submission,
    submitted_application,
)
from layanan.applications.tests.test_queries_staff import queue_rows
from layanan.applications.tests.test_workflow_actions import case_in
from layanan.audit.models import AuditEvent
from layanan.catalog.models import Service
from layanan.catalog.tests.factories import ServiceFactory, service_with_adopted_standard
from layanan.core.testing import verified_client
from layanan.workflow.models import NO_DUE_DATE, StoredWorkflow

pytestmark = pytest.mark.django_db

QUEUE = "/petugas/permohonan/"
WORKLOAD = "/petugas/permohonan/beban-kerja/"
NOTE = "Foto KTP tidak terbaca, mohon unggah ulang."


@pytest.fixture
def service(unit_a: ServiceUnit) -> Service:
    return service_counting_from_submission(
        unit=unit_a, channel="both", slug="kartu-keluarga", name="Kartu Keluarga"
    )


@pytest.fixture
def application(service: Service, citizen: User) -> Application:
    return submitted_application(service, citizen)


def _client(request: pytest.FixtureRequest, persona: str, *, language: str = "en") -> Client:
    if persona == "anonymous":
        client = Client()
    elif persona in {"citizen", "other_citizen"}:
        client = Client()
        client.force_login(request.getfixturevalue(persona))
    else:
        client = verified_client(request.getfixturevalue(persona))
    client.cookies["layanan_language"] = language
    return client


def _en(client: Client) -> Client:
    client.cookies["layanan_language"] = "en"
    return client


def _text(response: Any) -> str:
    return str(response.content.decode())


def case_url(application: Application, suffix: str = "") -> str:
    return f"/petugas/permohonan/{application.reference}/{suffix}"


def _state(application: Application) -> tuple[Any, ...]:
    application.refresh_from_db()
    return (
        application.state,
        application.assigned_to_id,
        ApplicationEvent.objects.filter(case=application).count(),
        AuditEvent.objects.count(),
    )


# --- URLs -----------------------------------------------------------------------------------------


def test_url_names_of_the_back_office(application: Application, service: Service) -> None:
    document = application.documents.select_related("vault_document").first()
    assert document is not None
    ref = application.reference
    assert reverse("applications:staff-queue") == QUEUE
    assert reverse("applications:staff-workload") == WORKLOAD
    assert reverse("applications:staff-case", kwargs={"reference": ref}) == case_url(application)
    assert application.get_staff_url() == case_url(application)
    assert reverse(
        "applications:staff-document",
        kwargs={"reference": ref, "document": document.vault_document.public_id},
    ) == case_url(application, f"dokumen/{document.vault_document.public_id}/")
    assert (
        reverse("applications:staff-workflow", kwargs={"slug": service.slug})
        == "/petugas/layanan/kartu-keluarga/alur/"
    )
    assert reverse(
        "applications:staff-transition", kwargs={"reference": ref, "transition": "approve"}
    ) == case_url(application, "langkah/approve/")


# --- Queue ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("persona", "status", "sees"),
    [
        ("anonymous", 302, False),
        ("citizen", 403, False),
        ("front_officer", 200, True),
        ("officer", 200, True),
        ("unit_head", 200, True),
        ("inspector", 200, True),
        ("coordinator", 200, False),
        ("other_agency_officer", 200, False),
        ("admin_user", 200, False),
    ],
)
def test_queue_persona_matrix(
    persona: str, status: int, sees: bool, request: pytest.FixtureRequest, application: Application
) -> None:
    response = _client(request, persona).get(QUEUE)

    assert response.status_code == status
    if status == 302:
        assert response["Location"].startswith(reverse("accounts:staff-signin"))
    if status == 200:
        assert (application.reference in _text(response)) is sees


def test_queue_shows_the_columns_and_deadline_tags_as_text(
    officer_client: Client, application: Application, officer: User
) -> None:
    late = queue_rows(
        application, [datetime.date(2020, 1, 6)], state="processing", assigned_to_id=officer.pk
    )[0]
    queue_rows(application, [NO_DUE_DATE], state="returned_for_correction")

    page = _text(_en(officer_client).get(QUEUE))

    assert "Kartu Keluarga" in page
    assert "Completeness check" in page or "Submitted" in page
    assert "Processing" in page
    assert "Returned for correction" in page
    assert '<strong class="tag tag-red">Overdue</strong>' in page
    assert "No deadline running" in page
    assert officer.full_name in page
    assert "Online" in page
    assert f'href="{case_url(application)}"' in page
    # The earliest due date comes first; a case without a running deadline last.
    assert page.index(late.reference) < page.index(application.reference) < page.index("No deadline running")


def test_queue_never_decrypts_answers(officer_client: Client, application: Application) -> None:
    page = _text(_en(officer_client).get(QUEUE))
    assert application.reference in page
    assert VALID_NIK not in page
    assert VALID_NIK[:4] + "*" not in page
    assert "Siti Rahmawati" not in page  # the applicant's name is an answer: not on the list


def test_queue_filters(officer_client: Client, application: Application, officer: User) -> None:
    late = queue_rows(application, [datetime.date(2020, 1, 6)], state="processing")[0]
    mine = queue_rows(application, [datetime.date(2099, 1, 6)], assigned_to_id=officer.pk)[0]
    client = _en(officer_client)

    def refs(query: str) -> set[str]:
        page = _text(client.get(f"{QUEUE}?{query}"))
        return {a.reference for a in (application, late, mine) if a.reference in page}

    assert refs("") == {application.reference, late.reference, mine.reference}
    assert refs("state=processing") == {late.reference}
    assert refs("deadline=overdue") == {late.reference}
    assert refs("mine=on") == {mine.reference}
    assert refs("state=processing&mine=on") == set()
    assert "No application matches these filters." in _text(client.get(f"{QUEUE}?state=rejected"))


def test_queue_refuses_unknown_filter_values_with_a_message(
    officer_client: Client, application: Application
) -> None:
    response = _en(officer_client).get(f"{QUEUE}?state=nonsense&deadline=tomorrow&after=garbage")

    assert response.status_code == 200
    page = _text(response)
    assert "There is a problem" in page
    assert "Select a valid choice" in page
    assert application.reference in page  # the invalid filters are dropped, the queue still shows


def test_queue_unit_filter_for_officers_of_several_units(
    request: pytest.FixtureRequest, application: Application, officer: User, unit_a: ServiceUnit
) -> None:
    second = ServiceUnitFactory(agency=unit_a.agency, name="Loket Dua")
    StaffMembership.objects.create(user=officer, role=Role.BACK_OFFICE, unit=second, agency=second.agency)
    there = queue_rows(application, [datetime.date(2099, 1, 1)], unit_id=second.pk)[0]
    client = _client(request, "officer")

    everything = _text(client.get(QUEUE))
    only_second = _text(client.get(f"{QUEUE}?unit={unit_a.agency.slug}/{second.slug}"))

    assert application.reference in everything
    assert there.reference in everything
    assert "Loket Dua" in everything  # unit column and unit filter
    assert there.reference in only_second
    assert application.reference not in only_second


def test_queue_pages_by_keyset_without_repeating_or_skipping(
    officer_client: Client, application: Application
) -> None:
    days = [datetime.date(2026, 4, 1 + i % 3) for i in range(55)]
    rows = queue_rows(application, days)
    expected = [a.reference for a in sorted([*rows, application], key=lambda a: (a.due_date, a.pk))]
    client = _en(officer_client)

    seen: list[str] = []
    url = QUEUE
    for _page in range(10):
        response = client.get(url)
        page = _text(response)
        on_page = [ref for ref in expected if f">{ref}</a>" in page]
        seen.extend(sorted(on_page, key=expected.index))
        next_link = response.context["next_after"]
        if not next_link:
            break
        assert f"after={next_link}" in page
        url = f"{QUEUE}?after={next_link}"
    assert seen == expected
    assert "Back to the first page" in page


def test_queue_query_count_does_not_depend_on_the_number_of_rows(
    officer_client: Client,
    application: Application,
    officer: User,
    front_officer: User,
    django_assert_num_queries: Any,
) -> None:
    other_service = service_with_adopted_standard(unit=application.unit, channel="both")
    queue_rows(application, [datetime.date(2026, 4, 1)], assigned_to_id=officer.pk)
    queue_rows(application, [datetime.date(2026, 4, 1)], service_id=other_service.pk)
    officer_client.get(QUEUE)  # warm the calendar of this test
    with CaptureQueriesContext(connection) as three:
        response = officer_client.get(QUEUE)
    assert len(response.context["page"].rows) == 3

    for index in range(27):
        queue_rows(
            application,
            [datetime.date(2026, 4, 2)],
            assigned_to_id=(officer.pk, front_officer.pk, None)[index % 3],
            service_id=(application.service_id, other_service.pk)[index % 2],
            state=("completeness_check", "processing")[index % 2],
        )
    with django_assert_num_queries(len(three.captured_queries)):
        response = officer_client.get(QUEUE)
    assert len(response.context["page"].rows) == 25


# --- Case page ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("anonymous", 302),
        ("citizen", 403),  # the applicant too: this is the staff area
        ("other_citizen", 403),
        ("front_officer", 200),
        ("officer", 200),
        ("unit_head", 200),
        ("inspector", 200),
        ("coordinator", 404),
        ("other_agency_officer", 404),
        ("admin_user", 404),
    ],
)
def test_case_persona_matrix(
    persona: str, status: int, request: pytest.FixtureRequest, application: Application
) -> None:
    client = _client(request, persona)
    document = application.documents.select_related("vault_document").first()
    assert document is not None
    before = AuditEvent.objects.count()

    assert client.get(case_url(application)).status_code == status
    doc_status = client.get(
        case_url(application, f"dokumen/{document.vault_document.public_id}/")
    ).status_code
    assert doc_status == status
    assert client.post(case_url(application, "data/nik/")).status_code == status

    if status != 200:
        assert AuditEvent.objects.count() == before  # nothing viewed, nothing recorded


def test_case_page_shows_deadlines_timeline_masked_answers_and_documents(
    officer_client: Client, application: Application, officer: User, unit_head: User
) -> None:
    application = transition_application(application, "start_check", actor=officer)
    assign_application(application, assignee=officer, actor=officer)

    response = _en(officer_client).get(case_url(application))

    assert response.status_code == 200
    page = _text(response)
    assert "Kartu Keluarga" in page
    assert "Completeness check" in page
    # Deadlines: the step and the service standard; Pasal 53 not started yet.
    assert "Deadline of this step: Completeness check" in page
    assert "Overall deadline (service standard)" in page
    assert "Decision due (UU 30/2014 Pasal 53)" in page
    assert "Not started" in page
    # Timeline, with the staff-only assignment marked.
    assert "Start completeness check" in page
    assert f"Assigned to {officer.full_name}" in page
    assert "Staff only" in page
    # Answers: the name as typed, the NIK masked, never in full.
    assert "Siti Rahmawati" in page
    assert "3515********0001" in page
    assert VALID_NIK not in page
    assert "0812*****890" in page
    assert "081234567890" not in page
    assert "Jl. ************" in page
    assert "Merdeka" not in page
    # Documents: images inline from the staff document view, no iframes.
    for share in application.documents.select_related("vault_document"):
        assert f'src="{case_url(application, f"dokumen/{share.vault_document.public_id}/")}"' in page
    assert "<iframe" not in page
    # Steps for a back-office officer in the completeness check.
    assert 'action="' + case_url(application, "langkah/accept_complete/") + '"' in page
    assert 'action="' + case_url(application, "langkah/return_for_correction/") + '"' in page
    assert "langkah/approve/" not in page
    assert "Give back" in page
    assert "Assign to me" not in page
    assert 'id="assignee"' not in page  # only the unit head picks someone else


def test_unit_head_sees_approve_and_the_assign_select(
    unit_head_client: Client,
    service: Service,
    citizen: User,
    officer: User,
    unit_head: User,
    front_officer: User,
) -> None:
    application = application_in("processing", service, citizen, officer=officer, unit_head=unit_head)

    page = _text(_en(unit_head_client).get(case_url(application)))

    assert "langkah/approve/" in page
    assert "langkah/reject/" in page
    assert 'id="assignee"' in page
    assert f'value="{officer.username}"' in page
    assert f'value="{front_officer.username}"' in page
    assert "Decision due (UU 30/2014 Pasal 53)" in page


def test_inspector_reads_the_case_but_has_no_step(
    request: pytest.FixtureRequest, application: Application
) -> None:
    page = _text(_client(request, "inspector").get(case_url(application)))
    assert "There is no step for you to take now." in page
    assert "langkah/" not in page
    assert "Assign to me" not in page


# --- Personal data --------------------------------------------------------------------------------


def test_revealing_one_field_shows_it_once_and_records_the_field_only(
    officer_client: Client, application: Application, officer: User
) -> None:
    before = AuditEvent.objects.count()

    response = _en(officer_client).post(case_url(application, "data/nik/"))

    assert response.status_code == 200
    page = _text(response)
    assert VALID_NIK in page
    assert "0812*****890" in page  # the other fields stay masked
    assert "Your viewing was recorded." in page
    event = AuditEvent.objects.latest("id")
    assert AuditEvent.objects.count() == before + 1
    assert event.action == "applications.personal_data_viewed"
    assert event.actor_id == officer.pk
    assert event.summary == {"field": "nik"}
    assert VALID_NIK not in json.dumps(event.summary)
    # A fresh page shows it masked again.
    assert VALID_NIK not in _text(officer_client.get(case_url(application)))


def test_revealing_the_address_shows_street_and_place(
    officer_client: Client, application: Application
) -> None:
    page = _text(_en(officer_client).post(case_url(application, "data/alamat/")))
    assert "Jl. Merdeka 1 RT 01/RW 02" in page


@pytest.mark.parametrize("field", ["nama", "pernyataan", "unknown", "dok_1_ktp"])
def test_only_personal_data_fields_can_be_revealed(
    officer_client: Client, application: Application, field: str
) -> None:
    before = AuditEvent.objects.count()
    assert officer_client.post(case_url(application, f"data/{field}/")).status_code == 404
    assert AuditEvent.objects.count() == before


def test_reveal_is_post_only(officer_client: Client, application: Application) -> None:
    assert officer_client.get(case_url(application, "data/nik/")).status_code == 405


# --- Documents ------------------------------------------------------------------------------------


def test_a_shared_document_is_served_decrypted_with_safe_headers_and_audited(
    officer_client: Client, application: Application, officer: User
) -> None:
    share = application.documents.select_related("vault_document").first()
    assert share is not None
    document = share.vault_document
    before = AuditEvent.objects.count()

    response = officer_client.get(case_url(application, f"dokumen/{document.public_id}/"))

    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    body = b"".join(response) if response.streaming else response.content
    assert body.startswith(b"\x89PNG")
    assert hashlib.sha256(body).hexdigest() == document.sha256  # decrypted, byte for byte
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "no-store" in response["Cache-Control"]
    assert response["Content-Security-Policy"].startswith("sandbox")
    assert (
        response["Content-Disposition"] == f'inline; filename="{application.reference}-{share.field_key}.png"'
    )
    event = AuditEvent.objects.latest("id")
    assert AuditEvent.objects.count() == before + 1
    assert event.action == "applications.document_viewed"
    assert event.actor_id == officer.pk
    assert event.summary["document"] == str(document.public_id)
    assert event.summary["field"] == share.field_key


def test_a_document_not_shared_into_this_application_is_not_found(
    officer_client: Client, application: Application, service: Service, other_citizen: User
) -> None:
    other = submitted_application(service, other_citizen)
    foreign = other.documents.select_related("vault_document").first()
    assert foreign is not None
    before = AuditEvent.objects.count()

    response = officer_client.get(case_url(application, f"dokumen/{foreign.vault_document.public_id}/"))

    assert response.status_code == 404
    assert AuditEvent.objects.count() == before


# --- Steps ----------------------------------------------------------------------------------------


def test_an_officer_takes_a_step_with_one_click(
    officer_client: Client, application: Application, officer: User
) -> None:
    response = _en(officer_client).post(case_url(application, "langkah/start_check/"), {"note": ""})

    assert response.status_code == 302
    assert response["Location"] == case_url(application)
    application.refresh_from_db()
    assert application.state == "completeness_check"
    assert AuditEvent.objects.filter(action="applications.start_check", actor_id=officer.pk).count() == 1
    follow = _text(officer_client.get(case_url(application)))
    assert "Done: Start completeness check." in follow


def test_a_step_that_needs_a_note_comes_back_with_the_message(
    officer_client: Client, application: Application, officer: User
) -> None:
    application = transition_application(application, "start_check", actor=officer)
    before = _state(application)

    response = _en(officer_client).post(
        case_url(application, "langkah/return_for_correction/"), {"note": "  "}
    )

    assert response.status_code == 200
    page = _text(response)
    assert "Write a note: the applicant needs to know why." in page
    assert 'href="#note-return_for_correction"' in page
    assert 'aria-invalid="true"' in page
    assert "<title>Error:" in page
    assert _state(application) == before


def test_a_step_another_officer_took_first_keeps_the_note_and_explains(
    request: pytest.FixtureRequest, application: Application, officer: User, front_officer: User
) -> None:
    application = transition_application(application, "start_check", actor=officer)
    front_page = _client(request, "front_officer").get(case_url(application))  # both see the button
    assert "langkah/accept_complete/" in _text(front_page)
    transition_application(application, "accept_complete", actor=officer)  # the colleague was faster
    before = _state(application)

    note = "Berkas lengkap & sesuai <b>asli</b>."
    response = _client(request, "front_officer").post(
        case_url(application, "langkah/accept_complete/"), {"note": note}
    )

    assert response.status_code == 200
    page = _text(response)
    assert "This application has already moved on." in page
    assert "Your note was not saved" in page
    assert "Berkas lengkap &amp; sesuai &lt;b&gt;asli&lt;/b&gt;." in page  # kept, escaped
    assert "Processing" in page  # the page shows the state as it is now
    assert _state(application) == before


def test_an_unknown_step_is_refused_and_the_note_is_given_back(
    officer_client: Client, application: Application, officer: User
) -> None:
    application = transition_application(application, "start_check", actor=officer)
    config = ServiceConfig.objects.get(service=application.service)
    assert config.workflow_id == application.workflow_id
    before = _state(application)

    response = _en(officer_client).post(
        case_url(application, "langkah/unknown_step/"), {"note": "Catatan yang tidak boleh hilang"}
    )

    assert response.status_code == 200
    assert "Unknown step." in _text(response)
    assert "Catatan yang tidak boleh hilang" in _text(response)
    assert _state(application) == before


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("inspector", 403),
        ("front_officer", 403),
        ("other_agency_officer", 404),
        ("citizen", 403),
        ("anonymous", 302),
    ],
)
def test_a_step_outside_ones_role_changes_nothing(
    persona: str,
    status: int,
    request: pytest.FixtureRequest,
    service: Service,
    citizen: User,
    officer: User,
    unit_head: User,
) -> None:
    application = application_in("processing", service, citizen, officer=officer, unit_head=unit_head)
    before = _state(application)

    response = _client(request, persona).post(case_url(application, "langkah/approve/"), {"note": "ok"})

    assert response.status_code == status
    assert _state(application) == before


def test_steps_are_post_only(officer_client: Client, application: Application) -> None:
    assert officer_client.get(case_url(application, "langkah/start_check/")).status_code == 405


# --- Assignment -----------------------------------------------------------------------------------


def test_an_officer_takes_and_gives_back_a_case(
    officer_client: Client, application: Application, officer: User
) -> None:
    client = _en(officer_client)
    response = client.post(case_url(application, "penugasan/"), {"assign": "me"})
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.assigned_to_id == officer.pk
    assert "Give back" in _text(client.get(case_url(application)))

    assert client.post(case_url(application, "penugasan/"), {"assign": "nobody"}).status_code == 302
    application.refresh_from_db()
    assert application.assigned_to_id is None
    assert AuditEvent.objects.filter(action="applications.assigned").count() == 2


def test_an_officer_cannot_hand_a_case_to_a_colleague(
    officer_client: Client, application: Application, front_officer: User
) -> None:
    before = _state(application)
    response = officer_client.post(
        case_url(application, "penugasan/"), {"assign": "chosen", "assignee": front_officer.username}
    )
    assert response.status_code == 403
    assert _state(application) == before


def test_the_unit_head_assigns_an_officer_of_the_unit(
    unit_head_client: Client, application: Application, front_officer: User, other_agency_officer: User
) -> None:
    client = _en(unit_head_client)
    response = client.post(
        case_url(application, "penugasan/"), {"assign": "chosen", "assignee": front_officer.username}
    )
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.assigned_to_id == front_officer.pk

    before = _state(application)
    refused = client.post(
        case_url(application, "penugasan/"), {"assign": "chosen", "assignee": other_agency_officer.username}
    )
    assert refused.status_code == 200
    assert "This person does not work in the unit of this application." in _text(refused)
    assert _state(application) == before

    unknown = client.post(
        case_url(application, "penugasan/"), {"assign": "chosen", "assignee": "nobody-here"}
    )
    assert "Choose an officer of this unit from the list." in _text(unknown)
    assert _state(application) == before

    blank = client.post(case_url(application, "penugasan/"), {"assign": "chosen", "assignee": ""})
    assert blank.status_code == 302
    application.refresh_from_db()
    assert application.assigned_to_id is None


# --- Workload -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("anonymous", 302),
        ("citizen", 403),
        ("front_officer", 403),
        ("officer", 403),
        ("inspector", 403),
        ("other_agency_officer", 403),
        ("admin_user", 403),
        ("unit_head", 200),
    ],
)
def test_workload_is_for_unit_heads(persona: str, status: int, request: pytest.FixtureRequest) -> None:
    assert _client(request, persona).get(WORKLOAD).status_code == status


def test_workload_counts_and_overdue_list(
    unit_head_client: Client, application: Application, officer: User
) -> None:
    late = queue_rows(application, [datetime.date(2020, 1, 6)], assigned_to_id=officer.pk)[0]
    queue_rows(application, [datetime.date(2099, 1, 6)] * 2, assigned_to_id=officer.pk)

    page = _text(_en(unit_head_client).get(WORKLOAD))

    assert officer.full_name in page
    assert "Not assigned to anyone" in page
    assert f'href="{case_url(late)}"' in page
    assert f'href="{case_url(application)}"' not in page  # not overdue
    assert "4 open, 1 overdue" in page


def test_workload_query_count_is_constant(
    unit_head_client: Client, application: Application, officer: User, django_assert_num_queries: Any
) -> None:
    queue_rows(application, [datetime.date(2020, 1, 6)] * 2, assigned_to_id=officer.pk)
    unit_head_client.get(WORKLOAD)
    with CaptureQueriesContext(connection) as few:
        unit_head_client.get(WORKLOAD)
    queue_rows(application, [datetime.date(2020, 1, 7)] * 30, assigned_to_id=officer.pk)
    queue_rows(application, [datetime.date(2099, 1, 7)] * 10)
    with django_assert_num_queries(len(few.captured_queries)):
        unit_head_client.get(WORKLOAD)


# --- Workflow editor ------------------------------------------------------------------------------


def _workflow_url(service: Service) -> str:
    return f"/petugas/layanan/{service.slug}/alur/"


def _workflow_form(response: Any) -> dict[str, Any]:
    """The form's current values, as a browser would post them back."""
    form = response.context["form"]
    data: dict[str, Any] = {}
    for name, field in form.fields.items():
        value = form.initial.get(name, field.initial)
        if value is None:
            data[name] = ""
        else:
            data[name] = value
    return data


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("anonymous", 302),
        ("citizen", 403),
        ("front_officer", 403),
        ("officer", 403),
        ("inspector", 403),
        ("other_agency_officer", 403),
        ("unit_head", 200),
        ("admin_user", 200),
    ],
)
def test_workflow_editor_persona_matrix(
    persona: str, status: int, request: pytest.FixtureRequest, application: Application, service: Service
) -> None:
    client = _client(request, persona)
    before = (StoredWorkflow.objects.count(), AuditEvent.objects.count())

    assert client.get(_workflow_url(service)).status_code == status
    if status != 200:
        assert client.post(_workflow_url(service), {"overall": "9"}).status_code == status
        assert (StoredWorkflow.objects.count(), AuditEvent.objects.count()) == before


def test_unit_head_edits_deadlines_alarm_and_roles_as_a_new_version(
    unit_head_client: Client, application: Application, service: Service, unit_head: User
) -> None:
    client = _en(unit_head_client)
    page = client.get(_workflow_url(service))
    assert "Version" in _text(page)
    assert "In force" in _text(page)
    data = _workflow_form(page)
    data.update(
        {
            "overall": "10",
            "state_processing": "4",
            "alarm_pasal_53": "",
            "roles_approve": ["unit_head", "back_office"],
        }
    )

    response = client.post(_workflow_url(service), data)

    assert response.status_code == 302
    config = ServiceConfig.objects.select_related("workflow").get(service=service)
    assert config.workflow.version == 2
    assert config.workflow.created_by_id == unit_head.pk
    definition = config.workflow.parsed()
    assert definition.overall_deadline_working_days == 10
    assert definition.state("processing").deadline_working_days == 4
    assert definition.state("completeness_check").deadline_working_days == 1
    assert definition.alarms == ()
    approve = next(t for t in definition.transitions if t.key == "approve")
    assert approve.roles == frozenset({"unit_head", "back_office"})
    assert AuditEvent.objects.filter(action="applications.workflow_updated").count() == 1
    # The case already running keeps its version.
    application.refresh_from_db()
    assert application.workflow.version == 1
    follow = _text(client.get(_workflow_url(service)))
    assert "Version 2 of the workflow is in force for new applications." in follow

    # Switching the alarm back on restores it from the default, with the days chosen.
    data2 = _workflow_form(client.get(_workflow_url(service)))
    data2["alarm_pasal_53"] = "7"
    assert client.post(_workflow_url(service), data2).status_code == 302
    config.refresh_from_db()
    assert config.workflow.version == 3
    assert [(a.key, a.working_days) for a in config.workflow.parsed().alarms] == [("pasal_53", 7)]


def test_saving_an_unchanged_workflow_adds_no_version(
    unit_head_client: Client, application: Application, service: Service
) -> None:
    client = _en(unit_head_client)
    data = _workflow_form(client.get(_workflow_url(service)))
    before = (StoredWorkflow.objects.count(), AuditEvent.objects.count())

    response = client.post(_workflow_url(service), data, follow=True)

    assert "Nothing changed" in _text(response)
    assert (StoredWorkflow.objects.count(), AuditEvent.objects.count()) == before


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"roles_approve": []}, "Choose at least one role: otherwise nobody can take this step."),
        ({"overall": "0"}, "Ensure this value is greater than or equal to 1."),
        ({"state_completeness_check": "tiga"}, "Enter a whole number."),
        ({"roles_start_check": ["janitor"]}, "Select a valid choice."),
    ],
)
def test_a_workflow_with_problems_comes_back_with_messages_and_the_values(
    unit_head_client: Client, application: Application, service: Service, change: dict[str, Any], message: str
) -> None:
    client = _en(unit_head_client)
    data = _workflow_form(client.get(_workflow_url(service)))
    data.update(change)
    before = (StoredWorkflow.objects.count(), AuditEvent.objects.count())

    response = client.post(_workflow_url(service), data)

    assert response.status_code == 200
    page = _text(response)
    assert "There is a problem" in page
    assert message in page
    if change.get("state_completeness_check") == "tiga":
        assert 'value="tiga"' in page
    assert (StoredWorkflow.objects.count(), AuditEvent.objects.count()) == before


def test_a_service_without_applications_yet_shows_the_seeded_workflow(
    unit_head_client: Client, unit_a: ServiceUnit
) -> None:
    fresh = service_with_adopted_standard(unit=unit_a, slug="surat-pindah")
    page = _text(_en(unit_head_client).get(_workflow_url(fresh)))
    assert 'name="overall" value="3"' in page
    assert "No version is saved yet" in page
    assert not ServiceConfig.objects.filter(service=fresh).exists()  # a GET writes nothing


def test_a_service_without_a_standard_has_no_workflow_form(
    unit_head_client: Client, unit_a: ServiceUnit
) -> None:
    bare = ServiceFactory(unit=unit_a, slug="belum-ada-standar")
    page = _text(_en(unit_head_client).get(_workflow_url(bare)))
    assert "has no adopted standard yet" in page
    assert '<form method="post" action="/petugas/layanan/' not in page
    assert _en(unit_head_client).get("/petugas/layanan/tidak-ada/alur/").status_code == 404


def test_workflow_versions_are_listed_newest_first(
    unit_head_client: Client, application: Application, service: Service
) -> None:
    scope = workflow_scope(service)
    assert StoredWorkflow.objects.filter(scope=scope).count() == 1
    response = _en(unit_head_client).get(_workflow_url(service))
    versions = response.context["versions"]
    assert [v.version for v in versions] == [1]
    assert "Set up from the service standard" in _text(response)


def test_the_case_page_includes_payment_and_outputs(
    request: pytest.FixtureRequest, unit_head_client: Client
) -> None:
    application = case_in("awaiting_payment", request, fee=True)
    bill = application.bills.get()

    page = _text(unit_head_client.get(case_url(application)))

    assert bill.billing_code in page

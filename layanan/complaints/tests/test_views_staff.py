"""The staff side of complaints: each role's queue and the persona matrix, query counts, the case
page, every step through its POST form, the one-click confirmation of the routing suggestion, the
CSV export, the escalation command, and an anonymous reporter's identity absent from every page."""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from layanan.accounts.models import ServiceUnit, User
from layanan.accounts.roles import Role
from layanan.accounts.tests.factories import AgencyFactory, ServiceUnitFactory, region, staff_with_role
from layanan.audit.models import AuditEvent
from layanan.complaints import actions
from layanan.complaints.actions import dispose_complaint, transition_complaint
from layanan.complaints.models import Complaint, ComplaintEvent, Disposition
from layanan.complaints.tests.factories import category, report
from layanan.core.testing import verified_client
from layanan.core.tests.test_uploads import png_bytes

pytestmark = pytest.mark.django_db

QUEUE = "/petugas/pengaduan/"
EXPORT = "/petugas/pengaduan/ekspor.csv"
NAME = "Rahmat Hidayatullah"
EMAIL = "rahmat.rahasia@example.id"
PHONE = "081298765432"
NIK = "3374015508900009"
IDENTITY = (NAME, EMAIL, PHONE, "+6281298765432", NIK, "Rahmat", "rahmat.rahasia")


def _client(request: pytest.FixtureRequest, persona: str, *, language: str = "en") -> Client:
    if persona == "anonymous":
        client = Client()
    elif persona == "citizen":
        client = Client()
        client.force_login(request.getfixturevalue(persona))
    else:
        client = verified_client(request.getfixturevalue(persona))
    client.cookies["layanan_language"] = language
    return client


def _signed_in(user: User, language: str = "en") -> Client:
    client = verified_client(user)
    client.cookies["layanan_language"] = language
    return client


def _text(response: Any) -> str:
    return str(response.content.decode())


def case_url(complaint: Complaint, suffix: str = "") -> str:
    return f"/petugas/pengaduan/{complaint.reference}/{suffix}"


def _anonymous_report(**kwargs: Any) -> Complaint:
    details = {"name": NAME, "email": EMAIL, "phone": PHONE, "nik": NIK}
    return report(is_anonymous=True, reporter_details=details, **kwargs).complaint


def _named_report(**kwargs: Any) -> Complaint:
    details = {"name": NAME, "email": EMAIL, "phone": PHONE, "nik": NIK}
    return report(reporter_details=details, **kwargs).complaint


def _snapshot(complaint: Complaint) -> tuple[Any, ...]:
    complaint.refresh_from_db()
    return (
        complaint.state,
        complaint.unit_id,
        ComplaintEvent.objects.filter(case=complaint).count(),
        Disposition.objects.filter(complaint=complaint).count(),
        AuditEvent.objects.count(),
    )


@pytest.fixture
def other_regency_coordinator(db: None) -> User:
    agency = AgencyFactory(region=region("33.02", "Kabupaten Banyumas"))
    return staff_with_role(Role.COMPLAINT_COORDINATOR, agency=agency)


@pytest.fixture
def complaint(db: None) -> Complaint:
    return _named_report()


@pytest.fixture
def disposed(coordinator: User, unit_a: ServiceUnit) -> Complaint:
    found = _named_report(title="Antrean KTP tidak jelas")
    return dispose_complaint(found, unit=unit_a, actor=coordinator)


# --- URLs -----------------------------------------------------------------------------------------


def test_url_names_of_the_staff_side(complaint: Complaint) -> None:
    ref = complaint.reference
    assert reverse("complaints:staff-queue") == QUEUE
    assert reverse("complaints:staff-export") == EXPORT
    assert reverse("complaints:staff-case", kwargs={"complaint": ref}) == case_url(complaint)
    assert reverse("complaints:staff-transition", kwargs={"complaint": ref, "transition": "archive"}) == (
        case_url(complaint, "langkah/archive/")
    )
    assert reverse("complaints:staff-dispose", kwargs={"complaint": ref}) == case_url(complaint, "disposisi/")
    assert reverse("complaints:staff-reveal", kwargs={"complaint": ref}) == case_url(complaint, "pelapor/")


# --- Queues ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("persona", "status", "sees"),
    [
        ("anonymous", 302, False),
        ("citizen", 403, False),
        ("coordinator", 200, True),
        ("other_regency_coordinator", 200, False),
        ("inspector", 200, False),  # not escalated, not the protected channel: not in its queue
        ("officer", 200, False),  # not disposed to its unit yet
        ("admin_user", 200, False),
    ],
)
def test_queue_persona_matrix(
    persona: str, status: int, sees: bool, request: pytest.FixtureRequest, complaint: Complaint
) -> None:
    response = _client(request, persona).get(QUEUE)

    assert response.status_code == status
    if status == 302:
        assert response["Location"].startswith(reverse("accounts:staff-signin"))
    if status == 200:
        assert (complaint.reference in _text(response)) is sees


def test_the_coordinator_inbox_shows_the_columns(coordinator: User, complaint: Complaint) -> None:
    response = _signed_in(coordinator).get(QUEUE)

    text = _text(response)
    assert complaint.title in text
    assert "Kota Semarang" in text or complaint.region.name in text
    assert "Complaint" in text  # the type
    assert category("lingkungan").name_en in text
    assert case_url(complaint) in text


def test_a_disposed_report_moves_from_the_coordinator_to_the_unit(
    coordinator: User, officer: User, other_agency_officer: User, disposed: Complaint
) -> None:
    assert disposed.reference not in _text(_signed_in(coordinator).get(QUEUE))
    assert disposed.reference in _text(_signed_in(officer).get(QUEUE))
    assert disposed.reference not in _text(_signed_in(other_agency_officer).get(QUEUE))


def test_the_protected_channel_is_for_the_inspectorate_only(
    coordinator: User, inspector: User, officer: User
) -> None:
    pungli = report(kind="pungli", category_slug="pungli", title="Diminta uang pelicin").complaint

    assert pungli.reference in _text(_signed_in(inspector).get(QUEUE))
    assert pungli.reference not in _text(_signed_in(coordinator).get(QUEUE))
    assert _signed_in(coordinator).get(case_url(pungli)).status_code == 404
    assert _signed_in(officer).get(case_url(pungli)).status_code == 404
    assert _signed_in(inspector).get(case_url(pungli)).status_code == 200


def test_queue_filters(coordinator: User) -> None:
    waste = report(title="Sampah di pasar").complaint
    road = report(title="Jalan berlubang", category_slug="lainnya").complaint
    info = report(kind="informasi", title="Minta data anggaran", category_slug="lainnya").complaint
    transition_complaint(road, "start_verification", actor=coordinator)
    client = _signed_in(coordinator)

    def refs(query: str) -> set[str]:
        text = _text(client.get(f"{QUEUE}?{query}"))
        return {c.reference for c in (waste, road, info) if c.reference in text}

    assert refs("") == {waste.reference, road.reference, info.reference}
    assert refs("state=verifying") == {road.reference}
    assert refs("kind=informasi") == {info.reference}
    assert refs("category=lingkungan") == {waste.reference}
    assert refs("deadline=overdue") == set()


def test_queue_refuses_unknown_filter_values_with_a_message(coordinator: User, complaint: Complaint) -> None:
    response = _signed_in(coordinator).get(f"{QUEUE}?state=nonsense&kind=x")

    assert response.status_code == 200
    assert "Select a valid choice" in _text(response) or "error-summary" in _text(response)
    assert complaint.reference in _text(response)


def test_queue_pages_by_keyset_without_repeating_or_skipping(coordinator: User) -> None:
    made = [report(title=f"Laporan nomor {n}").complaint for n in range(30)]
    client = _signed_in(coordinator)

    first = client.get(QUEUE)
    seen_first = {c.reference for c in made if c.reference in _text(first)}
    after = first.context["next_after"]
    second = client.get(f"{QUEUE}?after={after}")
    seen_second = {c.reference for c in made if c.reference in _text(second)}

    assert len(seen_first) == 25
    assert len(seen_second) == 5
    assert not seen_first & seen_second
    assert second.context["next_after"] == ""


def test_queue_query_count_does_not_depend_on_the_number_of_rows(
    coordinator: User, unit_a: ServiceUnit, django_assert_max_num_queries: Any
) -> None:
    report()
    client = _signed_in(coordinator)
    with CaptureQueriesContext(connection) as one:
        client.get(QUEUE)
    for n in range(8):
        found = report(title=f"Laporan {n}", category_slug="lainnya" if n % 2 else "lingkungan").complaint
        if n % 3 == 0:
            transition_complaint(found, "start_verification", actor=coordinator)

    with django_assert_max_num_queries(len(one.captured_queries)):
        response = client.get(QUEUE)

    assert len(response.context["page"].rows) == 9


def test_queue_and_export_never_read_the_reporter(coordinator: User, complaint: Complaint) -> None:
    client = _signed_in(coordinator)

    for url in (QUEUE, EXPORT):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        sql = " ".join(q["sql"] for q in queries.captured_queries)
        assert "reporter_data" not in sql
        assert '"body"' not in sql


# --- The case page --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("anonymous", 302),
        ("citizen", 403),
        ("coordinator", 200),
        ("other_regency_coordinator", 404),
        ("inspector", 200),
        ("officer", 404),  # not disposed to its unit
        ("other_agency_officer", 404),
        ("admin_user", 404),
    ],
)
def test_case_persona_matrix(
    persona: str, status: int, request: pytest.FixtureRequest, complaint: Complaint
) -> None:
    assert _client(request, persona).get(case_url(complaint)).status_code == status


def test_unit_officers_open_only_their_units_reports(
    officer: User, other_agency_officer: User, disposed: Complaint
) -> None:
    assert _signed_in(officer).get(case_url(disposed)).status_code == 200
    assert _signed_in(other_agency_officer).get(case_url(disposed)).status_code == 404


def test_an_unknown_reference_is_not_found(coordinator: User) -> None:
    assert _signed_in(coordinator).get("/petugas/pengaduan/ADU-2026-999999-9/").status_code == 404


def test_case_page_shows_the_report_deadlines_timeline_and_masked_reporter(
    coordinator: User, complaint: Complaint
) -> None:
    response = _signed_in(coordinator).get(case_url(complaint))

    text = _text(response)
    assert complaint.title in text
    assert complaint.body in text
    assert "Verification and disposition due" in text
    assert "Report received" in text
    assert "Reporter" in text
    assert NAME in text
    assert "0812*****432" in text
    assert "r*************@example.id" in text
    assert "3374********0009" in text
    for secret in (EMAIL, PHONE, NIK):
        assert secret not in text
    assert "Start verification" in text
    assert reverse("complaints:staff-dispose", kwargs={"complaint": complaint.reference}) in text


def test_showing_the_contact_is_audited_and_for_this_response_only(
    coordinator: User, complaint: Complaint
) -> None:
    client = _signed_in(coordinator)
    before = AuditEvent.objects.count()

    shown = client.post(case_url(complaint, "pelapor/"))

    assert shown.status_code == 200
    assert EMAIL in _text(shown)
    assert PHONE in _text(shown)
    assert NIK in _text(shown)
    event = AuditEvent.objects.order_by("-id").first()
    assert event is not None
    assert AuditEvent.objects.count() == before + 1
    assert event.action == "complaints.reporter_viewed"
    assert EMAIL not in str(event.summary)
    assert EMAIL not in _text(client.get(case_url(complaint)))
    assert client.get(case_url(complaint, "pelapor/")).status_code == 405


def test_the_timeline_names_staff_but_never_the_reporter(
    coordinator: User, citizen: User, unit_a: ServiceUnit
) -> None:
    found = report(actor=citizen, is_anonymous=True).complaint
    transition_complaint(found, "start_verification", actor=coordinator)

    text = _text(_signed_in(coordinator).get(case_url(found)))

    assert coordinator.full_name in text
    assert "(Reporter)" in text
    assert citizen.full_name not in text
    assert citizen.email not in text


def test_an_anonymous_reporter_is_absent_from_the_case_page_queue_and_export(
    coordinator: User, officer: User, inspector: User, unit_a: ServiceUnit
) -> None:
    found = _anonymous_report()
    png = SimpleUploadedFile("KTP Rahmat Hidayatullah.png", png_bytes(), content_type="image/png")
    actions.add_attachments(found, [png], actor=coordinator)
    coordinator_client = _signed_in(coordinator)
    pages = [
        coordinator_client.get(case_url(found)),
        coordinator_client.get(QUEUE),
        coordinator_client.get(EXPORT),
        _signed_in(inspector).get(case_url(found)),
    ]
    dispose_complaint(found, unit=unit_a, actor=coordinator)
    pages += [_signed_in(officer).get(case_url(found)), _signed_in(officer).get(QUEUE)]

    assert all(page.status_code == 200 for page in pages)
    assert "Anonymous" in _text(pages[0])
    for page in pages:
        body = page.content
        for value in IDENTITY:
            assert value.encode() not in body, value
    assert coordinator_client.post(case_url(found, "pelapor/")).status_code == 404


# --- Steps ----------------------------------------------------------------------------------------


def test_the_coordinator_starts_verification_with_one_click(coordinator: User, complaint: Complaint) -> None:
    response = _signed_in(coordinator).post(case_url(complaint, "langkah/start_verification/"))

    assert response.status_code == 302
    assert response["Location"] == case_url(complaint)
    complaint.refresh_from_db()
    assert complaint.state == "verifying"


def test_asking_for_information_needs_a_note(coordinator: User, complaint: Complaint) -> None:
    client = _signed_in(coordinator)
    client.post(case_url(complaint, "langkah/start_verification/"))
    before = _snapshot(complaint)

    refused = client.post(case_url(complaint, "langkah/request_info/"), {"note": "  "})

    assert refused.status_code == 400
    assert "Write a note" in _text(refused)
    assert 'aria-invalid="true"' in _text(refused)
    assert _snapshot(complaint) == before
    done = client.post(case_url(complaint, "langkah/request_info/"), {"note": "Di RT berapa tepatnya?"})
    assert done.status_code == 302
    complaint.refresh_from_db()
    assert complaint.state == "needs_info"


def test_archiving_keeps_the_reason(coordinator: User, complaint: Complaint) -> None:
    response = _signed_in(coordinator).post(
        case_url(complaint, "langkah/archive/"), {"note": "Laporan ganda dari ADU lain."}
    )

    assert response.status_code == 302
    complaint.refresh_from_db()
    assert complaint.state == "archived"
    assert ComplaintEvent.objects.filter(case=complaint, note="Laporan ganda dari ADU lain.").exists()


def test_a_stale_page_gets_the_moved_on_message_and_keeps_the_note(
    coordinator: User, complaint: Complaint
) -> None:
    colleague = staff_with_role(Role.COMPLAINT_COORDINATOR, agency=coordinator.memberships.get().agency)
    transition_complaint(complaint, "archive", actor=colleague, note="Sudah ditangani.")
    before = _snapshot(complaint)

    response = _signed_in(coordinator).post(
        case_url(complaint, "langkah/request_info/"), {"note": "Catatan saya yang panjang."}
    )

    assert response.status_code == 409
    assert "already moved on" in _text(response)
    assert "Catatan saya yang panjang." in _text(response)
    assert _snapshot(complaint) == before


def test_a_step_outside_ones_role_changes_nothing(officer: User, disposed: Complaint) -> None:
    before = _snapshot(disposed)

    response = _signed_in(officer).post(case_url(disposed, "langkah/archive/"), {"note": "Tidak."})

    assert response.status_code == 403
    assert _snapshot(disposed) == before


def test_unknown_and_citizen_steps_are_refused(coordinator: User, complaint: Complaint) -> None:
    client = _signed_in(coordinator)
    before = _snapshot(complaint)

    assert client.post(case_url(complaint, "langkah/rate/")).status_code == 404
    assert client.post(case_url(complaint, "langkah/dispose/")).status_code == 404
    assert client.post(case_url(complaint, "langkah/no_such_step/")).status_code == 404
    assert client.get(case_url(complaint, "langkah/archive/")).status_code == 405
    assert _snapshot(complaint) == before


def test_the_coordinator_disposes_to_a_unit_with_a_resolution_class(
    coordinator: User, complaint: Complaint, unit_a: ServiceUnit
) -> None:
    response = _signed_in(coordinator).post(
        case_url(complaint, "disposisi/"),
        {"unit": str(unit_a.pk), "resolution_class": "ringan", "note": "Mohon segera."},
    )

    assert response.status_code == 302
    complaint.refresh_from_db()
    assert complaint.state == "disposed"
    assert complaint.unit_id == unit_a.pk
    assert complaint.resolution_class == "ringan"
    disposition = Disposition.objects.get(complaint=complaint)
    assert disposition.source == Disposition.Source.MANUAL
    assert disposition.note == "Mohon segera."


def test_a_disposition_without_a_unit_comes_back_with_the_message(
    coordinator: User, complaint: Complaint
) -> None:
    before = _snapshot(complaint)

    response = _signed_in(coordinator).post(
        case_url(complaint, "disposisi/"), {"unit": "", "resolution_class": "ringan", "note": "Catatan"}
    )

    assert response.status_code == 400
    assert "Choose the unit that will answer the report." in _text(response)
    assert "Catatan" in _text(response)
    assert _snapshot(complaint) == before


def test_the_coordinator_confirms_the_stored_suggestion_with_one_click(
    coordinator: User, complaint: Complaint, unit_a: ServiceUnit
) -> None:
    # The routing assistant's suggestion, as submit_complaint stores it.
    Complaint.objects.filter(pk=complaint.pk).update(
        suggested_agency=unit_a.agency, suggested_category=category("lingkungan"), suggestion_confidence=0.83
    )
    client = _signed_in(coordinator)
    page = _text(client.get(case_url(complaint)))
    assert unit_a.agency.name in page
    assert "83%" in page

    response = client.post(case_url(complaint, "disposisi/saran/"), {"agency": unit_a.agency.slug})

    assert response.status_code == 302
    complaint.refresh_from_db()
    assert complaint.state == "disposed"
    assert complaint.unit_id == unit_a.pk
    disposition = Disposition.objects.get(complaint=complaint)
    assert disposition.source == Disposition.Source.SUGGESTION
    assert disposition.confidence == pytest.approx(0.83)


def test_a_suggestion_not_offered_is_refused(coordinator: User, complaint: Complaint) -> None:
    closed = ServiceUnitFactory(agency__is_active=False)
    before = _snapshot(complaint)

    response = _signed_in(coordinator).post(
        case_url(complaint, "disposisi/saran/"), {"agency": closed.agency.slug}
    )

    assert response.status_code == 400
    assert "no longer offered" in _text(response)
    assert _snapshot(complaint) == before


def test_the_live_ranking_is_offered_and_confirmed_with_its_confidence(
    coordinator: User, complaint: Complaint, unit_a: ServiceUnit, unit_b: ServiceUnit
) -> None:
    routing_store = pytest.importorskip("layanan.complaints.routing_store")
    ranked = routing_store.suggestions_for(complaint.title, complaint.body, complaint.region_id, limit=3)
    if not ranked:
        pytest.skip("the routing assistant ranks no agency for this report")
    best = ranked[0]
    client = _signed_in(coordinator)
    assert best.agency_name in _text(client.get(case_url(complaint)))

    response = client.post(case_url(complaint, "disposisi/saran/"), {"agency": best.agency_slug})

    assert response.status_code == 302
    disposition = Disposition.objects.get(complaint=complaint)
    assert disposition.to_agency.slug == best.agency_slug
    assert disposition.source == Disposition.Source.SUGGESTION
    assert disposition.confidence == pytest.approx(best.confidence)


def test_a_unit_officer_cannot_dispose(officer: User, disposed: Complaint, unit_b: ServiceUnit) -> None:
    before = _snapshot(disposed)

    response = _signed_in(officer).post(
        case_url(disposed, "disposisi/"), {"unit": str(unit_b.pk), "resolution_class": "ringan"}
    )

    assert response.status_code == 403
    assert _snapshot(disposed) == before


def test_the_unit_answers_straight_from_disposed(officer: User, disposed: Complaint) -> None:
    client = _signed_in(officer)
    assert "Answer" in _text(client.get(case_url(disposed)))

    refused = client.post(case_url(disposed, "langkah/answer/"), {"note": ""})
    assert refused.status_code == 400
    response = client.post(case_url(disposed, "langkah/answer/"), {"note": "Antrean kini memakai nomor."})

    assert response.status_code == 302
    disposed.refresh_from_db()
    assert disposed.state == "answered"


def test_the_unit_says_not_our_authority(officer: User, disposed: Complaint) -> None:
    response = _signed_in(officer).post(
        case_url(disposed, "langkah/mark_not_authority/"), {"note": "Ini urusan Dinas Perhubungan."}
    )

    assert response.status_code == 302
    disposed.refresh_from_db()
    assert disposed.state == "not_authority"
    assert not Disposition.objects.get(complaint=disposed).is_accepted


def test_resolve_reopen_and_close_by_the_coordinator(
    coordinator: User, officer: User, disposed: Complaint
) -> None:
    actions.answer_complaint(disposed, actor=officer, note="Sudah diperbaiki.")
    client = _signed_in(coordinator)

    assert client.post(case_url(disposed, "langkah/mark_resolved/")).status_code == 302
    assert client.post(case_url(disposed, "langkah/reopen/"), {"note": "Belum beres."}).status_code == 302
    disposed.refresh_from_db()
    assert disposed.state == "in_progress"
    actions.answer_complaint(disposed, actor=officer, note="Sudah diperbaiki lagi.")
    client.post(case_url(disposed, "langkah/mark_resolved/"))
    assert client.post(case_url(disposed, "langkah/close/")).status_code == 302
    disposed.refresh_from_db()
    assert disposed.state == "closed"


def test_forwarding_to_lapor_shows_the_tracking_id(coordinator: User, complaint: Complaint) -> None:
    client = _signed_in(coordinator)
    client.post(case_url(complaint, "langkah/start_verification/"))

    response = client.post(case_url(complaint, "langkah/reroute/"), {"note": ""})

    assert response.status_code == 302
    complaint.refresh_from_db()
    assert complaint.state == "rerouted"
    assert complaint.lapor_tracking_id
    assert complaint.lapor_tracking_id in _text(client.get(case_url(complaint)))


def test_an_attachment_is_served_decrypted_with_safe_headers_and_audited(
    coordinator: User, other_regency_coordinator: User
) -> None:
    image = png_bytes()
    found = report(attachments=[SimpleUploadedFile("foto.png", image, content_type="image/png")]).complaint
    attachment = found.attachments.get()
    url = case_url(found, f"lampiran/{attachment.public_id}/")
    client = _signed_in(coordinator)
    assert url in _text(client.get(case_url(found)))

    response = client.get(url)

    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in response["Content-Security-Policy"]
    assert response.content[:8] == b"\x89PNG\r\n\x1a\n"
    assert AuditEvent.objects.filter(action="complaints.attachment_viewed").count() == 1
    assert _signed_in(other_regency_coordinator).get(url).status_code == 404
    other = report().complaint
    assert client.get(case_url(other, f"lampiran/{attachment.public_id}/")).status_code == 404


# --- Export ---------------------------------------------------------------------------------------


def test_export_is_the_queue_without_reporters_formula_safe_and_audited(coordinator: User) -> None:
    named = _named_report(title='=HYPERLINK("http://evil.example","klik")')
    anonymous = _anonymous_report(title="@SUM(1+1) sampah")
    before = AuditEvent.objects.count()

    response = _signed_in(coordinator).get(f"{EXPORT}?category=lingkungan")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][0] == "Reference"
    by_reference = {row[0]: row for row in rows[1:]}
    assert set(by_reference) == {named.reference, anonymous.reference}
    assert by_reference[named.reference][3].startswith("'=HYPERLINK")
    assert by_reference[anonymous.reference][3].startswith("'@SUM")
    for value in IDENTITY:
        assert value.encode() not in response.content
    assert AuditEvent.objects.count() == before + 1
    event = AuditEvent.objects.order_by("-id").first()
    assert event is not None
    assert event.action == "complaints.queue_exported"
    assert event.summary["rows"] == 2


def test_export_is_for_complaint_staff_only(admin_user: User, citizen: User) -> None:
    assert _signed_in(admin_user).get(EXPORT).status_code == 403
    client = Client()
    client.force_login(citizen)
    assert client.get(EXPORT).status_code == 403


# --- Escalation command ---------------------------------------------------------------------------


def test_escalate_complaints_command_escalates_once(coordinator: User) -> None:
    import datetime

    import time_machine

    from layanan.workdays.calendar import JAKARTA

    with time_machine.travel(datetime.datetime(2026, 3, 2, 9, tzinfo=JAKARTA), tick=False):
        found = report().complaint
    out = io.StringIO()
    with time_machine.travel(datetime.datetime(2026, 3, 6, 9, tzinfo=JAKARTA), tick=False):
        call_command("escalate_complaints", stdout=out)
        call_command("escalate_complaints", stdout=out)

    assert "Deadlines escalated: 1." in out.getvalue()
    assert "Deadlines escalated: 0." in out.getvalue()
    found.refresh_from_db()
    assert found.escalation_level == 1
    with time_machine.travel(datetime.datetime(2026, 3, 6, 9, tzinfo=JAKARTA), tick=False):
        text = _text(_signed_in(coordinator).get(QUEUE))
    assert found.reference in text
    assert "Overdue" in text


def test_a_report_escalated_to_level_2_reaches_the_inspectorate_queue(inspector: User) -> None:
    import datetime

    import time_machine

    from layanan.workdays.calendar import JAKARTA

    with time_machine.travel(datetime.datetime(2026, 3, 2, 9, tzinfo=JAKARTA), tick=False):
        found = report().complaint
    assert found.reference not in _text(_signed_in(inspector).get(QUEUE))
    with time_machine.travel(datetime.datetime(2026, 3, 6, 9, tzinfo=JAKARTA), tick=False):
        call_command("escalate_complaints", stdout=io.StringIO())
    with time_machine.travel(datetime.datetime(2026, 3, 12, 9, tzinfo=JAKARTA), tick=False):
        call_command("escalate_complaints", stdout=io.StringIO())
        text = _text(_signed_in(inspector).get(QUEUE))

    found.refresh_from_db()
    assert found.escalation_level == 2
    assert found.reference in text


def test_the_escalation_task_runs_the_action(coordinator: User) -> None:
    from layanan.complaints.tasks import close_reply_windows_task, escalate_complaints_task

    assert escalate_complaints_task.call() == 0
    assert close_reply_windows_task.call() == 0


def test_an_other_unit_of_the_same_agency_does_not_see_the_report(
    unit_a: ServiceUnit, disposed: Complaint
) -> None:
    sibling = ServiceUnitFactory(agency=unit_a.agency)
    sibling_officer = staff_with_role(Role.BACK_OFFICE, unit=sibling)

    assert disposed.reference not in _text(_signed_in(sibling_officer).get(QUEUE))
    assert _signed_in(sibling_officer).get(case_url(disposed)).status_code == 404

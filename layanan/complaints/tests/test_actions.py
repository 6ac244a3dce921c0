"""Complaint actions: intake from every channel, the lifecycle with its roles, the disposition
chain, ratings and reopening, deadlines across holidays and escalation once per level."""

from __future__ import annotations

import datetime
import json

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection

from layanan.accounts.models import ServiceUnit, User
from layanan.accounts.roles import Role
from layanan.accounts.tests.factories import ServiceUnitFactory, region, staff_with_role
from layanan.audit.models import AuditEvent
from layanan.complaints import actions
from layanan.complaints.actions import (
    answer_complaint,
    close_reply_windows,
    dispose_complaint,
    escalate_overdue_complaints,
    forward_to_lapor,
    mark_not_authority,
    rate_complaint,
    transition_complaint,
)
from layanan.complaints.models import Complaint, ComplaintEvent, ComplaintPolicy, Disposition
from layanan.complaints.permissions import handled_by, reported_by, roles_for
from layanan.complaints.tests.factories import DISTRICT, STORY, category, district, report
from layanan.notifications.models import Notification
from layanan.workdays.calendar import JAKARTA
from layanan.workdays.models import Holiday
from layanan.workdays.tests.factories import HolidayFactory

pytestmark = pytest.mark.django_db


def _at(day: int, hour: int = 9, month: int = 3) -> datetime.datetime:
    return datetime.datetime(2026, month, day, hour, 0, tzinfo=JAKARTA)


@pytest.fixture
def answering_unit(unit_a: ServiceUnit) -> ServiceUnit:
    return unit_a


# Intake --------------------------------------------------------------------------------------------


def test_a_visitor_reports_without_an_account_and_gets_a_reference_and_secret() -> None:
    with time_machine.travel(_at(2), tick=False):
        submission = report(reporter_details={"name": "Warga Peduli"})
    complaint = submission.complaint
    assert submission.created
    assert submission.secret
    assert complaint.reference.startswith("ADU-2026-")
    assert complaint.state == "submitted"
    assert complaint.regency_code == "33.74"
    # SP4N-LAPOR!: verified and disposed within 3 working days (Mon 2 → Thu 5 March).
    assert complaint.alarm_due_date == datetime.date(2026, 3, 5)
    assert roles_for(None, complaint, tracking_secret=submission.secret) == {"citizen"}
    assert roles_for(None, complaint, tracking_secret="WRONG") == set()


def test_reporter_details_are_encrypted_at_rest() -> None:
    complaint = report(reporter_details={"name": "Warga Peduli", "phone": "+6281234567890"}).complaint
    with connection.cursor() as cursor:
        cursor.execute("SELECT reporter_data FROM complaints_complaint WHERE id = %s", [complaint.pk])
        (stored,) = cursor.fetchone()
    assert "Warga Peduli" not in stored
    assert "6281234567890" not in stored
    assert complaint.reporter_details()["name"] == "Warga Peduli"


def test_an_anonymous_citizen_report_is_not_linked_to_the_account(citizen: User) -> None:
    complaint = report(actor=citizen, is_anonymous=True).complaint
    assert complaint.reporter is None
    assert complaint.reporter_index
    assert list(reported_by(citizen)) == [complaint]
    assert roles_for(citizen, complaint) == {"citizen"}
    # No audit or timeline entry names the reporter.
    assert AuditEvent.objects.filter(object_id=str(complaint.pk), actor_id=citizen.pk).count() == 0
    assert not ComplaintEvent.objects.filter(case=complaint, actor=citizen).exists()


def test_a_named_citizen_report_keeps_the_account(citizen: User) -> None:
    complaint = report(actor=citizen).complaint
    assert complaint.reporter == citizen
    assert complaint.reporter_details()["account"] == citizen.pk


def test_a_retry_with_the_same_key_returns_the_first_report() -> None:
    first = report(idempotency_scope="form:abc", idempotency_key="k1")
    again = report(idempotency_scope="form:abc", idempotency_key="k1")
    assert again.complaint.pk == first.complaint.pk
    assert not again.created
    assert again.secret is None
    with pytest.raises(ValidationError) as error:
        report(idempotency_scope="form:abc", idempotency_key="k1", title="Another title")
    assert error.value.code == "idempotency_key_reused"
    assert Complaint.objects.count() == 1


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"body": "terlalu pendek"}, "body"),
        ({"title": ""}, "title"),
        ({"incident_date": datetime.date(2999, 1, 1)}, "incident_date"),
        ({"latitude": -7.0}, "location"),
        ({"latitude": 40.0, "longitude": -70.0}, "location"),
        ({"region_code": "33"}, "region"),
        ({"category_slug": "pungli"}, "category"),
        ({"category_slug": "infrastruktur"}, "attribute[fasilitas]"),
        ({"category_slug": "infrastruktur", "attributes": {"fasilitas": "kapal"}}, "attribute[fasilitas]"),
    ],
)
def test_bad_reports_are_refused_with_a_message_per_field(changes: dict[str, object], field: str) -> None:
    with pytest.raises(ValidationError) as error:
        report(**changes)  # type: ignore[arg-type]
    assert field in error.value.message_dict
    assert Complaint.objects.count() == 0


def test_the_protected_channel_is_confidential_and_for_the_inspectorate_only(
    coordinator: User, inspector: User
) -> None:
    complaint = report(
        kind="pungli", category_slug="pungli", body=STORY + " Petugas minta uang pelicin."
    ).complaint
    assert complaint.reference.startswith("WBS-")
    assert complaint.is_confidential
    assert not complaint.is_public
    assert roles_for(coordinator, complaint) == set()
    assert complaint not in handled_by(coordinator)
    assert "inspectorate" in roles_for(inspector, complaint)
    with pytest.raises(ValidationError):
        report(kind="pengaduan", category_slug="pungli")


def test_an_officer_enters_a_phone_report(coordinator: User, citizen: User) -> None:
    complaint = report(actor=coordinator, channel="phone", reporter_details={"name": "Pak Darto"}).complaint
    assert complaint.channel == "phone"
    assert complaint.submitted_by == coordinator
    assert complaint.reporter is None
    with pytest.raises(PermissionDenied):
        report(actor=citizen, channel="phone")


def test_staff_cannot_report_as_a_citizen_on_the_web(officer: User) -> None:
    with pytest.raises(PermissionDenied):
        report(actor=officer)


# Lifecycle ------------------------------------------------------------------------------------------


def test_the_whole_journey_of_an_anonymous_report(
    coordinator: User, officer: User, answering_unit: ServiceUnit
) -> None:
    with time_machine.travel(_at(2), tick=False):
        submission = report(is_anonymous=True, reporter_details={"email": "warga@example.id"})
    complaint = submission.complaint
    with time_machine.travel(_at(3), tick=False):
        dispose_complaint(complaint, unit=answering_unit, actor=coordinator, resolution_class="normatif")
    complaint.refresh_from_db()
    assert complaint.state == "disposed"
    assert complaint.agency == answering_unit.agency
    # First answer within 5 working days of the disposition (Tue 3 → Tue 10 March); resolution
    # within the normative tier's 5 working days.
    assert complaint.alarm_due_date == datetime.date(2026, 3, 10)
    assert complaint.overall_due_date == datetime.date(2026, 3, 10)
    assert [d.to_unit for d in complaint.dispositions.all()] == [answering_unit]
    with time_machine.travel(_at(4), tick=False):
        answer_complaint(complaint, actor=officer, note="Sampah sudah diangkut hari ini.")
    complaint.refresh_from_db()
    assert complaint.state == "answered"
    assert complaint.answered_on_time is True
    assert complaint.first_answer_working_days == 1
    with time_machine.travel(_at(5), tick=False):
        rate_complaint(complaint, rating=5, actor=None, tracking_secret=submission.secret)
    complaint.refresh_from_db()
    assert (complaint.state, complaint.rating) == ("resolved", 5)
    # Every step of the reporter is recorded without an actor.
    reporter_steps = ComplaintEvent.objects.filter(case=complaint, actor_role="citizen")
    assert reporter_steps.count() == 2
    assert not reporter_steps.exclude(actor=None).exists()
    # The reporter heard about each public change at the address they gave.
    sent = [n.template for n in Notification.objects.order_by("id") if n.address == "warga@example.id"]
    assert sent.count("complaint_received") == 1
    assert not Notification.objects.exclude(recipient=None).exists()
    assert "complaint_state" in sent


def test_a_bad_rating_reopens_the_report_and_needs_a_reason(
    coordinator: User, officer: User, answering_unit: ServiceUnit
) -> None:
    submission = report()
    complaint = submission.complaint
    dispose_complaint(complaint, unit=answering_unit, actor=coordinator)
    answer_complaint(complaint, actor=officer, note="Sudah ditangani.")
    with pytest.raises(ValidationError):
        rate_complaint(complaint, rating=1, actor=None, tracking_secret=submission.secret)
    rate_complaint(
        complaint,
        rating=1,
        comment="Belum diangkut sama sekali.",
        actor=None,
        tracking_secret=submission.secret,
    )
    complaint.refresh_from_db()
    assert complaint.state == "in_progress"
    assert complaint.rating == 1
    assert complaint.resolved_at is None


def test_not_our_authority_keeps_the_disposition_chain(
    coordinator: User, answering_unit: ServiceUnit
) -> None:
    complaint = report().complaint
    other_unit = ServiceUnitFactory(agency__slug="dlh", agency__name="Dinas Lingkungan Hidup")
    dispose_complaint(complaint, unit=answering_unit, actor=coordinator)
    officer = staff_with_role(Role.BACK_OFFICE, unit=answering_unit)
    mark_not_authority(complaint, actor=officer, note="Urusan sampah ada di DLH.")
    dispose_complaint(complaint, unit=other_unit, actor=coordinator, note="Ke DLH.")
    chain = list(Disposition.objects.filter(complaint=complaint).order_by("id"))
    assert [(d.from_agency_id, d.to_agency_id, d.is_accepted) for d in chain] == [
        (None, answering_unit.agency_id, False),
        (answering_unit.agency_id, other_unit.agency_id, True),
    ]
    complaint.refresh_from_db()
    assert complaint.unit == other_unit
    # The first unit no longer works on it.
    assert "back_office" not in roles_for(officer, complaint)


def test_roles_are_enforced_and_a_refused_step_changes_nothing(
    citizen: User, officer: User, other_agency_officer: User, coordinator: User, answering_unit: ServiceUnit
) -> None:
    complaint = report().complaint
    before = (complaint.state, ComplaintEvent.objects.count(), AuditEvent.objects.count())
    for actor in (citizen, officer, other_agency_officer, None):
        with pytest.raises(PermissionDenied):
            transition_complaint(complaint, "start_verification", actor=actor)
    with pytest.raises(ValidationError) as error:
        transition_complaint(complaint, "answer", actor=coordinator, note="x")
    assert error.value.code in {"wrong_state"}
    complaint.refresh_from_db()
    assert (complaint.state, ComplaintEvent.objects.count(), AuditEvent.objects.count()) == before


def test_a_coordinator_of_another_regency_has_no_role(answering_unit: ServiceUnit) -> None:
    elsewhere = ServiceUnitFactory(
        agency__slug="kab-lain", agency__region=region("33.02", "Kabupaten Banyumas")
    )
    far_coordinator = staff_with_role(Role.COMPLAINT_COORDINATOR, agency=elsewhere.agency)
    complaint = report().complaint
    assert roles_for(far_coordinator, complaint) == set()
    with pytest.raises(PermissionDenied):
        dispose_complaint(complaint, unit=answering_unit, actor=far_coordinator)


def test_the_resolution_class_sets_the_resolution_deadline(
    coordinator: User, answering_unit: ServiceUnit
) -> None:
    with time_machine.travel(_at(2), tick=False):
        complaint = report().complaint
        dispose_complaint(complaint, unit=answering_unit, actor=coordinator, resolution_class="ringan")
    complaint.refresh_from_db()
    assert complaint.overall_due_date == datetime.date(2026, 3, 4)  # 2 working days
    assert complaint.resolution_class == "ringan"


def test_information_requests_follow_uu_14_2008(
    coordinator: User, officer: User, answering_unit: ServiceUnit
) -> None:
    with time_machine.travel(_at(2), tick=False):
        complaint = report(kind="informasi", title="Minta data APBD 2026").complaint
    assert complaint.reference.startswith("INF-")
    assert complaint.alarm_due_date == datetime.date(2026, 3, 16)  # 10 working days
    with time_machine.travel(_at(3), tick=False):
        dispose_complaint(complaint, unit=answering_unit, actor=coordinator)
        transition_complaint(complaint, "start_work", actor=officer)
    with time_machine.travel(_at(13), tick=False):
        transition_complaint(
            complaint, "extend", actor=officer, note="Data sedang dihimpun dari tiga bidang."
        )
    complaint.refresh_from_db()
    assert complaint.state == "extended"
    assert complaint.step_due_date == datetime.date(2026, 3, 24)  # 7 more working days
    assert complaint.alarm_due_date is None  # the 10-day clock was met by the notice


# Deadlines and escalation ---------------------------------------------------------------------------

# SKB 3 Menteri 2026: Nyepi 19 March, Idul Fitri 21-22 March, cuti bersama 18, 20, 23, 24 March.
LEBARAN_NATIONAL = [datetime.date(2026, 3, 19), datetime.date(2026, 3, 21), datetime.date(2026, 3, 22)]
LEBARAN_CUTI = [datetime.date(2026, 3, d) for d in (18, 20, 23, 24)]


@pytest.fixture
def lebaran() -> None:
    for day in LEBARAN_NATIONAL:
        HolidayFactory(date=day, name=f"Libur {day.isoformat()}", kind=Holiday.Kind.NATIONAL)
    for day in LEBARAN_CUTI:
        HolidayFactory(date=day, name=f"Cuti bersama {day.isoformat()}", kind=Holiday.Kind.CUTI_BERSAMA)


@pytest.mark.usefixtures("lebaran")
def test_verification_deadline_skips_lebaran() -> None:
    with time_machine.travel(_at(17), tick=False):
        complaint = report().complaint
    # Tue 17 March + 3 working days: 18-24 are holidays or cuti bersama, so 25, 26, 27.
    assert complaint.alarm_due_date == datetime.date(2026, 3, 27)


@pytest.mark.usefixtures("lebaran")
def test_first_answer_deadline_skips_lebaran(coordinator: User, answering_unit: ServiceUnit) -> None:
    with time_machine.travel(_at(16), tick=False):
        complaint = report().complaint
        dispose_complaint(complaint, unit=answering_unit, actor=coordinator)
    complaint.refresh_from_db()
    # Mon 16 + 5 working days: 17, 25, 26, 27, 30 March.
    assert complaint.alarm_due_date == datetime.date(2026, 3, 30)


def test_escalation_goes_to_the_coordinator_once_then_to_the_inspectorate(
    coordinator: User, inspector: User
) -> None:
    coordinator.email = "koordinator@example.id"
    coordinator.save()
    inspector.email = "inspektorat@example.id"
    inspector.save()
    with time_machine.travel(_at(2), tick=False):
        complaint = report().complaint  # verification due Thu 5 March
    with time_machine.travel(_at(6), tick=False):
        assert escalate_overdue_complaints() == 1
        assert escalate_overdue_complaints() == 0
    complaint.refresh_from_db()
    assert complaint.escalation_level == 1
    assert Notification.objects.filter(template="complaint_escalated", recipient=coordinator).count() == 1
    assert not Notification.objects.filter(template="complaint_escalated", recipient=inspector).exists()
    # Still missed 5 working days after the deadline (Thu 12 March): the inspectorate hears.
    with time_machine.travel(_at(11), tick=False):
        assert escalate_overdue_complaints() == 0
    with time_machine.travel(_at(12), tick=False):
        assert escalate_overdue_complaints() == 1
        assert escalate_overdue_complaints() == 0
    complaint.refresh_from_db()
    assert complaint.escalation_level == 2
    assert Notification.objects.filter(template="complaint_escalated", recipient=inspector).count() == 1
    assert ComplaintEvent.objects.filter(case=complaint, kind="escalation").count() == 2


def test_a_regional_policy_changes_the_deadlines() -> None:
    ComplaintPolicy.objects.create(region=district(DISTRICT).parent, verification_working_days=1)
    with time_machine.travel(_at(2), tick=False):
        complaint = report().complaint
    assert complaint.alarm_due_date == datetime.date(2026, 3, 3)


def test_the_reply_window_resolves_then_closes(
    coordinator: User, officer: User, answering_unit: ServiceUnit
) -> None:
    with time_machine.travel(_at(2), tick=False):
        complaint = report().complaint
        dispose_complaint(complaint, unit=answering_unit, actor=coordinator)
        answer_complaint(complaint, actor=officer, note="Sudah ditangani.")
    with time_machine.travel(_at(11), tick=False):
        assert close_reply_windows() == 0
    with time_machine.travel(_at(13), tick=False):
        assert close_reply_windows() == 1
    complaint.refresh_from_db()
    assert complaint.state == "resolved"
    with time_machine.travel(_at(24), tick=False):
        assert close_reply_windows() == 1
    complaint.refresh_from_db()
    assert complaint.state == "closed"
    assert not complaint.is_open


def test_forwarding_to_lapor_keeps_its_tracking_id(coordinator: User) -> None:
    complaint = report().complaint
    transition_complaint(complaint, "start_verification", actor=coordinator)
    forward_to_lapor(complaint, actor=coordinator)
    complaint.refresh_from_db()
    assert complaint.lapor_tracking_id.startswith("LAPOR-")
    assert complaint.state == "rerouted"
    event = ComplaintEvent.objects.filter(case=complaint, transition="reroute").get()
    assert event.data["lapor_tracking_id"] == complaint.lapor_tracking_id


def test_automatic_disposition_above_the_confidence_threshold(
    monkeypatch: pytest.MonkeyPatch, answering_unit: ServiceUnit
) -> None:
    ComplaintPolicy.objects.filter(region__isnull=True).update(auto_dispose_confidence=0.8)

    def confident(complaint: Complaint) -> None:
        complaint.suggested_agency = answering_unit.agency
        complaint.suggested_category = category("lingkungan")
        complaint.suggestion_confidence = 0.9

    monkeypatch.setattr(actions, "_store_suggestion", confident)
    complaint = report(suggest=True).complaint
    complaint.refresh_from_db()
    assert complaint.state == "disposed"
    disposition = complaint.dispositions.get()
    assert (disposition.source, disposition.by_id) == ("automatic", None)
    monkeypatch.setattr(actions, "_store_suggestion", lambda c: setattr(c, "suggestion_confidence", 0.5))
    assert report(suggest=True, title="Lain").complaint.state == "submitted"


def test_audit_summaries_hold_no_personal_data() -> None:
    complaint = report(reporter_details={"name": "Warga Peduli", "phone": "+6281234567890"}).complaint
    for summary in AuditEvent.objects.filter(object_id=str(complaint.pk)).values_list("summary", flat=True):
        text = json.dumps(summary)
        assert "Warga Peduli" not in text
        assert "6281234567890" not in text


def test_forwarding_is_checked_before_anything_leaves_the_platform(coordinator: User) -> None:
    from layanan.complaints.lapor import SimulatedLapor

    complaint = report().complaint
    sent_before = len(SimulatedLapor.forwarded)
    with pytest.raises(ValidationError):
        forward_to_lapor(complaint, actor=coordinator)  # not from "submitted": verify first
    assert len(SimulatedLapor.forwarded) == sent_before
    complaint.refresh_from_db()
    assert (complaint.state, complaint.lapor_tracking_id) == ("submitted", "")


def test_the_reply_window_follows_the_regional_policy(
    coordinator: User, officer: User, answering_unit: ServiceUnit
) -> None:
    ComplaintPolicy.objects.create(region=district(DISTRICT).parent, reply_days=3)
    with time_machine.travel(_at(2), tick=False):
        complaint = report().complaint
        dispose_complaint(complaint, unit=answering_unit, actor=coordinator)
        answer_complaint(complaint, actor=officer, note="Sudah ditangani.")
    with time_machine.travel(_at(4), tick=False):
        assert close_reply_windows() == 0
    with time_machine.travel(_at(6), tick=False):
        assert close_reply_windows() == 1
    complaint.refresh_from_db()
    assert complaint.state == "resolved"

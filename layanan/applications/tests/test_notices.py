"""Notifications about applications: one per change the applicant can see, in the applicant's
language, on the account's channel (e-mail, else SMS or WhatsApp), without personal data; the
unit head hears about escalations."""

from __future__ import annotations

import datetime
import json
from pathlib import Path
from typing import Any

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone, translation

from layanan.accounts.models import ServiceUnit, User
from layanan.accounts.roles import Role
from layanan.accounts.tests.factories import citizen_with_phone, staff_with_role
from layanan.applications import notices
from layanan.applications.actions import escalate_overdue_applications, transition_application
from layanan.applications.models import Application, ApplicationEvent
from layanan.applications.tests.factories import VALID_NIK, application_in, submit
from layanan.catalog.models import Service
from layanan.catalog.tests.factories import service_with_adopted_standard
from layanan.notifications.actions import render_notification
from layanan.notifications.models import Notification
from layanan.workflow.engine import add_timeline_event
from layanan.workflow.models import TimelineEvent

pytestmark = pytest.mark.django_db

SITE = "https://layanan.example.go.id"
NOTE = "Scan KTP buram, mohon unggah ulang yang jelas"
PERSONAL = (VALID_NIK, "081234567890", "+6281234567890", "Siti Rahmawati", "Jl. Merdeka", "Merdeka 1")
SMS_LENGTH = 160


@pytest.fixture(autouse=True)
def site(settings: Any, tmp_path: Path) -> None:
    settings.LAYANAN_SITE_URL = SITE
    settings.LAYANAN_SMS_BACKEND = "file"
    settings.LAYANAN_SMS_FILE_PATH = tmp_path / "sms"
    settings.LAYANAN_WHATSAPP_BACKEND = "file"
    settings.LAYANAN_WHATSAPP_FILE_PATH = tmp_path / "whatsapp"


@pytest.fixture
def service(unit_a: ServiceUnit) -> Service:
    return service_with_adopted_standard(unit=unit_a, channel="both", name="Kartu Keluarga")


def _applicant_messages(applicant: User) -> list[Notification]:
    return list(Notification.objects.filter(recipient=applicant).order_by("pk"))


def _assert_nothing_personal(notification: Notification, *, applicant: User) -> None:
    subject, body = render_notification(notification)
    stored = notification.context  # decrypted on load
    for text in (*PERSONAL, applicant.full_name, NOTE):
        assert text not in subject
        assert text not in body
        assert text not in stored


@pytest.mark.parametrize(
    ("language", "labels"),
    [
        (
            "en",
            ["Completeness check", "Returned for correction", "Completeness check", "Processing", "Approved"],
        ),
        (
            "id",
            [
                "Pemeriksaan kelengkapan",
                "Dikembalikan untuk perbaikan",
                "Pemeriksaan kelengkapan",
                "Diproses",
                "Disetujui",
            ],
        ),
    ],
)
def test_a_journey_sends_one_message_per_visible_change_in_the_applicant_language(
    service: Service, citizen: User, officer: User, unit_head: User, language: str, labels: list[str]
) -> None:
    with translation.override(language):
        submission = submit(service, citizen)
    application = submission.application
    assert application.language == language
    # Whatever language the staff work in, the applicant reads theirs.
    with translation.override("en" if language == "id" else "id"):
        application = transition_application(application, "start_check", actor=officer)
        application = transition_application(application, "return_for_correction", actor=officer, note=NOTE)
        application = transition_application(application, "resubmit", actor=citizen)
        application = transition_application(application, "accept_complete", actor=officer)
        assert application.assigned_to is None
        from layanan.applications.actions import assign_application

        assign_application(application, assignee=officer, actor=officer)  # not visible: no message
        application = transition_application(application, "approve", actor=unit_head)

    messages = _applicant_messages(citizen)
    public_changes = ApplicationEvent.objects.filter(case=application, is_public=True).count()
    assert len(messages) == public_changes == 6
    assert [m.template for m in messages] == ["application_received"] + ["application_state"] * 5
    assert {m.channel for m in messages} == {"email"}
    assert {m.address for m in messages} == {citizen.email}
    assert {m.language for m in messages} == {language}

    received_subject, received_body = render_notification(messages[0])
    assert application.reference in received_subject
    assert submission.secret is not None
    assert submission.secret in received_body
    assert f"{SITE}/lacak/" in received_body
    for message, label in zip(messages[1:], labels, strict=True):
        subject, body = render_notification(message)
        assert application.reference in subject
        assert application.reference in body
        assert label in subject
        assert label in body
        assert f"{SITE}/lacak/" in body
        _assert_nothing_personal(message, applicant=citizen)
    # Only the return carried a note: the message says there is one, never what it says.
    notes = [json.loads(m.context)["note"] for m in messages[1:]]
    assert notes == [False, True, False, False, False]


def test_the_messages_go_out_after_commit_and_fit_in_one_sms(
    service: Service, officer: User, django_capture_on_commit_callbacks: Any, tmp_path: Path
) -> None:
    applicant = citizen_with_phone("+6285712345678", full_name="Siti Rahmawati")
    for language in ("en", "id"):
        with django_capture_on_commit_callbacks(execute=True), translation.override(language):
            submission = submit(service, applicant)
        with django_capture_on_commit_callbacks(execute=True):
            application = transition_application(submission.application, "start_check", actor=officer)
        with django_capture_on_commit_callbacks(execute=True):
            transition_application(application, "return_for_correction", actor=officer, note=NOTE)

    messages = _applicant_messages(applicant)
    assert [m.channel for m in messages] == ["sms"] * 6
    assert {m.status for m in messages} == {Notification.Status.SENT}
    log = (tmp_path / "sms" / "messages.log").read_text(encoding="utf-8").splitlines()
    assert len(log) == 6
    for line in log:
        address, body = line.split("\t")
        assert address == "+6285712345678"
        assert len(body) <= SMS_LENGTH, body
        assert "/lacak/" in body
    for message in messages:
        _assert_nothing_personal(message, applicant=applicant)


def test_whatsapp_for_phone_accounts_when_chosen(
    service: Service, officer: User, settings: Any, django_capture_on_commit_callbacks: Any, tmp_path: Path
) -> None:
    settings.LAYANAN_NOTIFY_PHONE_CHANNEL = "whatsapp"
    applicant = citizen_with_phone("+6285712345678")

    with django_capture_on_commit_callbacks(execute=True):
        submission = submit(service, applicant)
    with django_capture_on_commit_callbacks(execute=True):
        transition_application(submission.application, "start_check", actor=officer)

    assert [m.channel for m in _applicant_messages(applicant)] == ["whatsapp", "whatsapp"]
    log = (tmp_path / "whatsapp" / "messages.log").read_text(encoding="utf-8").splitlines()
    assert len(log) == 2
    assert all(line.startswith("+6285712345678\t") for line in log)
    assert submission.application.reference in log[1]
    assert not (tmp_path / "sms").exists()


def test_the_channel_follows_the_account(settings: Any, citizen: User) -> None:
    phone_only = citizen_with_phone("+6285712345678")
    nothing = citizen_with_phone("+6285700000000")
    nothing.phone = ""

    assert notices.contact_of(citizen) == ("email", citizen.email)
    assert notices.contact_of(phone_only) == ("sms", "+6285712345678")
    assert notices.contact_of(nothing) is None
    assert notices.contact_of(None) is None
    settings.LAYANAN_NOTIFY_PHONE_CHANNEL = "whatsapp"
    assert notices.contact_of(phone_only) == ("whatsapp", "+6285712345678")
    assert notices.contact_of(citizen) == ("email", citizen.email)


def test_an_applicant_without_contact_gets_nothing_and_the_change_still_happens(
    service: Service, officer: User
) -> None:
    applicant = citizen_with_phone("+6285712345678")
    submission = submit(service, applicant)
    User.objects.filter(pk=applicant.pk).update(phone="")
    application = Application.objects.get(pk=submission.application.pk)

    application = transition_application(application, "start_check", actor=officer)

    assert application.state == "completeness_check"
    assert [m.template for m in _applicant_messages(applicant)] == ["application_received"]


def test_only_public_state_changes_send_a_message(service: Service, citizen: User) -> None:
    application = submit(service, citizen).application
    before = Notification.objects.count()
    for kind, public in (
        (TimelineEvent.Kind.NOTE, False),
        (TimelineEvent.Kind.PAYMENT, True),  # payments are told by billing, with the receipt
        (TimelineEvent.Kind.ASSIGNMENT, False),
    ):
        event = add_timeline_event(
            application, kind, event_model=ApplicationEvent, actor=None, actor_role="system", is_public=public
        )
        notices.state_changed(application, event)
    hidden = ApplicationEvent.objects.create(
        case=application,
        kind=TimelineEvent.Kind.TRANSITION,
        at=application.state_entered_at,
        to_state="completeness_check",
        is_public=False,
    )
    notices.state_changed(application, hidden)

    assert Notification.objects.count() == before


def test_escalation_notifies_the_unit_heads_once(
    service: Service,
    citizen: User,
    officer: User,
    unit_head: User,
    unit_a: ServiceUnit,
) -> None:
    second_head = staff_with_role(Role.UNIT_HEAD, unit=unit_a)
    gone_head = staff_with_role(Role.UNIT_HEAD, unit=unit_a)
    User.objects.filter(pk=gone_head.pk).update(is_active=False)
    other_unit_head = staff_with_role(Role.UNIT_HEAD)
    application = application_in("completeness_check", service, citizen, officer=officer, unit_head=unit_head)
    citizen_before = len(_applicant_messages(citizen))
    later = timezone.now() + datetime.timedelta(days=60)

    assert escalate_overdue_applications(now=later) >= 1

    escalations = list(Notification.objects.filter(template="application_escalated"))
    assert sorted(m.recipient_id or 0 for m in escalations) == sorted([unit_head.pk, second_head.pk])
    assert other_unit_head.pk not in {m.recipient_id for m in escalations}
    assert len(_applicant_messages(citizen)) == citizen_before
    for message in escalations:
        assert message.channel == "email"
        subject, body = render_notification(message)
        assert application.reference in subject
        assert (
            f"{SITE}{reverse('applications:staff-case', kwargs={'reference': application.reference})}" in body
        )
        _assert_nothing_personal(message, applicant=citizen)

    assert escalate_overdue_applications(now=later + datetime.timedelta(hours=1)) == 0
    assert Notification.objects.filter(template="application_escalated").count() == 2


@pytest.mark.parametrize(
    "template", ["application_received", "application_state", "application_paid", "application_escalated"]
)
@pytest.mark.parametrize("language", ["id", "en"])
def test_every_template_renders_in_both_languages(template: str, language: str) -> None:
    context = {
        "reference": "PBG-2026-000123-8",
        "service": "Persetujuan Bangunan Gedung",
        "secret": "K7QM2XHD",
        "tracking_url": f"{SITE}/lacak/",
        "state": "Returned for correction",
        "state_key": "returned_for_correction",
        "note": True,
        "due": "2026-03-02",
        "deadlines": ["step"],
        "case_url": f"{SITE}/petugas/permohonan/PBG-2026-000123-8/",
        "amount": 30000,
        "receipt_number": "KW-2026-0000001",
        "receipt_url": f"{SITE}/akun/permohonan/PBG-2026-000123-8/kuitansi/",
    }
    notification = Notification(
        channel="sms",
        address="+6285712345678",
        template=template,
        language=language,
        context=json.dumps(context),
    )

    subject, body = render_notification(notification)

    assert "PBG-2026-000123-8" in subject
    assert "PBG-2026-000123-8" in body
    assert "{" not in body
    assert "}" not in body
    assert "\n" not in subject
    if template in {"application_received", "application_state"}:
        assert f"{SITE}/lacak/" in body
    if template == "application_state":
        expected = "Dikembalikan untuk perbaikan" if language == "id" else "Returned for correction"
        assert expected in subject
        assert expected in body


def test_email_delivery_of_a_state_change(
    service: Service, citizen: User, officer: User, django_capture_on_commit_callbacks: Any
) -> None:
    with translation.override("en"):
        application = submit(service, citizen).application
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        transition_application(application, "start_check", actor=officer)

    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [citizen.email]
    assert mail.outbox[0].subject == f"Application {application.reference}: Completeness check"
    assert mail.outbox[0].body == (
        f"Your application {application.reference} is now: Completeness check. Details: {SITE}/lacak/"
    )

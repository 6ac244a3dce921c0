from __future__ import annotations

import datetime
from pathlib import Path
from typing import Any
from unittest import mock

import pytest
from django.core import mail
from django.db import connection, transaction
from django.template import TemplateDoesNotExist
from django.utils import timezone, translation

from layanan.core.crypto import decrypt
from layanan.notifications.actions import deliver_notification, notify, render_notification
from layanan.notifications.models import Notification

CONTEXT = {"name": "Siti", "reference": "PMH-2026-0001"}


def _notify(**overrides: Any) -> Notification:
    arguments: dict[str, Any] = {
        "channel": "email",
        "address": "siti.rahma@example.id",
        "template": "test_receipt",
        "context": CONTEXT,
    }
    arguments.update(overrides)
    return notify(**arguments)


@pytest.mark.django_db
def test_nothing_is_sent_before_commit_and_the_message_goes_out_after(
    django_capture_on_commit_callbacks: Any,
) -> None:
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with transaction.atomic():
            notification = _notify(language="en")

            assert mail.outbox == []
            assert Notification.objects.get().status == Notification.Status.PENDING

        assert mail.outbox == []

    assert len(callbacks) == 1
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["siti.rahma@example.id"]
    assert message.subject == "Your application was received"
    assert message.body == "Hello Siti, your application PMH-2026-0001 was received."
    notification.refresh_from_db()
    assert notification.status == Notification.Status.SENT
    assert notification.attempts == 1
    assert notification.sent_at is not None


@pytest.mark.django_db(transaction=True)
def test_a_committed_transaction_sends_with_the_real_commit() -> None:
    with transaction.atomic():
        _notify()
        assert mail.outbox == []

    assert len(mail.outbox) == 1
    assert Notification.objects.get().status == Notification.Status.SENT


def _notify_then_fail() -> None:
    with transaction.atomic():
        _notify()
        raise RuntimeError("the change failed")


@pytest.mark.django_db
def test_a_rolled_back_transaction_sends_nothing(django_capture_on_commit_callbacks: Any) -> None:
    with django_capture_on_commit_callbacks(execute=True) as callbacks, pytest.raises(RuntimeError):
        _notify_then_fail()

    assert callbacks == []
    assert mail.outbox == []
    assert not Notification.objects.exists()


@pytest.mark.django_db
def test_a_failing_gateway_marks_the_notification_failed_without_raising(
    settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    settings.LAYANAN_SMS_BACKEND = "layanan.notifications.tests.fakes.UnreachableSmsGateway"

    with django_capture_on_commit_callbacks(execute=True):
        notification = _notify(channel="sms", address="+6281234567890")

    notification.refresh_from_db()
    assert notification.status == Notification.Status.FAILED
    assert notification.error == "ConnectionError"
    assert notification.attempts == 1
    assert notification.sent_at is None


@pytest.mark.django_db
def test_a_failing_gateway_is_logged_without_personal_data(
    settings: Any, caplog: pytest.LogCaptureFixture
) -> None:
    settings.LAYANAN_SMS_BACKEND = "layanan.notifications.tests.fakes.UnreachableSmsGateway"
    notification = _notify(channel="sms", address="+6281234567890")

    deliver_notification(notification.pk)

    assert f"notification {notification.pk} failed: ConnectionError" in caplog.text
    assert "6281234567890" not in caplog.text


@pytest.mark.django_db
def test_delivering_twice_sends_once() -> None:
    notification = _notify()

    deliver_notification(notification.pk)
    deliver_notification(notification.pk)

    assert len(mail.outbox) == 1
    notification.refresh_from_db()
    assert notification.attempts == 1


@pytest.mark.django_db
def test_a_notification_being_sent_by_another_worker_is_left_alone() -> None:
    notification = _notify()
    Notification.objects.filter(pk=notification.pk).update(
        status=Notification.Status.SENDING, attempts=1, last_attempt_at=timezone.now()
    )

    deliver_notification(notification.pk)

    assert mail.outbox == []
    assert Notification.objects.get().status == Notification.Status.SENDING


@pytest.mark.django_db
def test_a_notification_abandoned_mid_send_is_sent_again_after_the_delay() -> None:
    notification = _notify()
    Notification.objects.filter(pk=notification.pk).update(
        status=Notification.Status.SENDING,
        attempts=1,
        last_attempt_at=timezone.now() - datetime.timedelta(minutes=11),
    )

    deliver_notification(notification.pk)

    assert len(mail.outbox) == 1
    notification.refresh_from_db()
    assert (notification.status, notification.attempts) == (Notification.Status.SENT, 2)


@pytest.mark.django_db
def test_delivering_an_unknown_notification_does_nothing() -> None:
    assert deliver_notification(987654) is None


@pytest.mark.django_db
def test_address_and_context_are_encrypted_at_rest(citizen: Any) -> None:
    notification = _notify(recipient=citizen)

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT address, context FROM notifications_notification WHERE id = %s", [notification.pk]
        )
        address, context = cursor.fetchone()

    for stored in (address, context):
        assert stored.startswith("t1$")
        assert "siti" not in stored.lower()
        assert "PMH-2026-0001" not in stored
    assert decrypt(address, context="notifications.Notification.address") == "siti.rahma@example.id"
    stored_notification = Notification.objects.get()
    assert stored_notification.address == "siti.rahma@example.id"
    assert stored_notification.recipient == citizen


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("active", "chosen", "subject"),
    [
        ("en", "id", "Permohonan Anda sudah diterima"),
        ("id", "en", "Your application was received"),
        ("en", None, "Your application was received"),
        ("id", None, "Permohonan Anda sudah diterima"),
        ("en", "fr", "Permohonan Anda sudah diterima"),
    ],
)
def test_the_message_is_rendered_in_the_notification_language(
    active: str, chosen: str | None, subject: str
) -> None:
    with translation.override(active):
        notification = _notify(language=chosen)

    with translation.override("en"):
        deliver_notification(notification.pk)

    assert mail.outbox[0].subject == subject
    if subject.startswith("Permohonan"):
        assert notification.language == "id"
        assert mail.outbox[0].body == "Halo Siti, permohonan Anda PMH-2026-0001 sudah diterima."


@pytest.mark.django_db
def test_plain_text_messages_are_not_html_escaped() -> None:
    notification = _notify(context={"name": 'Siti & Budi <"O\'Brien">', "reference": "A&B"}, language="en")

    _subject, body = render_notification(notification)

    assert body == 'Hello Siti & Budi <"O\'Brien">, your application A&B was received.'


@pytest.mark.django_db
def test_sms_goes_through_the_configured_file_backend(sms_log: Path) -> None:
    notification = _notify(channel="sms", address="+6281234567890", language="en")

    deliver_notification(notification.pk)

    assert sms_log.read_text() == "+6281234567890\tHello Siti, your application PMH-2026-0001 was received.\n"


@pytest.mark.django_db
def test_sms_goes_through_a_gateway_named_by_dotted_path(sms_gateway: list[tuple[str, str, str]]) -> None:
    notification = _notify(channel="sms", address="+6281234567890", language="en")

    deliver_notification(notification.pk)

    assert sms_gateway == [
        (
            "+6281234567890",
            "Your application was received",
            "Hello Siti, your application PMH-2026-0001 was received.",
        )
    ]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("overrides", "error"),
    [
        ({"channel": "pigeon"}, ValueError),
        ({"address": ""}, ValueError),
        ({"template": "no_such_message"}, TemplateDoesNotExist),
    ],
)
def test_bad_notifications_are_refused_at_once(overrides: dict[str, Any], error: type[Exception]) -> None:
    with pytest.raises(error):
        _notify(**overrides)

    assert not Notification.objects.exists()


@pytest.mark.django_db
def test_a_queue_that_is_down_does_not_break_the_committed_change(
    django_capture_on_commit_callbacks: Any, caplog: pytest.LogCaptureFixture
) -> None:
    with (
        mock.patch("layanan.notifications.tasks.deliver_notification_task") as task,
        django_capture_on_commit_callbacks(execute=True),
        transaction.atomic(),
    ):
        task.enqueue.side_effect = ConnectionError("queue down")
        notification = _notify()

    task.enqueue.assert_called_once_with(notification.pk)
    notification.refresh_from_db()
    assert notification.status == Notification.Status.PENDING
    assert mail.outbox == []
    assert "ConnectionError" in caplog.text

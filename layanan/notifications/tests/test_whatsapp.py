"""The WhatsApp channel: backends by name or dotted path, like SMS, and delivery through notify."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from layanan.notifications.actions import deliver_notification, notify
from layanan.notifications.channels import (
    ConsoleWhatsAppBackend,
    FileWhatsAppBackend,
    channel_for,
    sms_backend_class,
    whatsapp_backend_class,
)
from layanan.notifications.models import Notification

GATEWAY = "layanan.notifications.tests.test_whatsapp.RecordingWhatsAppGateway"


class RecordingWhatsAppGateway:
    """A production-style gateway, named by dotted path; records what it was given."""

    sent: list[tuple[str, str, str]] = []

    def send(self, *, address: str, subject: str, body: str) -> None:
        self.sent.append((address, subject, body))


class RefusingWhatsAppGateway:
    def send(self, *, address: str, subject: str, body: str) -> None:
        raise ConnectionError("outside the 24-hour window and no approved template")


@pytest.fixture
def whatsapp_log(settings: Any, tmp_path: Path) -> Path:
    settings.LAYANAN_WHATSAPP_BACKEND = "file"
    settings.LAYANAN_WHATSAPP_FILE_PATH = tmp_path / "whatsapp"
    return tmp_path / "whatsapp" / "messages.log"


@pytest.mark.parametrize(
    ("name", "expected"),
    [("console", ConsoleWhatsAppBackend), ("file", FileWhatsAppBackend), (GATEWAY, RecordingWhatsAppGateway)],
)
def test_whatsapp_backend_by_name_or_dotted_path(name: str, expected: type) -> None:
    assert whatsapp_backend_class(name) is expected


@pytest.mark.parametrize(
    "name",
    [
        "sms",
        "twilio",
        "layanan.notifications.tests.test_whatsapp.NoSuchGateway",
        "layanan.notifications.tests.fakes.NotAGateway",
        "layanan.notifications.channels.channel_for",
    ],
)
def test_unusable_whatsapp_backends_are_refused(name: str) -> None:
    with pytest.raises(ImportError, match="WhatsApp backend|No module|does not define"):
        whatsapp_backend_class(name)


def test_sms_and_whatsapp_backends_are_separate(settings: Any) -> None:
    settings.LAYANAN_SMS_BACKEND = "console"
    settings.LAYANAN_WHATSAPP_BACKEND = GATEWAY

    assert isinstance(channel_for("whatsapp"), RecordingWhatsAppGateway)
    assert not isinstance(channel_for("sms"), RecordingWhatsAppGateway)
    assert sms_backend_class("console") is not ConsoleWhatsAppBackend


def test_console_backend_prints_the_message(capsys: pytest.CaptureFixture[str]) -> None:
    ConsoleWhatsAppBackend().send(address="+6281234567890", subject="ignored", body="Permohonan diterima")

    assert capsys.readouterr().out == "[WhatsApp to +6281234567890] Permohonan diterima\n"


@pytest.mark.django_db
def test_a_whatsapp_notification_is_delivered_through_the_file_backend(
    whatsapp_log: Path, sms_log: Path, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        notification = notify(
            channel="whatsapp",
            address="+6281234567890",
            template="test_receipt",
            context={"name": "Siti", "reference": "PMH-2026-0001"},
            language="en",
        )

    notification.refresh_from_db()
    assert notification.status == Notification.Status.SENT
    assert notification.channel == Notification.Channel.WHATSAPP
    assert whatsapp_log.read_text(encoding="utf-8") == (
        "+6281234567890\tHello Siti, your application PMH-2026-0001 was received.\n"
    )
    assert not sms_log.exists()


@pytest.mark.django_db
def test_a_gateway_gets_the_rendered_message(settings: Any, django_capture_on_commit_callbacks: Any) -> None:
    RecordingWhatsAppGateway.sent = []
    settings.LAYANAN_WHATSAPP_BACKEND = GATEWAY

    with django_capture_on_commit_callbacks(execute=True):
        notify(
            channel="whatsapp",
            address="+6281234567890",
            template="test_receipt",
            context={"name": "Siti", "reference": "PMH-2026-0001"},
            language="en",
        )

    assert RecordingWhatsAppGateway.sent == [
        (
            "+6281234567890",
            "Your application was received",
            "Hello Siti, your application PMH-2026-0001 was received.",
        )
    ]


@pytest.mark.django_db
def test_a_refusing_gateway_marks_the_message_failed_for_a_retry(settings: Any) -> None:
    settings.LAYANAN_WHATSAPP_BACKEND = "layanan.notifications.tests.test_whatsapp.RefusingWhatsAppGateway"
    notification = notify(
        channel="whatsapp",
        address="+6281234567890",
        template="test_receipt",
        context={"name": "Siti", "reference": "PMH-2026-0001"},
    )

    delivered = deliver_notification(notification.pk)

    assert delivered is not None
    assert delivered.status == Notification.Status.FAILED
    assert delivered.error == "ConnectionError"
    assert delivered.attempts == 1

from __future__ import annotations

from typing import Any

import pytest

from layanan.notifications.channels import (
    ConsoleSmsBackend,
    EmailChannel,
    FileSmsBackend,
    channel_for,
    sms_backend_class,
)
from layanan.notifications.checks import check_sms_backend
from layanan.notifications.tests.fakes import RecordingSmsGateway


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("console", ConsoleSmsBackend),
        ("file", FileSmsBackend),
        ("layanan.notifications.tests.fakes.RecordingSmsGateway", RecordingSmsGateway),
    ],
)
def test_sms_backend_by_name_or_dotted_path(name: str, expected: type) -> None:
    assert sms_backend_class(name) is expected


@pytest.mark.parametrize(
    "name",
    [
        "whatsapp",
        "layanan.notifications.tests.fakes.NoSuchGateway",
        "layanan.notifications.tests.fakes.NotAGateway",
        "layanan.notifications.channels.channel_for",
    ],
)
def test_unusable_sms_backends_are_refused(name: str) -> None:
    with pytest.raises(ImportError):
        sms_backend_class(name)


def test_channel_for_each_kind(settings: Any) -> None:
    settings.LAYANAN_SMS_BACKEND = "console"

    assert isinstance(channel_for("email"), EmailChannel)
    assert isinstance(channel_for("sms"), ConsoleSmsBackend)
    with pytest.raises(ValueError, match="unknown channel"):
        channel_for("pigeon")


def test_console_backend_prints_the_message(capsys: pytest.CaptureFixture[str]) -> None:
    ConsoleSmsBackend().send(address="+6281234567890", subject="ignored", body="Kode Anda 123456")

    assert capsys.readouterr().out == "[SMS to +6281234567890] Kode Anda 123456\n"


def test_system_check_accepts_a_gateway_and_refuses_a_bad_path(settings: Any) -> None:
    settings.LAYANAN_SMS_BACKEND = "layanan.notifications.tests.fakes.RecordingSmsGateway"
    assert check_sms_backend() == []

    settings.LAYANAN_SMS_BACKEND = "layanan.notifications.tests.fakes.NoSuchGateway"
    assert [message.id for message in check_sms_backend()] == ["notifications.E001"]


def test_system_check_warns_about_the_console_backend_in_production(settings: Any) -> None:
    settings.LAYANAN_SMS_BACKEND = "console"
    settings.IS_PRODUCTION = True

    assert [message.id for message in check_sms_backend()] == ["notifications.W001"]

    settings.IS_PRODUCTION = False
    assert check_sms_backend() == []

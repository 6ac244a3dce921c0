"""Fixtures of the notification tests: a message template of their own and a private SMS log."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

TEST_TEMPLATES = Path(__file__).parent / "templates"


@pytest.fixture(autouse=True)
def message_templates(settings: Any) -> None:
    """``notifications/messages/test_receipt.{subject,body}.txt``, found beside the app's own."""
    engine = settings.TEMPLATES[0]
    settings.TEMPLATES = [{**engine, "DIRS": [*engine["DIRS"], TEST_TEMPLATES]}]


@pytest.fixture(autouse=True)
def sms_log(settings: Any, tmp_path: Path) -> Path:
    settings.LAYANAN_SMS_BACKEND = "file"
    settings.LAYANAN_SMS_FILE_PATH = tmp_path / "sms"
    return tmp_path / "sms" / "messages.log"


@pytest.fixture
def sms_gateway(settings: Any) -> list[tuple[str, str, str]]:
    """A recording production-style gateway; returns what it sent."""
    from layanan.notifications.tests.fakes import RecordingSmsGateway

    RecordingSmsGateway.sent = []
    settings.LAYANAN_SMS_BACKEND = "layanan.notifications.tests.fakes.RecordingSmsGateway"
    return RecordingSmsGateway.sent

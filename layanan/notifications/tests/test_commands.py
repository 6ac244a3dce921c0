from __future__ import annotations

import datetime
from io import StringIO
from typing import Any

import pytest
from django.core import mail
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from layanan.notifications.actions import notify
from layanan.notifications.models import Notification

Status = Notification.Status


def _notification(
    *, status: str, minutes_ago: int, attempts: int = 0, address: str = "a@example.id"
) -> Notification:
    """A notification whose creation (and last attempt, if any) lies ``minutes_ago`` in the past."""
    notification = notify(
        channel="email", address=address, template="test_receipt", context={"name": "A", "reference": "R-1"}
    )
    moment = timezone.now() - datetime.timedelta(minutes=minutes_ago)
    Notification.objects.filter(pk=notification.pk).update(
        status=status, attempts=attempts, created_at=moment, last_attempt_at=moment if attempts else None
    )
    return notification


def _run(*arguments: str) -> str:
    output = StringIO()
    call_command("send_pending_notifications", *arguments, stdout=output)
    return output.getvalue()


def _statuses() -> dict[str, str]:
    return {n.address: n.status for n in Notification.objects.all()}


@pytest.mark.django_db
def test_retries_what_did_not_go_out_and_leaves_the_rest() -> None:
    _notification(status=Status.PENDING, minutes_ago=30, address="old-pending@example.id")
    _notification(status=Status.FAILED, minutes_ago=30, attempts=1, address="old-failed@example.id")
    _notification(status=Status.SENDING, minutes_ago=30, attempts=1, address="abandoned@example.id")
    _notification(status=Status.PENDING, minutes_ago=2, address="fresh-pending@example.id")
    _notification(status=Status.FAILED, minutes_ago=2, attempts=1, address="fresh-failed@example.id")
    _notification(status=Status.SENDING, minutes_ago=2, attempts=1, address="in-flight@example.id")
    _notification(status=Status.SENT, minutes_ago=30, attempts=1, address="sent@example.id")
    _notification(status=Status.FAILED, minutes_ago=30, attempts=5, address="given-up@example.id")

    output = _run("--older-than", "10")

    assert "sent: 3, failed: 0, skipped: 0" in output
    assert sorted(message.to[0] for message in mail.outbox) == [
        "abandoned@example.id",
        "old-failed@example.id",
        "old-pending@example.id",
    ]
    assert _statuses() == {
        "old-pending@example.id": Status.SENT,
        "old-failed@example.id": Status.SENT,
        "abandoned@example.id": Status.SENT,
        "fresh-pending@example.id": Status.PENDING,
        "fresh-failed@example.id": Status.FAILED,
        "in-flight@example.id": Status.SENDING,
        "sent@example.id": Status.SENT,
        "given-up@example.id": Status.FAILED,
    }


@pytest.mark.django_db
def test_running_twice_sends_nothing_more() -> None:
    _notification(status=Status.PENDING, minutes_ago=30)
    _run()

    output = _run()

    assert len(mail.outbox) == 1
    assert "sent: 0, failed: 0, skipped: 0" in output


@pytest.mark.django_db
def test_a_gateway_still_down_counts_the_attempt_and_waits_for_the_next_run(settings: Any) -> None:
    settings.LAYANAN_SMS_BACKEND = "layanan.notifications.tests.fakes.UnreachableSmsGateway"
    notification = notify(channel="sms", address="+6281234567890", template="test_receipt", context={})
    Notification.objects.filter(pk=notification.pk).update(
        status=Status.FAILED, attempts=1, last_attempt_at=timezone.now() - datetime.timedelta(hours=1)
    )

    first = _run()
    second = _run()

    assert "sent: 0, failed: 1, skipped: 0" in first
    assert "sent: 0, failed: 0, skipped: 0" in second
    notification.refresh_from_db()
    assert (notification.status, notification.attempts) == (Status.FAILED, 2)


@pytest.mark.django_db
def test_max_attempts_is_configurable() -> None:
    _notification(status=Status.FAILED, minutes_ago=30, attempts=2)

    assert "sent: 0" in _run("--max-attempts", "2")
    assert "sent: 1" in _run("--max-attempts", "3")


@pytest.mark.django_db
@pytest.mark.parametrize("arguments", [("--older-than", "-1"), ("--max-attempts", "0")])
def test_nonsense_arguments_are_refused(arguments: tuple[str, str]) -> None:
    with pytest.raises(CommandError):
        _run(*arguments)

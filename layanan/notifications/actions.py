from __future__ import annotations

import json
import logging
from typing import Any

from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation

from layanan.notifications.channels import channel_for
from layanan.notifications.models import Notification

logger = logging.getLogger(__name__)


def notify(
    *,
    channel: str,
    address: str,
    template: str,
    context: dict[str, Any],
    recipient: Any | None = None,
    language: str | None = None,
) -> Notification:
    """Record a message and deliver it once the current transaction commits.

    ``template`` names ``notifications/messages/<template>.subject.txt`` and ``.body.txt``,
    rendered in ``language`` (the active language by default). ``context`` must be JSON-able.
    """
    notification = Notification.objects.create(
        recipient=recipient,
        channel=channel,
        address=address,
        template=template,
        language=language or translation.get_language() or "id",
        context=json.dumps(context),
    )

    def enqueue() -> None:
        from layanan.notifications.tasks import deliver_notification_task

        deliver_notification_task.enqueue(notification.pk)

    transaction.on_commit(enqueue)
    return notification


def render_notification(notification: Notification) -> tuple[str, str]:
    context = json.loads(notification.context)
    with translation.override(notification.language):
        subject = render_to_string(f"notifications/messages/{notification.template}.subject.txt", context)
        body = render_to_string(f"notifications/messages/{notification.template}.body.txt", context)
    return " ".join(subject.split()), body.strip()


def deliver_notification(notification_id: int) -> Notification | None:
    with transaction.atomic():
        notification = Notification.objects.select_for_update().filter(pk=notification_id).first()
        if notification is None or notification.status == Notification.Status.SENT:
            return notification
        subject, body = render_notification(notification)
        notification.attempts += 1
        try:
            channel_for(notification.channel).send(address=notification.address, subject=subject, body=body)
        except Exception as error:  # noqa: BLE001 - any gateway failure is recorded and retried later
            notification.status = Notification.Status.FAILED
            notification.error = type(error).__name__
            logger.warning("notification %s failed: %s", notification.pk, type(error).__name__)
        else:
            notification.status = Notification.Status.SENT
            notification.sent_at = timezone.now()
        notification.save(update_fields=["status", "attempts", "sent_at", "error"])
    return notification

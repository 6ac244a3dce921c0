"""Writes of the notification service: record a message, deliver it, retry what did not go out.

Delivery is at least once. A notification is *claimed* (status ``sending``) in a short
transaction, sent with no transaction or lock held (a slow SMS gateway must not hold SQLite's
write lock or a PostgreSQL row lock), then marked ``sent`` or ``failed``. A second delivery of a
sent or freshly claimed notification does nothing. A worker that dies between the gateway call
and the final update leaves a ``sending`` row, which ``deliver_pending_notifications`` claims
again once it is older than the retry delay: that one message may then arrive twice.
"""

from __future__ import annotations

import datetime
import json
import logging
from typing import Any, cast

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.template import Context, engines
from django.template.backends.django import DjangoTemplates
from django.template.base import Template
from django.utils import timezone, translation

from layanan.notifications.channels import channel_for
from layanan.notifications.models import Notification

logger = logging.getLogger(__name__)

DEFAULT_RETRY_DELAY = datetime.timedelta(minutes=10)
DEFAULT_MAX_ATTEMPTS = 5


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

    ``template`` names ``notifications/messages/<template>.subject.txt`` and ``.body.txt`` (in
    any app's ``templates/``), rendered without HTML escaping in ``language`` (the active
    language by default). ``context`` must be JSON-able; it is stored encrypted, like the address.
    An unknown channel or template raises at once, inside the caller's transaction.
    """
    if channel not in Notification.Channel.values:
        raise ValueError(f"unknown channel {channel!r}")
    if not address:
        raise ValueError("a notification needs an address")
    for part in ("subject", "body"):
        _message_template(template, part)  # TemplateDoesNotExist now rather than after commit
    notification = Notification.objects.create(
        recipient=recipient,
        channel=channel,
        address=address,
        template=template,
        language=_supported_language(language or translation.get_language()),
        context=json.dumps(context),
    )

    def enqueue() -> None:
        from layanan.notifications.tasks import deliver_notification_task

        deliver_notification_task.enqueue(notification.pk)

    # robust: a queue that is down must not turn a committed change into an error page; the
    # notification stays pending and send_pending_notifications picks it up.
    transaction.on_commit(enqueue, robust=True)
    return notification


def render_notification(notification: Notification) -> tuple[str, str]:
    """The subject (one line) and body of ``notification`` in its own language."""
    context = Context(json.loads(notification.context), autoescape=False)
    with translation.override(notification.language):
        subject = _message_template(notification.template, "subject").render(context)
        body = _message_template(notification.template, "body").render(context)
    return " ".join(subject.split()), body.strip()


def deliver_notification(
    notification_id: int, *, stale_after: datetime.timedelta = DEFAULT_RETRY_DELAY
) -> Notification | None:
    """Send one notification unless it was sent or is being sent; never raises for a failed send."""
    notification, claimed = _claim(notification_id, stale_after=stale_after)
    if notification is None or not claimed:
        return notification
    update: dict[str, Any]
    try:
        subject, body = render_notification(notification)
        channel_for(notification.channel).send(address=notification.address, subject=subject, body=body)
    except Exception as error:  # noqa: BLE001 - any failure is recorded and retried later
        update = {"status": Notification.Status.FAILED, "error": type(error).__name__[:200]}
        logger.warning("notification %s failed: %s", notification.pk, type(error).__name__)
    else:
        update = {"status": Notification.Status.SENT, "sent_at": timezone.now()}
    Notification.objects.filter(pk=notification.pk).update(**update)
    for field, value in update.items():
        setattr(notification, field, value)
    return notification


def deliver_pending_notifications(
    *, older_than: datetime.timedelta = DEFAULT_RETRY_DELAY, max_attempts: int = DEFAULT_MAX_ATTEMPTS
) -> dict[str, int]:
    """Retry what did not go out: pending, failed or abandoned notifications older than the delay.

    Idempotent: a run right after another finds nothing, since every retried notification was
    attempted just now. A notification that failed ``max_attempts`` times is left for a person.
    """
    cutoff = timezone.now() - older_than
    due = Notification.objects.filter(attempts__lt=max_attempts).filter(
        Q(status=Notification.Status.PENDING, created_at__lte=cutoff)
        | Q(
            status__in=[Notification.Status.FAILED, Notification.Status.SENDING],
            last_attempt_at__lte=cutoff,
        )
    )
    outcome = {"sent": 0, "failed": 0, "skipped": 0}
    for notification_id in due.order_by("pk").values_list("pk", flat=True):
        delivered = deliver_notification(notification_id, stale_after=older_than)
        if delivered is None or delivered.status not in ("sent", "failed"):
            outcome["skipped"] += 1
        else:
            outcome[str(delivered.status)] += 1
    return outcome


def _claim(notification_id: int, *, stale_after: datetime.timedelta) -> tuple[Notification | None, bool]:
    now = timezone.now()
    with transaction.atomic():
        notification = Notification.objects.select_for_update().filter(pk=notification_id).first()
        if notification is None or notification.status == Notification.Status.SENT:
            return notification, False
        if (
            notification.status == Notification.Status.SENDING
            and notification.last_attempt_at is not None
            and notification.last_attempt_at > now - stale_after
        ):
            return notification, False  # another worker is sending it right now
        notification.status = Notification.Status.SENDING
        notification.attempts += 1
        notification.last_attempt_at = now
        notification.error = ""
        notification.save(update_fields=["status", "attempts", "last_attempt_at", "error"])
    return notification, True


def _message_template(template: str, part: str) -> Template:
    engine = cast(DjangoTemplates, engines["django"]).engine
    return engine.get_template(f"notifications/messages/{template}.{part}.txt")


def _supported_language(language: str | None) -> str:
    try:
        return translation.get_supported_language_variant(language or settings.LANGUAGE_CODE)
    except LookupError:
        return str(settings.LANGUAGE_CODE)

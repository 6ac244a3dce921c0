from __future__ import annotations

from django_tasks import task

from layanan.notifications.actions import deliver_notification


@task()
def deliver_notification_task(notification_id: int) -> None:
    """Deliver one notification; idempotent (a sent notification is not sent again)."""
    deliver_notification(notification_id)

"""Background work of complaints (``django_tasks``): the same actions as the
``escalate_complaints`` command, for a scheduler that enqueues tasks instead of running cron."""

from __future__ import annotations

from django_tasks import task

from layanan.complaints.actions import close_reply_windows, escalate_overdue_complaints


@task()
def escalate_complaints_task() -> int:
    """Escalate the missed deadlines of open reports (each deadline once per level); the count."""
    return escalate_overdue_complaints()


@task()
def close_reply_windows_task() -> int:
    """Resolve answered reports whose reply window passed and close resolved ones; the count."""
    return close_reply_windows()

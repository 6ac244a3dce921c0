from __future__ import annotations

from django_tasks import task

from layanan.applications.actions import escalate_overdue_applications


@task()
def escalate_applications_task() -> int:
    """Escalate the overdue deadlines of open applications (each deadline once); the count."""
    return escalate_overdue_applications()

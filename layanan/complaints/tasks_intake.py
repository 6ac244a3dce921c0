from __future__ import annotations

from django_tasks import task

from layanan.complaints.intake import process_intake


@task()
def process_intake_task(intake_id: int) -> bool:
    """Make the complaint of one accepted report (idempotent); whether one was made now."""
    return process_intake(intake_id) is not None

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from layanan.applications.actions import escalate_overdue_applications


class Command(BaseCommand):
    help = (
        "Escalate every overdue deadline of every open application to the unit head, once per "
        "deadline. Safe to run from cron (e.g. every hour on working days): a second run escalates "
        "nothing new."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        escalated = escalate_overdue_applications()
        self.stdout.write(f"Deadlines escalated: {escalated}.")

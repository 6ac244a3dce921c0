from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from layanan.complaints.actions import close_reply_windows, escalate_overdue_complaints


class Command(BaseCommand):
    help = (
        "Escalate every missed deadline of every open report (to the coordinators of its regency, "
        "then to the inspectorate when still missed), once per deadline and level; then resolve "
        "answered reports whose reply window has passed and close resolved ones. Safe to run from "
        "cron (e.g. every hour on working days): a second run changes nothing new."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        escalated = escalate_overdue_complaints()
        moved = close_reply_windows()
        self.stdout.write(f"Deadlines escalated: {escalated}. Reports resolved or closed: {moved}.")

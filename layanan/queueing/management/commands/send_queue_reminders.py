from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from layanan.queueing.bookings import send_reminders


class Command(BaseCommand):
    help = "Remind everyone booked in a queue for tomorrow (once each). Run it daily, e.g. at 17.00."

    def handle(self, *args: Any, **options: Any) -> None:
        sent = send_reminders()
        self.stdout.write(f"{sent} reminder(s) sent.")

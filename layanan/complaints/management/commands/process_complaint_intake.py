"""``layanan process_complaint_intake [--loop]``: make the complaints of accepted reports."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from layanan.complaints.intake import process_pending_intake


class Command(BaseCommand):
    help = "Process reports accepted through the REST API (oldest first)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--loop", action="store_true", help="Keep running, polling for new reports.")
        parser.add_argument("--batch", type=int, default=100, help="Reports per round (default 100).")
        parser.add_argument(
            "--sleep", type=float, default=0.5, help="Seconds to wait when idle (default 0.5)."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        total = 0
        while True:
            done = process_pending_intake(limit=options["batch"])
            total += done
            if not options["loop"]:
                break
            if done == 0:
                time.sleep(options["sleep"])
        self.stdout.write(f"{total} report(s) processed.")

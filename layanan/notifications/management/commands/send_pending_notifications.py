from __future__ import annotations

import datetime
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from layanan.notifications.actions import (
    DEFAULT_MAX_ATTEMPTS,
    DEFAULT_RETRY_DELAY,
    deliver_pending_notifications,
)


class Command(BaseCommand):
    help = (
        "Retry notifications that did not go out (pending, failed, or abandoned mid-send) and are "
        "older than --older-than minutes. Safe to run from cron every few minutes: it is idempotent."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--older-than",
            type=int,
            default=int(DEFAULT_RETRY_DELAY.total_seconds() // 60),
            metavar="MINUTES",
            help="Only notifications created or last tried at least this long ago (default: %(default)s).",
        )
        parser.add_argument(
            "--max-attempts",
            type=int,
            default=DEFAULT_MAX_ATTEMPTS,
            help="Give up on a notification after this many attempts (default: %(default)s).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["older_than"] < 0 or options["max_attempts"] < 1:
            raise CommandError("--older-than must be 0 or more and --max-attempts 1 or more.")
        outcome = deliver_pending_notifications(
            older_than=datetime.timedelta(minutes=options["older_than"]),
            max_attempts=options["max_attempts"],
        )
        self.stdout.write(
            f"Notifications sent: {outcome['sent']}, failed: {outcome['failed']}, "
            f"skipped: {outcome['skipped']}."
        )

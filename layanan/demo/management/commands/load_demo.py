from __future__ import annotations

import time
from typing import Any

from django.conf import settings
from django.core.management import call_command, get_commands
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.urls import reverse

from layanan.demo.actions import DemoLoad, load_demo_data
from layanan.demo.data.people import DEMO_PASSWORD
from layanan.demo.exceptions import DemoNotAllowedError


class Command(BaseCommand):
    help = (
        "Load the demo public service mall of Kabupaten Banyumas: agencies, service units, services, "
        "one staff account per role and two citizens. Safe to re-run. Development mode only."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--skip-holidays", action="store_true", help="Do not run load_holidays after the demo."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.monotonic()
        try:
            load = load_demo_data()
        except DemoNotAllowedError as error:
            raise CommandError(str(error)) from error
        # The holiday table belongs to the workdays app; its loader is idempotent too.
        if not options["skip_holidays"] and "load_holidays" in get_commands():
            call_command("load_holidays", stdout=self.stdout, stderr=self.stderr)
        self._print(load, time.monotonic() - started)

    def _print(self, load: DemoLoad, seconds: float) -> None:
        if load.changed:
            counts = ", ".join(f"{n} {kind}" for kind, n in sorted(load.created.items()))
            repairs = ", ".join(f"{n} {kind}" for kind, n in sorted(load.updated.items()))
            self.stdout.write(self.style.SUCCESS(f"Demo loaded in {seconds:.1f} s."))
            self.stdout.write(f"  created: {counts or 'nothing'}; updated: {repairs or 'nothing'}")
        else:
            self.stdout.write(
                self.style.SUCCESS(f"Demo already up to date ({seconds:.1f} s), nothing changed.")
            )
        site = settings.SITE_URL
        self.stdout.write("")
        self.stdout.write(f"  Portal:        {site}/")
        self.stdout.write(f"  Services:      {site}{reverse('catalog:service-list')}")
        self.stdout.write(f"  Sign in:       {site}{reverse('accounts:signin')}")
        self.stdout.write("")
        header = ("Username", "Sign-in", "Role", "Agency / unit", "TOTP secret (base32)")
        rows = [(a.username, a.sign_in, a.role, a.agency, a.totp_secret or "—") for a in load.accounts]
        widths = [max(len(str(row[i])) for row in [header, *rows]) for i in range(len(header))]
        for row in [header, tuple("-" * width for width in widths), *rows]:
            cells = [cell.ljust(width) for cell, width in zip(row, widths, strict=True)]
            self.stdout.write(("  " + "  ".join(cells)).rstrip())
        self.stdout.write("")
        self.stdout.write(f"  Staff password (every staff account): {DEMO_PASSWORD}")
        self.stdout.write("  Add a TOTP secret to an authenticator app, or print the current code with:")
        self.stdout.write("      layanan demo_totp <username>")
        self.stdout.write(
            "  Citizens sign in with a one-time code; in development it is written to the console or var/."
        )

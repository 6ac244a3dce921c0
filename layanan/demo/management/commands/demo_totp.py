from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django_otp.plugins.otp_totp.models import TOTPDevice

from layanan.demo.totp import DEVICE_NAME, current_code


class Command(BaseCommand):
    help = "Print the current TOTP code of a demo staff account (development mode only)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username", help="A demo staff username, e.g. petugas.loket")

    def handle(self, *args: Any, **options: Any) -> None:
        if settings.IS_PRODUCTION:
            raise CommandError(
                "demo_totp prints second-factor codes: it is refused when LAYANAN_ENV=production."
            )
        username = options["username"]
        device = (
            TOTPDevice.objects.filter(user__username=username, name=DEVICE_NAME, confirmed=True)
            .select_related("user")
            .first()
        )
        if device is None:
            raise CommandError(f"{username!r} has no confirmed TOTP device. Run `layanan load_demo` first.")
        self.stdout.write(current_code(device))

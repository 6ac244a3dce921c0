"""Play SP4N-LAPOR! sending a report to the platform (development): sign it with the shared
secret and deliver it, in this process or over HTTP to a running server.

    layanan lapor_simulate_inbound --region 33.74 --category infrastruktur
    layanan lapor_simulate_inbound --url http://127.0.0.1:8000/api/v1/lapor/reports --anonymous

Prints the platform's reference and LAPOR!'s tracking id, never the reporter's details.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from layanan.complaints.lapor import SimulatedLapor
from layanan.payments.provider import InvalidSignature
from layanan.regions.models import Region

DEFAULT_TITLE = "Lampu penerangan jalan mati sejak seminggu"
DEFAULT_BODY = (
    "Laporan dari SP4N-LAPOR!: lampu penerangan jalan di depan pasar mati sejak minggu lalu, "
    "jalan menjadi gelap dan rawan kecelakaan pada malam hari."
)


class Command(BaseCommand):
    help = "Send a simulated SP4N-LAPOR! report to the platform (signed, like the real system)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--url", help="POST to this URL (a running server) instead of in-process.")
        parser.add_argument("--region", help="Region code; default: the first regency/city loaded.")
        parser.add_argument("--category", default="lainnya", help="Category slug (default: lainnya).")
        parser.add_argument("--kind", default="pengaduan", help="pengaduan, aspirasi, informasi or pungli.")
        parser.add_argument("--title", default=DEFAULT_TITLE)
        parser.add_argument("--body", default=DEFAULT_BODY)
        parser.add_argument("--tracking-id", help="LAPOR!'s tracking id (default: a new one).")
        parser.add_argument("--reporter-name", default="", help="The reporter's name at LAPOR!.")
        parser.add_argument("--anonymous", action="store_true", help="An anonymous report (anonim).")
        parser.add_argument("--confidential", action="store_true", help="A confidential report (rahasia).")

    def handle(self, *args: Any, **options: Any) -> None:
        region = options["region"] or self._default_region()
        report = SimulatedLapor.inbound_report(
            title=options["title"],
            body=options["body"],
            region=region,
            category=options["category"],
            kind=options["kind"],
            anonymous=options["anonymous"],
            confidential=options["confidential"],
            reporter_name=options["reporter_name"],
            tracking_id=options["tracking_id"],
        )
        try:
            status, answer = SimulatedLapor.deliver_inbound(report, url=options["url"])
        except InvalidSignature as error:
            raise CommandError(f"refused: {error}") from error
        except ValidationError as error:
            problems = (
                [f"{field}: {' '.join(messages)}" for field, messages in error.message_dict.items()]
                if hasattr(error, "error_dict")
                else error.messages
            )
            raise CommandError(f"refused: {'; '.join(problems)}") from error
        except (OSError, ValueError) as error:
            raise CommandError(f"could not deliver: {error}") from error
        if status >= 400:
            raise CommandError(f"refused with HTTP {status}: {answer.get('code')}: {answer.get('message')}")
        outcome = "received" if answer.get("created") else "already received"
        tracking_id = answer.get("lapor_tracking_id")
        self.stdout.write(f"{outcome}: {answer.get('reference')} (SP4N-LAPOR! {tracking_id}), HTTP {status}")

    @staticmethod
    def _default_region() -> str:
        code = (
            Region.objects.filter(level=Region.Level.REGENCY)
            .order_by("code")
            .values_list("code", flat=True)
            .first()
        )
        if code is None:
            raise CommandError("No regions are loaded: run `layanan load_regions` or pass --region.")
        return code

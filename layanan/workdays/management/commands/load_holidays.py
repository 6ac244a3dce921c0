from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone

from layanan.workdays.actions import YearImport, import_holidays
from layanan.workdays.source import package_source


class Command(BaseCommand):
    help = (
        "Load national holidays and cuti bersama from the holidays package (PUBLIC and GOVERNMENT "
        "categories, Indonesian names), with the SKB 3 Menteri decree where lokal-id knows it. "
        "Safe to re-run; holidays entered by an administrator are never changed."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--years",
            nargs="+",
            type=int,
            metavar="YEAR",
            help="Years to load (default: last year, this year and next year).",
        )
        parser.add_argument(
            "--prune",
            action="store_true",
            help="Also remove imported holidays that are no longer in the source.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        this_year = timezone.localdate().year
        years: list[int] = options["years"] or [this_year - 1, this_year, this_year + 1]
        self.stdout.write(f"Loading holidays for {', '.join(map(str, years))} from {package_source()} ...")
        reports = import_holidays(years, actor=None, prune=options["prune"])
        for report in reports:
            self._report(report)
        created = sum(r.created for r in reports)
        updated = sum(r.updated for r in reports)
        self.stdout.write(self.style.SUCCESS(f"Done: {created} added, {updated} updated."))

    def _report(self, report: YearImport) -> None:
        self.stdout.write(
            f"  {report.year}: {report.in_source} in source: {report.created} added, "
            f"{report.updated} updated, {report.unchanged} unchanged, "
            f"{report.kept_manual} kept as entered by an administrator"
        )
        if not report.has_cuti_bersama:
            self.stdout.write(
                self.style.WARNING(
                    f"  {report.year}: no cuti bersama in the source yet (the SKB 3 Menteri usually comes "
                    "out around September of the year before); add them when it is published."
                )
            )
        for disagreement in report.disagreements:
            self.stdout.write(
                self.style.WARNING(
                    f"  {report.year}: {disagreement.date.isoformat()} {disagreement.kind} is listed "
                    f"only by {disagreement.listed_by}: check the decree."
                )
            )
        for holiday in report.stale:
            verb = "removed" if report.removed else "no longer in the source (use --prune to remove)"
            self.stdout.write(self.style.WARNING(f"  {report.year}: {holiday} {verb}"))

"""``layanan export_sippn_csv``: the published components of every published service as CSV, in the
field layout of SIPPN (Sistem Informasi Pelayanan Publik Nasional); see ``docs/catalog-format.md``.
"""

from __future__ import annotations

import csv
import io
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from layanan.catalog.interchange import UnknownAgencyError, sippn_rows


class Command(BaseCommand):
    help = "Export the 6 published components of each published service as CSV in SIPPN's columns."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--output", "-o", default="", help="Write to this file (default: standard output)."
        )
        parser.add_argument("--agency", default="", metavar="SLUG", help="Only this agency.")
        parser.add_argument(
            "--language",
            default=settings.LANGUAGE_CODE,
            choices=[code for code, _name in settings.LANGUAGES],
            help="Language of labels and connecting words (default: %(default)s).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\r\n")
        try:
            rows = 0
            for row in sippn_rows(agency=options["agency"], language=options["language"]):
                writer.writerow(row)
                rows += 1
        except UnknownAgencyError as error:
            raise CommandError(f"No agency has the slug {options['agency']!r}.") from error
        if not options["output"]:
            self.stdout.write(buffer.getvalue(), ending="")
            return
        with open(options["output"], "w", encoding="utf-8", newline="") as output:
            output.write(buffer.getvalue())
        self.stderr.write(f"Exported {rows - 1} services to {options['output']}.")

"""``layanan export_catalog``: write the catalog in the import format (``docs/catalog-format.md``).

The order is deterministic (agencies, units and services by slug), so exporting, importing the
file into an empty database and exporting again gives the same bytes.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Literal

from django.core.management.base import BaseCommand, CommandError, CommandParser

from layanan.catalog.interchange import UnknownAgencyError, dump_catalog, export_catalog, is_json_path


class Command(BaseCommand):
    help = "Export agencies, units, services and adopted standards as a catalog file (YAML or JSON)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--format",
            choices=["yaml", "json"],
            default=None,
            help="Default: json when --output ends in .json, else yaml.",
        )
        parser.add_argument(
            "--output", "-o", default="", help="Write to this file (default: standard output)."
        )
        parser.add_argument("--agency", default="", metavar="SLUG", help="Only this agency.")

    def handle(self, *args: Any, **options: Any) -> None:
        output: str = options["output"]
        fmt: Literal["yaml", "json"] = options["format"] or (
            "json" if output and is_json_path(output) else "yaml"
        )
        try:
            document = export_catalog(agency=options["agency"])
        except UnknownAgencyError as error:
            raise CommandError(f"No agency has the slug {options['agency']!r}.") from error
        text = dump_catalog(document, fmt=fmt)
        if not output:
            self.stdout.write(text, ending="")
            return
        Path(output).write_text(text, encoding="utf-8", newline="")
        services = sum(len(unit["services"]) for agency in document["agencies"] for unit in agency["units"])
        self.stderr.write(
            f"Exported {len(document['agencies'])} agencies and {services} services to {output}."
        )

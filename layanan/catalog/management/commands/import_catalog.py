"""``layanan import_catalog FILE``: load agencies, units, services and their adopted standards.

The file (YAML, or JSON when it ends in ``.json``; format in ``docs/catalog-format.md``) is checked
completely first: every problem is listed with its line and field path, and nothing is written
unless there is none. Then everything is written in one transaction through the catalog's actions
(each change audited, ``actor`` = the system). Re-importing the same file changes nothing.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from layanan.catalog.interchange import (
    KINDS,
    CatalogError,
    CatalogFileError,
    ImportApplyError,
    ImportReport,
    format_loc,
    import_catalog,
    read_catalog,
)

KIND_LABELS = {
    "agency": "agencies",
    "unit": "service units",
    "service_promise": "service promises",
    "service": "services",
    "standard": "adopted standards",
}


def _plain(text: str) -> str:
    """Progress on standard error is not an error: no red on a terminal."""
    return text


class Command(BaseCommand):
    help = (
        "Import a service catalog file (YAML or JSON, see docs/catalog-format.md). Every error is "
        "reported first and nothing is written if there is one; re-importing a file changes nothing."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="The catalog file (.yaml/.yml, or .json).")
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Check the file and count what would change; write nothing.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"])
        name = path.name
        self._verbosity = int(options["verbosity"])
        if not path.is_file():
            raise CommandError(f"{path}: no such file.")
        try:
            catalog, document = read_catalog(path)
            report = import_catalog(
                catalog, document=document, dry_run=options["dry_run"], progress=self._progress
            )
        except CatalogFileError as error:
            self._report_errors(name, error.errors)
            raise CommandError(
                f"{len(error.errors)} error(s) in {name}: nothing was imported. Correct them and run again."
            ) from error
        except ImportApplyError as error:
            line = document.line_of(error.loc)
            self._report_errors(name, [CatalogError(line, format_loc(error.loc), error.message)])
            raise CommandError(
                f"{name} was refused: nothing was imported (all changes were rolled back)."
            ) from error
        self._summary(name, report)

    def _report_errors(self, name: str, errors: list[CatalogError]) -> None:
        for error in errors:
            self.stderr.write(error.render(name))

    def _progress(self, done: int, total: int) -> None:
        if self._verbosity == 0 or total < 2:
            return
        if self.stderr.isatty():
            width = 30
            filled = width * done // total
            bar = "#" * filled + "-" * (width - filled)
            self.stderr.write(
                f"\rImporting services [{bar}] {done}/{total}",
                style_func=_plain,
                ending="\n" if done == total else "",
            )
            self.stderr.flush()
            return
        step = max(1, total // 10)
        if done % step == 0 or done == total:
            self.stderr.write(f"Importing services {done}/{total}", style_func=_plain)

    def _summary(self, name: str, report: ImportReport) -> None:
        if report.dry_run:
            self.stdout.write(f"Dry run of {name}: the file is valid; nothing was written. It would make:")
        else:
            self.stdout.write(f"Imported {name}:")
        for kind in KINDS:
            created, updated, unchanged = report.created[kind], report.updated[kind], report.unchanged[kind]
            if created or updated or unchanged:
                counts = f"{created:>6} created {updated:>6} updated {unchanged:>6} unchanged"
                self.stdout.write(f"  {KIND_LABELS[kind]:<18} {counts}")
        if not report.changed:
            self.stdout.write(self.style.SUCCESS("Nothing to change: the database already matches the file."))
        elif not report.dry_run:
            self.stdout.write(self.style.SUCCESS("Done."))

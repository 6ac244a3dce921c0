from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from layanan.catalog.search import invalidate_search_index, sync_search_index


class Command(BaseCommand):
    help = (
        "Re-analyse every service into the catalog search index (SearchDocument rows and the "
        "database's full-text index). Searches keep working meanwhile; every process picks up "
        "the new index at its next search. With --changed-only, only services whose text "
        "changed are re-analysed (what a search does after invalidate_search_index)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--changed-only",
            action="store_true",
            help="Re-analyse only the services whose text changed since the last sync.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.perf_counter()
        if options["changed_only"]:
            invalidate_search_index()
        result = sync_search_index(full=not options["changed_only"])
        elapsed = time.perf_counter() - started
        if result.skipped:
            self.stdout.write("Search index: already current, or being synced by another process.")
            return
        self.stdout.write(
            f"Search index: {result.analysed} services analysed, {result.removed} removed in {elapsed:.2f} s."
        )

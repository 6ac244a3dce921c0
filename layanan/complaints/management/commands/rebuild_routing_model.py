"""``layanan rebuild_routing_model``: relearn the routing assistant from every confirmed disposition.

Writes the snapshot the server processes load (``routing_store``; docs/complaints-routing.md).
Run it after an upgrade and nightly (cron or a systemd timer). Safe while the site runs: the file
is replaced atomically and each process picks it up on its next suggestion.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from layanan.complaints.routing_store import rebuild_snapshot


class Command(BaseCommand):
    help = "Relearn the routing assistant from every confirmed disposition (writes its snapshot)."

    def handle(self, *args: Any, **options: Any) -> None:
        result = rebuild_snapshot()
        self.stdout.write(
            f"Routing model: learned {result.reports} reports (dispositions up to id {result.watermark}) "
            f"in {result.seconds:.1f} s; snapshot {result.path}."
        )

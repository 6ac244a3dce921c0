from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser


class Command(BaseCommand):
    help = (
        "Serve the display boards' Server-Sent Events (/antrean/<site>/layar/events) from one ASGI "
        "process (uvicorn): a connected screen costs a coroutine here, not a WSGI worker. Route that "
        "path to it in the reverse proxy and set LAYANAN_BOARD_EVENTS=1 (see docs/queue.md)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8001)

    def handle(self, *args: Any, **options: Any) -> None:
        import uvicorn

        uvicorn.run(
            "layanan.asgi:application",
            host=options["host"],
            port=options["port"],
            workers=1,
            access_log=False,
            log_level="warning",
            lifespan="off",
        )

"""Server-Sent Events for the display board (``/antrean/<site>/layar/events``).

A stream holds its connection open, so it must not be served by the WSGI workers that serve the
citizens (one sync worker per connected screen). It is an async view, served by the ASGI process
that ``layanan serve_board_events`` starts (uvicorn, one event loop: a connected screen costs a
coroutine, not a worker); the board page points its ``EventSource`` there when
``LAYANAN_BOARD_EVENTS_URL`` is set. Without it, or when the stream fails, the board polls
``layar.json`` every second.

Each stream checks the board's version once a second (one indexed query), sends the board when it
changed (``event: board``), a comment every 15 seconds to keep proxies from closing it, and ends
after ``STREAM_SECONDS``: the browser reconnects by itself with ``Last-Event-ID``.
"""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import AsyncGenerator
from typing import Any

from asgiref.sync import sync_to_async
from django.core.handlers.asgi import ASGIRequest
from django.http import Http404, HttpRequest, StreamingHttpResponse

from layanan.queueing import queries
from layanan.queueing.models import Site

STREAM_SECONDS = 300
CHECK_SECONDS = 1.0
KEEP_ALIVE_SECONDS = 15.0


def board_payload(site: Site) -> dict[str, Any]:
    current = queries.board(site)
    return {
        "calls": [
            {"code": call.code, "counter": call.counter, "calls": call.call_count, "priority": call.priority}
            for call in current["calls"]
        ],
        "next": current["next"],
    }


async def board_stream(
    site: Site, last_version: str, *, seconds: float = STREAM_SECONDS
) -> AsyncGenerator[str, None]:
    yield "retry: 2000\n\n"
    # A new screen (no Last-Event-ID) gets the board at once, even before the day's first call.
    version: str | None = last_version or None
    quiet_since = time.monotonic()
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        current = await sync_to_async(queries.board_version, thread_sensitive=False)(site)
        if current != version:
            payload = await sync_to_async(board_payload, thread_sensitive=False)(site)
            payload["version"] = current
            yield f"id: {current}\nevent: board\ndata: {json.dumps(payload)}\n\n"
            version = current
            quiet_since = time.monotonic()
        elif time.monotonic() - quiet_since >= KEEP_ALIVE_SECONDS:
            yield ": keep-alive\n\n"
            quiet_since = time.monotonic()
        await asyncio.sleep(CHECK_SECONDS)


def board_events(request: HttpRequest, site_slug: str) -> StreamingHttpResponse:
    """A sync view on purpose: under WSGI it answers 404 without touching an event loop; under
    ASGI Django runs it in a thread and then iterates the async stream on the event loop."""
    if not isinstance(request, ASGIRequest):
        # Under WSGI the stream would hold a worker for minutes: only the event server serves it.
        raise Http404("the board's events are served by `layanan serve_board_events`")
    site = queries.site_by_slug(site_slug)
    if site is None:
        raise Http404(site_slug)
    last = request.headers.get("Last-Event-ID") or str(request.GET.get("v", ""))
    response = StreamingHttpResponse(board_stream(site, last[:64]), content_type="text/event-stream")
    response["Cache-Control"] = "no-cache"
    response["X-Accel-Buffering"] = "no"  # nginx: pass each event on at once
    return response

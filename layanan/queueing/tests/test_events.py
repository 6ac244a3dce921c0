"""The display board's Server-Sent Events: the stream sends the board at once, then a call
within about a second of it being made; the WSGI path refuses to hold a worker for a stream."""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Callable, Coroutine
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar

import pytest
from asgiref.sync import sync_to_async
from django.test import AsyncClient, Client

from layanan.accounts.models import ServiceUnit, User
from layanan.queueing import actions
from layanan.queueing.models import Ticket
from layanan.queueing.tests.factories import counter, group, site
from layanan.queueing.views.events import board_stream

pytestmark = pytest.mark.django_db(transaction=True)
T = TypeVar("T")


def _in_own_loop(main: Callable[[], Coroutine[Any, Any, T]]) -> T:
    """Run ``main`` in a new event loop on its own thread (the test's thread may already have a
    loop running, e.g. after the browser tests in the same process)."""
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, main()).result(timeout=60)


def _event(chunk: str) -> dict[str, Any]:
    lines = dict(line.split(": ", 1) for line in chunk.strip().splitlines() if ": " in line)
    assert lines["event"] == "board"
    data: dict[str, Any] = json.loads(lines["data"])
    assert data["version"] == lines["id"]
    return data


def test_the_stream_sends_the_board_then_a_new_call_within_two_seconds(
    unit_a: ServiceUnit, officer: User
) -> None:
    mall = site(unit_a)
    line = group(mall, "A", unit=unit_a)
    desk = counter(mall, 1, line)
    actions.open_counter(desk, actor=officer)
    actions.issue_ticket(line, channel=Ticket.Channel.KIOSK)

    async def run() -> tuple[dict[str, Any], dict[str, Any], float]:
        stream = board_stream(mall, "", seconds=10)
        assert (await anext(stream)).startswith("retry:")
        first = _event(await anext(stream))
        await sync_to_async(actions.call_next, thread_sensitive=False)(desk, actor=officer)
        called_at = time.monotonic()
        second = _event(await anext(stream))
        waited = time.monotonic() - called_at
        await stream.aclose()
        return first, second, waited

    first, second, waited = _in_own_loop(run)

    assert first["calls"] == []
    assert first["next"] == ["A-001"]
    assert second["calls"][0]["code"] == "A-001"
    assert second["calls"][0]["counter"] == 1
    assert waited < 2.0


def test_the_wsgi_path_does_not_serve_the_stream(unit_a: ServiceUnit) -> None:
    mall = site(unit_a)
    assert Client().get(f"/antrean/{mall.slug}/layar/events").status_code == 404


def test_the_asgi_path_streams_events(unit_a: ServiceUnit) -> None:
    mall = site(unit_a)
    group(mall, "A", unit=unit_a)

    async def run() -> tuple[int, str, str]:
        response = await AsyncClient().get(f"/antrean/{mall.slug}/layar/events")
        chunks = aiter(response.streaming_content)  # type: ignore[attr-defined]
        first = await anext(chunks)
        return response.status_code, response["Content-Type"], first.decode()

    status, content_type, first = _in_own_loop(run)
    assert status == 200
    assert content_type == "text/event-stream"
    assert first.startswith("retry:")

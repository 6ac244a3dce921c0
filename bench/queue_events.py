"""Usage: .venv/bin/python bench/queue_events.py [--boards 50] [--idle-secs 30] [--calls 10]
        [--port 8796] [--out-prefix bench/results/queue-events-<date>]

Issue 7: what 50 connected display boards cost when they listen to Server-Sent Events from
``layanan serve_board_events`` (one uvicorn process, async view) instead of the WSGI workers.

1. A throwaway SQLite database in a temporary directory (the events server reads it; SQLite is
   what ``make run`` uses), ``migrate`` and ``load_demo --skip-holidays`` (the demo MPP, site
   ``mpp-banyumas``), counter 1 opened by ``verifikator``.
2. ``layanan serve_board_events --port PORT`` in its own process group.
3. ``--boards`` raw HTTP/1.1 clients (asyncio streams, no library) open
   ``GET /antrean/mpp-banyumas/layar/events`` and read events.
4. Idle: for ``--idle-secs`` nobody calls; the CPU time of the server process (from /proc) per
   second is the price of keeping the boards connected (each stream checks the board's version
   once a second).
5. Calls: ``--calls`` times a ticket is issued and called (in this process, through the real
   actions); for each call the time until every board received the event that shows it.

Results: ``<out-prefix>.json`` and ``.md`` with the machine. The events server and the database
are removed at the end.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime
import json
import os
import platform
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
TODAY = datetime.datetime.now(datetime.UTC).date().isoformat()
ROOT = HERE.parent
SITE = "mpp-banyumas"


def _cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    ticks = os.sysconf("SC_CLK_TCK")
    return (int(fields[11]) + int(fields[12])) / ticks


def _machine() -> dict[str, Any]:
    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if "model name" in line
        ),
        platform.processor(),
    )
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "python": platform.python_version(),
        "kernel": platform.release(),
    }


async def _board(
    port: int, received: dict[int, list[tuple[float, str]]], index: int, ready: asyncio.Event
) -> None:
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    writer.write(
        (
            f"GET /antrean/{SITE}/layar/events HTTP/1.1\r\n"
            "Host: 127.0.0.1\r\nAccept: text/event-stream\r\n\r\n"
        ).encode()
    )
    await writer.drain()
    received[index] = []
    buffer = b""
    while True:
        chunk = await reader.read(65536)
        if not chunk:
            return
        buffer += chunk
        while b"\n\n" in buffer:
            event, buffer = buffer.split(b"\n\n", 1)
            text = event.decode(errors="replace")
            if "event: board" in text:
                received[index].append((time.monotonic(), text))
                ready.set()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--boards", type=int, default=50)
    parser.add_argument("--idle-secs", type=float, default=30.0)
    parser.add_argument("--calls", type=int, default=10)
    parser.add_argument("--port", type=int, default=8796)
    parser.add_argument("--out-prefix", default=f"bench/results/queue-events-{TODAY}")
    args = parser.parse_args()

    workdir = Path(tempfile.mkdtemp(prefix="layanan-events-"))
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{workdir / 'db.sqlite3'}",
        "LAYANAN_VAR_DIR": str(workdir / "var"),
        "LAYANAN_QUEUE_ENFORCE_HOURS": "0",
        "DJANGO_SETTINGS_MODULE": "layanan.settings",
    }
    os.environ.update(env)
    layanan = str(ROOT / ".venv" / "bin" / "layanan")
    subprocess.run([layanan, "migrate", "-v0"], check=True, env=env, cwd=ROOT)
    subprocess.run(
        [layanan, "load_demo", "--skip-holidays"], check=True, env=env, cwd=ROOT, stdout=subprocess.DEVNULL
    )

    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from layanan.accounts.models import User
    from layanan.queueing import actions
    from layanan.queueing.models import Counter, ServiceGroup, Ticket

    officer = User.objects.get(username="verifikator")
    desk = Counter.objects.get(site__slug=SITE, number=1)
    line = ServiceGroup.objects.get(site__slug=SITE, prefix="A")
    actions.open_counter(desk, actor=officer)

    server = subprocess.Popen(
        [layanan, "serve_board_events", "--port", str(args.port)], env=env, cwd=ROOT, start_new_session=True
    )
    results: dict[str, Any] = {"machine": _machine(), "boards": args.boards, "command": " ".join(sys.argv)}
    try:
        time.sleep(3)

        async def run() -> None:
            received: dict[int, list[tuple[float, str]]] = {}
            readies = [asyncio.Event() for _ in range(args.boards)]
            tasks = [
                asyncio.create_task(_board(args.port, received, index, readies[index]))
                for index in range(args.boards)
            ]
            await asyncio.wait_for(asyncio.gather(*(ready.wait() for ready in readies)), timeout=30)
            connected = time.monotonic()
            cpu_before = _cpu_seconds(server.pid)
            await asyncio.sleep(args.idle_secs)
            cpu_idle = _cpu_seconds(server.pid) - cpu_before
            results["idle_seconds"] = args.idle_secs
            results["idle_server_cpu_seconds"] = round(cpu_idle, 3)
            results["idle_server_cpu_share_of_one_core"] = round(cpu_idle / args.idle_secs, 4)
            latencies: list[float] = []
            cpu_before = _cpu_seconds(server.pid)
            started = time.monotonic()
            for _ in range(args.calls):
                ticket = await asyncio.to_thread(actions.issue_ticket, line, channel=Ticket.Channel.KIOSK)
                await asyncio.sleep(1.2)  # the issue reaches the boards first
                counts = {index: len(events) for index, events in received.items()}
                called_at = time.monotonic()
                called = await asyncio.to_thread(actions.call_next, desk, actor=officer)
                assert called is not None
                assert called.pk == ticket.pk
                deadline = called_at + 5
                while time.monotonic() < deadline and any(len(received[i]) <= counts[i] for i in received):
                    await asyncio.sleep(0.01)
                arrivals = [
                    received[i][counts[i]][0] - called_at for i in received if len(received[i]) > counts[i]
                ]
                assert len(arrivals) == args.boards, "a board did not receive the call"
                assert all(ticket.code in received[i][-1][1] for i in received)
                latencies.append(max(arrivals))
                await asyncio.to_thread(actions.finish_service, called, actor=officer)
                await asyncio.sleep(0.5)
            calls_secs = time.monotonic() - started
            results["calls"] = args.calls
            results["call_to_all_boards_seconds"] = {
                "p50": round(statistics.median(latencies), 3),
                "max": round(max(latencies), 3),
                "all": [round(value, 3) for value in latencies],
            }
            results["calls_phase_server_cpu_share_of_one_core"] = round(
                (_cpu_seconds(server.pid) - cpu_before) / calls_secs, 4
            )
            results["connected_for_seconds"] = round(time.monotonic() - connected, 1)
            for task in tasks:
                task.cancel()

        asyncio.run(run())
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:  # streams still open: uvicorn waits for them
            os.killpg(server.pid, signal.SIGKILL)
            server.wait(timeout=10)

    out = Path(args.out_prefix)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.with_suffix(".json").write_text(json.dumps(results, indent=2))
    latency = results["call_to_all_boards_seconds"]
    idle_share = results["idle_server_cpu_share_of_one_core"] * 100
    calls_share = results["calls_phase_server_cpu_share_of_one_core"] * 100
    lines = [
        f"# Display boards on Server-Sent Events ({TODAY})",
        "",
        f"Command: `.venv/bin/python bench/queue_events.py --boards {args.boards}`; "
        f"machine: {results['machine']}.",
        "",
        f"- {args.boards} boards connected to one `layanan serve_board_events` process "
        "(uvicorn, SQLite demo DB).",
        f"- Idle ({args.idle_secs:.0f} s, nobody called): server CPU {idle_share:.1f} % of one core.",
        f"- {args.calls} calls: time until all {args.boards} boards had the event: p50 "
        f"{latency['p50']} s, max {latency['max']} s; server CPU during the calls "
        f"{calls_share:.1f} % of one core.",
    ]
    out.with_suffix(".md").write_text("\n".join(lines) + "\n")
    print("\n".join(lines))


if __name__ == "__main__":
    main()

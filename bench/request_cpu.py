"""Usage: LAYANAN_VAR_DIR=<migrated var dir> [DATABASE_URL=...] .venv/bin/python bench/request_cpu.py
        [--n 300] [--passes 3] [--paths /,/healthz] [--db-label sqlite]

In-process cost per request, no HTTP server and no concurrency: Django's test client drives the
whole middleware stack and the view. For each path: 20 warm-up requests, then --passes passes of
--n requests; per pass the median CPU time of this process (time.process_time) and the median wall
time; printed as the median of the pass medians with min-max, plus the SQL queries per request.
Run it with DEBUG off against a database that ``migrate`` and ``collectstatic`` have prepared
(bench/serve_matrix.py does this for you).
"""

from __future__ import annotations

import argparse
import os
import statistics
import time
from collections.abc import Callable
from typing import Any


class Counter:
    """A database execute wrapper that notes every SQL statement."""

    def __init__(self, seen: list[str]) -> None:
        self.seen = seen

    def __call__(self, execute: Callable[..., Any], sql: str, params: Any, many: bool, context: Any) -> Any:
        self.seen.append(sql)
        return execute(sql, params, many, context)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=300)
    parser.add_argument("--passes", type=int, default=3)
    parser.add_argument("--paths", default="/,/healthz")
    parser.add_argument("--no-header", action="store_true", help="print the table rows only")
    parser.add_argument("--db-label", default=os.environ.get("DATABASE_URL", "sqlite").split(":")[0])
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "layanan.settings")
    os.environ.setdefault("DEBUG", "0")
    import django

    django.setup()
    from django.db import connection
    from django.test import Client

    client = Client(HTTP_HOST="127.0.0.1")
    if not args.no_header:
        print(
            "| db | path | status | SQL queries | CPU ms median (min–max) "
            "| wall ms median (min–max) | n × passes |"
        )
        print("|---|---|---:|---:|---:|---:|---|")
    for path in args.paths.split(","):
        for _ in range(20):
            client.get(path)
        queries: list[str] = []
        with connection.execute_wrapper(Counter(queries)):
            status = client.get(path).status_code
        cpu_medians, wall_medians = [], []
        for _ in range(args.passes):
            cpus, walls = [], []
            for _ in range(args.n):
                w0, c0 = time.perf_counter(), time.process_time()
                client.get(path)
                cpus.append((time.process_time() - c0) * 1000)
                walls.append((time.perf_counter() - w0) * 1000)
            cpu_medians.append(statistics.median(cpus))
            wall_medians.append(statistics.median(walls))

        def fmt(values: list[float]) -> str:
            return f"{statistics.median(values):.2f} ({min(values):.2f}–{max(values):.2f})"

        print(
            f"| {args.db_label} | `{path}` | {status} | {len(queries)} | {fmt(cpu_medians)} "
            f"| {fmt(wall_medians)} | {args.n} × {args.passes} |",
            flush=True,
        )


if __name__ == "__main__":
    main()

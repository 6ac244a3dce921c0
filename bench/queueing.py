"""Usage: .venv/bin/python bench/queueing.py [--secs 15] [--board-secs 10] [--conns 1,4,16] [--reps 3]
        [--attempts 2] [--drain-max 10] [--line 1000] [--long-line 5000] [--boards 50]
        [--history-days 250] [--history-per-day 600] [--inprocess-n 300] [--port 8797]
        [--keep-db] [--no-wait] [--out-prefix bench/results/queue-<date>]

(Not ``bench/queue.py``: Python puts the script's folder first on ``sys.path``, so a
``bench/queue.py`` would stand in for the standard library's ``queue`` in every bench script, and
psycopg, which imports ``queue``, would fail to import.)

Issue 7's acceptance: ticket issuance and call-next throughput (requests/s, p95) on PostgreSQL,
and the cost of the hall's display boards polling ``layar.json`` every second on the WSGI workers
("measure the cost of 50 connected boards").

1. Set-up: a throwaway PostgreSQL database ``layanan_queue_bench`` on 127.0.0.1:5432 (dropped and
   created), ``migrate``, ``collectstatic``, ``load_demo --skip-holidays`` (site ``mpp-banyumas``,
   lines A/B/C, counters 1-4). Line A (Disdukcapil) is served by counters 1 (``petugas.loket``) and
   2 (``verifikator``); for more connections than that the script adds counters 101, 102, ... of
   the same agency on line A, each with an officer of its own (``bench.loket101``, ...: front
   office of Disdukcapil's unit). Every counter is opened with ``actions.open_counter`` and each
   officer gets a TOTP-verified session (``layanan.core.testing.verified_client``). Then
   --history-days past days of --history-per-day finished tickets (A 50 %, B 30 %, C 20 %), one
   ``INSERT ... SELECT ... generate_series``: a site that has been open for about a year, so that
   the queries that read "the site's tickets" meet the volume they will meet in production.
   Settings: ``LAYANAN_ENV=development``, ``DEBUG=0``, ``LAYANAN_QUEUE_ENFORCE_HOURS=0`` (any hour),
   ``CACHE_URL=redis://127.0.0.1:6379/13``. The code measured is a copy of ``layanan/`` taken at
   the start (edits made in the work tree during the run do not change it).
2. One gunicorn as ``make run`` starts it (``layanan.wsgi``, sync workers, 2 x cores + 1, at most
   9, ``--forwarded-allow-ips=127.0.0.1 --no-control-socket``; no access log, ``--backlog 2048``).
   One CSRF cookie and token pair is taken from one ``GET`` of the kiosk page and sent with every
   POST (Django accepts the pair for as long as the cookie lives). Warm-up: 3 s of each script.
   Then, per rep, per connection count (``wrk --latency``, --secs each; before every run the box is
   drained as ``serve_matrix.drain`` does, and a run where other processes took > 15 % of the box
   is run again, --attempts runs at most, the least disturbed kept):
   (a) kiosk: ``POST /antrean/mpp-banyumas/kios/`` (``group`` = line A, ``need`` = "", a new
       ``form_id`` per request); one request = one ticket (the answer is the 302 to the ticket).
   (b) counter: one wrk thread per connection, each connection an officer at a counter of its own
       on line A, doing what the officer's browser does: ``POST .../<n>/panggil/`` (call next,
       302), ``GET .../<n>/`` (the console: the called ticket's id is read from it), ``POST
       .../tiket/<id>/selesai/`` (finish, 302: the survey code is made), ``GET .../<n>/`` (the
       console with the survey code and its QR). One *cycle* = these 4 requests = one visitor
       called and served. The latency of each kind is timed in the Lua script. Before each run
       the line holds --line waiting tickets (older ones beyond that are marked cancelled; too
       few are topped up through ``actions.issue_ticket``), so every run starts alike.
   (c) board: ``GET /antrean/mpp-banyumas/layar.json?v=<current version>`` (the poll of a screen
       when nothing changed: the version only) and ``GET .../layar.json`` (the full board).
   (d) --boards connections each polling ``layar.json?v=<version>`` once a second (wrk's
       ``delay()``: each connection waits 1 s after each answer), the CPU the server and
       PostgreSQL took meanwhile, as a share of the box. wrk2 (fixed-rate) is not in Debian; this
       is the closed-loop equivalent of screens polling every second.
3. In-process (server stopped), Django on the same database: ``actions.issue_ticket`` (as the kiosk
   calls it) and ``actions.call_next`` + ``actions.finish_service`` p50/p95 and SQL statements,
   the latter with a long line (~5,000 waiting) and a short one (~300); ``queries.board_version``
   and ``queries.board``; ``EXPLAIN (ANALYZE, BUFFERS)`` of their queries; the SQL of one request
   of each HTTP path (Django's test client, same middleware).
4. Correctness: line A's tickets of the day are numbered exactly 1..N (count, min, max, count of
   distinct numbers, and the sequence row's last number), no ticket was called twice (audit
   events), at most one ticket is current per counter, and ``layanan audit_verify`` passes.

Before step 2 the script waits while another ``bench/skm.py`` runs (--no-wait: do not).
Results: ``<out-prefix>.json`` (every run, wrk's raw output, SQL, plans, machine) and
``<out-prefix>.md``. Stop with Ctrl+C: the server it started is stopped by its process group; the
database is dropped unless --keep-db. Needs: wrk, PostgreSQL on 127.0.0.1:5432 (trust auth), Redis
on 127.0.0.1:6379.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime
import http.cookies
import json
import os
import platform
import re
import resource
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))
import serve_matrix as sm  # noqa: E402  (bench/ helper: /proc CPU accounting, drain)

DB_NAME = "layanan_queue_bench"
PG_ADMIN_URL = "postgresql://postgres@127.0.0.1:5432/postgres"
PG_URL = f"postgres://postgres@127.0.0.1:5432/{DB_NAME}"
PG_CONNINFO = f"postgresql://postgres@127.0.0.1:5432/{DB_NAME}"
CACHE_URL = "redis://127.0.0.1:6379/13"
CORES = os.cpu_count() or 2
WORKERS = min(9, 2 * CORES + 1)
SITE = "mpp-banyumas"
EXTRA_COUNTER_FROM = 101
OTHER_LIMIT = 15.0


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    k = (len(ordered) - 1) * p / 100
    low = int(k)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (k - low)


def summary_ms(values: list[float]) -> dict[str, float]:
    return {
        "n": len(values),
        "p50": round(percentile(values, 50), 3),
        "p95": round(percentile(values, 95), 3),
        "p99": round(percentile(values, 99), 3),
        "mean": round(statistics.fmean(values), 3) if values else float("nan"),
    }


# === Workers inside Django (``--worker NAME``) ===================================================


def _django() -> None:
    import django

    django.setup()


def worker_setup(args: argparse.Namespace) -> None:
    _django()
    from django.conf import settings
    from django.db import connection
    from django.utils import timezone

    from layanan.accounts.models import ServiceUnit, StaffMembership, User
    from layanan.accounts.roles import Role
    from layanan.core.testing import verified_client
    from layanan.queueing import actions
    from layanan.queueing.models import Counter, ServiceGroup, Site, Ticket

    site = Site.objects.get(slug=SITE)
    line_a = ServiceGroup.objects.get(site=site, prefix="A")
    unit = ServiceUnit.objects.select_related("agency").get(
        agency__slug="disdukcapil-banyumas", slug="pendaftaran-penduduk"
    )
    first = Counter.objects.get(site=site, number=1)
    desks = [
        (first, User.objects.get(username="petugas.loket")),
        (Counter.objects.get(site=site, number=2), User.objects.get(username="verifikator")),
    ]
    for index in range(max(0, args.counters - len(desks))):
        number = EXTRA_COUNTER_FROM + index
        counter = Counter.objects.create(site=site, zone=first.zone, number=number, agency=unit.agency)
        counter.groups.add(line_a)
        officer = User.objects.create(
            username=f"bench.loket{number}", full_name=f"Petugas Loket {number}", kind=User.Kind.STAFF
        )
        StaffMembership.objects.create(user=officer, role=Role.FRONT_OFFICE, agency=unit.agency, unit=unit)
        desks.append((counter, officer))
    sessions = []
    for counter, officer in desks:
        actions.open_counter(counter, actor=officer)
        client = verified_client(officer)
        sessions.append(
            {
                "counter": counter.number,
                "officer": officer.username,
                "session": client.cookies[settings.SESSION_COOKIE_NAME].value,
            }
        )
    # The day so far, through the real actions: --today-tickets issued (A 50 %, B 30 %, C 20 %) and
    # a third of them called and served at counter 1 (line A); the board's reads depend on it.
    started = time.monotonic()
    lines = {
        group.prefix: group
        for group in ServiceGroup.objects.select_related("site__operator").filter(site=site)
    }
    for prefix, share in (("A", 0.5), ("B", 0.3), ("C", 0.2)):
        for index in range(round(args.today_tickets * share)):
            actions.issue_ticket(
                lines[prefix], channel=Ticket.Channel.KIOSK, idempotency_key=f"day-{prefix}-{index}"
            )
    for _ in range(args.today_tickets // 3):
        ticket = actions.call_next(first, actor=desks[0][1])
        if ticket is None:
            break
        actions.finish_service(ticket, actor=desks[0][1])
    day_s = round(time.monotonic() - started, 1)
    today = timezone.localdate()
    started = time.monotonic()
    history = 0
    if args.history_days > 0:
        groups = {group.prefix: group for group in ServiceGroup.objects.filter(site=site)}
        share = {"A": 0.5, "B": 0.3, "C": 0.2}
        rows = []
        for prefix, group in sorted(groups.items()):
            counter_id = (
                Counter.objects.filter(groups=group).order_by("number").values_list("id", flat=True)[0]
            )
            rows.append(
                (group.pk, prefix, max(1, round(args.history_per_day * share.get(prefix, 0.1))), counter_id)
            )
        values = ", ".join(["(%s::bigint, %s::text, %s::int, %s::bigint)"] * len(rows))
        with connection.cursor() as cursor:
            cursor.execute(
                f"""
                WITH g(id, prefix, n, counter_id) AS (VALUES {values})
                INSERT INTO queueing_ticket (
                    public_id, site_id, group_id, day, number, prefix, need, channel, status,
                    arrived_at, called_at, call_count, counter_id, started_at, finished_at,
                    application_reference, idempotency_key
                )
                SELECT gen_random_uuid(), %s, g.id, d.day, s.n, g.prefix, '', 'kiosk', 'done',
                       t.arrived, t.arrived + interval '9 minutes', 1, g.counter_id,
                       t.arrived + interval '10 minutes', t.arrived + interval '18 minutes', '', ''
                FROM g
                CROSS JOIN LATERAL (
                    SELECT (%s::date - k) AS day FROM generate_series(1, %s) AS k
                ) AS d
                CROSS JOIN LATERAL generate_series(1, g.n) AS s(n)
                CROSS JOIN LATERAL (
                    SELECT ((d.day + time '08:00') + s.n * (interval '7 hours' / g.n))
                           AT TIME ZONE %s AS arrived
                ) AS t
                ORDER BY d.day, t.arrived
                """,  # noqa: S608 (placeholders only)
                [
                    *[value for row in rows for value in row],
                    site.pk,
                    today,
                    args.history_days,
                    settings.TIME_ZONE,
                ],
            )
            history = cursor.rowcount
            cursor.execute("ANALYZE queueing_ticket")
    out = {
        "site_id": site.pk,
        "group_a": line_a.pk,
        "today": today.isoformat(),
        "sessions": sessions,
        "session_cookie": settings.SESSION_COOKIE_NAME,
        "csrf_cookie": settings.CSRF_COOKIE_NAME,
        "history_tickets": history,
        "today_tickets": Ticket.objects.filter(site=site, day=today).count(),
        "today_s": day_s,
        "history_s": round(time.monotonic() - started, 1),
    }
    Path(args.worker_out).write_text(json.dumps(out))


def worker_topup(args: argparse.Namespace) -> None:
    """Issue --count tickets in line A through the real action (keeps the numbering gap-free)."""
    _django()
    from layanan.queueing import actions
    from layanan.queueing.models import ServiceGroup, Ticket

    group = ServiceGroup.objects.select_related("site__operator").get(site__slug=SITE, prefix="A")
    stamp = int(time.time())
    for index in range(args.count):
        actions.issue_ticket(group, channel=Ticket.Channel.KIOSK, idempotency_key=f"top-{stamp}-{index}")


def _set_line(group: Any, target: int) -> dict[str, int]:
    """Cancel the newest waiting tickets of ``group`` beyond ``target``, or issue the missing ones."""
    from django.utils import timezone

    from layanan.queueing import actions
    from layanan.queueing.models import Ticket

    waiting = Ticket.objects.filter(group=group, day=timezone.localdate(), status=Ticket.Status.WAITING)
    before = waiting.count()
    if before > target:
        extra = list(waiting.order_by("-arrived_at", "-id").values_list("id", flat=True)[: before - target])
        Ticket.objects.filter(id__in=extra).update(status=Ticket.Status.CANCELLED, finished_at=timezone.now())
    stamp = int(time.time() * 1000)
    for index in range(target - before):
        actions.issue_ticket(group, channel=Ticket.Channel.KIOSK, idempotency_key=f"line-{stamp}-{index}")
    return {"before": before, "after": waiting.count()}


def _queries_of(captured: list[dict[str, str]]) -> list[dict[str, Any]]:
    return [{"ms": round(float(q["time"]) * 1000, 3), "sql": q["sql"]} for q in captured]


def _explain(sql: str) -> str:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql)
        return "\n".join(row[0] for row in cursor.fetchall())


def worker_inprocess(args: argparse.Namespace) -> None:
    _django()
    from django.conf import settings
    from django.db import connection, transaction
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from layanan.accounts.models import User
    from layanan.core.testing import verified_client
    from layanan.queueing import actions, queries
    from layanan.queueing.models import Counter, ServiceGroup, Ticket

    group = ServiceGroup.objects.select_related("site__operator").get(site__slug=SITE, prefix="A")
    site = group.site
    counter = Counter.objects.select_related("site").get(site=site, number=1)
    officer = User.objects.get(username="petugas.loket")
    out: dict[str, Any] = {}
    n = args.inprocess_n
    prefix = f"ip-{int(time.time())}"

    # (1) issue_ticket, as the kiosk view calls it.
    with CaptureQueriesContext(connection) as captured:
        actions.issue_ticket(group, channel=Ticket.Channel.KIOSK, idempotency_key=f"{prefix}-0")
    walls = []
    for index in range(1, n + 1):
        begin = time.perf_counter()
        actions.issue_ticket(group, channel=Ticket.Channel.KIOSK, idempotency_key=f"{prefix}-{index}")
        walls.append((time.perf_counter() - begin) * 1000)
    out["issue_ticket"] = {"ms": summary_ms(walls), "sql": _queries_of(captured.captured_queries)}

    # (2) call_next + finish_service at counter 1, with a long and a short line.
    left = actions.current_ticket(counter)  # a wrk run may have stopped between call and finish
    if left is not None:
        actions.finish_service(left, actor=officer)
    out["call_finish"] = []
    for line, cycles in ((args.long_line, n), (300, 200)):
        state = _set_line(group, line)
        with CaptureQueriesContext(connection) as captured:
            ticket = actions.call_next(counter, actor=officer)
        call_sql = _queries_of(captured.captured_queries)
        assert ticket is not None
        with CaptureQueriesContext(connection) as captured:
            actions.finish_service(ticket, actor=officer)
        finish_sql = _queries_of(captured.captured_queries)
        call_ms: list[float] = []
        finish_ms: list[float] = []
        for _ in range(cycles - 1):
            begin = time.perf_counter()
            ticket = actions.call_next(counter, actor=officer)
            call_ms.append((time.perf_counter() - begin) * 1000)
            assert ticket is not None
            begin = time.perf_counter()
            actions.finish_service(ticket, actor=officer)
            finish_ms.append((time.perf_counter() - begin) * 1000)
        plans = []
        for query in call_sql:
            if query["sql"].lstrip().upper().startswith("SELECT"):
                with transaction.atomic():
                    plans.append({"sql": query["sql"], "plan": _explain(query["sql"])})
                    transaction.set_rollback(True)
        out["call_finish"].append(
            {
                "line_before": state["after"],
                "line_after": state["after"] - cycles,
                "cycles": cycles,
                "call_ms": summary_ms(call_ms),
                "finish_ms": summary_ms(finish_ms),
                "call_sql": call_sql,
                "finish_sql": finish_sql,
                "call_plans": plans,
            }
        )

    # (3) the SQL of one request of each HTTP path (same middleware, no HTTP server).
    def request_sql(
        client: Client, method: str, path: str, data: dict[str, str] | None = None
    ) -> dict[str, Any]:
        with CaptureQueriesContext(connection) as captured:
            begin = time.perf_counter()
            response = getattr(client, method)(path, data or {})
            wall = (time.perf_counter() - begin) * 1000
        statements = _queries_of(captured.captured_queries)
        plans = []
        for query in statements:  # the plans of the slower reads, run again in a rolled-back transaction
            if query["ms"] >= 0.5 and query["sql"].lstrip().upper().startswith("SELECT"):
                with transaction.atomic():
                    plans.append({"sql": query["sql"], "plan": _explain(query["sql"])})
                    transaction.set_rollback(True)
        return {
            "path": path,
            "status": response.status_code,
            "ms": round(wall, 2),
            "queries": len(statements),
            "sql": statements,
            "plans": plans,
        }

    _set_line(group, 300)
    public = Client(SERVER_NAME="127.0.0.1")
    staff = verified_client(officer)
    staff.defaults["SERVER_NAME"] = "127.0.0.1"
    desk = f"/petugas/antrean/{SITE}/1/"
    paths: dict[str, Any] = {}
    for round_ in ("first", "kept"):  # the first round compiles templates and URL patterns: not kept
        paths["kiosk_post"] = request_sql(
            public,
            "post",
            f"/antrean/{SITE}/kios/",
            {"group": str(group.pk), "need": "", "form_id": f"{prefix}-http-{round_}"},
        )
        paths["call_post"] = request_sql(staff, "post", f"{desk}panggil/")
        paths["console_called"] = request_sql(staff, "get", desk)
        current = actions.current_ticket(counter)
        assert current is not None
        paths["finish_post"] = request_sql(
            staff, "post", f"{desk}tiket/{current.public_id}/selesai/", {"application_reference": ""}
        )
        paths["console_after_finish"] = request_sql(staff, "get", desk)
        version = queries.board_version(site)
        paths["board_unchanged"] = request_sql(
            public, "get", f"/antrean/{SITE}/layar.json?v={urllib.parse.quote(version)}"
        )
        paths["board_full"] = request_sql(public, "get", f"/antrean/{SITE}/layar.json")
    out["http_sql"] = paths
    out["settings"] = {
        "cache": settings.CACHES["default"]["BACKEND"],
        "conn_max_age": settings.DATABASES["default"]["CONN_MAX_AGE"],
    }
    Path(args.worker_out).write_text(json.dumps(out, default=str))


def worker_board(args: argparse.Namespace) -> None:
    """The board's version (every poll) and the board itself (when the version changed), in-process."""
    _django()
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from layanan.queueing import queries
    from layanan.queueing.models import Site, Ticket

    site = Site.objects.get(slug=SITE)
    out: dict[str, Any] = {
        "site_tickets": Ticket.objects.filter(site=site).count(),
        "site_tickets_today": Ticket.objects.filter(site=site, day=queries.today()).count(),
    }
    for name, call, rounds in (
        ("board_version", lambda: queries.board_version(site), 500),
        ("board", lambda: queries.board(site), 200),
    ):
        with CaptureQueriesContext(connection) as captured:
            call()
        walls = []
        for _ in range(rounds):
            begin = time.perf_counter()
            call()
            walls.append((time.perf_counter() - begin) * 1000)
        out[name] = {
            "ms": summary_ms(walls),
            "sql": _queries_of(captured.captured_queries),
            "plans": [_explain(q["sql"]) for q in captured.captured_queries],
        }
    Path(args.worker_out).write_text(json.dumps(out, default=str))


def worker_check(args: argparse.Namespace) -> None:
    """Line A's numbering of the day, double calls, current tickets per counter, the audit chain."""
    _django()
    from django.db.models import Count, Max, Min
    from django.utils import timezone

    from layanan.audit.models import AuditEvent
    from layanan.audit.queries import verify_audit_chain
    from layanan.queueing.models import ServiceGroup, Ticket, TicketSequence

    group = ServiceGroup.objects.get(site__slug=SITE, prefix="A")
    today = timezone.localdate()
    tickets = Ticket.objects.filter(group=group, day=today)
    numbers = tickets.aggregate(
        count=Count("id"), min=Min("number"), max=Max("number"), distinct=Count("number", distinct=True)
    )
    sequence = TicketSequence.objects.get(group=group, day=today).last_number
    called_twice = (
        AuditEvent.objects.filter(action="queueing.ticket_called")
        .values("object_id")
        .annotate(n=Count("id"))
        .filter(n__gt=1)
        .count()
    )
    current = (
        Ticket.objects.filter(status__in=[Ticket.Status.CALLED, Ticket.Status.SERVING], counter__isnull=False)
        .values("counter_id")
        .annotate(n=Count("id"))
        .filter(n__gt=1)
        .count()
    )
    statuses = dict(tickets.values_list("status").annotate(n=Count("id")).order_by())
    kiosk_http = tickets.filter(idempotency_key__startswith="w").count()
    checked, problem = verify_audit_chain()
    ok = (
        numbers["count"] == numbers["max"] == numbers["distinct"] == sequence
        and numbers["min"] == 1
        and called_twice == 0
        and current == 0
        and problem is None
    )
    out = {
        "day": today.isoformat(),
        "line_a": numbers,
        "sequence_last_number": sequence,
        "statuses": statuses,
        "kiosk_http_tickets": kiosk_http,
        "tickets_called_twice": called_twice,
        "counters_with_two_current": current,
        "audit_events_checked": checked,
        "audit_problem": problem,
        "other_days_today_or_later": Ticket.objects.filter(group=group, day__gt=today).count(),
        "ok": ok,
    }
    Path(args.worker_out).write_text(json.dumps(out, default=str))


# === wrk scripts ==================================================================================

LUA_COMMON = r"""
local function encode(value)
  if type(value) == "table" then
    local parts = {}
    for k, v in pairs(value) do table.insert(parts, string.format("%q: %s", tostring(k), encode(v))) end
    return "{" .. table.concat(parts, ", ") .. "}"
  elseif type(value) == "number" then
    if value == math.floor(value) then return string.format("%d", value) end
    return string.format("%.3f", value)
  end
  return string.format("%q", tostring(value))
end
local function merge_counts(into, from)
  for k, v in pairs(from or {}) do into[k] = (into[k] or 0) + v end
end
threads = {}
function setup(thread)
  table.insert(threads, thread)
  thread:set("tid", #threads)
end
statuses = {}
local function count_status(key)
  statuses[key] = (statuses[key] or 0) + 1
end
local function latency_summary(latency)
  return {p50 = latency:percentile(50) / 1000, p90 = latency:percentile(90) / 1000,
          p95 = latency:percentile(95) / 1000, p99 = latency:percentile(99) / 1000,
          max = latency.max / 1000, mean = latency.mean / 1000}
end
"""

KIOSK_LUA = (
    LUA_COMMON
    + r"""
local body = os.getenv("QUEUE_BODY")
local tag = os.getenv("QUEUE_TAG")
local n = 0
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
wrk.headers["Cookie"] = os.getenv("QUEUE_COOKIE")
function request()
  n = n + 1
  return wrk.format(nil, nil, nil, body .. tag .. "-" .. tid .. "-" .. n)
end
function response(status, headers, body)
  count_status(tostring(status))
end
function done(summary, latency, requests)
  local total = {}
  for _, t in ipairs(threads) do merge_counts(total, t:get("statuses")) end
  io.write("BENCH " .. encode({statuses = total, latency = latency_summary(latency),
                               duration_s = summary.duration / 1e6}) .. "\n")
end
"""
)

BOARD_LUA = (
    LUA_COMMON
    + r"""
local path = os.getenv("QUEUE_PATH")
local expect = os.getenv("QUEUE_EXPECT")
wrk.headers["Accept"] = "application/json"
function request()
  return wrk.format("GET", path)
end
if os.getenv("QUEUE_DELAY_MS") then
  -- The first delay of each connection (one per connection, at its start) spreads the screens over
  -- the first second; then each connection waits QUEUE_DELAY_MS after each answer.
  local pause = tonumber(os.getenv("QUEUE_DELAY_MS"))
  local starts, conns = 0, tonumber(os.getenv("QUEUE_CONNS"))
  function delay()
    starts = starts + 1
    if starts <= conns then return math.floor((starts - 1) * pause / conns) end
    return pause
  end
end
function response(status, headers, body)
  local key = tostring(status)
  if status == 200 and body and not body:find('"changed": ' .. expect, 1, true) then key = "unexpected" end
  count_status(key)
end
function done(summary, latency, requests)
  local total = {}
  for _, t in ipairs(threads) do merge_counts(total, t:get("statuses")) end
  io.write("BENCH " .. encode({statuses = total, latency = latency_summary(latency),
                               duration_s = summary.duration / 1e6}) .. "\n")
end
"""
)

COUNTER_LUA = (
    LUA_COMMON
    + r"""
local ffi = require("ffi")
ffi.cdef[[
typedef struct { long tv_sec; long tv_nsec; } queue_bench_timespec;
int clock_gettime(int clock_id, queue_bench_timespec *tp);
]]
local ts = ffi.new("queue_bench_timespec")
local function now_ms()
  ffi.C.clock_gettime(1, ts)
  return tonumber(ts.tv_sec) * 1000 + tonumber(ts.tv_nsec) / 1e6
end
local site = os.getenv("QUEUE_SITE")
local csrf_body = "csrfmiddlewaretoken=" .. os.getenv("QUEUE_CSRF_TOKEN")
local base, cookie, ticket
local state = "call"
local started = 0
-- One flat table per kind: wrk's thread:get() copies flat tables only (nested ones crash it).
lat_call, lat_look, lat_finish, lat_after = {}, {}, {}, {}
local lat = {call = lat_call, look = lat_look, finish = lat_finish, after = lat_after}
counts = {cycles = 0, empty = 0, busy = 0, bad = 0}
function init(args)
  local index = 0
  for line in io.lines(os.getenv("QUEUE_COUNTERS")) do
    index = index + 1
    if index == tid then
      local number, session = line:match("^(%d+) (%S+)$")
      base = "/petugas/antrean/" .. site .. "/" .. number .. "/"
      cookie = os.getenv("QUEUE_SESSION_NAME") .. "=" .. session .. "; " .. os.getenv("QUEUE_CSRF_COOKIE")
    end
  end
end
local function post(path, body)
  return wrk.format("POST", path, {["Cookie"] = cookie,
    ["Content-Type"] = "application/x-www-form-urlencoded"}, body)
end
function request()
  started = now_ms()
  if state == "call" then return post(base .. "panggil/", csrf_body) end
  if state == "finish" then
    return post(base .. "tiket/" .. ticket .. "/selesai/", csrf_body .. "&application_reference=")
  end
  return wrk.format("GET", base, {["Cookie"] = cookie})
end
function response(status, headers, body)
  local elapsed = now_ms() - started
  count_status(state .. ":" .. status)
  table.insert(lat[state], elapsed)
  if state == "call" then
    if status == 302 then state = "look"
    elseif status == 400 then counts.busy = counts.busy + 1; state = "look"
    else counts.bad = counts.bad + 1 end
  elseif state == "look" then
    local id = body and body:match("/tiket/([%x%-]+)/selesai/")
    if id then ticket = id; state = "finish"
    else counts.empty = counts.empty + 1; state = "call" end
  elseif state == "finish" then
    if status == 302 then counts.cycles = counts.cycles + 1; state = "after"
    else counts.bad = counts.bad + 1; state = "look" end
  else
    state = "call"
  end
end
local function summarize(values)
  table.sort(values)
  local function at(p)
    if #values == 0 then return -1 end
    return values[math.max(1, math.ceil(#values * p / 100))]
  end
  local sum = 0
  for _, v in ipairs(values) do sum = sum + v end
  return {n = #values, p50 = at(50), p90 = at(90), p95 = at(95), p99 = at(99),
          max = at(100), mean = #values > 0 and sum / #values or -1}
end
function done(summary, latency, requests)
  local total, all_counts = {}, {}
  local all = {call = {}, look = {}, finish = {}, after = {}}
  for _, t in ipairs(threads) do
    merge_counts(total, t:get("statuses"))
    merge_counts(all_counts, t:get("counts"))
    for kind, values in pairs(all) do
      for _, v in ipairs(t:get("lat_" .. kind)) do table.insert(values, v) end
    end
  end
  local kinds = {}
  for kind, values in pairs(all) do kinds[kind] = summarize(values) end
  io.write("BENCH " .. encode({statuses = total, counts = all_counts, kinds = kinds,
                               latency = latency_summary(latency),
                               duration_s = summary.duration / 1e6}) .. "\n")
end
"""
)


# === HTTP =========================================================================================


def parse_bench(out: str) -> dict[str, Any]:
    line = next((line for line in out.splitlines() if line.startswith("BENCH ")), None)
    if line is None:
        raise RuntimeError(f"wrk gave no BENCH line:\n{out}")
    parsed: dict[str, Any] = json.loads(line[len("BENCH ") :])
    requests = re.search(r"(\d+) requests in", out)
    rps = re.search(r"Requests/sec:\s+([\d.]+)", out)
    errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    parsed["requests"] = int(requests.group(1)) if requests else 0
    parsed["rps"] = float(rps.group(1)) if rps else 0.0
    parsed["socket_errors"] = sum(int(x) for x in errors.groups()) if errors else 0
    return parsed


def process_ticks(server_pgid: int) -> dict[int, tuple[str, int]]:
    """CPU ticks (user + system) of each process of the server's group ("server") and of each
    PostgreSQL backend connected to the bench database ("pg"). Per process, so that a process of
    others ending during a run (a test suite's backends, say) does not count against ours."""
    found: dict[int, tuple[str, int]] = {}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            with open(f"/proc/{entry.name}/stat") as fh:
                raw = fh.read()
            name = raw[raw.index("(") + 1 : raw.rindex(")")]
            fields = raw[raw.rindex(")") + 2 :].split()
            ticks = int(fields[11]) + int(fields[12])
            if int(fields[2]) == server_pgid:
                found[int(entry.name)] = ("server", ticks)
            elif name.startswith("postgres"):
                cmdline = Path(f"/proc/{entry.name}/cmdline").read_bytes()
                if f" {DB_NAME} ".encode() in cmdline.replace(b"\0", b" "):
                    found[int(entry.name)] = ("pg", ticks)
        except (OSError, ValueError, IndexError):
            continue
    return found


def ticks_delta(before: dict[int, tuple[str, int]], after: dict[int, tuple[str, int]], kind: str) -> int:
    """Ticks of ``kind`` spent between the two snapshots by the processes alive at the second."""
    return sum(ticks - before.get(pid, (kind, 0))[1] for pid, (what, ticks) in after.items() if what == kind)


def run_wrk(
    script: Path, url: str, env: dict[str, str], threads: int, conns: int, secs: int, server_pgid: int
) -> dict[str, Any]:
    """One wrk run, with the share of the box the server, PostgreSQL, wrk and others took."""
    cmd = [*sm.NICE, "wrk", f"-t{threads}", f"-c{conns}", f"-d{secs}s", "--timeout", "10s", "--latency"]
    cmd += ["-s", str(script), url]
    children0 = resource.getrusage(resource.RUSAGE_CHILDREN)
    box0 = sm.box_ticks()
    before = process_ticks(server_pgid)
    with subprocess.Popen(
        cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True
    ) as proc:
        sm.boost(proc.pid)
        try:
            stdout, stderr = proc.communicate(timeout=secs + 60)
        except BaseException:
            proc.kill()
            raise
    box1 = sm.box_ticks()
    after = process_ticks(server_pgid)
    children1 = resource.getrusage(resource.RUSAGE_CHILDREN)
    if proc.returncode:
        raise RuntimeError(f"wrk failed: {stderr.strip()}\n{stdout}")
    parsed = parse_bench(stdout)
    parsed["raw"] = stdout
    hz = os.sysconf("SC_CLK_TCK")
    total = max(1, box1[1] - box0[1])
    wrk_ticks = (children1.ru_utime + children1.ru_stime - children0.ru_utime - children0.ru_stime) * hz
    busy, server, pg = (
        box1[0] - box0[0],
        ticks_delta(before, after, "server"),
        ticks_delta(before, after, "pg"),
    )
    parsed["box_busy_pct"] = round(100 * busy / total, 1)
    parsed["server_cpu_pct"] = round(100 * server / total, 1)
    parsed["pg_cpu_pct"] = round(100 * pg / total, 1)
    parsed["wrk_cpu_pct"] = round(100 * wrk_ticks / total, 1)
    parsed["other_cpu_pct"] = round(max(0.0, 100 * (busy - server - pg - wrk_ticks) / total), 1)
    answered = max(1, parsed["requests"])
    parsed["server_cpu_ms_per_req"] = round(1000 * server / hz / answered, 3)
    parsed["pg_cpu_ms_per_req"] = round(1000 * pg / hz / answered, 3)
    return parsed


def fetch(url: str, cookie: str = "") -> tuple[int, str, list[str]]:
    request = urllib.request.Request(url, headers={"Cookie": cookie} if cookie else {})  # noqa: S310
    try:
        with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310 (127.0.0.1 only)
            return (
                int(response.status),
                response.read().decode(),
                response.headers.get_all("Set-Cookie") or [],
            )
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode(errors="replace"), []


def machine() -> dict[str, Any]:
    model = ""
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    mem = ""
    with contextlib.suppress(OSError):
        mem = Path("/proc/meminfo").read_text().splitlines()[0].split(":", 1)[1].strip()
    wrk_version = subprocess.run(["wrk", "-v"], capture_output=True, text=True).stdout.splitlines()
    return {
        "nproc": CORES,
        "cpu": model,
        "memory": mem,
        "python": platform.python_version(),
        "platform": platform.platform(),
        "wrk": wrk_version[0] if wrk_version else "",
        "loadavg_at_start": Path("/proc/loadavg").read_text().split()[:3],
    }


def others_running(script: str) -> list[str]:
    """Python processes running ``script`` (a shell loop that only names it does not count)."""
    found = []
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit() or int(entry.name) == os.getpid():
            continue
        with contextlib.suppress(OSError):
            argv = Path(f"/proc/{entry.name}/cmdline").read_bytes().decode(errors="replace").split("\0")
            if "python" in Path(argv[0]).name and any(arg.endswith(script) for arg in argv[1:3]):
                found.append(f"{entry.name} {' '.join(argv).strip()}")
    return found


def deadlocks_since(started: datetime.datetime) -> dict[str, Any]:
    """'deadlock detected' errors of the bench database in PostgreSQL's log since ``started`` (best
    effort: the Debian log file, when it is readable), with the first one's detail."""
    found: dict[str, Any] = {"count": 0, "first": [], "log": ""}
    for log in sorted(Path("/var/log/postgresql").glob("postgresql-*-main.log")):
        found["log"] = str(log)
        with contextlib.suppress(OSError):
            lines = log.read_text(errors="replace").splitlines()
            for index, line in enumerate(lines):
                if f"@{DB_NAME} ERROR:  deadlock detected" not in line:
                    continue
                with contextlib.suppress(ValueError):
                    at = datetime.datetime.strptime(line[:23], "%Y-%m-%d %H:%M:%S.%f").replace(
                        tzinfo=datetime.UTC
                    )
                    if at < started:
                        continue
                found["count"] += 1
                if not found["first"]:
                    found["first"] = lines[index : index + 5]
    return found


class Bench:
    """The server, the database connection for the line's set-up, and every run's result."""

    def __init__(
        self, args: argparse.Namespace, work: Path, env: dict[str, str], setup: dict[str, Any], me: list[str]
    ) -> None:
        self.args, self.work, self.env, self.setup, self.me = args, work, env, setup, me
        self.base = f"http://127.0.0.1:{args.port}"
        self.runs: list[dict[str, Any]] = []
        self.server: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        log = open(self.work / "gunicorn.log", "ab")  # noqa: SIM115 (closed with the process)
        self.server = subprocess.Popen(
            [
                *sm.NICE,
                str(ROOT / ".venv" / "bin" / "gunicorn"),
                "layanan.wsgi:application",
                "--worker-class",
                "sync",
                "--workers",
                str(WORKERS),
                "--bind",
                f"127.0.0.1:{self.args.port}",
                "--forwarded-allow-ips=127.0.0.1",
                "--no-control-socket",
                "--backlog",
                "2048",
            ],  # fmt: skip
            cwd=self.env["PYTHONPATH"],
            env=self.env,
            stdout=log,
            stderr=log,
            start_new_session=True,
        )
        sm.boost(self.server.pid)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            with contextlib.suppress(OSError):
                if fetch(f"{self.base}/healthz")[0] == 200:
                    return
            time.sleep(0.5)
        raise RuntimeError(f"gunicorn did not answer; see {self.work}/gunicorn.log")

    def stop(self) -> None:
        if self.server is None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.server.pid, signal.SIGTERM)
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.server.wait(timeout=30)
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.server.pid, signal.SIGKILL)
        self.server.wait()
        self.server = None

    def csrf_pair(self) -> tuple[str, str]:
        status, body, cookies = fetch(f"{self.base}/antrean/{SITE}/kios/")
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', body)
        jar: http.cookies.SimpleCookie = http.cookies.SimpleCookie()
        for header in cookies:
            jar.load(header)
        name = self.setup["csrf_cookie"]
        if status != 200 or token is None or name not in jar:
            raise RuntimeError(f"no CSRF pair from the kiosk page (status {status})")
        return f"{name}={jar[name].value}", token.group(1)

    def board_version(self) -> str:
        """The board's version once it stays the same for a second (nothing in flight changes it)."""
        previous = None
        for _ in range(30):
            status, body, _ = fetch(f"{self.base}/antrean/{SITE}/layar.json")
            if status != 200:
                raise RuntimeError(f"layar.json answered {status}")
            version = str(json.loads(body)["version"])
            if version == previous:
                return version
            previous = version
            time.sleep(1)
        raise RuntimeError("the board's version keeps changing")

    def set_line(self, target: int) -> dict[str, int]:
        import psycopg

        with psycopg.connect(PG_CONNINFO, autocommit=True) as conn:
            where = "group_id = %s AND day = %s AND status = 'waiting'"
            params = [self.setup["group_a"], self.setup["today"]]
            row = conn.execute(f"SELECT count(*) FROM queueing_ticket WHERE {where}", params).fetchone()  # noqa: S608
            before = int(row[0]) if row else 0
            if before > target:
                conn.execute(
                    f"""UPDATE queueing_ticket SET status = 'cancelled', finished_at = now()
                        WHERE id IN (SELECT id FROM queueing_ticket WHERE {where}
                                     ORDER BY arrived_at DESC, id DESC LIMIT %s)""",  # noqa: S608
                    [*params, before - target],
                )
        if before < target:
            subprocess.run(
                [*self.me, "--worker", "topup", "--count", str(target - before)],
                env=self.env,
                cwd=self.env["PYTHONPATH"],
                check=True,
            )
        return {"line_before_set": before, "line": target}

    def measure(
        self,
        kind: str,
        rep: int,
        conns: int,
        script: Path,
        path: str,
        env: dict[str, str],
        prepare: Callable[[], dict[str, int]] | None = None,
        secs: int = 0,
    ) -> dict[str, Any]:
        """One cell: --attempts runs at most, the one least disturbed by other processes kept."""
        assert self.server is not None
        threads = conns if kind == "counter" else 1  # the counter script: one connection per thread
        attempts = []
        for attempt in range(1, self.args.attempts + 1):
            state = prepare() if prepare else {}
            drained = sm.drain()
            run_env = {**env, "QUEUE_TAG": f"w{rep}c{conns}a{attempt}"}
            result = run_wrk(
                script, self.base + path, run_env, threads, conns, secs or self.args.secs, self.server.pid
            )
            result.update(
                kind=kind, rep=rep, conns=conns, attempt=attempt, drain_s=round(drained, 1), **state
            )
            attempts.append(result)
            if result["other_cpu_pct"] <= OTHER_LIMIT:
                break
        best = min(attempts, key=lambda run: run["other_cpu_pct"])
        best["attempts"] = len(attempts)
        best["discarded"] = [
            {k: run[k] for k in ("rps", "other_cpu_pct", "requests", "statuses")}
            for run in attempts
            if run is not best
        ]
        self.runs.append(best)
        self.report(best)
        return best

    @staticmethod
    def report(run: dict[str, Any]) -> None:
        if run["kind"] == "counter":
            kinds = run["kinds"]
            cycles = run["counts"]["cycles"] / run["duration_s"]
            print(
                f"rep {run['rep']} counter c={run['conns']}: {cycles:.1f} cycles/s ({run['rps']:.0f} req/s), "
                f"call p50 {kinds['call']['p50']:.1f} p95 {kinds['call']['p95']:.1f} ms, "
                f"finish p50 {kinds['finish']['p50']:.1f} p95 {kinds['finish']['p95']:.1f} ms, "
                f"console p50 {kinds['look']['p50']:.1f} ms; counts {run['counts']}; server "
                f"{run['server_cpu_ms_per_req']} ms CPU/req; others {run['other_cpu_pct']} %",
                flush=True,
            )
            return
        lat = run["latency"]
        print(
            f"rep {run['rep']} {run['kind']} c={run['conns']}: {run['rps']:.1f} req/s, p50 {lat['p50']:.1f} "
            f"p95 {lat['p95']:.1f} p99 {lat['p99']:.1f} ms; statuses {run['statuses']}; server "
            f"{run['server_cpu_pct']} % of box, {run['server_cpu_ms_per_req']} ms CPU/req, pg "
            f"{run['pg_cpu_ms_per_req']} ms/req; others {run['other_cpu_pct']} %",
            flush=True,
        )


# === Results ======================================================================================


def med(runs: list[dict[str, Any]], get: Any) -> float:
    return float(statistics.median(get(run) for run in runs))


def span(runs: list[dict[str, Any]], get: Any, digits: int = 0) -> str:
    values = [get(run) for run in runs]
    if len(values) == 1:
        return f"{values[0]:,.{digits}f}"
    return f"{statistics.median(values):,.{digits}f} ({min(values):,.{digits}f}–{max(values):,.{digits}f})"


def _p(run: dict[str, Any], key: str) -> float:
    return float(run["latency"][key])


def _bad(runs: list[dict[str, Any]], good: str) -> int:
    return sum(sum(v for k, v in run["statuses"].items() if k != good) for run in runs)


def _others(runs: list[dict[str, Any]]) -> str:
    return f"{max(run['other_cpu_pct'] for run in runs):.0f}"


def _kiosk_rows(result: dict[str, Any]) -> list[str]:
    rows = []
    for conns in result["args"]["conns"]:
        sub = [r for r in result["runs"] if r["kind"] == "kiosk" and r["conns"] == conns]
        if sub:
            rows.append(
                f"| {conns} | {span(sub, lambda r: r['rps'], 1)} | {med(sub, lambda r: _p(r, 'p50')):.1f} "
                f"| {med(sub, lambda r: _p(r, 'p95')):.1f} | {med(sub, lambda r: _p(r, 'p99')):.1f} "
                f"| {_bad(sub, '302')} | {med(sub, lambda r: r['server_cpu_ms_per_req']):.2f} "
                f"| {med(sub, lambda r: r['pg_cpu_ms_per_req']):.2f} | {_others(sub)} |"
            )
    return rows


def _counter_rows(result: dict[str, Any]) -> list[str]:
    rows = []
    for conns in result["args"]["conns"]:
        sub = [r for r in result["runs"] if r["kind"] == "counter" and r["conns"] == conns]
        if not sub:
            continue

        def kind(name: str, sub: list[dict[str, Any]] = sub) -> str:
            p50 = statistics.median(run["kinds"][name]["p50"] for run in sub)
            p95 = statistics.median(run["kinds"][name]["p95"] for run in sub)
            return f"{p50:.1f} / {p95:.1f}"

        def total(name: str, sub: list[dict[str, Any]] = sub) -> int:
            return sum(int(r["counts"].get(name, 0)) for r in sub)

        pg_cycle = med(sub, lambda r: r["pg_cpu_ms_per_req"] * r["requests"] / max(1, r["counts"]["cycles"]))
        per_cycle = med(
            sub, lambda r: r["server_cpu_ms_per_req"] * r["requests"] / max(1, r["counts"]["cycles"])
        )
        rows.append(
            f"| {conns} | {span(sub, lambda r: r['counts']['cycles'] / r['duration_s'], 1)} "
            f"| {med(sub, lambda r: r['rps']):.0f} | {kind('call')} | {kind('finish')} | {kind('look')} "
            f"| {total('empty')} / {total('busy')} / {total('bad')} | {per_cycle:.1f} | {pg_cycle:.1f} "
            f"| {_others(sub)} |"
        )
    return rows


def _board_rows(result: dict[str, Any]) -> list[str]:
    rows = []
    for name, label in (
        ("board_unchanged", "`?v=<current>` (unchanged)"),
        ("board_full", "no `v` (full board)"),
    ):
        for conns in result["args"]["conns"]:
            sub = [r for r in result["runs"] if r["kind"] == name and r["conns"] == conns]
            if sub:
                rows.append(
                    f"| {label} | {conns} | {span(sub, lambda r: r['rps'], 0)} "
                    f"| {med(sub, lambda r: _p(r, 'p50')):.1f} | {med(sub, lambda r: _p(r, 'p95')):.1f} "
                    f"| {med(sub, lambda r: _p(r, 'p99')):.1f} | {_bad(sub, '200')} "
                    f"| {med(sub, lambda r: r['server_cpu_ms_per_req']):.2f} "
                    f"| {med(sub, lambda r: r['pg_cpu_ms_per_req']):.2f} | {_others(sub)} |"
                )
    return rows


def _boards_lines(result: dict[str, Any]) -> list[str]:
    boards = [r for r in result["runs"] if r["kind"] == "boards"]
    unchanged = [r for r in result["runs"] if r["kind"] == "board_unchanged"]
    if not boards:
        return []
    peak = max(r["rps"] for r in unchanged) if unchanged else float("nan")
    rate = med(boards, lambda r: r["rps"])
    count = result["args"]["boards"]
    return [
        "",
        f"## (d) {count} boards polling every second",
        "",
        f"{count} connections, each `GET layar.json?v=<current>` then a 1 s pause (wrk `delay()`), "
        f"{result['args']['secs']} s per run, {len(boards)} runs.",
        "",
        f"* Rate served: {span(boards, lambda r: r['rps'], 1)} polls/s; "
        f"p50 {med(boards, lambda r: _p(r, 'p50')):.1f} ms, "
        f"p95 {med(boards, lambda r: _p(r, 'p95')):.1f} ms.",
        f"* CPU meanwhile, as a share of the whole box ({CORES} cores): "
        f"server {span(boards, lambda r: r['server_cpu_pct'], 1)} %, "
        f"PostgreSQL {span(boards, lambda r: r['pg_cpu_pct'], 1)} %, "
        f"wrk {med(boards, lambda r: r['wrk_cpu_pct']):.1f} %.",
        f"* Per poll: server {med(boards, lambda r: r['server_cpu_ms_per_req']):.2f} ms CPU, "
        f"PostgreSQL {med(boards, lambda r: r['pg_cpu_ms_per_req']):.2f} ms CPU.",
        f"* Against the most the box served of that request ({peak:,.0f} req/s, best unchanged-version "
        f"run): {rate:.1f} req/s is {100 * rate / peak:.1f} % of it.",
    ]


def _execution_ms(plan: str) -> float:
    found = re.search(r"Execution Time: ([\d.]+) ms", plan)
    return float(found.group(1)) if found else float("nan")


def _inprocess_lines(inproc: dict[str, Any], boards: list[dict[str, Any]]) -> list[str]:
    issue = inproc["issue_ticket"]

    def row(label: str, ms: dict[str, float], sql: str) -> str:
        return f"| {label} | {ms['n']} | {ms['p50']:.2f} | {ms['p95']:.2f} | {sql} |"

    lines = [
        "",
        "## In-process (no HTTP server), Django on the same database",
        "",
        "| what | n | p50 ms | p95 ms | SQL statements |",
        "|---|---:|---:|---:|---:|",
        row("`actions.issue_ticket`", issue["ms"], str(len(issue["sql"]))),
    ]
    for item in inproc["call_finish"]:
        label = f"line {item['line_before']:,}→{item['line_after']:,}"
        lines.append(row(f"`actions.call_next`, {label}", item["call_ms"], str(len(item["call_sql"]))))
        lines.append(
            row(f"`actions.finish_service`, {label}", item["finish_ms"], str(len(item["finish_sql"])))
        )
    for board in boards:
        volume = f"{board['site_tickets_today']:,} tickets today, {board['when']}"
        for name in ("board_version", "board"):
            lines.append(row(f"`queries.{name}` ({volume})", board[name]["ms"], str(len(board[name]["sql"]))))
    lines += ["", "SQL statements of one request (Django test client, same middleware):", ""]
    lines += ["| request | status | statements | ms |", "|---|---:|---:|---:|"]
    for name, item in inproc["http_sql"].items():
        lines.append(f"| {name} `{item['path']}` | {item['status']} | {item['queries']} | {item['ms']:.1f} |")
    for item in inproc["call_finish"]:
        slow = sorted(item["call_plans"], key=lambda q: -_execution_ms(q["plan"]))[:3]
        lines += [
            "",
            f"Slowest reads of one `call_next` with {item['line_before']:,} waiting (EXPLAIN ANALYZE):",
            "",
        ]
        for query in slow:
            where = query["sql"][query["sql"].find(" WHERE ") :][:260]
            lines.append(f"* {_execution_ms(query['plan']):.2f} ms: `…{where}…`")
    for board in boards:
        lines += [
            "",
            f"Plan of `board_version`, {board['when']}:",
            "",
            "```",
            board["board_version"]["plans"][0],
            "```",
        ]
    return lines


def _check_lines(result: dict[str, Any]) -> list[str]:
    check = result.get("check")
    if not check:
        return []
    a = check["line_a"]
    audit = "intact" if check["audit_problem"] is None else check["audit_problem"]
    return [
        "",
        "## Correctness",
        "",
        f"Line A on {check['day']}: {a['count']:,} tickets, numbers {a['min']}..{a['max']}, "
        f"{a['distinct']:,} distinct; sequence row {check['sequence_last_number']:,}: "
        f"{'gap-free, no duplicate' if check['ok'] else 'NOT OK'}. Statuses {check['statuses']}.",
        f"Kiosk tickets from wrk: {check['kiosk_http_tickets']:,} (302s counted by the scripts, warm-up "
        f"and discarded runs included: {result['kiosk_302']:,}; a request in flight when wrk stops is "
        f"served but not counted). Tickets called twice: {check['tickets_called_twice']}; "
        f"counters with two current tickets: {check['counters_with_two_current']}; "
        f"audit chain: {check['audit_events_checked']:,} events, {audit}.",
        "",
        f"PostgreSQL's log ({result['deadlocks']['log']}): {result['deadlocks']['count']} "
        "'deadlock detected' errors in the bench database during the run (each costs `deadlock_timeout`, "
        "1 s, to the requests waiting on it, and one of the two transactions is rolled back: a 500).",
        *(["", "```", *result["deadlocks"]["first"], "```"] if result["deadlocks"]["first"] else []),
    ]


def markdown(result: dict[str, Any]) -> str:
    box = result["machine"]
    lines = [
        f"# Queue: tickets, call-next and the display board ({result['date']})",
        "",
        f"Command: `{result['command']}`",
        "",
        f"Machine: {box['nproc']} CPUs, {box['cpu']}, {box['memory']}; {result['postgres']}; "
        f"gunicorn sync x {WORKERS} as `make run`; {box['wrk']} on the same box; "
        f"{result['started_utc']}–{result['finished_utc']} UTC, load average at start "
        f"{' '.join(box['loadavg_at_start'])}.",
        f"Data: {result['setup']['history_tickets']:,} tickets of {result['args']['history_days']} past days "
        f"at the site; {result['setup']['today_tickets']:,} tickets of the day before the runs (a third of "
        f"line A's served); {len(result['setup']['sessions'])} counters open on line A.",
        "",
        "## (a) Kiosk ticket: `POST /antrean/mpp-banyumas/kios/` (one request = one ticket, 302)",
        "",
        "| conns | req/s median (min–max) | p50 ms | p95 ms | p99 ms | non-302 | server CPU ms/req "
        "| PG CPU ms/req | others % (max) |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
        *_kiosk_rows(result),
        "",
        "## (b) Counter: call next + finish, one officer per connection at a counter of their own",
        "",
        "One cycle = `POST …/panggil/` (302) + `GET` console + `POST …/tiket/<id>/selesai/` (302) + "
        f"`GET` console. The line held {result['args']['line']:,} waiting tickets at the start of each run.",
        "",
        "| conns | cycles/s median (min–max) | req/s | call p50 / p95 ms | finish p50 / p95 ms "
        "| console p50 / p95 ms | empty / busy / bad | server CPU ms per cycle | PG CPU ms per cycle "
        "| others % (max) |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
        *_counter_rows(result),
        "",
        "## (c) Display board: `GET /antrean/mpp-banyumas/layar.json`",
        "",
        f"Measured first, on the day as set up ({result['setup']['today_tickets']:,} tickets), "
        f"{result['args']['board_secs']} s per run.",
        "",
        "| request | conns | req/s median (min–max) | p50 ms | p95 ms | p99 ms | unexpected/non-200 "
        "| server CPU ms/req | PG CPU ms/req | others % (max) |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
        *_board_rows(result),
        *_boards_lines(result),
    ]
    if result.get("inprocess"):
        lines += _inprocess_lines(result["inprocess"], result.get("board_inprocess", []))
    lines += _check_lines(result)
    return "\n".join(lines) + "\n"


# === Main =========================================================================================


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--secs", type=int, default=15, help="Seconds of each kiosk and counter run.")
    parser.add_argument("--board-secs", type=int, default=10, help="Seconds of each board run.")
    parser.add_argument(
        "--drain-max", type=float, default=10.0, help="Wait at most this long for a quiet box."
    )
    parser.add_argument("--conns", default="1,4,16")
    parser.add_argument("--reps", type=int, default=3)
    parser.add_argument(
        "--attempts", type=int, default=2, help="Runs per cell at most (least disturbed kept)."
    )
    parser.add_argument(
        "--line", type=int, default=1000, help="Waiting tickets at the start of each counter run."
    )
    parser.add_argument("--long-line", type=int, default=5000, help="In-process: the long line.")
    parser.add_argument("--boards", type=int, default=50)
    parser.add_argument("--history-days", type=int, default=250)
    parser.add_argument("--history-per-day", type=int, default=600)
    parser.add_argument(
        "--today-tickets", type=int, default=600, help="Tickets of the day before the board runs."
    )
    parser.add_argument("--inprocess-n", type=int, default=300)
    parser.add_argument("--port", type=int, default=8797)
    parser.add_argument("--out-prefix", default="")
    parser.add_argument("--keep-db", action="store_true")
    parser.add_argument("--no-wait", action="store_true", help="Do not wait for a running bench/skm.py.")
    parser.add_argument(
        "--nice", type=int, default=-10 if os.geteuid() == 0 else 0, help="niceness of the server and wrk"
    )
    parser.add_argument("--worker", choices=["setup", "topup", "inprocess", "board", "check"], default="")
    parser.add_argument("--worker-out", default="")
    parser.add_argument("--count", type=int, default=0)
    parser.add_argument("--counters", type=int, default=16)
    args = parser.parse_args()
    workers = {
        "setup": worker_setup,
        "topup": worker_topup,
        "inprocess": worker_inprocess,
        "board": worker_board,
        "check": worker_check,
    }
    if args.worker:
        workers[args.worker](args)
        return
    if shutil.which("wrk") is None:
        sys.exit("wrk is not installed (apt-get install wrk)")
    conns = [int(value) for value in args.conns.split(",")]
    if args.nice:
        sm.NICE[:] = ["nice", "-n", str(args.nice)]
    sm.DRAIN_MAX = args.drain_max
    signal.signal(signal.SIGTERM, signal.default_int_handler)

    import psycopg

    started = datetime.datetime.now(tz=datetime.UTC)
    today = started.date().isoformat()
    prefix = Path(args.out_prefix or ROOT / "bench" / "results" / f"queue-{today}")
    work = Path(tempfile.mkdtemp(prefix="queue-bench-"))
    src = work / "src"
    shutil.copytree(ROOT / "layanan", src / "layanan", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(__file__, src / "queue_bench.py")
    shutil.copy(HERE / "serve_matrix.py", src / "serve_matrix.py")
    var_dir = work / "var"
    var_dir.mkdir()
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "LAYANAN_DATABASE_URL"}}
    env.update(
        PYTHONPATH=str(src),
        PYTHONUNBUFFERED="1",
        DJANGO_SETTINGS_MODULE="layanan.settings",
        LAYANAN_VAR_DIR=str(var_dir),
        LAYANAN_ENV="development",
        DATABASE_URL=PG_URL,
        DEBUG="0",
        LOG_LEVEL="WARNING",
        CACHE_URL=CACHE_URL,
        LAYANAN_QUEUE_ENFORCE_HOURS="0",
    )
    git = subprocess.run(
        ["git", "rev-parse", "HEAD"], cwd=ROOT, capture_output=True, text=True
    ).stdout.strip()
    dirty = subprocess.run(
        ["git", "status", "--porcelain", "--", "layanan"], cwd=ROOT, capture_output=True, text=True
    ).stdout.splitlines()
    result: dict[str, Any] = {
        "date": today,
        "started_utc": started.strftime("%Y-%m-%d %H:%M"),
        "command": " ".join([".venv/bin/python", "bench/queueing.py", *sys.argv[1:]]),
        "code": {"head": git, "layanan_changes_in_work_tree": dirty},
        "machine": machine(),
        "workers": WORKERS,
        "args": {**vars(args), "conns": conns},
        "runs": [],
    }
    bench: Bench | None = None
    me = [sys.executable, str(src / "queue_bench.py")]
    try:
        if not args.no_wait:  # the set-up loads PostgreSQL too: wait before it
            waited = time.monotonic()
            while (others := others_running("bench/skm.py")) and time.monotonic() - waited < 3600:
                print(f"waiting for {others[0][:100]} ...", flush=True)
                time.sleep(20)
            result["waited_for_skm_s"] = round(time.monotonic() - waited)
        with psycopg.connect(PG_ADMIN_URL, autocommit=True) as conn:
            conn.execute(f"DROP DATABASE IF EXISTS {DB_NAME} WITH (FORCE)")
            conn.execute(f"CREATE DATABASE {DB_NAME}")
            row = conn.execute("SELECT version()").fetchone()
            sync = conn.execute("SHOW synchronous_commit").fetchone()
            result["postgres"] = (
                f"{row[0].split(' on ')[0] if row else '?'} (synchronous_commit={sync[0] if sync else '?'})"
            )
        step = time.monotonic()
        manage = [sys.executable, "-m", "layanan.cli"]
        for command in (
            ["migrate", "-v0"],
            ["collectstatic", "--noinput", "-v0"],
            ["load_demo", "--skip-holidays"],
        ):
            subprocess.run([*manage, *command], env=env, check=True, cwd=src, stdout=subprocess.DEVNULL)
        result["migrate_demo_s"] = round(time.monotonic() - step, 1)
        setup_out = work / "setup.json"
        subprocess.run(
            [*me, "--worker", "setup", "--worker-out", str(setup_out), "--counters", str(max(conns)),
             "--history-days", str(args.history_days), "--history-per-day", str(args.history_per_day),
             "--today-tickets", str(args.today_tickets)],
            env=env, cwd=src, check=True,
        )  # fmt: skip
        setup = json.loads(setup_out.read_text())
        result["setup"] = {k: v for k, v in setup.items() if k != "sessions"} | {
            "sessions": [{k: v for k, v in s.items() if k != "session"} for s in setup["sessions"]]
        }
        print(
            f"set-up: {result['migrate_demo_s']} s migrate+demo; {setup['history_tickets']:,} past tickets",
            flush=True,
        )
        counters_file = work / "counters.txt"
        counters_file.write_text("".join(f"{s['counter']} {s['session']}\n" for s in setup["sessions"]))

        bench = Bench(args, work, env, setup, me)
        bench.start()
        csrf_cookie, csrf_token = bench.csrf_pair()
        scripts = {}
        for name, text in (("kiosk", KIOSK_LUA), ("board", BOARD_LUA), ("counter", COUNTER_LUA)):
            scripts[name] = work / f"{name}.lua"
            scripts[name].write_text(text)
        kiosk_env = {
            **os.environ,
            "QUEUE_BODY": f"group={setup['group_a']}&need=&csrfmiddlewaretoken={csrf_token}&form_id=",
            "QUEUE_COOKIE": csrf_cookie,
        }
        counter_env = {
            **os.environ,
            "QUEUE_SITE": SITE,
            "QUEUE_CSRF_TOKEN": csrf_token,
            "QUEUE_CSRF_COOKIE": csrf_cookie,
            "QUEUE_SESSION_NAME": setup["session_cookie"],
            "QUEUE_COUNTERS": str(counters_file),
        }
        kiosk_path = f"/antrean/{SITE}/kios/"
        board_path = f"/antrean/{SITE}/layar.json"
        assert bench.server is not None
        pid = bench.server.pid
        bsecs = args.board_secs
        board_start = work / "board-start.json"
        subprocess.run(
            [*me, "--worker", "board", "--worker-out", str(board_start)], env=env, cwd=src, check=True
        )
        result["board_inprocess"] = [{"when": "before the HTTP runs", **json.loads(board_start.read_text())}]

        # The board first, on the day as set up (the kiosk runs add thousands of tickets to the day,
        # and the board's version reads every ticket of the day). Warm-up: 3 s at 4 connections.
        version = urllib.parse.quote(bench.board_version())
        unchanged_env = {**os.environ, "QUEUE_PATH": f"{board_path}?v={version}", "QUEUE_EXPECT": "false"}
        full_env = {**os.environ, "QUEUE_PATH": board_path, "QUEUE_EXPECT": "true"}
        run_wrk(scripts["board"], bench.base + board_path, unchanged_env, 1, 4, 3, pid)
        run_wrk(scripts["board"], bench.base + board_path, full_env, 1, 4, 3, pid)
        boards_env = {**unchanged_env, "QUEUE_DELAY_MS": "1000", "QUEUE_CONNS": str(args.boards)}
        for rep in range(1, args.reps + 1):
            for conn_count in conns:
                bench.measure(
                    "board_unchanged",
                    rep,
                    conn_count,
                    scripts["board"],
                    board_path,
                    unchanged_env,
                    secs=bsecs,
                )
            for conn_count in conns:
                bench.measure(
                    "board_full", rep, conn_count, scripts["board"], board_path, full_env, secs=bsecs
                )
            bench.measure(
                "boards", rep, args.boards, scripts["board"], board_path, boards_env, secs=args.secs
            )
        if bench.board_version() != urllib.parse.unquote(version):
            raise RuntimeError("the board's version changed during the board runs")

        # Then the kiosk and the counters. Warm-up: 3 s of each at 4 connections.
        warm_env = {**kiosk_env, "QUEUE_TAG": "warm"}
        warm = {"kiosk": run_wrk(scripts["kiosk"], bench.base + kiosk_path, warm_env, 1, 4, 3, pid)}
        bench.set_line(args.line)
        run_wrk(scripts["counter"], bench.base + "/", counter_env, 4, 4, 3, pid)

        def line_setter() -> dict[str, int]:
            assert bench is not None
            return bench.set_line(args.line)

        for rep in range(1, args.reps + 1):
            for conn_count in conns:
                bench.measure("kiosk", rep, conn_count, scripts["kiosk"], kiosk_path, kiosk_env)
            for conn_count in conns:
                bench.measure(
                    "counter", rep, conn_count, scripts["counter"], "/", counter_env, prepare=line_setter
                )
        result["runs"] = bench.runs
        result["kiosk_302"] = warm["kiosk"]["statuses"].get("302", 0) + sum(
            run["statuses"].get("302", 0)
            for kept in bench.runs
            if kept["kind"] == "kiosk"
            for run in (kept, *kept["discarded"])
        )
        result["kiosk_302_discarded_runs"] = sum(
            len(r["discarded"]) for r in bench.runs if r["kind"] == "kiosk"
        )
        bench.stop()

        sm.drain()
        inprocess_out = work / "inprocess.json"
        subprocess.run(
            [*me, "--worker", "inprocess", "--worker-out", str(inprocess_out), "--inprocess-n",
             str(args.inprocess_n), "--long-line", str(args.long_line)],
            env=env, cwd=src, check=True,
        )  # fmt: skip
        result["inprocess"] = json.loads(inprocess_out.read_text())
        board_end = work / "board-end.json"
        subprocess.run(
            [*me, "--worker", "board", "--worker-out", str(board_end)], env=env, cwd=src, check=True
        )
        result["board_inprocess"].append({"when": "after all runs", **json.loads(board_end.read_text())})
        check_out = work / "check.json"
        subprocess.run(
            [*me, "--worker", "check", "--worker-out", str(check_out)], env=env, cwd=src, check=True
        )
        result["check"] = json.loads(check_out.read_text())
        result["deadlocks"] = deadlocks_since(started)
        print("check:", json.dumps(result["check"]), flush=True)
    finally:
        if bench is not None:
            bench.stop()
        if not args.keep_db:
            with contextlib.suppress(Exception), psycopg.connect(PG_ADMIN_URL, autocommit=True) as conn:
                conn.execute(f"DROP DATABASE IF EXISTS {DB_NAME} WITH (FORCE)")
        shutil.rmtree(work, ignore_errors=True)

    result["finished_utc"] = datetime.datetime.now(tz=datetime.UTC).strftime("%Y-%m-%d %H:%M")
    prefix.parent.mkdir(parents=True, exist_ok=True)
    prefix.with_suffix(".json").write_text(json.dumps(result, indent=2, default=str))
    text = markdown(result)
    prefix.with_suffix(".md").write_text(text)
    print(text)


if __name__ == "__main__":
    main()

"""Usage: .venv/bin/python bench/complaints.py [--complaints 1000000] [--reps 3] [--secs 10] [--low-secs 5]
        [--conns 1,16] [--endpoints bare_insert,api_submit,hd_submit] [--hd-rows 100000]
        [--hd-venv /tmp/cmpbench/hdvenv] [--port 8795] [--attempts 2]
        [--out-prefix bench/results/complaints-<date>]
        [--process-n 2000] [--env KEY=VALUE ...] [--keep-db] [--reuse DIR [--refresh-code]]

Issue 5's acceptance benchmark: complaint submission throughput on PostgreSQL with --complaints
reports in the database, beside the framework ceiling (the anchors' bare insert view) and beside
django-helpdesk's public ticket submission, all measured in the same run on the same box.

1. Set-up. Layanan: a throwaway database ``layanan_cmp_bench`` on 127.0.0.1:5432 (dropped and
   created): ``migrate``, ``load_regions --province 33 --level district`` (Central Java: 35
   regencies/cities, 576 districts), ``load_demo --skip-holidays`` (the Banyumas MPP: agencies,
   units, staff), ``collectstatic``. Then the bulk fill, streamed with COPY: --complaints reports
   sorted by submission time over 3 years, each with its first timeline event (``submit``).
   Distributions: kind 80 % complaint / 12 % suggestion / 5 % information request / 3 % protected;
   districts 30 % Banyumas, the rest over the other regencies with Zipf weights; categories with
   Zipf weights; 25 % anonymous, 15 % confidential; about 10 % open (recent ones more often) in
   every open state, the rest closed, archived or rerouted; disposed ones with an agency and unit
   of the demo, dates stamped along the way, 60 % of the closed ones rated. Encrypted reporter
   data from a pool of 16 (real AES-GCM of the field), 40 % with a reporter index. References
   have a valid check digit under bench-only prefixes (``ZADU``...), so the real counter of
   ``ADU`` starts at 1. Secondary indexes are dropped during the load and rebuilt after it; FK
   triggers are off during the load. The bare views' table gets --bare-rows rows (100,000, as in
   the anchors). django-helpdesk 2.6.1 (Django 6.1.3, Python 3.12, in --hd-venv, made with
   ``pip install django==6.1.3 gunicorn==27.0.1 "psycopg[binary,pool]==3.3.9" django-helpdesk==2.6.1``)
   is the anchors' ``helpdesk_site`` project copied from ``../shared/anchor-bench/``, on its own
   database ``helpdesk_cmp_bench`` on the same cluster, seeded exactly as the anchors did (one
   public queue, --hd-rows tickets with one follow-up each).
2. Two gunicorns as ``make run`` starts one (sync workers, 2 x cores + 1, no access log): Layanan
   with ``DJANGO_SETTINGS_MODULE=cmpbench.settings`` (Layanan's settings, the bare insert view, the
   complaints router, the per-address limit lifted), and django-helpdesk. By default with
   ``CACHE_URL=redis://127.0.0.1:6379/14`` and ``LAYANAN_TASKS_BACKEND=database`` (production's
   cache and task queue; override with --env). For every rep (endpoint order rotated) and
   connection count: ``wrk -t1 -c C --latency`` with a Lua script that counts real successes:
   * ``bare_insert``: ``POST /bench/bare-insert`` (ModelForm + 1 INSERT; success 201);
   * ``api_submit``: ``POST /api/v1/complaints`` as a visitor without an account (the public
     path), a fresh Idempotency-Key per request, bodies rotating over 200 realistic reports in
     Banyumas districts, half with a name and e-mail for notifications (success 202: accepted
     through ``intake.accept_complaint``; 201 is also counted, for the older synchronous path);
   * ``hd_submit``: helpdesk's public ``POST /helpdesk/tickets/submit/`` with CSRF on, one
     cookie/token pair fetched before the run and reused, as the anchors did (success 302).
   The box is drained before every run; a run disturbed by other processes (> 15 % of the box)
   is repeated (--attempts) and the least disturbed kept (bench/serve_matrix.py). Ratios are taken
   within one rep, over successful answers only.
3. In one process (Django test client): SQL statements, CPU and wall time per request of
   ``api_submit`` and ``bare_insert``; the statements of one submission; a cProfile (CPU time).
   Then the other half of "accept now, process next": --process-n of the accepted reports the
   runs left are made into complaints by ``intake.process_pending_intake`` in one process, timed
   (reports/s, CPU and SQL statements per report).

Results: ``<out-prefix>.json`` (every run, raw wrk output, machine, load average), ``.md`` (the
tables) and ``.txt`` (the per-submission SQL and the profile). The code is measured from a
snapshot of ``layanan/`` and ``bench/`` taken at the start. Stop with Ctrl+C or SIGTERM: the
servers it started are stopped by their process groups; the databases are dropped unless
--keep-db; ``--reuse DIR --refresh-code`` measures the current code again on a kept set-up.
Needs: wrk, PostgreSQL on 127.0.0.1:5432 (trust), Redis on 127.0.0.1:6379 (default cache), the
helpdesk venv.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import random
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
import uuid
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))
import applications as ab  # noqa: E402  (bench/ helpers: wrk Lua, machine facts, indexes)
import serve_matrix as sm  # noqa: E402

DB_NAME = "layanan_cmp_bench"
HD_DB_NAME = "helpdesk_cmp_bench"
PG_ADMIN_URL = "postgresql://postgres@127.0.0.1:5432/postgres"
PG_URL = f"postgres://postgres@127.0.0.1:5432/{DB_NAME}"
ANCHOR_BENCH = ROOT.parent / "shared" / "anchor-bench"
CORES = os.cpu_count() or 2
WORKERS = 2 * CORES + 1
ENDPOINTS = ("bare_insert", "api_submit", "hd_submit")
TARGETS = {"api_submit / bare_insert": 0.60, "api_submit / hd_submit": 3.0}
DEFAULT_ENV = {"CACHE_URL": "redis://127.0.0.1:6379/14", "LAYANAN_TASKS_BACKEND": "database"}
BANYUMAS = "33.02"
BULK_PREFIX = {"pengaduan": "ZADU", "aspirasi": "ZASP", "informasi": "ZINF", "pungli": "ZWBS"}
KINDS = (("pengaduan", 80), ("aspirasi", 12), ("informasi", 5), ("pungli", 3))
OPEN_STATES = (
    ("submitted", 15),
    ("verifying", 15),
    ("needs_info", 5),
    ("disposed", 20),
    ("in_progress", 25),
    ("answered", 15),
    ("not_authority", 5),
)
CLOSED_STATES = (("closed", 80), ("archived", 15), ("rerouted", 5))
PAST_DISPOSITION = {"disposed", "in_progress", "answered", "not_authority", "closed"}
TITLES = (
    "Jalan berlubang di depan {place}",
    "Sampah menumpuk di dekat {place}",
    "Lampu penerangan jalan mati di {place}",
    "Pelayanan KTP elektronik lambat di {place}",
    "Air PDAM tidak mengalir ke {place}",
    "Saluran drainase tersumbat dekat {place}",
    "Antrean puskesmas terlalu panjang di {place}",
    "Pungutan parkir liar di {place}",
    "Izin usaha belum terbit, {place}",
    "Guru jarang hadir di {place}",
)
PLACES = (
    "pasar Wage",
    "SD Negeri 2",
    "alun-alun",
    "terminal Bulupitu",
    "kantor kecamatan",
    "RT 03 RW 05",
    "jalan Gatot Subroto",
    "puskesmas",
    "stasiun",
    "perumahan Teluk",
)
STORY = (
    "Sudah {weeks} minggu kondisi ini dibiarkan. Warga sudah melapor ke RT dan kelurahan tetapi belum "
    "ada tindak lanjut. Mohon dinas terkait segera memeriksa dan memperbaiki, karena mengganggu "
    "aktivitas warga dan membahayakan anak-anak yang lewat setiap pagi."
)


# === Part 1: set-up inside Django (``--worker setup``) =============================================


def _weighted(rng: random.Random, table: tuple[tuple[str, int], ...]) -> str:
    return rng.choices([k for k, _w in table], weights=[w for _k, w in table])[0]


def setup_worker(args: argparse.Namespace) -> dict[str, Any]:
    import django

    django.setup()
    from django.db import connection

    from layanan.regions.models import Region

    timings: dict[str, float] = {}
    t0 = time.monotonic()
    districts = list(Region.objects.filter(level=Region.Level.DISTRICT).values_list("code", flat=True))
    if not districts:
        raise SystemExit("no districts loaded: load_regions --province 33 --level district failed")
    timings["lookups_s"] = time.monotonic() - t0
    t1 = time.monotonic()
    with connection.cursor() as cursor:
        complaint_defs = ab._drop_indexes(cursor, "complaints_complaint")
        event_defs = ab._drop_indexes(cursor, "complaints_complaintevent")
        cursor.execute("SET session_replication_role = replica")
        counts = _bulk_fill(cursor, args.complaints, districts)
        cursor.execute("SET session_replication_role = DEFAULT")
    timings["copy_s"] = time.monotonic() - t1
    t2 = time.monotonic()
    with connection.cursor() as cursor:
        ab._create_indexes(cursor, "complaints_complaint", complaint_defs)
        ab._create_indexes(cursor, "complaints_complaintevent", event_defs)
        for table in ("complaints_complaint", "complaints_complaintevent"):
            cursor.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))"
            )
    timings["indexes_s"] = time.monotonic() - t2
    t3 = time.monotonic()
    _bare_table(args.bare_rows)
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    timings["bare_and_analyze_s"] = time.monotonic() - t3
    return {"timings": {k: round(v, 1) for k, v in timings.items()}, "counts": counts, "sizes": table_sizes()}


def _bulk_context(districts: list[str]) -> dict[str, Any]:
    """Everything a bulk row refers to: workflows, categories, agencies and units, regions."""
    from django.db import transaction

    from layanan.accounts.models import ServiceUnit
    from layanan.complaints import actions
    from layanan.complaints.models import Complaint, ComplaintCategory, ResolutionClass
    from layanan.core.crypto import blind_index

    policy = actions.policy_for(None)
    with transaction.atomic():
        workflows = {
            (kind, rc): actions.stored_workflow_for(kind, rc, policy).pk
            for kind, _w in KINDS
            for rc in ResolutionClass.values
        }
    categories = list(ComplaintCategory.objects.filter(is_active=True).order_by("sort_order", "pk"))
    field = Complaint._meta.get_field("reporter_data")
    from django.db import connection

    names = ("Siti Rahmawati", "Budi Santoso", "Dewi Lestari", "Agus Pratama", "Rina Kartika", "Joko Susilo")
    pool = [
        field.get_db_prep_save(
            json.dumps(
                {"name": names[i % len(names)], "email": f"warga{i}@example.id", "phone": f"08123{i:07d}"}
            ),
            connection,
        )
        for i in range(16)
    ]
    regencies: dict[str, list[str]] = {}
    for code in districts:
        regencies.setdefault(code[:5], []).append(code)
    others = sorted(r for r in regencies if r != BANYUMAS)
    units = list(ServiceUnit.objects.filter(is_active=True).values_list("pk", "agency_id"))
    return {
        "workflows": workflows,
        "regular": [(c.pk, c.default_resolution_class) for c in categories if not c.is_protected],
        "protected": [(c.pk, c.default_resolution_class) for c in categories if c.is_protected],
        "reporter_pool": pool,
        "regencies": regencies,
        "other_regencies": others,
        "other_weights": [1 / (rank + 1) for rank in range(len(others))],
        "units": units,
        "reporter_indexes": [blind_index(str(10**6 + i), purpose="complaint-reporter") for i in range(5000)],
    }


def _bulk_fill(cursor: Any, n: int, districts: list[str]) -> dict[str, Any]:
    """COPY ``n`` complaints and their first timeline events; returns counts per state and kind."""
    from django.utils import timezone

    from layanan.complaints.models import Complaint, ComplaintEvent
    from layanan.core.references import make_reference
    from layanan.workflow.models import NO_DUE_DATE

    ctx = _bulk_context(districts)
    rng = random.Random(20261123)
    now = timezone.now()
    start = now - datetime.timedelta(days=3 * 365)
    span = (now - start).total_seconds()
    complaint_columns = [f.column for f in Complaint._meta.concrete_fields]
    event_columns = [f.column for f in ComplaintEvent._meta.concrete_fields]
    sequences: dict[tuple[str, int], int] = {}
    state_counts: dict[str, int] = {}
    kind_counts: dict[str, int] = {}
    # Submission times, sorted (ids follow time, as in a real table), denser in recent years.
    times = sorted(start + datetime.timedelta(seconds=span * (rng.random() ** 0.8)) for _ in range(n))
    complaint_sql = f"COPY complaints_complaint ({', '.join(complaint_columns)}) FROM STDIN"
    event_sql = f"COPY complaints_complaintevent ({', '.join(event_columns)}) FROM STDIN"
    events: list[tuple[Any, ...]] = []
    # After the rows the demo made (load_demo files a few real reports).
    cursor.execute("SELECT coalesce(max(id), 0) FROM complaints_complaint")
    first_id = cursor.fetchone()[0] + 1
    cursor.execute("SELECT coalesce(max(id), 0) FROM complaints_complaintevent")
    event_offset = cursor.fetchone()[0]
    with cursor.cursor.copy(complaint_sql) as copy:
        for pk, at in enumerate(times, start=first_id):
            row = _bulk_row(pk, at, now, rng, ctx, sequences, make_reference, NO_DUE_DATE)
            copy.write_row([row[c] for c in complaint_columns])
            state_counts[row["state"]] = state_counts.get(row["state"], 0) + 1
            kind_counts[row["kind"]] = kind_counts.get(row["kind"], 0) + 1
            events.append((pk, at))
    with cursor.cursor.copy(event_sql) as copy:
        for pk, at in events:
            event = {
                "id": event_offset + pk,
                "kind": "transition",
                "at": at,
                "actor_id": None,
                "actor_role": "citizen",
                "transition": "submit",
                "from_state": "",
                "to_state": "submitted",
                "note": "",
                "is_public": True,
                "data": "{}",
                "case_id": pk,
            }
            copy.write_row([event[c] for c in event_columns])
    return {"complaints": n, "events": len(events), "states": state_counts, "kinds": kind_counts}


def _bulk_row(
    pk: int,
    at: datetime.datetime,
    now: datetime.datetime,
    rng: random.Random,
    ctx: dict[str, Any],
    sequences: dict[tuple[str, int], int],
    make_reference: Any,
    no_due_date: datetime.date,
) -> dict[str, Any]:
    kind = _weighted(rng, KINDS)
    age_days = (now - at).days
    # Recent reports are open more often: 60 % of last month's, 1.5 % of those older than a year.
    open_share = 0.6 if age_days < 30 else 0.25 if age_days < 120 else 0.08 if age_days < 365 else 0.015
    is_open = rng.random() < open_share
    state = _weighted(rng, OPEN_STATES if is_open else CLOSED_STATES)
    if kind == "informasi" and state == "not_authority":
        state = "in_progress"
    if kind == "pungli":
        category, resolution = rng.choice(ctx["protected"])
    else:
        category, resolution = rng.choices(
            ctx["regular"], weights=[1 / (i + 1) for i in range(len(ctx["regular"]))]
        )[0]
    if rng.random() < 0.30:
        region = rng.choice(ctx["regencies"][BANYUMAS])
    else:
        regency = rng.choices(ctx["other_regencies"], weights=ctx["other_weights"])[0]
        region = rng.choice(ctx["regencies"][regency])
    year = at.year
    prefix = BULK_PREFIX[kind]
    sequences[prefix, year] = sequences.get((prefix, year), 0) + 1
    anonymous = rng.random() < 0.25
    days = lambda d: at + datetime.timedelta(days=d, hours=rng.random() * 8)  # noqa: E731
    verified = days(rng.randint(0, 3)) if state not in {"submitted"} else None
    disposed = days(rng.randint(1, 4)) if state in PAST_DISPOSITION else None
    answered = days(rng.randint(3, 12)) if state in {"answered", "closed"} and disposed else None
    closed = days(rng.randint(10, 40)) if not is_open else None
    unit, agency = rng.choice(ctx["units"]) if disposed else (None, None)
    entered = closed or answered or disposed or verified or at
    title = rng.choice(TITLES).format(place=rng.choice(PLACES))
    return {
        "id": pk,
        "created_at": at,
        "updated_at": entered,
        "state": state,
        "state_entered_at": entered,
        "is_open": is_open,
        "due_date": (at + datetime.timedelta(days=rng.randint(3, 20))).date() if is_open else no_due_date,
        "step_due_date": None,
        "overall_due_date": (at + datetime.timedelta(days=30)).date() if disposed else None,
        "alarm_due_date": (at + datetime.timedelta(days=5)).date() if is_open else None,
        "escalated_keys": "[]",
        "workflow_id": ctx["workflows"][kind, resolution],
        "reference": make_reference(prefix, year, sequences[prefix, year]),
        "public_id": uuid.UUID(int=rng.getrandbits(128), version=4),
        "kind": kind,
        "channel": rng.choices(["web", "api", "open311", "phone", "walk_in", "lapor"], [70, 8, 5, 7, 6, 4])[
            0
        ],
        "title": title,
        "body": STORY.format(weeks=rng.randint(1, 9)),
        "incident_date": (at - datetime.timedelta(days=rng.randint(0, 20))).date()
        if rng.random() < 0.7
        else None,
        "region_id": region,
        "regency_code": region[:5],
        "location_text": rng.choice(PLACES) if rng.random() < 0.6 else "",
        "latitude": None,
        "longitude": None,
        "category_id": category,
        "target_agency_id": None,
        "target_service_id": None,
        "agency_id": agency,
        "unit_id": unit,
        "resolution_class": resolution,
        "attributes": "{}",
        "is_anonymous": anonymous,
        "is_confidential": kind == "pungli" or rng.random() < 0.15,
        "reporter_id": None,
        "reporter_index": rng.choice(ctx["reporter_indexes"]) if rng.random() < 0.4 else "",
        "reporter_data": rng.choice(ctx["reporter_pool"]),
        "tracking_secret_digest": f"{rng.getrandbits(256):064x}",
        "submitted_by_id": None,
        "idempotency_scope": "",
        "idempotency_key": "",
        "idempotency_fingerprint": "",
        "submitted_at": at,
        "language": "id",
        "verified_at": verified,
        "disposed_at": disposed,
        "first_answered_at": answered,
        "answered_at": answered,
        "resolved_at": closed if state == "closed" else None,
        "closed_at": closed,
        "answered_on_time": (rng.random() < 0.7) if answered else None,
        "first_answer_working_days": rng.randint(1, 9) if answered else None,
        "rating": rng.randint(1, 5) if state == "closed" and rng.random() < 0.6 else None,
        "rating_comment": "",
        "escalation_level": 0,
        "support_count": 0,
        "suggested_agency_id": None,
        "suggested_category_id": None,
        "suggestion_confidence": None,
        "lapor_tracking_id": "",
        "lapor_forwarded_at": None,
    }


def _bare_table(rows: int) -> None:
    from appbench.models import Complaint as BareComplaint
    from django.db import connection

    with connection.schema_editor() as editor:
        editor.create_model(BareComplaint)
    with connection.cursor() as cursor:
        cursor.execute(
            """
            INSERT INTO appbench_complaint (tracking_number, title, description, category, status,
              created_at, updated_at, reporter_name, reporter_phone, reporter_email, extra)
            SELECT 'C-' || lpad(g::text, 10, '0'), 'Streetlight not working ' || g,
                   repeat('The streetlight outside house has been off for a week. ', 4),
                   (ARRAY['roads','water','waste','lighting','noise'])[1 + g %% 5],
                   (ARRAY['submitted','assigned','in_progress','resolved','closed'])[1 + g %% 5],
                   now() - (g || ' minutes')::interval, now(), 'Citizen ' || g,
                   '98450' || lpad(g::text, 5, '0'),
                   'c' || g || '@example.org', jsonb_build_object('ward', g %% 97, 'channel', 'web')
            FROM generate_series(1, %s) g
            """,
            [rows],
        )


def table_sizes() -> dict[str, Any]:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT c.relname, c.reltuples::bigint, pg_table_size(c.oid), pg_indexes_size(c.oid)
            FROM pg_class c WHERE c.relname IN ('complaints_complaint', 'complaints_complaintevent',
                'audit_auditevent', 'appbench_complaint', 'django_tasks_database_dbtaskresult')
            ORDER BY 1
            """
        )
        sizes = {
            name: {"rows": rows, "table_mb": round(t / 2**20), "indexes_mb": round(ix / 2**20)}
            for name, rows, t, ix in cursor.fetchall()
        }
        cursor.execute("SELECT count(*), count(*) FILTER (WHERE is_open) FROM complaints_complaint")
        total, open_ = cursor.fetchone()
        sizes["complaints_complaint"].update(rows=total, open=open_)
        return sizes


# === The helpdesk peer (``--worker hdseed``, run with the helpdesk venv's Python) ===================


def hdseed_worker(args: argparse.Namespace) -> dict[str, Any]:
    """The anchors' helpdesk seeding (``shared/anchor-bench/seed_apps.py helpdesk``), on 5432."""
    sys.path.insert(0, os.getcwd())
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hdsite.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from helpdesk.models import Queue

    t0 = time.monotonic()
    call_command("migrate", verbosity=0)
    queue, _created = Queue.objects.get_or_create(
        slug="complaints",
        defaults={
            "title": "Citizen complaints",
            "allow_public_submission": True,
            "email_address": "complaints@example.org",
        },
    )
    with connection.cursor() as cur:
        cur.execute("TRUNCATE helpdesk_ticket RESTART IDENTITY CASCADE")
        cur.execute(
            """
            INSERT INTO helpdesk_ticket (id, title, queue_id, created, modified, submitter_email, status,
              on_hold, description, resolution, priority, secret_key)
            SELECT g, 'Water supply irregular in ward ' || (g %% 97), %s,
                   now() - (g || ' minutes')::interval, now() - (g || ' minutes')::interval,
                   'citizen' || g || '@example.org',
                   CASE WHEN g %% 20 < 8 THEN 1 WHEN g %% 20 = 8 THEN 2 WHEN g %% 20 < 14 THEN 3 ELSE 4 END,
                   false, repeat('Water comes only every third day and pressure is low. ', 4), '',
                   1 + g %% 5, 'k' || g
            FROM generate_series(1, %s) g""",
            [queue.id, args.hd_rows],
        )
        cur.execute("SELECT setval(pg_get_serial_sequence('helpdesk_ticket','id'), %s)", [args.hd_rows])
        cur.execute(
            """
            INSERT INTO helpdesk_followup (ticket_id, date, title, comment, public, new_status, time_spent)
            SELECT g, now() - (g || ' minutes')::interval, 'Ticket Opened', 'Submitted via web form', true,
                   NULL, NULL
            FROM generate_series(1, %s) g""",
            [args.hd_rows],
        )
        cur.execute("ANALYZE")
    import django as dj

    return {
        "queue": queue.id,
        "tickets": args.hd_rows,
        "seconds": round(time.monotonic() - t0, 1),
        "django": dj.get_version(),
        "python": sys.version.split()[0],
    }


# === Part 3: in one process (``--worker inprocess``) ==============================================


def inprocess_worker(args: argparse.Namespace) -> dict[str, Any]:
    """SQL statements, CPU and wall per request of the API submission and the bare insert; the
    statements of one submission; a cProfile of the submission."""
    import cProfile
    import io
    import pstats

    import django

    django.setup()
    from urllib.parse import urlencode

    from django.db import connection
    from django.test import Client

    bodies = Path(args.bodies).read_text().splitlines()
    client = Client(HTTP_HOST="127.0.0.1")
    counter = [0]

    def api_submit() -> Any:
        counter[0] += 1
        return client.post(
            "/api/v1/complaints",
            bodies[counter[0] % len(bodies)],
            content_type="application/json",
            headers={"Idempotency-Key": f"inproc-{os.getpid()}-{counter[0]}"},
        )

    def bare_insert() -> Any:
        return client.post(
            "/bench/bare-insert",
            urlencode(ab.BARE_POST_FIELDS),
            content_type="application/x-www-form-urlencoded",
        )

    calls = {"api_submit": (api_submit, 202), "bare_insert": (bare_insert, 201)}
    out: dict[str, Any] = {"endpoints": {}}
    for name, (call, status) in calls.items():
        for _ in range(10):  # warm up
            assert call().status_code == status, name
        passes = []
        for _ in range(args.passes):
            walls, cpus, queries = [], [], []
            for _ in range(args.n):
                log = ab.QueryLog()
                with connection.execute_wrapper(log):
                    w0, c0 = time.perf_counter(), time.process_time()
                    response = call()
                    cpus.append(1000 * (time.process_time() - c0))
                    walls.append(1000 * (time.perf_counter() - w0))
                assert response.status_code == status, (name, response.content[:300])
                queries.append(len(log.seen))
            passes.append(
                {
                    "wall_ms": statistics.median(walls),
                    "cpu_ms": statistics.median(cpus),
                    "wall_p95_ms": ab.percentile(walls, 95),
                    "queries": statistics.median(queries),
                }
            )
        out["endpoints"][name] = {
            "passes": passes,
            "wall_ms": statistics.median(p["wall_ms"] for p in passes),
            "cpu_ms": statistics.median(p["cpu_ms"] for p in passes),
            "queries": statistics.median(p["queries"] for p in passes),
        }
    log = ab.QueryLog()
    with connection.execute_wrapper(log):
        api_submit()
    out["submission_sql"] = [_short_sql(sql) for sql, _params in log.seen]
    profile = cProfile.Profile(time.process_time)  # CPU, not wall: the box is shared
    profile.enable()
    for _ in range(args.profile_n):
        api_submit()
    profile.disable()
    stream = io.StringIO()
    stats = pstats.Stats(profile, stream=stream)
    stats.sort_stats("cumulative").print_stats(60)
    out["profile"] = {
        "requests": args.profile_n,
        "text": ab.trim_profile(stream.getvalue()),
        "breakdown": ab.profile_breakdown(stats, args.profile_n),
    }
    return out


def process_worker(args: argparse.Namespace) -> dict[str, Any]:
    """The other half of "accept now, process next": the accepted reports the HTTP runs left,
    made into complaints by ``intake.process_pending_intake`` in this one process (as the poll
    worker does); per report: wall, CPU and SQL statements."""
    import django

    django.setup()
    from django.db import connection

    from layanan.complaints.intake import process_pending_intake
    from layanan.complaints.models import ComplaintIntake

    pending = ComplaintIntake.objects.filter(processed_at__isnull=True).count()
    done = 0
    log = ab.QueryLog()
    w0, c0 = time.perf_counter(), time.process_time()
    with connection.execute_wrapper(log):
        while done < args.process_n:
            made = process_pending_intake(limit=min(100, args.process_n - done))
            if not made:
                break
            done += made
    wall, cpu = time.perf_counter() - w0, time.process_time() - c0
    return {
        "pending_before": pending,
        "processed": done,
        "wall_s": round(wall, 2),
        "reports_per_s": round(done / wall, 1) if wall else None,
        "cpu_ms_per_report": round(1000 * cpu / done, 2) if done else None,
        "sql_per_report": round(len(log.seen) / done, 1) if done else None,
    }


def _short_sql(sql: str) -> str:
    sql = re.sub(r"\s+", " ", sql).strip()
    return sql if len(sql) <= 220 else sql[:217] + "..."


# === Part 2: HTTP ==================================================================================

LUA = {
    "bare_insert": ab.LUA["bare_insert"],
    "api_submit": r"""
local bodies, counter, run = {}, 0, os.getenv("BENCH_RUN")
function init(args) bodies = lines(os.getenv("BENCH_DATA")) end
function request()
  counter = counter + 1
  local headers = {["Content-Type"] = "application/json",
                   ["Idempotency-Key"] = string.format("wrk-%s-%d", run, counter)}
  return wrk.format("POST", "/api/v1/complaints", headers, bodies[(counter % #bodies) + 1])
end
function is_ok(status, body) return status == 202 or status == 201 end
""",
    "hd_submit": r"""
local cookie, token, queue = os.getenv("HD_CSRF_COOKIE"), os.getenv("HD_CSRF_TOKEN"), os.getenv("HD_QUEUE")
wrk.method = "POST"
wrk.path = "/helpdesk/tickets/submit/"
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
wrk.headers["Cookie"] = "csrftoken=" .. cookie
wrk.headers["Referer"] = os.getenv("HD_BASE") .. "/helpdesk/tickets/submit/"
wrk.body = "csrfmiddlewaretoken=" .. token .. "&queue=" .. queue
  .. "&title=Pothole+on+5th+cross+road&body=The+pothole+near+the+bus+stop+has+grown+for+two+weeks"
  .. "+and+two-wheelers+fall+in+it+at+night.+Please+fix+before+the+rains."
  .. "&priority=3&submitter_email=asha%40example.org"
function is_ok(status, body) return status == 302 end
""",
}


def api_bodies(districts: list[str], n: int = 200) -> list[str]:
    """Realistic visitor reports (JSON), half with a name and e-mail to be notified at."""
    rng = random.Random(5)
    categories = (
        "lingkungan",
        "kependudukan",
        "kesehatan",
        "pendidikan",
        "transportasi",
        "air-bersih",
        "ketertiban",
        "pelayanan-aparatur",
        "lainnya",
    )
    out = []
    for i in range(n):
        body: dict[str, Any] = {
            "category": categories[i % len(categories)],
            "title": rng.choice(TITLES).format(place=rng.choice(PLACES)),
            "body": STORY.format(weeks=rng.randint(1, 9)),
            "region": rng.choice(districts),
            "location_text": rng.choice(PLACES),
            "is_anonymous": rng.random() < 0.25,
            "is_confidential": rng.random() < 0.15,
        }
        if i % 2 == 0:
            body["reporter"] = {"name": "Warga Bench", "email": f"warga.bench{i}@example.id"}
        out.append(json.dumps(body))
    return out


class Http:
    """wrk runs: one Lua script and environment per endpoint, CPU accounted to its server."""

    def __init__(
        self, tmp: Path, bases: dict[str, str], pgids: dict[str, int], env: dict[str, dict[str, str]]
    ):
        self.bases, self.pgids, self.env = bases, pgids, env
        self.scripts = {}
        for name, body in LUA.items():
            path = tmp / f"{name}.lua"
            path.write_text(ab.LUA_COMMON + body)
            self.scripts[name] = path
        self.runs = 0

    def run(self, name: str, conns: int, secs: int) -> tuple[dict[str, Any], str]:
        import resource

        self.runs += 1
        env = {**os.environ, **self.env[name], "BENCH_RUN": f"{os.getpid()}-{self.runs}"}
        cmd = [
            *sm.NICE,
            "wrk",
            "-t1",
            f"-c{conns}",
            f"-d{secs}s",
            "--timeout",
            "10s",
            "--latency",
            "-s",
            str(self.scripts[name]),
            self.bases[name],
        ]
        children0 = resource.getrusage(resource.RUSAGE_CHILDREN)
        box0 = sm.box_ticks()
        ours0, pg0 = sm.proc_ticks(self.pgids[name])
        load = os.getloadavg()[0]
        with subprocess.Popen(
            cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env, start_new_session=True
        ) as proc:
            sm.boost(proc.pid)
            try:
                stdout, stderr = proc.communicate(timeout=secs + 60)
            except BaseException:
                proc.kill()
                raise
        box1 = sm.box_ticks()
        ours1, pg1 = sm.proc_ticks(self.pgids[name])
        children1 = resource.getrusage(resource.RUSAGE_CHILDREN)
        if proc.returncode:
            raise RuntimeError(f"wrk failed: {stderr.strip()}")
        result: dict[str, Any] = dict(sm.parse_wrk(stdout))
        result.update(ab.parse_bench_line(stdout))
        hz = os.sysconf("SC_CLK_TCK")
        total = max(1, box1[1] - box0[1])
        wrk_ticks = (children1.ru_utime + children1.ru_stime - children0.ru_utime - children0.ru_stime) * hz
        busy = box1[0] - box0[0]
        server, pg = ours1 - ours0, pg1 - pg0
        requests = max(1, int(result["requests"]))
        result.update(
            ok_rps=round(float(result["rps"]) * int(result.get("ok", 0)) / requests, 1),
            loadavg_1m_before=round(load, 2),
            box_busy_pct=round(100 * busy / total, 1),
            server_cpu_pct=round(100 * server / total, 1),
            wrk_cpu_pct=round(100 * wrk_ticks / total, 1),
            pg_cpu_pct=round(100 * pg / total, 1),
            other_cpu_pct=round(max(0.0, 100 * (busy - server - wrk_ticks - pg) / total), 1),
            server_cpu_ms_per_req=round(1000 * server / hz / requests, 3),
            pg_cpu_ms_per_req=round(1000 * pg / hz / requests, 3),
        )
        return result, stdout

    def measure(self, name: str, conns: int, secs: int) -> tuple[dict[str, Any], list[dict[str, Any]]]:
        attempts = []
        for attempt in range(1, sm.ATTEMPTS + 1):
            waited = sm.drain()
            result, raw = self.run(name, conns, secs)
            result.update(attempt=attempt, drain_s=round(waited, 1), raw=raw)
            attempts.append(result)
            if float(result["other_cpu_pct"]) <= sm.OTHER_LIMIT:
                break
        return min(attempts, key=lambda r: float(r["other_cpu_pct"])), attempts


# === Orchestration =================================================================================


def reset_dbs(drop_only: bool = False) -> None:
    import psycopg

    with psycopg.connect(PG_ADMIN_URL, autocommit=True) as conn:
        for name in (DB_NAME, HD_DB_NAME):
            conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
            if not drop_only:
                conn.execute(f"CREATE DATABASE {name}")


def run_worker(
    env: dict[str, str],
    tmp: Path,
    name: str,
    *extra: str,
    python: str = sys.executable,
    cwd: str | None = None,
) -> dict[str, Any]:
    result = tmp / f"{name}.json"
    log = tmp / "logs" / f"{name}.log"
    cmd = [
        *sm.NICE,
        python,
        str(tmp / "src" / "complaints.py"),
        "--worker",
        name,
        "--result",
        str(result),
        *extra,
    ]
    with (
        open(log, "ab") as fh,
        subprocess.Popen(
            cmd, env=env, cwd=cwd or env["PYTHONPATH"], stdout=fh, stderr=fh, start_new_session=True
        ) as child,
    ):
        sm.boost(child.pid)
        if child.wait():
            tail = log.read_text(errors="replace").splitlines()[-25:]
            raise SystemExit(f"worker {name} failed; {log} ends:\n" + "\n".join(tail))
    return json.loads(result.read_text())


def start_gunicorn(gunicorn: str, app: str, port: int, env: dict[str, str], cwd: str, log: Path) -> Any:
    cmd = [
        gunicorn,
        app,
        "--worker-class",
        "sync",
        "--workers",
        str(WORKERS),
        "--bind",
        f"127.0.0.1:{port}",
        "--backlog",
        "2048",
    ]
    fh = open(log, "ab")  # noqa: SIM115 - closed with the process
    proc = subprocess.Popen([*sm.NICE, *cmd], env=env, cwd=cwd, stdout=fh, stderr=fh, start_new_session=True)
    sm.boost(proc.pid)
    return proc


def hd_csrf_pair(base: str) -> tuple[str, str]:
    import http.cookiejar

    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    body = opener.open(f"{base}/helpdesk/tickets/submit/", timeout=30).read().decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', body)
    cookie = next((c.value for c in jar if c.name == "csrftoken"), "")
    if not token or not cookie:
        raise SystemExit("helpdesk: no CSRF pair on the submit form")
    return cookie, token.group(1)


def fmt_range(values: list[float], digits: int = 0) -> str:
    return ab.fmt_range(values, digits) if values else "-"


def summarize(report: dict[str, Any]) -> str:
    runs = report["runs"]
    lines = [
        "| endpoint | conns | runs | ok req/s median (min–max) | p50 ms | p95 ms | p99 ms | "
        "server CPU ms/req | PG CPU ms/req | other % | load avg |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for name in report["endpoints"]:
        for c in report["args"]["conns"]:
            rows = [r for r in runs if r["endpoint"] == name and r["conns"] == c]
            if not rows:
                continue
            med = lambda key, rows=rows: statistics.median(float(r[key]) for r in rows)  # noqa: E731
            lines.append(
                f"| {name} | {c} | {len(rows)} | {fmt_range([float(r['ok_rps']) for r in rows], 1)} | "
                f"{med('p50_ms'):.1f} | {med('p95_ms'):.1f} | {med('p99_ms'):.1f} | "
                f"{med('server_cpu_ms_per_req'):.2f} | {med('pg_cpu_ms_per_req'):.2f} | "
                f"{med('other_cpu_pct'):.0f} | {med('loadavg_1m_before'):.1f} |"
            )
    lines += [
        "",
        "| ratio (within a rep) | conns | values | median | target | verdict |",
        "|---|---:|---|---:|---:|---|",
    ]
    for ratio in report["ratios"]:
        values = ", ".join(f"{v:.2f}" for v in ratio["values"])
        lines.append(
            f"| {ratio['name']} | {ratio['conns']} | {values} | {statistics.median(ratio['values']):.2f} | "
            f"{ratio['target']} | {ratio['verdict']} |"
        )
    inproc = report.get("inprocess", {}).get("endpoints", {})
    if inproc:
        lines += ["", "| in process | SQL statements | wall ms | CPU ms |", "|---|---:|---:|---:|"]
        for name, row in inproc.items():
            lines.append(f"| {name} | {row['queries']:.0f} | {row['wall_ms']:.2f} | {row['cpu_ms']:.2f} |")
    return "\n".join(lines)


def ratios(
    runs: list[dict[str, Any]], reps: int, conns: list[int], endpoints: list[str]
) -> list[dict[str, Any]]:
    out = []
    for key, target in TARGETS.items():
        mine, anchor = key.split(" / ")
        if mine not in endpoints or anchor not in endpoints:
            continue
        for c in conns:
            values = []
            for rep in range(1, reps + 1):
                a = [r for r in runs if r["rep"] == rep and r["conns"] == c and r["endpoint"] == mine]
                b = [r for r in runs if r["rep"] == rep and r["conns"] == c and r["endpoint"] == anchor]
                if a and b and b[0]["ok_rps"]:
                    values.append(a[0]["ok_rps"] / b[0]["ok_rps"])
            if values:
                verdict = "met" if statistics.median(values) >= target else "missed"
                out.append({"name": key, "conns": c, "values": values, "target": target, "verdict": verdict})
    return out


def prepare(
    args: argparse.Namespace, tmp: Path, env: dict[str, str], hd_env: dict[str, str]
) -> dict[str, Any]:
    """Databases, code snapshot, bulk fill, the helpdesk peer; returns the set-up facts."""
    t0 = time.monotonic()
    reset_dbs()
    manage = lambda *a: subprocess.run(  # noqa: E731
        [sys.executable, "-m", "layanan.cli", *a],
        env=env,
        cwd=env["PYTHONPATH"],
        check=True,
        stdout=subprocess.DEVNULL,
    )
    manage("migrate", "--noinput", "--verbosity", "0")
    manage("load_regions", "--province", "33", "--level", "district")
    manage("load_demo", "--skip-holidays")
    manage("collectstatic", "--noinput", "--verbosity", "0")
    prepare_s = time.monotonic() - t0
    print(f"migrate + regions + demo + collectstatic: {prepare_s:.0f} s", flush=True)
    setup = run_worker(
        env, tmp, "setup", "--complaints", str(args.complaints), "--bare-rows", str(args.bare_rows)
    )
    setup["timings"]["migrate_regions_demo_collectstatic_s"] = round(prepare_s, 1)
    print(f"bulk set-up: {json.dumps(setup['timings'])}; sizes {json.dumps(setup['sizes'])}", flush=True)
    hd_python = str(Path(args.hd_venv) / "bin" / "python")
    setup["helpdesk"] = run_worker(
        hd_env, tmp, "hdseed", "--hd-rows", str(args.hd_rows), python=hd_python, cwd=str(tmp / "hd")
    )
    print(f"helpdesk seeded: {json.dumps(setup['helpdesk'])}", flush=True)
    return setup


def main() -> None:  # noqa: C901 - the run, step by step
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--complaints", type=int, default=1_000_000)
    parser.add_argument("--reps", type=int, default=3)
    parser.add_argument("--secs", type=int, default=10)
    parser.add_argument("--low-secs", type=int, default=5)
    parser.add_argument("--conns", default="1,16")
    parser.add_argument("--endpoints", default=",".join(ENDPOINTS))
    parser.add_argument("--hd-rows", type=int, default=100_000)
    parser.add_argument("--hd-venv", default="/tmp/cmpbench/hdvenv")
    parser.add_argument("--bare-rows", type=int, default=100_000)
    parser.add_argument("--port", type=int, default=8795)
    parser.add_argument("--attempts", type=int, default=2)
    parser.add_argument("--drain-max", type=float, default=10.0)
    parser.add_argument("--n", type=int, default=150, help="in-process requests per pass")
    parser.add_argument("--passes", type=int, default=3)
    parser.add_argument("--profile-n", type=int, default=100)
    parser.add_argument(
        "--out-prefix", default=str(ROOT / "bench" / "results" / f"complaints-{time.strftime('%Y-%m-%d')}")
    )
    parser.add_argument("--env", action="append", default=[], metavar="KEY=VALUE")
    parser.add_argument("--keep-db", action="store_true")
    parser.add_argument("--reuse", metavar="DIR", help="the temp dir of a --keep-db run: no set-up")
    parser.add_argument("--nice", type=int, default=-10 if os.geteuid() == 0 else 0)
    parser.add_argument(
        "--process-n", type=int, default=2000, help="accepted reports the worker makes, timed"
    )
    parser.add_argument("--refresh-code", action="store_true", help="with --reuse: snapshot the code again")
    parser.add_argument(
        "--worker", choices=["setup", "hdseed", "inprocess", "process"], help=argparse.SUPPRESS
    )
    parser.add_argument("--result", help=argparse.SUPPRESS)
    parser.add_argument("--bodies", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        work = {
            "setup": setup_worker,
            "hdseed": hdseed_worker,
            "inprocess": inprocess_worker,
            "process": process_worker,
        }
        Path(args.result).write_text(json.dumps(work[args.worker](args), default=str))
        return
    signal.signal(signal.SIGTERM, signal.default_int_handler)
    if shutil.which("wrk") is None:
        sys.exit("wrk is not installed (apt-get install wrk)")
    hd_gunicorn = Path(args.hd_venv) / "bin" / "gunicorn"
    if not hd_gunicorn.exists():
        sys.exit(f"no helpdesk venv at {args.hd_venv}: see the usage text")
    for port in (args.port, args.port + 1):
        if not sm.port_free(port):
            sys.exit(f"port {port} is in use; pick another with --port")
    sm.DRAIN_MAX, sm.ATTEMPTS = args.drain_max, args.attempts
    if args.nice:
        sm.NICE[:] = ["nice", "-n", str(args.nice)]
    conns = [int(c) for c in args.conns.split(",")]
    endpoints = [e for e in args.endpoints.split(",") if e]
    started = time.monotonic()
    report: dict[str, Any] = {
        "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
        "command": "bench/complaints.py " + " ".join(sys.argv[1:]),
        "args": {**vars(args), "conns": conns},
        "workers": WORKERS,
        "machine": ab.machine(),
        "endpoints": endpoints,
    }
    ignore = shutil.ignore_patterns("__pycache__")
    if args.reuse:
        tmp = Path(args.reuse)
        args.keep_db = True
        if args.refresh_code:
            for name in ("layanan", "appbench", "cmpbench"):
                shutil.rmtree(tmp / "src" / name)
            shutil.copytree(ROOT / "layanan", tmp / "src" / "layanan", ignore=ignore)
            for name in ("appbench", "cmpbench"):
                shutil.copytree(HERE / name, tmp / "src" / name, ignore=ignore)
            for name in ("complaints.py", "applications.py", "serve_matrix.py"):
                shutil.copy(HERE / name, tmp / "src" / name)
            print(f"code snapshot refreshed in {tmp} at {report['date']}", flush=True)
    else:
        tmp = Path(tempfile.mkdtemp(prefix="layanan-cmp-"))
        src = tmp / "src"
        shutil.copytree(ROOT / "layanan", src / "layanan", ignore=ignore)
        for name in ("appbench", "cmpbench"):
            shutil.copytree(HERE / name, src / name, ignore=ignore)
        for name in ("complaints.py", "applications.py", "serve_matrix.py"):
            shutil.copy(HERE / name, src / name)
        shutil.copytree(ANCHOR_BENCH / "helpdesk_site", tmp / "hd", ignore=ignore)
        (tmp / "logs").mkdir()
        print(f"snapshot in {tmp} at {report['date']}", flush=True)
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE")}
    env.update(
        PYTHONPATH=str(tmp / "src"),
        PYTHONUNBUFFERED="1",
        DJANGO_SETTINGS_MODULE="cmpbench.settings",
        LAYANAN_VAR_DIR=str(tmp / "var"),
        LAYANAN_ENV="development",
        DEBUG="0",
        LOG_LEVEL="WARNING",
        DATABASE_URL=PG_URL,
        **DEFAULT_ENV,
    )
    overrides = dict(item.split("=", 1) for item in args.env)
    env.update(overrides)
    report["env"] = {**DEFAULT_ENV, **overrides}
    hd_env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE")}
    hd_env.update(
        PYTHONPATH=str(tmp / "hd"),
        DJANGO_SETTINGS_MODULE="hdsite.settings",
        BENCH_DB_NAME=HD_DB_NAME,
        BENCH_DB_PORT="5432",
        BENCH_DB_HOST="127.0.0.1",
        PYTHONUNBUFFERED="1",
    )
    procs: list[Any] = []
    try:
        if args.reuse and args.refresh_code:  # the refreshed code may bring migrations
            subprocess.run(
                [sys.executable, "-m", "layanan.cli", "migrate", "--noinput", "--verbosity", "0"],
                env=env,
                cwd=env["PYTHONPATH"],
                check=True,
            )
        if args.reuse:
            report["setup"] = json.loads((tmp / "setup.json").read_text())
        else:
            report["setup"] = prepare(args, tmp, env, hd_env)
            (tmp / "setup.json").write_text(json.dumps(report["setup"]))
        import psycopg

        with psycopg.connect(PG_URL.replace("postgres://", "postgresql://")) as conn:
            districts = [
                r[0]
                for r in conn.execute(
                    "SELECT code FROM regions_region WHERE level = 3 AND code LIKE %s ORDER BY code",
                    [BANYUMAS + ".%"],
                )
            ]
        bodies_file = tmp / "api_bodies.txt"
        bodies_file.write_text("\n".join(api_bodies(districts)) + "\n")
        layanan = start_gunicorn(
            str(Path(sys.executable).with_name("gunicorn")),
            "layanan.wsgi:application",
            args.port,
            env,
            env["PYTHONPATH"],
            tmp / "logs" / "gunicorn.log",
        )
        procs.append(layanan)
        helpdesk = start_gunicorn(
            str(hd_gunicorn),
            "hdsite.wsgi:application",
            args.port + 1,
            hd_env,
            str(tmp / "hd"),
            tmp / "logs" / "hd-gunicorn.log",
        )
        procs.append(helpdesk)
        base, hd_base = f"http://127.0.0.1:{args.port}", f"http://127.0.0.1:{args.port + 1}"
        if not sm.wait_ready(f"{base}/healthz") or not sm.wait_ready(f"{hd_base}/helpdesk/tickets/submit/"):
            raise SystemExit(f"a server did not come up: see {tmp / 'logs'}")
        cookie, token = hd_csrf_pair(hd_base)
        queue = str(report["setup"]["helpdesk"]["queue"])
        from urllib.parse import urlencode

        http = Http(
            tmp,
            {"bare_insert": base, "api_submit": base, "hd_submit": hd_base},
            {"bare_insert": layanan.pid, "api_submit": layanan.pid, "hd_submit": helpdesk.pid},
            {
                "bare_insert": {"BENCH_BODY": urlencode(ab.BARE_POST_FIELDS)},
                "api_submit": {"BENCH_DATA": str(bodies_file)},
                "hd_submit": {
                    "HD_CSRF_COOKIE": cookie,
                    "HD_CSRF_TOKEN": token,
                    "HD_QUEUE": queue,
                    "HD_BASE": hd_base,
                },
            },
        )
        for name in endpoints:  # check and warm up: every answer must be a success
            result, raw = http.run(name, 4, 4)
            if int(result.get("ok", 0)) != int(result["requests"]) or not result["requests"]:
                raise SystemExit(
                    f"{name}: {result.get('ok')} of {result['requests']} answers were successes:\n{raw}"
                )
            print(
                f"warm-up {name}: {result['rps']:.0f} req/s, all {result['requests']} successful", flush=True
            )
        runs: list[dict[str, Any]] = []
        report["all_attempts"] = []
        for rep in range(1, args.reps + 1):
            shift = (rep - 1) % len(endpoints)
            for c in conns:
                for name in endpoints[shift:] + endpoints[:shift]:
                    best, attempts = http.measure(name, c, args.low_secs if c == 1 else args.secs)
                    for r in attempts:
                        r.update(rep=rep, conns=c, endpoint=name, kept=int(r is best))
                    runs.append(best)
                    report["all_attempts"].extend(attempts)
                    print(
                        f"rep{rep} c={c:<3d} {name:12s} {best['ok_rps']:8.1f} ok req/s"
                        f" ({best['ok']}/{best['requests']}) p50 {best['p50_ms']:6.1f}"
                        f" p95 {best['p95_ms']:6.1f}"
                        f" p99 {best['p99_ms']:6.1f} ms server {best['server_cpu_ms_per_req']:.2f} ms/req"
                        f" pg {best['pg_cpu_ms_per_req']:.2f} other {best['other_cpu_pct']}%"
                        f" load {best['loadavg_1m_before']}",
                        flush=True,
                    )
        report["runs"] = [{k: v for k, v in r.items() if k != "raw"} for r in runs]
        report["raw_wrk"] = [
            f"### rep={r['rep']} conns={r['conns']} endpoint={r['endpoint']} attempt={r['attempt']} "
            f"kept={r['kept']}\n{r['raw']}"
            for r in report.pop("all_attempts")
        ]
        report["ratios"] = ratios(runs, args.reps, conns, endpoints)
        for proc in procs:
            sm.stop_server(proc)
        procs = []
        report["server_log_tail"] = (
            (tmp / "logs" / "gunicorn.log").read_text(errors="replace").splitlines()[-20:]
        )
        print("in-process measurements ...", flush=True)
        sm.drain()
        report["inprocess"] = run_worker(
            env,
            tmp,
            "inprocess",
            "--bodies",
            str(bodies_file),
            "--n",
            str(args.n),
            "--passes",
            str(args.passes),
            "--profile-n",
            str(args.profile_n),
        )
        if args.process_n:
            print("processing accepted reports ...", flush=True)
            report["processing"] = run_worker(env, tmp, "process", "--process-n", str(args.process_n))
            print(f"processing: {json.dumps(report['processing'])}", flush=True)
        report["machine"]["loadavg_end"] = os.getloadavg()
        report["total_s"] = round(time.monotonic() - started)
        write_results(report, Path(args.out_prefix))
    finally:
        for proc in procs:
            sm.stop_server(proc)
        if not args.keep_db:
            reset_dbs(drop_only=True)
            shutil.rmtree(tmp, ignore_errors=True)
        else:
            print(f"kept databases {DB_NAME}, {HD_DB_NAME} and {tmp}")


def write_results(report: dict[str, Any], out: Path) -> None:
    out.parent.mkdir(parents=True, exist_ok=True)
    table = summarize(report)
    machine = report["machine"]
    md = [
        f"# Complaints benchmark, {report['date']}",
        "",
        f"Command: `{report['command']}`",
        "",
        f"Machine: {machine['nproc']} CPUs ({machine['cpu']}), {machine['mem']}, kernel {machine['kernel']}, "
        f"Python {machine['python']}, {json.dumps(machine['packages'])}, {machine['wrk']}; "
        f"load average at start {machine['loadavg_start']}, at end {machine.get('loadavg_end')}",
        "",
        f"PostgreSQL: {json.dumps(machine['postgres'])}",
        "",
        f"Environment: {json.dumps(report['env'])}",
        "",
        f"Set-up: {json.dumps(report['setup'])}",
        "",
        table,
        "",
        f"Processing the accepted reports afterwards (one process): {json.dumps(report.get('processing'))}",
        "",
    ]
    out.with_suffix(".md").write_text("\n".join(md))
    inproc = report.get("inprocess", {})
    txt = ["# SQL statements of one API submission (in process)", ""]
    txt += [f"{i:2d}. {sql}" for i, sql in enumerate(inproc.get("submission_sql", []), start=1)]
    prof = inproc.get("profile")
    if prof:
        txt += ["", f"# cProfile: api_submit, {prof['requests']} requests in process", ""]
        txt += [f"{row.get('ms_per_request', 0):8.2f} ms/req  {row['what']}" for row in prof["breakdown"]]
        txt += ["", prof["text"]]
    out.with_suffix(".txt").write_text("\n".join(txt) + "\n")
    out.with_suffix(".json").write_text(json.dumps(report, indent=1, default=str))
    print("\n" + table + f"\n\nwritten: {out}.json, {out}.md, {out}.txt; total {report.get('total_s')} s")


if __name__ == "__main__":
    main()

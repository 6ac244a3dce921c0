"""Usage: .venv/bin/python bench/applications.py [--apps 1000000] [--real 300] [--reps 3] [--secs 10]
        [--low-secs 5] [--conns 1,16] [--endpoints bare_insert,bare_select,submit,track,queue]
        [--attempts 1] [--port 8791] [--out-prefix bench/results/applications-<date>] [--keep-db]

Issue 4's acceptance benchmark: application submission and tracking throughput, and the officer
work queue, on PostgreSQL with --apps applications in the database, beside the framework ceiling
(a bare insert view and a bare indexed-select view) measured in the same run, by the same server.

1. Set-up (a throwaway database ``layanan_apps_bench`` on 127.0.0.1:5432, dropped and created):
   ``migrate``, ``load_demo --skip-holidays``, ``collectstatic``; application settings for every
   demo service with an adopted standard; 39 staff accounts (front office, back office, unit head
   for each of the 13 units without demo staff) and 50,000 citizen accounts; then the bulk fill,
   streamed with COPY: --apps applications minus --real, sorted by submission time (about 3 years),
   about 10 % open (recent ones more often), the rest completed or rejected, each with its
   timeline (one ApplicationEvent per transition of the default workflow up to its state),
   encrypted answers of its service's form (AES-GCM like the real field, a pool of 16 per
   service), the applicant's NIK blind index, deadlines computed by the real
   ``layanan.workflow.deadlines.case_deadlines`` from that timeline, and a reference with a valid
   Damm check digit (``make_reference``) under a bench-only prefix per service ("Z" + the
   service's prefix) and year. 20,000 rows get a real tracking secret (digest by
   ``secret_digest``) for the tracking look-ups; the others a random digest. Secondary indexes are
   dropped during the load and rebuilt after it, foreign-key triggers are off during the load
   (``session_replication_role = replica``) and the references are checked afterwards. Then
   --real applications through the real action ``submit_application`` (with vault documents,
   audit events and notifications), some walked on through ``transition_application``, and
   ``ANALYZE``. The bare views' table gets --bare-rows rows (100,000, as in the anchors).
2. One gunicorn, as ``make run`` starts it (``layanan.wsgi``, sync workers, 2 x cores + 1; no
   access log), with ``DJANGO_SETTINGS_MODULE=appbench.settings`` (Layanan's settings plus the two
   bare views, ``bench/appbench/``). For every rep (endpoint order rotated) and connection count:
   ``wrk -t1 -c C -d --secs --latency`` with a Lua script per endpoint that also counts the
   answers that really succeeded and prints p95:
   * ``bare_insert``: ``POST /bench/bare-insert`` (the anchors' bare POST: ModelForm + 1 INSERT);
   * ``bare_select``: ``GET /bench/bare-select/<no.>`` (1 indexed SELECT out of --apps rows);
   * ``submit``: ``POST /api/v1/applications`` with a bearer token and a fresh Idempotency-Key per
     request, rotating over the demo's online services (a vault document per document field);
   * ``track``: ``POST /lacak/`` with a reference and tracking code from the 20,000 sampled rows,
     CSRF on (one token/cookie pair fetched before the run and reused, as the anchors did);
   * ``queue``: ``GET /petugas/permohonan/`` as the demo back-office officer (a DB session with the
     TOTP-verified marker, made in set-up like ``layanan.core.testing.verified_client``).
   Runs at 1 connection last --low-secs. The box is drained before every run (idle >= 80 % for
   2 s, --drain-max seconds at most) and the share of the box other processes took is recorded;
   with --attempts N a run disturbed by other processes (> 15 % of the box) is repeated, N runs
   at most, and the least disturbed kept, as ``bench/serve_matrix.py`` does. Servers, workers and
   wrk run at ``nice -n -10`` (as root). The submission and tracking ratios are taken within one
   rep (the same server, minutes apart) and over successful answers only.
3. In one process (Django test client, no HTTP server): per endpoint the SQL query count and CPU /
   wall time per request, and the same for a queue page in the middle of the unit's open cases
   (``?after=<due date>_<id>``, keyset); ``EXPLAIN (ANALYZE, BUFFERS)`` of every SELECT the
   tracking look-up and the two queue pages issue; a cProfile of each Layanan endpoint (where the
   time goes).

Results: ``<out-prefix>.json`` (every run, raw wrk output, set-up timings, sizes, machine),
``<out-prefix>.md`` (the tables) and ``<out-prefix>-plans.md`` (the plans). The code is measured
from a snapshot of ``layanan/`` and ``bench/`` taken at the start. Stop with Ctrl+C or SIGTERM:
the server it started is stopped by its process group; the database is dropped unless --keep-db.
Needs: wrk, PostgreSQL on 127.0.0.1:5432 (trust auth).
"""

from __future__ import annotations

import argparse
import contextlib
import datetime
import json
import os
import platform
import random
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))
import serve_matrix as sm  # noqa: E402  (bench/ helper: wrk parsing, /proc CPU accounting, drain)

DB_NAME = "layanan_apps_bench"
PG_ADMIN_URL = "postgresql://postgres@127.0.0.1:5432/postgres"
PG_URL = f"postgres://postgres@127.0.0.1:5432/{DB_NAME}"
CORES = os.cpu_count() or 2
WORKERS = 2 * CORES + 1  # as `make run`
ENDPOINTS = ("bare_insert", "bare_select", "submit", "track", "queue")
BULK_PREFIX = "Z"  # bulk references: "Z" + the service's reference prefix, 6 letters at most (no real prefix)
TRACK_SAMPLE = 20_000
CITIZENS = 50_000
ANSWER_POOL = 16
OPEN_MIX = (  # state of an open application, weight
    ("submitted", 25),
    ("completeness_check", 20),
    ("returned_for_correction", 10),
    ("processing", 30),
    ("approved", 5),
    ("awaiting_payment", 5),
    ("output_issued", 5),
)
TARGETS = {"submit": 0.60, "track": 0.70, "queue_p95_ms": 100.0}


# === Part 1: set-up, inside Django (``--worker setup``) ==========================================


def _paths() -> dict[tuple[str, bool], list[tuple[str, str, str, str]]]:
    """(state, has fee) -> the transitions that lead there: (transition, from, to, actor kind)."""
    base = [("submit", "", "submitted", "submitter")]
    check = [*base, ("start_check", "submitted", "completeness_check", "back_office")]
    processing = [*check, ("accept_complete", "completeness_check", "processing", "back_office")]
    approved = [*processing, ("approve", "processing", "approved", "unit_head")]
    paths: dict[tuple[str, bool], list[tuple[str, str, str, str]]] = {}
    for fee in (False, True):
        if fee:
            issued = [
                *approved,
                ("request_payment", "approved", "awaiting_payment", "back_office"),
                ("issue_paid_output", "awaiting_payment", "output_issued", "back_office"),
            ]
            paths["awaiting_payment", fee] = issued[:-1]
        else:
            issued = [*approved, ("issue_output", "approved", "output_issued", "back_office")]
        paths.update(
            {
                ("submitted", fee): base,
                ("completeness_check", fee): check,
                ("returned_for_correction", fee): [
                    *check,
                    ("return_for_correction", "completeness_check", "returned_for_correction", "back_office"),
                ],
                ("processing", fee): processing,
                ("approved", fee): approved,
                ("rejected", fee): [*processing, ("reject", "processing", "rejected", "unit_head")],
                ("output_issued", fee): issued,
                ("completed", fee): [*issued, ("complete", "output_issued", "completed", "front_office")],
            }
        )
    return paths


def _index_defs(cursor: Any, table: str) -> list[tuple[str, str, str | None]]:
    """(name, CREATE INDEX statement, constraint definition or None) of the non-PK indexes."""
    cursor.execute(
        """
        SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid), pg_get_constraintdef(c.oid)
        FROM pg_index i LEFT JOIN pg_constraint c ON c.conindid = i.indexrelid AND c.contype = 'u'
        WHERE i.indrelid = %s::regclass AND NOT i.indisprimary ORDER BY 1
        """,
        [table],
    )
    return list(cursor.fetchall())


def _drop_indexes(cursor: Any, table: str) -> list[tuple[str, str, str | None]]:
    defs = _index_defs(cursor, table)
    for name, _indexdef, constraint in defs:
        if constraint:
            cursor.execute(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"')
        else:
            cursor.execute(f'DROP INDEX "{name}"')
    return defs


def _create_indexes(cursor: Any, table: str, defs: list[tuple[str, str, str | None]]) -> None:
    for name, indexdef, constraint in defs:
        if constraint:
            cursor.execute(f'ALTER TABLE {table} ADD CONSTRAINT "{name}" {constraint}')
        else:
            cursor.execute(indexdef)


def _answers_for(spec: Any, rng: random.Random, nik: str) -> dict[str, Any]:
    """Answers shaped like the ones ``validate_answers`` keeps for ``spec`` (documents: vault ids)."""
    import uuid

    from layanan.applications.formspec import FieldKind

    answers: dict[str, Any] = {}
    for item in spec.fields():
        if item.kind == FieldKind.TEXT:
            answers[item.key] = rng.choice(["Siti Rahmawati", "Budi Santoso", "Dewi Lestari", "Agus Salim"])
        elif item.kind == FieldKind.NIK:
            answers[item.key] = nik
        elif item.kind == FieldKind.PHONE:
            answers[item.key] = f"0812{rng.randrange(10**7, 10**8)}"
        elif item.kind == FieldKind.ADDRESS:
            answers[item.key] = {
                "street": f"Jl. Merdeka {rng.randrange(1, 200)} RT 01/RW 02",
                "region": "33.02.01.2001",
            }
        elif item.kind == FieldKind.YES_NO:
            answers[item.key] = rng.choice(["ya", "tidak"])
        elif item.kind == FieldKind.DOCUMENT and item.show_if is None:
            answers[item.key] = str(uuid.UUID(int=rng.getrandbits(128), version=4))
        elif item.kind == FieldKind.DECLARATION:
            answers[item.key] = "ya"
    return answers


def setup_worker(args: argparse.Namespace) -> dict[str, Any]:
    """Fill the database (run with the snapshot's Django settings). Returns what the run needs."""
    import django

    django.setup()
    from types import SimpleNamespace

    from appbench.models import Complaint
    from django.contrib.auth.hashers import make_password
    from django.db import connection, transaction
    from django.utils import timezone

    from layanan.accounts.models import ServiceUnit, StaffMembership, User
    from layanan.accounts.roles import Role
    from layanan.applications.actions import ServiceNotOpen, ensure_service_config, form_of
    from layanan.applications.models import Application
    from layanan.catalog.models import Service
    from layanan.core.crypto import blind_index, encrypt
    from layanan.core.references import make_reference, secret_digest, tracking_secret
    from layanan.workdays.queries import calendar_for_unit
    from layanan.workflow import engine
    from layanan.workflow.deadlines import case_deadlines

    rng = random.Random(20261123)
    timings: dict[str, float] = {}
    out: dict[str, Any] = {"timings": timings}
    t0 = time.monotonic()

    # Services that take applications, with what a row needs.
    services = []
    for service in Service.objects.select_related("unit", "adopted_standard").order_by("pk"):
        try:
            config = ensure_service_config(service)
        except ServiceNotOpen:
            continue
        components = service.adopted_standard.components()
        fee = 0 if components.fee.is_free else sum(item.amount for item in components.fee.items)
        services.append(
            SimpleNamespace(
                obj=service,
                pk=service.pk,
                unit_id=service.unit_id,
                standard_id=service.adopted_standard_id,
                workflow_id=config.workflow_id,
                definition=config.workflow.parsed(),
                spec=form_of(config),
                prefix=(BULK_PREFIX + config.reference_prefix)[:6],
                real_prefix=config.reference_prefix,
                fee=fee,
                is_online=service.is_online,
            )
        )
    if {s.prefix for s in services} & {s.real_prefix for s in services}:
        raise SystemExit("a bulk reference prefix is also a real one: pick another BULK_PREFIX")
    out["services"] = len(services)

    # Staff: the demo's unit-1 accounts, and a front office, back office and head for every other unit.
    staff: dict[int, dict[str, int]] = {}
    for membership in StaffMembership.objects.active().filter(unit__isnull=False).select_related("user"):
        staff.setdefault(membership.unit_id, {}).setdefault(str(membership.role), membership.user_id)
    unusable = make_password(None)
    for unit in ServiceUnit.objects.order_by("pk"):
        roles = staff.setdefault(unit.pk, {})
        for role in (Role.FRONT_OFFICE, Role.BACK_OFFICE, Role.UNIT_HEAD):
            if str(role.value) in roles:
                continue
            user = User.objects.create(
                username=f"bench.{role.value}.{unit.pk}",
                kind=User.Kind.STAFF,
                full_name=f"Petugas {role.label} {unit.pk}",
                password=unusable,
            )
            StaffMembership.objects.create(user=user, role=role, agency_id=unit.agency_id, unit=unit)
            roles[str(role.value)] = user.pk
    # Citizens (plain accounts, like the ones a one-time-code sign-in creates).
    with connection.cursor() as cursor:
        cursor.execute(
            """
            INSERT INTO accounts_user (password, is_superuser, username, first_name, last_name, email,
                is_staff, is_active, date_joined, kind, full_name, phone, phone_index)
            SELECT %s, false, 'bench.warga.' || g, '', '', '', false, true, now(), 'citizen',
                'Warga ' || g, '', NULL
            FROM generate_series(1, %s) g
            """,
            [unusable, CITIZENS],
        )
        cursor.execute("SELECT id FROM accounts_user WHERE username LIKE 'bench.warga.%%' ORDER BY id")
        citizen_ids = [row[0] for row in cursor.fetchall()]
    citizen_nik = {uid: f"3302{rng.randrange(10**11, 10**12)}" for uid in citizen_ids}
    citizen_nik_index = {uid: blind_index(nik, purpose="nik") for uid, nik in citizen_nik.items()}
    timings["services_staff_citizens_s"] = time.monotonic() - t0

    # Encrypted answers: a pool per service, under the real field's key and context.
    t1 = time.monotonic()
    context = Application._meta.get_field("answers").encryption_context  # type: ignore[attr-defined]
    pools = {
        s.pk: [
            encrypt(
                json.dumps(
                    _answers_for(s.spec, rng, f"3302{rng.randrange(10**11, 10**12)}"),
                    ensure_ascii=False,
                    sort_keys=True,
                ),
                context=context,
            )
            for _ in range(ANSWER_POOL)
        ]
        for s in services
    }
    calendars = {uid: calendar_for_unit(ServiceUnit.objects.get(pk=uid)) for uid in staff}
    paths = _paths()
    now = timezone.now()
    n_bulk = args.apps - args.real
    # Submission times, oldest first, so that ids follow time as in a real table.
    span = 3 * 365 * 86400
    ages = sorted((rng.random() * span for _ in range(n_bulk)), reverse=True)
    sample = set(rng.sample(range(n_bulk), min(TRACK_SAMPLE, n_bulk)))
    open_states = [s for s, _w in OPEN_MIX]
    open_weights = [w for _s, w in OPEN_MIX]
    sequences: dict[tuple[str, int], int] = {}
    tracked: list[tuple[str, str]] = []
    columns = [
        "created_at", "updated_at", "state", "state_entered_at", "is_open", "due_date", "step_due_date",
        "overall_due_date", "alarm_due_date", "escalated_keys", "reference", "channel", "submitted_at",
        "answers", "applicant_nik_index", "tracking_secret_digest", "idempotency_key",
        "idempotency_fingerprint", "consent_recorded_at", "fee_amount", "language", "decided_at",
        "closed_at", "applicant_id", "assigned_to_id", "service_id", "standard_id", "submitted_by_id",
        "unit_id", "workflow_id",
    ]  # fmt: skip
    counts: dict[str, int] = {}
    jakarta = datetime.timezone(datetime.timedelta(hours=7))
    with connection.cursor() as cursor:
        cursor.execute("SET synchronous_commit = off")
        cursor.execute("SET maintenance_work_mem = '512MB'")
        cursor.execute("SET work_mem = '256MB'")
        cursor.execute("SET session_replication_role = replica")  # no FK triggers during the load
        app_indexes = _drop_indexes(cursor, "applications_application")
        event_indexes = _drop_indexes(cursor, "applications_applicationevent")
        raw = cursor.connection  # psycopg 3 connection
        with (
            transaction.atomic(),
            raw.cursor() as pg,
            pg.copy(f"COPY applications_application ({', '.join(columns)}) FROM STDIN") as copy,
        ):
            for i, age in enumerate(ages):
                s = services[rng.randrange(len(services))]
                submitted = now - datetime.timedelta(seconds=age)
                days = age / 86400
                p_open = (
                    0.95 if days < 14 else (0.95 * pow(2.718281828, -(days - 14) / 100) if days < 365 else 0)
                )
                is_open = rng.random() < p_open
                if is_open:
                    state = rng.choices(open_states, open_weights)[0]
                    if state == "awaiting_payment" and not s.fee:
                        state = "processing"
                else:
                    state = "completed" if rng.random() < 0.85 else "rejected"
                path = paths[state, bool(s.fee)]
                # Steps evenly spaced over 0-3 days per step (never past now); the SQL below
                # places the events the same way.
                total = min(rng.uniform(0.05, 3.0) * 86400 * (len(path) - 1), age * 0.9)
                entered = submitted + datetime.timedelta(seconds=total)
                step = (entered - submitted) / max(1, len(path) - 1)
                history = [(to, submitted + step * k) for k, (_t, _f, to, _a) in enumerate(path)]
                case = SimpleNamespace(state=state, definition=lambda d=s.definition: d)
                engine._store_deadlines(
                    case, case_deadlines(s.definition, history, calendars[s.unit_id], now)
                )
                counter = not s.is_online or rng.random() < 0.15
                applicant = citizen_ids[rng.randrange(len(citizen_ids))]
                unit_staff = staff[s.unit_id]
                year = submitted.astimezone(jakarta).year
                seq = sequences[s.prefix, year] = sequences.get((s.prefix, year), 0) + 1
                reference = make_reference(s.prefix, year, seq)
                if i in sample:
                    secret = tracking_secret()
                    digest = secret_digest(secret)
                    tracked.append((reference, secret))
                else:
                    digest = rng.getrandbits(256).to_bytes(32, "big").hex()
                decided = closed = None
                for k, (transition, _f, _to, _a) in enumerate(path):
                    if transition in ("approve", "reject"):
                        decided = submitted + step * k
                if state in ("completed", "rejected"):
                    closed = entered
                assigned = unit_staff[str(Role.BACK_OFFICE.value)] if len(path) > 1 else None
                copy.write_row(
                    (
                        submitted, entered, state, entered, is_open, case.due_date, case.step_due_date,
                        case.overall_due_date, case.alarm_due_date, "[]", reference,
                        "counter" if counter else "online", submitted,
                        pools[s.pk][rng.randrange(ANSWER_POOL)], citizen_nik_index[applicant], digest, "", "",
                        submitted if counter else None, s.fee, "en" if rng.random() < 0.1 else "id",
                        decided, closed, applicant, assigned, s.pk, s.standard_id,
                        unit_staff[str(Role.FRONT_OFFICE.value)] if counter else applicant, s.unit_id,
                        s.workflow_id,
                    )
                )  # fmt: skip
                counts[state] = counts.get(state, 0) + 1
        timings["bulk_applications_copy_s"] = time.monotonic() - t1
        out["bulk_states"] = counts

        # Timelines: one event per step of each bulk application's path, placed as above.
        t2 = time.monotonic()
        cursor.execute(
            "CREATE TEMP TABLE bench_path (state text, fee boolean, step int, n int, transition text,"
            " from_state text, to_state text, actor_kind text, note text)"
        )
        rows = []
        for (state, fee), path in paths.items():
            for k, (transition, source, target, actor) in enumerate(path):
                note = "Catatan petugas" if transition in ("return_for_correction", "reject") else ""
                rows.append((state, fee, k, len(path), transition, source, target, actor, note))
        cursor.executemany("INSERT INTO bench_path VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s)", rows)
        cursor.execute("CREATE TEMP TABLE bench_staff (unit_id bigint, role text, user_id bigint)")
        cursor.executemany(
            "INSERT INTO bench_staff VALUES (%s, %s, %s)",
            [(unit, role, uid) for unit, roles in staff.items() for role, uid in roles.items()],
        )
        cursor.execute(
            """
            INSERT INTO applications_applicationevent
                (kind, at, actor_role, transition, from_state, to_state, note, is_public, data, actor_id,
                 case_id)
            SELECT 'transition',
                   CASE WHEN p.n = 1 THEN a.submitted_at
                        ELSE a.submitted_at
                             + (a.state_entered_at - a.submitted_at) * (p.step::float8 / (p.n - 1))
                   END,
                   CASE WHEN p.actor_kind <> 'submitter' THEN p.actor_kind
                        WHEN a.channel = 'counter' THEN 'front_office' ELSE 'citizen' END,
                   p.transition, p.from_state, p.to_state, p.note, true, '{}'::jsonb,
                   CASE WHEN p.actor_kind = 'submitter' THEN a.submitted_by_id ELSE st.user_id END,
                   a.id
            FROM applications_application a
            JOIN bench_path p ON p.state = a.state AND p.fee = (a.fee_amount > 0)
            LEFT JOIN bench_staff st ON st.unit_id = a.unit_id AND st.role = p.actor_kind
            ORDER BY 2
            """
        )
        out["bulk_events"] = cursor.rowcount
        timings["bulk_events_insert_s"] = time.monotonic() - t2
        t3 = time.monotonic()
        cursor.execute("SET session_replication_role = DEFAULT")
        _create_indexes(cursor, "applications_application", app_indexes)
        _create_indexes(cursor, "applications_applicationevent", event_indexes)
        timings["rebuild_indexes_s"] = time.monotonic() - t3
        # What the FK triggers did not check during the load: check it now.
        t4 = time.monotonic()
        cursor.execute(
            """
            SELECT
              (SELECT count(*) FROM applications_application a WHERE NOT EXISTS
                 (SELECT 1 FROM accounts_user u WHERE u.id = a.applicant_id)
                 OR NOT EXISTS (SELECT 1 FROM accounts_user u WHERE u.id = a.submitted_by_id)
                 OR NOT EXISTS (SELECT 1 FROM catalog_service s
                                WHERE s.id = a.service_id AND s.unit_id = a.unit_id)
                 OR NOT EXISTS (SELECT 1 FROM workflow_storedworkflow w WHERE w.id = a.workflow_id)),
              (SELECT count(*) FROM applications_applicationevent e WHERE e.actor_id IS NULL
                 OR NOT EXISTS (SELECT 1 FROM applications_application a WHERE a.id = e.case_id))
            """
        )
        bad_apps, bad_events = cursor.fetchone()
        if bad_apps or bad_events:
            raise SystemExit(
                f"bulk rows with broken references: {bad_apps} applications, {bad_events} events"
            )
        timings["integrity_check_s"] = time.monotonic() - t4

    # Real submissions through the action (vault documents, audit, notifications), a few walked on.
    t5 = time.monotonic()
    out["real"] = real_submissions(args.real, services, tracked)
    timings["real_submissions_s"] = time.monotonic() - t5

    # The bare views' table (--bare-rows rows, as in the anchors).
    t6 = time.monotonic()
    with connection.schema_editor() as editor:
        editor.create_model(Complaint)
    with connection.cursor() as cursor:
        cursor.execute("SET synchronous_commit = off")
        cursor.execute(
            """
            INSERT INTO appbench_complaint (tracking_number, title, description, category, status,
                created_at, updated_at, reporter_name, reporter_phone, reporter_email, extra)
            SELECT 'C-' || lpad(g::text, 10, '0'), 'Jalan berlubang di depan pasar ' || g,
                   'Lubang di dekat halte makin besar selama dua minggu dan pengendara motor jatuh '
                   'di malam hari.',
                   (ARRAY['jalan','sampah','air','listrik'])[1 + g %% 4],
                   (ARRAY['submitted','in_progress','resolved','closed'])[1 + g %% 4],
                   now() - (g || ' minutes')::interval, now(), 'Warga ' || g, '081234567890',
                   'warga' || g || '@example.org', jsonb_build_object('ward', g %% 200, 'channel', 'web')
            FROM generate_series(1, %s) g
            """,
            [args.bare_rows],
        )
    timings["bare_table_s"] = time.monotonic() - t6

    t7 = time.monotonic()
    with connection.cursor() as cursor:
        cursor.execute("VACUUM (ANALYZE) applications_application, applications_applicationevent")
        cursor.execute("ANALYZE")
    timings["vacuum_analyze_s"] = time.monotonic() - t7
    out["sizes"] = table_sizes()
    out["tracked"] = tracked
    return out


def answers_with_documents(service: Any, citizen: Any, documents: dict[str, Any]) -> dict[str, Any]:
    """Complete answers to ``service``'s form; one vault document of ``citizen`` per document type,
    made once and reused (``documents`` caches them), as a citizen reuses their vault."""
    from layanan.applications.actions import ensure_service_config, form_of
    from layanan.applications.formspec import FieldKind
    from layanan.applications.tests.factories import VALID_NIK, vault_document

    answers: dict[str, Any] = {}
    for item in form_of(ensure_service_config(service)).fields():
        if item.kind == FieldKind.TEXT:
            answers[item.key] = "Siti Rahmawati"
        elif item.kind == FieldKind.NIK:
            answers[item.key] = VALID_NIK
        elif item.kind == FieldKind.PHONE:
            answers[item.key] = "081234567890"
        elif item.kind == FieldKind.ADDRESS:
            answers[item.key] = {"street": "Jl. Merdeka 1 RT 01/RW 02", "region": "33.02.01.2001"}
        elif item.kind == FieldKind.YES_NO:
            answers[item.key] = "tidak"
        elif item.kind == FieldKind.DOCUMENT and item.show_if is None:
            key = (citizen.pk, item.document_type)
            if key not in documents:
                documents[key] = vault_document(citizen, item.document_type)
            answers[item.key] = str(documents[key].public_id)
        elif item.kind == FieldKind.DECLARATION:
            answers[item.key] = "ya"
    return answers


def real_submissions(n: int, services: list[Any], tracked: list[tuple[str, str]]) -> dict[str, Any]:
    """``n`` applications through ``submit_application`` by 100 of the citizens (given an e-mail
    address, so each submission sends its notification); every 10th walked on to "approved"."""
    from layanan.accounts.models import User
    from layanan.applications.actions import submit_application, transition_application

    citizens = list(User.objects.filter(username__startswith="bench.warga.").order_by("pk")[:100])
    for citizen in citizens:
        citizen.email = f"{citizen.username}@example.org"
        citizen.save(update_fields=["email"])
    officer = User.objects.get(username="verifikator")
    head = User.objects.get(username="kepala.unit")
    online = [s.obj for s in services if s.is_online]
    unit1 = [s for s in online if s.unit_id == officer.memberships.get().unit_id]
    documents: dict[Any, Any] = {}
    walked = 0
    for i in range(n):
        service = unit1[i % len(unit1)] if i % 10 == 0 else online[i % len(online)]
        citizen = citizens[i % len(citizens)]
        submission = submit_application(
            service=service,
            applicant=citizen,
            answers=answers_with_documents(service, citizen, documents),
            actor=citizen,
        )
        tracked.append((submission.application.reference, str(submission.secret)))
        if i % 10 == 0:
            application = submission.application
            for key, actor in (("start_check", officer), ("accept_complete", officer), ("approve", head)):
                application = transition_application(application, key, actor=actor, note="Catatan petugas")
            walked += 1
    return {
        "submitted": n,
        "citizens": len(citizens),
        "vault_documents": len(documents),
        "walked_to_approved": walked,
    }


def table_sizes() -> dict[str, Any]:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT c.relname, c.reltuples::bigint, pg_table_size(c.oid), pg_indexes_size(c.oid)
            FROM pg_class c WHERE c.relname IN ('applications_application', 'applications_applicationevent',
                'audit_auditevent', 'appbench_complaint', 'accounts_user', 'django_session')
            ORDER BY 1
            """
        )
        sizes = {name: {"rows": rows, "table_mb": round(t / 2**20), "indexes_mb": round(ix / 2**20)}
                 for name, rows, t, ix in cursor.fetchall()}  # fmt: skip
        # Exact counts (reltuples is an estimate).
        cursor.execute("SELECT count(*), count(*) FILTER (WHERE is_open) FROM applications_application")
        sizes["applications_application"]["rows"], sizes["applications_application"]["open"] = (
            cursor.fetchone()
        )
        cursor.execute("SELECT count(*) FROM applications_applicationevent")
        sizes["applications_applicationevent"]["rows"] = cursor.fetchone()[0]
        return sizes


def credentials_worker(args: argparse.Namespace) -> dict[str, Any]:
    """The officer's session cookie, the API token and request bodies, the CSRF pair, checks."""
    import django

    django.setup()
    from django.test import Client

    from layanan.accounts.models import User
    from layanan.core.testing import verified_client

    officer = User.objects.get(username="verifikator")
    client = verified_client(officer)
    session = client.cookies["sessionid"].value
    anon = Client(HTTP_HOST="127.0.0.1")
    page = anon.get(TRACK_PATH)
    csrf_cookie = anon.cookies["csrftoken"].value if "csrftoken" in anon.cookies else ""
    token_match = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page.content)
    try:
        api = api_credentials()
    except ImportError as error:  # the API is not there (yet): the run skips the submission endpoint
        api = {"api_error": repr(error)}
    return {
        "session": session,
        "track_page_status": page.status_code,
        "csrf_cookie": csrf_cookie,
        "csrf_token": token_match.group(1).decode() if token_match else "",
        **api,
    }


def api_credentials() -> dict[str, Any]:
    """An API token of a citizen (with an e-mail address, a few vault documents) and one JSON body
    per online service."""
    from layanan.accounts.actions.tokens import create_api_token
    from layanan.accounts.models import User
    from layanan.catalog.models import Service

    citizen = User.objects.get(username="bench.warga.200")
    citizen.email = "bench.api@example.org"
    citizen.save(update_fields=["email"])
    _api_token, token = create_api_token(citizen, name="bench", actor=None)
    documents: dict[Any, Any] = {}
    bodies = []
    for service in Service.objects.select_related("unit").order_by("pk"):
        if service.is_online and service.adopted_standard_id is not None:
            answers = answers_with_documents(service, citizen, documents)
            bodies.append(json.dumps({"service": service.slug, "answers": answers}))
    return {"api_token": token, "api_bodies": bodies, "api_vault_documents": len(documents)}


# === Part 3: in one process (``--worker inprocess``) ==============================================


class QueryLog:
    """A database execute wrapper that keeps every statement with its parameters."""

    def __init__(self) -> None:
        self.seen: list[tuple[str, Any]] = []

    def __call__(self, execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        self.seen.append((sql, params))
        return execute(sql, params, many, context)


def inprocess_worker(args: argparse.Namespace) -> dict[str, Any]:
    """Per endpoint: SQL count, CPU and wall per request; EXPLAIN of tracking and queue; cProfile."""
    import cProfile
    import io
    import pstats

    import django

    django.setup()
    from django.db import connection
    from django.test import Client

    creds = json.loads(Path(args.creds).read_text())
    tracked = [line.split("\t") for line in Path(args.tracked).read_text().splitlines()]
    rng = random.Random(7)
    counter = iter(range(10**9))
    anon = Client(HTTP_HOST="127.0.0.1")
    staff = Client(HTTP_HOST="127.0.0.1")
    staff.cookies["sessionid"] = creds["session"]
    bodies = creds.get("api_bodies") or []
    n_complaints = args.bare_rows

    def call(name: str) -> Any:
        if name == "bare_insert":
            return anon.post("/bench/bare-insert", BARE_POST_FIELDS)
        if name == "bare_select":
            return anon.get(f"/bench/bare-select/C-{rng.randrange(1, n_complaints + 1):010d}")
        if name == "submit":
            return anon.post(
                SUBMIT_PATH,
                bodies[next(counter) % len(bodies)],
                content_type="application/json",
                headers={"Authorization": f"Bearer {creds['api_token']}",
                         "Idempotency-Key": f"inproc-{os.getpid()}-{next(counter)}"},
            )  # fmt: skip
        if name == "track":
            reference, secret = tracked[rng.randrange(len(tracked))]
            return anon.post(TRACK_PATH, {TRACK_FIELDS[0]: reference, TRACK_FIELDS[1]: secret})
        if name == "queue":
            return staff.get(QUEUE_PATH)
        if name == "queue_deep":  # a page in the middle of the unit's open cases (keyset cursor)
            return staff.get(QUEUE_PATH, {"after": deep_cursor})
        raise ValueError(name)

    deep_cursor = ""
    if "queue" in args.endpoints.split(","):
        from layanan.accounts.models import StaffMembership
        from layanan.applications.models import Application

        unit_id = StaffMembership.objects.get(user__username="verifikator").unit_id
        open_cases = Application.objects.filter(unit_id=unit_id, is_open=True).order_by("due_date", "id")
        middle = open_cases.values_list("due_date", "id")[open_cases.count() // 2]
        deep_cursor = f"{middle[0].isoformat()}_{middle[1]}"
        result_extra = {"queue_deep_cursor": deep_cursor, "queue_open_cases_in_unit": open_cases.count()}
    else:
        result_extra = {}

    result: dict[str, Any] = {"endpoints": {}, "plans": {}, "profiles": {}, **result_extra}
    names = args.endpoints.split(",")
    for name in names + (["queue_deep"] if "queue" in names else []):
        for _ in range(20):
            call(name)
        log = QueryLog()
        with connection.execute_wrapper(log):
            response = call(name)
        cpu_medians, wall_medians, walls_all = [], [], []
        for _ in range(args.passes):
            cpus, walls = [], []
            for _ in range(args.n):
                w0, c0 = time.perf_counter(), time.process_time()
                call(name)
                cpus.append((time.process_time() - c0) * 1000)
                walls.append((time.perf_counter() - w0) * 1000)
            cpu_medians.append(statistics.median(cpus))
            wall_medians.append(statistics.median(walls))
            walls_all += walls
        result["endpoints"][name] = {
            "status": response.status_code,
            "queries": len(log.seen),
            "sql": [sql for sql, _params in log.seen],
            "cpu_ms_pass_medians": cpu_medians,
            "wall_ms_pass_medians": wall_medians,
            "wall_ms_p95": percentile(walls_all, 95),
            "n": args.n,
            "passes": args.passes,
        }
        print(f"in-process {name}: {response.status_code}, {len(log.seen)} queries, "
              f"cpu {statistics.median(cpu_medians):.2f} ms, wall {statistics.median(wall_medians):.2f} ms",
              flush=True)  # fmt: skip
        if name in ("track", "queue", "queue_deep"):
            result["plans"][name] = explain(log.seen)
        if name in ("submit", "track", "queue"):
            profiler = cProfile.Profile()
            profiler.enable()
            for _ in range(args.profile_n):
                call(name)
            profiler.disable()
            text = io.StringIO()
            stats = pstats.Stats(profiler, stream=text)
            stats.sort_stats("cumulative").print_stats(45)
            stats.sort_stats("tottime").print_stats(25)
            result["profiles"][name] = {
                "requests": args.profile_n,
                "breakdown": profile_breakdown(stats, args.profile_n),
                "text": trim_profile(text.getvalue()),
            }
    return result


def explain(statements: list[tuple[str, Any]]) -> list[dict[str, Any]]:
    """EXPLAIN (ANALYZE, BUFFERS) of each SELECT, run twice (the second, warm, run is kept)."""
    from django.db import connection

    plans = []
    for sql, params in statements:
        if not sql.lstrip().upper().startswith("SELECT"):
            plans.append({"sql": sql, "plan": "(not a SELECT: not explained)"})
            continue
        with connection.cursor() as cursor:
            for _ in range(2):
                cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql, params)
                rows = cursor.fetchall()
        plans.append(
            {"sql": sql, "params": [str(p) for p in (params or [])], "plan": "\n".join(r[0] for r in rows)}
        )
    return plans


PROFILE_EXTRA = (  # (label, file suffix, function): not in layanan/ but where time goes
    ("waiting for PostgreSQL (psycopg wait)", "psycopg/connection.py", "wait"),
    ("template rendering (render_to_string)", "django/template/loader.py", "render_to_string"),
    ("file-based cache: set (lists the cache folder)", "django/core/cache/backends/filebased.py", "set"),
    ("file-based cache: add", "django/core/cache/backends/filebased.py", "add"),
    ("ninja: parse, auth, call (Operation.run)", "ninja/operation.py", "run"),
    ("transaction commit + on_commit hooks (Atomic.__exit__)", "django/db/transaction.py", "__exit__"),
    (
        "immediate task backend: notification delivered in the request",
        "django_tasks/backends/immediate.py",
        "enqueue",
    ),
)


def profile_breakdown(stats: Any, requests: int) -> list[dict[str, Any]]:
    """Cumulative ms per request of every layanan/ function (top 25) and a few framework ones."""
    rows: dict[str, tuple[float, int]] = {}
    total = 0.0
    for (filename, line, func), (_cc, nc, _tt, ct, _callers) in stats.stats.items():
        total = max(total, ct)
        if "/layanan/" in filename:
            short = filename[filename.index("/layanan/") + 1 :]
            rows[f"{short}:{line} {func}"] = (ct, nc)
        for label, suffix, wanted in PROFILE_EXTRA:
            if filename.endswith(suffix) and func == wanted:
                prev = rows.get(label, (0.0, 0))
                rows[label] = (prev[0] + ct, prev[1] + nc)
    # Wrappers of the whole request (middleware, the API's error decorator) say nothing: left out.
    ordered = [
        item for item in sorted(rows.items(), key=lambda item: -item[1][0]) if item[1][0] < 0.95 * total
    ]
    extra = {label for label, _s, _f in PROFILE_EXTRA}
    kept = [item for item in ordered if item[0] in extra] + [
        item for item in ordered if item[0] not in extra
    ][:25]
    kept.sort(key=lambda item: -item[1][0])
    out = [
        {
            "what": "whole request (profiled)",
            "ms_per_request": round(1000 * total / requests, 2),
            "calls": requests,
        }
    ]
    out += [
        {
            "what": what,
            "ms_per_request": round(1000 * ct / requests, 2),
            "calls_per_request": round(nc / requests, 1),
        }
        for what, (ct, nc) in kept
    ]
    return out


def trim_profile(text: str) -> str:
    """pstats output without its path prefixes (site-packages and the snapshot)."""
    text = re.sub(r"/[^ ]*/site-packages/", "", text)
    return re.sub(r"/[^ ]*/src/", "", text)


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    k = (len(ordered) - 1) * p / 100
    low = int(k)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (k - low)


# === Part 2: HTTP (wrk against one gunicorn) =======================================================

SUBMIT_PATH = "/api/v1/applications"
TRACK_PATH = "/lacak/"
TRACK_FIELDS = ("reference", "code")  # the tracking form's field names
TRACK_OK_MARKER = 'id="timeline"'  # only the page of a found application has its timeline
QUEUE_PATH = "/petugas/permohonan/"
QUEUE_OK_MARKER = 'href="/petugas/permohonan/Z'  # a link to a (bulk) case: rows were listed
BARE_POST_FIELDS = {
    "title": "Pothole on 5th cross road",
    "description": "The pothole near the bus stop has grown for two weeks and two-wheelers fall in it at "
    "night. Please fix before the rains.",
    "category": "roads",
    "reporter_name": "Asha K",
    "reporter_phone": "9845012345",
    "reporter_email": "asha@example.org",
    "ward": "42",
    "channel": "web",
}

LUA_COMMON = r"""
local threads = {}
function setup(thread) table.insert(threads, thread) end
ok_count = 0
function response(status, headers, body)
  if is_ok(status, body) then ok_count = ok_count + 1 end
end
function done(summary, latency, requests)
  local ok = 0
  for _, t in ipairs(threads) do ok = ok + (t:get("ok_count") or 0) end
  io.write(string.format("BENCH ok=%d p50=%d p90=%d p95=%d p99=%d max=%d mean=%.1f\n", ok,
    latency:percentile(50), latency:percentile(90), latency:percentile(95), latency:percentile(99),
    latency.max, latency.mean))
end
local function lines(path)
  local out = {}
  for line in io.lines(path) do table.insert(out, line) end
  return out
end
"""

LUA = {
    "bare_insert": r"""
wrk.method = "POST"
wrk.path = "/bench/bare-insert"
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
wrk.body = os.getenv("BENCH_BODY")
function is_ok(status, body) return status == 201 end
""",
    "bare_select": r"""
local n = tonumber(os.getenv("BENCH_N"))
function init(args) math.randomseed(os.time()) end
function request()
  return wrk.format("GET", string.format("/bench/bare-select/C-%010d", math.random(1, n)))
end
function is_ok(status, body) return status == 200 end
""",
    "submit": r"""
local bodies, counter, run = {}, 0, os.getenv("BENCH_RUN")
local path, token = os.getenv("BENCH_PATH"), os.getenv("BENCH_TOKEN")
function init(args) bodies = lines(os.getenv("BENCH_DATA")) end
function request()
  counter = counter + 1
  local headers = {["Content-Type"] = "application/json", ["Authorization"] = "Bearer " .. token,
                   ["Idempotency-Key"] = string.format("wrk-%s-%d", run, counter)}
  return wrk.format("POST", path, headers, bodies[(counter % #bodies) + 1])
end
function is_ok(status, body) return status == 201 end
""",
    "track": r"""
local pairs_, marker = {}, os.getenv("BENCH_MARKER")
local path, cookie, token = os.getenv("BENCH_PATH"), os.getenv("BENCH_COOKIE"), os.getenv("BENCH_TOKEN")
local f_ref, f_code = os.getenv("BENCH_F_REF"), os.getenv("BENCH_F_CODE")
function init(args)
  math.randomseed(os.time())
  for _, line in ipairs(lines(os.getenv("BENCH_DATA"))) do
    local ref, secret = line:match("([^\t]+)\t([^\t]+)")
    table.insert(pairs_, {ref, secret})
  end
end
function request()
  local p = pairs_[math.random(1, #pairs_)]
  local headers = {["Content-Type"] = "application/x-www-form-urlencoded",
                   ["Cookie"] = "csrftoken=" .. cookie}
  local body = "csrfmiddlewaretoken=" .. token .. "&" .. f_ref .. "=" .. p[1] .. "&" .. f_code .. "=" .. p[2]
  return wrk.format("POST", path, headers, body)
end
function is_ok(status, body) return status == 200 and body:find(marker, 1, true) ~= nil end
""",
    "queue": r"""
wrk.method = "GET"
wrk.path = os.getenv("BENCH_PATH")
wrk.headers["Cookie"] = "sessionid=" .. os.getenv("BENCH_SESSION")
local marker = os.getenv("BENCH_MARKER")
function is_ok(status, body) return status == 200 and body:find(marker, 1, true) ~= nil end
""",
}


def parse_bench_line(out: str) -> dict[str, float]:
    match = re.search(r"^BENCH (.*)$", out, re.M)
    if not match:
        return {}
    values = dict(item.split("=") for item in match.group(1).split())
    us = {k: float(v) for k, v in values.items()}
    return {
        "ok": int(us["ok"]),
        **{f"{k}_ms": round(us[k] / 1000, 2) for k in ("p50", "p90", "p95", "p99", "max", "mean")},
    }


class Http:
    """wrk runs against the one server: scripts, data files, environment per endpoint."""

    def __init__(
        self, tmp: Path, base: str, pgid: int, creds: dict[str, Any], tracked_file: Path, n: int
    ) -> None:
        from urllib.parse import urlencode

        self.base, self.pgid, self.tmp = base, pgid, tmp
        bodies = tmp / "submit_bodies.txt"
        bodies.write_text("\n".join(creds.get("api_bodies") or ["{}"]) + "\n")
        common = {"BENCH_RUN": "0"}
        self.env = {
            "bare_insert": {**common, "BENCH_BODY": urlencode(BARE_POST_FIELDS)},
            "bare_select": {**common, "BENCH_N": str(n)},
            "submit": {**common, "BENCH_DATA": str(bodies), "BENCH_PATH": SUBMIT_PATH,
                       "BENCH_TOKEN": str(creds.get("api_token", ""))},
            "track": {**common, "BENCH_DATA": str(tracked_file), "BENCH_PATH": TRACK_PATH,
                      "BENCH_COOKIE": creds["csrf_cookie"], "BENCH_TOKEN": creds["csrf_token"],
                      "BENCH_F_REF": TRACK_FIELDS[0], "BENCH_F_CODE": TRACK_FIELDS[1],
                      "BENCH_MARKER": TRACK_OK_MARKER},
            "queue": {**common, "BENCH_PATH": QUEUE_PATH, "BENCH_SESSION": creds["session"],
                      "BENCH_MARKER": QUEUE_OK_MARKER},
        }  # fmt: skip
        self.scripts = {}
        for name, body in LUA.items():
            path = tmp / f"{name}.lua"
            path.write_text(LUA_COMMON + body)
            self.scripts[name] = path
        self.runs = 0

    def run(self, name: str, conns: int, secs: int) -> tuple[dict[str, Any], str]:
        """One wrk run with the CPU accounting of bench/serve_matrix.py."""
        import resource

        self.runs += 1
        env = {**os.environ, **self.env[name], "BENCH_RUN": f"{os.getpid()}-{self.runs}"}
        cmd = [*sm.NICE, "wrk", "-t1", f"-c{conns}", f"-d{secs}s", "--timeout", "10s", "--latency",
               "-s", str(self.scripts[name]), self.base]  # fmt: skip
        children0 = resource.getrusage(resource.RUSAGE_CHILDREN)
        box0 = sm.box_ticks()
        ours0, pg0 = sm.proc_ticks(self.pgid)
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
        ours1, pg1 = sm.proc_ticks(self.pgid)
        children1 = resource.getrusage(resource.RUSAGE_CHILDREN)
        if proc.returncode:
            raise RuntimeError(f"wrk failed: {stderr.strip()}")
        result: dict[str, Any] = dict(sm.parse_wrk(stdout))
        result.update(parse_bench_line(stdout))
        hz = os.sysconf("SC_CLK_TCK")
        total = max(1, box1[1] - box0[1])
        wrk_ticks = (children1.ru_utime + children1.ru_stime - children0.ru_utime - children0.ru_stime) * hz
        busy = box1[0] - box0[0]
        server, pg = ours1 - ours0, pg1 - pg0
        result["ok_rps"] = round(
            float(result["rps"]) * int(result.get("ok", 0)) / max(1, int(result["requests"])), 1
        )
        result["box_busy_pct"] = round(100 * busy / total, 1)
        result["server_cpu_pct"] = round(100 * server / total, 1)
        result["wrk_cpu_pct"] = round(100 * wrk_ticks / total, 1)
        result["pg_cpu_pct"] = round(100 * pg / total, 1)
        result["other_cpu_pct"] = round(max(0.0, 100 * (busy - server - wrk_ticks - pg) / total), 1)
        requests = max(1, int(result["requests"]))
        result["server_cpu_ms_per_req"] = round(1000 * server / hz / requests, 3)
        result["pg_cpu_ms_per_req"] = round(1000 * pg / hz / requests, 3)
        return result, stdout

    def measure(self, name: str, conns: int, secs: int) -> tuple[dict[str, Any], list[dict[str, Any]]]:
        """Drain, run; again (3 tries at most) while other processes took > 15 % of the box."""
        attempts = []
        for attempt in range(1, sm.ATTEMPTS + 1):
            waited = sm.drain()
            result, raw = self.run(name, conns, secs)
            result.update(attempt=attempt, drain_s=round(waited, 1), raw=raw)
            attempts.append(result)
            if float(result["other_cpu_pct"]) <= sm.OTHER_LIMIT:
                break
        best = min(attempts, key=lambda r: float(r["other_cpu_pct"]))
        return best, attempts


# === Orchestration =================================================================================


def reset_db(drop_only: bool = False) -> None:
    import psycopg

    with psycopg.connect(PG_ADMIN_URL, autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {DB_NAME} WITH (FORCE)")
        if not drop_only:
            conn.execute(f"CREATE DATABASE {DB_NAME}")


def pg_facts() -> dict[str, Any]:
    import psycopg

    names = ("server_version", "shared_buffers", "effective_cache_size", "work_mem", "max_connections",
             "synchronous_commit", "random_page_cost", "jit")  # fmt: skip
    with psycopg.connect(PG_ADMIN_URL) as conn:
        return {n: conn.execute(f"SHOW {n}").fetchone()[0] for n in names}  # type: ignore[index]


def machine() -> dict[str, Any]:
    cpu = ""
    with contextlib.suppress(OSError), open("/proc/cpuinfo") as fh:
        cpu = next((line.split(":", 1)[1].strip() for line in fh if line.startswith("model name")), "")
    mem = ""
    with contextlib.suppress(OSError), open("/proc/meminfo") as fh:
        mem = fh.readline().split(":", 1)[1].strip()
    versions = {}
    for pkg in ("django", "gunicorn", "psycopg", "ninja"):
        with contextlib.suppress(Exception):
            from importlib.metadata import version

            versions[pkg] = version("django-ninja" if pkg == "ninja" else pkg)
    wrk_version = subprocess.run(["wrk", "--version"], capture_output=True, text=True).stdout.split("\n")[0]
    return {
        "nproc": os.cpu_count(),
        "cpu": cpu,
        "mem": mem,
        "kernel": platform.release(),
        "python": platform.python_version(),
        "packages": versions,
        "wrk": wrk_version.strip(),
        "postgres": pg_facts(),
        "loadavg_start": os.getloadavg(),
    }


def run_worker(env: dict[str, str], tmp: Path, name: str, *extra: str) -> dict[str, Any]:
    """Run ``--worker name`` in the snapshot; its JSON result comes back through a file."""
    result = tmp / f"{name}.json"
    log = tmp / "logs" / f"{name}.log"
    cmd = [*sm.NICE, sys.executable, str(Path(env["PYTHONPATH"]) / "applications.py"),
           "--worker", name, "--result", str(result), *extra]  # fmt: skip
    with (
        open(log, "ab") as fh,
        subprocess.Popen(
            cmd, env=env, cwd=env["PYTHONPATH"], stdout=fh, stderr=fh, start_new_session=True
        ) as child,
    ):
        sm.boost(child.pid)
        if child.wait():
            tail = log.read_text(errors="replace").splitlines()[-25:]
            raise SystemExit(f"worker {name} failed; {log} ends:\n" + "\n".join(tail))
    return json.loads(result.read_text())


def manage(env: dict[str, str], *args: str) -> None:
    subprocess.run([sys.executable, "-m", "layanan.cli", *args], env=env, check=True, cwd=env["PYTHONPATH"],
                   stdout=subprocess.DEVNULL)  # fmt: skip


def start_server(env: dict[str, str], port: int, log: Path) -> subprocess.Popen[bytes]:
    """The `make run` server: gunicorn, sync workers, 2 x cores + 1 (no access log)."""
    cmd = [str(Path(sys.executable).with_name("gunicorn")), "layanan.wsgi:application",
           "--worker-class", "sync",
           "--workers", str(WORKERS), "--bind", f"127.0.0.1:{port}", "--forwarded-allow-ips=127.0.0.1",
           "--no-control-socket"]  # fmt: skip
    fh = open(log, "ab")  # noqa: SIM115 - closed with the process
    proc = subprocess.Popen(
        [*sm.NICE, *cmd], env=env, cwd=env["PYTHONPATH"], stdout=fh, stderr=fh, start_new_session=True
    )
    sm.boost(proc.pid)
    return proc


def fmt_range(values: list[float], digits: int = 0) -> str:
    med = statistics.median(values)
    if len(values) == 1:
        return f"{med:,.{digits}f}"
    return f"{med:,.{digits}f} ({min(values):,.{digits}f}–{max(values):,.{digits}f})"


def summarize(report: dict[str, Any]) -> str:
    runs = report["runs"]
    lines = [
        "| endpoint | conns | runs | req/s median (min–max) | successful req/s | p50 ms | p95 ms | p99 ms "
        "| failed answers | server CPU ms/req | PostgreSQL CPU ms/req | other CPU % (max) |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for conns in report["args"]["conns"]:
        for name in report["endpoints"]:
            sub = [r for r in runs if r["endpoint"] == name and r["conns"] == conns]
            if not sub:
                continue
            med = {k: statistics.median(float(r[k]) for r in sub) for k in ("p50_ms", "p95_ms", "p99_ms")}
            failed = sum(int(r["requests"]) - int(r.get("ok", 0)) for r in sub)
            lines.append(
                f"| {name} | {conns} | {len(sub)} | {fmt_range([float(r['rps']) for r in sub])} "
                f"| {fmt_range([float(r['ok_rps']) for r in sub])} "
                f"| {med['p50_ms']:.1f} | {med['p95_ms']:.1f} | {med['p99_ms']:.1f} | {failed} "
                f"| {fmt_range([float(r['server_cpu_ms_per_req']) for r in sub], 2)} "
                f"| {fmt_range([float(r['pg_cpu_ms_per_req']) for r in sub], 2)} "
                f"| {max(float(r['other_cpu_pct']) for r in sub):.1f} |"
            )
    lines += ["", "| ratio (same rep, same server) | conns | per rep | median (min–max) | target | verdict |",
              "|---|---:|---|---:|---:|---|"]  # fmt: skip
    for ratio in report["ratios"]:
        lines.append(
            f"| {ratio['name']} | {ratio['conns']} | {', '.join(f'{v:.2f}' for v in ratio['values'])} "
            f"| {fmt_range(ratio['values'], 2)} | ≥ {ratio['target']:.2f} | {ratio['verdict']} |"
        )
    queue = report.get("queue_p95")
    if queue:
        lines += [
            "",
            "| queue page p95 | conns | per rep (ms) | median | target | verdict |",
            "|---|---:|---|---:|---:|---|",
        ]
        for row in queue:
            lines.append(
                f"| `{QUEUE_PATH}` | {row['conns']} | {', '.join(f'{v:.1f}' for v in row['values'])} "
                f"| {statistics.median(row['values']):.1f} | < {TARGETS['queue_p95_ms']:.0f} "
                f"| {row['verdict']} |"
            )
    inproc = report.get("inprocess", {}).get("endpoints", {})
    if inproc:
        lines += ["", "| in process | status | SQL queries | CPU ms median (min–max) "
                  "| wall ms median (min–max) | wall p95 ms | n × passes |",
                  "|---|---:|---:|---:|---:|---:|---|"]  # fmt: skip
        for name, r in inproc.items():
            lines.append(
                f"| {name} | {r['status']} | {r['queries']} | {fmt_range(r['cpu_ms_pass_medians'], 2)} "
                f"| {fmt_range(r['wall_ms_pass_medians'], 2)} | {r['wall_ms_p95']:.2f} "
                f"| {r['n']} × {r['passes']} |"
            )
    return "\n".join(lines)


def plans_markdown(report: dict[str, Any]) -> str:
    rows = report["setup"]["sizes"].get("applications_application", {}).get("rows")
    out = [f"# EXPLAIN (ANALYZE, BUFFERS) at {rows:,} applications ({report['date']})", "",
           "Every SELECT that one request issues, in order, explained with its own parameters (second,"
           " warm run). Written by `bench/applications.py`.", ""]  # fmt: skip
    for name, plans in report.get("inprocess", {}).get("plans", {}).items():
        out += [f"## {name}", ""]
        for i, p in enumerate(plans, 1):
            out += [f"### {name} query {i}", "", "```sql", p["sql"], "```", ""]
            if p.get("params"):
                out += [f"Parameters: `{p['params']}`", ""]
            out += ["```", p["plan"], "```", ""]
    return "\n".join(out)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--apps", type=int, default=1_000_000)
    parser.add_argument("--real", type=int, default=300)
    parser.add_argument("--reps", type=int, default=3)
    parser.add_argument("--secs", type=int, default=10)
    parser.add_argument("--conns", default="1,16")
    parser.add_argument("--endpoints", default=",".join(ENDPOINTS))
    parser.add_argument("--port", type=int, default=8791)
    parser.add_argument("--n", type=int, default=150, help="in-process requests per pass")
    parser.add_argument("--passes", type=int, default=3)
    parser.add_argument("--profile-n", type=int, default=100)
    parser.add_argument(
        "--out-prefix", default=str(ROOT / "bench" / "results" / f"applications-{time.strftime('%Y-%m-%d')}")
    )
    parser.add_argument("--code", help="measure the layanan/ of this directory (default: the repository)")
    parser.add_argument("--drain-max", type=float, default=8.0, help="longest wait for an idle box (s)")
    parser.add_argument("--attempts", type=int, default=1, help="runs per cell at most (disturbed: again)")
    parser.add_argument("--low-secs", type=int, default=5, help="seconds of the runs at 1 connection")
    parser.add_argument("--bare-rows", type=int, default=100_000, help="rows of the bare views' table")
    parser.add_argument(
        "--env",
        action="append",
        default=[],
        metavar="KEY=VALUE",
        help="environment of the server (a variant)",
    )
    parser.add_argument("--reuse", metavar="DIR", help="the temp dir of a --keep-db run: no set-up")
    parser.add_argument("--keep-db", action="store_true", help="keep layanan_apps_bench and the temp dir")
    parser.add_argument("--nice", type=int, default=-10 if os.geteuid() == 0 else 0)
    parser.add_argument("--worker", choices=["setup", "credentials", "inprocess"], help=argparse.SUPPRESS)
    parser.add_argument("--result", help=argparse.SUPPRESS)
    parser.add_argument("--creds", help=argparse.SUPPRESS)
    parser.add_argument("--tracked", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        work = {"setup": setup_worker, "credentials": credentials_worker, "inprocess": inprocess_worker}
        Path(args.result).write_text(json.dumps(work[args.worker](args), default=str))
        return
    signal.signal(signal.SIGTERM, signal.default_int_handler)
    if shutil.which("wrk") is None:
        sys.exit("wrk is not installed (apt-get install wrk)")
    if not sm.port_free(args.port):
        sys.exit(f"port {args.port} is in use; pick another with --port")
    sm.DRAIN_MAX = args.drain_max
    sm.ATTEMPTS = args.attempts
    if args.nice:
        sm.NICE[:] = ["nice", "-n", str(args.nice)]
    conns = [int(c) for c in args.conns.split(",")]
    endpoints = [e for e in args.endpoints.split(",") if e]
    started = time.monotonic()
    report: dict[str, Any] = {
        "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
        "command": "bench/applications.py " + " ".join(sys.argv[1:]),
        "args": {**vars(args), "conns": conns},
        "workers": WORKERS,
        "machine": machine(),
        "endpoints": endpoints,
    }
    if args.reuse:  # the database and snapshot a run kept with --keep-db: no set-up
        tmp = Path(args.reuse)
        src = tmp / "src"
        args.keep_db = True
        print(f"reusing {tmp} and database {DB_NAME}", flush=True)
    else:
        tmp = Path(tempfile.mkdtemp(prefix="layanan-apps-"))
        src = tmp / "src"
        code = Path(args.code) if args.code else ROOT
        shutil.copytree(code / "layanan", src / "layanan", ignore=shutil.ignore_patterns("__pycache__"))
        shutil.copytree(HERE / "appbench", src / "appbench", ignore=shutil.ignore_patterns("__pycache__"))
        for name in ("applications.py", "serve_matrix.py"):
            shutil.copy(HERE / name, src / name)
        (tmp / "logs").mkdir()
        print(f"snapshot of layanan/ and bench/ in {src} at {report['date']}", flush=True)
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE")}
    env.update(PYTHONPATH=str(src), PYTHONUNBUFFERED="1", DJANGO_SETTINGS_MODULE="appbench.settings",
               LAYANAN_VAR_DIR=str(tmp / "var"), LAYANAN_ENV="development", DEBUG="0", LOG_LEVEL="WARNING",
               DATABASE_URL=PG_URL)  # fmt: skip
    overrides = dict(item.split("=", 1) for item in args.env)
    env.update(overrides)
    report["env_overrides"] = overrides
    proc = None
    try:
        tracked_file = tmp / "tracked.tsv"
        if args.reuse:
            setup = json.loads((tmp / "setup.json").read_text())
            setup.pop("tracked", None)
            setup["reused_from"] = str(tmp)
            creds = json.loads((tmp / "creds.json").read_text())
        else:
            t0 = time.monotonic()
            reset_db()
            manage(env, "migrate", "--noinput", "--verbosity", "0")
            manage(env, "load_demo", "--skip-holidays")
            manage(env, "collectstatic", "--noinput", "--verbosity", "0")
            prepare_s = time.monotonic() - t0
            print(f"migrate + load_demo + collectstatic: {prepare_s:.1f} s", flush=True)
            t1 = time.monotonic()
            setup = run_worker(
                env, tmp, "setup", "--apps", str(args.apps), "--real", str(args.real),
                "--bare-rows", str(args.bare_rows),
            )  # fmt: skip
            setup["timings"]["migrate_demo_collectstatic_s"] = prepare_s
            setup["timings"]["setup_total_s"] = time.monotonic() - t1
            tracked_file.write_text("".join(f"{ref}\t{secret}\n" for ref, secret in setup.pop("tracked")))
            print(
                f"set-up {setup['timings']['setup_total_s']:.0f} s: {json.dumps(setup['timings'])}",
                flush=True,
            )
            print(f"sizes: {json.dumps(setup['sizes'])}", flush=True)
            creds = run_worker(env, tmp, "credentials")
            (tmp / "creds.json").write_text(json.dumps(creds))
        report["setup"] = setup
        if not creds.get("api_token") and "submit" in endpoints:
            endpoints.remove("submit")
            print("no API token: submission endpoint skipped", flush=True)
        proc = start_server(env, args.port, tmp / "logs" / "gunicorn.log")
        base = f"http://127.0.0.1:{args.port}"
        if not sm.wait_ready(f"{base}/healthz"):
            raise SystemExit("gunicorn did not come up: see " + str(tmp / "logs" / "gunicorn.log"))
        http = Http(tmp, base, proc.pid, creds, tracked_file, args.bare_rows)
        # Wake every worker (the first request of a worker loads templates and code lazily).
        subprocess.run(
            ["wrk", "-t1", "-c10", "-d5s", "--timeout", "10s", f"{base}/healthz"], capture_output=True
        )
        for name in endpoints:  # check and warm up: every answer must be a success
            result, raw = http.run(name, 4, 3)
            if not result["requests"]:  # a slow start on a busy box: once more
                result, raw = http.run(name, 4, 5)
            if int(result.get("ok", 0)) != int(result["requests"]) or not result["requests"]:
                raise SystemExit(
                    f"{name}: {result.get('ok')} of {result['requests']} answers were successes:\n{raw}"
                )
            print(
                f"warm-up {name}: {result['rps']:.0f} req/s, all {result['requests']} successful", flush=True
            )
        runs: list[dict[str, Any]] = []
        for rep in range(1, args.reps + 1):
            shift = (rep - 1) % len(endpoints)
            for c in conns:
                for name in endpoints[shift:] + endpoints[:shift]:
                    best, attempts = http.measure(name, c, args.low_secs if c == 1 else args.secs)
                    for r in attempts:
                        r.update(rep=rep, conns=c, endpoint=name, kept=int(r is best))
                    runs.append(best)
                    report.setdefault("all_attempts", []).extend(attempts)
                    print(f"rep{rep} c={c:<3d} {name:12s} {best['rps']:8.1f} req/s"
                          f" ok {best['ok']:6d}/{best['requests']:<6d}"
                          f" p50 {best['p50_ms']:7.1f} p95 {best['p95_ms']:7.1f} p99 {best['p99_ms']:7.1f} ms"
                          f" server {best['server_cpu_ms_per_req']:.2f} ms/req"
                          f" pg {best['pg_cpu_ms_per_req']:.2f} other {best['other_cpu_pct']}%"
                          f" tries {len(attempts)}", flush=True)  # fmt: skip
        report["runs"] = [{k: v for k, v in r.items() if k != "raw"} for r in runs]
        report["raw_wrk"] = [
            f"### rep={r['rep']} conns={r['conns']} endpoint={r['endpoint']} "
            f"attempt={r['attempt']} kept={r['kept']}\n{r['raw']}"
            for r in report.pop("all_attempts")
        ]
        sm.stop_server(proc)
        proc = None
        report["server_log_tail"] = (
            (tmp / "logs" / "gunicorn.log").read_text(errors="replace").splitlines()[-20:]
        )
        # Ratios within one rep (same server, same minutes) and the queue verdict.
        report["ratios"] = []
        for name, anchor in (("submit", "bare_insert"), ("track", "bare_select")):
            if name not in endpoints:
                continue
            for c in conns:
                values = []
                for rep in range(1, args.reps + 1):
                    mine = [r for r in runs if r["rep"] == rep and r["conns"] == c and r["endpoint"] == name]
                    ref = [r for r in runs if r["rep"] == rep and r["conns"] == c and r["endpoint"] == anchor]
                    if mine and ref and ref[0]["ok_rps"]:
                        values.append(mine[0]["ok_rps"] / ref[0]["ok_rps"])
                target = TARGETS[name]
                verdict = "met" if statistics.median(values) >= target else "missed"
                report["ratios"].append({"name": f"{name} / {anchor}", "conns": c, "values": values,
                                         "target": target, "verdict": verdict})  # fmt: skip
        if "queue" in endpoints:
            report["queue_p95"] = []
            for c in conns:
                values = [float(r["p95_ms"]) for r in runs if r["endpoint"] == "queue" and r["conns"] == c]
                verdict = "met" if statistics.median(values) < TARGETS["queue_p95_ms"] else "missed"
                report["queue_p95"].append({"conns": c, "values": values, "verdict": verdict})
        print("in-process measurements ...", flush=True)
        sm.drain()
        report["inprocess"] = run_worker(
            env,
            tmp,
            "inprocess",
            "--bare-rows",
            str(args.bare_rows),
            "--creds",
            str(tmp / "creds.json"),
            "--tracked",
            str(tracked_file),
            "--endpoints",
            ",".join(endpoints),
            "--n",
            str(args.n),
            "--passes",
            str(args.passes),
            "--profile-n",
            str(args.profile_n),
        )
        report["machine"]["loadavg_end"] = os.getloadavg()
        report["total_s"] = round(time.monotonic() - started)
        out = Path(args.out_prefix)
        out.parent.mkdir(parents=True, exist_ok=True)
        table = summarize(report)
        md = [f"# Applications benchmark, {report['date']}", "", f"Command: `{report['command']}`", "",
              f"Machine: {json.dumps(report['machine'])}", "", f"Set-up: {json.dumps(report['setup'])}", "",
              table, ""]  # fmt: skip
        for name, prof in report["inprocess"].get("profiles", {}).items():
            md += [
                f"## cProfile: {name} ({prof['requests']} requests in process)",
                "",
                "```",
                prof["text"],
                "```",
                "",
            ]
        out.with_suffix(".md").write_text("\n".join(md))
        Path(f"{out}-plans.md").write_text(plans_markdown(report))
        out.with_suffix(".json").write_text(json.dumps(report, indent=1, default=str))
        print(
            "\n" + table + f"\n\nwritten: {out}.json, {out}.md, {out}-plans.md; total {report['total_s']} s"
        )
    finally:
        if proc is not None:
            sm.stop_server(proc)
        if not args.keep_db:
            reset_db(drop_only=True)
            shutil.rmtree(tmp, ignore_errors=True)
        else:
            print(f"kept database {DB_NAME} and {tmp}")


if __name__ == "__main__":
    main()

"""Usage: .venv/bin/python bench/skm.py [--responses 1000000] [--noise 1000000] [--reps 20]
        [--invitations <1.2 x responses>] [--noise-invitations <1.2 x noise>] [--year 2025]
        [--agency disdukcapil-banyumas] [--unit pendaftaran-penduduk] [--session-set jit=off ...]
        [--extra-sql 'CREATE INDEX …' ...]
        [--analyze-only] [--code-rev HEAD] [--out-prefix bench/results/skm-<date>] [--keep-db] [--reuse]

Issue 6's acceptance: the IKM (satisfaction index, Permen PANRB 14/2017) of one unit-year with
1,000,000 responses in PostgreSQL in under 1 second.

1. Set-up (a throwaway PostgreSQL database ``layanan_skm_bench`` on 127.0.0.1:5432, dropped and
   created): ``migrate``, ``load_demo --skip-holidays``; the unit --unit of the demo (Disdukcapil's
   *Loket Pendaftaran Penduduk* by default) is the one measured. Then, with one
   ``INSERT … SELECT … FROM generate_series`` each, in date order (units interleaved within a
   day, as they arrive):
   * --responses responses for that unit in --year, plus --noise responses elsewhere: one share
     for the same unit in the years before and after, the rest over the other demo units in the
     three years. Answers 1–4 per element with a distribution of its own (about 3 % blanks per
     element, the waiting time the weakest, the fee the best), profile values from the model's
     choices (about 10 % not given), channel, a service of the unit (none for the general link),
     0.5 % published suggestions (1 % written; the ciphertext is one real ``EncryptedTextField``
     value, reused);
   * 1.2 invitations per response (--invitations for the unit-year, --noise-invitations
     elsewhere, spread like the noise), unique ``source_key`` and ``token_digest`` (SHA-256 of the
     series number), the answered flag at the unit-year's response rate.
   Then ``VACUUM (ANALYZE)`` of the two tables: the steady state autovacuum gives a table after a
   bulk load. ``--analyze-only`` measures the state right after the load instead (``ANALYZE``
   only, autovacuum off on the two tables, so the visibility map is empty).
2. In-process, Django configured against that database (``DEBUG`` off, ``CACHE_URL=locmem://``),
   every item timed with ``time.perf_counter``: one *first* call of each item on a new database
   connection (the connection set-up included; PostgreSQL's and the OS's caches are not emptied,
   so it is a first-call figure, not a cold-disk one), then rounds that call every item once,
   interleaved, so that others' load on a shared box touches all items alike. Before each round
   the box is drained (``serve_matrix.drain``, 30 s at most) and its idle share over one second
   recorded; rounds go on until --reps of them started on a quiet box (>= 80 % idle), 3 x --reps
   rounds at most. p50, p95, max in ms over the quiet rounds, and over all rounds (the others
   included: the box is shared).
   (a) ``queries.tallies(unit_scope(unit), Period(year))``; (a0) the same SQL through a bare
   cursor; (b) ``queries.figures(unit_scope(unit), Period(year), weighting="permen")``: the IKM with
   the population (invitations of the period) and the minimum sample, what the acceptance means;
   (c) ``scoring.score`` on the tallies (pure Python); (d) tallies and figures for the unit's
   agency and for its region (code prefix); (e) ``report_view(unit, Period(year), None)``: every
   read of the draft report page, with the time of each of its queries; (f) the third quarter;
   (g) ``overview`` of every demo unit for the year.
3. ``EXPLAIN (ANALYZE, BUFFERS)`` of every query of (b) and of the agency and region tallies
   (the SQL as Django sent it); table and index sizes.
4. Cross-check: the per-element sums by a plain ``SELECT SUM(…), COUNT(…)`` equal the tallies;
   the IKM of (b) equals ``scoring.score`` of those sums; the respondents and invitations of the
   unit-year are exactly what was inserted.

Results: ``<out-prefix>.json`` (every sample, plans, sizes, set-up timings, machine) and
``<out-prefix>.md``; a summary is printed. The database is dropped at the end unless --keep-db.
``--reuse`` measures a kept database again without the set-up (give the sizes it was made with).
``--code-rev REV`` measures layanan/ of a git revision instead of a copy of the work tree (taken
at the start either way). ``--extra-sql STATEMENT`` runs a statement (a proposed index, say)
after the set-up, then ``VACUUM (ANALYZE)``. ``--session-set name=value`` runs ``SET`` on every
connection (e.g. ``jit=off``, ``max_parallel_workers_per_gather=0``). The field-encryption key
is a fixed bench-only key.
Needs: PostgreSQL on 127.0.0.1:5432 (trust auth), about 2 GB of disk for the default sizes.
"""

from __future__ import annotations

import argparse
import base64
import contextlib
import datetime
import hashlib
import importlib.util
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
# bench/ itself is not put on sys.path: a script there named like a standard module (queue.py)
# would shadow it (psycopg imports ``queue``). The helper is loaded from its file instead.
sys.path[:] = [entry for entry in sys.path if Path(entry or ".").resolve() != HERE]
_spec = importlib.util.spec_from_file_location("serve_matrix", HERE / "serve_matrix.py")
assert _spec is not None
assert _spec.loader is not None
sm = importlib.util.module_from_spec(_spec)  # bench/ helper: /proc CPU accounting, drain
_spec.loader.exec_module(sm)

DB_NAME = "layanan_skm_bench"
PG_ADMIN_URL = "postgresql://postgres@127.0.0.1:5432/postgres"
PG_URL = f"postgres://postgres@127.0.0.1:5432/{DB_NAME}"
TARGET_MS = 1000.0
BENCH_FIELD_KEY = "bench:" + base64.urlsafe_b64encode(hashlib.sha256(b"layanan skm bench").digest()).decode()

# Per element: how many answers of 100 are blank, 1, 2, 3, 4 (about 3 % blank each).
ANSWERS: dict[str, tuple[int, int, int, int, int]] = {
    "persyaratan": (3, 3, 12, 52, 30),
    "prosedur": (3, 4, 14, 52, 27),
    "waktu": (3, 8, 22, 45, 22),
    "biaya": (3, 1, 4, 30, 62),
    "produk": (3, 3, 10, 55, 29),
    "kompetensi": (3, 2, 10, 53, 32),
    "perilaku": (3, 2, 8, 50, 37),
    "sarana": (3, 6, 18, 50, 23),
    "pengaduan": (3, 5, 16, 51, 25),
}
# Profile answers (weights; "" = not given, about 10 %).
PROFILE: dict[str, dict[str, int]] = {
    "sex": {"": 10, "L": 44, "P": 46},
    "age_band": {"": 10, "u20": 6, "20-29": 22, "30-39": 24, "40-49": 19, "50-59": 13, "60+": 6},
    "education": {"": 10, "sd": 9, "smp": 13, "sma": 38, "d1-d3": 8, "d4-s1": 18, "s2": 3, "s3": 1},
    "occupation": {
        "": 10,
        "pns": 8,
        "tni": 1,
        "polri": 1,
        "swasta": 30,
        "wirausaha": 25,
        "pelajar": 10,
        "lainnya": 15,
    },
}
CHANNELS = {"application": 40, "counter": 35, "queue": 20, "unit_link": 5}
SOURCES = {"application": 45, "counter": 35, "queue": 20}
SUGGESTIONS = {"none": 990, "pending": 2, "hidden": 3, "published": 5}
PUBLISHED_TEXTS = [
    "Antrean pagi terlalu panjang, mohon tambah loket.",
    "Petugas ramah dan cepat, terima kasih.",
    "Ruang tunggu panas, kipas angin perlu ditambah.",
    "Informasi persyaratan di website kurang lengkap.",
    "Parkir motor sempit pada hari Senin.",
]
SECRET_SUGGESTION = "Antrean pagi terlalu panjang, saya Budi 0812-0000-0000."


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    k = (len(ordered) - 1) * p / 100
    low = int(k)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (k - low)


def weighted_array(
    weights: dict[str, int] | tuple[int, ...], values: tuple[Any, ...] | None = None
) -> list[Any]:
    """A lookup array: each value repeated by its weight; pick with ``arr[1 + floor(random() * len)]``."""
    if isinstance(weights, dict):
        return [value for value, weight in weights.items() for _ in range(weight)]
    assert values is not None
    return [value for value, weight in zip(values, weights, strict=True) for _ in range(weight)]


def pick(array_param: str, length: int, cast: str = "text[]") -> str:
    """SQL: a random element of the array parameter ``array_param`` (``length`` elements)."""
    return f"(%({array_param})s::{cast})[1 + floor(random() * {length})::int]"


# === Set-up ==========================================================================================


def fill(args: argparse.Namespace, unit: Any, units: list[Any]) -> dict[str, Any]:
    """Insert the responses and invitations with SQL (see the module docstring)."""
    from django.db import connection, transaction

    from layanan.catalog.models import Service
    from layanan.survey.elements import ELEMENT_KEYS
    from layanan.survey.models import SurveyResponse

    cipher = SurveyResponse._meta.get_field("suggestion").get_prep_value(SECRET_SUGGESTION)
    year = args.year
    days = (datetime.date(year + 1, 1, 1) - datetime.date(year, 1, 1)).days
    ordered = [unit, *[other for other in units if other.pk != unit.pk]]
    services: dict[int, list[int]] = {}
    for unit_id, service_id in Service.objects.values_list("unit_id", "id").order_by("id"):
        services.setdefault(unit_id, []).append(service_id)

    params: dict[str, Any] = {
        "n": args.responses,
        "noise": args.noise,
        "inv": args.invitations,
        "inv_noise": args.noise_invitations,
        "nunits": len(ordered),
        "year": year,
        "days": days,
        "answered": args.responses / max(1, args.invitations),
        "cipher": cipher,
        "channels": weighted_array(CHANNELS),
        "sources": weighted_array(SOURCES),
        "statuses": weighted_array(SUGGESTIONS),
        "texts": PUBLISHED_TEXTS,
    }
    answer_cols = []
    for key in ELEMENT_KEYS:
        array = weighted_array(ANSWERS[key], (None, 1, 2, 3, 4))
        params[f"a_{key}"] = array
        answer_cols.append(pick(f"a_{key}", len(array), "smallint[]"))
    profile_cols = []
    for name, weights in PROFILE.items():
        params[f"p_{name}"] = weighted_array(weights)
        profile_cols.append(pick(f"p_{name}", len(params[f"p_{name}"])))

    # Noise: row g goes to unit g mod nunits (0 = the measured unit, then only in the years
    # before and after --year), in year-1, year or year+1.
    noise_year = (
        "CASE WHEN g %% %(nunits)s = 0 THEN (ARRAY[%(year)s - 1, %(year)s + 1])[1 + (g / %(nunits)s) %% 2] "
        "ELSE %(year)s - 1 + (g / %(nunits)s) %% 3 END"
    )
    random_day = "make_date(y, 1, 1) + floor(random() * (make_date(y + 1, 1, 1) - make_date(y, 1, 1)))::int"
    service_pick = "services[1 + floor(random() * coalesce(array_length(services, 1), 0))::int]"

    responses_sql = f"""
        INSERT INTO survey_surveyresponse (
            public_id, unit_id, agency_id, region_code, service_id, channel, submitted_on,
            {", ".join(ELEMENT_KEYS)},
            sex, age_band, education, occupation, suggestion, suggestion_status, published_suggestion)
        SELECT gen_random_uuid(), unit_id, agency_id, region_code,
               CASE WHEN ch = 'unit_link' THEN NULL ELSE {service_pick} END,
               ch, day,
               {", ".join(answer_cols)},
               {", ".join(profile_cols)},
               CASE WHEN st = 'none' THEN '' ELSE %(cipher)s END,
               st,
               CASE WHEN st = 'published' THEN {pick("texts", len(PUBLISHED_TEXTS))} ELSE '' END
        FROM (
            SELECT b.*,
                   {pick("channels", len(params["channels"]))} AS ch,
                   {pick("statuses", len(params["statuses"]))} AS st
            FROM (
                SELECT u.unit_id, u.agency_id, u.region_code, u.services,
                       make_date(%(year)s, 1, 1) + floor(random() * %(days)s)::int AS day
                FROM generate_series(1, %(n)s) g JOIN bench_units u ON u.k = 0
                UNION ALL
                SELECT u.unit_id, u.agency_id, u.region_code, u.services, {random_day}
                FROM (SELECT g, g %% %(nunits)s AS k, {noise_year} AS y
                      FROM generate_series(1, %(noise)s) g) x
                JOIN bench_units u ON u.k = x.k
            ) b
            OFFSET 0
        ) m
        ORDER BY day, random()
    """
    invitations_sql = f"""
        INSERT INTO survey_surveyinvitation (
            source, source_key, token_digest, unit_id, service_id, issued_on, expires_on, answered)
        SELECT src, src || ':bench-' || n,
               encode(sha256(convert_to('bench-invitation-' || n, 'UTF8')), 'hex'),
               unit_id, {service_pick}, day, day + 30, random() < %(answered)s
        FROM (
            SELECT b.*, {pick("sources", len(params["sources"]))} AS src
            FROM (
                SELECT g AS n, u.unit_id, u.services,
                       make_date(%(year)s, 1, 1) + floor(random() * %(days)s)::int AS day
                FROM generate_series(1, %(inv)s) g JOIN bench_units u ON u.k = 0
                UNION ALL
                SELECT %(inv)s + g, u.unit_id, u.services, {random_day}
                FROM (SELECT g, g %% %(nunits)s AS k, {noise_year} AS y
                      FROM generate_series(1, %(inv_noise)s) g) x
                JOIN bench_units u ON u.k = x.k
            ) b
            OFFSET 0
        ) m
        ORDER BY day, random()
    """
    timings: dict[str, float] = {}
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL work_mem = '256MB'")
        cursor.execute(
            "CREATE TEMP TABLE bench_units (k int PRIMARY KEY, unit_id bigint, agency_id bigint, "
            "region_code text, services bigint[]) ON COMMIT DROP"
        )
        for k, each in enumerate(ordered):
            cursor.execute(
                "INSERT INTO bench_units VALUES (%s, %s, %s, %s, %s)",
                [k, each.pk, each.agency_id, each.region_id, services.get(each.pk, [])],
            )
        started = time.monotonic()
        cursor.execute(responses_sql, params)
        timings["responses_s"] = time.monotonic() - started
        print(f"  {cursor.rowcount:,} responses in {timings['responses_s']:.0f} s", flush=True)
        started = time.monotonic()
        cursor.execute(invitations_sql, params)
        timings["invitations_s"] = time.monotonic() - started
        print(f"  {cursor.rowcount:,} invitations in {timings['invitations_s']:.0f} s", flush=True)
    started = time.monotonic()
    with connection.cursor() as cursor:
        for table in ("survey_surveyresponse", "survey_surveyinvitation"):
            if args.analyze_only:
                cursor.execute(f"ALTER TABLE {table} SET (autovacuum_enabled = off)")
                cursor.execute(f"ANALYZE {table}")
            else:
                cursor.execute(f"VACUUM (ANALYZE) {table}")
        cursor.execute("ANALYZE")
    timings["vacuum_analyze_s" if not args.analyze_only else "analyze_s"] = time.monotonic() - started
    return {
        "timings": timings,
        "units": len(ordered),
        "noise_invitations": params["inv_noise"],
        "distribution": {"answers_per_100": ANSWERS, "profile": PROFILE, "suggestions_per_1000": SUGGESTIONS},
    }


# === Measurement =====================================================================================


QUIET_IDLE = 80.0  # % idle in the second before a round for the round to count as quiet


def measure(items: list[tuple[str, str, Callable[[], Any]]], reps: int) -> dict[str, dict[str, Any]]:
    """A first call of each item on a new connection, then rounds that call every item once.

    The rounds interleave the items, so that a change in the load others put on the box touches
    every item alike. Before each round the box is drained (30 s at most) and its idle share over
    one second recorded; a round that starts on a box less than 80 % idle does not count towards
    ``reps`` (3 x ``reps`` rounds at most). Figures are given over the quiet rounds and over all.
    """
    from django.db import connection

    out: dict[str, dict[str, Any]] = {key: {"label": label, "warm_ms": []} for key, label, _call in items}
    for key, _label, call in items:
        sm.drain()
        connection.close()
        started = time.perf_counter()
        call()
        out[key]["first_ms"] = (time.perf_counter() - started) * 1000
    idle: list[float] = []
    while sum(value >= QUIET_IDLE for value in idle) < reps and len(idle) < 3 * reps:
        sm.drain()
        idle.append(round(100 * sm.cpu_idle(1.0), 1))
        for key, _label, call in items:
            started = time.perf_counter()
            call()
            out[key]["warm_ms"].append((time.perf_counter() - started) * 1000)
    quiet_rounds = [index for index, value in enumerate(idle) if value >= QUIET_IDLE] or list(
        range(len(idle))
    )
    for key, item in out.items():
        warm = item["warm_ms"]
        quiet = [warm[index] for index in quiet_rounds]
        item.update(
            quiet_ms=quiet,
            p50_ms=percentile(quiet, 50),
            p95_ms=percentile(quiet, 95),
            max_ms=max(quiet),
            all_p50_ms=percentile(warm, 50),
            all_p95_ms=percentile(warm, 95),
            all_max_ms=max(warm),
        )
        print(
            f"  ({key}) {item['label']}: first {item['first_ms']:.1f} ms; {len(quiet)} quiet rounds: "
            f"p50 {item['p50_ms']:.1f} ms, p95 {item['p95_ms']:.1f} ms, max {item['max_ms']:.1f} ms; "
            f"all {len(warm)}: p50 {item['all_p50_ms']:.1f}, p95 {item['all_p95_ms']:.1f}, "
            f"max {item['all_max_ms']:.1f}",
            flush=True,
        )
    out["_rounds"] = {
        "label": "box idle % in the second before each round",
        "idle_pct": idle,
        "quiet": len(quiet_rounds),
    }
    return out


def explain(sql: str) -> dict[str, Any]:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) {sql}")
        plan = "\n".join(row[0] for row in cursor.fetchall())
    return {"sql": sql, "plan": plan}


def captured(call: Callable[[], Any]) -> list[dict[str, Any]]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as context:
        call()
    return [{"sql": query["sql"], "ms": float(query["time"]) * 1000} for query in context.captured_queries]


def sizes() -> list[dict[str, Any]]:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT c.relname, c.relkind, t.relname, pg_relation_size(c.oid), pg_total_relation_size(c.oid),
                   c.reltuples
            FROM pg_class c
            LEFT JOIN pg_index i ON i.indexrelid = c.oid
            LEFT JOIN pg_class t ON t.oid = i.indrelid
            WHERE c.relname IN ('survey_surveyresponse', 'survey_surveyinvitation')
               OR t.relname IN ('survey_surveyresponse', 'survey_surveyinvitation')
            ORDER BY coalesce(t.relname, c.relname), c.relkind DESC, c.relname
            """
        )
        return [
            {
                "name": name,
                "kind": kind,
                "table": table or name,
                "bytes": size,
                "total_bytes": total,
                "rows": rows,
            }
            for name, kind, table, size, total, rows in cursor.fetchall()
        ]


def pg_facts() -> dict[str, str]:
    from django.db import connection

    facts = {}
    with connection.cursor() as cursor:
        cursor.execute("SELECT version()")
        facts["version"] = cursor.fetchone()[0]
        for name in (
            "shared_buffers",
            "work_mem",
            "effective_cache_size",
            "random_page_cost",
            "max_parallel_workers_per_gather",
            "max_worker_processes",
            "jit",
            "jit_above_cost",
            "lc_collate",
        ):
            cursor.execute(f"SHOW {name}")
            facts[name] = cursor.fetchone()[0]
    return facts


def machine() -> dict[str, Any]:
    cpu = ""
    with contextlib.suppress(OSError), open("/proc/cpuinfo") as fh:
        cpu = next((line.split(":", 1)[1].strip() for line in fh if line.startswith("model name")), "")
    mem = ""
    with contextlib.suppress(OSError), open("/proc/meminfo") as fh:
        mem = fh.readline().split(":", 1)[1].strip()
    versions = {}
    from importlib.metadata import version

    for pkg in ("django", "psycopg"):
        with contextlib.suppress(Exception):
            versions[pkg] = version(pkg)
    return {
        "nproc": os.cpu_count(),
        "cpu": cpu,
        "mem": mem,
        "kernel": platform.release(),
        "python": platform.python_version(),
        "packages": versions,
        "loadavg_start": os.getloadavg(),
    }


def run_measurements(args: argparse.Namespace, result: dict[str, Any]) -> None:
    from django.db import connection

    from layanan.accounts.models import ServiceUnit
    from layanan.survey import queries, scoring
    from layanan.survey.elements import ELEMENT_KEYS
    from layanan.survey.models import SurveyInvitation
    from layanan.survey.periods import Period

    unit = ServiceUnit.objects.select_related("agency", "region").get(
        slug=args.unit, agency__slug=args.agency
    )
    units = list(ServiceUnit.objects.order_by("id"))
    year = Period(args.year)
    quarter = Period(args.year, "quarter", 3)
    region_code = unit.region_id
    unit_scope = queries.unit_scope(unit)
    agency_scope = queries.agency_scope(unit.agency)
    region_scope = queries.region_scope(region_code)
    result["scopes"] = {
        "unit": f"{unit.agency.slug}/{unit.slug} (id {unit.pk}): {unit.name}",
        "agency": f"{unit.agency.slug} (id {unit.agency_id}), {unit.agency.units.count()} units",
        "region": region_code,
        "period": year.key,
        "quarter": quarter.key,
    }

    if args.reuse:
        result["setup"] = {"timings": {}, "units": len(units), "reused": True}
    else:
        print("setting up …", flush=True)
        result["setup"] = fill(args, unit, units)
    if args.extra_sql:
        with connection.cursor() as cursor:
            for statement in args.extra_sql:
                started = time.monotonic()
                cursor.execute(statement)
                print(f"  {statement} ({time.monotonic() - started:.0f} s)", flush=True)
            cursor.execute("VACUUM (ANALYZE) survey_surveyresponse")

    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM survey_surveyresponse")
        result["setup"]["responses_total"] = cursor.fetchone()[0]
        cursor.execute("SELECT count(*) FROM survey_surveyinvitation")
        result["setup"]["invitations_total"] = cursor.fetchone()[0]

    # The SQL of (a), as Django sends it, for the bare-cursor timing and EXPLAIN.
    tallies_sql = captured(lambda: queries.tallies(unit_scope, year))[0]["sql"]

    def bare_tallies() -> None:
        with connection.cursor() as cursor:
            cursor.execute(tallies_sql)
            cursor.fetchall()

    respondents, element_tallies = queries.tallies(unit_scope, year)
    items: list[tuple[str, str, Callable[[], Any]]] = [
        ("a", "tallies, unit-year", lambda: queries.tallies(unit_scope, year)),
        ("a0", "tallies SQL through a bare cursor", bare_tallies),
        ("b", "figures (IKM + population + minimum sample), unit-year, permen",
         lambda: queries.figures(unit_scope, year, weighting="permen")),
        ("c", "scoring.score on the tallies (pure Python)", lambda: scoring.score(element_tallies, "permen")),
        ("d1", "tallies, agency-year", lambda: queries.tallies(agency_scope, year)),
        ("d2", "figures, agency-year", lambda: queries.figures(agency_scope, year, weighting="permen")),
        ("d3", "tallies, region-year", lambda: queries.tallies(region_scope, year)),
        ("d4", "figures, region-year", lambda: queries.figures(region_scope, year, weighting="permen")),
        ("e", "report_view (the draft report page's reads), unit-year",
         lambda: queries.report_view(unit, year, None)),
        ("f", "figures, unit, third quarter",
         lambda: queries.figures(unit_scope, quarter, weighting="permen")),
        ("g", f"overview of all {len(units)} units, year", lambda: queries.overview(units, year)),
    ]  # fmt: skip
    print("measuring …", flush=True)
    measured = measure(items, args.reps)
    result["rounds"] = measured.pop("_rounds")
    result["items"] = measured
    for key, _label, call in items:
        result["items"][key]["queries"] = captured(call)

    print("explaining …", flush=True)
    plans: dict[str, Any] = {}
    for index, query in enumerate(result["items"]["b"]["queries"]):
        plans[f"b.{index + 1}"] = explain(query["sql"])
    for key in ("d1", "d3"):
        plans[key] = explain(result["items"][key]["queries"][0]["sql"])
    for index, query in enumerate(result["items"]["e"]["queries"]):
        if query["ms"] >= 10 and index >= 2:  # the first two are (b)'s
            plans[f"e.{index + 1}"] = explain(query["sql"])
    result["plans"] = plans
    result["sizes"] = sizes()

    # Cross-check with plain SQL.
    columns = ", ".join(f"sum({key}), count({key})" for key in ELEMENT_KEYS)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT count(*), {columns} FROM survey_surveyresponse "
            "WHERE unit_id = %s AND submitted_on BETWEEN %s AND %s",
            [unit.pk, year.start, year.end],
        )
        row = cursor.fetchone()
    plain = [
        scoring.ElementTally(key, int(row[1 + 2 * i] or 0), int(row[2 + 2 * i]))
        for i, key in enumerate(ELEMENT_KEYS)
    ]
    figures = queries.figures(unit_scope, year, weighting="permen")
    plain_score = scoring.score(plain, "permen")
    invited = SurveyInvitation.objects.filter(
        unit=unit, issued_on__gte=year.start, issued_on__lte=year.end
    ).count()
    assert figures.score is not None
    assert plain_score is not None
    checks = {
        "respondents_equal_inserted": row[0] == args.responses == figures.respondents == respondents,
        "tallies_equal_plain_sql": plain == figures.tallies == element_tallies,
        "ikm_equals_score_of_plain_sums": plain_score.ikm == figures.score.ikm
        and plain_score.ikm_exact == figures.score.ikm_exact,
        "population_equals_invitations_inserted": figures.population == invited == args.invitations,
    }
    result["checks"] = checks
    result["figures"] = {
        "respondents": figures.respondents,
        "population": figures.population,
        "minimum_sample": figures.minimum_sample,
        "ikm": str(figures.score.ikm),
        "ikm_exact": f"{figures.score.ikm_exact} ({float(figures.score.ikm_exact):.6f})",
        "grade": figures.score.grade,
        "weight": str(figures.score.weight),
        "elements": [
            {"key": e.key, "total": e.total, "answered": e.answered, "nrr": str(e.nrr_display)}
            for e in figures.score.elements
        ],
    }
    print(f"checks: {checks}", flush=True)
    if not all(checks.values()):
        raise SystemExit(f"cross-check failed: {checks}")


# === Report ==========================================================================================


def mib(value: int) -> str:
    return f"{value / 1024 / 1024:,.1f} MiB"


def write_md(result: dict[str, Any], path: Path) -> str:
    m = result["machine"]
    pg = result["postgres"]
    setup = result["setup"]
    fig = result["figures"]
    b = result["items"]["b"]
    verdict = "met" if b["p95_ms"] < TARGET_MS and b["max_ms"] < TARGET_MS else "NOT met"
    verdict_all = "met" if b["all_p95_ms"] < TARGET_MS and b["all_max_ms"] < TARGET_MS else "NOT met"
    idle = result["rounds"]["idle_pct"] or [float("nan")]
    quiet = result["rounds"]["quiet"]
    state = "ANALYZE only, autovacuum off" if result["args"]["analyze_only"] else "after VACUUM (ANALYZE)"
    timings = ", ".join(f"{name} {value:.0f} s" for name, value in setup["timings"].items())
    code = result["code"]
    changes = (
        f", changes under layanan/survey: {code['survey_changes']}" if code.get("survey_changes") else ""
    )
    lines = [
        f"# SKM index at {result['args']['responses']:,} responses ({result['date']})",
        "",
        f"Command: `{result['command']}`; code: {code['rev']} (HEAD {code['commit'][:10]}{changes}).",
        "",
        f"Machine: {m['nproc']} CPUs, {m['cpu']}, {m['mem']} RAM, kernel {m['kernel']}, "
        f"Python {m['python']}, "
        f"Django {m['packages'].get('django', '?')}, psycopg {m['packages'].get('psycopg', '?')}; "
        f"load average at start {', '.join(f'{x:.2f}' for x in m['loadavg_start'])}.",
        f"PostgreSQL: {pg['version']}; shared_buffers {pg['shared_buffers']}, work_mem {pg['work_mem']}, "
        f"max_parallel_workers_per_gather {pg['max_parallel_workers_per_gather']}, jit {pg['jit']}, "
        f"lc_collate {pg['lc_collate']}; session settings: {result['args']['session_set'] or 'none'}; "
        f"extra SQL: {'; '.join(f'`{x}`' for x in result['args']['extra_sql']) or 'none'}.",
        f"Data: {setup['responses_total']:,} responses ({result['args']['responses']:,} for the unit in "
        f"{result['scopes']['period']}, the rest over {setup['units']} demo units and the years around it), "
        f"{setup['invitations_total']:,} invitations ({result['args']['invitations']:,} for the unit-year); "
        f"{timings}. State: {state}.",
        f"Scopes: unit {result['scopes']['unit']}; agency {result['scopes']['agency']}; "
        f"region {result['scopes']['region']}.",
        "",
        f"**Target: the IKM of the unit-year (item b) in under {TARGET_MS:.0f} ms: {verdict}** "
        f"(p50 {b['p50_ms']:.1f} ms, p95 {b['p95_ms']:.1f} ms, max {b['max_ms']:.1f} ms over "
        f"{len(b['quiet_ms'])} quiet rounds; first call {b['first_ms']:.1f} ms). Over all "
        f"{len(b['warm_ms'])} rounds, others' load included: p50 {b['all_p50_ms']:.1f} ms, "
        f"p95 {b['all_p95_ms']:.1f} ms, max {b['all_max_ms']:.1f} ms ({verdict_all}).",
        "",
        f"IKM {fig['ikm']} (grade {fig['grade']}, weight {fig['weight']}), "
        f"{fig['respondents']:,} respondents, "
        f"population {fig['population']:,}, minimum sample {fig['minimum_sample']:,}. "
        f"Cross-checks: {', '.join(f'{k} {v}' for k, v in result['checks'].items())}.",
        "",
        f"Rounds: {len(idle)}, of which {quiet} started on a quiet box (>= {QUIET_IDLE:.0f} % idle in "
        f"the second before; each round first waited up to 30 s for the box to drain). Box idle before "
        f"the rounds: {', '.join(f'{value:.0f}' for value in idle)} %.",
        "",
        "| item | what | first ms | p50 ms | p95 ms | max ms | all rounds: p50 / p95 / max ms | queries |",
        "|---|---|---:|---:|---:|---:|---:|---:|",
    ]
    for key, item in result["items"].items():
        lines.append(
            f"| {key} | {item['label']} | {item['first_ms']:.1f} | {item['p50_ms']:.2f} | "
            f"{item['p95_ms']:.2f} | {item['max_ms']:.2f} | {item['all_p50_ms']:.1f} / "
            f"{item['all_p95_ms']:.1f} / {item['all_max_ms']:.1f} | {len(item['queries'])} |"
        )
    lines += ["", "## Queries of (e) `report_view`, one warm call", "", "| ms | SQL (start) |", "|---:|---|"]
    for query in result["items"]["e"]["queries"]:
        lines.append(f"| {query['ms']:.1f} | `{query['sql'][:150].replace('|', '/')}…` |")
    lines += ["", "## Sizes", "", "| relation | table | size | with indexes/TOAST |", "|---|---|---:|---:|"]
    for row in result["sizes"]:
        lines.append(f"| {row['name']} | {row['table']} | {mib(row['bytes'])} | {mib(row['total_bytes'])} |")
    lines += ["", "## Plans (`EXPLAIN (ANALYZE, BUFFERS)`, run after the timings)", ""]
    for key, plan in result["plans"].items():
        lines += [f"### {key}", "", "```sql", plan["sql"], "```", "", "```", plan["plan"], "```", ""]
    text = "\n".join(lines) + "\n"
    path.write_text(text)
    return text


def snapshot(rev: str, work: Path) -> tuple[Path, dict[str, str]]:
    """Copy layanan/ (of the work tree, or of git revision ``rev``) into ``work/src``: edits made to
    the work tree while the benchmark runs do not change what it measures."""
    src = work / "src"
    src.mkdir()
    head = subprocess.run(["git", "rev-parse", rev or "HEAD"], cwd=ROOT, capture_output=True, text=True)
    if rev:
        archive = subprocess.run(
            ["git", "archive", rev, "layanan"], cwd=ROOT, check=True, capture_output=True
        )
        subprocess.run(["tar", "-x", "-C", str(src)], input=archive.stdout, check=True)
        return src, {"rev": rev, "commit": head.stdout.strip()}
    shutil.copytree(ROOT / "layanan", src / "layanan", ignore=shutil.ignore_patterns("__pycache__"))
    dirty = subprocess.run(
        ["git", "status", "--porcelain", "--", "layanan/survey"], cwd=ROOT, capture_output=True, text=True
    )
    return src, {"rev": "work tree", "commit": head.stdout.strip(), "survey_changes": dirty.stdout.strip()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--responses", type=int, default=1_000_000)
    parser.add_argument("--noise", type=int, default=1_000_000)
    parser.add_argument(
        "--invitations", type=int, default=0, help="For the unit-year; default 1.2 x --responses."
    )
    parser.add_argument("--reps", type=int, default=20)
    parser.add_argument("--year", type=int, default=2025)
    parser.add_argument("--agency", default="disdukcapil-banyumas")
    parser.add_argument("--unit", default="pendaftaran-penduduk")
    parser.add_argument(
        "--session-set",
        action="append",
        default=[],
        help="name=value, SET on every connection (e.g. jit=off).",
    )
    parser.add_argument(
        "--noise-invitations", type=int, default=-1, help="Invitations elsewhere; default 1.2 x --noise."
    )
    parser.add_argument(
        "--extra-sql",
        action="append",
        default=[],
        help="A statement run after the set-up, before measuring (e.g. a proposed index); repeatable.",
    )
    parser.add_argument("--analyze-only", action="store_true")
    parser.add_argument(
        "--reuse", action="store_true", help="Measure the kept database again (same sizes given); keeps it."
    )
    parser.add_argument(
        "--code-rev",
        default="",
        help="Measure layanan/ of this git revision (git archive) instead of the work tree.",
    )
    parser.add_argument("--out-prefix", default="")
    parser.add_argument("--keep-db", action="store_true")
    args = parser.parse_args()
    args.invitations = args.invitations or round(args.responses * 1.2)
    if args.noise_invitations < 0:
        args.noise_invitations = round(args.noise * 1.2)
    args.keep_db = args.keep_db or args.reuse

    import psycopg

    today = datetime.datetime.now(tz=datetime.UTC).date().isoformat()
    prefix = Path(args.out_prefix or ROOT / "bench" / "results" / f"skm-{today}")
    work = Path(tempfile.mkdtemp(prefix="skm-bench-"))
    src, code = snapshot(args.code_rev, work)
    sys.path.insert(0, str(src))
    for name in ("DATABASE_URL", "LAYANAN_DATABASE_URL"):
        os.environ.pop(name, None)
    os.environ.update(
        DJANGO_SETTINGS_MODULE="layanan.settings",
        PYTHONPATH=str(src),
        LAYANAN_VAR_DIR=str(work),
        LAYANAN_ENV="development",
        DATABASE_URL=PG_URL,
        DEBUG="0",
        LOG_LEVEL="WARNING",
        CACHE_URL="locmem://",
        # A fixed bench-only key, so that a kept database still decrypts under --reuse.
        LAYANAN_FIELD_KEYS=BENCH_FIELD_KEY,
    )
    result: dict[str, Any] = {
        "date": today,
        "command": " ".join([".venv/bin/python", "bench/skm.py", *sys.argv[1:]]),
        "started_utc": datetime.datetime.now(tz=datetime.UTC).isoformat(timespec="seconds"),
        "code": code,
        "machine": machine(),
        "args": vars(args),
    }
    try:
        if not args.reuse:
            with psycopg.connect(PG_ADMIN_URL, autocommit=True) as conn:
                conn.execute(f"DROP DATABASE IF EXISTS {DB_NAME} WITH (FORCE)")
                conn.execute(f"CREATE DATABASE {DB_NAME}")
            step = time.monotonic()
            manage = [sys.executable, "-m", "layanan.cli"]
            subprocess.run([*manage, "migrate", "-v0"], check=True, cwd=src)
            subprocess.run(
                [*manage, "load_demo", "--skip-holidays"], check=True, cwd=src, stdout=subprocess.DEVNULL
            )
            result["migrate_demo_s"] = time.monotonic() - step

        import django

        django.setup()
        import layanan

        if not Path(layanan.__file__).resolve().is_relative_to(src.resolve()):
            raise SystemExit(f"layanan was imported from {layanan.__file__}, not from the snapshot {src}")
        from django.db import connections
        from django.db.backends.signals import connection_created

        settings_pairs = [pair.split("=", 1) for pair in args.session_set]

        def apply_session_settings(sender: Any, connection: Any, **kwargs: Any) -> None:
            with connection.cursor() as cursor:
                for name, value in settings_pairs:
                    cursor.execute(f"SET {name} = %s", [value])

        if settings_pairs:
            connection_created.connect(apply_session_settings, weak=False)
        result["postgres"] = pg_facts()
        run_measurements(args, result)
        result["finished_utc"] = datetime.datetime.now(tz=datetime.UTC).isoformat(timespec="seconds")
        result["machine"]["loadavg_end"] = os.getloadavg()
        connections.close_all()
    finally:
        if not args.keep_db:
            with contextlib.suppress(Exception), psycopg.connect(PG_ADMIN_URL, autocommit=True) as conn:
                conn.execute(f"DROP DATABASE IF EXISTS {DB_NAME} WITH (FORCE)")
        shutil.rmtree(work, ignore_errors=True)

    prefix.parent.mkdir(parents=True, exist_ok=True)
    prefix.with_suffix(".json").write_text(json.dumps(result, indent=2, default=str))
    write_md(result, prefix.with_suffix(".md"))
    print()
    print(f"ms, over the quiet rounds ({result['rounds']['quiet']} of {len(result['rounds']['idle_pct'])})")
    print(f"{'item':<5} {'first':>9} {'p50':>9} {'p95':>9} {'max':>9} {'all p95':>9}  what")
    for key, item in result["items"].items():
        print(
            f"{key:<5} {item['first_ms']:>9.1f} {item['p50_ms']:>9.2f} {item['p95_ms']:>9.2f} "
            f"{item['max_ms']:>9.2f} {item['all_p95_ms']:>9.2f}  {item['label']}"
        )
    b = result["items"]["b"]
    print(
        f"\nIKM {result['figures']['ikm']} ({result['figures']['grade']}); (b) p50 {b['p50_ms']:.1f} ms, "
        f"p95 {b['p95_ms']:.1f} ms (all rounds {b['all_p95_ms']:.1f} ms): target < {TARGET_MS:.0f} ms "
        f"{'met' if b['p95_ms'] < TARGET_MS and b['max_ms'] < TARGET_MS else 'NOT met'}. "
        f"Results: {prefix.with_suffix('.json')}, {prefix.with_suffix('.md')}"
    )


if __name__ == "__main__":
    main()

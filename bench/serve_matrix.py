"""Usage: .venv/bin/python bench/serve_matrix.py [--reps 3] [--secs 10] [--conns 16,64]
        [--servers gsync,gthread,granian] [--dbs sqlite,pg] [--out bench/results/serve.csv]
        [--reset-pg] [--keep]
   or: .venv/bin/python bench/serve_matrix.py --summarize CSV [--max-other 15]

Which WSGI server should ``make run`` use? Measured, not guessed (see docs/performance.md).

For every rep, every database (throwaway SQLite in a temporary LAYANAN_VAR_DIR, and PostgreSQL
``postgres://postgres@127.0.0.1:5432/layanan_bench``, created if missing) and every server kind
(order rotated per rep), the project is migrated, collectstatic'ed and started with 2 x cores + 1
processes on 127.0.0.1; ``wrk -t1 --latency`` then runs for --secs on ``GET /`` (home page, no
query) and ``GET /healthz`` (one ``SELECT 1``) at each connection count. Before every run the box
is drained (CPU idle >= 80 % over 2 s, 30 s at most). Every run records req/s, p50/p90/p99,
non-2xx/3xx and socket errors, and, from /proc, how much of the box's CPU went to the server, wrk,
PostgreSQL and *other* processes, and the server's CPU per answered request. The box is shared:
a run where other processes took > 15 % of it is run again (3 runs at most) and the least
disturbed one is kept. Servers, wrk and the in-process runs get ``nice -n -10``, in sessions of
their own with the same autogroup niceness (as root; --nice 0 turns it off), so that other work
on a shared box takes less from them. Rows go to a CSV (raw wrk output beside it); a Markdown
table (median with min-max) is printed at the end. Then bench/request_cpu.py gives the in-process
CPU per request for the same two pages (the second view: no HTTP server at all).

Servers (the project's wsgi module; DEBUG off; static files from WhiteNoise after collectstatic):
  gsync    gunicorn -k sync    -w W                 (no keep-alive)
  gthread  gunicorn -k gthread -w W --threads 4     (keep-alive)
  granian  granian --interface wsgi --workers W --blocking-threads 4
The code is measured from a snapshot of layanan/ copied into the temporary directory at the start,
so edits made in the work tree during the run do not change what is measured. Stop it with
Ctrl+C or SIGTERM: the server it started is stopped by its process group.
Needs: wrk, the project's .venv (granian installed into it), PostgreSQL on 127.0.0.1:5432 for pg.
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import os
import re
import resource
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any, TextIO

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
CORES = os.cpu_count() or 2
WORKERS = 2 * CORES + 1
THREADS = 4
PG_URL = "postgres://postgres@127.0.0.1:5432/layanan_bench"
ENDPOINTS = [("home", "/"), ("healthz", "/healthz")]
OTHER_LIMIT = 15.0  # % of the box used by processes that are not ours: above this, run again
ATTEMPTS = 3  # at most this many runs per cell; the one least disturbed by other processes is kept
DRAIN_IDLE, DRAIN_WINDOW, DRAIN_MAX = 0.80, 2.0, 30.0  # wait for >= 80 % idle over 2 s, 30 s at most
NICE: list[str] = []  # set in main(): ["nice", "-n", "-10"] so that other work on a shared box takes less


def boost(pid: int) -> None:
    """Give the session (autogroup) of ``pid``, one we started, the same niceness as its processes.

    With the kernel's autogroup scheduling, niceness only counts inside a session; a session's
    share against the others' is set through /proc/<pid>/autogroup.
    """
    if NICE:
        with contextlib.suppress(OSError), open(f"/proc/{pid}/autogroup", "w") as fh:
            fh.write(NICE[-1])


FIELDS = [
    "rep", "db", "server", "conns", "endpoint", "attempt", "kept", "rps", "p50_ms", "p90_ms", "p99_ms",
    "requests", "non_2xx_3xx", "sock_err", "drain_s", "box_busy_pct", "server_cpu_pct", "wrk_cpu_pct",
    "pg_cpu_pct", "other_cpu_pct", "server_cpu_ms_per_req",
]  # fmt: skip


def server_cmd(kind: str, port: int) -> list[str]:
    bind = f"127.0.0.1:{port}"
    app = "layanan.wsgi:application"
    gunicorn = [str(BIN / "gunicorn"), "-b", bind, "--backlog", "2048", "--no-control-socket"]
    if kind == "gsync":
        return [*gunicorn, "-k", "sync", "-w", str(WORKERS), app]
    if kind == "gthread":
        return [*gunicorn, "-k", "gthread", "-w", str(WORKERS), "--threads", str(THREADS), app]
    if kind == "granian":
        return [
            str(BIN / "granian"), "--interface", "wsgi", "--workers", str(WORKERS),
            "--blocking-threads", str(THREADS), "--host", "127.0.0.1", "--port", str(port),
            "--no-access-log", "--log-level", "warning", "--backlog", "2048", app,
        ]  # fmt: skip
    raise ValueError(kind)


# --- CPU accounting from /proc ------------------------------------------------------------------


def box_ticks() -> tuple[int, int]:
    """(busy, total) clock ticks of the whole box since boot."""
    with open("/proc/stat") as fh:
        values = [int(x) for x in fh.readline().split()[1:]]
    idle = values[3] + values[4]
    return sum(values) - idle, sum(values)


def proc_ticks(pgrp: int) -> tuple[int, int]:
    """(ticks of processes in process group ``pgrp``, ticks of postgres processes)."""
    ours = pg = 0
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            with open(f"/proc/{entry.name}/stat") as fh:
                raw = fh.read()
        except OSError:
            continue
        name = raw[raw.index("(") + 1 : raw.rindex(")")]
        fields = raw[raw.rindex(")") + 2 :].split()
        ticks = int(fields[11]) + int(fields[12])  # utime + stime
        if int(fields[2]) == pgrp:
            ours += ticks
        elif name.startswith("postgres"):
            pg += ticks
    return ours, pg


def cpu_idle(window: float = 1.0) -> float:
    b0, t0 = box_ticks()
    time.sleep(window)
    b1, t1 = box_ticks()
    return 1 - (b1 - b0) / max(1, t1 - t0)


def drain() -> float:
    """Wait until the box is mostly idle (bounded); return the seconds waited."""
    start = time.monotonic()
    while time.monotonic() - start < DRAIN_MAX:
        if cpu_idle(DRAIN_WINDOW) >= DRAIN_IDLE:
            break
    return time.monotonic() - start


# --- wrk ------------------------------------------------------------------------------------------


def to_ms(text: str) -> float:
    match = re.match(r"([\d.]+)(us|ms|s|m)$", text)
    if not match:
        return float("nan")
    value, unit = float(match.group(1)), match.group(2)
    return {"us": value / 1000, "ms": value, "s": value * 1000, "m": value * 60000}[unit]


def parse_wrk(out: str) -> dict[str, float | int]:
    result: dict[str, float | int] = {}
    rps = re.search(r"Requests/sec:\s+([\d.]+)", out)
    result["rps"] = float(rps.group(1)) if rps else 0.0
    for p in ("50", "90", "99"):
        match = re.search(rf"^\s+{p}%\s+(\S+)", out, re.M)
        result[f"p{p}_ms"] = to_ms(match.group(1)) if match else float("nan")
    total = re.search(r"(\d+) requests in", out)
    result["requests"] = int(total.group(1)) if total else 0
    bad = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    result["non_2xx_3xx"] = int(bad.group(1)) if bad else 0
    errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    result["sock_err"] = sum(int(x) for x in errors.groups()) if errors else 0
    return result


def run_wrk(url: str, conns: int, secs: int, server_pgid: int) -> tuple[dict[str, float | int], str]:
    cmd = [*NICE, "wrk", "-t1", f"-c{conns}", f"-d{secs}s", "--timeout", "10s", "--latency", url]
    children0 = resource.getrusage(resource.RUSAGE_CHILDREN)
    box0 = box_ticks()
    ours0, pg0 = proc_ticks(server_pgid)
    with subprocess.Popen(
        cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True
    ) as proc:
        boost(proc.pid)
        try:
            stdout, stderr = proc.communicate(timeout=secs + 30)
        except BaseException:
            proc.kill()
            raise
    box1 = box_ticks()
    ours1, pg1 = proc_ticks(server_pgid)
    children1 = resource.getrusage(resource.RUSAGE_CHILDREN)
    if proc.returncode:
        raise RuntimeError(f"wrk failed: {stderr.strip()}")
    result = parse_wrk(stdout)
    hz = os.sysconf("SC_CLK_TCK")
    total = max(1, box1[1] - box0[1])
    wrk_ticks = (children1.ru_utime + children1.ru_stime - children0.ru_utime - children0.ru_stime) * hz
    busy = box1[0] - box0[0]
    server, pg = ours1 - ours0, pg1 - pg0
    result["box_busy_pct"] = round(100 * busy / total, 1)
    result["server_cpu_pct"] = round(100 * server / total, 1)
    result["wrk_cpu_pct"] = round(100 * wrk_ticks / total, 1)
    result["pg_cpu_pct"] = round(100 * pg / total, 1)
    result["other_cpu_pct"] = round(max(0.0, 100 * (busy - server - wrk_ticks - pg) / total), 1)
    # CPU the server's processes spent per answered request: barely moved by other load on the box.
    result["server_cpu_ms_per_req"] = round(1000 * server / hz / max(1, int(result["requests"])), 3)
    return result, stdout


# --- project set-up and servers -----------------------------------------------------------------


def ensure_pg_database(reset: bool) -> None:
    import psycopg

    with psycopg.connect("postgresql://postgres@127.0.0.1:5432/postgres", autocommit=True) as conn:
        if reset:
            conn.execute("DROP DATABASE IF EXISTS layanan_bench WITH (FORCE)")
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = 'layanan_bench'").fetchone()
        if not exists:
            conn.execute("CREATE DATABASE layanan_bench")
            print("created database layanan_bench", flush=True)


def project_env(src: Path, var_dir: Path, db: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env.update(
        PYTHONPATH=str(src),
        PYTHONUNBUFFERED="1",
        DJANGO_SETTINGS_MODULE="layanan.settings",
        LAYANAN_VAR_DIR=str(var_dir),
        LAYANAN_ENV="development",
        DEBUG="0",
        LOG_LEVEL="WARNING",
    )
    if db == "pg":
        env["DATABASE_URL"] = PG_URL
    return env


def manage(env: dict[str, str], *args: str) -> None:
    subprocess.run([sys.executable, "-m", "layanan.cli", *args], env=env, check=True, cwd=env["PYTHONPATH"])


def port_free(port: int) -> bool:
    with socket.socket() as sock:
        return sock.connect_ex(("127.0.0.1", port)) != 0


def fetch_status(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:  # only 127.0.0.1
            response.read()
            return int(response.status)
    except urllib.error.HTTPError as error:
        return error.code


def wait_ready(url: str, timeout: float = 60) -> bool:
    start = time.monotonic()
    while time.monotonic() - start < timeout:
        try:
            if fetch_status(url) == 200:
                return True
        except OSError:
            pass
        time.sleep(0.3)
    return False


def start_server(kind: str, port: int, env: dict[str, str], log_dir: Path) -> subprocess.Popen[bytes]:
    log = open(log_dir / f"{kind}.log", "ab")  # noqa: SIM115 - closed with the process
    proc = subprocess.Popen(
        [*NICE, *server_cmd(kind, port)],
        cwd=env["PYTHONPATH"],
        env=env,
        stdout=log,
        stderr=log,
        start_new_session=True,
    )
    boost(proc.pid)
    return proc


def stop_server(proc: subprocess.Popen[bytes]) -> None:
    """Stop the process group led by the server we started (and only it), whatever happens."""
    try:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGTERM)
            proc.wait(timeout=30)
    except (subprocess.TimeoutExpired, KeyboardInterrupt):
        pass
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)  # leftover workers of that group, if any
        proc.wait()


def server_ok(kind: str, db: str, base: str, log_dir: Path) -> bool:
    problem = ""
    if not wait_ready(f"{base}/healthz"):
        problem = "the server did not come up"
    else:
        statuses = {path: fetch_status(base + path) for _name, path in ENDPOINTS}
        if any(code != 200 for code in statuses.values()):
            problem = f"not 200 before measuring: {statuses}"
    if problem:
        tail = (log_dir / f"{kind}.log").read_text(errors="replace").splitlines()[-15:]
        print(f"{kind}/{db}: {problem}; server log ends:", *tail, sep="\n", file=sys.stderr)
    return not problem


class Block:
    """The runs of one server process tree: warm-up once, then one kept row per (conns, endpoint)."""

    def __init__(
        self, rep: int, db: str, kind: str, base: str, pgid: int, secs: int, writer: Any, raw_log: TextIO
    ) -> None:
        self.rep, self.db, self.kind, self.base, self.pgid, self.secs = rep, db, kind, base, pgid, secs
        self.writer, self.raw_log = writer, raw_log
        for _name, path in ENDPOINTS:  # warm-up, not recorded
            run_wrk(base + path, 4, 2, pgid)

    def measure(self, conns: int, name: str, path: str) -> None:
        attempts = []
        for attempt in range(1, ATTEMPTS + 1):
            waited = drain()
            result, raw = run_wrk(self.base + path, conns, self.secs, self.pgid)
            result["drain_s"] = round(waited, 1)
            attempts.append(result)
            self.raw_log.write(
                f"### rep={self.rep} db={self.db} server={self.kind} conns={conns} endpoint={name} "
                f"attempt={attempt} other_cpu={result['other_cpu_pct']}%\n{raw}\n"
            )
            self.raw_log.flush()
            if float(result["other_cpu_pct"]) <= OTHER_LIMIT:
                break
        best = min(attempts, key=lambda r: float(r["other_cpu_pct"]))
        for attempt, result in enumerate(attempts, 1):
            kept = int(result is best)
            row = {"rep": self.rep, "db": self.db, "server": self.kind, "conns": conns, "endpoint": name}
            self.writer.writerow({**row, "attempt": attempt, "kept": kept, **result})
        print(
            f"rep{self.rep} {self.db:6s} {self.kind:8s} c={conns:<3d} {name:8s} {best['rps']:8.1f} req/s "
            f"p50 {best['p50_ms']:6.1f} p99 {best['p99_ms']:7.1f} ms bad={best['non_2xx_3xx']} "
            f"err={best['sock_err']} server={best['server_cpu_pct']}% wrk={best['wrk_cpu_pct']}% "
            f"pg={best['pg_cpu_pct']}% other={best['other_cpu_pct']}% tries={len(attempts)}",
            flush=True,
        )


# --- summary ------------------------------------------------------------------------------------


def fmt(values: list[float], digits: int = 0) -> str:
    med = statistics.median(values)
    if len(values) == 1:
        return f"{med:,.{digits}f}"
    return f"{med:,.{digits}f} ({min(values):,.{digits}f}–{max(values):,.{digits}f})"


def summarize(path: Path, max_other: float = 100.0) -> str:
    """Median (min-max) per cell of the kept runs whose other-process share is <= ``max_other``."""
    with open(path) as fh:
        rows = [r for r in csv.DictReader(fh) if r["kept"] == "1" and float(r["other_cpu_pct"]) <= max_other]
    keys: list[tuple[str, str, int, str]] = []
    for r in rows:
        key = (r["db"], r["endpoint"], int(r["conns"]), r["server"])
        if key not in keys:
            keys.append(key)
    order = {"sqlite": 0, "pg": 1, "home": 0, "healthz": 1, "gsync": 0, "gthread": 1, "granian": 2}
    keys.sort(key=lambda k: (order.get(k[0], 9), order.get(k[1], 9), k[2], order.get(k[3], 9)))
    lines = [
        "| db | endpoint | conns | server | runs | req/s median (min–max) | p50 ms | p90 ms | p99 ms "
        "| non-2xx/3xx | socket errors | server CPU ms/request | other CPU % (max) |",
        "|---|---|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for key in keys:
        sub = [r for r in rows if (r["db"], r["endpoint"], int(r["conns"]), r["server"]) == key]
        med = {f: statistics.median(float(r[f]) for r in sub) for f in ("p50_ms", "p90_ms", "p99_ms")}
        lines.append(
            f"| {key[0]} | {key[1]} | {key[2]} | {key[3]} | {len(sub)} "
            f"| {fmt([float(r['rps']) for r in sub])} "
            f"| {med['p50_ms']:.1f} | {med['p90_ms']:.1f} | {med['p99_ms']:.1f} "
            f"| {sum(int(r['non_2xx_3xx']) for r in sub)} | {sum(int(r['sock_err']) for r in sub)} "
            f"| {fmt([float(r['server_cpu_ms_per_req']) for r in sub], 2)} "
            f"| {max(float(r['other_cpu_pct']) for r in sub):.1f} |"
        )
    return "\n".join(lines)


# --- main ---------------------------------------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--reps", type=int, default=3)
    parser.add_argument("--secs", type=int, default=10)
    parser.add_argument("--conns", default="16,64")
    parser.add_argument("--servers", default="gsync,gthread,granian")
    parser.add_argument("--dbs", default="sqlite,pg")
    parser.add_argument("--port", type=int, default=8790)
    parser.add_argument("--out", default=str(ROOT / "bench" / "results" / "serve.csv"))
    parser.add_argument("--cpu-n", type=int, default=300, help="requests per in-process pass")
    parser.add_argument("--cpu-passes", type=int, default=3)
    parser.add_argument("--reset-pg", action="store_true", help="drop layanan_bench first")
    parser.add_argument(
        "--nice", type=int, default=-10 if os.geteuid() == 0 else 0, help="niceness of servers and wrk"
    )
    parser.add_argument("--keep", action="store_true", help="keep the temporary directory")
    parser.add_argument("--summarize", metavar="CSV", help="only print the table of an existing CSV")
    parser.add_argument("--max-other", type=float, default=100.0, help="summary: drop runs disturbed more")
    args = parser.parse_args()
    signal.signal(signal.SIGTERM, signal.default_int_handler)  # SIGTERM cleans up like Ctrl+C
    if args.summarize:
        print(summarize(Path(args.summarize), args.max_other))
        return
    if not 1 <= args.reps <= 10 or not 1 <= args.secs <= 60:
        parser.error("--reps must be 1..10 and --secs 1..60")
    if shutil.which("wrk") is None:
        sys.exit("wrk is not installed (apt-get install wrk)")
    if not port_free(args.port):
        sys.exit(f"port {args.port} is in use; pick another with --port")
    if args.nice:
        NICE[:] = ["nice", "-n", str(args.nice)]
    servers = args.servers.split(",")
    dbs = args.dbs.split(",")
    conns = [int(c) for c in args.conns.split(",")]
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)

    tmp = Path(tempfile.mkdtemp(prefix="layanan-serve-"))
    src = tmp / "src"
    shutil.copytree(ROOT / "layanan", src / "layanan", ignore=shutil.ignore_patterns("__pycache__"))
    print(f"snapshot of layanan/ in {src} at {time.strftime('%Y-%m-%d %H:%M:%S %Z')}", flush=True)
    envs: dict[str, dict[str, str]] = {}
    for db in dbs:
        if db == "pg":
            ensure_pg_database(args.reset_pg)
        envs[db] = project_env(src, tmp / f"var-{db}", db)
        t0 = time.monotonic()
        manage(envs[db], "migrate", "--noinput", "--verbosity", "0")
        manage(envs[db], "collectstatic", "--noinput", "--verbosity", "0")
        print(f"{db}: migrate + collectstatic {time.monotonic() - t0:.1f} s", flush=True)
    log_dir = tmp / "logs"
    log_dir.mkdir()
    raw_log = open(out.with_suffix(".wrk.txt"), "a")  # noqa: SIM115
    new = not out.exists()
    fh = open(out, "a", newline="")  # noqa: SIM115
    writer = csv.DictWriter(fh, fieldnames=FIELDS)
    if new:
        writer.writeheader()
    base = f"http://127.0.0.1:{args.port}"
    try:
        for rep in range(1, args.reps + 1):
            shift = (rep - 1) % len(servers)
            for db in dbs:
                for kind in servers[shift:] + servers[:shift]:
                    proc = start_server(kind, args.port, envs[db], log_dir)
                    try:
                        if not server_ok(kind, db, base, log_dir):
                            sys.exit(
                                "stopped: a page of the snapshot does not answer 200 (see the log above)"
                            )
                        block = Block(rep, db, kind, base, proc.pid, args.secs, writer, raw_log)
                        for c in conns:
                            for name, path in ENDPOINTS:
                                block.measure(c, name, path)
                                fh.flush()
                    finally:
                        stop_server(proc)
        fh.close()
        print(f"\n## HTTP (wrk -t1, {args.secs} s per run, kept runs)\n")
        print(summarize(out))
        print(f"\n## The same, only runs where other processes used <= {OTHER_LIMIT:.0f} % of the box\n")
        print(summarize(out, OTHER_LIMIT))
        print("\n## In-process CPU per request (Django test client, no HTTP server)\n")
        for index, db in enumerate(dbs):
            drain()
            cmd = [*NICE, sys.executable, str(ROOT / "bench" / "request_cpu.py"), "--db-label", db]
            cmd += ["--n", str(args.cpu_n), "--passes", str(args.cpu_passes)]
            cmd += ["--no-header"] if index else []
            with subprocess.Popen(
                cmd, env=envs[db], cwd=envs[db]["PYTHONPATH"], start_new_session=True
            ) as child:
                boost(child.pid)
                if child.wait():
                    sys.exit("request_cpu.py failed")
    finally:
        raw_log.close()
        if not fh.closed:
            fh.close()
        if args.keep:
            print(f"kept {tmp}")
        else:
            shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()

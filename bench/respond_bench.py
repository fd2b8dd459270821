"""Respondent benchmark: page weight, questionnaire GETs and full submissions against baselines.

    .venv/bin/python -m bench.respond_bench                   # SQLite (temp file)
    .venv/bin/python -m bench.respond_bench --db postgres     # PostgreSQL (bench_respond)

gunicorn (2 gthread workers × 8 threads, the README's production settings) serves
``bench.bench_wsgi:app``: the real app plus ``POST /_bench/insert`` and ``GET /_bench/page``.
Each round runs, for 1 and for 8 concurrent clients and for a fixed duration: the bare page
(baseline) then the questionnaire GET of a new respondent, and one INSERT + COMMIT
(baseline) then full submissions (GET form + POST answers → 303).  Figures are medians over
rounds; each ratio is paired within its round.  See README.md.
"""

from __future__ import annotations

import argparse
import http.client
import itertools
import json
import math
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlencode, urlsplit

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # allow `python bench/respond_bench.py` too
    sys.path.insert(0, str(ROOT))

from bench import page_weight
from bench.client import HIDDEN, Client

HOST = "127.0.0.1"
DEFAULT_PG = "postgresql://postgres@127.0.0.1:5432/bench_respond"
BENCH_SECRET = "bench-only-secret-" + "0" * 32


# --------------------------------------------------------------------------- database

def prepare_database(args, workdir: Path) -> tuple[str, callable]:
    """Return (DATABASE_URL, cleanup).  PostgreSQL: create the database if missing."""
    if args.db == "sqlite":
        return f"sqlite:///{workdir / 'bench.db'}", lambda: None
    import psycopg

    url = args.database_url
    name = urlsplit(url).path.lstrip("/")
    admin_url = url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin_url, autocommit=True) as conn:
        created = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone() is None
        if created:
            conn.execute(f'CREATE DATABASE "{name}"')

    def drop():
        if created and not args.keep_db:
            with psycopg.connect(admin_url, autocommit=True) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    return url, drop


def setup_schema(env: dict) -> dict:
    """Create tables + demo survey; return unit tokens, the answer form data and row counts."""
    os.environ.update(env)
    from bench.bench_wsgi import BENCH_METADATA, app
    from survey_app.extensions import db
    from survey_app.services.demo import ensure_demo
    from tests.support import all_satisfied

    with app.app_context():
        db.create_all()
        BENCH_METADATA.create_all(db.engine)
        survey, _, _ = ensure_demo(db.session)
        db.session.commit()
        answers = {f"q_{qid}": key for qid, key in all_satisfied(survey.questionnaire).items()}
        info = {"tokens": [u.token for u in survey.units], "answers": answers, "survey_id": survey.id}
        db.session.remove()
        db.engine.dispose()
    return info


def count_rows(survey_id: int) -> tuple[int, int, int]:
    """(responses of the demo survey, bench_rows, distinct ip_hash) via a fresh engine."""
    import sqlalchemy as sa

    from survey_app.config import normalise_db_url

    engine = sa.create_engine(normalise_db_url(os.environ["DATABASE_URL"]))
    with engine.connect() as conn:
        responses = conn.scalar(sa.text("SELECT count(*) FROM responses WHERE survey_id = :s"), {"s": survey_id})
        rows = conn.scalar(sa.text("SELECT count(*) FROM bench_rows"))
        devices = conn.scalar(sa.text("SELECT count(DISTINCT ip_hash) FROM responses WHERE survey_id = :s"), {"s": survey_id})
    engine.dispose()
    return responses, rows, devices


# --------------------------------------------------------------------------- server

def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


def start_gunicorn(args, env: dict, port: int, log_path: Path) -> subprocess.Popen:
    cmd = [
        str(Path(sys.executable).with_name("gunicorn")), "bench.bench_wsgi:app",
        "--no-control-socket", "--chdir", str(ROOT), "--bind", f"{HOST}:{port}",
        "--workers", str(args.workers), "--worker-class", "gthread", "--threads", str(args.threads),
        "--log-level", "warning",
    ]
    return launch(cmd, env, port, log_path)


def launch(cmd: list[str], env: dict, port: int, log_path: Path, timeout: float = 30) -> subprocess.Popen:
    """Start a server command (environment added to ours) and wait until it answers /healthz."""
    with open(log_path, "w") as log:  # the child keeps its own copy of the descriptor
        proc = subprocess.Popen(cmd, env={**os.environ, **env}, stdout=log, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"gunicorn exited early, see {log_path}:\n{log_path.read_text()[-2000:]}")
        try:
            if Client(HOST, port, timeout=2).request("GET", "/healthz").status == 200:
                return proc
        except OSError:
            time.sleep(0.2)
    proc.kill()
    raise SystemExit(f"gunicorn did not answer /healthz within {timeout:g} s")


def stop_gunicorn(proc: subprocess.Popen) -> None:
    proc.send_signal(signal.SIGTERM)
    try:
        proc.wait(timeout=30)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


# --------------------------------------------------------------------------- load

class Tally:
    """Shared counters for every request the bench sends (for the final consistency check)."""

    def __init__(self):
        self.lock = threading.Lock()
        self.posts_303 = 0  # stored submissions, by the server's word
        self.inserts_204 = 0
        self.errors: dict[str, int] = {}
        self.phones = 0

    def next_address(self) -> str:
        """A fresh private IPv4 address per simulated phone."""
        with self.lock:
            self.phones += 1
            n = self.phones
        return f"10.{n >> 16 & 255}.{n >> 8 & 255}.{n & 255}"

    def error(self, what: str) -> None:
        with self.lock:
            self.errors[what] = self.errors.get(what, 0) + 1


#: Numbers the simulated phones (their user agents).
PHONES = itertools.count(1)


def submit_once(client: Client, token: str, answers: dict, tally: Tally, phases: list, address: str | None) -> bool:
    """One respondent: GET the form (new session), POST a complete answer set, expect 303.

    ``address`` (X-Forwarded-For) makes each respondent a distinct phone; None sends
    every submission from 127.0.0.1, like one office behind NAT.
    """
    client.cookies.clear()
    path = f"/s/{token}"
    # A browser build of its own per respondent: identical answers from one device within
    # minutes are stored once (services/resubmission.py), and every submission here is a new person.
    phone = {"User-Agent": f"respond-bench/1 phone-{next(PHONES)}"}
    if address:
        phone["X-Forwarded-For"] = address
    t0 = time.perf_counter()
    page = client.request("GET", path, headers=phone)
    t1 = time.perf_counter()
    if page.status != 200:
        tally.error(f"GET {page.status}")
        return False
    hidden = dict(HIDDEN.findall(page.text))
    body = urlencode({**hidden, **answers}).encode()
    t2 = time.perf_counter()
    reply = client.request("POST", path, body, {"Content-Type": "application/x-www-form-urlencoded", **phone})
    phases.append((t1 - t0, time.perf_counter() - t2))  # GET, POST (client parsing excluded)
    if reply.status != 303:
        tally.error(f"POST {reply.status}")
        return False
    with tally.lock:
        tally.posts_303 += 1
    return True


def get_once(client: Client, path: str, tally: Tally, address: str | None) -> bool:
    """A new visitor's GET (empty cookie jar, own user agent and address), expecting 200."""
    client.cookies.clear()
    headers = {"User-Agent": f"respond-bench/1 phone-{next(PHONES)}"}
    if address:
        headers["X-Forwarded-For"] = address
    reply = client.request("GET", path, headers=headers)
    if reply.status != 200:
        tally.error(f"GET {path.split('/')[1]} {reply.status}")
        return False
    return True


#: Each measured kind and the baseline it is paired with.
PAIRS = {"page": "bare", "submission": "baseline"}
KINDS = ("bare", "page", "baseline", "submission")


def insert_once(client: Client, tally: Tally) -> bool:
    reply = client.request("POST", "/_bench/insert", b"", {"Content-Type": "application/x-www-form-urlencoded"})
    if reply.status != 204:
        tally.error(f"insert {reply.status}")
        return False
    with tally.lock:
        tally.inserts_204 += 1
    return True


def run_load(kind: str, clients: int, duration: float, port: int, info: dict, tally: Tally, same_ip: bool) -> dict:
    """Run ``clients`` threads for ``duration`` seconds; return throughput and latency."""
    latencies: list[float] = []
    phases: list[tuple[float, float]] = []
    failures = [0]
    lock = threading.Lock()
    deadline = time.monotonic() + duration

    def worker(index: int) -> None:
        client, n = Client(HOST, port), index
        while time.monotonic() < deadline:
            token = info["tokens"][n % len(info["tokens"])]
            n += clients
            t0 = time.perf_counter()
            address = None if same_ip else tally.next_address()
            try:
                if kind == "baseline":
                    ok = insert_once(client, tally)
                elif kind == "bare":
                    ok = get_once(client, "/_bench/page", tally, address)
                elif kind == "page":
                    ok = get_once(client, f"/s/{token}", tally, address)
                else:
                    ok = submit_once(client, token, info["answers"], tally, phases, address)
            except (OSError, http.client.HTTPException) as exc:  # timeouts, resets, bad replies
                tally.error(type(exc).__name__)
                client.close()
                ok = False
            elapsed = time.perf_counter() - t0
            with lock:
                if ok:
                    latencies.append(elapsed)
                else:
                    failures[0] += 1
        client.close()

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(clients)]
    start = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = time.perf_counter() - start
    done = len(latencies)
    per_op = 2 if kind == "submission" else 1
    return {
        "kind": kind, "clients": clients, "ops": done, "failures": failures[0], "seconds": wall,
        "ops_per_s": done / wall, "req_per_s": done * per_op / wall,
        "p50_ms": 1000 * statistics.median(latencies) if latencies else math.nan,
        "p95_ms": 1000 * percentile(latencies, 0.95) if latencies else math.nan,
        "get_p50_ms": 1000 * statistics.median(p[0] for p in phases) if phases else math.nan,
        "post_p50_ms": 1000 * statistics.median(p[1] for p in phases) if phases else math.nan,
    }


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[max(0, math.ceil(q * len(ordered)) - 1)]


# --------------------------------------------------------------------------- report

def summarise(runs: list[dict], client_counts: list[int], kinds: tuple[str, ...] = KINDS) -> list[dict]:
    """Median over rounds per (clients, kind), plus each measured kind's per-round paired ratio."""
    rows = []
    for clients in client_counts:
        groups = {kind: [r for r in runs if r["clients"] == clients and r["kind"] == kind] for kind in kinds}
        for kind, group in groups.items():
            base = groups.get(PAIRS.get(kind, ""), [])
            ratios = [m["ops_per_s"] / b["ops_per_s"] for b, m in zip(base, group, strict=True)
                      if b["ops_per_s"]] if base else []
            rows.append({
                "clients": clients, "kind": kind, "rounds": len(group),
                **{k: statistics.median(r[k] for r in group)
                   for k in ("ops_per_s", "req_per_s", "p50_ms", "p95_ms", "get_p50_ms", "post_p50_ms")},
                "failures": sum(r["failures"] for r in group),
                "ratio_vs_baseline": statistics.median(ratios) if ratios else None,
            })
    return rows


def table(summary: list[dict]) -> str:
    lines = [(f"{'clients':>7} {'kind':<11} {'ops/s':>8} {'req/s':>8} {'p50 ms':>8} {'p95 ms':>8} "
              f"{'GET p50':>8} {'POST p50':>8} {'fail':>5} {'÷ base':>9}")]
    for r in summary:
        ratio = f"{r['ratio_vs_baseline']:.3f}" if r["ratio_vs_baseline"] is not None else ""
        phases = f"{r['get_p50_ms']:>8.1f} {r['post_p50_ms']:>8.1f}" if r["kind"] == "submission" else f"{'':>8} {'':>8}"
        lines.append(f"{r['clients']:>7} {r['kind']:<11} {r['ops_per_s']:>8.1f} {r['req_per_s']:>8.1f} "
                     f"{r['p50_ms']:>8.1f} {r['p95_ms']:>8.1f} {phases} {r['failures']:>5} {ratio:>9}")
    return "\n".join(lines)


def server_log_findings(log_path: Path) -> dict:
    text = log_path.read_text(errors="replace")
    return {
        "database_is_locked": len(re.findall(r"database is locked", text)),
        "tracebacks": text.count("Traceback (most recent call last)"),
        "unhandled_errors": text.count("unhandled error on"),
    }


# --------------------------------------------------------------------------- main

def git_revision() -> str:
    """Commit measured, with '+dirty' when the working tree differs (others edit concurrently)."""
    def git(*cmd):
        return subprocess.run(["git", *cmd], cwd=ROOT, capture_output=True, text=True, check=False).stdout.strip()
    dirty = git("status", "--porcelain", "--untracked-files=no", "--", "survey_app")
    return git("rev-parse", "--short", "HEAD") + ("+dirty(survey_app)" if dirty else "")


def parse_args(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--db", choices=("sqlite", "postgres"), default="sqlite")
    p.add_argument("--database-url", default=DEFAULT_PG, help="PostgreSQL URL (created if missing)")
    p.add_argument("--keep-db", action="store_true", help="do not drop a PostgreSQL database the bench created")
    p.add_argument("--clients", default="1,8", help="comma-separated concurrency levels")
    p.add_argument("--rounds", type=int, default=3)
    p.add_argument("--duration", type=float, default=5.0, help="seconds per measurement")
    p.add_argument("--warmup", type=float, default=2.0, help="seconds of warm-up per kind (not reported)")
    p.add_argument("--workers", type=int, default=2)
    p.add_argument("--threads", type=int, default=8, help="gthread threads per worker (README production settings)")
    p.add_argument("--kinds", default=",".join(KINDS),
                   help="measures per round, in order (bare,page = questionnaire GET and its baseline; "
                        "baseline,submission = GET + POST and its baseline)")
    p.add_argument("--same-ip", action="store_true",
                   help="send every respondent from 127.0.0.1 (one NAT'd office) instead of one address per phone")
    p.add_argument("--save", action="store_true", help="write JSON to bench/results/")
    return p.parse_args(argv)


def main(argv=None) -> int:
    args = parse_args(argv)
    client_counts = [int(c) for c in args.clients.split(",")]
    kinds = tuple(k for k in args.kinds.split(",") if k)
    if unknown := set(kinds) - set(KINDS):
        raise SystemExit(f"unknown kinds: {', '.join(sorted(unknown))} (choose from {', '.join(KINDS)})")
    workdir = Path(tempfile.mkdtemp(prefix="respond-bench-"))
    db_url, drop_db = prepare_database(args, workdir)
    env = {"DATABASE_URL": db_url, "SECRET_KEY": BENCH_SECRET, "APP_ENV": "production",
           "SESSION_COOKIE_SECURE": "0",  # plain http on loopback
           "PROXY_FIX_X_FOR": "1"}  # trust X-Forwarded-For: one client address per simulated phone
    info = setup_schema(env)
    before = count_rows(info["survey_id"])
    port, log_path = free_port(), workdir / "gunicorn.log"
    print(f"code: {git_revision()}")
    print(f"db={args.db} ({db_url})  gunicorn: {args.workers} gthread workers x {args.threads} threads, "
          f"port {port}; {args.rounds} rounds x {args.duration:g} s per measurement")
    server = start_gunicorn(args, env, port, log_path)
    tally, runs = Tally(), []
    try:
        weight = page_weight.measure(f"http://{HOST}:{port}/s/{info['tokens'][0]}")
        print("\n== respondent page weight (first load of a unit's questionnaire)")
        print(page_weight.report(weight))
        for kind in kinds:  # warm both workers' pools and caches
            run_load(kind, max(client_counts), args.warmup, port, info, tally, args.same_ip)
        print("\n== throughput")
        for rnd in range(1, args.rounds + 1):
            for clients in client_counts:
                for kind in kinds:
                    r = run_load(kind, clients, args.duration, port, info, tally, args.same_ip)
                    runs.append({"round": rnd, **r})
                    print(f"round {rnd}  {clients} client(s)  {kind:<10}  {r['ops_per_s']:7.1f} ops/s  "
                          f"p50 {r['p50_ms']:6.1f} ms  p95 {r['p95_ms']:6.1f} ms  failures {r['failures']}")
    finally:
        stop_gunicorn(server)
    after = count_rows(info["survey_id"])
    stored, inserted = after[0] - before[0], after[1] - before[1]
    summary = summarise(runs, client_counts, kinds)
    findings = server_log_findings(log_path)
    consistent = stored == tally.posts_303 and inserted == tally.inserts_204

    print(f"\n== summary (medians of {args.rounds} rounds; ÷ base = page GETs/s ÷ bare pages/s and "
          f"submissions/s ÷ baseline inserts/s, paired per round)")
    print(table(summary))
    print(f"\npage weight: {weight['total_wire']} B gzip / {weight['total_raw']} B raw in {len(weight['resources'])} requests "
          f"(budget {weight['budget']} B: {'OK' if weight['within_budget'] else 'OVER'}); "
          f"external assets: {weight['external_refs'] or 'none'}")
    print(f"consistency: responses stored {stored} vs POSTs answered 303 {tally.posts_303}; "
          f"bench_rows {inserted} vs 204 {tally.inserts_204} -> {'OK' if consistent else 'MISMATCH'}; "
          f"distinct client addresses among responses: {after[2]}")
    print(f"client-side errors: {tally.errors or 'none'}; server log: {findings}")

    if args.save:
        out = ROOT / "bench" / "results" / f"respond-{args.db}-{datetime.now(UTC):%Y%m%dT%H%M%SZ}.json"
        out.parent.mkdir(exist_ok=True)
        out.write_text(json.dumps({
            "args": vars(args), "git": git_revision(), "page_weight": weight, "runs": runs, "summary": summary,
            "stored": stored, "posts_303": tally.posts_303, "inserted": inserted, "inserts_204": tally.inserts_204,
            "errors": tally.errors, "server_log": findings, "consistent": consistent,
        }, indent=2, ensure_ascii=False))
        print(f"wrote {out.relative_to(ROOT)}")
    if findings["tracebacks"]:
        print(f"server log kept at {log_path}")
    else:
        shutil.rmtree(workdir, ignore_errors=True)
    drop_db()
    return 0 if consistent and weight["within_budget"] and not weight["external_refs"] else 1


if __name__ == "__main__":
    sys.exit(main())

"""API benchmark: streaming a survey's responses as CSV, against pandas read_sql + to_csv.

    .venv/bin/python -m bench.api_bench                                  # SQLite (temp file), 10⁵ responses
    .venv/bin/python -m bench.api_bench --database-url postgresql://postgres@127.0.0.1:5432/bench_api --save

One survey (industrial bank, 30 units) gets N responses × 12 answers from
``bench/summary_data.py`` (bulk load).  Then, each in a **fresh subprocess** (so peaks do
not mix), ``--repeat`` times:

* ``api``: ``GET /api/v1/surveys/<id>/responses.csv?include=valid,flagged,excluded`` with
  a bearer token, through the app in-process (WSGI, the body consumed chunk by chunk and
  thrown away, as a socket would send it);
* ``baseline``: what an analyst with database access would write — ``pd.read_sql`` of the
  responses and of their answers, a pivot to one column per question (vectorised: the
  bench data have one answer per question), ``to_csv`` into a temporary file.

Each reports wall time, rows/s, the process's peak RSS above its start (``VmHWM`` minus
the value before the work) and, in a second run of its own, tracemalloc's Python peak.
With ``--http`` it also serves the app with gunicorn on 127.0.0.1 under the README's
production settings (``APP_ENV=production``, gthread workers) and streams the CSV over
HTTP, reporting rows/s and the serving worker's peak RSS growth.

The tables are created with ``db.create_all()`` and dropped at the end (a SQLite file is
deleted), so the benchmark leaves nothing behind in the database it was given.
"""

from __future__ import annotations

import argparse
import json
import os
import secrets
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

RESULTS = ROOT / "bench" / "results"
QUERY = "include=valid,flagged,excluded"


def make_app(url: str):
    os.environ["DATABASE_URL"] = url
    from survey_app import create_app

    return create_app({"APP_ENV": "testing", "SECRET_KEY": "bench-" + "x" * 32})


def rss_peak_mb(pid: str = "self") -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError("no VmHWM (Linux only)")


def prepare(url: str, n: int) -> tuple[int, str]:
    """Schema, survey, N responses and a token of an admin; return (survey id, token)."""
    from bench import summary_data
    from survey_app.extensions import db
    from survey_app.services.accounts import create_user
    from survey_app.services.api_tokens import create_token

    app = make_app(url)
    survey_id, unit_ids = summary_data.create_survey_with_units(app)
    loader = summary_data.load_postgres if url.startswith("postgresql") else summary_data.load_sqlite
    loader(app, n, survey_id, unit_ids, log=lambda *a: print(*a, flush=True))
    with app.app_context():
        user = create_user(db.session, "bench-api", secrets.token_urlsafe(16), "admin")
        _, token = create_token(db.session, user, "bench", "bench")
        db.session.commit()
    return survey_id, token


def drop(url: str) -> None:
    from survey_app.extensions import db

    app = make_app(url)
    with app.app_context():
        db.drop_all()
        db.engine.dispose()


# ----------------------------------------------------------------------------- the two contenders

#: A small slice (the first hour): warms a process (lazy imports, first queries) without raising its peak.
WARM = "&until=2026-10-01T09:00"


def run_api(app, survey_id: int, token: str, extra: str = "") -> tuple[int, int]:
    """Stream the CSV through the WSGI app; return (data rows, bytes)."""
    client = app.test_client()
    reply = client.get(f"/api/v1/surveys/{survey_id}/responses.csv?{QUERY}{extra}",
                       headers={"Authorization": f"Bearer {token}"}, buffered=False)
    assert reply.status_code == 200, reply.status_code
    size = lines = 0
    for chunk in reply.response:
        size += len(chunk)
        lines += chunk.count(b"\n")
    reply.close()
    return lines - 1, size


def run_baseline(app, survey_id: int, extra: str = "") -> tuple[int, int]:
    """pandas: read the responses and answers, one column per question, write CSV; return (rows, bytes)."""
    import pandas as pd

    from survey_app.extensions import db

    where = f"survey_id = {survey_id}" + (" AND id < 100" if extra else "")
    with app.app_context(), db.engine.connect() as conn, tempfile.TemporaryFile("w+b") as out:
        responses = pd.read_sql(
            "SELECT id, submitted_at, unit_id, duration_seconds, source, status, status_reason, decision "
            f"FROM responses WHERE {where} ORDER BY id", conn)
        answers = pd.read_sql(
            "SELECT response_id, question_id, option_key FROM answers "
            f"WHERE {where.replace('id <', 'response_id <')} ORDER BY response_id, id", conn)
        # one answer row per (response, question) here (single choice), so a vectorised pivot does
        wide = answers.pivot(index="response_id", columns="question_id", values="option_key")
        frame = responses.merge(wide, left_on="id", right_index=True, how="left")
        frame.to_csv(out, index=False, encoding="utf-8-sig")
        return len(frame), out.tell()


def child(args) -> None:
    import tracemalloc

    app = make_app(args.url)
    with app.app_context():  # warm: the questionnaire parsed, the engine connected, as in a web worker
        from survey_app.extensions import db
        from survey_app.models import Survey

        _ = db.session.get(Survey, args.survey).questionnaire
        db.session.remove()
    run_api(app, args.survey, args.token, WARM) if args.kind == "api" else run_baseline(app, args.survey, WARM)
    base = rss_peak_mb()
    if args.trace:
        tracemalloc.start()
    t0 = time.perf_counter()
    rows, size = run_api(app, args.survey, args.token) if args.kind == "api" else run_baseline(app, args.survey)
    elapsed = time.perf_counter() - t0
    peak = tracemalloc.get_traced_memory()[1] if args.trace else None
    print(json.dumps({"time": elapsed, "rows": rows, "bytes": size, "rss_base_mb": base,
                      "rss_growth_mb": rss_peak_mb() - base, "py_peak_mb": None if peak is None else peak / 2**20}))


def run_child(args, survey_id: int, token: str, kind: str, trace: bool) -> dict:
    cmd = [sys.executable, "-m", "bench.api_bench", "--child", "--url", args.url, "--survey", str(survey_id),
           "--token", token, "--kind", kind, *(["--trace"] if trace else [])]
    done = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, check=False)
    if done.returncode:
        raise SystemExit(f"child failed: {done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


# ----------------------------------------------------------------------------- over HTTP (gunicorn)

def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def run_http(url: str, survey_id: int, token: str, repeat: int) -> dict:
    """Serve with gunicorn (production settings) and stream the CSV over loopback."""
    import http.client

    port = free_port()
    env = {**os.environ, "APP_ENV": "production", "SECRET_KEY": secrets.token_hex(32), "DATABASE_URL": url,
           "SESSION_COOKIE_SECURE": "0", "PUBLIC_BASE_URL": f"http://127.0.0.1:{port}"}
    server = subprocess.Popen([str(Path(sys.executable).with_name("gunicorn")), "--workers", "2", "--worker-class",
                               "gthread", "--threads", "8", "--bind", f"127.0.0.1:{port}", "--no-control-socket",
                               "wsgi:app"], cwd=ROOT, env=env, stderr=subprocess.DEVNULL, start_new_session=True)
    try:
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                time.sleep(0.2)
        workers = [int(p) for p in subprocess.run(["pgrep", "-P", str(server.pid)], capture_output=True,
                                                  text=True).stdout.split()]
        for _ in range(4 * len(workers)):  # warm every worker: app loaded, first queries and CSV done
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
            conn.request("GET", f"/api/v1/surveys/{survey_id}/responses.csv?{QUERY}{WARM}",
                         headers={"Authorization": f"Bearer {token}"})
            conn.getresponse().read()
            conn.close()
        runs = []
        for _ in range(repeat):
            before = {w: rss_peak_mb(str(w)) for w in workers}
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=300)
            t0 = time.perf_counter()
            conn.request("GET", f"/api/v1/surveys/{survey_id}/responses.csv?{QUERY}",
                         headers={"Authorization": f"Bearer {token}"})
            reply = conn.getresponse()
            assert reply.status == 200, reply.status
            lines = size = 0
            while chunk := reply.read(256 * 1024):
                size += len(chunk)
                lines += chunk.count(b"\n")
            elapsed = time.perf_counter() - t0
            conn.close()
            growth = max(rss_peak_mb(str(w)) - before[w] for w in workers)
            runs.append({"time": elapsed, "rows": lines - 1, "bytes": size, "worker_rss_growth_mb": growth,
                         "worker_rss_mb": max(rss_peak_mb(str(w)) for w in workers)})
        return {k: statistics.median(r[k] for r in runs) for k in runs[0]}
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(10)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database-url", help="PostgreSQL URL (tables created and dropped); default: a temporary SQLite file")
    parser.add_argument("--n", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--http", action="store_true", help="also stream over HTTP from gunicorn (production settings)")
    parser.add_argument("--save", action="store_true")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--url", help=argparse.SUPPRESS)
    parser.add_argument("--survey", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--token", help=argparse.SUPPRESS)
    parser.add_argument("--kind", help=argparse.SUPPRESS)
    parser.add_argument("--trace", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        return child(args)
    tmp = None
    if args.database_url:
        args.url = args.database_url
    else:
        tmp = tempfile.TemporaryDirectory(prefix="bench_api_")
        args.url = f"sqlite:///{tmp.name}/bench.db"
    db_name = "postgres" if args.url.startswith("postgresql") else "sqlite"
    results = {"db": db_name, "n": args.n}
    try:
        t0 = time.perf_counter()
        survey_id, token = prepare(args.url, args.n)
        print(f"== {args.n} responses ({db_name}), data ready in {time.perf_counter() - t0:.0f}s", flush=True)
        for kind in ("api", "baseline"):
            runs = [{**run_child(args, survey_id, token, kind, False),
                     "py_peak_mb": run_child(args, survey_id, token, kind, True)["py_peak_mb"]}
                    for _ in range(args.repeat)]
            row = {k: statistics.median(r[k] for r in runs) for k in runs[0]}
            row["times"] = [round(r["time"], 2) for r in runs]
            results[kind] = row
            print(f"  {kind:8}: {row['rows']:.0f} rows in {row['time']:.2f}s {row['times']} = "
                  f"{row['rows'] / row['time']:,.0f} rows/s; RSS +{row['rss_growth_mb']:.0f} MB "
                  f"(base {row['rss_base_mb']:.0f}); Python peak {row['py_peak_mb']:.1f} MB; "
                  f"{row['bytes'] / 2**20:.1f} MiB", flush=True)
        if args.http:
            row = results["http"] = run_http(args.url, survey_id, token, args.repeat)
            print(f"  http    : {row['rows']:.0f} rows in {row['time']:.2f}s = {row['rows'] / row['time']:,.0f} rows/s; "
                  f"worker peak RSS +{row['worker_rss_growth_mb']:.0f} MB (now {row['worker_rss_mb']:.0f} MB); "
                  f"{row['bytes'] / 2**20:.1f} MiB", flush=True)
    finally:
        drop(args.url)
        if tmp is not None:
            tmp.cleanup()
    api, base = results["api"], results["baseline"]
    print(f"\napi / baseline: time {api['time'] / base['time']:.2f}×, "
          f"Python peak {api['py_peak_mb'] / base['py_peak_mb']:.2f}×, RSS growth "
          f"{api['rss_growth_mb']:.0f} MB vs {base['rss_growth_mb']:.0f} MB")
    if args.save:
        RESULTS.mkdir(exist_ok=True)
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
        path = RESULTS / f"api_{db_name}_{stamp}.json"
        path.write_text(json.dumps(results, indent=2))
        print(f"saved {path}")


if __name__ == "__main__":
    main()

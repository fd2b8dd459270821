"""Dashboard benchmark: /data latency at 10⁵ responses against a raw GROUP BY, how many live
dashboards (open event streams) one gunicorn server on the README's production settings (2
gthread workers × 8 threads) keeps live, and how long an answer takes to reach the charts of a
dashboard open in Chromium.

    .venv/bin/python -m bench.dashboard_bench                       # SQLite, 100 000 responses
    .venv/bin/python -m bench.dashboard_bench --db postgres --save  # PostgreSQL (bench_dashboard)
    .venv/bin/python -m bench.dashboard_bench --browser 5           # + 5 answers seen by Chromium

Data: ``bench/summary_data.py`` (same seeded generator and bulk load as the summary bench).
gunicorn serves ``wsgi:app`` (the real app).  See README.md, section "Dashboard benchmark".
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import statistics
import subprocess
import sys
import threading
import time
from datetime import UTC, datetime
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench import summary_data
from bench.client import HIDDEN, Client
from bench.page_weight import AssetRefs
from bench.respond_bench import HOST, free_port, git_revision, launch, stop_gunicorn
from bench.summary_bench import BASELINE_SQL, PostgresDB, SqliteDB, make_app

PASSWORD = "bench-password-123"
SECRET = "bench-only-secret-" + "0" * 32


def med(values: list[float]) -> float:
    return statistics.median(values) if values else float("nan")


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[max(0, int(0.95 * len(ordered) + 0.5) - 1)] if ordered else float("nan")


# --------------------------------------------------------------------------- set-up

def prepare(app, n: int, db: str) -> dict:
    """Bulk-load n responses, add an owner account; return ids, a unit token and answers."""
    from survey_app.extensions import db as sadb
    from survey_app.models import Survey
    from survey_app.services.accounts import create_user
    from tests.support import all_satisfied

    survey_id, unit_ids = summary_data.create_survey_with_units(app)
    (summary_data.load_postgres if db == "postgres" else summary_data.load_sqlite)(app, n, survey_id, unit_ids)
    with app.app_context():
        survey = sadb.session.get(Survey, survey_id)
        survey.owner_id = create_user(sadb.session, "bench", PASSWORD, "evaluator").id
        info = {"survey_id": survey_id, "token": survey.units[0].token,
                "answers": {f"q_{k}": v for k, v in all_satisfied(survey.questionnaire).items()}}
        sadb.session.commit()
        sadb.session.remove()
        sadb.engine.dispose()
    return info


def start_server(url: str, port: int, args, log: Path) -> subprocess.Popen:
    env = {**os.environ, "DATABASE_URL": url, "SECRET_KEY": SECRET, "APP_ENV": "production", "SESSION_COOKIE_SECURE": "0"}
    cmd = [str(Path(sys.executable).with_name("gunicorn")), "wsgi:app", "--no-control-socket", "--chdir", str(ROOT),
           "--bind", f"{HOST}:{port}", "--workers", "2", "--worker-class", "gthread", "--threads", str(args.threads),
           "--timeout", "120", "--log-level", "warning"]
    return launch(cmd, env, port, log, timeout=120)  # a loaded shared machine starts gunicorn slowly


def login(port: int) -> Client:
    client = Client(HOST, port, timeout=60)
    token = dict(HIDDEN.findall(client.request("GET", "/manage/login").text))["csrf_token"]
    body = urlencode({"csrf_token": token, "username": "bench", "password": PASSWORD}).encode()
    assert client.request("POST", "/manage/login", body, {"Content-Type": "application/x-www-form-urlencoded"}).status == 302
    return client


# --------------------------------------------------------------------------- measurements

def first_load(client: Client, survey_id: int) -> list[dict]:
    """The dashboard page, each asset it references and the first /data, as a browser loads them (gzip)."""
    rows = []

    def get(kind: str, path: str) -> str:
        reply = client.request("GET", path)
        rows.append({"kind": kind, "path": path.split("?")[0], "raw": len(reply.body), "wire": len(reply.wire),
                     "encoding": reply.headers.get("Content-Encoding", "identity")})
        return reply.text

    parser: HTMLParser = AssetRefs()
    parser.feed(get("html", f"/manage/surveys/{survey_id}/dashboard"))
    for kind, ref in parser.refs:
        get(kind, ref)
    get("data", f"/manage/surveys/{survey_id}/dashboard/data")
    return rows


def timed_get(client: Client, path: str, headers: dict | None = None):
    """Return (seconds, reply) of one GET."""
    t0 = time.perf_counter()
    reply = client.request("GET", path, headers=headers)
    return time.perf_counter() - t0, reply


def latency(app, client: Client, survey_id: int, repeat: int) -> dict:
    """Per round, in one order: raw GROUP BY, version query, /data (build), /data (cache hit), /data 304."""
    import sqlalchemy as sa

    from survey_app.extensions import db
    from survey_app.services.live import data_version

    base = f"/manage/surveys/{survey_id}/dashboard/data"
    out: dict[str, list[float]] = {k: [] for k in ("baseline", "version", "data build", "data cached", "data 304", "stats warm")}
    out["stats cold (once)"] = [timed_get(client, base + "?stats=1&r=cold")[0]]
    out["stats ready (once)"] = [stats_ready(client, base + "?stats=1&r=ready")]
    with app.app_context():
        for r in range(repeat + 1):  # round 0 warms up and is dropped
            t0 = time.perf_counter()
            db.session.execute(sa.text(BASELINE_SQL), {"id": survey_id}).all()
            t1 = time.perf_counter()
            data_version(db.session, survey_id)
            sample = {"baseline": t1 - t0, "version": time.perf_counter() - t1}
            db.session.rollback()
            sample["data build"], reply = timed_get(client, f"{base}?r={r}")
            sample["data cached"] = timed_get(client, f"{base}?r={r}")[0]
            sample["data 304"] = timed_get(client, f"{base}?r={r}", {"If-None-Match": reply.headers["ETag"]})[0]
            sample["stats warm"] = timed_get(client, f"{base}?stats=1&r=w{r}")[0]
            if r:
                for k, v in sample.items():
                    out[k].append(v)
    base_ms = 1000 * med(out["baseline"])
    return {k: {"median_ms": 1000 * med(v), "min_ms": 1000 * min(v), "x_baseline": 1000 * med(v) / base_ms}
            for k, v in out.items()}


def stats_ready(client: Client, path: str, limit: float = 300.0) -> float:
    """Seconds from a cold statistics request until one returns the interval of the current data.

    The first reply comes after at most ``DASHBOARD_STATS_WAIT_SECONDS`` (the last interval,
    or none yet, while the new one computes in the background); this asks again every 0.25 s.
    """
    t0 = time.perf_counter()
    while time.perf_counter() - t0 < limit:
        ci = json.loads(client.request("GET", path).text)["header"].get("ci") or {}
        if ci.get("current"):
            return time.perf_counter() - t0
        time.sleep(0.25)
    return float("nan")


class Listener(threading.Thread):
    """One open dashboard: an SSE stream; on each version event it fetches /data like dashboard.js."""

    def __init__(self, port: int, cookies: dict, survey_id: int):
        super().__init__(daemon=True)
        self.port, self.cookies, self.survey_id = port, cookies, survey_id
        self.events: list[float] = []  # time /data arrived after each version event
        self.ready = threading.Event()
        self.error: str | None = None
        self.conn: http.client.HTTPConnection | None = None

    def run(self) -> None:
        data = Client(HOST, self.port, timeout=30, cookies=dict(self.cookies))
        try:
            self.conn = http.client.HTTPConnection(HOST, self.port, timeout=60)
            cookie = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
            # The same User-Agent as the login: Flask-Login binds the session to it.
            headers = {"Cookie": cookie, "User-Agent": "respond-bench/1"}
            self.conn.request("GET", f"/manage/surveys/{self.survey_id}/dashboard/events", headers=headers)
            stream = self.conn.getresponse()
            for raw in stream:
                if raw.startswith(b"event: version"):
                    if self.ready.is_set():
                        data.request("GET", f"/manage/surveys/{self.survey_id}/dashboard/data")
                        self.events.append(time.perf_counter())
                    self.ready.set()
        except (OSError, http.client.HTTPException, ValueError, AttributeError) as exc:
            self.error = self.error or type(exc).__name__

    def stop(self) -> None:
        self.error = self.error or "stopped"
        if self.conn is not None and self.conn.sock is not None:
            self.conn.sock.close()


def submit(port: int, token: str, answers: dict) -> None:
    """A real answer over HTTP: GET the unit's form, POST it (303)."""
    phone = Client(HOST, port, timeout=60)
    # Another person each time: identical answers from one device are stored once.
    another = f"/s/{token}?another=1"
    hidden = dict(HIDDEN.findall(phone.request("GET", another).text))
    reply = phone.request("POST", another, urlencode({**hidden, **answers}).encode(),
                          {"Content-Type": "application/x-www-form-urlencoded"})
    assert reply.status == 303, reply.status


def live_round(port: int, cookies: dict, info: dict, n: int, updates: int, gap: float) -> dict:
    """Open n dashboards, submit ``updates`` answers ``gap`` s apart; latency = answer stored → /data received."""
    listeners = [Listener(port, cookies, info["survey_id"]) for _ in range(n)]
    for listener in listeners:
        listener.start()
    deadline = time.perf_counter() + 30  # one deadline for all: streams beyond the thread pool never connect
    connected = sum(listener.ready.wait(max(0.0, deadline - time.perf_counter())) for listener in listeners)
    stored = []
    for _ in range(updates):
        submit(port, info["token"], info["answers"])
        stored.append(time.perf_counter())
        time.sleep(gap)
    deadline = time.perf_counter() + 30  # late deliveries still count (as late), up to 30 s
    while time.perf_counter() < deadline and any(len(x.events) < updates and not x.error for x in listeners):
        time.sleep(0.2)
    lat, live = [], 0
    for listener in listeners:
        got = [e - s for s, e in zip(stored, sorted(listener.events)[:updates], strict=False)]
        lat += got
        live += len(got) == updates and max(got) < 3.0
        listener.stop()
    return {"clients": n, "connected": connected, "kept_live": live, "updates": updates, "deliveries": len(lat),
            "p50_s": med(lat), "p95_s": p95(lat), "max_s": max(lat) if lat else float("nan")}


#: Q1's answer count as drawn: the sum over the plotly traces' customdata (one trace per option).
Q1_DRAWN = ("() => { const d = document.getElementById('chart-Q1');"
            " return d && d.data ? d.data.reduce((n, t) => n + t.customdata[0], 0) : null; }")


def browser_round(port: int, info: dict, updates: int, gap: float, block_stats: bool = False) -> dict:
    """One dashboard in headless Chromium; latency = answer stored (303) → Q1's plotly data counts it.

    This is the whole path a user sees: the stream's poll, the version event, ``/data`` (built
    once per change), dashboard.js and ``Plotly.react``.  Needs playwright and /usr/bin/chromium,
    like the browser tests.  ``block_stats`` aborts the page's ``stats=1`` requests (the 95 % CI),
    to tell their cost apart from the update's own.
    """
    from playwright.sync_api import sync_playwright

    from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS

    if CHROMIUM is None:
        raise SystemExit("--browser needs Chromium (apt-get install chromium)")
    base, path = f"http://{HOST}:{port}", f"/manage/surveys/{info['survey_id']}/dashboard"
    latencies = []
    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        page = chromium.new_context(viewport={"width": 1366, "height": 900}, locale="zh-CN").new_page()
        page.set_default_timeout(120_000)  # the first /data at 10⁵ responses is a cold build
        if block_stats:
            page.route("**/dashboard/data?*stats=1*", lambda route: route.abort())
        page.goto(f"{base}/manage/login?next={path}")
        page.fill("#username", "bench")
        page.fill("#password", PASSWORD)
        page.get_by_role("button", name="登录").click()
        page.wait_for_url(f"**{path}")
        page.wait_for_function(Q1_DRAWN)
        page.wait_for_function("() => document.getElementById('live-status').textContent.includes('实时更新中')")
        for _ in range(updates):
            before = page.evaluate(Q1_DRAWN)
            submit(port, info["token"], info["answers"])
            stored = time.perf_counter()
            page.wait_for_function(f"() => ({Q1_DRAWN})() > {before}", timeout=60_000)
            latencies.append(time.perf_counter() - stored)
            time.sleep(gap)
        chromium.close()
    return {"updates": updates, "block_stats": block_stats, "p50_s": med(latencies), "p95_s": p95(latencies),
            "max_s": max(latencies), "all_s": latencies}


# --------------------------------------------------------------------------- main

def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--db", choices=("sqlite", "postgres"), default="sqlite")
    p.add_argument("--database-url", default="postgresql://postgres@127.0.0.1:5432/bench_dashboard")
    p.add_argument("--responses", type=int, default=100_000)
    p.add_argument("--repeat", type=int, default=7)
    p.add_argument("--clients", default="1,4", help="live rounds to run; '' for none (2 stream slots per worker)")
    p.add_argument("--threads", type=int, default=8,
                   help="gthread threads per worker (README production settings: 8; each open stream holds one)")
    p.add_argument("--updates", type=int, default=3)
    p.add_argument("--gap", type=float, default=4.0, help="seconds between answers in a live round")
    p.add_argument("--browser", type=int, default=0, metavar="N",
                   help="also answer N times while one dashboard is open in Chromium (needs playwright)")
    p.add_argument("--block-stats", action="store_true", help="in the browser round, abort the page's stats=1 requests")
    p.add_argument("--save", action="store_true")
    args = p.parse_args(argv)
    result = {"args": vars(args), "git": git_revision()}
    with (PostgresDB(args.database_url, replace=True) if args.db == "postgres" else SqliteDB()) as url:
        app = make_app(url)
        print(f"code {result['git']}; loading {args.responses} responses into {args.db} …; "
              f"load average {os.getloadavg()[0]:.1f}", flush=True)
        info = prepare(app, args.responses, args.db)
        port, log = free_port(), Path(f"/tmp/dashboard-bench-{os.getpid()}.log")
        server = start_server(url, port, args, log)
        try:
            client = login(port)
            result["first_load"] = load = first_load(client, info["survey_id"])
            print("\n== first load (gzip on the wire)")
            for row in load:
                print(f"{row['kind']:<14} {row['path'][-48:]:<48} {row['raw']:>9} B raw {row['wire']:>8} B {row['encoding']}")
            print(f"{'total':<63} {sum(r['raw'] for r in load):>9} B raw {sum(r['wire'] for r in load):>8} B")
            result["latency"] = lat = latency(app, client, info["survey_id"], args.repeat)
            print(f"\n== latency at {args.responses} responses (median of {args.repeat} rounds; × = ÷ baseline median)")
            for name, row in lat.items():
                print(f"{name:<18} {row['median_ms']:9.1f} ms  (min {row['min_ms']:8.1f})  × {row['x_baseline']:6.2f}")
            print(f"\n== live dashboards (2 workers × {args.threads} threads; {args.updates} answers {args.gap:g} s apart)")
            result["live"] = []
            for n in [int(c) for c in args.clients.split(",") if c]:
                row = live_round(port, client.cookies, info, n, args.updates, args.gap)
                result["live"].append(row)
                print(f"{n:>4} clients: connected {row['connected']:>3}, kept live (<3 s) {row['kept_live']:>3}; update latency "
                      f"p50 {row['p50_s']:.2f} s, p95 {row['p95_s']:.2f} s, max {row['max_s']:.2f} s", flush=True)
                time.sleep(17)  # closed streams free their thread at the next heartbeat (15 s)
            if args.browser:
                result["browser"] = row = browser_round(port, info, args.browser, args.gap, args.block_stats)
                blocked = " (stats=1 requests blocked)" if args.block_stats else ""
                print(f"\n== Chromium dashboard{blocked}: answer stored → Q1's plotly data updated, {row['updates']} answers: "
                      f"p50 {row['p50_s']:.2f} s, p95 {row['p95_s']:.2f} s, max {row['max_s']:.2f} s", flush=True)
        finally:
            stop_gunicorn(server)
        errors = log.read_text(errors="replace").count("Traceback")
        print(f"\nserver log tracebacks: {errors}" + (f" ({log})" if errors else "") +
              f"; load average {os.getloadavg()[0]:.1f}")
        if not errors:
            log.unlink(missing_ok=True)
    if args.save:
        out = ROOT / "bench" / "results" / f"dashboard-{args.db}-{datetime.now(UTC):%Y%m%dT%H%M%SZ}.json"
        out.parent.mkdir(exist_ok=True)
        out.write_text(json.dumps(result, indent=2, ensure_ascii=False))
        print(f"wrote {out.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

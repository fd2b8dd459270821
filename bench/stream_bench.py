"""Stream capacity benchmark: do open live dashboards slow respondents down?

    .venv/bin/python -m bench.stream_bench                    # SQLite (temp file)
    .venv/bin/python -m bench.stream_bench --db postgres      # PostgreSQL: a temporary schema in the test database
    .venv/bin/python -m bench.stream_bench --rate 20          # respondents paced at 20 submissions/s
    .venv/bin/python -m bench.stream_bench --split            # dashboards on a second, niced server

gunicorn serves ``wsgi:app`` on the README's production settings (2 gthread workers × 8
threads, APP_ENV=production).  Each round measures, for ``--duration`` seconds, 8 respondent
clients doing full submissions (GET /s/<token> + POST → 303) with no dashboard open, then with
``--dashboards`` open ones.  By default each client submits again as soon as it is answered
(closed loop: the machine is saturated); ``--rate`` offers a fixed load instead.  A dashboard
behaves like static/dashboard.js: it loads /data, opens the event stream and, while the stream is
live, fetches /data on each new version; when the server answers ``busy`` (its stream slots are
taken) it polls /data every 3 s with its ETag and ``X-Dashboard-Poll: 1`` and asks for a stream
again after the ``retry`` the server sent.  Each dashboard runs in a thread of this process with
one stream connection and one keep-alive connection for /data, signed in as one of
``--evaluators`` sessions.  A prober GETs /healthz every 0.25 s.  With ``--split`` a second
gunicorn (``SERVE=evaluators``, ``nice -n 10``, 1 worker × 16 threads) serves the dashboards and
the first one runs with ``SERVE=respondents``: the README's two-server layout.

Printed: per round and as medians of the rounds, submissions/s and p95, the paired ratio
p95(dashboards)/p95(none), /healthz latency, and what the dashboards did.  PostgreSQL runs in
a schema of its own (dropped at the end) so that the database's other contents are untouched.
See bench/README.md, "Stream capacity benchmark".
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.client import HIDDEN, Client
from bench.respond_bench import HOST, Tally, free_port, git_revision, launch, percentile, run_load, stop_gunicorn

DEFAULT_PG = "postgresql://postgres@127.0.0.1:5432/test"
SECRET = "bench-only-secret-" + "0" * 32
PASSWORD = "bench-password-123"
AGENT = "respond-bench/1"  # Flask-Login ties a session to the user agent: every request sends the same


# --------------------------------------------------------------------------- database and server

class Database:
    """SQLite: a temporary file.  PostgreSQL: a fresh schema in the given database, dropped afterwards."""

    def __init__(self, args, workdir: Path):
        self.args, self.workdir, self.schema = args, workdir, None

    def __enter__(self) -> str:
        if self.args.db == "sqlite":
            return f"sqlite:///{self.workdir / 'bench.db'}"
        import psycopg

        self.schema = f"stream_bench_{os.getpid()}"
        with psycopg.connect(self.args.database_url, autocommit=True) as conn:
            conn.execute(f'CREATE SCHEMA "{self.schema}"')
        sep = "&" if "?" in self.args.database_url else "?"
        return f"{self.args.database_url}{sep}options=-csearch_path%3D{self.schema}"

    def __exit__(self, *exc) -> None:
        if self.schema:
            import psycopg

            with psycopg.connect(self.args.database_url, autocommit=True) as conn:
                conn.execute(f'DROP SCHEMA IF EXISTS "{self.schema}" CASCADE')


def setup_data(env: dict) -> dict:
    """Tables, the demo survey (opened) and an evaluator who owns it; return tokens, answers, ids."""
    os.environ.update(env)
    from survey_app import create_app
    from survey_app.extensions import db
    from survey_app.services.accounts import create_user
    from survey_app.services.demo import ensure_demo
    from tests.support import all_satisfied

    app = create_app()
    with app.app_context():
        db.create_all()
        survey, _, _ = ensure_demo(db.session)
        survey.owner_id = create_user(db.session, "bench", PASSWORD, "evaluator").id
        info = {"tokens": [u.token for u in survey.units], "survey_id": survey.id,
                "answers": {f"q_{qid}": key for qid, key in all_satisfied(survey.questionnaire).items()}}
        db.session.commit()
        db.session.remove()
        db.engine.dispose()
    return info


def start_server(args, env: dict, port: int, log_path: Path, workers: int | None = None, threads: int | None = None,
                 nice: int = 0) -> subprocess.Popen:
    """The README's command (plus --no-control-socket, a free port and quieter logs)."""
    cmd = [str(Path(sys.executable).with_name("gunicorn")), "--workers", str(workers or args.workers),
           "--worker-class", "gthread", "--threads", str(threads or args.threads), "--bind", f"{HOST}:{port}",
           "--no-control-socket", "--chdir", str(ROOT), "--log-level", "warning", "wsgi:app"]
    if nice:
        cmd = ["nice", "-n", str(nice), *cmd]  # nice execs gunicorn: the pid stays the master's
    return launch(cmd, env, port, log_path)


def login(port: int) -> dict:
    """Sign in through the form; return the session cookies."""
    client = Client(HOST, port, timeout=30)
    token = dict(HIDDEN.findall(client.request("GET", "/manage/login").text))["csrf_token"]
    body = urlencode({"csrf_token": token, "username": "bench", "password": PASSWORD}).encode()
    reply = client.request("POST", "/manage/login", body, {"Content-Type": "application/x-www-form-urlencoded"})
    assert reply.status == 302, reply.status
    client.close()
    return dict(client.cookies)


# --------------------------------------------------------------------------- simulated dashboards

class Counters:
    def __init__(self):
        self.lock = threading.Lock()
        self.values: dict[str, int] = {}
        self.data_seconds: list[float] = []

    def add(self, what: str, n: int = 1) -> None:
        with self.lock:
            self.values[what] = self.values.get(what, 0) + n


class Dashboard(threading.Thread):
    """One open dashboard page, as static/dashboard.js behaves (bounded: two connections)."""

    def __init__(self, port: int, cookies: dict, survey_id: int, stop: threading.Event, counters: Counters,
                 poll_s: float, start_within: float):
        super().__init__(daemon=True)
        self.port, self.cookies, self.stop_event, self.counters = port, cookies, stop, counters
        self.poll_s, self.start_within = poll_s, start_within
        base = f"/manage/surveys/{survey_id}/dashboard"
        self.data_path, self.events_path = base + "/data", base + "/events"
        self.state = "starting"  # → live | polling
        self.loaded = threading.Event()
        self.etag: str | None = None
        self.stream: http.client.HTTPConnection | None = None
        self.data = Client(HOST, port, timeout=30, cookies=dict(cookies))

    def fetch(self, poll: bool = False) -> None:
        """load(false[, true]): GET /data; the browser revalidates with the ETag (fetch cache: no-cache)."""
        headers = {"Accept": "application/json", "User-Agent": AGENT, **({"X-Dashboard-Poll": "1"} if poll else {})}
        if self.etag:
            headers["If-None-Match"] = self.etag
        t0 = time.perf_counter()
        try:
            reply = self.data.request("GET", self.data_path, headers=headers)
        except (OSError, http.client.HTTPException) as exc:
            self.counters.add(f"data {type(exc).__name__}")
            self.data.close()
            return
        with self.counters.lock:
            self.counters.data_seconds.append(time.perf_counter() - t0)
        self.counters.add(f"data {reply.status}")
        if reply.status == 200:
            self.etag = reply.headers.get("ETag")

    def run(self) -> None:
        if self.stop_event.wait(random.uniform(0, self.start_within)):  # tabs are not opened in the same ms
            return
        self.fetch()
        self.loaded.set()
        while not self.stop_event.is_set():
            retry_s = self.listen()
            if self.stop_event.is_set():
                break
            self.state = "polling"
            # Polling (setInterval 3 s) until EventSource reconnects after `retry`.
            reconnect_at = time.monotonic() + retry_s
            next_poll = time.monotonic() + self.poll_s  # setInterval: the first poll after 3 s
            while not self.stop_event.is_set() and time.monotonic() < reconnect_at:
                if time.monotonic() >= next_poll:
                    self.fetch(poll=True)
                    next_poll += self.poll_s
                self.stop_event.wait(max(0.0, min(next_poll, reconnect_at) - time.monotonic()))
        self.data.close()

    def listen(self) -> float:
        """One EventSource connection until it ends; return the seconds before the next one."""
        retry_s, last = 3.0, None
        conn = self.stream = http.client.HTTPConnection(HOST, self.port, timeout=60)
        cookie = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        try:
            conn.request("GET", self.events_path, headers={"Cookie": cookie, "User-Agent": AGENT,
                                                           "Accept": "text/event-stream", "Cache-Control": "no-cache"})
            reply = conn.getresponse()
            if reply.status != 200:
                self.counters.add(f"events {reply.status}")
                return 5.0  # dashboard.js: an HTTP error closes the EventSource; it reconnects after 5 s
            event = None
            for raw in reply:
                line = raw.decode().rstrip("\n")
                if line.startswith("retry:"):
                    retry_s = int(line[6:]) / 1000
                elif line.startswith("event:"):
                    event = line[6:].strip()
                elif line.startswith("data:") and event == "version":
                    if self.state != "live":
                        self.counters.add("streams live")
                    version = json.loads(line[5:])["version"]
                    if version != last or self.state != "live":
                        self.state = "live"
                        self.fetch()
                    last = version
                elif line.startswith("data:") and event == "busy":
                    self.counters.add("streams refused (busy)")
                elif line == "":
                    event = None
        except (OSError, http.client.HTTPException, ValueError) as exc:
            if not self.stop_event.is_set():
                self.counters.add(f"events {type(exc).__name__}")
        finally:
            conn.close()
        return retry_s

    def stop(self) -> None:
        conn = self.stream
        if conn is not None and conn.sock is not None:
            try:
                conn.sock.shutdown(socket.SHUT_RDWR)  # unblocks the reading thread
            except OSError:
                pass


class Prober(threading.Thread):
    """GET /healthz every ``every`` s on one keep-alive connection; keep the latencies."""

    def __init__(self, port: int, stop: threading.Event, every: float = 0.25):
        super().__init__(daemon=True)
        self.port, self.stop_event, self.every = port, stop, every
        self.seconds: list[float] = []
        self.failures = 0

    def run(self) -> None:
        client = Client(HOST, self.port, timeout=10)
        while not self.stop_event.wait(self.every):
            t0 = time.perf_counter()
            try:
                ok = client.request("GET", "/healthz").status == 200
            except (OSError, http.client.HTTPException):
                client.close()
                ok = False
            if ok:
                self.seconds.append(time.perf_counter() - t0)
            else:
                self.failures += 1
        client.close()


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process and its children (gunicorn's master and workers), from /proc."""
    tick, total = os.sysconf("SC_CLK_TCK"), 0.0
    try:
        children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
        for p in [pid, *map(int, children)]:
            fields = Path(f"/proc/{p}/stat").read_text().rsplit(")", 1)[1].split()
            total += (int(fields[11]) + int(fields[12])) / tick
    except OSError:
        return float("nan")
    return total


def paced_load(clients: int, rate: float, duration: float, port: int, info: dict, tally: Tally) -> dict:
    """Open loop: ``rate`` submissions/s spread over ``clients`` threads, each on its own schedule.

    Unlike ``run_load`` (each client submits again as soon as it is answered, which saturates
    the machine), the offered load does not depend on the server, so the latency shows
    waiting rather than the share of a saturated CPU.
    """
    from bench.respond_bench import submit_once

    latencies: list[float] = []
    failures, lock, interval = [0], threading.Lock(), clients / rate
    start = time.monotonic() + 0.1

    def worker(index: int) -> None:
        client, k = Client(HOST, port, timeout=30), 0
        while True:
            due = start + (index / clients + k) * interval
            if due >= start + duration:
                break
            time.sleep(max(0.0, due - time.monotonic()))
            token = info["tokens"][(index + k * clients) % len(info["tokens"])]
            t0 = time.perf_counter()
            try:
                ok = submit_once(client, token, info["answers"], tally, [], tally.next_address())
            except (OSError, http.client.HTTPException) as exc:
                tally.error(type(exc).__name__)
                client.close()
                ok = False
            with lock:
                if ok:
                    latencies.append(time.perf_counter() - t0)
                else:
                    failures[0] += 1
            k += 1
        client.close()

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = max(duration, time.monotonic() - start)
    return {"ops": len(latencies), "failures": failures[0], "seconds": wall, "ops_per_s": len(latencies) / wall,
            "p50_ms": 1000 * statistics.median(latencies) if latencies else float("nan"),
            "p95_ms": 1000 * percentile(latencies, 0.95) if latencies else float("nan")}


# --------------------------------------------------------------------------- one measurement

def measure(args, port: int, server_pid: int, info: dict, tally: Tally, sessions: list[dict], dashboards: int,
            eval_port: int | None = None, eval_pid: int | None = None) -> dict:
    """Respondents and /healthz on ``port``; dashboards on ``eval_port`` (the evaluators' server) if given."""
    stop, counters = threading.Event(), Counters()
    pages = [Dashboard(eval_port or port, sessions[i % len(sessions)], info["survey_id"], stop, counters, args.poll, args.ramp)
             for i in range(dashboards)]
    for page in pages:
        page.start()
    deadline = time.monotonic() + args.ramp + 30
    for page in pages:
        page.loaded.wait(max(0.0, deadline - time.monotonic()))
    time.sleep(1.0 if pages else 0)  # the last ones' streams answer
    counters.values.clear()
    counters.data_seconds.clear()
    probe_stop = threading.Event()
    prober = Prober(port, probe_stop)
    prober.start()
    cpu0, own0 = cpu_seconds(server_pid), time.process_time()
    eval0 = cpu_seconds(eval_pid) if eval_pid else 0.0
    load = (paced_load(args.clients, args.rate, args.duration, port, info, tally) if args.rate else
            run_load("submission", args.clients, args.duration, port, info, tally, same_ip=False))
    server_cpu, own_cpu = cpu_seconds(server_pid) - cpu0, time.process_time() - own0
    eval_cpu = cpu_seconds(eval_pid) - eval0 if eval_pid else 0.0
    probe_stop.set()
    prober.join()
    states = [page.state for page in pages]
    stop.set()
    for page in pages:
        page.stop()
    for page in pages:
        page.join(timeout=10)
    if pages:
        time.sleep(2.0)  # the server notices the closed streams at their next write (a new version: < 1 s)
    health = prober.seconds
    return {
        "dashboards": dashboards, **{k: load[k] for k in ("ops_per_s", "p50_ms", "p95_ms", "failures")},
        "healthz_p50_ms": 1000 * statistics.median(health) if health else float("nan"),
        "healthz_p95_ms": 1000 * percentile(health, 0.95) if health else float("nan"),
        "healthz_max_ms": 1000 * max(health) if health else float("nan"),
        "healthz_failures": prober.failures,
        "server_cpu": server_cpu / load["seconds"], "bench_cpu": own_cpu / load["seconds"],
        "evaluator_server_cpu": eval_cpu / load["seconds"],
        "server_cpu_ms_per_submission": 1000 * server_cpu / load["ops"] if load["ops"] else float("nan"),
        "live": states.count("live"), "polling": states.count("polling"),
        "data_per_s": sum(v for k, v in counters.values.items() if k.startswith("data ")) / load["seconds"],
        "data_p95_ms": 1000 * percentile(counters.data_seconds, 0.95) if counters.data_seconds else float("nan"),
        "counters": dict(sorted(counters.values.items())),
    }


def line(r: dict) -> str:
    text = (f"{r['dashboards']:>4} dashboards: {r['ops_per_s']:6.1f} sub/s  p50 {r['p50_ms']:6.1f}  p95 {r['p95_ms']:6.1f} ms  "
            f"fail {r['failures']}  | /healthz p50 {r['healthz_p50_ms']:5.1f} p95 {r['healthz_p95_ms']:5.1f} "
            f"max {r['healthz_max_ms']:6.1f} ms fail {r['healthz_failures']}  | CPU server {r['server_cpu']:.2f} "
            f"evaluator server {r['evaluator_server_cpu']:.2f} bench {r['bench_cpu']:.2f}")
    if r["dashboards"]:
        text += (f"  | live {r['live']} polling {r['polling']}; /data {r['data_per_s']:.1f}/s "
                 f"p95 {r['data_p95_ms']:.1f} ms")
    return text


# --------------------------------------------------------------------------- main

def parse_args(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--db", choices=("sqlite", "postgres"), default="sqlite")
    p.add_argument("--database-url", default=DEFAULT_PG, help="PostgreSQL database (a temporary schema is used)")
    p.add_argument("--dashboards", type=int, default=100, help="open dashboards in the loaded measurement")
    p.add_argument("--evaluators", type=int, default=8, help="signed-in sessions the dashboards share")
    p.add_argument("--clients", type=int, default=8, help="concurrent respondents")
    p.add_argument("--rate", type=float, default=0.0,
                   help="offered submissions/s over all clients (open loop); 0: each client as fast as it is answered")
    p.add_argument("--rounds", type=int, default=3)
    p.add_argument("--duration", type=float, default=10.0, help="seconds per measurement")
    p.add_argument("--ramp", type=float, default=3.0, help="dashboards open within this many seconds")
    p.add_argument("--poll", type=float, default=3.0, help="fallback polling interval of a page (dashboard.js)")
    p.add_argument("--workers", type=int, default=2)
    p.add_argument("--threads", type=int, default=8)
    p.add_argument("--slots", type=int, default=None,
                   help="DASHBOARD_STREAM_SLOTS for the server (default: the app's default)")
    p.add_argument("--split", action="store_true",
                   help="two servers (README, Production): respondents on one (SERVE=respondents), the dashboards "
                        "on a second, niced evaluators' server (SERVE=evaluators)")
    p.add_argument("--evaluator-workers", type=int, default=1)
    p.add_argument("--evaluator-threads", type=int, default=16)
    p.add_argument("--nice", type=int, default=10, help="niceness of the evaluators' server (--split)")
    p.add_argument("--save", action="store_true", help="write JSON to bench/results/")
    return p.parse_args(argv)


def main(argv=None) -> int:
    args = parse_args(argv)
    workdir = Path(tempfile.mkdtemp(prefix="stream-bench-"))
    log_path = workdir / "gunicorn.log"
    with Database(args, workdir) as url:
        env = {"DATABASE_URL": url, "SECRET_KEY": SECRET, "APP_ENV": "production", "SESSION_COOKIE_SECURE": "0",
               "PROXY_FIX_X_FOR": "1"}  # one X-Forwarded-For address per simulated phone
        if args.slots is not None:
            env["DASHBOARD_STREAM_SLOTS"] = str(args.slots)
        info = setup_data(env)
        port = free_port()
        eval_port = eval_env = None
        if args.split:
            eval_port = free_port()
            eval_env = {**env, "SERVE": "evaluators", "PUBLIC_BASE_URL": f"http://{HOST}:{port}"}
            env = {**env, "SERVE": "respondents", "WORKSPACE_BASE_URL": f"http://{HOST}:{eval_port}"}
        layout = (f"two servers: respondents {args.workers} × {args.threads}, evaluators (nice {args.nice}) "
                  f"{args.evaluator_workers} × {args.evaluator_threads}" if args.split else "one server")
        print(f"code {git_revision()}; db={args.db}; {layout}; gunicorn {args.workers} gthread workers × {args.threads} threads; "
              f"stream slots per worker: {args.slots if args.slots is not None else 'default'}; "
              f"{args.clients} respondents ({f'{args.rate:g} submissions/s offered' if args.rate else 'closed loop'}); "
              f"{args.rounds} rounds × {args.duration:g} s; load average {os.getloadavg()[0]:.1f}", flush=True)
        server = start_server(args, env, port, log_path)
        evaluators, tally, runs = None, Tally(), []
        try:
            if args.split:
                evaluators = start_server(args, eval_env, eval_port, workdir / "gunicorn-evaluators.log",
                                          args.evaluator_workers, args.evaluator_threads, args.nice)
            sessions = [login(eval_port or port) for _ in range(args.evaluators)]
            run_load("submission", args.clients, 2.0, port, info, tally, same_ip=False)  # warm-up
            for rnd in range(1, args.rounds + 1):
                for n in (0, args.dashboards):
                    r = {"round": rnd, **measure(args, port, server.pid, info, tally, sessions, n,
                                                 eval_port, evaluators.pid if evaluators else None)}
                    runs.append(r)
                    print(f"round {rnd}  {line(r)}", flush=True)
        finally:
            stop_gunicorn(server)
            if evaluators:
                stop_gunicorn(evaluators)
        log = log_path.read_text(errors="replace")
        if args.split:
            log += (workdir / "gunicorn-evaluators.log").read_text(errors="replace")
    tracebacks = log.count("Traceback (most recent call last)")

    def med(n: int, key: str) -> float:
        return statistics.median(r[key] for r in runs if r["dashboards"] == n)

    ratios = [b["p95_ms"] / a["p95_ms"] for a, b in zip(runs[0::2], runs[1::2], strict=True)]
    rate_ratios = [b["ops_per_s"] / a["ops_per_s"] for a, b in zip(runs[0::2], runs[1::2], strict=True)]
    print(f"\n== medians of {args.rounds} rounds ({args.db}, {'two servers' if args.split else 'one server'})")
    for n in (0, args.dashboards):
        print(f"{n:>4} dashboards: {med(n, 'ops_per_s'):6.1f} submissions/s, p95 {med(n, 'p95_ms'):6.1f} ms "
              f"(p50 {med(n, 'p50_ms'):5.1f}); /healthz p50 {med(n, 'healthz_p50_ms'):5.1f} ms, "
              f"p95 {med(n, 'healthz_p95_ms'):5.1f} ms, max {med(n, 'healthz_max_ms'):6.1f} ms")
    loaded = [r for r in runs if r["dashboards"]]
    print("CPU (cores busy; the machine has " + str(os.cpu_count()) + "): " + "; ".join(
        f"{n} dashboards: server {med(n, 'server_cpu'):.2f}, evaluators' server "
        f"{med(n, 'evaluator_server_cpu'):.2f}, this bench {med(n, 'bench_cpu'):.2f}, "
        f"server {med(n, 'server_cpu_ms_per_submission'):.1f} ms per submission" for n in (0, args.dashboards)))
    print(f"p95({args.dashboards})/p95(0) = {med(args.dashboards, 'p95_ms') / med(0, 'p95_ms'):.2f} (ratio of medians); "
          f"paired per round: median {statistics.median(ratios):.2f} ({', '.join(f'{x:.2f}' for x in ratios)}); "
          f"submissions/s ratio {statistics.median(rate_ratios):.2f}")
    print(f"dashboards: live {statistics.median(r['live'] for r in loaded):g}, polling "
          f"{statistics.median(r['polling'] for r in loaded):g}; /data {statistics.median(r['data_per_s'] for r in loaded):.1f} "
          f"requests/s; counters (last round): {loaded[-1]['counters']}")
    print("machine load average (1, 5, 15 min) at the end: " + ", ".join(f"{x:.1f}" for x in os.getloadavg())
          + "  (other processes share these cores: compare within a round)")
    failures = sum(r["failures"] + r["healthz_failures"] for r in runs)
    print(f"respondent and /healthz failures: {failures}; client errors: {tally.errors or 'none'}; "
          f"server log tracebacks: {tracebacks}")
    if args.save:
        out = ROOT / "bench" / "results" / f"stream-{args.db}-{time.strftime('%Y%m%dT%H%M%SZ', time.gmtime())}.json"
        out.parent.mkdir(exist_ok=True)
        out.write_text(json.dumps({"args": vars(args), "git": git_revision(), "runs": runs}, indent=2))
        print(f"wrote {out.relative_to(ROOT)}")
    if tracebacks:
        print(f"server log kept at {log_path}")
    else:
        shutil.rmtree(workdir, ignore_errors=True)
    return 0 if not failures and not tracebacks else 1


if __name__ == "__main__":
    sys.exit(main())

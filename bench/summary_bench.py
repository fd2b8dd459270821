"""Summary benchmark: ``build_summary`` against a plain GROUP BY baseline.

    .venv/bin/python -m bench.summary_bench --db sqlite --sizes 10000,100000
    .venv/bin/python -m bench.summary_bench --db postgres --sizes 10000,100000,1000000 --save

For each size N a fresh database gets one survey (industrial bank, 30 units) and N
responses × 12 answers (``bench/summary_data.py``).  Then, after one untimed warm-up
round, ``--repeat`` rounds each time, in this order and each in a fresh
``db.session``:

* ``baseline``        SELECT question_id, option_key, count(*) FROM answers
                      WHERE survey_id = :id GROUP BY question_id, option_key (all rows fetched)
* ``count_answers``   the service's SQL step (answers grouped by unit/question/option from the covering
                      index, minus the answers of left-out responses; see services/summary.py)
* ``fingerprint``     ``dataset_fingerprint`` alone (ids of the responses used, sha256)
* ``status_counts``   ``status_counts`` alone
* ``respondent_codes`` the statistics' respondent × question matrix query (``statistics.respondent_codes``)
* ``statistics cold`` ``statistics.respondent_statistics`` alone (matrix + α + bootstrap), cache cleared;
                      the fingerprint is computed before the clock (the summary has it already)
* ``summary``         ``build_summary(statistics=False)``
* ``summary+stats cold`` ``build_summary(statistics=True)`` with ``statistics._CACHE`` cleared
* ``summary+stats warm`` the same, cached (the cold run of the round filled the cache)

Figures: median and min over rounds; ``× base`` = the median over rounds of the time ÷
the baseline of the same round.  Aim: summary ≤ 2 × baseline.  On
PostgreSQL the bench also prints EXPLAIN (ANALYZE, BUFFERS) of the baseline and of the
service's count query; ``--profile`` adds a cProfile of one summary and one cold statistics run.
The database (PostgreSQL: ``bench_summary``, SQLite: a temp file) is dropped at the end.
"""

from __future__ import annotations

import argparse
import gc
import itertools
import json
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # allow `python bench/summary_bench.py` too
    sys.path.insert(0, str(ROOT))

from bench import summary_data

DEFAULT_PG = "postgresql://postgres@127.0.0.1:5432/bench_summary"
RESULTS = ROOT / "bench" / "results"
BASELINE_SQL = ("SELECT question_id, option_key, count(*) FROM answers "
                "WHERE survey_id = :id GROUP BY question_id, option_key")
MEASURES = ["baseline", "count_answers", "fingerprint", "status_counts", "respondent_codes",
            "statistics cold", "summary", "summary+stats cold", "summary+stats warm"]
#: Run order within a round: warm before cold, so the warm run uses the cache the previous
#: round's cold run filled (the warm-up round runs cold first).
ORDER = ["baseline", "count_answers", "fingerprint", "status_counts", "respondent_codes",
         "statistics cold", "summary", "summary+stats warm", "summary+stats cold"]
#: The measures the ≤ 2× aim is about (the others are components, for the breakdown).
HEADLINE = ["baseline", "count_answers", "statistics cold", "summary", "summary+stats cold", "summary+stats warm"]


def log(*parts) -> None:
    print(*parts, flush=True)


# --------------------------------------------------------------------------- databases

class PostgresDB:
    """Creates the bench database for one size and drops it afterwards."""

    def __init__(self, url: str, replace: bool):
        import psycopg

        self.psycopg = psycopg
        self.url = url
        self.name = urlsplit(url).path.lstrip("/")
        self.admin = url.rsplit("/", 1)[0] + "/postgres"
        self.replace = replace
        self.created = False

    def __enter__(self) -> str:
        with self.psycopg.connect(self.admin, autocommit=True) as conn:
            exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (self.name,)).fetchone()
            if exists and not self.replace:
                raise SystemExit(f"database {self.name} already exists; drop it or pass --replace-db")
            if exists:
                conn.execute(f'DROP DATABASE "{self.name}" WITH (FORCE)')
            conn.execute(f'CREATE DATABASE "{self.name}"')
            self.created = True
        return self.url

    def __exit__(self, *exc) -> None:
        if self.created:
            with self.psycopg.connect(self.admin, autocommit=True) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')


class SqliteDB:
    """A temp directory holding one database file; removed afterwards."""

    def __enter__(self) -> str:
        self.tmp = tempfile.TemporaryDirectory(prefix="bench_summary_")
        return f"sqlite:///{self.tmp.name}/bench.db"

    def __exit__(self, *exc) -> None:
        self.tmp.cleanup()


def make_app(url: str):
    os.environ["DATABASE_URL"] = url
    from survey_app import create_app

    return create_app({"APP_ENV": "testing", "SECRET_KEY": "bench"})


# --------------------------------------------------------------------------- measurements

class Runner:
    """Runs one measurement in a fresh session; returns seconds (survey loaded before the clock)."""

    def __init__(self, app, survey_id: int):
        import sqlalchemy as sa

        from survey_app.extensions import db
        from survey_app.models import Survey
        from survey_app.services import statistics as stats_module
        from survey_app.services import summary as summary_module

        self.sa, self.db, self.Survey = sa, db, Survey
        self.summary, self.stats = summary_module, stats_module
        self.app, self.survey_id = app, survey_id

    def _call(self, name: str, session, survey):
        sa, summary, stats = self.sa, self.summary, self.stats
        flt = summary.SummaryFilter()
        if name == "baseline":
            return session.execute(sa.text(BASELINE_SQL), {"id": survey.id}).all()
        if name == "count_answers":
            specs = summary.question_specs(survey.questionnaire)
            return summary.count_answers(session, survey, flt, [s.id for s in specs])
        if name == "fingerprint":
            return summary.dataset_fingerprint(session, survey, flt)
        if name == "status_counts":
            return summary.status_counts(session, survey, flt)
        if name == "respondent_codes":
            return stats.respondent_codes(session, survey, flt, summary.question_specs(survey.questionnaire))
        if name == "statistics cold":
            return stats.respondent_statistics(session, survey, flt, summary.question_specs(survey.questionnaire),
                                               summary.survey_settings(survey).scoring, self.fingerprint)
        if name == "summary":
            return summary.build_summary(session, survey, statistics=False)
        if name in ("summary+stats cold", "summary+stats warm"):
            return summary.build_summary(session, survey, statistics=True)
        raise ValueError(name)

    def once(self, name: str):
        """Return (seconds, result)."""
        db = self.db
        with self.app.app_context():
            db.session.remove()
            session = db.session
            survey = session.get(self.Survey, self.survey_id)
            survey.questionnaire  # noqa: B018 - parsed once per process, not part of the figure
            if name in ("summary+stats cold", "statistics cold"):
                self.stats._CACHE.clear()
            if name == "statistics cold":  # the dataset's fingerprint is the summary's, known before
                self.fingerprint = self.summary.dataset_fingerprint(session, survey, self.summary.SummaryFilter())[0]
            gc.collect()  # garbage of the previous run (the cold statistics' arrays) is not this run's cost
            t0 = time.perf_counter()
            result = self._call(name, session, survey)
            elapsed = time.perf_counter() - t0
            session.rollback()
            db.session.remove()
        return elapsed, result


def check_consistency(runner: Runner, n: int) -> dict:
    """The figures must describe the data loaded: totals of each query against the row counts."""
    _, base = runner.once("baseline")
    _, counts = runner.once("count_answers")
    _, result = runner.once("summary+stats cold")
    summary = result.to_json()
    with runner.app.app_context():
        counted = runner.db.session.scalar(runner.sa.text(
            "SELECT count(*) FROM responses WHERE survey_id = :id AND status IN ('valid', 'flagged')"),
            {"id": runner.survey_id})
        runner.db.session.remove()
    base_total = sum(row[2] for row in base)
    counted_answers = sum(v for per_q in counts.values() for per_o in per_q.values() for v in per_o.values())
    ci = summary["statistics"].get("confidence_interval", {})
    out = {
        "answers_total": base_total,
        "answers_expected": n * len(summary_data.QUESTIONS),
        "responses_counted": counted,
        "summary_used": summary["responses"]["used"],
        "count_answers_total": counted_answers,
        "count_answers_expected": counted * len(summary_data.QUESTIONS),
        "composite": summary["composite"],
        "alpha": summary["statistics"].get("reliability", {}).get("alpha"),
        "ci": [ci.get("low"), ci.get("high")],
        "ci_resamples": ci.get("resamples"),
    }
    out["ok"] = (base_total == out["answers_expected"] and counted == out["summary_used"]
                 and counted_answers == out["count_answers_expected"])
    return out


def measure(runner: Runner, measures: list[str], repeat: int, cold_repeat: int) -> dict[str, list[float]]:
    """One untimed warm-up round, then ``repeat`` interleaved rounds (cold stats: ``cold_repeat``)."""
    times: dict[str, list[float]] = {m: [] for m in measures}
    for name in measures:
        runner.once(name)
    for r in range(repeat):
        line = []
        for name in ORDER:
            if name == "summary+stats cold" and r >= cold_repeat:
                continue
            elapsed, _ = runner.once(name)
            times[name].append(elapsed)
            line.append(f"{name} {elapsed * 1000:.0f}")
        log(f"    round {r + 1}/{repeat}: " + ", ".join(line) + " ms")
    return times


def summarise(times: dict[str, list[float]]) -> dict[str, dict]:
    base = times["baseline"]
    out = {}
    for name, values in times.items():
        ratios = [v / b for v, b in zip(values, base, strict=False)]
        out[name] = {
            "median_ms": statistics.median(values) * 1000,
            "min_ms": min(values) * 1000,
            "ratio": statistics.median(ratios) if ratios else None,
            "runs_ms": [round(v * 1000, 2) for v in values],
        }
    return out


# --------------------------------------------------------------------------- plans and profile

def capture_statements(runner: Runner) -> list[tuple[str, object]]:
    """The SQL statements (with parameters) that a cold build_summary(statistics=True) sends."""
    from sqlalchemy import event

    seen: list[tuple[str, object]] = []

    def before(conn, cursor, statement, parameters, context, executemany):
        seen.append((statement, parameters))

    with runner.app.app_context():
        engine = runner.db.engine
    event.listen(engine, "before_cursor_execute", before)
    try:
        runner.once("summary+stats cold")
    finally:
        event.remove(engine, "before_cursor_execute", before)
    return seen[1:]  # the first one is the survey load of Runner.once


def explain(runner: Runner, db_kind: str) -> dict[str, list[str]]:
    """EXPLAIN (ANALYZE, BUFFERS) on PostgreSQL / EXPLAIN QUERY PLAN on SQLite of each statement."""
    statements = capture_statements(runner)
    plans = {}
    with runner.app.app_context():
        raw = runner.db.engine.raw_connection()
        try:
            cur = raw.cursor()
            base_sql = BASELINE_SQL.replace(":id", "%(id)s" if db_kind == "postgres" else "?")
            base_params = {"id": runner.survey_id} if db_kind == "postgres" else (runner.survey_id,)
            todo = [("baseline", base_sql, base_params)]
            for statement, params in statements:
                flat = " ".join(statement.split())
                label = ("count_answers" if "count(" in flat and "GROUP BY answers.unit_id" in flat else
                         "fingerprint" if "md5(" in flat else
                         "status_counts" if "count(" in flat else
                         "respondent_codes" if "JOIN" in flat else
                         "respondents" if flat.startswith("SELECT responses.id, responses.unit_id") else
                         "fingerprint" if flat.startswith("SELECT responses.id FROM") else
                         "units" if "FROM units" in flat else "other")
                todo.append((label, statement, params))
            for label, statement, params in todo:
                key = label
                while key in plans:
                    key += "'"
                if db_kind == "postgres":
                    cur.execute("EXPLAIN (ANALYZE, BUFFERS) " + statement, params)
                    lines = [row[0] for row in cur.fetchall()]
                else:
                    cur.execute("EXPLAIN QUERY PLAN " + statement, params)
                    lines = [row[3] for row in cur.fetchall()]
                plans[key] = {"sql": " ".join(statement.split()), "plan": lines}
            raw.rollback()
        finally:
            raw.close()
    return plans


def profile(runner: Runner, name: str, path: Path) -> str:
    """cProfile of one run of ``name`` (stdlib: no extra dependency), top 30 by cumulative time."""
    import cProfile
    import io
    import pstats

    runner.once(name)  # warm
    with runner.app.app_context():
        runner.db.session.remove()
        session = runner.db.session
        survey = session.get(runner.Survey, runner.survey_id)
        if name in ("summary+stats cold", "statistics cold"):
            runner.stats._CACHE.clear()
        profiler = cProfile.Profile()
        profiler.enable()
        runner._call(name, session, survey)
        profiler.disable()
        session.rollback()
        runner.db.session.remove()
    out = io.StringIO()
    pstats.Stats(profiler, stream=out).sort_stats("cumulative").print_stats(30)
    text = out.getvalue()
    path.write_text(text)
    return text


# --------------------------------------------------------------------------- output

def print_size(n: int, result: dict) -> None:
    log(f"\n  N = {n:,} responses ({n * 12:,} answers); load average {result['loadavg_before'][0]:.1f} → "
        f"{result['loadavg_after'][0]:.1f}")
    log(f"  {'measure':<22}{'median ms':>11}{'min ms':>10}{'× base':>8}")
    for name, row in result["figures"].items():
        log(f"  {name:<22}{row['median_ms']:>11.1f}{row['min_ms']:>10.1f}{row['ratio']:>8.2f}")


def print_table(db_kind: str, results: list[dict]) -> None:
    sizes = [r["n"] for r in results]
    log(f"\n== {db_kind}: median ms (× baseline of the same round) ==")
    header = f"{'measure':<22}" + "".join(f"{f'N={n:,}':>22}" for n in sizes)
    if len(sizes) > 1:
        header += "   growth " + " → ".join(f"{n:.0e}" for n in sizes)
    log(header)
    for name in results[0]["figures"]:
        cells = "".join(f"{r['figures'][name]['median_ms']:>13.1f} ({r['figures'][name]['ratio']:>5.2f})" for r in results)
        growth = ""
        if len(sizes) > 1:
            meds = [r["figures"][name]["median_ms"] for r in results]
            growth = "   " + ", ".join(f"×{b / a:.1f}" for a, b in itertools.pairwise(meds))
        log(f"{name:<22}{cells}{growth}")


def git_rev() -> str:
    try:
        rev = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True,
                             check=False).stdout.strip()
        dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"], cwd=ROOT,
                               capture_output=True, text=True, check=False).stdout.strip()
        return rev + ("+dirty" if dirty else "")
    except OSError:
        return "?"


# --------------------------------------------------------------------------- main

def run_size(args, n: int) -> dict:
    log(f"\n[{args.db}] N = {n:,}: creating database, loading …")
    ctx = PostgresDB(args.database_url, args.replace_db) if args.db == "postgres" else SqliteDB()
    with ctx as url:
        app = make_app(url)
        t0 = time.perf_counter()
        survey_id, unit_ids = summary_data.create_survey_with_units(app)
        loader = summary_data.load_postgres if args.db == "postgres" else summary_data.load_sqlite
        load = loader(app, n, survey_id, unit_ids, log=log)
        load["total_s"] = time.perf_counter() - t0
        runner = Runner(app, survey_id)
        check = check_consistency(runner, n)
        log(f"  check: {'OK' if check['ok'] else 'MISMATCH'} {check}")
        cold_repeat = args.repeat if args.cold_repeat is None else min(args.cold_repeat, args.repeat)
        load_before = os.getloadavg()
        times = measure(runner, MEASURES, args.repeat, cold_repeat)
        result = {"n": n, "answers": n * 12, "load": load, "check": check, "loadavg_before": load_before,
                  "loadavg_after": os.getloadavg(), "figures": summarise(times)}
        if not args.no_explain:
            result["plans"] = explain(runner, args.db)
            for label in ("baseline", "count_answers"):
                log(f"\n  plan of {label}:")
                for line in result["plans"][label]["plan"]:
                    log("    " + line)
        if args.profile:
            RESULTS.mkdir(parents=True, exist_ok=True)
            for name in ("summary", "statistics cold"):
                path = RESULTS / f"summary-profile-{args.db}-{n}-{name.replace('+', '_').replace(' ', '_')}.txt"
                profile(runner, name, path)
                log(f"  profile of {name}: {path.relative_to(ROOT)}")
                result.setdefault("profiles", {})[name] = str(path.relative_to(ROOT))
        print_size(n, result)
        with app.app_context():
            from survey_app.extensions import db

            db.session.remove()
            db.engine.dispose()
    return result


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--db", choices=("sqlite", "postgres"), default="sqlite")
    parser.add_argument("--sizes", default="10000,100000", help="comma-separated response counts")
    parser.add_argument("--repeat", type=int, default=5, help="timed rounds (after one warm-up round)")
    parser.add_argument("--cold-repeat", type=int, default=None,
                        help="timed rounds of the cold statistics run (default: --repeat); it dominates at 10⁶")
    parser.add_argument("--database-url", default=DEFAULT_PG, help="PostgreSQL URL of the bench database")
    parser.add_argument("--replace-db", action="store_true", help="drop the bench database first if it exists")
    parser.add_argument("--no-explain", action="store_true")
    parser.add_argument("--profile", action="store_true", help="cProfile of one summary and one cold statistics run per size")
    parser.add_argument("--save", action="store_true", help="write JSON to bench/results/")
    args = parser.parse_args(argv)
    sizes = [int(s.replace("_", "")) for s in args.sizes.split(",") if s.strip()]

    def stop(signum, frame):  # let the finally blocks drop the database
        raise SystemExit(f"stopped by signal {signum}")

    signal.signal(signal.SIGTERM, stop)
    started = datetime.now(UTC)
    results = []
    for n in sizes:
        results.append(run_size(args, n))
    print_table(args.db, results)
    ok = all(r["check"]["ok"] for r in results)
    if args.save:
        RESULTS.mkdir(parents=True, exist_ok=True)
        stamp = started.strftime("%Y%m%dT%H%M%SZ")
        path = RESULTS / f"summary-{args.db}-{stamp}.json"
        path.write_text(json.dumps({
            "db": args.db, "git": git_rev(), "started": started.isoformat(), "argv": sys.argv[1:],
            "repeat": args.repeat, "cpus": os.cpu_count(), "baseline_sql": BASELINE_SQL, "sizes": results,
        }, ensure_ascii=False, indent=1, default=str))
        log(f"\nsaved {path.relative_to(ROOT)}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())

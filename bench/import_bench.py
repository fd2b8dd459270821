"""Import benchmark: importing N rows of a 问卷星 export against pandas reading it plus a bulk insert.

    .venv/bin/python -m bench.import_bench --rows 100000 --format xlsx                 # SQLite (temp file)
    .venv/bin/python -m bench.import_bench --rows 100000 --format xlsx --db postgres   # postgresql://…/bench_import
    .venv/bin/python -m bench.import_bench --rows 20000                                # .csv

The parent writes one file (industrial bank, 30 units, 问卷星 按文本 layout from
``tests/fixtures/imports/wjx_files.py``) and the answer rows it holds (a pickle, for the
baseline), then runs each measure ``--repeat`` times, interleaved, each in a **fresh
subprocess** so peak memory is that measure's own; all temporary files are removed at the end:

* ``pandas``   ``pd.read_excel`` / ``pd.read_csv`` (header=None, dtype=str) alone;
* ``baseline`` the same read plus a bulk insert of the same response and answer rows into the
               app's own tables (executemany on SQLite, ``COPY`` on PostgreSQL) and one commit —
               the floor for "read this file and store its answers";
* ``preview``  ``services.imports.preview`` (read + map + check every row; nothing written);
* ``commit``   ``services.imports.commit`` + ``db.session.commit()`` into an empty schema,
               with ``screen_survey`` (which runs inside it) timed separately.

The app runs with the README's production settings (``APP_ENV=production``, a 32-byte
``SECRET_KEY``), so 来自IP is hashed as in production.

Each child reports wall time, peak RSS (``getrusage`` high-water mark) and the RSS high-water
mark after imports and set-up, so ``Δ peak`` is what the measure itself added.  Printed figures
are medians over rounds.  No timed assertions anywhere (bench/README.md).
"""

from __future__ import annotations

import argparse
import atexit
import json
import os
import resource
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
for extra in (ROOT, ROOT / "tests"):
    if str(extra) not in sys.path:
        sys.path.insert(0, str(extra))

DEFAULT_PG = "postgresql://postgres@127.0.0.1:5432/bench_import"
UNITS = [f"受益单位{i + 1:02d}" for i in range(30)]
MEASURES = ("pandas", "baseline", "preview", "commit")
SEED = 20240506


def _maxrss_mb() -> float:
    """This process's peak RSS (VmHWM): unlike ``ru_maxrss`` it does not carry the parent's peak across exec."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kilobytes on Linux


def make_file(rows: int, fmt: str, folder: Path) -> Path:
    """Write the 问卷星 file and, beside it, the response and answer rows it holds (for the baseline)."""
    import pickle
    import random

    from fixtures.imports.wjx_files import random_answers, wjx_rows, write_csv, write_xlsx

    from survey_app.domain.banks import load_bank

    bank = load_bank(ROOT / "question_banks" / "industrial_fund.yaml")
    grid = wjx_rows(bank, UNITS, rows, seed=SEED)
    path = folder / f"bench_按文本_{rows}.{fmt}"
    write_csv(path, grid) if fmt == "csv" else write_xlsx(path, grid)
    del grid
    rng = random.Random(SEED)  # replays wjx_rows: the same answers, unit and seconds per row
    responses, answers = [], []
    for i in range(rows):
        given = random_answers(bank, rng)
        seconds = rng.randint(20, 900)
        responses.append((i + 1, i % len(UNITS), seconds))
        for question in bank.questions:
            value = given.get(question.id)
            if value is None:
                continue
            if question.type in ("single", "multiple"):
                keys = [value] if isinstance(value, str) else list(value)
                answers.extend((i + 1, question.id, key, None) for key in keys)
            else:
                answers.append((i + 1, question.id, None, value))
    with (folder / "rows.pickle").open("wb") as handle:
        pickle.dump((responses, answers), handle, protocol=pickle.HIGHEST_PROTOCOL)
    return path


def _pandas_read(path: Path):
    import pandas as pd

    if path.suffix == ".csv":
        return pd.read_csv(path, header=None, dtype=str, keep_default_na=False)
    return pd.read_excel(path, header=None, dtype=str, keep_default_na=False)


def child(measure: str, path: Path, url: str | None) -> dict:
    """Run one measure in this (fresh) process and return its figures."""
    if measure == "pandas":
        import pandas  # noqa: F401 - imported before the base figure, as in the other measures

        base = _maxrss_mb()
        start = time.perf_counter()
        frame = _pandas_read(path)
        return {"seconds": time.perf_counter() - start, "rows": len(frame) - 1, "base_mb": base, "peak_mb": _maxrss_mb()}
    app, survey_id = _app_with_survey(url)
    if measure == "baseline":
        return _baseline(app, survey_id, path)
    from survey_app.extensions import db
    from survey_app.models import Survey
    from survey_app.services import imports

    screen = {"seconds": 0.0}
    original = imports.screen_survey

    def timed_screen(session, survey):
        screen["peak_before_mb"] = _maxrss_mb()  # high-water mark of reading, checking and inserting
        began = time.perf_counter()
        try:
            return original(session, survey)
        finally:
            screen["seconds"] = time.perf_counter() - began

    imports.screen_survey = timed_screen
    with app.app_context():
        survey = db.session.get(Survey, survey_id)
        data = path.read_bytes()
        base = _maxrss_mb()
        start = time.perf_counter()
        if measure == "preview":
            report = imports.preview(db.session, survey, path.name, data)
        else:
            report = imports.commit(db.session, survey, path.name, data, actor="bench",
                                    ip_secret=app.config["SECRET_KEY"])
            db.session.commit()
        seconds = time.perf_counter() - start
        assert report.rows_ok == report.rows_total, report.file_problems
        result = {"seconds": seconds, "rows": report.rows_ok, "base_mb": base, "peak_mb": _maxrss_mb(),
                  "imported": report.imported}
        if measure == "commit":
            result["screen_seconds"] = screen["seconds"]
            result["peak_before_screen_mb"] = screen["peak_before_mb"]
        db.session.remove()
        db.drop_all()
        db.engine.dispose()
    return result


def _baseline(app, survey_id: int, path: Path) -> dict:
    """pandas reads the file, then the same rows go in by executemany (SQLite) or COPY (PostgreSQL)."""
    import pickle
    from datetime import datetime, timedelta

    import sqlalchemy as sa

    from survey_app.extensions import db
    from survey_app.models import Unit

    with (path.parent / "rows.pickle").open("rb") as handle:
        responses, answers = pickle.load(handle)
    with app.app_context():
        units = db.session.scalars(sa.select(Unit.id).where(Unit.survey_id == survey_id).order_by(Unit.seq)).all()
        start_time = datetime(2024, 5, 6, 1, 0, 0)
        base = _maxrss_mb()
        start = time.perf_counter()
        frame = _pandas_read(path)
        read_seconds = time.perf_counter() - start
        response_rows = [(rid, survey_id, units[unit], start_time + timedelta(seconds=rid - 1) - timedelta(seconds=s),
                          start_time + timedelta(seconds=rid - 1), s, "微信", "import", "valid", "[]")
                         for rid, unit, s in responses]
        unit_of = {rid: units[unit] for rid, unit, _ in responses}
        answer_rows = [(rid, survey_id, unit_of[rid], qid, key, text) for rid, qid, key, text in answers]
        connection = db.session.connection()
        raw = connection.connection.driver_connection
        r_cols = "id, survey_id, unit_id, started_at, submitted_at, duration_seconds, user_agent, source, status, flags"
        a_cols = "response_id, survey_id, unit_id, question_id, option_key, text_value"
        if connection.dialect.name == "postgresql":
            with raw.cursor() as cursor:
                with cursor.copy(f"COPY responses ({r_cols}) FROM STDIN") as copy:
                    for row in response_rows:
                        copy.write_row(row)
                with cursor.copy(f"COPY answers ({a_cols}) FROM STDIN") as copy:
                    for row in answer_rows:
                        copy.write_row(row)
        else:
            cursor = raw.cursor()
            cursor.executemany(f"INSERT INTO responses ({r_cols}) VALUES (?,?,?,?,?,?,?,?,?,?)",
                               [(*r[:3], str(r[3]), str(r[4]), *r[5:]) for r in response_rows])
            cursor.executemany(f"INSERT INTO answers ({a_cols}) VALUES (?,?,?,?,?,?)", answer_rows)
        db.session.commit()
        seconds = time.perf_counter() - start
        result = {"seconds": seconds, "read_seconds": read_seconds, "rows": len(frame) - 1,
                  "answer_rows": len(answer_rows), "base_mb": base, "peak_mb": _maxrss_mb()}
        db.session.remove()
        db.drop_all()
        db.engine.dispose()
    return result


def _app_with_survey(url: str | None):
    tmp = None
    if url is None:
        tmp = tempfile.mkdtemp(prefix="bench_import_")
        atexit.register(shutil.rmtree, tmp, True)  # the child's SQLite file goes with the child
        url = f"sqlite:///{tmp}/bench.db"
    os.environ["DATABASE_URL"] = url
    from survey_app import create_app
    from survey_app.domain.banks import load_bank
    from survey_app.domain.unit_table import UnitRow
    from survey_app.extensions import db
    from survey_app.services.surveys import create_survey, open_survey
    from survey_app.services.units import add_units

    # The README's production settings (gunicorn aside): APP_ENV=production, a 32-byte SECRET_KEY.
    app = create_app({"APP_ENV": "production", "SECRET_KEY": "bench-" + "k" * 58})
    with app.app_context():
        db.drop_all()
        db.create_all()
        survey = create_survey(db.session, load_bank(ROOT / "question_banks" / "industrial_fund.yaml"),
                               name="导入基准测试")
        add_units(db.session, survey, [UnitRow(line=i + 2, name=n, seq=i + 1) for i, n in enumerate(UNITS)])
        open_survey(db.session, survey)
        db.session.commit()
        survey_id = survey.id
        db.session.remove()
    return app, survey_id


def ensure_pg(url: str) -> None:
    import sqlalchemy as sa

    base, name = url.rsplit("/", 1)
    engine = sa.create_engine(f"{base}/postgres", isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        if not conn.scalar(sa.text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": name}):
            conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    engine.dispose()


def run_child(measure: str, path: Path, url: str | None) -> dict:
    cmd = [sys.executable, "-m", "bench.import_bench", "--child", measure, "--file", str(path)]
    cpu = resource.getrusage(resource.RUSAGE_CHILDREN)
    if url:
        cmd += ["--database-url", url]
    done = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise SystemExit(f"{measure} failed:\n{done.stderr[-3000:]}")
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    result = json.loads(done.stdout.strip().splitlines()[-1])
    result["child_cpu_seconds"] = after.ru_utime + after.ru_stime - cpu.ru_utime - cpu.ru_stime
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--format", choices=["csv", "xlsx"], default="csv")
    parser.add_argument("--db", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--database-url")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--save", action="store_true", help="write bench/results/import-*.json")
    parser.add_argument("--child", choices=(*MEASURES, "make"), help=argparse.SUPPRESS)
    parser.add_argument("--file", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    # A terminated run still removes its temporary files (``with``/atexit run on SystemExit).
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    if args.child == "make":
        print(json.dumps({"path": str(make_file(args.rows, args.format, args.file))}))
        return
    if args.child:
        print(json.dumps(child(args.child, args.file, args.database_url)))
        return
    url = args.database_url or (DEFAULT_PG if args.db == "postgres" else None)
    if url:
        ensure_pg(url)
    with tempfile.TemporaryDirectory(prefix="bench_import_file_") as folder:  # removed with its files
        made = subprocess.run([sys.executable, "-m", "bench.import_bench", "--child", "make", "--rows", str(args.rows),
                               "--format", args.format, "--file", folder], cwd=ROOT, capture_output=True, text=True,
                              check=True)  # in a child: this parent stays small (its peak is not the children's)
        path = Path(json.loads(made.stdout.strip().splitlines()[-1])["path"])
        size = path.stat().st_size
        rounds = {m: [] for m in MEASURES}
        for _ in range(args.repeat):
            for measure in MEASURES:
                rounds[measure].append(run_child(measure, path, url))
    answer_rows = rounds["baseline"][0]["answer_rows"]
    print(f"{args.rows} rows ({answer_rows} answer rows), {args.format} {size / 2**20:.1f} MiB, db {args.db}, "
          f"{args.repeat} rounds (medians)")
    print(f"{'measure':<10}{'seconds':>9}{'× pandas':>10}{'× baseline':>12}{'peak MB':>9}{'Δ peak MB':>11}{'rows/s':>10}")
    base = statistics.median(r["seconds"] for r in rounds["pandas"])
    floor = statistics.median(r["seconds"] for r in rounds["baseline"])
    summary = {}
    for measure, results in rounds.items():
        seconds = statistics.median(r["seconds"] for r in results)
        peak = statistics.median(r["peak_mb"] for r in results)
        delta = statistics.median(r["peak_mb"] - r["base_mb"] for r in results)
        summary[measure] = {"seconds": seconds, "peak_mb": peak, "delta_peak_mb": delta, "runs": results}
        print(f"{measure:<10}{seconds:>9.2f}{seconds / base:>10.1f}{seconds / floor:>12.2f}{peak:>9.0f}{delta:>11.0f}"
              f"{args.rows / seconds:>10.0f}")
    ratios = [c["seconds"] / b["seconds"] for c, b in zip(rounds["commit"], rounds["baseline"], strict=True)]
    print(f"  commit / baseline per round: {' / '.join(f'{r:.2f}' for r in ratios)}")
    cpu = {m: statistics.median(r["child_cpu_seconds"] for r in rounds[m]) for m in MEASURES}
    print("  CPU seconds of each child process (medians, the database server's not included): "
          + ", ".join(f"{m} {v:.1f}" for m, v in cpu.items()))
    screen = statistics.median(r["screen_seconds"] for r in rounds["commit"])
    before = statistics.median(r["peak_before_screen_mb"] for r in rounds["commit"])
    print(f"  of which screen_survey in commit: {screen:.2f} s; commit peak before screening {before:.0f} MB")
    if args.save:
        out = ROOT / "bench" / "results" / f"import-{args.db}-{args.format}-{args.rows}-{int(time.time())}.json"
        out.parent.mkdir(exist_ok=True)
        out.write_text(json.dumps({"args": vars(args) | {"file": None}, "summary": summary}, indent=2, default=str))


if __name__ == "__main__":
    main()

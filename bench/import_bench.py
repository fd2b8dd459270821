"""Import benchmark: importing N rows of a 问卷星 export against reading it with pandas alone.

    .venv/bin/python -m bench.import_bench --rows 100000                 # SQLite (temp file)
    .venv/bin/python -m bench.import_bench --rows 100000 --db postgres   # postgresql://…/bench_import
    .venv/bin/python -m bench.import_bench --rows 20000 --format xlsx

The parent writes one file (industrial bank, 30 units, 问卷星 按文本 layout from
``tests/fixtures/imports/wjx_files.py``), then runs each measure ``--repeat`` times, each in
a **fresh subprocess** so peak memory is that measure's own:

* ``pandas``   ``pd.read_csv`` / ``pd.read_excel`` (header=None, dtype=str) — the baseline;
* ``preview``  ``services.imports.preview`` (read + map + check every row; nothing written);
* ``commit``   ``services.imports.commit`` + ``db.session.commit()`` into an empty schema,
               with ``screen_survey`` (which runs inside it) timed separately.

Each child reports wall time, peak RSS (``getrusage`` high-water mark) and the RSS high-water
mark after imports and set-up, so ``Δ peak`` is what the measure itself added.  Printed figures
are medians over rounds.  No timed assertions anywhere (bench/README.md).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
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
MEASURES = ("pandas", "preview", "commit")
SEED = 20240506


def _maxrss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kilobytes on Linux


def make_file(rows: int, fmt: str, folder: Path) -> Path:
    from fixtures.imports.wjx_files import wjx_rows, write_csv, write_xlsx

    from survey_app.domain.banks import load_bank

    grid = wjx_rows(load_bank(ROOT / "question_banks" / "industrial_fund.yaml"), UNITS, rows, seed=SEED)
    path = folder / f"bench_按文本_{rows}.{fmt}"
    return write_csv(path, grid) if fmt == "csv" else write_xlsx(path, grid)


def child(measure: str, path: Path, url: str | None) -> dict:
    """Run one measure in this (fresh) process and return its figures."""
    if measure == "pandas":
        import pandas as pd

        base = _maxrss_mb()
        start = time.perf_counter()
        if path.suffix == ".csv":
            frame = pd.read_csv(path, header=None, dtype=str, keep_default_na=False)
        else:
            frame = pd.read_excel(path, header=None, dtype=str, keep_default_na=False)
        return {"seconds": time.perf_counter() - start, "rows": len(frame) - 1, "base_mb": base, "peak_mb": _maxrss_mb()}
    app, survey_id, folder = _app_with_survey(url)
    try:
        return _timed_import(app, survey_id, measure, path)
    finally:
        if folder is not None:  # the SQLite file of this run (≈ 170 MB at 10⁵ rows)
            shutil.rmtree(folder, ignore_errors=True)


def _timed_import(app, survey_id: int, measure: str, path: Path) -> dict:
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
            report = imports.commit(db.session, survey, path.name, data, actor="bench", ip_secret="bench")
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


def _app_with_survey(url: str | None):
    tmp = None
    if url is None:
        tmp = tempfile.mkdtemp(prefix="bench_import_")
        url = f"sqlite:///{tmp}/bench.db"
    os.environ["DATABASE_URL"] = url
    from survey_app import create_app
    from survey_app.domain.banks import load_bank
    from survey_app.domain.unit_table import UnitRow
    from survey_app.extensions import db
    from survey_app.services.surveys import create_survey, open_survey
    from survey_app.services.units import add_units

    app = create_app({"APP_ENV": "testing", "SECRET_KEY": "bench"})
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
    return app, survey_id, tmp


def ensure_pg(url: str) -> bool:
    """Create the database if missing; return True when this run created it (and so drops it)."""
    import sqlalchemy as sa

    base, name = url.rsplit("/", 1)
    engine = sa.create_engine(f"{base}/postgres", isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        created = not conn.scalar(sa.text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": name})
        if created:
            conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    engine.dispose()
    return created


def drop_pg(url: str) -> None:
    import sqlalchemy as sa

    base, name = url.rsplit("/", 1)
    engine = sa.create_engine(f"{base}/postgres", isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    engine.dispose()


def run_child(measure: str, path: Path, url: str | None) -> dict:
    cmd = [sys.executable, "-m", "bench.import_bench", "--child", measure, "--file", str(path)]
    if url:
        cmd += ["--database-url", url]
    done = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise SystemExit(f"{measure} failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--format", choices=["csv", "xlsx"], default="csv")
    parser.add_argument("--db", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--database-url")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--save", action="store_true", help="write bench/results/import-*.json")
    parser.add_argument("--child", choices=MEASURES, help=argparse.SUPPRESS)
    parser.add_argument("--file", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(child(args.child, args.file, args.database_url)))
        return
    url = args.database_url or (DEFAULT_PG if args.db == "postgres" else None)
    created = ensure_pg(url) if url else False
    try:
        with tempfile.TemporaryDirectory(prefix="bench_import_file_") as folder:
            path = make_file(args.rows, args.format, Path(folder))
            size = path.stat().st_size
            rounds = {m: [] for m in MEASURES}
            for _ in range(args.repeat):
                for measure in MEASURES:
                    rounds[measure].append(run_child(measure, path, url))
    finally:
        if created:
            drop_pg(url)
    print(f"load average {os.getloadavg()[0]:.1f}")
    print(f"{args.rows} rows, {args.format} {size / 2**20:.1f} MiB, db {args.db}, {args.repeat} rounds (medians)")
    print(f"{'measure':<10}{'seconds':>9}{'× pandas':>10}{'peak MB':>9}{'Δ peak MB':>11}{'rows/s':>10}")
    base = statistics.median(r["seconds"] for r in rounds["pandas"])
    summary = {}
    for measure, results in rounds.items():
        seconds = statistics.median(r["seconds"] for r in results)
        peak = statistics.median(r["peak_mb"] for r in results)
        delta = statistics.median(r["peak_mb"] - r["base_mb"] for r in results)
        summary[measure] = {"seconds": seconds, "peak_mb": peak, "delta_peak_mb": delta, "runs": results}
        print(f"{measure:<10}{seconds:>9.2f}{seconds / base:>10.1f}{peak:>9.0f}{delta:>11.0f}{args.rows / seconds:>10.0f}")
    screen = statistics.median(r["screen_seconds"] for r in rounds["commit"])
    before = statistics.median(r["peak_before_screen_mb"] for r in rounds["commit"])
    print(f"  of which screen_survey in commit: {screen:.2f} s; commit peak before screening {before:.0f} MB")
    if args.save:
        out = ROOT / "bench" / "results" / f"import-{args.db}-{args.format}-{args.rows}-{int(time.time())}.json"
        out.parent.mkdir(exist_ok=True)
        out.write_text(json.dumps({"args": vars(args) | {"file": None}, "summary": summary}, indent=2, default=str))


if __name__ == "__main__":
    main()

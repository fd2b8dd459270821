"""Export benchmark: time and peak memory of the .docx and .xlsx exports.

    .venv/bin/python -m bench.export_bench                              # SQLite, 158 / 10⁴ / 10⁵
    .venv/bin/python -m bench.export_bench --db postgres --sizes 158,10000,100000 --repeat 3 --save

For each size N a fresh database gets one survey (industrial bank, 30 units) and N
responses × 12 answers from ``bench/summary_data.py`` (bulk COPY / executemany), plus open
answers: S1 for every third response (≈ 1 000 distinct texts) and a reason (Q6R) for every
seventh — so the appendix's 意见建议汇总 has to aggregate and cap.  Then, per format and
round, a **fresh subprocess** runs ``export_survey`` once into a temporary file and reports:

* ``time``: wall-clock seconds of ``export_survey`` (data gathering + writing), in a run
  without tracing;
* ``rss``: peak resident set of that process (``VmHWM`` in /proc/self/status, which —
  unlike ``ru_maxrss`` — does not inherit the parent's peak across fork/exec), and
  ``rss_base`` before the export (interpreter + app + libraries), so ``rss − rss_base``
  is what the export added;
* ``py_peak``: tracemalloc's peak of Python allocations during the export (a second run
  of its own, because tracing slows Python code down).

Medians over ``--repeat`` rounds.  The checks printed at the end: docx at the largest N
within 2× docx at the smallest; xlsx ``py_peak`` at the largest N within 2× that at 10⁴
(bounded memory: a streaming writer and chunked reads).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

DEFAULT_PG = "postgresql://postgres@127.0.0.1:5432/bench_export"
RESULTS = ROOT / "bench" / "results"
OPEN_SQL = {
    "S1": "SELECT id, survey_id, unit_id, 'S1', '建议' || (id % 997) || '：简化申报流程，缩短资金拨付周期' FROM responses "
          "WHERE id % 3 = 0",
    "Q6R": "SELECT id, survey_id, unit_id, 'Q6R', '资金拨付周期较长' FROM responses WHERE id % 7 = 0",
}


def make_app(url: str):
    os.environ["DATABASE_URL"] = url
    from survey_app import create_app

    return create_app({"APP_ENV": "testing", "SECRET_KEY": "bench"})


def prepare(url: str, n: int, db: str) -> int:
    """Create the schema, the survey and N responses (+ open answers); return the survey id."""
    import sqlalchemy as sa

    from bench import summary_data
    from survey_app.extensions import db as sqla

    app = make_app(url)
    survey_id, unit_ids = summary_data.create_survey_with_units(app)
    loader = summary_data.load_postgres if db == "postgres" else summary_data.load_sqlite
    loader(app, n, survey_id, unit_ids, log=lambda *a: print(*a, flush=True))
    with app.app_context(), sqla.engine.begin() as conn:
        for select in OPEN_SQL.values():
            conn.execute(sa.text(  # text(): SQLAlchemy escapes the % for psycopg
                f"INSERT INTO answers (response_id, survey_id, unit_id, question_id, text_value) {select}"))
        conn.exec_driver_sql("ANALYZE")
    return survey_id


def peak_rss_mb() -> float:
    """This process's peak resident set in MB (Linux ``VmHWM``)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError("no VmHWM in /proc/self/status (Linux only)")


def baseline_frame(conn, survey_id: int):
    """pandas: the responses and their answers, one column per question (the same cells as 原始数据)."""
    import pandas as pd

    responses = pd.read_sql(
        "SELECT id, submitted_at, unit_id, duration_seconds, source, status, status_reason, decision "
        f"FROM responses WHERE survey_id = {survey_id} ORDER BY id", conn)
    answers = pd.read_sql(
        "SELECT response_id, question_id, coalesce(option_key, text_value) AS value FROM answers "
        f"WHERE survey_id = {survey_id} ORDER BY response_id, id", conn)
    # one answer row per (response, question) in the bench data, so a vectorised pivot does
    wide = answers.pivot(index="response_id", columns="question_id", values="value")
    return responses.merge(wide, left_on="id", right_index=True, how="left")


def run_baseline(fmt: str, survey_id: int, out) -> int:
    """CSV: pandas ``read_sql`` + ``to_csv``; xlsx: the same frame through xlsxwriter ``constant_memory``."""
    from survey_app.extensions import db

    with db.engine.connect() as conn:
        frame = baseline_frame(conn, survey_id)
    if fmt == "csv":
        frame.to_csv(out, index=False, encoding="utf-8-sig")
        return len(frame)
    import xlsxwriter

    book = xlsxwriter.Workbook(out, {"constant_memory": True, "remove_timezone": True})
    sheet = book.add_worksheet("原始数据")
    sheet.write_row(0, 0, [str(c) for c in frame.columns])
    for i, row in enumerate(frame.astype(object).where(frame.notna(), None).itertuples(index=False), start=1):
        sheet.write_row(i, 0, row)
    book.close()
    return len(frame)


def child(args) -> None:
    """Run one export in this process and print a JSON line with the measurements."""
    import gc
    import tracemalloc

    app = make_app(args.url)
    from survey_app.extensions import db
    from survey_app.models import Survey
    from survey_app.reports.appendix_docx import DEFAULT_SECTIONS, write_appendix
    from survey_app.services.exports import BEIJING, appendix_data, export_survey
    from survey_app.services.summary import SummaryFilter

    with app.app_context():
        survey = db.session.get(Survey, args.survey)
        _ = survey.questionnaire  # parse outside the clock, as a warm web worker would have
        if args.gc_freeze:  # what a gc.freeze() after start-up would give (objects of app + imports frozen)
            gc.collect()
            gc.freeze()
        base = peak_rss_mb()
        if args.trace:
            tracemalloc.start()
        parts = {}
        with tempfile.TemporaryFile() as out:
            t0 = time.perf_counter()
            if args.baseline:
                rows = run_baseline(args.format, args.survey, out)
            elif args.format == "docx":  # the service's two steps, timed apart
                data = appendix_data(db.session, survey, SummaryFilter(), DEFAULT_SECTIONS, datetime.now() + BEIJING)
                parts["gather"] = time.perf_counter() - t0
                write_appendix(data, out)
                parts["write"] = time.perf_counter() - t0 - parts["gather"]
                rows = None
            else:
                rows = export_survey(db.session, survey, args.format, out, actor="bench").rows
            elapsed = time.perf_counter() - t0
            size = out.tell()
        peak = tracemalloc.get_traced_memory()[1] if args.trace else None
        db.session.rollback()
    print(json.dumps({"time": elapsed, "rss_base_mb": base, "rss_mb": peak_rss_mb(),
                      "py_peak_mb": None if peak is None else peak / 2**20, "bytes": size, "rows": rows, **parts}))


def run_child(url: str, survey: int, fmt: str, trace: bool, *, baseline: bool = False, freeze: bool = False) -> dict:
    cmd = [sys.executable, "-m", "bench.export_bench", "--child", "--url", url, "--survey", str(survey),
           "--format", fmt, *(["--trace"] if trace else []), *(["--baseline"] if baseline else []),
           *(["--gc-freeze"] if freeze else [])]
    done = subprocess.run(cmd, cwd=ROOT, check=False, capture_output=True, text=True, env={**os.environ})
    if done.returncode:
        raise SystemExit(f"child failed ({done.returncode}): {' '.join(cmd)}\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def database(args, n: int):
    """(url, cleanup) for a fresh database of size n."""
    if args.db == "sqlite":
        tmp = tempfile.TemporaryDirectory(prefix="bench_export_")
        return f"sqlite:///{tmp.name}/bench.db", tmp.cleanup
    import psycopg

    name = urlsplit(args.database_url).path.lstrip("/")
    admin = args.database_url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')

    def drop():
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    return args.database_url, drop


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db", choices=("sqlite", "postgres"), default="sqlite")
    parser.add_argument("--database-url", default=DEFAULT_PG)
    parser.add_argument("--sizes", default="158,10000,100000")
    parser.add_argument("--formats", default="docx,xlsx,csv")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--save", action="store_true")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--url", help=argparse.SUPPRESS)
    parser.add_argument("--survey", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--format", help=argparse.SUPPRESS)
    parser.add_argument("--trace", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--baseline", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--gc-freeze", action="store_true",
                        help="also measure each csv/xlsx export with gc.freeze() after start-up")
    parser.add_argument("--no-trace", action="store_true", help="skip the tracemalloc runs (time only)")
    args = parser.parse_args()
    if args.child:
        return child(args)
    results = []
    for n in [int(s) for s in args.sizes.split(",")]:
        url, cleanup = database(args, n)
        try:
            print(f"== N = {n} ({args.db})", flush=True)
            t0 = time.perf_counter()
            survey = prepare(url, n, args.db)
            print(f"  data ready in {time.perf_counter() - t0:.1f}s", flush=True)
            for fmt in args.formats.split(","):
                row = measure_format(args, url, survey, n, fmt)
                results.append(row)
                split = f" (gather {row['gather']:.2f} + write {row['write']:.2f})" if "gather" in row else ""
                ratio = f", × baseline {row['ratio']:.2f} (baseline {row['baseline']:.2f}s)" if "ratio" in row else ""
                frozen = (f", gc.freeze {row['frozen']:.2f}s (× baseline {row['frozen_ratio']:.2f})"
                          if "frozen" in row else "")
                peak = "—" if row["py_peak_mb"] is None else f"{row['py_peak_mb']:.1f} MB"
                print(f"  {fmt}: time {row['time']:.2f}s{split} {row['times']}{ratio}{frozen}, rss "
                      f"{row['rss_mb']:.0f} MB (base {row['rss_base_mb']:.0f}), python peak {peak}, "
                      f"file {row['bytes'] / 1024:.0f} KB, load {os.getloadavg()[0]:.1f}", flush=True)
        finally:
            cleanup()
    summarise(results)
    if args.save:
        RESULTS.mkdir(exist_ok=True)
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
        commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True,
                                check=False).stdout
        path = RESULTS / f"export_{args.db}_{stamp}.json"
        path.write_text(json.dumps({"db": args.db, "commit": commit.strip(), "results": results}, indent=2))
        print(f"saved {path}")


def measure_format(args, url: str, survey: int, n: int, fmt: str) -> dict:
    """Rounds of (baseline, export[, export with gc.freeze]) interleaved; medians and per-round ratios."""
    runs, bases, frozen = [], [], []
    paired = fmt in ("csv", "xlsx")
    for _ in range(args.repeat):
        if paired:
            bases.append(run_child(url, survey, fmt, False, baseline=True)["time"])
        run = run_child(url, survey, fmt, False)
        run["py_peak_mb"] = None if args.no_trace else run_child(url, survey, fmt, True)["py_peak_mb"]
        runs.append(run)
        if paired and args.gc_freeze:
            frozen.append(run_child(url, survey, fmt, False, freeze=True)["time"])
    row = {"n": n, "format": fmt, **{k: statistics.median(r[k] for r in runs)
                                    for k in ("time", "rss_base_mb", "rss_mb", "bytes")},
           "py_peak_mb": None if args.no_trace else statistics.median(r["py_peak_mb"] for r in runs),
           "times": [round(r["time"], 3) for r in runs]}
    if "gather" in runs[0]:
        row.update({k: statistics.median(r[k] for r in runs) for k in ("gather", "write")})
    if paired:
        row.update(baseline=statistics.median(bases), baselines=[round(b, 3) for b in bases],
                   ratio=statistics.median(r["time"] / b for r, b in zip(runs, bases, strict=True)))
    if frozen:
        row.update(frozen=statistics.median(frozen), frozen_times=[round(f, 3) for f in frozen],
                   frozen_ratio=statistics.median(f / b for f, b in zip(frozen, bases, strict=True)))
    return row


def summarise(results: list[dict]) -> None:
    print(f"\nload average {os.getloadavg()[0]:.1f}")
    print("| N | format | time s (median) | baseline s | × baseline | gc.freeze s (× baseline) | gather + write s "
          "| peak RSS MB (base) | Python peak MB | file KB |")
    print("|---:|---|---:|---:|---:|---|---|---:|---:|---:|")
    for r in results:
        split = f"{r['gather']:.2f} + {r['write']:.2f}" if "gather" in r else "—"
        base = f"{r['baseline']:.2f} | {r['ratio']:.2f}" if "ratio" in r else "— | —"
        frozen = f"{r['frozen']:.2f} ({r['frozen_ratio']:.2f})" if "frozen" in r else "—"
        peak = "—" if r["py_peak_mb"] is None else f"{r['py_peak_mb']:.1f}"
        print(f"| {r['n']} | {r['format']} | {r['time']:.2f} | {base} | {frozen} | {split} | "
              f"{r['rss_mb']:.0f} ({r['rss_base_mb']:.0f}) | {peak} | {r['bytes'] / 1024:.0f} |")
    by = {(r["format"], r["n"]): r for r in results}
    sizes = sorted({r["n"] for r in results})
    if len(sizes) > 1 and ("docx", sizes[0]) in by:
        ratio = by["docx", sizes[-1]]["time"] / by["docx", sizes[0]]["time"]
        write = by["docx", sizes[-1]]["write"] / by["docx", sizes[0]]["write"]
        print(f"docx time N={sizes[-1]} / N={sizes[0]}: {ratio:.2f}× end to end, {write:.2f}× writing (aim ≤ 2×)")
    if len(sizes) > 2 and ("xlsx", sizes[-2]) in by and by["xlsx", sizes[-1]]["py_peak_mb"]:
        ratio = by["xlsx", sizes[-1]]["py_peak_mb"] / by["xlsx", sizes[-2]]["py_peak_mb"]
        print(f"xlsx Python peak N={sizes[-1]} / N={sizes[-2]}: {ratio:.2f}× (bounded: ≈ 1×)")


if __name__ == "__main__":
    main()

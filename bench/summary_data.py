"""Synthetic data for the summary benchmark: one survey, ~30 units, N responses × 12 answers.

The survey and its units are made through the app's own services (``create_survey``,
``add_units``); responses and answers are bulk-loaded straight into the tables — COPY on
PostgreSQL, one ``executemany`` transaction on SQLite — with the answer table's secondary
indexes dropped during the load and rebuilt after it (same definitions as the models),
then ``VACUUM``/``ANALYZE``.  The data come from a seeded numpy generator, so both
databases get exactly the same rows for a given N.

Each response answers I1, I2 (unscored info questions) and Q1–Q10 (scored, A/B/C/D):
a respondent has a "mood" drawn from A 60 %, B 30 %, C 8 %, D 2 % and answers each
scored question with it 70 % of the time, otherwise with a fresh draw from the same
distribution (so the marginals keep that shape and Cronbach's α is realistic).
Status: ~95 % valid, 3 % flagged, 2 % excluded; unit uniform at random; submission times
spread over 10 days, increasing with the id (rows are stored in arrival order).
"""

from __future__ import annotations

import io
import time
from datetime import datetime, timedelta
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
BANK = ROOT / "question_banks" / "industrial_fund.yaml"
SEED = 20261122
UNITS = 30
SCORED = [f"Q{i}" for i in range(1, 11)]
QUESTIONS = ["I1", "I2", *SCORED]  # 12 answer rows per response
SAT_KEYS = np.array(["A", "B", "C", "D"])
SAT_P = [0.60, 0.30, 0.08, 0.02]
STATUS = np.array(["valid", "flagged", "excluded"])
STATUS_P = [0.95, 0.03, 0.02]
START = datetime(2026, 10, 1, 0, 0, 0)
SPAN_SECONDS = 10 * 24 * 3600
FLAG_JSON = '[{"code": "too_fast", "action": "flag", "reason_zh": "答题用时过短"}]'
AGENTS = [
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) "
    "Mobile/15E148 MicroMessenger/8.0.47",
    "Mozilla/5.0 (Linux; Android 13; V2241A) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/116.0 Mobile Safari/537.36",
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0 Safari/537.36",
]
#: Responses generated per chunk (bounds memory: 12 answer lines each).
CHUNK = 50_000


def create_survey_with_units(app) -> tuple[int, list[int]]:
    """Create the schema, the survey (industrial bank) and its units; return (survey id, unit ids)."""
    from survey_app.domain.banks import load_bank
    from survey_app.domain.unit_table import UnitRow
    from survey_app.extensions import db
    from survey_app.services.surveys import create_survey, open_survey
    from survey_app.services.units import add_units

    counties = ["城区", "东区", "西区", "南区", "北区"]
    categories = ["企业", "专业镇", "园区"]
    with app.app_context():
        db.create_all()
        survey = create_survey(db.session, load_bank(BANK), name="汇总基准测试", project_name="工业专项资金",
                               department="工业和信息化局", eval_year=2026)
        rows = [UnitRow(line=i + 2, name=f"受益单位{i + 1:02d}", seq=i + 1, county=counties[i % len(counties)],
                        category=categories[i % len(categories)]) for i in range(UNITS)]
        units = add_units(db.session, survey, rows)
        open_survey(db.session, survey)
        db.session.commit()
        info = survey.id, [u.id for u in units]
        db.session.remove()
    return info


def _chunks(n: int, survey_id: int, unit_ids: list[int], rng: np.random.Generator):
    """Yield (response tuples, answer tuples) for responses 1…n, CHUNK at a time.

    Response tuple: (id, survey_id, unit_id, started_at, submitted_at, duration, user_agent,
    ip_hash, source, status, flags_json, nonce); answer tuple: (id, response_id,
    survey_id, question_id, option_key).  Ids are explicit (1…), in arrival order.
    """
    offsets = np.sort(rng.integers(0, SPAN_SECONDS, n))
    unit_array = np.asarray(unit_ids)
    for lo in range(0, n, CHUNK):
        hi = min(n, lo + CHUNK)
        m = hi - lo
        ids = np.arange(lo + 1, hi + 1)
        units = unit_array[rng.integers(0, len(unit_ids), m)]
        status = STATUS[rng.choice(3, m, p=STATUS_P)]
        durations = rng.integers(60, 900, m)
        agents = rng.integers(0, len(AGENTS), m)
        hashes = rng.bytes(32 * m)
        mood = rng.choice(4, m, p=SAT_P)
        fresh = rng.choice(4, (m, len(SCORED)), p=SAT_P)
        keep = rng.random((m, len(SCORED))) < 0.7
        sat = np.where(keep, mood[:, None], fresh)
        i1 = rng.choice(4, m, p=[0.3, 0.3, 0.3, 0.1]) + 1
        i2 = rng.choice(3, m, p=[0.6, 0.3, 0.1]) + 1
        responses = []
        answers = []
        aid = lo * len(QUESTIONS)
        for j in range(m):
            rid = int(ids[j])
            submitted = START + timedelta(seconds=int(offsets[lo + j]))
            st = str(status[j])
            responses.append((
                rid, survey_id, int(units[j]), submitted - timedelta(seconds=int(durations[j])), submitted,
                int(durations[j]), AGENTS[agents[j]], hashes[32 * j:32 * j + 32].hex(), "web", st,
                FLAG_JSON if st == "flagged" else "[]", f"{rid:032x}",
            ))
            keys = (str(i1[j]), str(i2[j]), *SAT_KEYS[sat[j]].tolist())
            for q, key in zip(QUESTIONS, keys, strict=True):
                aid += 1
                answers.append((aid, rid, survey_id, int(units[j]), q, key))
        yield responses, answers


RESPONSE_COLUMNS = ("id", "survey_id", "unit_id", "started_at", "submitted_at", "duration_seconds", "user_agent",
                    "ip_hash", "source", "status", "flags", "nonce")
ANSWER_COLUMNS = ("id", "response_id", "survey_id", "unit_id", "question_id", "option_key")


def _answer_indexes():
    from survey_app.models import Answer

    return list(Answer.__table__.indexes)


def load_postgres(app, n: int, survey_id: int, unit_ids: list[int], log=print) -> dict:
    """COPY n responses and their answers; FK triggers off for the load; rebuild indexes; VACUUM ANALYZE."""
    from survey_app.extensions import db

    rng = np.random.default_rng(SEED)
    timings = {}
    with app.app_context():
        engine = db.engine
        indexes = _answer_indexes()
        with engine.begin() as conn:
            for index in indexes:
                index.drop(conn)
        raw = engine.raw_connection()
        try:
            pg = raw.driver_connection
            t0 = time.perf_counter()
            with pg.cursor() as cur:
                cur.execute("SET session_replication_role = replica")  # skip FK triggers during the load
                for responses, answers in _chunks(n, survey_id, unit_ids, rng):
                    buf = io.StringIO()
                    for r in responses:
                        buf.write("\t".join(map(str, r)))
                        buf.write("\n")
                    with cur.copy(f"COPY responses ({', '.join(RESPONSE_COLUMNS)}) FROM STDIN") as copy:
                        copy.write(buf.getvalue())
                    buf = io.StringIO()
                    for a in answers:
                        buf.write("\t".join(map(str, a)) + "\n")
                    with cur.copy(f"COPY answers ({', '.join(ANSWER_COLUMNS)}) FROM STDIN") as copy:
                        copy.write(buf.getvalue())
                cur.execute("SET session_replication_role = DEFAULT")
                cur.execute("SELECT setval(pg_get_serial_sequence('responses', 'id'), %s)", (n,))
                cur.execute("SELECT setval(pg_get_serial_sequence('answers', 'id'), %s)", (n * len(QUESTIONS),))
            pg.commit()
            timings["copy_s"] = time.perf_counter() - t0
        finally:
            raw.close()
        t0 = time.perf_counter()
        with engine.begin() as conn:
            for index in indexes:
                index.create(conn)
        timings["index_s"] = time.perf_counter() - t0
        t0 = time.perf_counter()
        # VACUUM sets the visibility map (index-only scans without heap fetches), as
        # autovacuum would soon after such an insert volume — and keeps it from
        # starting in the middle of the measurements.
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.exec_driver_sql("VACUUM (ANALYZE) responses")
            conn.exec_driver_sql("VACUUM (ANALYZE) answers")
            sizes = conn.exec_driver_sql(
                "SELECT pg_size_pretty(pg_total_relation_size('responses')), pg_size_pretty(pg_total_relation_size('answers')),"
                " pg_size_pretty(pg_relation_size('ix_answers_aggregate')), pg_size_pretty(pg_database_size(current_database()))"
            ).one()
        timings["vacuum_analyze_s"] = time.perf_counter() - t0
        timings["sizes"] = dict(zip(("responses", "answers", "ix_answers_aggregate", "database"), sizes, strict=True))
        db.session.remove()
    log(f"  loaded {n} responses: COPY {timings['copy_s']:.1f}s, indexes {timings['index_s']:.1f}s, "
        f"VACUUM ANALYZE {timings['vacuum_analyze_s']:.1f}s; sizes {timings['sizes']}")
    return timings


def load_sqlite(app, n: int, survey_id: int, unit_ids: list[int], log=print) -> dict:
    """executemany in one transaction with synchronous=OFF for the load; rebuild indexes; ANALYZE."""
    import sqlite3

    from survey_app.extensions import db

    rng = np.random.default_rng(SEED)
    timings = {}
    with app.app_context():
        engine = db.engine
        path = engine.url.database
        indexes = _answer_indexes()
        with engine.begin() as conn:
            for index in indexes:
                index.drop(conn)
        engine.dispose()
        t0 = time.perf_counter()
        conn = sqlite3.connect(path, isolation_level=None)
        try:
            conn.execute("PRAGMA synchronous=OFF")
            conn.execute("BEGIN")
            r_sql = f"INSERT INTO responses ({', '.join(RESPONSE_COLUMNS)}) VALUES ({', '.join('?' * len(RESPONSE_COLUMNS))})"
            a_sql = f"INSERT INTO answers ({', '.join(ANSWER_COLUMNS)}) VALUES ({', '.join('?' * len(ANSWER_COLUMNS))})"
            for responses, answers in _chunks(n, survey_id, unit_ids, rng):
                # The app stores naive datetimes as 'YYYY-MM-DD HH:MM:SS.ffffff' on SQLite.
                conn.executemany(r_sql, [(*r[:3], r[3].isoformat(" ", "microseconds"),
                                          r[4].isoformat(" ", "microseconds"), *r[5:]) for r in responses])
                conn.executemany(a_sql, answers)
            conn.execute("COMMIT")
            timings["insert_s"] = time.perf_counter() - t0
        finally:
            conn.close()
        t0 = time.perf_counter()
        with engine.begin() as c:
            for index in indexes:
                index.create(c)
        timings["index_s"] = time.perf_counter() - t0
        t0 = time.perf_counter()
        with engine.begin() as c:
            c.exec_driver_sql("ANALYZE")
        timings["analyze_s"] = time.perf_counter() - t0
        engine.dispose()
    timings["sizes"] = {"database": f"{Path(path).stat().st_size / 2**20:.0f} MB"}
    log(f"  loaded {n} responses: insert {timings['insert_s']:.1f}s, indexes {timings['index_s']:.1f}s, "
        f"ANALYZE {timings['analyze_s']:.1f}s; file {timings['sizes']['database']}")
    return timings

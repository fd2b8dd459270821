"""What-if measurements behind the summary benchmark's suggestions (bench-only SQL, no app change).

    .venv/bin/python -m bench.summary_variants --db postgres --size 100000
    .venv/bin/python -m bench.summary_variants --db sqlite --size 100000

Loads the same data as ``bench.summary_bench`` into a fresh database, then times, in
interleaved rounds against the same baseline, the service's three expensive steps next
to alternatives that give the same numbers (each alternative is checked for equality
with the service's result before it is timed):

* count step — ``count_answers`` (ORM) · the same statement on the Core connection ·
  SQLite: answers-first join order (``CROSS JOIN``) · SQLite: a covering
  ``answers (response_id, question_id, option_key)`` index · a denormalised
  ``answers.unit_id`` (added to the bench copy only): ``GROUP BY unit, question, option``
  over the answer table minus the same count over the (few) excluded responses;
* fingerprint — ``dataset_fingerprint`` (ORM) · Core fetch + the same hash ·
  PostgreSQL: ``md5(string_agg(id::text, ',' ORDER BY id))`` computed by the server;
* respondent matrix — ``statistics.respondent_codes`` (ORM rows, Python loop) · raw
  driver cursor + numpy (``searchsorted`` for rows, a lookup table for codes).

The schema changes (extra index, extra column) are made on the bench database only,
after the service's variants are timed, and the database is dropped at the end.
"""

from __future__ import annotations

import argparse
import gc
import hashlib
import statistics
import sys
import time
from collections import defaultdict
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench import summary_data
from bench.summary_bench import (
    BASELINE_SQL,
    DEFAULT_PG,
    PostgresDB,
    SqliteDB,
    log,
    make_app,
)


def timed(fn):
    gc.collect()
    t0 = time.perf_counter()
    out = fn()
    return time.perf_counter() - t0, out


def nested(rows):
    counts = defaultdict(lambda: defaultdict(dict))
    for unit_id, question_id, option_key, n in rows:
        counts[unit_id][question_id][option_key] = n
    return counts


def plain(counts) -> dict:
    return {u: {q: dict(o) for q, o in per_q.items()} for u, per_q in counts.items()}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--db", choices=("sqlite", "postgres"), default="sqlite")
    parser.add_argument("--size", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--database-url", default=DEFAULT_PG)
    parser.add_argument("--replace-db", action="store_true")
    args = parser.parse_args(argv)
    pg = args.db == "postgres"
    ctx = PostgresDB(args.database_url, args.replace_db) if pg else SqliteDB()
    with ctx as url:
        app = make_app(url)
        survey_id, unit_ids = summary_data.create_survey_with_units(app)
        (summary_data.load_postgres if pg else summary_data.load_sqlite)(app, args.size, survey_id, unit_ids, log=log)
        results = run(app, survey_id, args.repeat, pg)
        with app.app_context():
            from survey_app.extensions import db

            db.session.remove()
            db.engine.dispose()
    log(f"\n== {args.db}, N = {args.size:,}: median ms (× baseline of the same round) ==")
    for phase, phase_times in results.items():
        log(f" schema {phase}:")
        for name, values in phase_times.items():
            ratio = statistics.median(v / b for v, b in zip(values, phase_times["baseline"], strict=True))
            log(f"  {name:<52}{statistics.median(values) * 1000:>10.1f}{ratio:>8.2f}")
    return 0


def run(app, survey_id: int, repeat: int, pg: bool) -> dict[str, dict[str, list[float]]]:
    import sqlalchemy as sa

    from survey_app.extensions import db
    from survey_app.models import Response, Survey
    from survey_app.services import statistics as stats
    from survey_app.services import summary

    flt = summary.SummaryFilter()
    ph = "%s" if pg else "?"

    def with_session(fn):
        def call():
            with app.app_context():
                db.session.remove()
                session = db.session
                survey = session.get(Survey, survey_id)
                specs = summary.question_specs(survey.questionnaire)
                gc.collect()
                t0 = time.perf_counter()
                out = fn(session, survey, specs)
                elapsed = time.perf_counter() - t0
                session.rollback()
                db.session.remove()
            return elapsed, out
        return call

    def count_core(session, survey, specs):
        stmt = (sa.select(Response.__table__.c.unit_id, summary.Answer.__table__.c.question_id,
                          summary.Answer.__table__.c.option_key, sa.func.count())
                .join_from(summary.Answer.__table__, Response.__table__,
                           Response.__table__.c.id == summary.Answer.__table__.c.response_id)
                .where(summary.Answer.__table__.c.survey_id == survey.id,
                       summary.Answer.__table__.c.question_id.in_([s.id for s in specs]),
                       Response.__table__.c.survey_id == survey.id,
                       Response.__table__.c.status.in_(flt.statuses))
                .group_by(Response.__table__.c.unit_id, summary.Answer.__table__.c.question_id,
                          summary.Answer.__table__.c.option_key))
        return nested(session.connection().execute(stmt))

    def raw_rows(session, sql, params):
        cur = session.connection().connection.driver_connection.cursor()
        cur.execute(sql, params)
        rows = cur.fetchall()
        cur.close()
        return rows

    def qmarks(values):
        return ", ".join([ph] * len(values))

    def count_cross(session, survey, specs):  # SQLite: CROSS JOIN fixes the join order (answers first)
        qids = [s.id for s in specs]
        sql = ("SELECT r.unit_id, a.question_id, a.option_key, count(*) FROM answers a CROSS JOIN responses r "
               f"ON r.id = a.response_id WHERE a.survey_id = ? AND a.question_id IN ({qmarks(qids)}) "
               "AND r.survey_id = ? AND r.status IN ('valid', 'flagged') GROUP BY r.unit_id, a.question_id, a.option_key")
        return nested(raw_rows(session, sql, (survey.id, *qids, survey.id)))

    def count_denormalised(session, survey, specs):
        qids = [s.id for s in specs]
        everything = raw_rows(session, "SELECT unit_id, question_id, option_key, count(*) FROM answers "
                              f"WHERE survey_id = {ph} AND question_id IN ({qmarks(qids)}) "
                              "GROUP BY unit_id, question_id, option_key", (survey.id, *qids))
        excluded = raw_rows(session, "SELECT a.unit_id, a.question_id, a.option_key, count(*) FROM responses r "
                            "JOIN answers a ON a.response_id = r.id "
                            f"WHERE r.survey_id = {ph} AND r.status NOT IN ('valid', 'flagged') "
                            f"AND a.question_id IN ({qmarks(qids)}) GROUP BY a.unit_id, a.question_id, a.option_key",
                            (survey.id, *qids))
        counts = nested(everything)
        for unit_id, question_id, option_key, n in excluded:
            left = counts[unit_id][question_id][option_key] - n
            if left:
                counts[unit_id][question_id][option_key] = left
            else:
                del counts[unit_id][question_id][option_key]
        return counts

    def fingerprint_core(session, survey, specs):
        r = Response.__table__
        ids = session.connection().execute(
            sa.select(r.c.id).where(r.c.survey_id == survey.id, r.c.status.in_(flt.statuses)).order_by(r.c.id)
        ).scalars().all()
        digest = hashlib.sha256(survey.questionnaire_hash.encode())
        digest.update(",".join(map(str, ids)).encode())
        return digest.hexdigest(), len(ids)

    def fingerprint_server(session, survey, specs):  # a different (but as exact) hash: same set ⇔ same value
        (md5, n), = raw_rows(session, "SELECT md5(string_agg(id::text, ',' ORDER BY id)), count(*) FROM responses "
                             "WHERE survey_id = %s AND status IN ('valid', 'flagged')", (survey.id,))
        return hashlib.sha256(f"{survey.questionnaire_hash}:{md5}".encode()).hexdigest(), n

    def codes_numpy(session, survey, specs):
        scored = [s for s in specs if s.scored]
        respondents = raw_rows(session, f"SELECT id, unit_id FROM responses WHERE survey_id = {ph} "
                               "AND status IN ('valid', 'flagged') ORDER BY id", (survey.id,))
        ids = np.fromiter((r[0] for r in respondents), np.int64, len(respondents))
        units = np.fromiter((-1 if r[1] is None else r[1] for r in respondents), np.int64, len(respondents))
        lookup = {(s.id, o.key): (i, k) for i, s in enumerate(scored) for k, o in enumerate(s.options)}
        qids = [s.id for s in scored]
        rows = raw_rows(session, "SELECT a.response_id, a.question_id, a.option_key FROM answers a "
                        "JOIN responses r ON r.id = a.response_id "
                        f"WHERE a.survey_id = {ph} AND a.question_id IN ({qmarks(qids)}) "
                        f"AND r.survey_id = {ph} AND r.status IN ('valid', 'flagged')", (survey.id, *qids, survey.id))
        codes = np.full((len(ids), len(scored)), -1, dtype=np.int16)
        if rows:
            rid, qs, keys = zip(*rows, strict=True)
            cells = [lookup.get(pair, (-1, -1)) for pair in zip(qs, keys, strict=True)]
            col, opt = np.array(cells, dtype=np.int64).T
            ok = col >= 0
            codes[np.searchsorted(ids, np.asarray(rid, dtype=np.int64)[ok]), col[ok]] = opt[ok]
        return codes, units

    def codes_patterns(session, survey, specs):  # PostgreSQL: one row per distinct (unit, answer pattern)
        scored = [s for s in specs if s.scored]
        qids = [s.id for s in scored]
        lookup = {(s.id, o.key): (i, k) for i, s in enumerate(scored) for k, o in enumerate(s.options)}
        rows = raw_rows(session, "SELECT unit_id, pattern, count(*) FROM (SELECT r.unit_id, string_agg("
                        "a.question_id || '=' || a.option_key, ',' ORDER BY a.question_id) AS pattern "
                        "FROM responses r JOIN answers a ON a.response_id = r.id "
                        "WHERE r.survey_id = %s AND r.status IN ('valid', 'flagged') AND a.survey_id = %s "
                        f"AND a.question_id IN ({qmarks(qids)}) GROUP BY r.id, r.unit_id) p "
                        "GROUP BY unit_id, pattern ORDER BY unit_id, pattern", (survey.id, survey.id, *qids))
        distinct = np.full((len(rows), len(scored)), -1, dtype=np.int16)
        for j, (_, pattern, _) in enumerate(rows):
            for cell in pattern.split(","):
                col, opt = lookup.get(tuple(cell.split("=", 1)), (-1, -1))
                if col >= 0:
                    distinct[j, col] = opt
        weights = np.array([r[2] for r in rows], dtype=np.int64)
        units = np.array([-1 if r[0] is None else r[0] for r in rows], dtype=np.int64)
        return np.repeat(distinct, weights, axis=0), np.repeat(units, weights), len(rows)

    def baseline(session, survey, specs):
        return session.execute(sa.text(BASELINE_SQL), {"id": survey.id}).all()

    variants = {
        "baseline": baseline,
        "count: service count_answers (ORM)": lambda s, v, sp: summary.count_answers(s, v, flt, [x.id for x in sp]),
        "count: same statement, Core connection": count_core,
        "fingerprint: service (ORM)": lambda s, v, sp: summary.dataset_fingerprint(s, v, flt),
        "fingerprint: Core fetch, same hash": fingerprint_core,
        "codes: service respondent_codes (ORM)": lambda s, v, sp: stats.respondent_codes(s, v, flt, sp),
        "codes: raw cursor + numpy": codes_numpy,
    }
    if pg:
        variants["fingerprint: server md5(string_agg)"] = fingerprint_server
        variants["codes: distinct (unit, pattern) rows + np.repeat"] = codes_patterns
    else:
        variants["count: answers-first (CROSS JOIN)"] = count_cross
    later = {"count: covering (response_id, question_id, option_key) index": variants["count: service count_answers (ORM)"],
             "count: denormalised answers.unit_id, minus excluded": count_denormalised}
    # Same results first.
    calls = {name: with_session(fn) for name, fn in variants.items()}
    reference = {k: plain(v) for k, v in [("count", calls["count: service count_answers (ORM)"]()[1])]}
    ref_codes = calls["codes: service respondent_codes (ORM)"]()[1]
    for name, call in calls.items():
        _, out = call()
        if name.startswith("count:"):
            assert plain(out) == reference["count"], name
        if name.startswith("codes: distinct"):  # same multiset of (unit, codes) rows, another order
            def multiset(codes, units):
                return np.unique(np.hstack([units[:, None], codes.astype(np.int64)]), axis=0, return_counts=True)
            got, want = multiset(out[0], out[1]), multiset(*ref_codes)
            assert all(np.array_equal(a, b) for a, b in zip(got, want, strict=True)), name
            log(f"  {name}: {out[2]:,} distinct (unit, pattern) rows for {len(out[0]):,} respondents")
        elif name.startswith("codes:"):
            assert np.array_equal(out[0], ref_codes[0]) and np.array_equal(out[1], ref_codes[1]), name
    times: dict[str, list[float]] = {}
    paired(times, calls, repeat)
    # Then the schema what-ifs, on this bench database only.
    with app.app_context(), db.engine.begin() as conn:
        conn.exec_driver_sql("CREATE INDEX ix_bench_answers_response_cover ON answers (response_id, question_id, option_key)")
        conn.exec_driver_sql("ANALYZE answers")
    cover = with_session(later["count: covering (response_id, question_id, option_key) index"])
    assert plain(cover()[1]) == reference["count"]
    phases = {"as the app creates the schema": times, "+ index answers (response_id, question_id, option_key)": {}}
    paired(phases["+ index answers (response_id, question_id, option_key)"],
           {"baseline": calls["baseline"], "count: service count_answers (ORM)": cover}, repeat)
    with app.app_context():
        with db.engine.begin() as conn:
            conn.exec_driver_sql("DROP INDEX ix_bench_answers_response_cover")
            conn.exec_driver_sql("ALTER TABLE answers ADD COLUMN unit_id INTEGER")
            conn.exec_driver_sql("UPDATE answers SET unit_id = "
                                 "(SELECT unit_id FROM responses r WHERE r.id = answers.response_id)")
            conn.exec_driver_sql("DROP INDEX ix_answers_aggregate")
            conn.exec_driver_sql("CREATE INDEX ix_answers_aggregate "
                                 "ON answers (survey_id, unit_id, question_id, option_key, response_id)")
        if pg:
            with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
                conn.exec_driver_sql("VACUUM (ANALYZE) answers")
        else:
            with db.engine.begin() as conn:
                conn.exec_driver_sql("ANALYZE")
    denorm = with_session(later["count: denormalised answers.unit_id, minus excluded"])
    assert plain(denorm()[1]) == reference["count"]
    name = "+ answers.unit_id, ix_answers_aggregate (survey, unit, question, option, response)"
    phases[name] = {}
    paired(phases[name], {"baseline": calls["baseline"], "count: service count_answers (ORM)": calls[
        "count: service count_answers (ORM)"], "count: denormalised answers.unit_id, minus excluded": denorm}, repeat)
    return phases


def paired(times: dict, calls: dict, repeat: int) -> None:
    for name, call in calls.items():
        times[name] = []
        call()  # warm
    for _ in range(repeat):
        for name, call in calls.items():
            times[name].append(call()[0])


if __name__ == "__main__":
    sys.exit(main())

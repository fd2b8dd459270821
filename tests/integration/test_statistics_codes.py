"""The statistics' respondent matrix comes from the database packed per response, and the
dashboard's statistics are served from the last computation while new ones compute."""

from __future__ import annotations

import threading

import numpy as np
import pytest
import sqlalchemy as sa
from support import add_response, make_survey

from survey_app.domain.scoring import OptionSpec, QuestionSpec, ScoringSettings
from survey_app.extensions import db
from survey_app.models import Answer, Response
from survey_app.services import statistics, statistics_sql
from survey_app.services.summary import SummaryFilter, dataset_fingerprint, question_specs


@pytest.fixture
def survey(ctx, industrial):
    made = make_survey(industrial, units=("甲公司", "乙公司", "丙公司"))
    units = list(made.units)
    for i, key in enumerate("ABCDABCDAB"):
        add_response(made, units[i % 3], key, keys={"Q2": "D", "Q5": "C"} if i % 4 == 0 else None)
    add_response(made, units[1], "A", status="excluded")
    add_response(made, None, "B")
    odd = add_response(made, units[0], "C")
    db.session.execute(sa.update(Answer).where(Answer.response_id == odd.id, Answer.question_id == "Q3")
                       .values(option_key="Z"))  # a key the questionnaire does not know: no answer
    db.session.execute(sa.delete(Answer).where(Answer.response_id == odd.id, Answer.question_id == "Q4"))
    bare = add_response(made, units[2], "A")
    db.session.execute(sa.delete(Answer).where(Answer.response_id == bare.id))  # no scored answer at all
    db.session.commit()
    return made


def reference_codes(survey, flt, specs):
    """The matrix placed answer by answer in Python, as the statistics did before."""
    scored = [s for s in specs if s.scored]
    column = {s.id: i for i, s in enumerate(scored)}
    index = {(s.id, o.key): k for s in scored for k, o in enumerate(s.options)}
    respondents = db.session.execute(sa.select(Response.id, Response.unit_id).where(*flt.where(survey.id))
                                     .order_by(Response.id)).all()
    row = {rid: i for i, (rid, _) in enumerate(respondents)}
    codes = np.full((len(respondents), len(scored)), -1, dtype=np.int16)
    for rid, qid, key in db.session.execute(sa.select(Answer.response_id, Answer.question_id, Answer.option_key)
                                            .where(Answer.survey_id == survey.id)):
        if rid in row and (qid, key) in index:
            codes[row[rid], column[qid]] = index[qid, key]
    return codes, np.array([-1 if u is None else u for _, u in respondents], dtype=np.int64)


@pytest.mark.parametrize("limit", [statistics_sql.PACK_LIMIT, 6**3])
@pytest.mark.parametrize("flt", [SummaryFilter(), SummaryFilter(("valid", "flagged", "excluded"))])
def test_packed_matrix_equals_the_answers(survey, monkeypatch, limit, flt):
    monkeypatch.setattr(statistics_sql, "PACK_LIMIT", limit)  # 6³: several packed columns per response
    specs = question_specs(survey.questionnaire)
    codes, units = statistics.respondent_codes(db.session, survey, flt, specs)
    want_codes, want_units = reference_codes(survey, flt, specs)
    assert codes.shape == want_codes.shape and len(codes) == len(want_codes) > 10
    np.testing.assert_array_equal(codes, want_codes)
    np.testing.assert_array_equal(units, want_units)
    assert (codes == -1).all(axis=1).any()  # the response without scored answers is still a respondent


def test_packed_groups_stay_within_a_64_bit_sum():
    specs = [QuestionSpec(f"Q{i}", "t", tuple(OptionSpec(k, k, v) for v, k in enumerate("ABCDEFG"))) for i in range(60)]
    groups = statistics_sql.packed_groups(specs)
    assert [c for g in groups for c, _ in g] == list(range(60)) and len(groups) > 1
    for group in groups:
        top = group[-1][1] * 8  # place value of the last digit × its radix
        assert top < statistics_sql.PACK_LIMIT


def test_dashboard_statistics_are_the_last_ones_while_new_ones_compute(survey, monkeypatch):
    statistics._CACHE.clear()
    statistics._LATEST.clear()
    flt, specs, scoring = SummaryFilter(), question_specs(survey.questionnaire), ScoringSettings()
    first_print = dataset_fingerprint(db.session, survey, flt)[0]
    first = statistics.latest_statistics(db.session, survey, flt, specs, scoring, first_print, wait=None)
    assert first.current and first.fingerprint == first_print

    add_response(survey, list(survey.units)[0], "D")
    db.session.commit()
    second_print = dataset_fingerprint(db.session, survey, flt)[0]
    release, compute = threading.Event(), statistics._compute

    def held(*args):
        release.wait()
        return compute(*args)

    monkeypatch.setattr(statistics, "_compute", held)
    served = statistics.latest_statistics(db.session, survey, flt, specs, scoring, second_print, wait=0)
    assert not served.current and served.fingerprint == first_print and served.ci == first.ci
    release.set()
    for thread in list(statistics._RUNNING.values()):
        thread.join()
    fresh = statistics.latest_statistics(db.session, survey, flt, specs, scoring, second_print, wait=0)
    assert fresh.current and fresh.fingerprint == second_print and fresh.ci.n == first.ci.n + 1


def test_first_statistics_of_a_view_are_pending_until_computed(survey, monkeypatch):
    statistics._CACHE.clear()
    statistics._LATEST.clear()
    release, compute = threading.Event(), statistics._compute

    def held(*args):
        release.wait()
        return compute(*args)

    monkeypatch.setattr(statistics, "_compute", held)
    flt, specs = SummaryFilter(("valid",)), question_specs(survey.questionnaire)
    fingerprint = dataset_fingerprint(db.session, survey, flt)[0]
    assert statistics.latest_statistics(db.session, survey, flt, specs, ScoringSettings(), fingerprint, wait=0) is None
    release.set()
    done = statistics.latest_statistics(db.session, survey, flt, specs, ScoringSettings(), fingerprint, wait=None)
    assert done.current and done.fingerprint == fingerprint


def test_background_statistics_are_filed_under_the_data_they_read(survey, monkeypatch):
    """Answers arriving while the interval computes: it is stored under the data it saw."""
    statistics._CACHE.clear()
    statistics._LATEST.clear()
    flt, specs, scoring = SummaryFilter(), question_specs(survey.questionnaire), ScoringSettings()
    asked = dataset_fingerprint(db.session, survey, flt)[0]
    release, compute = threading.Event(), statistics._compute

    def held(*args):
        release.wait()
        return compute(*args)

    monkeypatch.setattr(statistics, "_compute", held)
    assert statistics.latest_statistics(db.session, survey, flt, specs, scoring, asked, wait=0) is None
    add_response(survey, list(survey.units)[1], "B")  # arrives before the matrix is read
    db.session.commit()
    newer = dataset_fingerprint(db.session, survey, flt)[0]
    release.set()
    for thread in list(statistics._RUNNING.values()):
        thread.join()
    served = statistics.latest_statistics(db.session, survey, flt, specs, scoring, asked, wait=0)
    assert served.fingerprint == newer and not served.current
    assert statistics.latest_statistics(db.session, survey, flt, specs, scoring, newer, wait=0).current
    for thread in list(statistics._RUNNING.values()):  # the request for the older data started one more
        thread.join()

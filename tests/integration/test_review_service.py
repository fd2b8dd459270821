"""The review service on SQLite and PostgreSQL: list filters, decisions and paper entry.

Example: the industrial bank with units 甲公司 and 乙公司; responses are stored at fixed
times so the Beijing-date filter can be checked at its midnight boundaries.
"""

from __future__ import annotations

from datetime import date, datetime

import pytest
import sqlalchemy as sa
from support import add_response, all_satisfied, count, make_survey

from survey_app.domain.answers import Answer as Checked
from survey_app.domain.answers import check_answers
from survey_app.extensions import db
from survey_app.models import AuditEvent, Response
from survey_app.services import review
from survey_app.services.responses import SubmissionMeta, store_response
from survey_app.services.review import NO_UNIT, ReviewError, ReviewFilter
from survey_app.services.screening import screen_survey
from survey_app.services.settings import update_settings
from survey_app.services.summary import build_summary
from survey_app.services.surveys import close_survey


def stored(survey, unit, at: datetime, *, source="web", flags=(), status="valid", given=None, key="A"):
    """Store a response submitted at ``at`` (naive UTC) with the given flag codes."""
    answers = {q.id: Checked(q.id, option_keys=(key,)) for q in survey.questionnaire.scored_questions}
    response = store_response(db.session, survey, unit, answers, SubmissionMeta(submitted_at=at, source=source),
                              unit_name_given=given)
    response.flags = [{"code": c, "action": "flag", "reason_zh": f"理由{c}"} for c in flags]
    response.status = status
    return response


@pytest.fixture
def listed(ctx, industrial):
    survey = make_survey(industrial)
    jia, yi = survey.units
    # 2024-06-01 15:59 UTC is 23:59 on 1 June in Beijing; 16:00 UTC is already 2 June.
    r1 = stored(survey, jia, datetime(2024, 6, 1, 15, 59), flags=["min_duration"], status="flagged")
    r2 = stored(survey, yi, datetime(2024, 6, 1, 16, 0), source="paper")
    r3 = stored(survey, None, datetime(2024, 6, 3, 2, 0), flags=["not_in_frame", "straight_line"],
                status="flagged", given="名单外公司")
    r4 = stored(survey, jia, datetime(2024, 6, 4, 2, 0), status="excluded", flags=["straight_line"])
    db.session.commit()
    return survey, {"r1": r1.id, "r2": r2.id, "r3": r3.id, "r4": r4.id}


def ids(survey, flt, page=1):
    result = review.list_responses(db.session, survey, flt, page)
    return [r.id for r, _ in result.rows]


def test_unfiltered_list_is_newest_first_with_counts(listed):
    survey, r = listed
    result = review.list_responses(db.session, survey, ReviewFilter())
    assert [x.id for x, _ in result.rows] == [r["r4"], r["r3"], r["r2"], r["r1"]]
    assert result.status_counts == {"valid": 1, "flagged": 2, "excluded": 1} and result.total == 4
    assert [name for _, name in result.rows] == ["甲公司", None, "乙公司", "甲公司"]


@pytest.mark.parametrize(("flt", "expected"), [
    (ReviewFilter(unit="jia"), ["r4", "r1"]),
    (ReviewFilter(unit=NO_UNIT), ["r3"]),
    (ReviewFilter(status="flagged"), ["r3", "r1"]),
    (ReviewFilter(flag="straight_line"), ["r4", "r3"]),
    (ReviewFilter(flag="min_duration"), ["r1"]),
    (ReviewFilter(flag="duplicate_device"), []),
    (ReviewFilter(source="paper"), ["r2"]),
    (ReviewFilter(date_from=date(2024, 6, 2)), ["r4", "r3", "r2"]),
    (ReviewFilter(date_to=date(2024, 6, 1)), ["r1"]),
    (ReviewFilter(date_from=date(2024, 6, 2), date_to=date(2024, 6, 3)), ["r3", "r2"]),
    (ReviewFilter(unit="jia", flag="straight_line", status="excluded"), ["r4"]),
])
def test_each_filter(listed, flt, expected):
    survey, r = listed
    if flt.unit == "jia":
        flt = ReviewFilter(**{**flt.__dict__, "unit": survey.units[0].id})
    assert ids(survey, flt) == [r[name] for name in expected]


def test_status_counts_ignore_the_status_filter_but_keep_the_others(listed):
    survey, _ = listed
    result = review.list_responses(db.session, survey, ReviewFilter(status="valid", unit=survey.units[0].id))
    assert result.status_counts == {"valid": 0, "flagged": 1, "excluded": 1} and result.total == 0 and result.rows == []


def test_pagination_pages_are_disjoint_and_clamped(ctx, industrial, monkeypatch):
    monkeypatch.setattr(review, "PAGE_SIZE", 3)
    survey = make_survey(industrial)
    made = [stored(survey, survey.units[0], datetime(2024, 6, 1, 8, i)).id for i in range(7)]
    db.session.commit()
    pages = [ids(survey, ReviewFilter(), p) for p in (1, 2, 3)]
    assert pages == [made[6:3:-1], made[3:0:-1], made[:1]]
    assert review.list_responses(db.session, survey, ReviewFilter(), 99).page == 3


def test_exclude_and_restore_change_the_summary_and_are_audited(ctx, industrial):
    survey = make_survey(industrial)
    jia = survey.units[0]
    good = add_response(survey, jia, "A")
    bad = add_response(survey, jia, "D")
    db.session.commit()
    before = build_summary(db.session, survey, statistics=False).to_json()
    assert before["responses"]["used"] == 2 and before["composite"] == 50.0

    assert review.exclude(db.session, survey, bad, "  电话回访：非受益单位填写 ", "user:eva") is True
    db.session.commit()
    after = build_summary(db.session, survey, statistics=False).to_json()
    assert after["responses"]["used"] == 1 and after["responses"]["excluded"] == 1 and after["composite"] == 100.0
    assert (bad.status, bad.decision, bad.decision_reason) == ("excluded", "excluded", "电话回访：非受益单位填写")
    event = db.session.scalars(sa.select(AuditEvent).where(AuditEvent.action == "response.exclude")).one()
    assert event.actor == "user:eva"
    assert event.before == {"response_id": bad.id, "status": "valid", "decision": None, "reason": None}
    assert event.after == {"response_id": bad.id, "status": "excluded", "decision": "excluded",
                           "reason": "电话回访：非受益单位填写"}

    review.restore(db.session, survey, bad, "复核后确认有效", "user:eva")
    db.session.commit()
    assert build_summary(db.session, survey, statistics=False).to_json()["composite"] == 50.0
    restored = db.session.scalars(sa.select(AuditEvent).where(AuditEvent.action == "response.restore")).one()
    assert restored.before["status"] == "excluded" and restored.after["status"] == "valid"
    assert [e.action for e in review.decision_events(db.session, survey, bad)] == ["response.restore",
                                                                                   "response.exclude"]
    assert review.decision_events(db.session, survey, good) == []


@pytest.mark.parametrize("reason", ["", "   ", "\x00"])
def test_a_decision_needs_a_reason(ctx, industrial, reason):
    survey = make_survey(industrial)
    response = add_response(survey, survey.units[0], "A")
    with pytest.raises(ReviewError) as exc:
        review.exclude(db.session, survey, response, reason, "user:eva")
    assert exc.value.code == "reason_required"
    assert response.status == "valid" and response.decision is None and count(AuditEvent) == 1  # survey.open only


def test_repeating_the_same_decision_records_nothing_new(ctx, industrial):
    survey = make_survey(industrial)
    response = add_response(survey, survey.units[0], "A")
    assert review.exclude(db.session, survey, response, "重复", "user:eva")
    assert not review.exclude(db.session, survey, response, "重复", "user:eva")
    assert db.session.scalar(sa.select(sa.func.count()).where(AuditEvent.action == "response.exclude")) == 1


def test_decisions_override_flags_keep_them_visible_and_survive_rescreening(ctx, industrial):
    survey = make_survey(industrial)
    # Straight-lined (all A on ten scored items): a note by default, flagged once the rule says so.
    flagged = add_response(survey, survey.units[0], "A")
    clean = add_response(survey, survey.units[0], "A", keys={"Q1": "B"})
    screen_survey(db.session, survey)
    assert flagged.status == "valid" and [f["action"] for f in flagged.flags] == ["note"]
    update_settings(db.session, survey, {"validity": {"straight_line": {"action": "flag"}}}, "user:eva")
    screen_survey(db.session, survey)
    assert flagged.status == "flagged" and clean.status == "valid"

    review.exclude(db.session, survey, clean, "同一人重复填写", "user:eva")
    assert clean.status == "excluded" and clean.flags == []
    # Rules now exclude straight-lining automatically; the evaluator keeps `flagged` counted.
    update_settings(db.session, survey, {"validity": {"straight_line": {"action": "exclude"}}}, "user:eva")
    screen_survey(db.session, survey)
    assert flagged.status == "excluded"
    review.restore(db.session, survey, flagged, "确认为真实意见", "user:eva")
    assert flagged.status == "valid" and [f["code"] for f in flagged.flags] == ["straight_line"]
    assert flagged.status_reason == "确认为真实意见"

    totals = screen_survey(db.session, survey)
    db.session.commit()
    assert (flagged.status, clean.status) == ("valid", "excluded")
    assert [f["code"] for f in flagged.flags] == ["straight_line"]
    assert totals == {"valid": 1, "excluded": 1}


def test_paper_entry_validates_like_the_web_form(ctx, industrial):
    survey = make_survey(industrial)
    values = {f"q_{k}": [v] for k, v in all_satisfied(industrial).items()}
    del values["q_Q3"]
    values["q_I3"] = ["1", "2", "3", "4", "5", "9"]
    outcome = review.enter_paper(db.session, survey, survey.units[0], values, "user:eva")
    assert outcome.response is None
    assert outcome.errors == check_answers(survey.questionnaire, values).errors == {
        "I3": "invalid_option", "Q3": "required"}
    no_unit = review.enter_paper(db.session, survey, None, values, "user:eva")
    assert list(no_unit.errors) == ["_unit", "I3", "Q3"]
    assert count(Response) == 0


def test_paper_entry_stores_a_paper_response_and_audits_it(ctx, industrial):
    survey = make_survey(industrial)
    values = {f"q_{k}": [v] for k, v in all_satisfied(industrial, key="B").items()}
    values["q_Q2"], values["q_Q2R"] = ["C"], ["材料太多"]
    outcome = review.enter_paper(db.session, survey, survey.units[1], values, "user:eva")
    db.session.commit()
    response = outcome.response
    assert (response.source, response.nonce, response.started_at, response.duration_seconds) == ("paper", None, None,
                                                                                                 None)
    assert response.unit_id == survey.units[1].id and response.status == "valid" and response.flags == []
    event = db.session.scalars(sa.select(AuditEvent).where(AuditEvent.action == "response.paper")).one()
    assert event.after == {"response_id": response.id, "unit_id": survey.units[1].id, "unit": "乙公司",
                           "status": "valid"}
    sheet = review.answer_sheet(db.session, survey, response)
    by_id = {item["question"].id: item for item in sheet}
    assert by_id["Q2"]["values"] == ["不太满意"] and by_id["Q2R"]["values"] == ["材料太多"]
    assert "Q1R" not in by_id  # follow-up that did not apply
    assert by_id["S1"]["values"] == [] and by_id["Q1"]["number"] == "4" and by_id["Q2R"]["number"] is None
    assert by_id["Q1"]["heading"] == "4. 您对专项资金政策的宣传和解读是否满意？"


def test_paper_entry_refused_unless_open(ctx, industrial):
    draft = make_survey(industrial, status="draft", name="草稿")
    closed = make_survey(industrial, name="已结束")
    close_survey(db.session, closed)
    values = {f"q_{k}": [v] for k, v in all_satisfied(industrial).items()}
    for survey in (draft, closed):
        with pytest.raises(ReviewError) as exc:
            review.enter_paper(db.session, survey, survey.units[0], values, "user:eva")
        assert exc.value.code == "not_open"
    with pytest.raises(ReviewError) as exc:
        open_one = make_survey(industrial, name="另一个")
        review.enter_paper(db.session, open_one, draft.units[0], values, "user:eva")
    assert exc.value.code == "unit"
    assert count(Response) == 0


def test_decisions_stay_possible_after_closing(ctx, industrial):
    survey = make_survey(industrial)
    response = add_response(survey, survey.units[0], "A")
    close_survey(db.session, survey)
    review.exclude(db.session, survey, response, "报告定稿前复核剔除", "user:eva")
    assert build_summary(db.session, survey, statistics=False).to_json()["responses"]["excluded"] == 1


def test_responses_of_another_survey_are_not_found(ctx, industrial):
    one, other = make_survey(industrial, name="一"), make_survey(industrial, name="二")
    response = add_response(one, one.units[0], "A")
    assert review.get_response(db.session, one, response.id) is response
    assert review.get_response(db.session, other, response.id) is None

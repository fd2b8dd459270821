"""The 意见建议 workspace page: themes with counts, the evaluator's decisions, audit, roles, escaping."""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa
from flask import g
from support import add_response, login, make_survey, make_user

from survey_app.domain.answers import Answer as Checked
from survey_app.extensions import db
from survey_app.models import AuditEvent, OpinionBoard
from survey_app.models._types import utcnow
from survey_app.services.access import grant
from survey_app.services.responses import SubmissionMeta, store_response

XSS = '<script>alert("x")</script>'
TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')
REVISION = re.compile(r'name="revision" value="(\d+)"')


def answer(survey, texts: dict[str, str]) -> None:
    """One response: every scored question 不太满意 (so follow-ups apply) plus the given open answers."""
    answers = {q.id: Checked(q.id, option_keys=("C",)) for q in survey.questionnaire.scored_questions}
    answers.update({qid: Checked(qid, text=text) for qid, text in texts.items()})
    store_response(db.session, survey, survey.units[0], answers, SubmissionMeta(submitted_at=utcnow()))
    db.session.commit()


@pytest.fixture
def setup(app, ctx, industrial):
    owner = make_user("owner")
    survey = make_survey(industrial)
    survey.owner_id = owner.id
    for text in ("资金拨付太慢", "资金拨付太慢", "申报材料太多", "无"):
        answer(survey, {"S1": text})
    answer(survey, {"Q6R": "等了一年才到账", "S1": XSS})
    client = app.test_client()
    login(client, "owner")
    return client, survey


def fresh() -> None:
    """Forget what Flask-WTF and Flask-Login cache in the shared ``g`` (the ``ctx`` fixture's app context)."""
    for name in ("csrf_token", "csrf_valid", "_login_user"):
        g.pop(name, None)


def page(client, survey) -> str:
    fresh()
    return client.get(f"/manage/surveys/{survey.id}/opinions").get_data(as_text=True)


def post(client, survey, **data):
    html = page(client, survey)
    form = {"csrf_token": TOKEN.search(html).group(1), "revision": REVISION.search(html).group(1), **data}
    fresh()
    return client.post(f"/manage/surveys/{survey.id}/opinions", data=form)


def test_the_page_lists_themes_with_counts_and_escapes_answers(setup):
    client, survey = setup
    html = page(client, survey)
    assert "奖补资金拨付及时性" in html and "（3 条，2 种不同意见）" in html
    assert "申报流程便捷性" in html
    assert "1 条为“无”“满意”等" in html
    assert XSS not in html and "&lt;script&gt;" in html


def test_rename_and_merge_are_saved_audited_and_survive_a_new_answer(setup):
    client, survey = setup
    assert post(client, survey, action="rename", theme="q:Q6", name="资金拨付进度").status_code == 302
    assert post(client, survey, action="merge", theme="q:Q3", target="q:Q6").status_code == 302
    answer(survey, {"S1": "申报手续繁琐"})  # would have gone to the merged theme
    html = page(client, survey)
    assert ". 资金拨付进度 <span" in html and ". 申报流程便捷性 <span" not in html
    assert "（5 条，4 种不同意见）" in html and ">新</span>" in html
    actions = db.session.scalars(sa.select(AuditEvent.action).where(AuditEvent.survey_id == survey.id)).all()
    assert {"opinions.rename", "opinions.merge"} <= set(actions)
    assert db.session.get(OpinionBoard, survey.id).revision == 2


def test_hide_keeps_the_answer_on_the_page_but_not_in_the_counts(setup):
    client, survey = setup
    post(client, survey, action="hide", key="资金拨付太慢")
    html = page(client, survey)
    assert "资金拨付太慢" in html and "恢复进入报告" in html and "（1 条，2 种不同意见）" in html


def test_a_stale_page_and_a_bad_decision_change_nothing(setup):
    client, survey = setup
    html = page(client, survey)
    token = TOKEN.search(html).group(1)
    post(client, survey, action="rename", theme="q:Q6", name="资金拨付进度")
    fresh()
    stale = client.post(f"/manage/surveys/{survey.id}/opinions",
                        data={"csrf_token": token, "revision": "0", "action": "rename", "theme": "q:Q6", "name": "别的"})
    assert stale.status_code == 302
    assert "已被他人修改" in page(client, survey) or "资金拨付进度" in page(client, survey)
    assert post(client, survey, action="rename", theme="q:Q6", name="").status_code == 302
    assert db.session.get(OpinionBoard, survey.id).decisions["names"]["q:Q6"] == "资金拨付进度"


def test_a_viewer_sees_the_page_without_controls_and_may_not_decide(app, setup):
    _, survey = setup
    viewer = make_user("viewer", "viewer")
    grant(db.session, survey, viewer, "viewer")
    add_response(survey, survey.units[0], "A")
    db.session.commit()
    client = app.test_client()
    fresh()
    login(client, "viewer")
    html = page(client, survey)
    assert "奖补资金拨付及时性" in html and "<form method=\"post\" action=\"/manage/surveys" not in html
    token = TOKEN.search(html).group(1)
    fresh()
    reply = client.post(f"/manage/surveys/{survey.id}/opinions",
                        data={"csrf_token": token, "revision": "0", "action": "rename", "theme": "q:Q6", "name": "x"})
    assert reply.status_code == 403


def test_split_and_move_through_the_page(setup):
    client, survey = setup
    post(client, survey, action="split", theme="q:Q6", keys=["等了一年才到账"], name="到账时间")
    html = page(client, survey)
    assert "已将1条意见拆分为新主题“到账时间”。" in html and ". 到账时间 <span" in html
    post(client, survey, action="move", theme="q:Q3", key="申报材料太多", target="q:Q6")
    html = page(client, survey)
    assert ". 申报流程便捷性 <span" not in html and "（3 条，2 种不同意见）" in html
    events = db.session.scalars(sa.select(AuditEvent).where(AuditEvent.action.in_(["opinions.split", "opinions.move"]))
                                .order_by(AuditEvent.id)).all()
    assert [e.after["theme"] for e in events] == ["到账时间", "奖补资金拨付及时性"]

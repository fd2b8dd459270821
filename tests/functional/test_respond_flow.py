"""The respond flow through the test client: valid, invalid, double submit, closed, bad links, CSRF."""

from __future__ import annotations

import gzip
import re

import sqlalchemy as sa
from support import HIDDEN, all_satisfied, count

from survey_app.extensions import db
from survey_app.models import Answer, Response, Survey
from survey_app.services.surveys import close_survey


def test_unit_link_shows_the_unit_and_the_questionnaire(client, open_survey_ids):
    _, tokens = open_survey_ids
    page = client.get(f"/s/{tokens[0]}")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "甲公司" in html
    assert "您对专项资金政策的宣传和解读是否满意？" in html
    assert 'name="csrf_token"' in html and 'name="ticket"' in html


def test_valid_submission_is_stored_whole_and_redirects_to_thanks(client, respondent, open_survey_ids, industrial):
    _, tokens = open_survey_ids
    answers = all_satisfied(industrial)
    answers["Q3"] = "C"
    answers["Q3R"] = "流程材料较多"
    answers["I3"] = ["1", "3"]
    reply = respondent.answer(f"/s/{tokens[0]}", answers)
    assert reply.status_code == 303
    assert reply.headers["Location"].endswith(f"/s/{tokens[0]}/done")
    assert "提交成功" in client.get(reply.headers["Location"]).get_data(as_text=True)
    response = db.session.scalars(sa.select(Response)).one()
    assert response.unit_id == db.session.scalars(sa.select(Survey)).one().units[0].id
    rows = db.session.scalars(sa.select(Answer).where(Answer.response_id == response.id)).all()
    by_question = {}
    for row in rows:
        by_question.setdefault(row.question_id, []).append(row.option_key or row.text_value)
    assert by_question["Q1"] == ["A"] and by_question["Q3"] == ["C"]
    assert by_question["Q3R"] == ["流程材料较多"]
    assert sorted(by_question["I3"]) == ["1", "3"]
    assert response.source == "web"
    # Answered within a second by the test client: screened and flagged (not excluded) as too fast.
    assert response.status == "flagged"
    assert [flag["code"] for flag in response.flags] == ["min_duration"]
    assert "少于30秒" in response.status_reason
    assert response.duration_seconds is not None and response.duration_seconds >= 0
    assert response.ip_hash and "127.0.0.1" not in response.ip_hash


def test_double_submit_stores_one_response_and_shows_thanks_again(respondent, open_survey_ids, industrial):
    _, tokens = open_survey_ids
    path = f"/s/{tokens[0]}"
    respondent.open(path)
    first = respondent.submit(path, all_satisfied(industrial))
    second = respondent.submit(path, all_satisfied(industrial))
    assert first.status_code == second.status_code == 303
    assert count(Response) == 1


def test_missing_answers_keep_everything_typed_and_mark_each_question(respondent, open_survey_ids, industrial):
    _, tokens = open_survey_ids
    answers = all_satisfied(industrial)
    del answers["Q2"], answers["Q7"]
    answers["S1"] = "希望<b>简化</b>流程"
    reply = respondent.answer(f"/s/{tokens[0]}", answers)
    html = reply.get_data(as_text=True)
    assert reply.status_code == 422
    assert "还有 2 处需要填写或修改" in html
    assert html.count("请回答此题") == 2 + 2  # in the summary and beside each question
    assert 'value="A" checked' in html  # earlier answers are kept
    assert "希望&lt;b&gt;简化&lt;/b&gt;流程" in html  # typed text kept, escaped
    assert count(Response) == 0 and count(Answer) == 0


def test_follow_up_answer_is_dropped_when_its_condition_does_not_hold(respondent, open_survey_ids, industrial):
    _, tokens = open_survey_ids
    answers = all_satisfied(industrial)
    answers["Q3R"] = "改主意前写的原因"  # Q3 is 非常满意, so Q3R was never shown
    assert respondent.answer(f"/s/{tokens[0]}", answers).status_code == 303
    assert db.session.scalar(sa.select(sa.func.count()).where(Answer.question_id == "Q3R")) == 0


def test_each_invalid_answer_gets_its_own_message(respondent, open_survey_ids, industrial):
    _, tokens = open_survey_ids
    answers = all_satisfied(industrial)
    answers["Q1"] = "Z"  # not an option of Q1
    answers["I1"] = ["1", "2"]  # two options on a single-choice question
    answers["S1"] = "长" * 2001
    html = respondent.answer(f"/s/{tokens[0]}", answers).get_data(as_text=True)
    assert "所选选项无效，请重新选择" in html
    assert "内容过长，请控制在2000字以内" in html
    assert "还有 3 处需要填写或修改" in html
    assert count(Response) == 0


def test_text_of_exactly_2000_characters_is_accepted(respondent, open_survey_ids, industrial):
    _, tokens = open_survey_ids
    answers = all_satisfied(industrial) | {"S1": "长" * 2000}
    assert respondent.answer(f"/s/{tokens[0]}", answers).status_code == 303
    assert db.session.scalars(sa.select(Answer.text_value).where(Answer.question_id == "S1")).one() == "长" * 2000


def test_missing_csrf_token_keeps_answers_and_asks_to_submit_again(respondent, open_survey_ids, industrial):
    _, tokens = open_survey_ids
    path = f"/s/{tokens[0]}"
    respondent.open(path)
    answers = all_satisfied(industrial) | {"S1": "保留我"}
    reply = respondent.submit(path, answers, hidden={"ticket": respondent.hidden["ticket"]})
    html = reply.get_data(as_text=True)
    assert reply.status_code == 400
    assert "页面已过期或停留时间较长" in html and "保留我" in html
    assert count(Response) == 0
    # The re-rendered page carries fresh tokens: submitting it again works.
    respondent.hidden = dict(HIDDEN.findall(html))
    assert respondent.submit(path, answers).status_code == 303
    assert count(Response) == 1


def test_forged_ticket_is_treated_as_a_stale_page(respondent, open_survey_ids, industrial):
    _, tokens = open_survey_ids
    path = f"/s/{tokens[0]}"
    respondent.open(path)
    hidden = dict(respondent.hidden, ticket="forged.ticket")
    assert respondent.submit(path, all_satisfied(industrial), hidden=hidden).status_code == 400
    assert count(Response) == 0


def test_ticket_from_another_unit_is_refused(respondent, open_survey_ids, industrial):
    _, tokens = open_survey_ids
    respondent.open(f"/s/{tokens[0]}")
    assert respondent.submit(f"/s/{tokens[1]}", all_satisfied(industrial)).status_code == 400
    assert count(Response) == 0


def test_unknown_link_is_a_chinese_404(client):
    reply = client.get("/s/not-a-real-token")
    assert reply.status_code == 404
    assert "链接无效或已失效" in reply.get_data(as_text=True)
    assert client.post("/s/not-a-real-token", data={}).status_code == 404
    assert client.get("/o/" + "x" * 500).status_code == 404


def test_closed_survey_shows_dates_and_refuses_answers(client, respondent, ctx, open_survey_ids, industrial):
    survey_id, tokens = open_survey_ids
    path = f"/s/{tokens[0]}"
    respondent.open(path)
    close_survey(db.session, db.session.get(Survey, survey_id))
    db.session.commit()
    page = client.get(path)
    assert page.status_code == 200 and "问卷已结束" in page.get_data(as_text=True)
    assert "结束时间" in page.get_data(as_text=True)
    assert respondent.submit(path, all_satisfied(industrial)).status_code == 403
    assert count(Response) == 0


def test_draft_survey_is_not_yet_open(client, ctx, industrial):
    from support import make_survey

    survey = make_survey(industrial, status="draft")
    page = client.get(f"/s/{survey.units[0].token}")
    assert page.status_code == 200 and "问卷尚未开放" in page.get_data(as_text=True)


def test_open_link_needs_a_unit_and_accepts_one_not_in_the_list(respondent, ctx, open_survey_ids, industrial):
    survey = db.session.get(Survey, open_survey_ids[0])
    path = f"/o/{survey.open_token}"
    html = respondent.answer(path, all_satisfied(industrial)).get_data(as_text=True)
    assert "请选择您所在的单位" in html
    assert respondent.answer(path, all_satisfied(industrial) | {"unit": str(survey.units[1].id)}).status_code == 303
    other = all_satisfied(industrial) | {"unit": "other", "unit_other": "丙公司"}
    assert respondent.answer(path, other, another=True).status_code == 303
    rows = db.session.execute(sa.select(Response.unit_id, Response.unit_name_given).order_by(Response.id)).all()
    assert rows == [(survey.units[1].id, None), (None, "丙公司")]


def test_open_link_refuses_a_unit_of_another_survey(respondent, ctx, open_survey_ids, industrial):
    from support import make_survey

    other = make_survey(industrial, units=("外单位",), name="另一项调查")
    survey = db.session.get(Survey, open_survey_ids[0])
    reply = respondent.answer(f"/o/{survey.open_token}", all_satisfied(industrial) | {"unit": str(other.units[0].id)})
    assert reply.status_code == 422 and count(Response) == 0


def test_pages_are_gzipped_for_phones(client, open_survey_ids):
    _, tokens = open_survey_ids
    reply = client.get(f"/s/{tokens[0]}", headers={"Accept-Encoding": "gzip"})
    assert reply.headers["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in reply.headers["Vary"]


def test_first_load_fits_the_phone_budget(client, open_survey_ids):
    """HTML + CSS + JS of the answering page, gzipped, stay within 30 KB, all served by the app."""
    _, tokens = open_survey_ids
    gzip_headers = {"Accept-Encoding": "gzip"}
    page = client.get(f"/s/{tokens[0]}", headers=gzip_headers)
    html = page.get_data(as_text=False)
    text = gzip.decompress(html).decode()
    assets = re.findall(r'(?:href|src)="([^"]+\.(?:css|js)[^"]*)"', text)
    assert len(assets) == 2 and all(a.startswith("/static/") for a in assets)
    total = len(html) + sum(len(client.get(a, headers=gzip_headers).get_data()) for a in assets)
    assert total <= 30 * 1024, total


def test_security_headers_protect_the_token(client, open_survey_ids):
    _, tokens = open_survey_ids
    headers = client.get(f"/s/{tokens[0]}").headers
    assert headers["Referrer-Policy"] == "no-referrer"
    assert "script-src 'self' 'sha256-" in headers["Content-Security-Policy"]


def test_the_answering_page_is_never_cached(client, open_survey_ids):
    _, tokens = open_survey_ids
    assert client.get(f"/s/{tokens[0]}").headers["Cache-Control"] == "no-store"


def test_after_answering_the_device_sees_already_submitted_instead_of_a_form(respondent, open_survey_ids, industrial):
    _, tokens = open_survey_ids
    path = f"/s/{tokens[0]}"
    assert respondent.answer(path, all_satisfied(industrial)).status_code == 303
    page = respondent.client.get(path)
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and page.headers["Cache-Control"] == "no-store"
    assert "您已提交过本问卷（" in html and 'name="ticket"' not in html
    assert f'href="{path}?another=1"' in html and "为本单位其他人员再填写一份" in html
    another = respondent.client.get(f"{path}?another=1").get_data(as_text=True)
    assert 'name="ticket"' in another and "您正在为本单位的另一位人员填写一份新问卷" in another


def test_identical_answers_from_the_same_device_are_stored_once(client, respondent, open_survey_ids, industrial):
    """Two forms opened before either was sent (two tabs, a page restored by the browser)."""
    _, tokens = open_survey_ids
    path = f"/s/{tokens[0]}"
    respondent.open(path)
    first_form = dict(respondent.hidden)
    respondent.open(path)
    second_form = dict(respondent.hidden)
    answers = all_satisfied(industrial, key="B")
    assert respondent.submit(path, answers, hidden=first_form).status_code == 303
    again = respondent.submit(path, answers, hidden=second_form)
    assert again.status_code == 303 and again.headers["Location"].endswith(f"{path}/done")
    assert count(Response) == 1
    # Different answers are a different answer: stored (and screened as usual).
    assert respondent.submit(path, all_satisfied(industrial, key="C"), hidden=second_form).status_code == 303
    assert count(Response) == 2


def test_another_person_on_the_same_device_is_stored_with_a_note_not_a_flag(respondent, open_survey_ids, industrial):
    _, tokens = open_survey_ids
    path = f"/s/{tokens[0]}"
    answers = all_satisfied(industrial, key="B")
    assert respondent.answer(path, answers).status_code == 303
    assert respondent.answer(path, answers, another=True).status_code == 303
    first, second = db.session.scalars(sa.select(Response).order_by(Response.id)).all()
    assert (first.another_person, second.another_person) == (False, True)
    duplicate = next(f for f in second.flags if f["code"] == "duplicate_device")
    assert duplicate["action"] == "note" and "填写人声明为本单位其他人员" in duplicate["reason_zh"]
    assert "duplicate_device" not in [f["code"] for f in first.flags]


def test_the_status_stored_on_arrival_is_what_screening_the_survey_gives(ctx, respondent, open_survey_ids, industrial):
    """The answering page screens before it inserts; re-screening everything changes nothing."""
    from survey_app.services.screening import screen_survey

    survey_id, tokens = open_survey_ids
    path = f"/s/{tokens[0]}"
    assert respondent.answer(path, all_satisfied(industrial, key="B")).status_code == 303
    assert respondent.answer(path, all_satisfied(industrial, key="B"), another=True).status_code == 303
    assert respondent.answer(path, all_satisfied(industrial, key="A"), another=True).status_code == 303
    stored = [(r.status, r.flags, r.status_reason)
              for r in db.session.scalars(sa.select(Response).order_by(Response.id))]
    assert "duplicate_device" in [f["code"] for f in stored[1][1]]  # the colleague's note
    screen_survey(db.session, db.session.get(Survey, survey_id))
    db.session.expire_all()
    assert [(r.status, r.flags, r.status_reason)
            for r in db.session.scalars(sa.select(Response).order_by(Response.id))] == stored


def test_a_submission_is_five_statements(respondent, open_survey_ids, industrial):
    """Unit with its survey, the nonce, the device's recent responses, the response, its answers
    (one executemany), whatever the number of questions: no per-answer INSERT, no UPDATE."""
    _, tokens = open_survey_ids
    path = f"/s/{tokens[0]}"
    respondent.open(path)
    statements: list[str] = []

    def seen(conn, cursor, statement, parameters, context, executemany):
        statements.append(statement.split()[0])

    sa.event.listen(db.engine, "before_cursor_execute", seen)
    try:
        assert respondent.submit(path, all_satisfied(industrial)).status_code == 303
    finally:
        sa.event.remove(db.engine, "before_cursor_execute", seen)
    assert statements.count("INSERT") == 2 and "UPDATE" not in statements
    assert len(statements) == 5, statements

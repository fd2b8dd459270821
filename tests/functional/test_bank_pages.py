"""The 题库 pages and the new-survey start (bank, copy, blank) through the test client."""

from __future__ import annotations

import html
import io
from dataclasses import replace

import sqlalchemy as sa
from support import count, csrf_token, login, make_survey, make_user

from survey_app.domain.banks import parse_bank
from survey_app.domain.blank import BLANK_ID
from survey_app.domain.vocabulary import SurveyState
from survey_app.extensions import db
from survey_app.models import AuditEvent, QuestionBank, Survey
from survey_app.services.access import grant
from survey_app.services.bank_library import save_survey_as_bank
from survey_app.texts_zh import bank_library as zh

GOOD = """\
id: towns
title: 专业镇问卷
version: "2"
intro: {title: 专业镇满意度调查}
scales:
  sat: {options: [{key: A, label: 满意, value: 100}, {key: B, label: 不满意, value: 0}]}
sections:
  - id: S1
    title: 满意度
    questions:
      - {id: Q1, type: single, text: 您对服务满意吗, scale: sat, topic: 服务}
"""
BAD = GOOD.replace("scale: sat, topic: 服务", "scale: sat9").replace("title: 专业镇问卷\n", "")


def upload(client, name: str, text: str | bytes, token: str | None = None):
    data = text.encode("utf-8") if isinstance(text, str) else text
    form = {"file": (io.BytesIO(data), name)}
    if token is not None:
        form["csrf_token"] = token
    return client.post("/manage/banks/upload", data=form, content_type="multipart/form-data")


def page(reply) -> str:
    return html.unescape(reply.get_data(as_text=True))


def test_the_library_lists_built_in_banks_and_the_header_links_to_it(client, ctx, industrial):
    make_user("ev")
    login(client, "ev")
    assert 'href="/manage/banks"' in client.get("/manage/").get_data(as_text=True)
    text = page(client.get("/manage/banks"))
    assert industrial.title in text and "内置" in text and "上传题库" in text
    assert f"<td>{len(industrial.questions)}</td><td>{len(industrial.scored_questions)}</td>" in text
    reply = client.get("/manage/banks/builtin/industrial_fund.yaml/download")
    assert reply.status_code == 200 and "attachment" in reply.headers["Content-Disposition"]
    assert parse_bank(reply.get_data(as_text=True)) == industrial
    assert client.get("/manage/banks/builtin/nope.yaml/download").status_code == 404


def test_an_uploaded_bank_is_listed_and_downloads_as_sent(client, ctx):
    make_user("ev")
    login(client, "ev")
    reply = upload(client, "towns.yaml", GOOD, csrf_token(client))
    assert reply.status_code == 302
    text = page(client.get("/manage/banks"))
    assert "专业镇问卷" in text and "已保存" in text and "towns" in text
    bank = db.session.scalars(sa.select(QuestionBank)).one()
    download = client.get(f"/manage/banks/{bank.id}/download")
    assert download.get_data(as_text=True) == GOOD
    assert "towns-2.yaml" in download.headers["Content-Disposition"]


def test_an_upload_with_errors_shows_each_problem_as_flask_banks_check_prints_it(client, ctx, runner, tmp_path):
    make_user("ev")
    login(client, "ev")
    reply = upload(client, "towns.yaml", BAD, csrf_token(client))
    assert reply.status_code == 422 and count(QuestionBank) == 0
    (tmp_path / "towns.yaml").write_text(BAD, encoding="utf-8")
    cli = runner.invoke(args=["banks", "check", str(tmp_path / "towns.yaml")])
    printed = [line.removeprefix("ERROR ") for line in cli.output.splitlines() if line.startswith("ERROR ")]
    assert len(printed) >= 2  # the missing title and the unknown scale at least
    text = page(reply)
    for line in printed:
        assert f"<li>{line}</li>" in text
    assert f"发现 {len(printed)} 个问题" in text


def test_posts_without_csrf_are_refused(client, ctx, industrial):
    make_user("ev")
    login(client, "ev")
    survey = make_survey(industrial, status="draft")
    assert upload(client, "towns.yaml", GOOD).status_code == 400
    assert client.post(f"/manage/surveys/{survey.id}/bank/new", data={"title": "x", "version": "1"}).status_code == 400
    assert count(QuestionBank) == 0


def test_viewers_list_and_download_only(client, ctx, industrial):
    alice, viewer = make_user("alice"), make_user("viewer", "viewer")
    survey = make_survey(industrial, status="draft")
    grant(db.session, survey, viewer, "viewer")
    bank = save_survey_as_bank(db.session, survey, alice, "甲的题库", "1", "x")
    db.session.commit()
    login(client, "viewer")
    token = csrf_token(client)
    text = page(client.get("/manage/banks"))
    assert "甲的题库" in text and "上传题库" not in text and f"/manage/banks/{bank.id}/delete" not in text
    assert client.get(f"/manage/banks/{bank.id}/download").status_code == 200
    assert upload(client, "towns.yaml", GOOD, token).status_code == 403
    assert client.post(f"/manage/banks/{bank.id}/delete", data={"csrf_token": token}).status_code == 403
    assert client.get(f"/manage/surveys/{survey.id}/bank/new").status_code == 403
    assert "另存为题库" not in page(client.get(f"/manage/surveys/{survey.id}"))
    assert count(QuestionBank) == 1


def test_an_evaluator_deletes_their_own_bank_not_someone_elses(client, ctx):
    make_user("alice")
    make_user("bob")
    login(client, "alice")
    token = csrf_token(client)
    upload(client, "towns.yaml", GOOD, token)
    bank = db.session.scalars(sa.select(QuestionBank)).one()
    client.post("/manage/logout", data={"csrf_token": token})
    login(client, "bob")
    bobs_token = csrf_token(client)
    assert f"/manage/banks/{bank.id}/delete" not in client.get("/manage/banks").get_data(as_text=True)
    refused = client.post(f"/manage/banks/{bank.id}/delete", data={"csrf_token": bobs_token})
    assert refused.status_code == 403 and zh.NOT_OWN_BANK in page(refused) and count(QuestionBank) == 1
    client.post("/manage/logout", data={"csrf_token": bobs_token})
    login(client, "alice")
    token = csrf_token(client)
    assert f"/manage/banks/{bank.id}/delete" in client.get("/manage/banks").get_data(as_text=True)
    assert client.post(f"/manage/banks/{bank.id}/delete", data={"csrf_token": token}).status_code == 302
    assert count(QuestionBank) == 0
    assert client.post(f"/manage/banks/{bank.id}/delete", data={"csrf_token": token}).status_code == 404
    assert list(db.session.scalars(sa.select(AuditEvent.action).order_by(AuditEvent.id))) == [
        "bank.upload", "bank.delete"]


def test_save_as_bank_from_a_survey_page(client, ctx, industrial):
    owner = make_user("owner")
    survey = make_survey(industrial, status="draft")
    survey.owner_id = owner.id
    db.session.commit()
    login(client, "owner")
    assert f"/manage/surveys/{survey.id}/bank/new" in client.get(f"/manage/surveys/{survey.id}").get_data(as_text=True)
    form = client.get(f"/manage/surveys/{survey.id}/bank/new")
    assert form.status_code == 200 and f'value="{industrial.title}"' in page(form)
    token = csrf_token(client)
    missing = client.post(f"/manage/surveys/{survey.id}/bank/new", data={"csrf_token": token, "title": " ", "version": "1"})
    assert missing.status_code == 400 and "请填写题库名称" in page(missing) and count(QuestionBank) == 0
    reply = client.post(f"/manage/surveys/{survey.id}/bank/new",
                        data={"csrf_token": token, "title": "工业企业（改）", "version": "2026"})
    assert reply.status_code == 302
    bank = db.session.scalars(sa.select(QuestionBank)).one()
    text = client.get(f"/manage/banks/{bank.id}/download").get_data(as_text=True)
    assert parse_bank(text) == replace(industrial, title="工业企业（改）", version="2026")
    assert "另存为题库" in page(client.get(f"/manage/surveys/{survey.id}/audit"))


def new_survey(client, **fields):
    data = {"csrf_token": csrf_token(client), "default_min_valid": "5", **fields}
    return client.post("/manage/surveys/new", data=data)


def created() -> Survey:
    return db.session.scalars(sa.select(Survey).order_by(Survey.id.desc())).first()


def test_a_new_survey_starts_from_a_stored_bank(client, ctx):
    make_user("ev")
    login(client, "ev")
    upload(client, "towns.yaml", GOOD, csrf_token(client))
    bank = db.session.scalars(sa.select(QuestionBank)).one()
    listed = client.get(f"/manage/surveys/new?bank=stored:{bank.id}").get_data(as_text=True)
    assert f'value="stored:{bank.id}" selected' in listed or f'selected value="stored:{bank.id}"' in listed
    reply = new_survey(client, start="bank", bank=f"stored:{bank.id}", name="专业镇调查")
    assert reply.status_code == 302
    survey = created()
    assert survey.questionnaire == parse_bank(GOOD) and survey.bank_id == "towns"
    assert new_survey(client, start="bank", bank="stored:999", name="x").status_code == 400
    assert new_survey(client, start="bank", bank="", name="x").status_code == 400


def test_a_new_survey_copies_an_earlier_one_the_user_may_view(client, ctx, industrial):
    ev = make_user("ev")
    source = make_survey(industrial, status="open", name="2024年调查", project_name="奖补资金")
    grant(db.session, source, ev, "viewer")
    hidden = make_survey(industrial, units=("丙公司",), status="draft", name="别人的调查")
    db.session.commit()
    login(client, "ev")
    form = page(client.get(f"/manage/surveys/new?copy={source.id}"))
    assert 'value="2024年调查（副本）"' in form and 'value="奖补资金"' in form
    assert "别人的调查" not in form
    reply = new_survey(client, start="copy", source_survey=str(source.id), name="")
    assert reply.status_code == 302
    copy = created()
    assert copy.name == "2024年调查（副本）" and copy.state is SurveyState.DRAFT
    assert copy.questionnaire_hash == source.questionnaire_hash and copy.units == []
    assert db.session.scalars(sa.select(AuditEvent).where(AuditEvent.survey_id == copy.id)).one().after["copy_of"] == source.id
    refused = new_survey(client, start="copy", source_survey=str(hidden.id), name="偷看")
    assert refused.status_code == 400 and zh.CHOOSE_SURVEY in page(refused)


def test_a_blank_survey_is_created_and_cannot_be_opened_until_it_has_a_scored_item(client, ctx):
    make_user("ev")
    login(client, "ev")
    reply = new_survey(client, start="blank", name="乡镇问卷")
    assert reply.status_code == 302
    survey = created()
    assert survey.bank_id == BLANK_ID and len(survey.questionnaire.sections) == 1
    assert survey.questionnaire.questions == ()
    refused = client.post(f"/manage/surveys/{survey.id}/open", data={"csrf_token": csrf_token(client)})
    assert refused.status_code == 409
    assert zh.NO_SCORED_ITEM in page(client.get(refused.headers["Location"]))
    db.session.refresh(survey)
    assert survey.state is SurveyState.DRAFT


def test_the_start_must_be_one_of_the_three(client, ctx):
    make_user("ev")
    login(client, "ev")
    assert new_survey(client, start="", name="x").status_code == 400
    assert new_survey(client, start="magic", name="x").status_code == 400
    assert count(Survey) == 0

"""The bank library service on the configured database: save, list, download, upload, delete, roles."""

from __future__ import annotations

from dataclasses import replace

import pytest
import sqlalchemy as sa
from support import count, make_survey, make_user

from survey_app.domain.banks import BankError, parse_bank
from survey_app.domain.blank import blank_questionnaire
from survey_app.domain.vocabulary import BankSource, SurveyState
from survey_app.extensions import db
from survey_app.models import AuditEvent, QuestionBank
from survey_app.services.bank_library import (
    BankAccessError,
    bank_questionnaire,
    bank_yaml,
    can_delete_bank,
    delete_bank,
    get_bank,
    list_banks,
    save_survey_as_bank,
    upload_bank,
)
from survey_app.services.demo import bank_dir
from survey_app.services.surveys import NotReadyToOpen, create_survey, open_survey
from survey_app.texts_zh import bank_library as zh
from survey_app.texts_zh import banks as zh_banks

BROKEN = """\
id: broken
title: 坏题库
intro: {title: 调查}
scales:
  sat: {options: [{key: A, label: 满意, value: 100}]}
sections:
  - id: S1
    title: 满意度
    questions:
      - {id: Q1, type: single, text: 满意吗, scale: nope, topic: 服务}
      - {id: Q1, type: single, text: 重复, scale: sat}
      - {id: Q3, type: single, text: 没有主题, scale: sat, colour: red}
"""


GOOD = """\
id: ours
title: 我们的题库
version: 2025.1
intro: {title: 调查}
scales:
  sat: {options: [{key: A, label: 满意, value: 100}, {key: X, label: 不了解, scored: false}]}
sections:
  - id: S1
    title: 满意度
    questions:
      - {id: Q1, type: single, text: 满意吗, scale: sat, topic: 服务}
      - {id: Q2, type: text, text: 建议, required: false}
"""


def actions() -> list[str]:
    return list(db.session.scalars(sa.select(AuditEvent.action).order_by(AuditEvent.id)))


def test_a_saved_survey_questionnaire_lists_downloads_and_parses_back_equal(ctx, industrial):
    owner = make_user("owner", "evaluator")
    survey = make_survey(industrial, status="draft")
    row = save_survey_as_bank(db.session, survey, owner, " 工业企业问卷（改） ", "2025.2", "user:owner")
    db.session.commit()

    entries = list_banks(db.session)
    builtin = [e for e in entries if e.source is BankSource.BUILTIN]
    assert {e.filename for e in builtin} == {p.name for p in bank_dir().glob("*.yaml")} >= {
        "industrial_fund.yaml", "public_service.yaml", "town_matrix.yaml"}
    stored = [e for e in entries if e.source is BankSource.STORED]
    assert [e.stored_id for e in stored] == [row.id]
    entry = stored[0]
    assert (entry.title, entry.version, entry.owner_name) == ("工业企业问卷（改）", "2025.2", "owner")
    assert (entry.question_count, entry.scored_count) == (len(industrial.questions), len(industrial.scored_questions))
    assert entry.filename == "industrial_fund-2025.2.yaml"

    text = bank_yaml(db.session, get_bank(db.session, entry.ref))
    assert parse_bank(text) == replace(survey.questionnaire, title="工业企业问卷（改）", version="2025.2")
    assert bank_questionnaire(db.session, entry).questions == industrial.questions
    assert actions() == ["bank.save"]
    event = db.session.scalars(sa.select(AuditEvent)).one()
    assert event.survey_id == survey.id and event.after["title"] == "工业企业问卷（改）"


def test_a_built_in_bank_downloads_as_its_file(ctx, industrial):
    entry = get_bank(db.session, "builtin:industrial_fund.yaml")
    assert entry.title == industrial.title and entry.scored_count == len(industrial.scored_questions)

    assert bank_yaml(db.session, entry) == (bank_dir() / "industrial_fund.yaml").read_text(encoding="utf-8")
    for ref in ("builtin:../config.py", "builtin:nope.yaml", "stored:999", "stored:x", "", "industrial_fund.yaml"):
        assert get_bank(db.session, ref) is None, ref


def test_an_upload_is_stored_as_sent_comments_included(ctx):
    evaluator = make_user("ev", "evaluator")
    text = "# 我们的题库\n" + GOOD
    row = upload_bank(db.session, evaluator, "C:\\题库\\ours.yaml", ("\ufeff" + text).encode("utf-8"), "user:ev")
    db.session.commit()
    assert row.yaml_text == text and (row.bank_key, row.title, row.version) == ("ours", "我们的题库", "2025.1")
    assert (row.question_count, row.scored_count) == (2, 1)
    assert actions() == ["bank.upload"]
    assert db.session.scalars(sa.select(AuditEvent)).one().after["file"] == "ours.yaml"


def test_an_upload_with_errors_lists_every_problem_as_the_validator_words_it_and_stores_nothing(ctx):
    evaluator = make_user("ev", "evaluator")
    with pytest.raises(BankError) as caught:
        upload_bank(db.session, evaluator, "bad.yaml", BROKEN.encode("utf-8"), "user:ev")
    with pytest.raises(BankError) as direct:
        parse_bank(BROKEN, "bad.yaml")
    assert [str(p) for p in caught.value.problems] == [str(p) for p in direct.value.problems]
    assert len(caught.value.problems) >= 3
    assert all(str(p).startswith("bad.yaml：") for p in caught.value.problems)
    assert count(QuestionBank) == 0 and actions() == []


@pytest.mark.parametrize(("data", "needle"), [(b"", zh.EMPTY_FILE), ("标题".encode("gbk") * 3, "无法读取"),
                                                (b"id: [unclosed", "不是有效的YAML")])
def test_unreadable_uploads_are_one_chinese_problem(ctx, data, needle):
    evaluator = make_user("ev", "evaluator")
    with pytest.raises(BankError) as caught:
        upload_bank(db.session, evaluator, "x.yaml", data, "user:ev")
    assert len(caught.value.problems) == 1 and needle in str(caught.value.problems[0])
    assert str(caught.value.problems[0]).startswith("x.yaml：文件：")


def test_an_upload_repeating_nodes_by_alias_is_refused_before_the_validator_walks_them(ctx):
    """300 sections aliasing one list of 300 questions: 24 KB that would expand to 90 000 questions."""
    evaluator = make_user("ev", "evaluator")
    questions = "\n".join(f"      - {{id: Q{i}, type: text, text: 题}}" for i in range(300))
    sections = "\n".join(f"  - {{id: S{j}, title: 部分, questions: *q}}" for j in range(1, 300))
    head = "id: a\ntitle: a\nintro: {title: a}\nsections:\n  - id: S0\n    title: 部分\n    questions: &q\n"
    text = f"{head}{questions}\n{sections}\n"
    with pytest.raises(BankError) as caught:
        upload_bank(db.session, evaluator, "alias.yaml", text.encode("utf-8"), "user:ev")
    assert [str(p) for p in caught.value.problems] == [f"alias.yaml：文件：{zh_banks.NO_ALIASES}"]
    assert count(QuestionBank) == 0


def test_a_title_longer_than_the_column_is_a_problem_not_a_database_error(ctx, industrial):
    evaluator = make_user("ev", "evaluator")
    survey = make_survey(industrial, status="draft")
    with pytest.raises(BankError) as caught:
        save_survey_as_bank(db.session, survey, evaluator, "题" * 201, "1", "user:ev")
    assert "最多200个字符" in str(caught.value.problems[0])


def test_roles_viewers_read_evaluators_delete_their_own_admins_any(ctx, industrial):
    viewer, alice, bob = make_user("viewer", "viewer"), make_user("alice"), make_user("bob")
    admin = make_user("admin", "admin")
    survey = make_survey(industrial, status="draft")
    with pytest.raises(BankAccessError):
        save_survey_as_bank(db.session, survey, viewer, "题库", "1", "user:viewer")
    with pytest.raises(BankAccessError):
        upload_bank(db.session, viewer, "x.yaml", b"id: x", "user:viewer")
    first = save_survey_as_bank(db.session, survey, alice, "甲", "1", "user:alice")
    second = save_survey_as_bank(db.session, survey, alice, "乙", "1", "user:alice")
    db.session.commit()
    one, two = (get_bank(db.session, f"stored:{r.id}") for r in (first, second))
    builtin = get_bank(db.session, "builtin:industrial_fund.yaml")

    assert [can_delete_bank(u, one) for u in (viewer, alice, bob, admin)] == [False, True, False, True]
    assert not any(can_delete_bank(u, builtin) for u in (viewer, alice, bob, admin))
    for user in (viewer, bob):
        with pytest.raises(BankAccessError):
            delete_bank(db.session, one, user, f"user:{user.username}")
    with pytest.raises(BankAccessError) as caught:
        delete_bank(db.session, builtin, admin, "user:admin")
    assert caught.value.message_zh == zh.BUILTIN_READ_ONLY

    delete_bank(db.session, one, alice, "user:alice")
    delete_bank(db.session, two, admin, "user:admin")
    db.session.commit()
    assert count(QuestionBank) == 0
    assert actions() == ["bank.save", "bank.save", "bank.delete", "bank.delete"]


def test_a_survey_started_from_a_stored_bank_outlives_the_bank(ctx, industrial):
    alice = make_user("alice")
    source = make_survey(industrial, status="draft")
    entry = get_bank(db.session, f"stored:{save_survey_as_bank(db.session, source, alice, '甲', '3', 'x').id}")
    survey = create_survey(db.session, bank_questionnaire(db.session, entry), name="新调查")
    delete_bank(db.session, entry, alice, "x")
    db.session.commit()
    assert survey.questionnaire.questions == industrial.questions and survey.questionnaire.version == "3"


def test_a_blank_survey_is_refused_opening_with_the_reason(ctx):
    survey = create_survey(db.session, blank_questionnaire("空白调查"), name="空白调查")
    db.session.commit()
    with pytest.raises(NotReadyToOpen) as caught:
        open_survey(db.session, survey, actor="user:x")
    assert caught.value.message_zh == zh.NO_SCORED_ITEM and "计分题" in caught.value.message_zh
    assert survey.state is SurveyState.DRAFT and survey.opened_at is None and actions() == []

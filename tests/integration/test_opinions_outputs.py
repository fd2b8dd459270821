"""意见建议汇总 in the Word appendix and the workbook: themes with counts; payloads stay inert."""

from __future__ import annotations

import io
import zipfile

import docx
import openpyxl
import pytest
from support import make_survey

from survey_app.domain.answers import Answer as Checked
from survey_app.extensions import db
from survey_app.models._types import utcnow
from survey_app.services.exports import export_survey
from survey_app.services.opinions import decide
from survey_app.services.responses import SubmissionMeta, store_response

FORMULA = '=HYPERLINK("http://x.example","拨付太慢")'
XSS = "<script>alert(1)</script>申报材料太多"


def answer(survey, texts: dict[str, str], scored: str = "A") -> None:
    answers = {q.id: Checked(q.id, option_keys=(scored,)) for q in survey.questionnaire.scored_questions}
    answers.update({qid: Checked(qid, text=text) for qid, text in texts.items()})
    store_response(db.session, survey, survey.units[0], answers, SubmissionMeta(submitted_at=utcnow()))


@pytest.fixture
def survey(ctx, industrial):
    survey = make_survey(industrial)
    for _ in range(3):
        answer(survey, {"S1": "资金拨付周期太长"})
    answer(survey, {"Q6R": "等了一年", "S1": FORMULA}, scored="C")
    answer(survey, {"S1": XSS})
    answer(survey, {"S1": "无"})
    answer(survey, {"S1": "满意"})
    db.session.commit()
    return survey


def export(survey, fmt) -> bytes:
    out = io.BytesIO()
    export_survey(db.session, survey, fmt, out, actor="test")
    return out.getvalue()


def section(document) -> list[str]:
    lines = [p.text for p in document.paragraphs]
    start = lines.index("七、意见建议汇总")
    return lines[start + 1:lines.index("附：调查问卷")]


def test_the_appendix_lists_themes_with_counts_and_respondent_numbers(survey):
    numbers = survey.questionnaire.numbers()
    lines = section(docx.Document(io.BytesIO(export(survey, "docx"))))
    assert lines[0].startswith("本次调查共收到受益对象填写的具体意见、建议及不满意原因6条，按所涉及的方面归纳为2类")
    assert "另有2条回答为“无”“满意”等" in lines[0]
    q6, s1 = numbers["Q6"], numbers["S1"]
    assert lines[1] == f"1. 奖补资金拨付及时性方面（5条，来自第{s1}题、第{q6}题追问）"
    assert lines[2] == "（1）资金拨付周期太长（3条）"
    assert f"2. 申报流程便捷性方面（1条，来自第{s1}题）" in lines
    assert not any("Q6R" in line or "S1" in line for line in lines)


def test_the_appendix_follows_the_evaluators_decisions(survey):
    decide(db.session, survey, "test", "rename", 0, {"theme": "q:Q6", "name": "资金拨付进度"})
    decide(db.session, survey, "test", "hide", 1, {"key": "等了一年"})
    decide(db.session, survey, "test", "examples", 2, {"n": 0})
    lines = section(docx.Document(io.BytesIO(export(survey, "docx"))))
    assert "其中1条经评价工作组审阅未列入本汇总" in lines[0]
    assert lines[1].startswith("1. 资金拨付进度方面（4条，")
    assert not any(line.startswith("（1）") for line in lines) and "等了一年" not in "".join(lines)


def test_payloads_stay_inert_in_word_and_excel(survey):
    xml = zipfile.ZipFile(io.BytesIO(export(survey, "docx"))).read("word/document.xml").decode()
    assert "&lt;script&gt;" in xml and "<script>" not in xml
    book = openpyxl.load_workbook(io.BytesIO(export(survey, "xlsx")))
    sheet = book["意见建议"]
    rows = [[c.value for c in row] for row in sheet.iter_rows()]
    assert all(c.data_type != "f" for row in sheet.iter_rows() for c in row)
    texts = {row[2] for row in rows[1:]}
    assert "'" + FORMULA in texts and FORMULA not in texts and XSS in texts
    by_text = {row[2]: row for row in rows[1:]}
    assert by_text["资金拨付周期太长"][:4] == ["奖补资金拨付及时性", 5, "资金拨付周期太长", 3]
    assert by_text["等了一年"][4] == f"第{survey.questionnaire.numbers()['Q6']}题追问"

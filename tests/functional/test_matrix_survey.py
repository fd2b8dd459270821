"""A survey whose bank uses 矩阵量表题: answered on a phone, every row counted as an item everywhere.

The shipped bank ``town_matrix.yaml`` has two matrices of three rows each, a follow-up on one
row and a stand-alone scored question.  The phone page must show each row as its own stacked
item (no table), the answers land per row, and the dashboard data, the API, the workbook, the
raw CSV and the Word appendix all name and count every row.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

import docx
import openpyxl
import pytest
from support import Respondent, login, make_survey, make_user

from survey_app.domain.banks import load_bank
from survey_app.extensions import db
from survey_app.services.access import grant
from survey_app.services.exports import export_survey
from survey_app.services.summary import build_summary

BANK = Path(__file__).resolve().parents[2] / "question_banks" / "town_matrix.yaml"
ROWS = ("M1a", "M1b", "M1c", "M2a", "M2b", "M2c")


@pytest.fixture
def survey(ctx):
    return make_survey(load_bank(BANK), units=("甲镇", "乙镇"))


def _answers(keys: str) -> dict:
    answers = dict(zip(ROWS, keys, strict=True))
    return answers | {"I1": "1", "Q9": keys[0]}


def test_the_phone_page_stacks_the_rows_and_numbers_them(survey, client):
    html = client.get(f"/s/{survey.units[0].token}").get_data(as_text=True)
    assert "<table" not in html
    for number, rid in (("2.1", "M1a"), ("2.3", "M1c"), ("3.2", "M2b")):
        assert f'id="q-{rid}" data-q' in html
        assert f'<span class="qno">{number}</span>' in html
    assert html.count('name="q_M1a"') == 6  # five scored options and 不了解
    assert 'data-show-if="q_M2b:D,E"' in html


def test_rows_are_required_one_by_one_and_stored_per_row(survey, client):
    phone = Respondent(client)
    path = f"/s/{survey.units[0].token}"
    partial = _answers("ABCABD")
    del partial["M2a"]
    reply = phone.answer(path, partial)
    assert reply.status_code == 422
    page = reply.get_data(as_text=True)
    assert 'href="#q-M2a"' in page and 'class="matrix-row has-error" id="q-M2a"' in page
    assert phone.answer(path, _answers("ABCABD") | {"M2R": "拨付太慢"}).status_code in (302, 303)
    summary = build_summary(db.session, survey, statistics=False)
    by_id = {q.id: q for q in summary.questions}
    assert {rid: next(o.label for o in by_id[rid].options if o.count) for rid in ROWS} == {
        "M1a": "非常满意", "M1b": "比较满意", "M1c": "一般", "M2a": "非常满意", "M2b": "比较满意", "M2c": "不太满意"}


def _answer_many(client, survey):
    phone = Respondent(client)
    for i, (unit, keys) in enumerate(((0, "AAAAAA"), (0, "BBBBBB"), (1, "ABCDEX"), (1, "AABBCC"))):
        # One phone passed among colleagues: after the first, each starts as 本单位其他人员.
        reply = phone.answer(f"/s/{survey.units[unit].token}", _answers(keys), another=i > 0)
        assert reply.status_code in (302, 303), reply.get_data(as_text=True)[:400]


def test_every_row_is_a_scored_item_in_every_output(survey, client):
    _answer_many(client, survey)
    summary = build_summary(db.session, survey, statistics=False)
    scored = [q.id for q in summary.questions if q.scored]
    assert scored == [*ROWS, "Q9"]
    topics = {q.id: q.topic for q in summary.questions}
    assert topics["M2b"] == "奖补资金拨付及时性"

    user = make_user("matrix-evaluator")
    grant(db.session, survey, user, "owner")
    db.session.commit()
    login(client, "matrix-evaluator")
    data = client.get(f"/manage/surveys/{survey.id}/dashboard/data").json
    assert [q["id"] for q in data["questions"] if q["scored"]] == scored

    out = io.BytesIO()
    export_survey(db.session, survey, "xlsx", out, actor="test")
    sheet = openpyxl.load_workbook(io.BytesIO(out.getvalue()))["题目统计"]
    header = [c.value for c in next(sheet.iter_rows(max_row=1))]
    ids = {row[header.index("题号")] for row in sheet.iter_rows(min_row=2, values_only=True)}
    assert set(ROWS) <= ids

    out = io.BytesIO()
    export_survey(db.session, survey, "csv", out, actor="test")
    header = next(csv.reader(io.StringIO(out.getvalue().decode("utf-8-sig"))))
    assert all(any(h.startswith(f"{rid}") or rid in h for h in header) for rid in ROWS), header

    out = io.BytesIO()
    export_survey(db.session, survey, "docx", out, actor="test")
    paragraphs = [p.text for p in docx.Document(io.BytesIO(out.getvalue())).paragraphs]
    for topic in ("专项资金政策宣传解读", "奖补资金拨付及时性", "奖补资金额度和补助标准"):
        assert any(topic in p for p in paragraphs), topic
    # Results and the blank questionnaire share the respondents' numbers: 2.1 … 3.3, then 4.
    for heading in ("2.1 政策宣传和解读", "3.2 奖补资金发放时间", "4. 总体而言，您对专项资金项目的实施情况是否满意？"):
        assert paragraphs.count(heading) == 2, heading  # once in the results, once in the questionnaire
    assert "4. 总体而言，您对专项资金项目的实施情况是否满意？" in paragraphs
    assert any("（适用于第2.1—4题，共7题）" in p for p in paragraphs)
    assert any(p.startswith("问卷共5题，") or "问卷共5题" in p for p in paragraphs)
    assert "3.2 奖补资金发放时间" in paragraphs[paragraphs.index("附：调查问卷"):]


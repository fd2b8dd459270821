"""Every option of every question of the demo prints the same share in all outputs.

Dashboard data (``/dashboard/data``), the API summary, the CLI table, the data workbook's
题目统计 sheet and the Word appendix's distribution tables are read back and compared
option by option; a multiple-choice option's share is also recomputed here from the raw
answer rows (选择人数 / 本题有效作答人数, half-up), independently of the summary.
"""

from __future__ import annotations

import io
from decimal import ROUND_HALF_UP, Decimal

import docx
import openpyxl
import pytest
import sqlalchemy as sa
from docx.table import Table
from docx.text.paragraph import Paragraph
from support import login, make_user

from survey_app.cli.summary import summary_lines
from survey_app.domain.vocabulary import COUNTED
from survey_app.extensions import db
from survey_app.models import Answer, Response
from survey_app.services.api_tokens import create_token
from survey_app.services.demo import add_sample_answers, ensure_demo
from survey_app.services.exports import export_survey
from survey_app.services.summary import build_summary
from survey_app.texts_zh.report import question_heading


@pytest.fixture
def demo(ctx):
    survey, _, _ = ensure_demo(db.session)
    add_sample_answers(db.session, survey, 158)
    db.session.commit()
    return survey


def _api(client, survey) -> dict:
    _, token = create_token(db.session, make_user("api-reader", "admin"), "汇总", "test")
    db.session.commit()
    reply = client.get(f"/api/v1/surveys/{survey.id}/summary", headers={"Authorization": f"Bearer {token}"})
    assert reply.status_code == 200
    return {(q["id"], o["label"]): f"{o['share']:.2f}" for q in reply.json["questions"] for o in q["options"]}


def _dashboard(client, survey) -> dict:
    login(client, "api-reader")
    reply = client.get(f"/manage/surveys/{survey.id}/dashboard/data")
    assert reply.status_code == 200
    return {(q["id"], o["label"]): f"{o['share']:.2f}" for q in reply.json["questions"] for o in q["options"]}


def _workbook(survey) -> dict:
    out = io.BytesIO()
    export_survey(db.session, survey, "xlsx", out, actor="test")
    sheet = openpyxl.load_workbook(io.BytesIO(out.getvalue()))["题目统计"]
    rows = sheet.iter_rows(values_only=True)
    header = list(next(rows))
    qid, label, share = header.index("题号"), header.index("选项"), header.index("比例（%）")
    found = {}
    for row in rows:
        assert isinstance(row[share], float | int), row  # a number, not text
        found[(row[qid], row[label])] = f"{row[share]:.2f}"
    return found


def _appendix(survey) -> dict:
    """Option → share from the distribution table that follows each question's heading."""
    out = io.BytesIO()
    export_survey(db.session, survey, "docx", out, actor="test", sections=frozenset({"sample"}))
    document = docx.Document(io.BytesIO(out.getvalue()))
    questions = survey.questionnaire.questions
    numbers = survey.questionnaire.numbers()
    by_heading = {q.text: q for q in questions} | {question_heading(numbers.get(q.id), q.text): q for q in questions}
    found, current = {}, None
    for element in document.element.body.iterchildren():
        if element.tag.endswith("}p"):
            text = Paragraph(element, document).text.strip()
            current = by_heading.get(text, current)
        elif element.tag.endswith("}tbl") and current is not None:
            rows = [[cell.text for cell in row.cells] for row in Table(element, document).rows]
            if rows[0][0] != "选项":
                continue
            column = next(i for i, h in enumerate(rows[0]) if h in ("占比（%）", "比例（%）"))
            labels = {o.label for o in current.options}
            for row in rows[1:]:
                if row[0] in labels:
                    found[(current.id, row[0])] = row[column]
            current = None
    return found


def _cli(survey) -> dict:
    lines = summary_lines(build_summary(db.session, survey))
    found = {}
    for q in build_summary(db.session, survey, statistics=False).questions:
        line = lines[next(i for i, text in enumerate(lines) if text.startswith(f"{q.id:<4} ")) + 1]
        for o in q.options:
            assert f"{o.label} {o.count}（" in line
            found[(q.id, o.label)] = line.split(f"{o.label} {o.count}（", 1)[1].split("%）", 1)[0]
    return found


def _recomputed_multiple_shares(survey) -> dict:
    """Share of respondents per multiple-choice option, straight from the answer rows."""
    found = {}
    for q in survey.questionnaire.questions:
        if q.type != "multiple":
            continue
        rows = db.session.execute(
            sa.select(Answer.response_id, Answer.option_key).join(Response, Response.id == Answer.response_id)
            .where(Answer.question_id == q.id, Response.survey_id == survey.id, Response.status.in_(COUNTED))).all()
        respondents = len({rid for rid, _ in rows})
        for o in q.options:
            chose = sum(1 for _, key in rows if key == o.key)
            share = (Decimal(chose * 100) / respondents).quantize(Decimal("0.01"), ROUND_HALF_UP)
            found[(q.id, o.label)] = f"{share:.2f}"
    return found


def test_every_output_prints_the_same_share_for_every_option(demo, client):
    api = _api(client, demo)
    outputs = {"dashboard": _dashboard(client, demo), "workbook": _workbook(demo), "appendix": _appendix(demo),
               "cli": _cli(demo)}
    choice = [q for q in demo.questionnaire.questions if q.type in ("single", "multiple")]
    expected_keys = {(q.id, o.label) for q in choice for o in q.options}
    assert set(api) == expected_keys
    for name, found in outputs.items():
        assert set(found) == expected_keys, name
        differing = {key: (api[key], found[key]) for key in expected_keys if api[key] != found[key]}
        assert not differing, (name, differing)
    recomputed = _recomputed_multiple_shares(demo)
    assert recomputed and all(api[key] == share for key, share in recomputed.items())
    # The demo ticks the first channel on every multiple-choice answer: 100 % of respondents.
    assert api[("I3", "主管部门通知或培训")] == "100.00"

"""Every question type round-trips: bank → checked answer → stored rows → figures → exports.

One bank holds every registered type (single, multiple, text, number, matrix); each answer goes
through the same check as the phone page, is stored, and must come back in the summary (choice
items), the raw CSV (every item) and the workbook's raw sheet.  A new type added to the
registry without its share of this path fails here.
"""

from __future__ import annotations

import csv
import io
from datetime import datetime

import pytest
from support import make_survey

from survey_app.domain import question_types
from survey_app.domain.answers import check_answers, field_name
from survey_app.domain.banks import parse_bank
from survey_app.domain.vocabulary import Source
from survey_app.extensions import db
from survey_app.services.exports import export_survey
from survey_app.services.responses import SubmissionMeta, store_response
from survey_app.services.summary import build_summary

BANK = """
id: every_type
title: 全题型
intro: {title: 全题型}
scales:
  s4:
    label: 四级
    options:
      - {key: A, label: 非常满意, value: 100}
      - {key: B, label: 比较满意, value: 80}
      - {key: C, label: 不太满意, value: 30}
      - {key: D, label: 不满意, value: 0}
sections:
  - id: s
    title: 一、全部题型
    questions:
      - {id: S1, type: single, text: 岗位, options: [{key: "1", label: 负责人}, {key: "2", label: 财务}]}
      - {id: P1, type: multiple, text: 渠道, options: [{key: "1", label: 通知}, {key: "2", label: 网站}]}
      - {id: T1, type: text, text: 建议}
      - {id: N1, type: number, text: 人数, min: 0}
      - id: M1
        type: matrix
        scale: s4
        text: 请评价
        rows:
          - {id: M1a, text: 发放时间, topic: 资金发放及时性}
          - {id: M1b, text: 审核速度, topic: 审核效率}
"""

FORM = {"S1": ["2"], "P1": ["1", "2"], "T1": ["希望加快拨付"], "N1": ["３０"], "M1a": ["B"], "M1b": ["D"]}
SHOWN = {"S1": "财务", "P1": "通知；网站", "T1": "希望加快拨付", "N1": "30", "M1a": "比较满意", "M1b": "不满意"}


@pytest.fixture
def survey(ctx):
    return make_survey(parse_bank(BANK), units=("甲公司",))


def test_the_bank_uses_every_registered_type():
    used = {q.type for q in parse_bank(BANK).displayed}
    assert used == set(question_types.TYPE_NAMES)


def test_each_type_comes_back_in_the_figures_and_the_exports(survey):
    questionnaire = survey.questionnaire
    sheet = check_answers(questionnaire, {field_name(k): v for k, v in FORM.items()})
    assert sheet.ok, sheet.errors
    store_response(db.session, survey, survey.units[0], sheet.answers,
                   SubmissionMeta(submitted_at=datetime(2026, 5, 6, 1, 0), source=Source.PAPER))
    db.session.commit()

    summary = {q.id: q for q in build_summary(db.session, survey, statistics=False).questions}
    chosen = {qid: [o.label for o in q.options if o.count] for qid, q in summary.items()}
    assert chosen["S1"] == ["财务"] and chosen["P1"] == ["通知", "网站"]
    assert chosen["M1a"] == ["比较满意"] and chosen["M1b"] == ["不满意"]
    assert float(summary["M1a"].satisfaction) == 80.0 and float(summary["M1b"].satisfaction) == 0.0

    out = io.BytesIO()
    export_survey(db.session, survey, "csv", out, actor="test")
    rows = list(csv.reader(io.StringIO(out.getvalue().decode("utf-8-sig"))))
    header, values = rows[0], rows[1]
    by_item = {h.split(" ", 1)[0]: v for h, v in zip(header, values, strict=True)}
    for item, shown in SHOWN.items():
        assert by_item[item] == shown, (item, by_item[item], header)

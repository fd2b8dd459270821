"""The data workbook and the CSV read back: they equal the summary; injected formulas stay text.

Example: the industrial bank, units "=1+1" and "<script>alert(1)</script>" (hostile names);
the first answers 非常满意 four times, the second 不太满意 once (as tests/integration/test_summary.py:
every scored question 80.00 / 0.00 / 20.00 / 0.00 → 86.00; composite 86.00 → 4 of 6).
Open answers (S1) carry formula payloads.
"""

from __future__ import annotations

import csv
import io
import zipfile

import openpyxl
import pandas as pd
import pytest
import sqlalchemy as sa
from support import add_response, make_survey

from survey_app.domain.answers import Answer as Checked
from survey_app.extensions import db
from survey_app.models import Response
from survey_app.models._types import utcnow
from survey_app.services.exports import export_survey
from survey_app.services.responses import SubmissionMeta, store_response
from survey_app.services.summary import build_summary

PAYLOADS = ["=1+1", "@SUM(A1)", "-2+3", "+cmd"]
XSS = "<script>alert(1)</script>"


@pytest.fixture
def hostile(ctx, industrial):
    survey = make_survey(industrial, units=("=1+1", XSS), indicator_weight=6.0)
    first, second = survey.units
    first.attributes = {"申报专项": "@SUM(A1)"}
    for _ in range(4):
        add_response(survey, first, "A")
    add_response(survey, second, "C")
    for payload in [*PAYLOADS, XSS]:
        store_response(db.session, survey, first, {"S1": Checked("S1", text=payload)},
                       SubmissionMeta(submitted_at=utcnow(), source="paper"))
    db.session.commit()
    return survey


def export(survey, fmt, **kwargs) -> bytes:
    out = io.BytesIO()
    export_survey(db.session, survey, fmt, out, actor="test", **kwargs)
    return out.getvalue()


def test_question_sheet_equals_the_summary(hostile):
    summary = build_summary(db.session, hostile, statistics=False).to_json()
    sheets = pd.read_excel(io.BytesIO(export(hostile, "xlsx")), sheet_name=None)
    assert list(sheets) == ["原始数据", "题目统计", "单位回收情况", "分组统计", "评分", "意见建议"]
    stats = sheets["题目统计"]
    expected = [(q["id"], o["label"], o["count"], o["share"], q["satisfaction"])
                for q in summary["questions"] for o in q["options"]]
    got = [(r["题号"], r["选项"], r["人数"], r["比例（%）"], None if pd.isna(r["满意度（%）"]) else r["满意度（%）"])
           for _, r in stats.iterrows()]
    assert got == expected
    q1 = stats[stats["题号"] == "Q1"]
    assert list(q1["比例（%）"]) == [80.0, 0.0, 20.0, 0.0] and set(q1["满意度（%）"]) == {86.0}
    score = dict(zip(sheets["评分"]["项目"], sheets["评分"]["内容"], strict=True))
    assert float(score["综合满意度（%）"]) == 86.0 and float(score["得分"]) == 4
    assert score["计算过程"] == summary["score"]["working_zh"] and score["数据指纹（SHA-256）"] == summary["fingerprint"]
    units = sheets["单位回收情况"]
    assert list(units["回收份数"]) == [9, 1] and list(units["单位综合满意度（%）"]) == [100.0, 30.0]
    groups = sheets["分组统计"]
    assert list(groups[groups["分组方式"] == "单位"]["综合满意度（%）"]) == [100.0, 30.0]


def test_raw_data_has_typed_cells_and_labels(hostile):
    raw = pd.read_excel(io.BytesIO(export(hostile, "xlsx")), sheet_name="原始数据")
    assert len(raw) == 10 and raw["答卷编号"].is_monotonic_increasing
    assert raw["Q1 专项资金政策宣传解读"].tolist()[:5] == ["非常满意"] * 4 + ["不太满意"]
    assert pd.api.types.is_datetime64_any_dtype(raw["提交时间（北京时间）"])
    assert set(raw["状态"]) == {"有效"}
    book = openpyxl.load_workbook(io.BytesIO(export(hostile, "xlsx")))
    sheet = book["原始数据"]
    assert sheet.freeze_panes == "A2"
    assert sheet["A2"].data_type == "n" and sheet["B2"].is_date


def test_formula_and_script_payloads_come_out_inert(hostile):
    book = openpyxl.load_workbook(io.BytesIO(export(hostile, "xlsx")))
    values = []
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (sheet.title, cell.coordinate, cell.value)
                values.append(cell.value)
    for payload in PAYLOADS:
        assert "'" + payload in values and payload not in values
    assert XSS in values  # plain text in a spreadsheet cell: nothing executes it
    text = export(hostile, "csv").decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    cells = {c for row in rows for c in row}
    for payload in PAYLOADS:
        assert "'" + payload in cells and payload not in cells
    assert XSS in cells and not any(c.startswith(("=", "+", "-", "@")) for c in cells)
    document = export(hostile, "docx")
    xml = zipfile.ZipFile(io.BytesIO(document)).read("word/document.xml").decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in xml and "<script>" not in xml


def test_csv_is_the_raw_sheet_with_bom_and_crlf(hostile):
    data = export(hostile, "csv")
    assert data.startswith(b"\xef\xbb\xbf") and b"\r\n" in data and b"\n" not in data.replace(b"\r\n", b"")
    frame = pd.read_csv(io.BytesIO(data), encoding="utf-8-sig")
    raw = pd.read_excel(io.BytesIO(export(hostile, "xlsx")), sheet_name="原始数据")
    assert list(frame.columns) == list(raw.columns) and len(frame) == len(raw)
    assert frame["Q1 专项资金政策宣传解读"].fillna("").tolist() == raw["Q1 专项资金政策宣传解读"].fillna("").tolist()


def test_filter_and_raw_scope(hostile):
    excluded = db.session.scalars(sa.select(Response).where(Response.unit_id == hostile.units[1].id)).one()
    excluded.status = "excluded"
    db.session.commit()
    raw = pd.read_excel(io.BytesIO(export(hostile, "xlsx")), sheet_name="原始数据")
    assert len(raw) == 10 and "剔除" in set(raw["状态"])  # excluded rows stay traceable
    counted = pd.read_excel(io.BytesIO(export(hostile, "xlsx", raw_all_statuses=False)), sheet_name="原始数据")
    assert len(counted) == 9
    score = pd.read_excel(io.BytesIO(export(hostile, "xlsx")), sheet_name="评分")
    assert float(dict(zip(score["项目"], score["内容"], strict=True))["综合满意度（%）"]) == 100.0


def test_numeric_unit_attributes_are_numbers_and_the_sheets_print_on_a4(ctx, industrial):
    survey = make_survey(industrial, units=("甲公司", "乙公司", "丙公司"))
    for unit, amount, post in zip(survey.units, ("30", "12.5", "1,200"), ("048000", "048001", "048002"),
                                  strict=True):
        unit.attributes = {"奖励金额（万元）": amount, "邮编": post, "备注": "30万元"}
        add_response(survey, unit, "A")
    db.session.commit()
    book = openpyxl.load_workbook(io.BytesIO(export(survey, "xlsx")))
    units = book["单位回收情况"]
    header = [c.value for c in units[1]]
    amounts = [row[header.index("奖励金额（万元）")] for row in units.iter_rows(min_row=2, values_only=True)]
    # Numbers, so SUM gives 30 + 12.5 + 1200 = 1242.5; a leading zero or a unit word stays text.
    assert amounts == [30, 12.5, 1200] and sum(amounts) == 1242.5
    assert [row[header.index("邮编")] for row in units.iter_rows(min_row=2, values_only=True)] == [
        "048000", "048001", "048002"]
    assert {row[header.index("备注")] for row in units.iter_rows(min_row=2, values_only=True)} == {"30万元"}
    raw = book["原始数据"]
    raw_header = [c.value for c in raw[1]]
    assert [row[raw_header.index("奖励金额（万元）")] for row in raw.iter_rows(min_row=2, values_only=True)] == [
        30, 12.5, 1200]
    for sheet in book.worksheets:
        setup = sheet.page_setup
        # fitToWidth 1 is the OOXML default, so xlsxwriter leaves the attribute out.
        assert (setup.orientation, setup.paperSize, setup.fitToWidth or 1, setup.fitToHeight) == ("landscape", 9, 1, 0)
        assert sheet.sheet_properties.pageSetUpPr.fitToPage
        assert sheet.print_title_rows.replace("$", "") == "1:1"  # the header row on every page
    score = {row[0]: row[1] for row in book["评分"].iter_rows(min_row=2, values_only=True)}
    assert score["统计口径"] == "有效答卷及存疑但未剔除的答卷。"

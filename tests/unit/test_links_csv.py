"""The links CSV (distribution page and ``flask survey links``) neutralises formulas like the data export."""

from __future__ import annotations

import csv
import io
from types import SimpleNamespace

from survey_app.reports.links_csv import write_links

FORMULA = "=cmd|' /C calc'!A0"


def card(seq: int, name: str) -> SimpleNamespace:
    return SimpleNamespace(seq=seq, name=name, county="+城区", category="@企业", min_valid=5,
                           url=f"http://127.0.0.1:5000/s/tok{seq}")


def test_unit_names_that_start_a_formula_reach_excel_as_text():
    out = io.BytesIO()
    count = write_links(out, [card(1, FORMULA), card(2, "-1+2"), card(3, "甲公司")])
    raw = out.getvalue()
    assert count == 3 and raw.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    assert rows[0] == ["序号", "单位名称", "县（市、区）", "类别", "最少有效份数", "链接"]
    assert rows[1] == ["1", "'" + FORMULA, "'+城区", "'@企业", "5", "http://127.0.0.1:5000/s/tok1"]
    assert rows[2][1] == "'-1+2" and rows[3][1] == "甲公司"
    # Every cell a spreadsheet could run starts with the apostrophe guard.
    assert not any(cell.startswith(("=", "+", "-", "@")) for row in rows for cell in row)

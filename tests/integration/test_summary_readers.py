"""What the summary's readers print for the fixed survey, stored before the summary became typed.

Each reader — the dashboard data, the CLI table, the Word appendix and the data workbook —
is compared with ``tests/fixtures/summary/readers.json``, written from the dict-based code.
Normalised: the fingerprint, survey, unit and response ids, and in the dashboard the
last-answer times (they differ between runs and databases, not between code versions).  The generation time
is fixed by passing ``now``.
Rewrite after an intended change with ``SUMMARY_FIXTURE_WRITE=1``.
"""

from __future__ import annotations

import io
import json
import os
import re
from datetime import datetime
from pathlib import Path

import docx
import openpyxl
import pytest
from fixed_summary import fixed_survey
from support import add_response

from survey_app.cli.summary import summary_lines
from survey_app.extensions import db
from survey_app.services.exports import OPTIONAL_SECTIONS, export_survey
from survey_app.services.live import dashboard_data
from survey_app.services.settings import update_settings
from survey_app.services.summary import SummaryFilter, build_summary

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "summary" / "readers.json"
VARIANT = FIXTURE.with_name("readers_other_settings.json")
NOW = datetime(2025, 3, 2, 4, 5)
SHA = re.compile(r"[0-9a-f]{64}")


@pytest.fixture
def survey(ctx, industrial):
    return fixed_survey(industrial)


def _text(value):
    return SHA.sub("<sha256>", value) if isinstance(value, str) else value


def dashboard(survey) -> dict:
    names = {u.id: u.name for u in survey.units}
    data = json.loads(json.dumps(dashboard_data(db.session, survey, SummaryFilter(), group_by=None,
                                                statistics=True, now=NOW)))
    data["fingerprint"] = _text(data["fingerprint"])
    data["header"]["ci"]["fingerprint"] = _text(data["header"]["ci"]["fingerprint"])
    data["survey"]["id"] = "<survey id>"
    for row in data["coverage"]:
        row["unit"] = f"unit:{names[row['unit']]}"
        row["last_at"] = "<time>" if row["last_at"] else None
    return data


def appendix(survey) -> list:
    out = io.BytesIO()
    export_survey(db.session, survey, "docx", out, actor="test", sections=frozenset(OPTIONAL_SECTIONS),
                  now=NOW)
    document = docx.Document(io.BytesIO(out.getvalue()))
    lines = [_text(p.text) for p in document.paragraphs]
    for table in document.tables:
        rows = [[_text(cell.text) for cell in row.cells] for row in table.rows]
        if "答卷编号" in rows[0]:  # response ids differ between runs
            column = rows[0].index("答卷编号")
            for row in rows[1:]:
                row[column] = "<response id>"
        lines.append(rows)
    return lines


def workbook(survey) -> dict:
    out = io.BytesIO()
    export_survey(db.session, survey, "xlsx", out, actor="test", sections=frozenset({"alpha", "ci"}), now=NOW)
    book = openpyxl.load_workbook(io.BytesIO(out.getvalue()))
    return {sheet.title: [[_text(v.isoformat() if isinstance(v, datetime) else v) for v in row]
                          for row in sheet.iter_rows(values_only=True)]
            for sheet in book.worksheets if sheet.title != "原始数据"}


def readers(survey) -> dict:
    got = {
        "dashboard": dashboard(survey),
        "cli": [_text(line) for line in summary_lines(build_summary(db.session, survey))],
        "appendix": appendix(survey),
        "workbook": workbook(survey),
    }
    return json.loads(json.dumps(got))


def compare(got: dict, fixture: Path) -> None:
    if os.environ.get("SUMMARY_FIXTURE_WRITE"):
        fixture.write_text(json.dumps(got, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    want = json.loads(fixture.read_text(encoding="utf-8"))
    for part in want:
        assert got[part] == want[part], part


def test_readers_print_what_they_printed_before(survey):
    compare(readers(survey), FIXTURE)


def test_other_settings_and_alpha_print_what_they_printed_before(survey):
    """Unit aggregation, weighted composite, displayed-share rounding, not-scored as 0, a ratio rule;
    30 more responses, so Cronbach's α is computed."""
    keys = "AABAC"
    for i in range(30):
        add_response(survey, survey.units[i % 2], keys[i % 5], keys={"Q2": keys[(i + 1) % 5], "Q7": keys[(i + 3) % 5]},
                     submitted_at=NOW)  # a fixed time: the appendix prints the dates of the answers
    update_settings(db.session, survey, {
        "scoring": {"aggregation": "unit", "composite": "weighted", "rounding": "from_displayed_shares",
                    "not_scored": "zero"},
        "score_rule": {"type": "ratio", "weight": 6, "target": 90},
    }, "test")
    db.session.commit()
    compare(readers(survey), VARIANT)

"""The import service on the database (SQLite and PostgreSQL): preview, commit, refusals, screening."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
import sqlalchemy as sa
from fixtures.imports.wjx_files import sample_answers, wjx_rows, write_csv, write_xlsx
from support import count, make_survey

from survey_app.extensions import db
from survey_app.models import Answer, AuditEvent, ImportBatch, Response
from survey_app.services.imports import ImportRefused, commit, load_mapping, preview


@pytest.fixture
def survey(ctx, industrial):
    return make_survey(industrial)


def test_gbk_csv_imports_whole_with_batch_audit_and_screening(survey, industrial, tmp_path):
    rows = wjx_rows(industrial, ["甲公司", "乙公司"], 30)
    rows[1][2] = "12秒"  # too fast: the minimum-time rule must flag it
    data = write_csv(tmp_path / "export.csv", rows, encoding="gbk").read_bytes()
    report = preview(db.session, survey, "export.csv", data)
    assert report.importable and report.rows_ok == 30 and count(Response) == 0
    report = commit(db.session, survey, "export.csv", data, actor="test", ip_secret="s", now=datetime(2024, 6, 1))
    db.session.commit()
    assert report.imported == 30 and report.screening == {"valid": 29, "flagged": 1}
    responses = db.session.scalars(sa.select(Response).order_by(Response.submitted_at)).all()
    assert {r.source for r in responses} == {"import"} and {r.import_batch_id for r in responses} == {report.batch_id}
    first = responses[0]
    assert first.submitted_at == datetime(2024, 5, 6, 1, 0, 0)  # 09:00 Beijing
    assert first.started_at == first.submitted_at - timedelta(seconds=12) and first.duration_seconds == 12
    assert first.status == "flagged" and [f["code"] for f in first.flags] == ["min_duration"]
    assert first.ip_hash and first.user_agent == "微信"
    batch = db.session.scalars(sa.select(ImportBatch)).one()
    assert (batch.row_count, batch.actor, batch.filename) == (30, "test", "export.csv")
    audit = db.session.scalars(sa.select(AuditEvent).where(AuditEvent.action == "responses.import")).one()
    assert audit.after["rows"] == 30 and audit.after["file_hash"] == report.file_hash
    i3 = db.session.scalars(sa.select(Answer.option_key).where(Answer.response_id == first.id,
                                                               Answer.question_id == "I3")).all()
    assert sorted(i3) == ["1", "2"]


def test_the_same_file_twice_is_refused(survey, industrial, tmp_path):
    data = write_csv(tmp_path / "a.csv", wjx_rows(industrial, ["甲公司"], 3)).read_bytes()
    commit(db.session, survey, "a.csv", data, actor="test")
    db.session.commit()
    again = preview(db.session, survey, "renamed.csv", data)
    assert not again.importable and "不能重复导入" in again.file_problems[0] and "a.csv" in again.file_problems[0]
    with pytest.raises(ImportRefused) as refused:
        commit(db.session, survey, "renamed.csv", data, actor="test")
    db.session.rollback()
    assert "不能重复导入" in str(refused.value) and count(Response) == 3 and count(ImportBatch) == 1


@pytest.mark.parametrize("name, data, problem", [
    ("empty.csv", b"", "文件是空的"),
    ("broken.xlsx", b"PK\x03\x04 not really a workbook", "无法读取文件"),
    ("old.xls", b"\xd0\xcf\x11\xe0", "另存为 .xlsx"),
    ("notes.pdf", b"%PDF", "只支持 .xlsx 和 .csv"),
])
def test_bad_files_give_a_report_and_write_nothing(survey, name, data, problem):
    report = preview(db.session, survey, name, data)
    assert problem in report.file_problems[0] and not report.importable
    with pytest.raises(ImportRefused):
        commit(db.session, survey, name, data, actor="test")
    db.session.rollback()
    assert count(Response) == count(ImportBatch) == 0


def test_unknown_labels_refuse_the_whole_file(survey, industrial, tmp_path):
    rows = wjx_rows(industrial, ["甲公司"], 10)
    rows[7][8] = "很了解"
    data = write_csv(tmp_path / "x.csv", rows).read_bytes()
    with pytest.raises(ImportRefused) as refused:
        commit(db.session, survey, "x.csv", data, actor="test")
    db.session.rollback()
    assert refused.value.report.unknown_values and count(Response) == count(Answer) == 0


def test_xlsx_with_merged_header_cells(survey, industrial, tmp_path):
    flat = wjx_rows(industrial, ["乙公司"], 4, multiple="per_option")
    top = list(flat[0])
    first = next(i for i, h in enumerate(top) if h.endswith(":主管部门通知或培训"))
    sub = [""] * len(top)
    for i in range(first, first + 5):
        sub[i] = top[i].split(":")[1]
        top[i] = "" if i > first else top[i].split(":")[0]
    merges = [f"{_col(i)}1:{_col(i)}2" for i in range(len(top)) if not sub[i]]
    merges.append(f"{_col(first)}1:{_col(first + 4)}1")
    data = write_xlsx(tmp_path / "merged.xlsx", [top, sub, *flat[1:]], merges).read_bytes()
    report = commit(db.session, survey, "merged.xlsx", data, actor="test")
    assert report.header_rows == 2 and report.imported == 4
    assert [u.option_key for u in report.columns if u.target == "I3"] == ["1", "2", "3", "4", "5"]


def _col(index: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(index + 1)


def test_mapping_file_yaml_and_json(survey, industrial, tmp_path):
    assert load_mapping("m.yaml", "columns:\n  岗位: I1\nvalues:\n  Q1: {很满意: A}\n".encode())["columns"] == {"岗位": "I1"}
    assert load_mapping("m.json", b'{"unit": "\\u7532\\u516c\\u53f8"}') == {"unit": "甲公司"}
    report = preview(db.session, survey, "x.csv", b"a,b\n1,2\n", mapping={"columns": {"a": "Q99"}})
    assert "既不是题号也不是可用的字段名" in report.file_problems[0]


def test_ten_thousand_rows(survey, industrial, tmp_path):
    data = write_csv(tmp_path / "big.csv", wjx_rows(industrial, ["甲公司", "乙公司"], 10_000)).read_bytes()
    report = commit(db.session, survey, "big.csv", data, actor="test")
    db.session.commit()
    assert report.imported == 10_000 and count(Response) == 10_000
    expected = sum(len(v) if isinstance(v, list) else 1
                   for i in range(10_000) for v in sample_answers(industrial, i).values())
    assert count(Answer) == expected


def test_answers_carry_their_response_unit(survey, industrial, tmp_path):
    data = write_csv(tmp_path / "u.csv", wjx_rows(industrial, ["甲公司", "乙公司"], 4)).read_bytes()
    commit(db.session, survey, "u.csv", data, actor="test")
    pairs = db.session.execute(sa.select(Answer.unit_id, Response.unit_id).join(Response)).all()
    assert pairs and all(a == r and a is not None for a, r in pairs)

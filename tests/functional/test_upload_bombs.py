"""Hostile uploads through the pages and services: bombs refused quickly, NUL in cells stripped."""

from __future__ import annotations

import io
import time
import tracemalloc
from pathlib import Path

import pytest
import sqlalchemy as sa
from fixtures.imports.wjx_files import wjx_rows, write_csv
from fixtures.xlsx_bombs import SHEET, bomb, declaring, workbook
from support import count, csrf_token, login, make_survey, make_user

from survey_app.extensions import db
from survey_app.models import Answer, Response, Unit
from survey_app.services.imports import commit, preview
from survey_app.services.unit_import import ImportProblem, read_upload
from survey_app.services.units import UnitFileError, read_unit_file


@pytest.fixture(scope="module")
def xlsx_bomb() -> bytes:
    return bomb(100)  # 100 MB of sheet XML in about 360 KB


@pytest.fixture
def eva_survey(client, ctx, industrial):
    eva = make_user("eva")
    survey = make_survey(industrial)
    survey.owner_id = eva.id
    db.session.commit()
    login(client, "eva")
    return survey


def _measured(call):
    """Run ``call``; return (its exception or result, seconds, Python peak MB)."""
    tracemalloc.start()
    started = time.perf_counter()
    try:
        try:
            outcome = call()
        except Exception as exc:  # the refusal under test
            outcome = exc
        return outcome, time.perf_counter() - started, tracemalloc.get_traced_memory()[1] / 1e6
    finally:
        tracemalloc.stop()


def test_unit_import_refuses_a_bomb_in_well_under_a_second(client, eva_survey, xlsx_bomb):
    refused, seconds, peak = _measured(lambda: read_upload("名单.xlsx", xlsx_bomb))
    print(f"\nunit import: {len(xlsx_bomb) // 1024} KB bomb refused in {seconds * 1000:.0f} ms, peak {peak:.1f} MB")
    assert isinstance(refused, ImportProblem) and refused.status == 413
    assert "解压后约 100 MB" in refused.message_zh
    assert seconds < 5 and peak < 100  # generous bounds for noisy machines; the real figures are printed
    base = f"/manage/surveys/{eva_survey.id}/units/import"
    reply = client.post(base, data={"csrf_token": csrf_token(client), "file": (io.BytesIO(xlsx_bomb), "名单.xlsx")})
    assert reply.status_code == 413 and "已拒绝读取" in reply.get_data(as_text=True)
    assert count(Unit) == 2


def test_unit_import_refuses_a_zip_that_lies_about_its_size(ctx):
    data = declaring(workbook([["单位名称"], ["甲公司"]]), SHEET, 0xFFFFFF00)
    with pytest.raises(ImportProblem, match="解压后约") as refused:
        read_upload("名单.xlsx", data)
    assert refused.value.status == 413


def test_unit_import_counts_rows_while_streaming(ctx):
    rows = [["单位名称"]] + [[f"单位{i}"] for i in range(5001)]
    with pytest.raises(ImportProblem, match="超过 5000 行的上限"):
        read_upload("名单.xlsx", workbook(rows))
    assert len(read_upload("名单.xlsx", workbook(rows[:5001]))[2]) == 5000


def test_the_unit_list_command_refuses_a_bomb(tmp_path, xlsx_bomb):
    path = tmp_path / "名单.xlsx"
    path.write_bytes(xlsx_bomb)
    started = time.perf_counter()
    with pytest.raises(UnitFileError, match="解压后约 100 MB"):
        read_unit_file(path)
    assert time.perf_counter() - started < 5


def test_the_unit_list_command_reads_headers_as_before(tmp_path):
    path = Path(tmp_path / "名单.xlsx")
    path.write_bytes(workbook([["单位名称", None, "备注", "备注"], ["甲公司", None, 30.0, "x"], [], ["乙公司"]]))
    table = read_unit_file(path)
    assert [(r.line, r.name, r.attributes) for r in table.rows] == [
        (2, "甲公司", {"备注": "30", "备注.1": "x"}), (4, "乙公司", {})]


def test_answer_import_refuses_a_bomb_in_well_under_a_second(client, eva_survey, xlsx_bomb):
    report, seconds, peak = _measured(lambda: preview(db.session, eva_survey, "答卷.xlsx", xlsx_bomb))
    print(f"\nanswer import: {len(xlsx_bomb) // 1024} KB bomb refused in {seconds * 1000:.0f} ms, peak {peak:.1f} MB")
    assert not report.importable and "压缩比异常" in report.file_problems[0]
    assert seconds < 5 and peak < 100
    reply = client.post(f"/manage/surveys/{eva_survey.id}/responses/import", content_type="multipart/form-data",
                        data={"csrf_token": csrf_token(client), "file": (io.BytesIO(xlsx_bomb), "答卷.xlsx")})
    assert reply.status_code == 422 and "压缩比异常" in reply.get_data(as_text=True)
    assert count(Response) == 0


def test_answer_import_strips_nul_from_csv_cells(ctx, industrial, tmp_path):
    survey = make_survey(industrial)
    rows = wjx_rows(industrial, ["甲公司", "乙公司"], 3, seed=3)
    text_column = next(i for i, h in enumerate(rows[0]) if "、" in h and h.split("、", 1)[1] == industrial.question(
        next(q.id for q in industrial.questions if q.type == "text" and not q.show_if)).text)
    for row in rows[1:]:
        row[text_column] = "建议\x00加快拨付"
        row[3] = "微\x00信"  # 来源, stored as the device: no other rule cleans it
    data = write_csv(tmp_path / "答卷.csv", rows).read_bytes()
    commit(db.session, survey, "答卷.csv", data, actor="test")
    db.session.commit()
    texts = db.session.scalars(sa.select(Answer.text_value).where(Answer.text_value.is_not(None))).all()
    assert texts and all("\x00" not in t for t in texts) and "建议加快拨付" in texts
    assert db.session.scalars(sa.select(Response.user_agent).distinct()).all() == ["微信"]

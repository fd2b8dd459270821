"""Real 问卷星 downloads on the database: unit columns as 问卷星 words them, unit decisions,
rows imported before, ambiguous units, open-link sheets, matrix questions (SQLite and PostgreSQL)."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from conftest import BANKS
from fixtures.imports.wjx_files import wjx_rows, write_csv, write_xlsx
from support import count, make_survey

from survey_app.domain.banks import load_bank
from survey_app.domain.unit_table import UnitRow
from survey_app.extensions import db
from survey_app.models import Answer, AuditEvent, ImportBatch, Response, Unit
from survey_app.services.imports import ImportRefused, commit, preview
from survey_app.services.units import add_units
from survey_app.texts_zh.imports import NO_UNIT_COLUMN, report_lines

CODE_A, CODE_B = "91140500MA0KXXXX0X", "91140500MA0KYYYY1Y"


@pytest.fixture
def survey(ctx, industrial):
    return make_survey(industrial)


def csv_bytes(tmp_path, rows, name="export.csv", encoding="utf-8-sig") -> bytes:
    return write_csv(tmp_path / name, rows, encoding=encoding).read_bytes()


@pytest.mark.parametrize("header", ["1、您所在的单位名称：", "1、企业（专业镇）名称", "贵单位名称", "公司名称",
                                    "填写单位", "Q1. 统一社会信用代码（18位）"])
def test_the_unit_question_is_recognised_however_it_is_worded(survey, industrial, tmp_path, header):
    values = [CODE_A] if "信用代码" in header else ["甲公司"]
    if "信用代码" in header:
        db.session.get(Unit, survey.units[0].id).credit_code = CODE_A
        db.session.commit()
    data = csv_bytes(tmp_path, wjx_rows(industrial, values, 4, unit_header=header))
    report = preview(db.session, survey, "export.csv", data)
    assert report.importable, report_lines(report)
    assert report.unit_found_by == "header" and report.rows_ok == 4


def test_an_unnamed_column_of_unit_names_is_found_by_its_content(survey, industrial, tmp_path):
    rows = wjx_rows(industrial, ["甲公司", "乙公司", "甲 公司", "乙公司"], 8, unit_header="1、请填写：")
    report = preview(db.session, survey, "export.csv", csv_bytes(tmp_path, rows))
    assert report.importable and report.unit_found_by == "content"
    assert [u.how for u in report.columns if u.target == "unit"] == ["content"]
    assert "按内容识别" in "\n".join(report_lines(report))
    other = wjx_rows(industrial, ["甲公司"], 8, unit_header="1、请填写：")
    for line in other[1:6]:
        line[6] = "无关的文字"  # mostly not unit names: not taken as the unit column
    assert NO_UNIT_COLUMN in preview(db.session, survey, "export.csv", csv_bytes(tmp_path, other)).file_problems


def test_near_miss_units_accepted_once_and_unknown_ones_skipped_in_one_transaction(survey, industrial, tmp_path):
    rows = wjx_rows(industrial, ["甲公司", "乙公司"], 10)
    rows[2][6] = rows[5][6] = "甲工司"  # close to 甲公司
    rows[3][6] = rows[8][6] = "丙公司"  # not in the list at all
    data = csv_bytes(tmp_path, rows)
    blocked = preview(db.session, survey, "export.csv", data)
    assert not blocked.importable and blocked.rows_ok == 6 and blocked.rows_with_problems == 4
    assert blocked.unit_problems["甲工司"].suggestions[0]["name"] == "甲公司"
    with pytest.raises(ImportRefused):
        commit(db.session, survey, "export.csv", data, actor="eva")
    db.session.rollback()
    assert count(Response) == 0
    jia = survey.units[0].id
    mapping = {"unit_choices": {"甲工司": jia}, "skip_units": ["丙公司"]}
    report = commit(db.session, survey, "export.csv", data, mapping, actor="eva")
    db.session.commit()
    assert (report.imported, report.rows_skipped, report.rows_with_problems) == (8, 2, 0)
    assert report.skipped_units["丙公司"].lines == [4, 9]
    # 甲公司's own rows and the accepted 甲工司
    assert db.session.scalar(sa.select(sa.func.count()).where(Response.unit_id == jia)) == 3 + 2
    audit = db.session.scalars(sa.select(AuditEvent).where(AuditEvent.action == "responses.import")).one()
    assert audit.after["skipped_units"] == {"丙公司": {"rows": 2, "lines": [4, 9]}}
    assert audit.after["unit_choices"] == {"甲工司": jia}
    text = "\n".join(report_lines(report))
    assert "按选择跳过 2" in text and "单位“丙公司”：第4、9行" in text


def test_the_text_and_number_downloads_of_the_same_answers_count_once(survey, industrial, tmp_path):
    by_text = wjx_rows(industrial, ["甲公司", "乙公司"], 158, seed=7, title="工业专项资金满意度调查")
    by_number = wjx_rows(industrial, ["甲公司", "乙公司"], 158, seed=7, numbering="position",
                         title="工业专项资金满意度调查")
    first = commit(db.session, survey, "123_按文本_158.csv", csv_bytes(tmp_path, by_text[:102]), actor="eva")
    db.session.commit()
    assert first.imported == 100 and first.title == "工业专项资金满意度调查"
    second = preview(db.session, survey, "123_按序号_158.xlsx",
                     write_xlsx(tmp_path / "b.xlsx", by_number).read_bytes())
    assert second.numbering == "position" and (second.rows_ok, second.rows_already) == (58, 100)
    assert "已导入过 100 份，跳过" in report_lines(second)
    report = commit(db.session, survey, "123_按序号_158.xlsx", write_xlsx(tmp_path / "b.xlsx", by_number).read_bytes(),
                    actor="eva")
    db.session.commit()
    assert report.imported == 58 and count(Response) == 158
    again = preview(db.session, survey, "again.csv", csv_bytes(tmp_path, by_text, "again.csv"))
    assert again.nothing_new and not again.importable and "都已导入过（158 份）" in report_lines(again)[-1]
    keys = db.session.scalars(sa.select(Response.source_key)).all()
    assert len(set(keys)) == 158 and all(k.startswith("wjx:") for k in keys)


def test_rows_naming_an_ambiguous_unit_need_a_decision_or_a_credit_code(ctx, industrial, tmp_path):
    survey = make_survey(industrial, units=())
    add_units(db.session, survey, [UnitRow(line=2, name="晋东南建筑公司", seq=1, credit_code=CODE_A),
                                   UnitRow(line=3, name="晋东南建筑公司", seq=2, credit_code=CODE_B),
                                   UnitRow(line=4, name="乙公司", seq=3)])
    db.session.commit()
    first, second, _ = (u.id for u in sorted(survey.units, key=lambda u: u.seq))
    coded = wjx_rows(industrial, [CODE_A, CODE_B], 4, unit_header="统一社会信用代码", seed=2)
    report = preview(db.session, survey, "coded.csv", csv_bytes(tmp_path, coded, "coded.csv"))
    assert report.importable and report.rows_ok == 4  # a credit-code column resolves the shared name
    rows = wjx_rows(industrial, ["晋东南建筑公司", "乙公司"], 6)
    report = preview(db.session, survey, "export.csv", csv_bytes(tmp_path, rows))
    problem = report.unit_problems["晋东南建筑公司"]
    assert not report.importable and problem.kind == "ambiguous" and problem.count == 3
    assert {s["id"] for s in problem.suggestions} == {first, second}
    assert "名单中有2个同名单位" in "\n".join(report_lines(report))
    decided = commit(db.session, survey, "export.csv", csv_bytes(tmp_path, rows),
                     {"unit_choices": {"晋东南建筑公司": second}}, actor="eva")
    db.session.commit()
    assert decided.imported == 6
    assert db.session.scalar(sa.select(sa.func.count()).where(Response.unit_id == second)) == 3


def test_an_open_link_sheet_without_a_unit_column_says_what_the_choices_are(survey, industrial, tmp_path):
    data = csv_bytes(tmp_path, wjx_rows(industrial, [], 5, unit_header=None))
    report = preview(db.session, survey, "open.csv", data)
    assert report.file_problems == [NO_UNIT_COLUMN] and not report.rows_checked
    text = "\n".join(report_lines(report))
    assert "数据行 5：文件有问题，未逐行检查" in text and "可导入 0" not in text
    assert "指定全部答卷归属的一个单位" in NO_UNIT_COLUMN and "不归属任何单位" in NO_UNIT_COLUMN
    outside = commit(db.session, survey, "open.csv", data, {"unknown_units": "other"}, actor="eva")
    db.session.commit()
    assert outside.unit_mode == "none" and outside.imported == 5
    assert db.session.scalars(sa.select(Response.unit_id).distinct()).all() == [None]


@pytest.mark.parametrize("matrix", ["paren", "dash"])
def test_a_matrix_question_imports_row_by_row(ctx, tmp_path, matrix):
    bank = load_bank(BANKS / "town_matrix.yaml")
    survey = make_survey(bank, units=("甲镇", "乙镇"))
    rows = wjx_rows(bank, ["甲镇", "乙镇"], 6, matrix=matrix, unit_header="1、企业（专业镇）名称")
    report = commit(db.session, survey, "town.csv", csv_bytes(tmp_path, rows), actor="eva")
    db.session.commit()
    assert report.imported == 6 and not report.unmapped
    matrix_rows = [q for q in bank.questions if q.parent]
    assert matrix_rows and {q.id for q in matrix_rows} <= {u.target for u in report.columns if u.kind == "question"}
    stored = db.session.scalars(sa.select(Answer.question_id).distinct()).all()
    assert {q.id for q in matrix_rows} <= set(stored)


def test_the_next_file_of_the_survey_reuses_the_last_mapping(survey, industrial, tmp_path):
    rows = wjx_rows(industrial, ["甲公司"], 3)
    q1 = next(i for i, h in enumerate(rows[0]) if h.endswith(industrial.question("Q1").text))
    rows[0][q1] = "4、宣传解读"
    mapping = {"columns": {"4、宣传解读": "Q1"}}
    commit(db.session, survey, "a.csv", csv_bytes(tmp_path, rows, "a.csv"), mapping, actor="eva")
    db.session.commit()
    assert db.session.scalars(sa.select(ImportBatch.mapping)).one() == mapping
    later = wjx_rows(industrial, ["甲公司"], 6, seed=5)
    later[0][q1] = "4、宣传解读"
    report = preview(db.session, survey, "b.csv", csv_bytes(tmp_path, later, "b.csv"))
    assert report.mapping_remembered and report.importable
    assert [u.target for u in report.columns if u.header == "4、宣传解读"] == ["Q1"]

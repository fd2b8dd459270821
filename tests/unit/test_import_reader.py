"""ImportReader on 问卷星-style sheets (no app, no database): mapping, cells, units, report."""

from __future__ import annotations

import pandas as pd
import pytest
from fixtures.imports.wjx_files import headers, row, sample_answers, wjx_rows

from survey_app.domain.imports import (
    ImportReader,
    MappingError,
    MappingSpec,
    UnitRef,
    report_lines,
)

UNITS = [UnitRef(1, "甲公司", "91140500MA0KXXXX0X"), UnitRef(2, "乙公司")]


def read(rows, questionnaire, filename="export.xlsx", mapping=None, unit=None, units=UNITS):
    spec = MappingSpec.from_dict(mapping, questionnaire)
    reader = ImportReader(pd.DataFrame(rows), questionnaire, units, spec, unit, filename)
    return reader, reader.validate()


def test_wjx_text_export_reads_every_question(industrial):
    reader, report = read(wjx_rows(industrial, ["甲公司", "乙公司"], 20), industrial)
    assert report.importable and report.layout == "wjx_text" and report.numbering == "label"
    assert report.rows_ok == 20 and not report.unmapped and not report.missing_required
    rows = list(reader.rows())
    first = rows[0]
    assert first.line == 2 and first.unit_id == 1 and first.duration_seconds == 125 and first.ip == "10.0.0.0"
    expected = sample_answers(industrial, 0)
    assert {k: (a.option_keys or (a.text,)) for k, a in first.answers.items()} == {
        k: tuple(v) if isinstance(v, list) else (v,) for k, v in expected.items()}


def test_follow_ups_with_the_same_text_go_to_their_own_question(industrial):
    _, report = read(wjx_rows(industrial, ["甲公司"], 1), industrial)
    by_header = {u.header: u.target for u in report.columns if u.kind == "question"}
    assert by_header["5、请简要说明不满意的原因"] == "Q1R" and by_header["7、请简要说明不满意的原因"] == "Q2R"


def test_per_option_multiple_choice_and_position_numbering(industrial):
    rows = wjx_rows(industrial, ["乙公司"], 6, multiple="per_option", numbering="position")
    reader, report = read(rows, industrial, filename="123_按序号_调查_6_6.xlsx")
    assert report.importable, report_lines(report)
    assert report.numbering == "position" and report.layout == "wjx_number"
    assert [u.option_key for u in report.columns if u.kind == "option"] == ["1", "2", "3", "4", "5"]
    answers = [r.answers for r in reader.rows()]
    assert answers[0]["I3"].option_keys == tuple(sample_answers(industrial, 0)["I3"])
    assert answers[1]["Q1"].option_keys == (sample_answers(industrial, 1)["Q1"],)


def test_position_numbering_is_recognised_without_the_file_name(industrial):
    rows = wjx_rows(industrial, ["甲公司"], 8, numbering="position")
    _, report = read(rows, industrial, filename="data.csv")
    assert report.numbering == "position" and report.importable


def test_unknown_option_labels_are_listed_with_row_numbers(industrial):
    rows = wjx_rows(industrial, ["甲公司"], 5)
    q1 = rows[0].index(next(h for h in rows[0] if h.endswith(industrial.question("Q1").text)))
    rows[2][q1] = rows[4][q1] = "很满意"
    _, report = read(rows, industrial)
    assert not report.importable and report.rows_with_problems == 2
    (item,) = report.unknown_values.values()
    assert (item.question_id, item.value, item.lines, item.count) == ("Q1", "很满意", [3, 5], 2)
    assert "Q1（列“4、" in "\n".join(report_lines(report)) and "的“很满意”：第3、5行" in "\n".join(report_lines(report))
    fixed, _ = read(rows, industrial, mapping={"values": {"Q1": {"很满意": "A"}}})
    assert fixed.report.importable


def test_missing_required_columns_block_the_import(industrial):
    rows = [[c for i, c in enumerate(r) if i not in (9, 10)] for r in wjx_rows(industrial, ["甲公司"], 3)]
    _, report = read(rows, industrial)
    assert report.missing_required == ["I3", "Q1"] and not report.importable


def test_units_by_name_code_with_suggestions(industrial):
    rows = wjx_rows(industrial, ["甲公司"], 3)
    rows[2][6] = "91140500MA0KXXXX0X"
    rows[3][6] = "甲工司"
    reader, report = read(rows, industrial)
    assert report.unit_problems["甲工司"].suggestions[0]["name"] == "甲公司" and report.unit_problems["甲工司"].lines == [4]
    assert [r.unit_id for r in reader.rows()] == [1, 1]
    _, aliased = read(rows, industrial, mapping={"unit_aliases": {"甲工司": "甲公司"}})
    assert aliased.importable


def test_all_rows_to_one_unit_or_refused_with_a_hint(industrial):
    rows = [r[:6] + r[7:] for r in wjx_rows(industrial, ["x"], 2)]
    _, none = read(rows, industrial)
    assert "找不到单位列" in none.file_problems[0]
    reader, fixed = read(rows, industrial, unit="乙公司")
    assert fixed.importable and {r.unit_id for r in reader.rows()} == {2}
    _, typo = read(rows, industrial, unit="乙工司")
    assert typo.file_problems == ["指定的单位“乙工司”不在本调查的单位名单中，是否为：乙公司？"]


def test_mapping_file_columns_and_problems(industrial):
    rows = wjx_rows(industrial, ["甲公司"], 2)
    rows[0][7] = "岗位"
    _, report = read(rows, industrial)
    assert report.missing_required == ["I1"] and [u.header for u in report.unmapped] == ["岗位"]
    _, mapped = read(rows, industrial, mapping={"columns": {"岗位": "I1", "来源详情": "ignore"}})
    assert mapped.importable and next(u for u in mapped.columns if u.header == "岗位").how == "mapping"
    with pytest.raises(MappingError) as error:
        MappingSpec.from_dict({"columns": {"x": "Q99"}, "values": {"Q1": {"好": "Z"}}, "colums": 1}, industrial)
    assert len(error.value.problems) == 3


def test_row_problems_use_the_web_rules(industrial):
    rows = wjx_rows(industrial, ["甲公司"], 2)
    i1 = rows[0].index(headers(industrial)[7])
    rows[1][i1] = "(跳过)"
    rows[2][2] = "很久"
    _, report = read(rows, industrial)
    assert [(p.line, p.messages) for p in report.row_problems] == [
        (2, ["I1：必答题未作答"]), (3, ["所用时间“很久”无法识别"])]


def test_empty_header_only_and_blank_rows(industrial):
    assert read([], industrial)[1].file_problems == ["文件是空的，或第一张工作表中没有任何内容"]
    assert "文件只有表头，没有答卷数据" in read([headers(industrial)], industrial)[1].file_problems
    rows = wjx_rows(industrial, ["甲公司"], 2)
    rows.insert(2, [""] * len(rows[0]))
    _, report = read(rows, industrial)
    assert report.rows_blank == 1 and report.rows_ok == 2 and report.importable


def test_text_answers_are_kept_as_typed(industrial):
    rows = [headers(industrial), row(industrial, 1, {**sample_answers(industrial, 0), "S1": "  建议：加快（拨付）！ "},
                                     "甲公司")]
    reader, _ = read(rows, industrial)
    assert next(reader.rows()).answers["S1"].text == "建议：加快（拨付）！"


def test_unknown_units_can_be_imported_as_outside_the_list(industrial):
    rows = wjx_rows(industrial, ["丙公司"], 2)
    reader, report = read(rows, industrial, mapping={"unknown_units": "other"})
    assert report.importable
    assert {(r.unit_id, r.unit_name_given) for r in reader.rows()} == {(None, "丙公司")}


def test_skipped_markers_and_fill_in_text_in_multiple_choice(industrial):
    rows = wjx_rows(industrial, ["甲公司"], 2, multiple="per_option")
    i3 = [i for i, h in enumerate(rows[0]) if h.startswith("3、")]
    rows[1][i3[0]:i3[-1] + 1] = ["(跳过)", "1", "", "√", "0"]
    joined = wjx_rows(industrial, ["甲公司"], 1)
    joined[1][9] = "主管部门通知或培训┋其他渠道〖自媒体〗"
    first = next(read(rows, industrial)[0].rows())
    assert first.answers["I3"].option_keys == ("2", "4")
    assert next(read(joined, industrial)[0].rows()).answers["I3"].option_keys == ("1", "5")


@pytest.mark.parametrize("numbering", ["label", "position"])
@pytest.mark.parametrize("matrix", ["paren", "dash"])
def test_matrix_row_columns_are_recognised_in_both_wjx_styles(numbering, matrix):
    from pathlib import Path

    from survey_app.domain.banks import load_bank

    town = load_bank(Path(__file__).resolve().parents[2] / "question_banks" / "town_matrix.yaml")
    rows = wjx_rows(town, ["甲公司", "乙公司"], 12, numbering=numbering, matrix=matrix)
    header = "3(奖补资金发放时间)" if matrix == "paren" else "3、请对项目审核与资金拨付的以下方面作出评价—奖补资金发放时间"
    assert header in rows[0]
    reader, report = read(rows, town, filename="1_按序号_x.xlsx" if numbering == "position" else "x.xlsx")
    assert report.importable, report_lines(report)
    # "3(奖补资金发放时间)" already reads as the row's text once numbering and brackets go;
    # "3、<matrix text>—<row text>" needs the matrix split.
    matrix_columns = {u.target: u.how for u in report.columns if u.target in {"M1a", "M1b", "M1c", "M2a", "M2b", "M2c"}}
    assert len(matrix_columns) == 6
    assert set(matrix_columns.values()) == {"text" if matrix == "paren" else "matrix_row"}
    got = [r.answers for r in reader.rows()]
    for i, answers in enumerate(got):
        expected = sample_answers(town, i)
        assert {rid: answers[rid].option_keys for rid in matrix_columns} == {rid: (expected[rid],) for rid in matrix_columns}

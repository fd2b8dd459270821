"""``flask survey responses import`` through ``runner.invoke``: dry run, --commit, --unit, --mapping, refusals."""

from __future__ import annotations

import json

import pytest
from fixtures.imports.wjx_files import wjx_rows, write_csv
from support import count, make_survey

from survey_app.models import ImportBatch, Response


@pytest.fixture
def survey(ctx, industrial):
    return make_survey(industrial, name="导入测试")


def invoke(runner, *args):
    return runner.invoke(args=["survey", "responses", "import", "导入测试", *map(str, args)])


def test_dry_run_prints_the_report_and_writes_nothing(runner, survey, industrial, tmp_path):
    path = write_csv(tmp_path / "a.csv", wjx_rows(industrial, ["甲公司"], 5), encoding="gbk")
    result = invoke(runner, path)
    assert result.exit_code == 0, result.output
    assert "格式：问卷星（按选项文本下载）" in result.output
    assert "第11列“4、您对专项资金政策的宣传和解读是否满意？” → Q1（题目文字）" in result.output
    assert "可以导入：共 5 份答卷" in result.output and count(Response) == 0


def test_commit_then_the_same_file_again(runner, survey, industrial, tmp_path):
    path = write_csv(tmp_path / "a.csv", wjx_rows(industrial, ["甲公司", "乙公司"], 5))
    first = invoke(runner, path, "--commit")
    assert first.exit_code == 0 and "已导入 5 份答卷" in first.output
    second = invoke(runner, path, "--commit")
    assert second.exit_code == 1 and "不能重复导入" in second.output
    assert count(Response) == 5 and count(ImportBatch) == 1


def test_problems_exit_1_with_row_numbers(runner, survey, industrial, tmp_path):
    rows = wjx_rows(industrial, ["甲公司"], 3)
    rows[2][6] = "甲工司"
    result = invoke(runner, write_csv(tmp_path / "a.csv", rows), "--commit")
    assert result.exit_code == 1
    assert "“甲工司”不在名单中：第3行；是否为：甲公司（编号" in result.output and "未写入任何数据" in result.output
    assert count(Response) == 0


def test_unit_and_mapping_options(runner, survey, industrial, tmp_path):
    rows = [r[:6] + r[7:] for r in wjx_rows(industrial, ["x"], 3)]
    rows[0][6] = "岗位"
    path = write_csv(tmp_path / "a.csv", rows)
    mapping = tmp_path / "m.yaml"
    mapping.write_text("columns:\n  岗位: I1\n", encoding="utf-8")
    result = invoke(runner, path, "--unit", "乙公司", "--mapping", mapping, "--json")
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert report["importable"] and report["fixed_unit"] == "乙公司" and report["counts"]["ok"] == 3
    bad = tmp_path / "bad.yaml"
    bad.write_text("columns: [", encoding="utf-8")
    assert invoke(runner, path, "--mapping", bad).exit_code == 1


def test_unknown_survey_and_empty_file(runner, survey, tmp_path):
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"")
    assert runner.invoke(args=["survey", "responses", "import", "没有这个", str(empty)]).exit_code == 2
    result = invoke(runner, empty)
    assert result.exit_code == 1 and "文件是空的" in result.output


def test_commit_prints_chinese_not_python_and_json_for_machines(runner, survey, industrial, tmp_path):
    path = write_csv(tmp_path / "a.csv", wjx_rows(industrial, ["甲公司", "乙公司"], 6))
    result = invoke(runner, path, "--commit")
    assert result.exit_code == 0
    assert "已导入 6 份答卷（批次#" in result.output and "）。筛查结果：有效 6" in result.output
    assert "{" not in result.output and "submitted_at" not in result.output and "seq" not in result.output
    again = write_csv(tmp_path / "b.csv", wjx_rows(industrial, ["甲公司", "乙公司"], 8))
    report = json.loads(invoke(runner, again, "--json").output)
    assert report["counts"] | {"checked": True} == {"rows": 8, "blank": 0, "ok": 2, "with_problems": 0, "skipped": 0,
                                                    "already_imported": 6, "checked": True, "imported": 0}


def test_a_long_file_shows_a_progress_bar_on_stderr(runner, survey, industrial, tmp_path, monkeypatch):
    from survey_app.cli import imports as cli_imports
    from survey_app.domain.imports import reader

    monkeypatch.setattr(cli_imports, "PROGRESS_ROWS", 10)
    monkeypatch.setattr(reader, "CHUNK", 10)
    path = write_csv(tmp_path / "a.csv", wjx_rows(industrial, ["甲公司"], 35))
    result = runner.invoke(args=["survey", "responses", "import", "导入测试", str(path), "--commit"])
    assert result.exit_code == 0 and count(Response) == 35
    assert "检查并写入答卷" in result.stderr  # the bar itself is drawn on a terminal only
    assert "检查并写入答卷" not in result.stdout


def test_unit_decisions_on_the_command_line(runner, survey, industrial, tmp_path):
    rows = wjx_rows(industrial, ["甲公司", "乙公司"], 6)
    rows[1][6] = "甲工司"
    rows[2][6] = "丙公司"
    path = write_csv(tmp_path / "a.csv", rows)
    assert invoke(runner, path).exit_code == 1
    result = invoke(runner, path, "--choose", "甲工司=甲公司", "--skip-unit", "丙公司", "--commit")
    assert result.exit_code == 0, result.output
    assert "按选择跳过 1" in result.output and "单位“丙公司”：第3行" in result.output and count(Response) == 5
    bad = invoke(runner, path, "--choose", "甲工司=没有")
    assert bad.exit_code == 1 and "找不到单位“没有”" in bad.output
    rows = wjx_rows(industrial, [], 3, unit_header=None)
    for line in rows[1:]:
        line[0] = str(int(line[0]) + 100)  # other 问卷星 answers (序号) than the file above
    open_link = write_csv(tmp_path / "o.csv", rows)
    assert "找不到单位列。可以：" in invoke(runner, open_link).output
    outside = invoke(runner, open_link, "--outside-list", "--commit")
    assert outside.exit_code == 0 and "不归属单位（开放链接答卷）" in outside.output and count(Response) == 8


def test_a_unit_list_with_a_title_row_reads_the_same_as_on_the_page(runner, survey, tmp_path):
    path = tmp_path / "名单.csv"
    path.write_text("附件1：受益单位名单\n序号,企业名称,统一社会信用代码\n1,丙公司,\n2,丁公司,\n", encoding="gbk")
    result = runner.invoke(args=["survey", "units", "import", "导入测试", str(path)])
    assert result.exit_code == 0, result.output
    assert "Imported 2 units" in result.output

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
    assert "“甲工司”不在名单中：第3行；是否为：甲公司（编号1）？" in result.output and "未写入任何数据" in result.output
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

"""Flask commands through ``runner.invoke``: banks check, demo, survey create / units import / links."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import sqlalchemy as sa
from support import count

from survey_app.extensions import db
from survey_app.models import Survey, Unit

ROOT = Path(__file__).resolve().parents[2]
BANK = ROOT / "question_banks" / "industrial_fund.yaml"
UNITS = ROOT / "survey_app" / "demo_data" / "units_jincheng_2024.csv"


def test_banks_check_passes_on_shipped_banks(runner):
    result = runner.invoke(args=["banks", "check"])
    assert result.exit_code == 0, result.output
    assert "ok    industrial_fund.yaml: 24 questions, 10 scored" in result.output


def test_banks_check_fails_with_named_problems(runner, tmp_path):
    bad = tmp_path / "bad.yaml"
    original = BANK.read_text(encoding="utf-8")
    bad.write_text(original.replace("scale: sat4, dimension: 政策与申报, topic: 申报指南清晰度",
                                    "scale: sat9, dimension: 政策与申报, topic: 申报指南清晰度"), encoding="utf-8")
    result = runner.invoke(args=["banks", "check", str(bad)])
    assert result.exit_code == 1
    assert "ERROR bad.yaml：题 Q2：未知的量表“sat9”" in result.output


def test_demo_is_idempotent_and_prints_links(runner, ctx):
    first = runner.invoke(args=["demo"])
    second = runner.invoke(args=["demo"])
    assert first.exit_code == second.exit_code == 0, first.output
    assert "Created demo survey" in first.output and "Found demo survey" in second.output
    assert "/o/" in first.output and first.output.count("/s/") == 5
    assert count(Survey) == 1 and count(Unit) == 28
    survey = db.session.scalars(sa.select(Survey)).one()
    assert survey.status == "open" and survey.indicator_code == "D41" and survey.indicator_weight == 6


def create(runner, *extra):
    result = runner.invoke(args=["survey", "create", "--bank", str(BANK), "--name", "命令行调查", *extra])
    assert result.exit_code == 0, result.output
    return result


def test_survey_create_with_context_and_dates(runner, ctx):
    create(runner, "--project", "某专项", "--year", "2025", "--indicator-code", "D41", "--indicator-weight", "6",
           "--opens", "2025-03-01 09:00", "--closes", "2025-03-15 18:00", "--open")
    survey = db.session.scalars(sa.select(Survey)).one()
    assert (survey.project_name, survey.eval_year, survey.status) == ("某专项", 2025, "open")
    assert survey.opens_at.isoformat() == "2025-03-01T01:00:00"  # 09:00 Beijing = 01:00 UTC
    assert survey.questionnaire_hash and survey.questionnaire_json["id"] == "industrial_fund"


def test_units_import_refuses_duplicates_unless_told(runner, ctx):
    create(runner)
    refused = runner.invoke(args=["survey", "units", "import", "命令行调查", str(UNITS)])
    assert refused.exit_code == 1
    assert "DUPLICATE lines [12, 15]: 山西建投晋东南建筑产业有限公司" in refused.output
    assert "Nothing imported" in refused.output and count(Unit) == 0
    kept = runner.invoke(args=["survey", "units", "import", "命令行调查", str(UNITS), "--duplicates", "keep"])
    assert kept.exit_code == 0 and "Imported 29 units" in kept.output


def test_units_import_writes_nothing_when_the_file_has_errors(runner, ctx, tmp_path):
    create(runner)
    bad = tmp_path / "units.csv"
    bad.write_text("企业名称,统一社会信用代码\n甲公司,91350100M000100Y43\n乙公司,91350100M000100Y44\n", encoding="utf-8")
    result = runner.invoke(args=["survey", "units", "import", "命令行调查", str(bad)])
    assert result.exit_code == 1
    assert "校验位不正确" in result.output
    assert count(Unit) == 0


def test_units_import_reads_gbk_csv(runner, ctx, tmp_path):
    create(runner)
    survey_id = db.session.scalars(sa.select(Survey.id)).one()
    gbk = tmp_path / "gbk.csv"
    gbk.write_bytes("序号,企业名称,县（市、区）\n1,甲公司,城区\n2,乙公司,泽州县\n".encode("gbk"))
    result = runner.invoke(args=["survey", "units", "import", str(survey_id), str(gbk)])
    assert result.exit_code == 0, result.output
    assert db.session.scalars(sa.select(Unit.county).order_by(Unit.seq)).all() == ["城区", "泽州县"]


def test_links_csv_has_one_row_per_unit(runner, ctx, tmp_path):
    runner.invoke(args=["demo"])
    out = tmp_path / "links.csv"
    survey_id = db.session.scalars(sa.select(Survey.id)).one()
    result = runner.invoke(args=["survey", "links", str(survey_id), "-o", str(out)])
    assert result.exit_code == 0, result.output
    raw = out.read_bytes()
    assert raw.startswith("\ufeff".encode())  # BOM: Excel in Chinese opens UTF-8 correctly
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    assert rows[0] == ["序号", "单位名称", "县（市、区）", "类别", "最少有效份数", "链接"]
    assert len(rows) == 29 and all("/s/" in r[-1] for r in rows[1:])
    tokens = {r[-1].rsplit("/", 1)[1] for r in rows[1:]}
    assert len(tokens) == 28


def test_unknown_survey_is_a_clear_error(runner, ctx):
    result = runner.invoke(args=["survey", "links", "999"])
    assert result.exit_code == 2 and "No survey '999'" in result.output


def test_demo_with_sample_answers_gives_a_full_summary(runner, ctx):
    assert runner.invoke(args=["demo", "--sample-answers", "40"]).exit_code == 0
    survey_id = db.session.scalars(sa.select(Survey.id)).one()
    result = runner.invoke(args=["survey", "summary", str(survey_id)])
    assert result.exit_code == 0, result.output
    assert "答卷：纳入 40 份" in result.output
    assert "信度：Cronbach's α = " in result.output  # 40 respondents ≥ 30, 10 items
    assert "95%置信区间：" in result.output and "随机种子20240601" in result.output

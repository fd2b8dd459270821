"""``flask banks list``: the built-in files and the stored banks, as the 题库 page lists them."""

from __future__ import annotations

from pathlib import Path

from support import make_survey, make_user

from survey_app.extensions import db
from survey_app.services.bank_library import save_survey_as_bank

BANKS = Path(__file__).resolve().parents[2] / "question_banks"


def test_banks_list_shows_built_in_then_stored_banks(runner, ctx, industrial):
    owner = make_user("owner")
    survey = make_survey(industrial, status="draft")
    row = save_survey_as_bank(db.session, survey, owner, "改过的工业问卷", "2026.1", "cli:test")
    db.session.commit()
    result = runner.invoke(args=["banks", "list"])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    files = sorted(p.name for p in BANKS.glob("*.yaml"))
    assert [line.split()[0] for line in lines[:len(files)]] == [f"builtin:{name}" for name in files]
    assert all("内置" in line for line in lines[:len(files)])
    stored = lines[len(files)]
    assert stored.startswith(f"stored:{row.id}") and "已保存" in stored and "改过的工业问卷（版本 2026.1）" in stored
    assert f"{len(industrial.questions)} questions, {len(industrial.scored_questions)} scored  owner" in stored


def test_survey_create_open_refuses_a_bank_without_scored_items_and_creates_nothing(runner, ctx, tmp_path):
    from support import count

    from survey_app.models import Survey

    bank = tmp_path / "blank.yaml"
    bank.write_text("id: b\ntitle: 空白\nintro: {title: 空白}\nsections:\n  - {id: s, title: 部分, questions:\n"
                    "      [{id: T1, type: text, text: 建议}]}\n", encoding="utf-8")
    result = runner.invoke(args=["survey", "create", "--bank", str(bank), "--name", "空白调查", "--open"])
    assert result.exit_code == 1 and "计分题" in result.output
    assert count(Survey) == 0

"""``flask banks list``: the built-in files and the stored banks, as the 题库 page lists them."""

from __future__ import annotations

from support import make_survey, make_user

from survey_app.extensions import db
from survey_app.services.bank_library import save_survey_as_bank


def test_banks_list_shows_built_in_then_stored_banks(runner, ctx, industrial):
    owner = make_user("owner")
    survey = make_survey(industrial, status="draft")
    row = save_survey_as_bank(db.session, survey, owner, "改过的工业问卷", "2026.1", "cli:test")
    db.session.commit()
    result = runner.invoke(args=["banks", "list"])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0].startswith("builtin:industrial_fund.yaml") and "内置" in lines[0]
    assert lines[1].startswith("builtin:public_service.yaml")
    assert lines[2].startswith(f"stored:{row.id}") and "已保存" in lines[2] and "改过的工业问卷（版本 2026.1）" in lines[2]
    assert f"{len(industrial.questions)} questions, {len(industrial.scored_questions)} scored  owner" in lines[2]

"""Answers given on the web and the same answers imported from a 问卷星 export (through the
CLI) give the same summary — apart from source, duration and status fields."""

from __future__ import annotations

from fixtures.imports.wjx_files import sample_answers, wjx_rows, write_csv
from support import make_survey

from survey_app.extensions import db
from survey_app.services.summary import build_summary

#: Summary parts that describe the survey row or the response ids, not the answers.
NOT_COMPARED = ("survey", "filter", "responses", "fingerprint")
N = 16


def test_web_and_imported_answers_give_the_same_summary(ctx, industrial, respondent, runner, tmp_path):
    web = make_survey(industrial, name="网上调查")
    imported = make_survey(industrial, name="导入调查")
    tokens = [u.token for u in web.units]
    for i in range(N):
        reply = respondent.answer(f"/s/{tokens[i % 2]}", sample_answers(industrial, i), another=i > 0)
        assert reply.status_code == 303, reply.get_data(as_text=True)[:500]
    path = write_csv(tmp_path / "123_按文本_导入调查_16_16.csv", wjx_rows(industrial, ["甲公司", "乙公司"], N))
    result = runner.invoke(args=["survey", "responses", "import", "导入调查", str(path), "--commit"])
    assert result.exit_code == 0, result.output
    assert "已导入 16 份答卷" in result.output
    db.session.expire_all()
    a = build_summary(db.session, db.session.get(type(web), web.id)).to_json()
    b = build_summary(db.session, db.session.get(type(imported), imported.id)).to_json()
    assert a["responses"]["used"] == b["responses"]["used"] == N
    assert a["composite"] is not None
    for key in a:
        if key not in NOT_COMPARED:
            assert without_ids(a[key]) == without_ids(b[key]), key
    counts = {q["id"]: [o["count"] for o in q["options"]] for q in b["questions"]}
    assert sum(counts["Q1"]) == N and sum(counts["I3"]) == 2 * N


def without_ids(value):
    """Drop database ids of units (each survey has its own unit rows); keep everything else."""
    if isinstance(value, dict):
        return {k: without_ids(v) for k, v in value.items() if not (k in ID_KEYS and _ids(v))}
    if isinstance(value, list):
        return [without_ids(v) for v in value]
    return value


ID_KEYS = {"id", "unit", "unit_id", "group", "units"}


def _ids(value) -> bool:
    return isinstance(value, int) or (isinstance(value, list) and all(isinstance(v, int) for v in value))

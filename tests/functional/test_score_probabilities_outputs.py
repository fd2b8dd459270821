"""The score probabilities and the clustered interval reach the API, the dashboard header, the CLI and the appendix."""

from __future__ import annotations

import io

import docx
from support import login, make_user

from survey_app.cli.summary import summary_lines
from survey_app.extensions import db
from survey_app.services.api_tokens import create_token
from survey_app.services.demo import add_sample_answers, ensure_demo
from survey_app.services.exports import export_survey
from survey_app.services.summary import build_summary


def test_probabilities_agree_across_outputs(ctx, client):
    survey, _, _ = ensure_demo(db.session)
    add_sample_answers(db.session, survey, 158)
    _, token = create_token(db.session, make_user("reader", "admin"), "汇总", "test")
    db.session.commit()
    api = client.get(f"/api/v1/surveys/{survey.id}/summary", headers={"Authorization": f"Bearer {token}"}).json
    stats = api["statistics"]
    ci, chances = stats["confidence_interval"], stats["score_probabilities"]
    # The demo's responses belong to units: resampled by unit, with a design effect.
    assert ci["resampled"] == "unit" and ci["design_effect"] > 0 and ci["srs_low"] is not None
    assert sum(c["count"] for c in chances["chances"]) == chances["used"] == ci["used"]
    assert abs(sum(c["probability"] for c in chances["chances"]) - 1) < 1e-3
    sentence = chances["sentence_zh"]
    assert sentence.startswith("按重抽样估计，该项指标得")

    login(client, "reader")
    header = client.get(f"/manage/surveys/{survey.id}/dashboard/data?stats=1").json["header"]
    assert header["ci"]["score_chances_zh"] == sentence
    assert header["ci"]["score_chances"] == chances["chances"]

    assert f"得分概率：{sentence}" in summary_lines(build_summary(db.session, survey))

    out = io.BytesIO()
    export_survey(db.session, survey, "docx", out, actor="test", sections=frozenset({"ci"}))
    text = "\n".join(p.text for p in docx.Document(io.BytesIO(out.getvalue())).paragraphs)
    assert sentence in text and "单位两阶段" in text and "设计效应" in text

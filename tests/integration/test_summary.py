"""The summary service on a hand-computed example, through the service, the API and the CLI.

Example: the industrial bank (4-level scale 100/80/30/0), units 甲公司 (城区) and 乙公司 (泽州县).
甲 answers 非常满意 on every scored question four times; 乙 answers 不太满意 once.

* respondent level: each question has 4×A and 1×C of 5 → shares 80.00 / 0.00 / 20.00 / 0.00,
  satisfaction (4·100 + 1·30) / 5 = 86.00; composite = mean of ten 86.00 = 86.00 → band 80–90 → 4 of 6;
* unit level: 甲 = 100.00, 乙 = 30.00 → (100 + 30) / 2 = 65.00 → band 60–70 → 2 of 6;
* by county: 城区 100.00, 泽州县 30.00;
* coverage: minimum 5 each → 甲 short by 1, 乙 short by 4; issued 10, returned 5, valid 5.
"""

from __future__ import annotations

import json

import pytest
import sqlalchemy as sa
from support import add_response, make_survey

from survey_app.extensions import db
from survey_app.models import AuditEvent, Response
from survey_app.services.settings import update_settings
from survey_app.services.summary import SummaryFilter, build_summary
from survey_app.services.surveys import SurveyStateError, close_survey


@pytest.fixture
def example(ctx, industrial):
    survey = make_survey(industrial, indicator_code="D41", indicator_name="奖补对象满意度", indicator_weight=6.0)
    jia, yi = survey.units
    yi.county = "泽州县"
    for _ in range(4):
        add_response(survey, jia, "A")
    add_response(survey, yi, "C")
    db.session.commit()
    return survey


def test_respondent_level_by_hand(example):
    s = build_summary(db.session, example, statistics=False).to_json()
    q1 = next(q for q in s["questions"] if q["id"] == "Q1")
    assert [o["share"] for o in q1["options"]] == [80.00, 0.00, 20.00, 0.00]
    assert [o["label"] for o in q1["options"]] == ["非常满意", "比较满意", "不太满意", "不满意"]
    assert q1["satisfaction"] == 86.00 and q1["topic"] == "专项资金政策宣传解读"
    assert s["composite"] == 86.00
    assert s["score"]["points"] == 4
    assert s["score"]["working_zh"] == "综合满意度为86.00%，位于80%（含）—90%区间，该项指标分值为6分，得4分。"
    assert s["responses"] == {"used": 5, "valid": 5, "flagged": 0, "excluded": 0, "total": 5}
    assert [d["satisfaction"] for d in s["dimensions"]] == [86.00, 86.00, 86.00]


def test_unit_level_by_hand(example):
    update_settings(db.session, example, {"scoring": {"aggregation": "unit"}}, "test")
    s = build_summary(db.session, example, statistics=False).to_json()
    assert s["composite"] == 65.00
    assert s["score"]["points"] == 2
    assert s["settings"]["scoring"]["aggregation"] == "unit"


def test_breakdowns_and_coverage_by_hand(example):
    s = build_summary(db.session, example, statistics=False).to_json()
    assert [(g["group"], g["composite"]) for g in s["breakdowns"]["county"]] == [("城区", 100.00), ("泽州县", 30.00)]
    assert [(g["name"], g["composite"]) for g in s["breakdowns"]["unit"]] == [("甲公司", 100.00), ("乙公司", 30.00)]
    cov = s["coverage"]
    assert [(u["name"], u["valid"], u["short_by"]) for u in cov["units"]] == [("甲公司", 4, 1), ("乙公司", 1, 4)]
    assert (cov["issued"], cov["returned"], cov["valid"]) == (10, 5, 5)
    assert cov["return_rate"] == 50.00 and cov["valid_rate"] == 100.00


def test_excluding_a_response_changes_result_and_fingerprint(example):
    before = build_summary(db.session, example, statistics=False).to_json()
    response = db.session.scalars(sa.select(Response).where(Response.unit_id == example.units[1].id)).one()
    response.status = "excluded"
    db.session.commit()
    after = build_summary(db.session, example, statistics=False).to_json()
    assert after["composite"] == 100.00 and after["score"]["points"] == 6
    assert after["fingerprint"] != before["fingerprint"]
    assert after["responses"]["excluded"] == 1 and after["coverage"]["valid"] == 4
    everything = build_summary(db.session, example, SummaryFilter(statuses=("valid", "flagged", "excluded")),
                               statistics=False).to_json()
    assert everything["composite"] == 86.00 and everything["fingerprint"] == before["fingerprint"]


def test_settings_changes_are_audited_and_refused_when_closed(example):
    update_settings(db.session, example, {"scoring": {"method": "top2_share"}}, "cli:tester")
    db.session.commit()
    event = db.session.scalars(sa.select(AuditEvent).where(AuditEvent.action == "settings.change")).one()
    assert (event.actor, event.action) == ("cli:tester", "settings.change")
    assert event.before["scoring"]["method"] == "weighted" and event.after["scoring"]["method"] == "top2_share"
    # top2_share: 4 of 5 answers are in the top two options → 80.00 per question
    assert build_summary(db.session, example, statistics=False).to_json()["composite"] == 80.00
    close_survey(db.session, example)
    with pytest.raises(SurveyStateError):
        update_settings(db.session, example, {"scoring": {"method": "mean"}}, "cli:tester")


def test_api_requires_a_token_and_matches_the_service(client, example):
    from support import make_user

    from survey_app.services.api_tokens import create_token

    _, token = create_token(db.session, make_user("root", "admin"), "汇总", "test")
    db.session.commit()
    url = f"/api/v1/surveys/{example.id}/summary?statistics=0"
    assert client.get(url).status_code == 401
    assert client.get(url, headers={"Authorization": "Bearer wrong"}).status_code == 401
    auth = {"Authorization": f"Bearer {token}"}
    reply = client.get(url, headers=auth)
    assert reply.status_code == 200
    assert reply.json == json.loads(json.dumps(build_summary(db.session, example, statistics=False).to_json()))
    assert client.get(f"/api/v1/surveys/{example.id}/summary?include=maybe", headers=auth).status_code == 400
    assert client.get(f"/api/v1/surveys/{example.id}/summary?since=yesterday", headers=auth).status_code == 400
    assert client.get("/api/v1/surveys/999/summary", headers=auth).status_code == 404
    first_unit = client.get(f"{url}&unit={example.units[0].id}", headers=auth).json
    assert first_unit["composite"] == 100.00


def test_cli_summary_table_and_json(runner, example):
    table = runner.invoke(args=["survey", "summary", str(example.id), "--no-statistics"])
    assert table.exit_code == 0, table.output
    assert "综合满意度：86.00%" in table.output
    assert "位于80%（含）—90%区间" in table.output
    assert "未达标：乙公司（1 / 5，差 4 份）" in table.output
    as_json = runner.invoke(args=["survey", "summary", str(example.id), "--json", "--no-statistics"])
    assert json.loads(as_json.output)["composite"] == 86.00


def test_cli_settings_change_and_refusal(runner, example):
    ok = runner.invoke(args=["survey", "settings", str(example.id), "--set", "scoring.method=top2_share",
                             "--set", "validity.min_duration.seconds=20"])
    assert ok.exit_code == 0, ok.output
    assert '"method": "top2_share"' in ok.output and "Re-screened" in ok.output
    bad = runner.invoke(args=["survey", "settings", str(example.id), "--rule",
                              '{"type":"band","weight":6,"bands":[{"min":95,"points":6},{"min":80,"points":5}]}'])
    assert bad.exit_code == 1 and "Not changed" in bad.output


def test_statistics_need_enough_answers_and_are_cached_by_fingerprint(example):
    from survey_app.services import statistics

    statistics._CACHE.clear()
    s = build_summary(db.session, example).to_json()
    alpha = s["statistics"]["reliability"]
    assert alpha["alpha"] is None and alpha["n"] == 5 and alpha["skipped_reason_zh"]  # 5 < 30 respondents
    ci = s["statistics"]["confidence_interval"]
    assert ci["estimate"] == 86.00 and ci["low"] <= 86.00 <= ci["high"]
    assert len(statistics._CACHE) == 1
    assert build_summary(db.session, example).to_json()["statistics"] == s["statistics"]
    assert len(statistics._CACHE) == 1  # same data, same settings: served from the cache


def test_fingerprint_follows_its_stated_formula_on_every_database(example):
    """SHA-256(questionnaire hash + MD5("id1,id2,…")) over the responses used, ascending ids."""
    import hashlib

    ids = sorted(db.session.scalars(sa.select(Response.id)).all())
    md5 = hashlib.md5(",".join(map(str, ids)).encode()).hexdigest()
    expected = hashlib.sha256((example.questionnaire_hash + md5).encode()).hexdigest()
    assert build_summary(db.session, example, statistics=False).to_json()["fingerprint"] == expected

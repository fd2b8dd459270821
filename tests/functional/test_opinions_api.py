"""``GET /api/v1/surveys/<id>/opinions``: themes with counts, validated against openapi.json."""

from __future__ import annotations

import pytest
from openapi_check import check
from support import make_survey, make_user

from survey_app.domain.answers import Answer as Checked
from survey_app.extensions import db
from survey_app.models._types import utcnow
from survey_app.services.api_tokens import create_token
from survey_app.services.opinions import decide
from survey_app.services.responses import SubmissionMeta, store_response

PATH = "/api/v1/surveys/{survey_id}/opinions"


@pytest.fixture
def world(ctx, industrial):
    eva = make_user("eva")
    survey = make_survey(industrial)
    survey.owner_id = eva.id
    for text in ("资金拨付太慢", "资金拨付太慢", "拨付不及时", "申报材料太多", "无", "满意"):
        store_response(db.session, survey, survey.units[0], {"S1": Checked("S1", text=text)},
                       SubmissionMeta(submitted_at=utcnow()))
    _, token = create_token(db.session, eva, "脚本", "user:eva")
    db.session.commit()
    return survey, {"Authorization": f"Bearer {token}"}


def test_themes_with_counts_in_order_and_non_answers_apart(client, world):
    survey, headers = world
    reply = client.get(PATH.format(survey_id=survey.id), headers=headers)
    check(reply, PATH)
    data = reply.json
    assert (data["total"], data["non_answers"], data["reported"], data["edited"]) == (6, 2, 4, False)
    assert [(t["name"], t["count"], t["opinions"]) for t in data["themes"]] == [
        ("奖补资金拨付及时性", 3, 2), ("申报流程便捷性", 1, 1)]
    number = survey.questionnaire.numbers()["S1"]
    assert data["themes"][0]["questions"] == [f"第{number}题"]
    assert data["themes"][0]["examples"][0] == {"text": "资金拨付太慢", "count": 2}


def test_the_evaluators_decisions_and_the_examples_parameter(client, world):
    survey, headers = world
    decide(db.session, survey, "user:eva", "rename", 0, {"theme": "q:Q6", "name": "资金拨付进度"})
    decide(db.session, survey, "user:eva", "hide", 1, {"key": "拨付不及时"})
    db.session.commit()
    reply = client.get(PATH.format(survey_id=survey.id), headers=headers, query_string={"examples": "all"})
    check(reply, PATH)
    first = reply.json["themes"][0]
    assert (first["name"], first["count"], reply.json["hidden"], reply.json["edited"]) == ("资金拨付进度", 2, 1, True)
    assert [e["text"] for e in first["examples"]] == ["资金拨付太慢"]
    bad = client.get(PATH.format(survey_id=survey.id), headers=headers, query_string={"examples": "99"})
    check(bad, PATH)
    assert bad.status_code == 400

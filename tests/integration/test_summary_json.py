"""The summary's JSON is a contract: ``to_json()`` and the API must keep producing the stored fixture.

``tests/fixtures/summary/industrial_fund.json`` was written from the summary code *before*
the summary became typed; a change in any number, key or sentence shows up here.  The
survey is fixed: the industrial bank, three units (two counties, two categories, one group
attribute) and eight responses — valid, flagged, excluded and one without a unit — with
statistics on, under both aggregation levels.

Normalised before comparing (they differ between runs and databases, not between code
versions): the survey id, unit ids (replaced by ``"unit:<name>"``) and the fingerprint
(it hashes response ids; it is checked to be a SHA-256 hex digest instead).  To rewrite
the fixture after an intended change: ``SUMMARY_FIXTURE_WRITE=1 pytest tests/integration/test_summary_json.py``.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from fixed_summary import fixed_survey, normalise

from survey_app.extensions import db
from survey_app.services.settings import update_settings
from survey_app.services.summary import build_summary

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "summary" / "industrial_fund.json"


def current_json(survey) -> dict:
    """Both aggregation levels of the fixed survey, normalised."""
    names = {u.id: u.name for u in survey.units}
    result = {"respondent": normalise(summary_json(survey), names)}
    update_settings(db.session, survey, {"scoring": {"aggregation": "unit"}}, "test")
    db.session.commit()
    result["unit"] = normalise(summary_json(survey), names)
    update_settings(db.session, survey, {"scoring": {"aggregation": "respondent"}}, "test")
    db.session.commit()
    return result


def summary_json(survey) -> dict:
    return build_summary(db.session, survey).to_json()


@pytest.fixture
def survey(ctx, industrial):
    return fixed_survey(industrial)


def test_to_json_matches_the_stored_fixture(survey):
    got = current_json(survey)
    if os.environ.get("SUMMARY_FIXTURE_WRITE"):
        FIXTURE.write_text(json.dumps(got, ensure_ascii=False, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    assert got == json.loads(FIXTURE.read_text(encoding="utf-8"))


def test_api_summary_matches_the_stored_fixture(survey, client):
    from support import make_user

    from survey_app.services.api_tokens import create_token

    _, token = create_token(db.session, make_user("api-reader", "admin"), "汇总", "test")
    db.session.commit()
    reply = client.get(f"/api/v1/surveys/{survey.id}/summary", headers={"Authorization": f"Bearer {token}"})
    assert reply.status_code == 200
    names = {u.id: u.name for u in survey.units}
    want = json.loads(FIXTURE.read_text(encoding="utf-8"))["respondent"]
    assert normalise(reply.json, names) == want

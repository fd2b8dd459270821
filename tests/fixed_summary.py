"""The fixed survey behind the summary fixtures (tests/fixtures/summary/), and how its JSON is normalised."""

from __future__ import annotations

import json
import re
from datetime import datetime, timedelta

from support import make_survey

from survey_app.domain.answers import Answer as Checked
from survey_app.extensions import db
from survey_app.services.responses import SubmissionMeta, store_response

#: Submission times of the fixed survey's responses start here (naive UTC), one minute apart.
FIRST_SUBMITTED = datetime(2025, 3, 1, 1, 30)


def _respond(survey, unit, minute: int, scored: str, *, status: str = "valid", overrides=None, info=None):
    answers = {q.id: Checked(q.id, option_keys=((overrides or {}).get(q.id, scored),))
               for q in survey.questionnaire.scored_questions}
    for question_id, keys in (info or {}).items():
        answers[question_id] = Checked(question_id, option_keys=tuple(keys))
    meta = SubmissionMeta(submitted_at=FIRST_SUBMITTED + timedelta(minutes=minute), source="paper")
    response = store_response(db.session, survey, unit, answers, meta)
    response.status = status
    db.session.flush()


def fixed_survey(industrial):
    """The fixture's survey (call inside an app context; commits)."""
    survey = make_survey(industrial, units=("甲公司", "乙公司", "丙公司"), indicator_code="D41",
                         indicator_name="奖补对象满意度", indicator_weight=6.0, project_name="2024年度工业专项资金")
    jia, yi, bing = survey.units
    yi.county = bing.county = "泽州县"
    bing.category = "合作社"
    jia.attributes, yi.attributes, bing.attributes = {"专项": "技改"}, {"专项": "研发"}, {"专项": "技改"}
    jia.min_valid = 3
    for minute, key in enumerate(("A", "A", "B")):
        _respond(survey, jia, minute, key, info={"I1": ["1"], "I2": ["2"], "I3": ["1", "3"]})
    _respond(survey, jia, 3, "A", overrides={"Q3": "C", "Q9": "D"}, info={"I1": ["3"], "I3": ["2"]})
    _respond(survey, yi, 4, "C", overrides={"Q1": "B"})
    _respond(survey, yi, 5, "D", status="flagged", overrides={"Q10": "A"})
    _respond(survey, bing, 6, "A", status="excluded")
    _respond(survey, None, 7, "B", overrides={"Q5": "A"})
    db.session.commit()
    return survey


def normalise(data: dict, names: dict[int, str]) -> dict:
    """Replace what differs between runs and databases in a summary's JSON.

    The survey id, unit ids (by ``"unit:<name>"``) and the fingerprint, which hashes
    response ids (checked to be a SHA-256 hex digest, then replaced).
    """
    data = json.loads(json.dumps(data))

    def unit(value):
        return f"unit:{names[value]}" if value in names else value

    assert re.fullmatch(r"[0-9a-f]{64}", data["fingerprint"])
    data["fingerprint"] = "<sha256>"
    data["survey"]["id"] = "<survey id>"
    if data["filter"]["unit_ids"] is not None:
        data["filter"]["unit_ids"] = [unit(u) for u in data["filter"]["unit_ids"]]
    for key, groups in data["breakdowns"].items():
        for group in groups:
            group["units"] = [unit(u) for u in group["units"]]
            if key == "unit":
                group["group"] = unit(group["group"])
    for row in data["coverage"]["units"]:
        row["unit"] = unit(row["unit"])
    data["coverage"]["units_short"] = [unit(u) for u in data["coverage"]["units_short"]]
    notes = data.get("unit_level_notes")
    if notes:
        notes["units_without_answers"] = [unit(u) for u in notes["units_without_answers"]]
    return data

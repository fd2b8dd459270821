"""Is this submission the same answer again?  (Back button, a second tab, an unsure respondent.)

A respondent who is not sure their answer arrived submits it again; each copy would count
towards the unit's minimum.  Identical answers for the same unit from the same device (hashed
address and browser, as screening's ``device_key``) within the duplicate window are therefore
not stored a second time.  A form started from "为本单位其他人员再填写一份" skips this check:
colleagues sharing a phone often give the very same answers.
"""

from __future__ import annotations

from collections import Counter
from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.orm import Session

from ..domain.answers import Answer as CheckedAnswer
from ..models import Answer, Response, Survey, Unit
from .responses import answer_rows
from .settings import survey_settings

#: Candidates compared at most: a flood from one address must not make each POST slower.
MAX_CANDIDATES = 20


def _fingerprint(rows) -> Counter:
    return Counter((r.question_id, r.option_key, r.text_value, r.number_value) for r in rows)


def identical_recent(session: Session, survey: Survey, unit: Unit | None, unit_name_given: str | None,
                     answers: dict[str, CheckedAnswer], ip_hash: str | None, user_agent: str | None,
                     now: datetime) -> Response | None:
    """Return a response from this device with exactly these answers for this unit, if recent."""
    if not ip_hash:
        return None
    window = timedelta(minutes=float(survey_settings(survey).validity.duplicate_device.window_minutes))
    candidates = list(session.scalars(
        sa.select(Response).where(
            Response.survey_id == survey.id,
            Response.ip_hash == ip_hash,
            Response.user_agent == ((user_agent or "")[:400] or None),
            Response.unit_id == unit.id if unit else Response.unit_id.is_(None),
            Response.submitted_at >= now - window,
        ).order_by(Response.submitted_at.desc()).limit(MAX_CANDIDATES)
    ))
    if not candidates:
        return None
    wanted = _fingerprint(row for a in answers.values() for row in answer_rows(survey.id, None, a))
    stored: dict[int, list[Answer]] = {c.id: [] for c in candidates}
    for row in session.scalars(sa.select(Answer).where(Answer.response_id.in_(stored))):
        stored[row.response_id].append(row)
    for candidate in candidates:
        if candidate.unit_name_given == unit_name_given and _fingerprint(stored[candidate.id]) == wanted:
            return candidate
    return None

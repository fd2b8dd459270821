"""Validity screening of stored responses (rules: docs/scoring.md, domain: scoring.validity).

Screening runs when a response arrives (``screen_new``: the new response against the
same device's recent ones) and over a whole survey when its validity rules change
(``screen_survey``).  Either way the response's ``flags`` and ``status`` are set from
the domain result, with an evaluator's decision overriding the automatic status.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from datetime import timedelta

import sqlalchemy as sa
from sqlalchemy.orm import Session

from ..domain.scoring import ResponseRecord, ValidityRules, screen
from ..domain.vocabulary import FlagAction
from ..models import Answer, Response, Survey
from .settings import survey_settings

#: Same-device responses compared with a new one.  Bounded so that a flood from one
#: device (or one NAT address with one browser build) cannot make each POST slower;
#: ``screen_survey`` still compares everything when run over the whole survey.
MAX_NEIGHBOURS = 50


def device_key(response: Response) -> str | None:
    """Identify a device by its hashed address and its user agent (nothing reversible)."""
    if not response.ip_hash:
        return None
    return hashlib.sha256(f"{response.ip_hash}|{response.user_agent or ''}".encode()).hexdigest()


def _records(session: Session, survey: Survey, responses: list[Response]) -> list[ResponseRecord]:
    scored = [q.id for q in survey.questionnaire.scored_questions]
    answers: dict[int, dict[str, str]] = defaultdict(dict)
    ids = [r.id for r in responses]
    for chunk in range(0, len(ids), 5000):
        rows = session.execute(
            sa.select(Answer.response_id, Answer.question_id, Answer.option_key).where(
                Answer.response_id.in_(ids[chunk:chunk + 5000]), Answer.question_id.in_(scored)
            )
        )
        for response_id, question_id, option_key in rows:
            answers[response_id][question_id] = option_key
    return [
        ResponseRecord(
            id=r.id,
            unit=r.unit_id,
            duration_seconds=r.duration_seconds,
            submitted_at=r.submitted_at,
            device=device_key(r),
            answers=answers.get(r.id, {}),
            in_frame=r.unit_id is not None,
            another_person=bool(r.another_person),
        )
        for r in responses
    ]


def _apply(responses: list[Response], records, rules: ValidityRules, only: set[int] | None = None) -> None:
    decisions = {r.id: r.decision for r in responses if r.decision}
    by_id = {r.id: r for r in responses}
    for result in screen(records, rules, decisions):
        if only is not None and result.response_id not in only:
            continue
        response = by_id[result.response_id]
        response.flags = [flag.to_dict() for flag in result.flags]
        response.status = result.status
        if response.decision:
            response.status_reason = response.decision_reason
        else:
            # Notes stay on the response (its flags) but are no reason for its status.
            reasons = [flag.reason_zh for flag in result.flags if flag.action != FlagAction.NOTE]
            response.status_reason = "；".join(reasons) or None


def screen_new(session: Session, survey: Survey, response: Response) -> None:
    """Screen a just-stored response against the same device's responses in the window; flush."""
    rules = survey_settings(survey).validity
    window = timedelta(minutes=float(rules.duplicate_device.window_minutes))
    neighbours: list[Response] = []
    if response.ip_hash:
        neighbours = list(session.scalars(
            sa.select(Response).where(
                Response.survey_id == survey.id,
                Response.ip_hash == response.ip_hash,
                Response.user_agent == response.user_agent,
                Response.id != response.id,
                Response.submitted_at >= response.submitted_at - window,
                Response.submitted_at <= response.submitted_at,
            ).order_by(Response.submitted_at, Response.id)
        ))
    batch = [*neighbours[-MAX_NEIGHBOURS:], response]
    _apply(batch, _records(session, survey, batch), rules, only={response.id})
    session.flush()


def screen_survey(session: Session, survey: Survey) -> dict[str, int]:
    """Re-screen every response of a survey (after its rules changed); flush; return status counts."""
    rules = survey_settings(survey).validity
    responses = list(session.scalars(
        sa.select(Response).where(Response.survey_id == survey.id).order_by(Response.submitted_at, Response.id)
    ))
    _apply(responses, _records(session, survey, responses), rules)
    session.flush()
    totals: dict[str, int] = defaultdict(int)
    for response in responses:
        totals[response.status] += 1
    return dict(totals)

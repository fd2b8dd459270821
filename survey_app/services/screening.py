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
    return _device(response.ip_hash, response.user_agent)


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
    """Re-screen every response of a survey (after its rules changed, or an import); flush; return status counts.

    Works on plain rows, not ORM objects: a survey of 10⁵ imported responses would otherwise
    hold 10⁵ ``Response`` objects and a dict of answers each (~300 MB); only the responses
    whose status, flags or reason change are written back, by one executemany UPDATE.
    """
    rules = survey_settings(survey).validity
    session.flush()
    table = Response.__table__
    rows = session.execute(
        sa.select(table.c.id, table.c.unit_id, table.c.duration_seconds, table.c.submitted_at, table.c.ip_hash,
                  table.c.user_agent, table.c.decision, table.c.decision_reason, table.c.status, table.c.flags,
                  table.c.status_reason)
        .where(table.c.survey_id == survey.id).order_by(table.c.submitted_at, table.c.id)
    ).all()
    answers = _scored_answers(session, survey)
    records = [
        ResponseRecord(id=r.id, unit=r.unit_id, duration_seconds=r.duration_seconds, submitted_at=r.submitted_at,
                       device=_device(r.ip_hash, r.user_agent), answers=answers.pop(r.id, {}),
                       in_frame=r.unit_id is not None)
        for r in rows
    ]
    results = screen(records, rules, {r.id: r.decision for r in rows if r.decision})
    del records
    totals: dict[str, int] = defaultdict(int)
    changed = []
    for row, result in zip(rows, results, strict=True):
        flags = [flag.to_dict() for flag in result.flags]
        reason = row.decision_reason if row.decision else ("；".join(f.reason_zh for f in result.flags) or None)
        totals[result.status] += 1
        if (result.status, flags, reason) != (row.status, row.flags or [], row.status_reason):
            changed.append({"b_id": row.id, "b_status": result.status, "b_flags": flags, "b_reason": reason})
    if changed:
        session.execute(
            sa.update(table).where(table.c.id == sa.bindparam("b_id")).values(
                status=sa.bindparam("b_status"), flags=sa.bindparam("b_flags", type_=table.c.flags.type),
                status_reason=sa.bindparam("b_reason")),
            changed, execution_options={"synchronize_session": False})
        for obj in list(session.identity_map.values()):
            if isinstance(obj, Response):
                session.expire(obj, ["status", "flags", "status_reason"])
    return dict(totals)


def _device(ip_hash: str | None, user_agent: str | None) -> str | None:
    if not ip_hash:
        return None
    return hashlib.sha256(f"{ip_hash}|{user_agent or ''}".encode()).hexdigest()


def _scored_answers(session: Session, survey: Survey) -> dict[int, dict[str, str]]:
    """Scored answers of every response of the survey; repeated texts shared (10⁶ rows, few distinct)."""
    scored = [q.id for q in survey.questionnaire.scored_questions]
    answers: dict[int, dict[str, str]] = defaultdict(dict)
    shared: dict[str, str] = {}
    if not scored:
        return answers
    rows = session.execute(sa.select(Answer.response_id, Answer.question_id, Answer.option_key).where(
        Answer.survey_id == survey.id, Answer.question_id.in_(scored)).execution_options(yield_per=20000))
    for response_id, question_id, option_key in rows:
        answers[response_id][shared.setdefault(question_id, question_id)] = (
            shared.setdefault(option_key, option_key) if option_key is not None else None)
    return answers

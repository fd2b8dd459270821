"""Validity screening of stored responses (rules: docs/scoring.md, domain: scoring.validity).

Screening runs when a response arrives (``arrival.screen_arrival`` before the answering
page inserts it, ``screen_new`` for one already stored: the response against the same
device's recent ones) and over a whole survey when its validity rules change
(``screen_survey``).  Either way the response's ``flags`` and ``status`` are set from
the domain result, with an evaluator's decision overriding the automatic status.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import timedelta

import sqlalchemy as sa
from sqlalchemy.orm import Session

from ..domain.scoring import ResponseRecord, screen
from ..domain.vocabulary import FlagAction
from ..models import Answer, Response, Survey
from .arrival import device_neighbours, device_of, screen_arrival
from .settings import validity_rules


def screen_new(session: Session, survey: Survey, response: Response) -> None:
    """Screen a stored response against the same device's responses in the window; flush.

    For a response already in the database (paper entry, a changed decision); the answering
    page screens before it inserts (``arrival.screen_arrival``, the same rules and records).
    """
    session.flush()
    rules = validity_rules(survey)
    window = timedelta(minutes=float(rules.duplicate_device.window_minutes))
    neighbours = device_neighbours(session, survey.id, response.ip_hash, response.user_agent,
                                   response.submitted_at, window, exclude=response.id)
    columns = Answer.__table__.c
    rows = [tuple(row) for row in session.execute(
        sa.select(columns.question_id, columns.option_key, columns.text_value, columns.number_value)
        .where(columns.response_id == response.id))]
    screened = screen_arrival(
        survey, rules, neighbours, unit_id=response.unit_id, duration_seconds=response.duration_seconds,
        submitted_at=response.submitted_at, device=device_of(response.ip_hash, response.user_agent), rows=rows,
        another_person=bool(response.another_person), decision=response.decision,
        decision_reason=response.decision_reason, record_id=response.id)
    response.status, response.flags, response.status_reason = screened.status, screened.flags, screened.reason
    session.flush()


def screen_survey(session: Session, survey: Survey) -> dict[str, int]:
    """Re-screen every response of a survey (after its rules changed, or an import); flush; return status counts.

    Works on plain rows, not ORM objects: a survey of 10⁵ imported responses would otherwise
    hold 10⁵ ``Response`` objects and a dict of answers each (~300 MB); only the responses
    whose status, flags or reason change are written back, by one executemany UPDATE.
    """
    rules = validity_rules(survey)
    session.flush()
    table = Response.__table__
    rows = session.execute(
        sa.select(table.c.id, table.c.unit_id, table.c.duration_seconds, table.c.submitted_at, table.c.ip_hash,
                  table.c.user_agent, table.c.decision, table.c.decision_reason, table.c.status, table.c.flags,
                  table.c.status_reason, table.c.another_person)
        .where(table.c.survey_id == survey.id).order_by(table.c.submitted_at, table.c.id)
    ).all()
    answers = _scored_answers(session, survey)
    records = [
        ResponseRecord(id=r.id, unit=r.unit_id, duration_seconds=r.duration_seconds, submitted_at=r.submitted_at,
                       device=device_of(r.ip_hash, r.user_agent), answers=answers.pop(r.id, {}),
                       in_frame=r.unit_id is not None, another_person=bool(r.another_person))
        for r in rows
    ]
    results = screen(records, rules, {r.id: r.decision for r in rows if r.decision})
    del records
    totals: dict[str, int] = defaultdict(int)
    changed = []
    for row, result in zip(rows, results, strict=True):
        flags = [flag.to_dict() for flag in result.flags]
        # As on arrival: notes stay on the response (its flags) but are no reason for its status.
        reason = row.decision_reason if row.decision else (
            "；".join(f.reason_zh for f in result.flags if f.action != FlagAction.NOTE) or None)
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

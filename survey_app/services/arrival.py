"""What the server looks up when a respondent's answers arrive: the device's recent answers.

Two rules compare a new submission with the same device's earlier ones in the duplicate
window: counted-once answering (the very same answers again are not stored a second time,
``identical_neighbour``) and validity screening (a same-device duplicate is flagged, ``screening``).
Both used to query the same rows separately, and screening then updated the row just
inserted.  Here the neighbours are read once, as plain rows, before anything is written, so a
submission is: look up the nonce, read the neighbours, insert the screened response with its
answers, commit.  The status the response is inserted with is exactly what ``screen_new``
would set afterwards (the same domain function over the same records).
"""

from __future__ import annotations

import hashlib
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from ..domain.answers import Answer as CheckedAnswer
from ..domain.scoring import ResponseRecord, ValidityRules, screen
from ..domain.vocabulary import FlagAction
from ..models import Answer, Response, Survey

#: Same-device responses read at most: a flood from one address (or one office NAT with one
#: browser build) must not make each POST slower.  Screening over the whole survey
#: (``screen_survey``) still compares everything.
MAX_NEIGHBOURS = 50

#: Stands for the response not yet inserted among the screened records.
ARRIVING = "arriving"

#: (question id, option key, text, number) of every stored answer row.
AnswerRow = tuple[str, str | None, str | None, float | None]


@dataclass(frozen=True)
class Neighbour:
    """An earlier response from the same device in the window, with its answer rows."""

    id: int
    unit_id: int | None
    unit_name_given: str | None
    duration_seconds: int | None
    submitted_at: datetime
    another_person: bool
    decision: str | None
    rows: tuple[AnswerRow, ...] = field(default=())


@dataclass(frozen=True)
class Screened:
    """Screening's verdict on an arriving response, ready to be stored with it."""

    status: str
    flags: list[dict[str, str]]
    reason: str | None


def device_of(ip_hash: str | None, user_agent: str | None) -> str | None:
    """Identify a device by its hashed address and its stored user agent (nothing reversible)."""
    if not ip_hash:
        return None
    return hashlib.sha256(f"{ip_hash}|{user_agent or ''}".encode()).hexdigest()


def stored_user_agent(user_agent: str | None) -> str | None:
    """The user agent as ``responses.user_agent`` holds it (400 characters, empty → NULL)."""
    return (user_agent or "")[:400] or None


def device_neighbours(session: Session, survey_id: int, ip_hash: str | None, user_agent: str | None,
                      now: datetime, window: timedelta, exclude: int | None = None) -> list[Neighbour]:
    """The device's (hashed address + browser) latest responses in the window, oldest first.

    Two queries at most, through ``ix_responses_survey_device``; none without an address
    (paper entry, imports): there is no device to compare.
    """
    if not ip_hash:
        return []
    table = Response.__table__
    rows = session.execute(
        sa.select(table.c.id, table.c.unit_id, table.c.unit_name_given, table.c.duration_seconds,
                  table.c.submitted_at, table.c.another_person, table.c.decision)
        .where(table.c.survey_id == survey_id, table.c.ip_hash == ip_hash,
               table.c.user_agent == stored_user_agent(user_agent),
               table.c.submitted_at >= now - window, table.c.submitted_at <= now,
               *([table.c.id != exclude] if exclude is not None else []))
        .order_by(table.c.submitted_at.desc(), table.c.id.desc()).limit(MAX_NEIGHBOURS)
    ).all()
    if not rows:
        return []
    answers: dict[int, list[AnswerRow]] = defaultdict(list)
    columns = Answer.__table__.c
    for response_id, *row in session.execute(
            sa.select(columns.response_id, columns.question_id, columns.option_key, columns.text_value,
                      columns.number_value).where(columns.response_id.in_([r.id for r in rows]))):
        answers[response_id].append(tuple(row))
    return [Neighbour(r.id, r.unit_id, r.unit_name_given, r.duration_seconds, r.submitted_at,
                      bool(r.another_person), r.decision, tuple(answers.get(r.id, ())))
            for r in reversed(rows)]


def answer_rows(answers: Iterable[CheckedAnswer]) -> list[AnswerRow]:
    """The rows checked answers are stored as: one per chosen option, one per text or number."""
    rows: list[AnswerRow] = []
    for answer in answers:
        if answer.option_keys:
            rows.extend((answer.question_id, key, None, None) for key in answer.option_keys)
        else:
            rows.append((answer.question_id, None, answer.text, answer.number))
    return rows


def identical_neighbour(neighbours: list[Neighbour], unit_id: int | None, unit_name_given: str | None,
                        answers: Mapping[str, CheckedAnswer]) -> Neighbour | None:
    """The latest neighbour for the same unit with exactly these answers, if any."""
    wanted = Counter(answer_rows(answers.values()))
    for neighbour in reversed(neighbours):
        if (neighbour.unit_id == unit_id and neighbour.unit_name_given == unit_name_given
                and Counter(neighbour.rows) == wanted):
            return neighbour
    return None


def scored_answers(rows: Iterable[AnswerRow], scored: set[str]) -> dict[str, str | None]:
    """Question → option key of the scored items, as screening's records hold them."""
    return {question_id: option_key for question_id, option_key, _, _ in rows if question_id in scored}


def screen_arrival(survey: Survey, rules: ValidityRules, neighbours: list[Neighbour], *, unit_id: int | None,
                   duration_seconds: int | None, submitted_at: datetime, device: str | None,
                   rows: list[AnswerRow], another_person: bool, decision: str | None = None,
                   decision_reason: str | None = None, record_id: Any = ARRIVING) -> Screened:
    """Screen one response against its device's neighbours (the rules of ``domain.scoring.validity``).

    ``decision``: an evaluator's decision on this response, which sets its status; its reason
    then is the decision's, as everywhere else.
    """
    scored = {q.id for q in survey.questionnaire.scored_questions}
    records = [ResponseRecord(id=n.id, unit=n.unit_id, duration_seconds=n.duration_seconds,
                              submitted_at=n.submitted_at, device=device,
                              answers=scored_answers(n.rows, scored), in_frame=n.unit_id is not None,
                              another_person=n.another_person)
               for n in neighbours]
    records.append(ResponseRecord(id=record_id, unit=unit_id, duration_seconds=duration_seconds,
                                  submitted_at=submitted_at, device=device, answers=scored_answers(rows, scored),
                                  in_frame=unit_id is not None, another_person=another_person))
    decisions = {n.id: n.decision for n in neighbours if n.decision}
    if decision:
        decisions[record_id] = decision
    result = screen(records, rules, decisions)[-1]
    if decision:
        reason = decision_reason
    else:
        # Notes stay on the response (its flags) but are no reason for its status.
        reason = "；".join(f.reason_zh for f in result.flags if f.action != FlagAction.NOTE) or None
    return Screened(result.status, [flag.to_dict() for flag in result.flags], reason)

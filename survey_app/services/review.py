"""Response review: the filtered list, evaluator decisions (exclude / restore) and paper entry.

The list is built for surveys with 10⁵ responses: one ``GROUP BY status`` for the counts
and one page of rows (``ORDER BY submitted_at DESC, id DESC`` on the
``(survey_id, submitted_at)`` index with LIMIT/OFFSET); answers are never loaded for it.

A decision is stored on the response (``decision``, ``decision_reason``) and the response
is re-screened, so its flags stay visible and ``screen_survey`` keeps the decision when
the rules change later (docs/scoring.md §6).  Like every service here, nothing commits.
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from ..domain import question_types
from ..domain.answers import Answer as CheckedAnswer
from ..domain.answers import check_answers, clean_text, visible_questions
from ..domain.questionnaire import Question
from ..domain.vocabulary import (
    ALL_STATUSES,
    BEIJING,
    AnswerProblem,
    ResponseStatus,
    Source,
    SurveyState,
)
from ..models import Answer, AuditEvent, Response, Survey, Unit
from ..models._types import utcnow
from ..texts_zh.report import question_heading
from . import audit
from .responses import SubmissionMeta, store_response
from .screening import screen_new

PAGE_SIZE = 50
#: Unit filter value for answers whose unit is not on the list (open link, "other").
NO_UNIT = "none"
REASON_MAX_LENGTH = 500
DECISION_ACTIONS = {ResponseStatus.EXCLUDED: "response.exclude", ResponseStatus.VALID: "response.restore"}
#: Error key for "no unit chosen" in ``PaperOutcome.errors`` (question ids never start with "_").
UNIT_KEY = "_unit"


class ReviewError(ValueError):
    """A refused review action; ``code`` says which (the view picks the Chinese message)."""

    def __init__(self, code: str):
        super().__init__(code)
        self.code = code


@dataclass(frozen=True)
class ReviewFilter:
    """What the list shows; dates are Beijing calendar days, both ends included."""

    unit: int | str | None = None  # a unit id, or NO_UNIT
    status: str | None = None
    flag: str | None = None
    source: str | None = None
    date_from: date | None = None
    date_to: date | None = None

    def where(self, survey_id: int, dialect: str, *, with_status: bool = True) -> list[sa.ColumnElement[bool]]:
        """SQL conditions on ``Response``; ``with_status=False`` for the per-status counts."""
        conditions = [Response.survey_id == survey_id]
        if self.unit == NO_UNIT:
            conditions.append(Response.unit_id.is_(None))
        elif self.unit is not None:
            conditions.append(Response.unit_id == self.unit)
        if with_status and self.status:
            conditions.append(Response.status == self.status)
        if self.source:
            conditions.append(Response.source == self.source)
        if self.flag:
            # Valid responses may carry notes (e.g. straight-lining), so every row is unnested.
            conditions.append(has_flag(self.flag, dialect))
        if self.date_from:
            conditions.append(Response.submitted_at >= datetime.combine(self.date_from, time()) - BEIJING)
        if self.date_to:
            end = datetime.combine(self.date_to + timedelta(days=1), time()) - BEIJING
            conditions.append(Response.submitted_at < end)
        return conditions


def has_flag(code: str, dialect: str) -> sa.ColumnElement[bool]:
    """``EXISTS`` over the JSON flags array: SQLite ``json_each``, PostgreSQL ``json_array_elements``.

    Matching the serialised text with LIKE would depend on how the JSON was written;
    unnesting reads the stored structure on both databases.
    """
    if dialect == "postgresql":
        elements = sa.func.json_array_elements(Response.flags).table_valued("value").alias("flag")
        code_of = elements.c.value.op("->>")("code")
    else:
        elements = sa.func.json_each(Response.flags).table_valued("value").alias("flag")
        code_of = sa.func.json_extract(elements.c.value, "$.code")
    return sa.exists(sa.select(sa.literal(1)).select_from(elements).where(code_of == code))


@dataclass
class ResponsePage:
    """One page of the list, with counts per status under the other filters."""

    rows: list[tuple[Response, str | None]]  # (response, unit name or None)
    total: int
    page: int
    pages: int
    status_counts: dict[str, int] = field(default_factory=dict)


def list_responses(session: Session, survey: Survey, filters: ReviewFilter, page: int = 1) -> ResponsePage:
    """Return page ``page`` (1-based, clamped) of the filtered responses, newest first."""
    dialect = session.get_bind().dialect.name
    counts = dict.fromkeys(ALL_STATUSES, 0)
    for status, n in session.execute(
        sa.select(Response.status, sa.func.count()).where(*filters.where(survey.id, dialect, with_status=False))
        .group_by(Response.status)
    ):
        counts[status] = n
    total = counts.get(filters.status, 0) if filters.status else sum(counts.values())
    pages = max(1, math.ceil(total / PAGE_SIZE))
    page = min(max(1, page), pages)
    rows = session.execute(
        sa.select(Response, Unit.name).outerjoin(Unit, Unit.id == Response.unit_id)
        .where(*filters.where(survey.id, dialect))
        .order_by(Response.submitted_at.desc(), Response.id.desc())
        .limit(PAGE_SIZE).offset((page - 1) * PAGE_SIZE)
    ).all()
    return ResponsePage([(r, name) for r, name in rows], total, page, pages, counts)


def get_response(session: Session, survey: Survey, response_id: int) -> Response | None:
    """Return the response only if it belongs to ``survey`` (ids must not cross surveys)."""
    response = session.get(Response, response_id)
    return response if response is not None and response.survey_id == survey.id else None


def answer_sheet(session: Session, survey: Survey, response: Response) -> list[dict[str, Any]]:
    """Return the answers in questionnaire order: question, its number, shown values, follow-up or not.

    Follow-ups appear only when they applied to this respondent; unanswered optional
    questions appear with no values, so the reader sees they were skipped.
    """
    rows = session.scalars(sa.select(Answer).where(Answer.response_id == response.id).order_by(Answer.id))
    by_question: dict[str, list[Answer]] = defaultdict(list)
    for row in rows:
        by_question[row.question_id].append(row)
    questionnaire = survey.questionnaire
    checked = {qid: CheckedAnswer(qid, option_keys=tuple(a.option_key for a in answers if a.option_key))
               for qid, answers in by_question.items()}
    numbers = questionnaire.numbers()
    sheet = []
    for question in visible_questions(questionnaire, checked):
        number = numbers.get(question.id)
        sheet.append({"question": question, "number": number,
                      "heading": question_heading(number, question.text),
                      "values": _shown(question, by_question.get(question.id, []))})
    return sheet


def _shown(question: Question, rows: list[Answer]) -> list[str]:
    if question_types.is_choice(question):
        order = {o.key: i for i, o in enumerate(question.options)}
        keys = sorted((r.option_key for r in rows if r.option_key), key=lambda k: order.get(k, len(order)))
        return [question.option(k).label if question.option(k) else k for k in keys]
    if question_types.of(question).raw_kind == "number":
        return [f"{r.number_value:g}" for r in rows if r.number_value is not None]
    return [r.text_value for r in rows if r.text_value]


def decision_events(session: Session, survey: Survey, response: Response) -> list[AuditEvent]:
    """Return the audit events about this response (entry, exclusions, restores), newest first."""
    return list(session.scalars(
        sa.select(AuditEvent).where(
            AuditEvent.survey_id == survey.id,
            AuditEvent.action.in_(("response.exclude", "response.restore", "response.automatic", "response.paper")),
            AuditEvent.after["response_id"].as_integer() == response.id,
        ).order_by(AuditEvent.created_at.desc(), AuditEvent.id.desc())
    ))


def exclude(session: Session, survey: Survey, response: Response, reason: str, actor: str) -> bool:
    """Exclude a response by the evaluator's decision; flush; return whether anything changed.

    :raises ReviewError: ``reason_required`` / ``reason_too_long``.
    """
    return _decide(session, survey, response, ResponseStatus.EXCLUDED, reason, actor)


def restore(session: Session, survey: Survey, response: Response, reason: str, actor: str) -> bool:
    """Count a response again (decision "valid"), also one that an ``exclude`` rule left out.

    A decision rather than clearing the old one: clearing would leave a response excluded
    by an automatic rule excluded, and the evaluator's confirmation would be lost.
    :raises ReviewError: ``reason_required`` / ``reason_too_long``.
    """
    return _decide(session, survey, response, ResponseStatus.VALID, reason, actor)


def _decide(session: Session, survey: Survey, response: Response, decision: str, reason: str, actor: str) -> bool:
    reason = clean_text(reason or "")
    if not reason:
        raise ReviewError("reason_required")
    if len(reason) > REASON_MAX_LENGTH:
        raise ReviewError("reason_too_long")
    if response.decision == decision and response.decision_reason == reason:
        return False  # a resent form: nothing to record twice
    before = _state(response)
    response.decision, response.decision_reason = decision, reason
    screen_new(session, survey, response)  # status from the flags, overridden by the decision
    audit.record(session, survey, actor, DECISION_ACTIONS[decision], before, _state(response))
    session.flush()
    return True


def _state(response: Response) -> dict[str, Any]:
    return {"response_id": response.id, "status": response.status, "decision": response.decision,
            "reason": response.decision_reason}


@dataclass
class PaperOutcome:
    """The stored response, or the problems per question id (codes from ``domain.answers``)."""

    response: Response | None
    errors: dict[str, str]


def paper_entry_allowed(survey: Survey) -> bool:
    """Paper answers are keyed in while the survey is open (also past its planned end date).

    Not in a draft (the questionnaire may still change) and not once closed: closing is the
    evaluator's statement that the sample is complete, and a closed survey cannot reopen.
    """
    return survey.status == SurveyState.OPEN


def enter_paper(session: Session, survey: Survey, unit: Unit | None, form_values: dict[str, list[str]],
                actor: str, now: datetime | None = None) -> PaperOutcome:
    """Validate a keyed-in paper questionnaire exactly like the web form; store, screen and audit it.

    ``unit`` None (not chosen) is reported as ``errors[UNIT_KEY] = "required"`` together
    with the answers' problems, so the evaluator sees everything to fix at once.  No nonce,
    no start time (so no duration), no device: only the answer-based rules apply.
    :raises ReviewError: ``not_open`` when entry is not allowed now, ``unit`` for a unit of
        another survey.
    """
    if not paper_entry_allowed(survey):
        raise ReviewError("not_open")
    if unit is not None and unit.survey_id != survey.id:
        raise ReviewError("unit")
    sheet = check_answers(survey.questionnaire, form_values)
    errors = dict(sheet.errors)
    if unit is None:
        errors = {UNIT_KEY: AnswerProblem.REQUIRED, **errors}
    if errors:
        return PaperOutcome(None, errors)
    meta = SubmissionMeta(submitted_at=now or utcnow(), source=Source.PAPER)
    response = store_response(session, survey, unit, sheet.answers, meta)
    screen_new(session, survey, response)
    audit.record(session, survey, actor, "response.paper", None,
                 {"response_id": response.id, "unit_id": unit.id, "unit": unit.name, "status": response.status})
    session.flush()
    return PaperOutcome(response, {})


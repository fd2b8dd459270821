"""Create surveys from banks and move them through draft → open → closed."""

from __future__ import annotations

import re
import secrets
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Session, joinedload

from ..domain.questionnaire import Questionnaire
from ..domain.vocabulary import SurveyState
from ..models import Survey, Unit
from ..models._types import utcnow
from ..texts_zh import bank_library as zh
from .audit import record


class SurveyStateError(ValueError):
    """The requested change is not allowed in the survey's current state."""


class NotReadyToOpen(SurveyStateError):
    """The draft's questionnaire cannot take answers yet; ``message_zh`` says why, for the evaluator."""

    def __init__(self, message_zh: str):
        super().__init__(message_zh)
        self.message_zh = message_zh


def create_survey(session: Session, questionnaire: Questionnaire, *, name: str, **context) -> Survey:
    """Add a draft survey holding a frozen copy of ``questionnaire``.

    :param context: evaluation context columns (project_name, department, eval_year,
        indicator_code, indicator_name, indicator_weight, default_min_valid, opens_at, closes_at).
    """
    survey = Survey(
        name=name,
        bank_id=questionnaire.id,
        questionnaire_json=questionnaire.to_dict(),
        questionnaire_hash=questionnaire.content_hash(),
        open_token=secrets.token_urlsafe(24),
        settings={},
        **context,
    )
    session.add(survey)
    session.flush()
    return survey


def open_survey(session: Session, survey: Survey, now: datetime | None = None, actor: str = "system") -> None:
    """Open a draft survey for answers; its questionnaire stays frozen from here on.

    :raises NotReadyToOpen: when the questionnaire has no scored item (e.g. started blank and
        not filled yet): every figure of the report is computed from scored items.
    :raises SurveyStateError: for a closed survey.
    """
    if survey.state is SurveyState.DRAFT and not survey.questionnaire.scored_questions:
        raise NotReadyToOpen(zh.NO_SCORED_ITEM)
    _move(session, survey, SurveyState.OPEN, actor)
    survey.opened_at = survey.opened_at or now or utcnow()
    session.flush()


def close_survey(session: Session, survey: Survey, now: datetime | None = None, actor: str = "system") -> None:
    """Stop accepting answers."""
    _move(session, survey, SurveyState.CLOSED, actor)
    survey.closed_at = survey.closed_at or now or utcnow()
    session.flush()


#: Audit action of each state change.
_ACTIONS = {SurveyState.OPEN: "survey.open", SurveyState.CLOSED: "survey.close"}


def _move(session: Session, survey: Survey, target: SurveyState, actor: str) -> None:
    """Change the survey's state along an allowed transition, audited; a repeat is a no-op.

    :raises SurveyStateError: when ``SurveyState.can_become`` forbids it (e.g. reopening).
    """
    if survey.state is target:  # a double click or a resent form changes nothing
        return
    if not survey.state.can_become(target):
        raise SurveyStateError(f"a {survey.status} survey cannot become {target}")
    record(session, survey, actor, _ACTIONS[target], {"status": survey.status}, {"status": str(target)})
    survey.status = target


#: Context fields an evaluator may edit at any time (they describe the evaluation, not the questions).
CONTEXT_FIELDS = ("name", "project_name", "department", "eval_year", "indicator_code", "indicator_name",
                  "indicator_weight", "default_min_valid", "opens_at", "closes_at")


def update_context(session: Session, survey: Survey, values: dict, actor: str) -> bool:
    """Change context fields, recording before/after of what changed; return whether anything did."""
    changed = {k: v for k, v in values.items() if k in CONTEXT_FIELDS and getattr(survey, k) != v}
    if not changed:
        return False
    before = {k: _plain(getattr(survey, k)) for k in changed}
    for key, value in changed.items():
        setattr(survey, key, value)
    record(session, survey, actor, "survey.context", before, {k: _plain(v) for k, v in changed.items()})
    session.flush()
    return True


def update_questionnaire(session: Session, survey: Survey, questionnaire: Questionnaire, actor: str) -> None:
    """Replace the frozen copy (texts, topics, intro) of a draft survey, audited; flush.

    :raises SurveyStateError: once the survey has been opened — answers refer to that copy.
    """
    if survey.state is not SurveyState.DRAFT:
        raise SurveyStateError("the questionnaire is frozen once the survey has been opened")
    before = {"questionnaire_hash": survey.questionnaire_hash}
    survey.questionnaire_json = questionnaire.to_dict()
    survey.questionnaire_hash = questionnaire.content_hash()
    record(session, survey, actor, "survey.questionnaire", before, {"questionnaire_hash": survey.questionnaire_hash})
    session.flush()


def _plain(value):
    return value.isoformat() if isinstance(value, datetime) else value


def get_survey(session: Session, ref: str) -> Survey | None:
    """Find a survey by numeric id or exact name (CLI convenience)."""
    if ref.isdigit():
        return session.get(Survey, int(ref))
    return session.scalars(sa.select(Survey).where(Survey.name == ref)).first()


#: What ``secrets.token_urlsafe`` produces (unit and open links), at most the column width.
_TOKEN = re.compile(r"[A-Za-z0-9_-]{1,64}")


def is_token(value: str) -> bool:
    """Say whether ``value`` could be a link token; anything else is never looked up."""
    return _TOKEN.fullmatch(value or "") is not None


def unit_by_token(session: Session, token: str) -> Unit | None:
    """Return the unit owning a link token, or None for unknown or revoked links."""
    if not is_token(token):
        return None
    # The survey comes in the same query: every use of a unit link needs it.
    return session.scalars(sa.select(Unit).options(joinedload(Unit.survey)).where(Unit.token == token)).first()


def survey_by_open_token(session: Session, token: str) -> Survey | None:
    """Return the survey whose open link has this token, or None."""
    if not is_token(token):
        return None
    return session.scalars(sa.select(Survey).where(Survey.open_token == token)).first()

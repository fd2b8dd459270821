"""Review at scale: one decision for many responses, "restore the automatic status", the next to review.

With hundreds of answers an evaluator decides for a selection, or for everything the list
currently shows (e.g. "存疑 + 答题用时过短"), with one reason.  Each response still gets
its own audit entry — the log and a response's history read the same as for a single
decision.  A decision sets the status directly (it overrides screening); dropping one reads
the automatic status back from the stored flags, which never depend on decisions, so no
response is screened again.  Like every service here, nothing commits.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from ..domain.answers import clean_text
from ..domain.scoring import automatic_status
from ..domain.vocabulary import FlagAction, ResponseStatus
from ..models import Response, Survey
from . import audit
from .review import REASON_MAX_LENGTH, ReviewError, ReviewFilter

#: The third choice beside the two decisions: forget the evaluator's decision.
AUTOMATIC = "automatic"
CHOICES = (ResponseStatus.EXCLUDED, ResponseStatus.VALID, AUTOMATIC)
ACTIONS = {ResponseStatus.EXCLUDED: "response.exclude", ResponseStatus.VALID: "response.restore",
           AUTOMATIC: "response.automatic"}
#: Most responses one request may decide (a whole survey's flagged share stays far below).
MAX_BULK = 20000


def checked_reason(reason: str | None) -> str:
    """:raises ReviewError: ``reason_required`` / ``reason_too_long``."""
    reason = clean_text(reason or "")
    if not reason:
        raise ReviewError("reason_required")
    if len(reason) > REASON_MAX_LENGTH:
        raise ReviewError("reason_too_long")
    return reason


def decide(session: Session, survey: Survey, response: Response, choice: str, reason: str, actor: str,
           *, bulk: int | None = None) -> bool:
    """Apply ``choice`` (a decision or ``AUTOMATIC``) to one response, audited; return whether it changed."""
    if choice not in CHOICES:
        raise ReviewError("choice")
    reason = checked_reason(reason)
    before = _state(response)
    if choice == AUTOMATIC:
        if response.decision is None:
            return False
        flags = response.flags or []
        response.decision = response.decision_reason = None
        response.status = automatic_status(flags)
        response.status_reason = "；".join(
            f.get("reason_zh", "") for f in flags if f.get("action") != FlagAction.NOTE) or None
    else:
        if response.decision == choice and response.decision_reason == reason:
            return False
        response.decision, response.decision_reason = choice, reason
        response.status, response.status_reason = choice, reason
    after = {**_state(response), "reason": reason}
    if bulk is not None:
        after["bulk"] = bulk
    audit.record(session, survey, actor, ACTIONS[choice], before, after)
    return True


def bulk_decide(session: Session, survey: Survey, responses: list[Response], choice: str, reason: str,
                actor: str) -> int:
    """Apply one choice with one reason to each response; flush; return how many changed."""
    reason = checked_reason(reason)
    if len(responses) > MAX_BULK:
        raise ReviewError("too_many")
    changed = sum(decide(session, survey, r, choice, reason, actor, bulk=len(responses)) for r in responses)
    session.flush()
    return changed


def selected(session: Session, survey: Survey, ids: list[int]) -> list[Response]:
    """The responses of this survey among ``ids`` (ids of other surveys are ignored)."""
    if not ids:
        return []
    return list(session.scalars(sa.select(Response).where(Response.survey_id == survey.id,
                                                          Response.id.in_(ids[:MAX_BULK + 1]))))


def matching(session: Session, survey: Survey, flt: ReviewFilter) -> list[Response]:
    """Every response the list shows under ``flt`` (all pages)."""
    dialect = session.get_bind().dialect.name
    return list(session.scalars(sa.select(Response).where(*flt.where(survey.id, dialect))
                                .order_by(Response.id).limit(MAX_BULK + 1)))


def next_to_review(session: Session, survey: Survey, flt: ReviewFilter, current: Response) -> Response | None:
    """The next flagged response after ``current`` in the list's order (newest first), wrapping round.

    The list's other filters (unit, rule, source, dates) are kept, so an evaluator working
    through "答题用时过短" stays on that rule.
    """
    dialect = session.get_bind().dialect.name
    where = replace(flt, status=ResponseStatus.FLAGGED).where(survey.id, dialect)
    order = (Response.submitted_at.desc(), Response.id.desc())
    after = sa.or_(Response.submitted_at < current.submitted_at,
                   sa.and_(Response.submitted_at == current.submitted_at, Response.id < current.id))
    found = session.scalars(sa.select(Response).where(*where, after).order_by(*order).limit(1)).first()
    if found is None:
        found = session.scalars(sa.select(Response).where(*where, Response.id != current.id)
                                .order_by(*order).limit(1)).first()
    return found


def _state(response: Response) -> dict[str, Any]:
    return {"response_id": response.id, "status": response.status, "decision": response.decision,
            "reason": response.decision_reason}

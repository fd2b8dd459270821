"""Store a response whole: the response row and all its answers in one flush."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Session

from ..domain.answers import Answer as CheckedAnswer
from ..domain.vocabulary import ResponseStatus, Source
from ..models import Answer, Response, Survey, Unit


@dataclass(frozen=True)
class SubmissionMeta:
    """Facts about how a response arrived, recorded for validity screening."""

    submitted_at: datetime
    started_at: datetime | None = None
    nonce: str | None = None
    user_agent: str | None = None
    ip_hash: str | None = None
    source: str = Source.WEB
    #: Started from "为本单位其他人员再填写一份": another person on a device that already answered.
    another_person: bool = False


def find_by_nonce(session: Session, nonce: str | None) -> Response | None:
    """Return the response already stored for a form nonce, if any."""
    if not nonce:
        return None
    return session.scalars(sa.select(Response).where(Response.nonce == nonce)).first()


def store_response(
    session: Session,
    survey: Survey,
    unit: Unit | None,
    answers: dict[str, CheckedAnswer],
    meta: SubmissionMeta,
    unit_name_given: str | None = None,
) -> Response:
    """Add a response with its answers and flush; the caller commits or rolls back.

    Duration is submitted − started in whole seconds, or None when the start is unknown
    (paper entry).  A nonce collision surfaces as IntegrityError at flush.
    """
    duration = None
    if meta.started_at is not None:
        duration = max(0, int((meta.submitted_at - meta.started_at).total_seconds()))
    response = Response(
        survey_id=survey.id,
        unit_id=unit.id if unit else None,
        unit_name_given=unit_name_given,
        started_at=meta.started_at,
        submitted_at=meta.submitted_at,
        duration_seconds=duration,
        user_agent=(meta.user_agent or "")[:400] or None,
        ip_hash=meta.ip_hash,
        source=meta.source,
        status=ResponseStatus.VALID,
        nonce=meta.nonce,
        another_person=meta.another_person,
    )
    response.answers = [row for answer in answers.values() for row in answer_rows(survey.id, response.unit_id, answer)]
    session.add(response)
    session.flush()
    return response


def answer_rows(survey_id: int, unit_id: int | None, answer: CheckedAnswer) -> list[Answer]:
    """One row per chosen option; one row for a text or number answer (unit copied from the response)."""
    common = {"survey_id": survey_id, "unit_id": unit_id, "question_id": answer.question_id}
    if answer.option_keys:
        return [Answer(**common, option_key=k) for k in answer.option_keys]
    return [Answer(**common, text_value=answer.text, number_value=answer.number)]

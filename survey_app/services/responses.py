"""Store a response whole: the response row and all its answers in one flush."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Session

from ..domain.answers import Answer as CheckedAnswer
from ..domain.vocabulary import ResponseStatus, Source
from ..models import Answer, Response, Survey, Unit
from .arrival import Screened
from .arrival import answer_rows as stored_rows


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


def find_by_nonce(session: Session, nonce: str | None) -> sa.Row | None:
    """Return (id, submitted_at, unit_id) of the response already stored for a form nonce, if any."""
    if not nonce:
        return None
    table = Response.__table__
    return session.execute(sa.select(table.c.id, table.c.submitted_at, table.c.unit_id)
                           .where(table.c.nonce == nonce)).first()


def store_response(
    session: Session,
    survey: Survey,
    unit: Unit | None,
    answers: dict[str, CheckedAnswer],
    meta: SubmissionMeta,
    unit_name_given: str | None = None,
    screened: Screened | None = None,
) -> Response:
    """Add a response and its answers and flush; the caller commits or rolls back.

    Two statements: the response (its id comes back), then every answer row in one
    executemany (no ORM object per answer: a submission is 10–40 rows).  ``response.answers``
    is therefore not filled in this session; it loads from the database when read.
    ``screened``: the status, flags and reason to store at once (``arrival.screen_arrival``),
    instead of screening the stored row afterwards.  A nonce collision surfaces as
    IntegrityError at flush.
    """
    response = Response(
        survey_id=survey.id,
        unit_id=unit.id if unit else None,
        unit_name_given=unit_name_given,
        started_at=meta.started_at,
        submitted_at=meta.submitted_at,
        duration_seconds=duration_of(meta),
        user_agent=(meta.user_agent or "")[:400] or None,
        ip_hash=meta.ip_hash,
        source=meta.source,
        status=ResponseStatus.VALID,
        nonce=meta.nonce,
        another_person=meta.another_person,
    )
    if screened is not None:
        response.status, response.flags, response.status_reason = screened.status, screened.flags, screened.reason
    session.add(response)
    session.flush()
    rows = [{"response_id": response.id, "survey_id": survey.id, "unit_id": response.unit_id, "question_id": question_id,
             "option_key": key, "text_value": text, "number_value": number}
            for question_id, key, text, number in stored_rows(answers.values())]
    if rows:
        session.execute(sa.insert(Answer), rows)
    return response


def duration_of(meta: SubmissionMeta) -> int | None:
    """Submitted − started in whole seconds, or None when the start is unknown (paper entry)."""
    if meta.started_at is None:
        return None
    return max(0, int((meta.submitted_at - meta.started_at).total_seconds()))

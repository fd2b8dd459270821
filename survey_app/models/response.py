"""Responses and their answers, laid out for GROUP BY survey, question, option, unit.

One row per chosen option (a multiple-choice answer with three ticks is three rows), so
the distribution of any question is a plain ``COUNT(*) … GROUP BY question_id,
option_key, unit_id`` over the covering index ``ix_answers_aggregate``.  ``survey_id``
and ``unit_id`` are copied from the response (both never change after submission), so
the usual summary needs no join: it counts every answer and subtracts the answers of the
few responses its status filter leaves out (see services/summary.py).
"""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..domain.vocabulary import ResponseStatus, Source, sql_in
from ..extensions import db
from ._types import BigId, utcnow


class Response(db.Model):
    __tablename__ = "responses"
    __table_args__ = (
        sa.CheckConstraint(sql_in("source", Source), name="source"),
        sa.CheckConstraint(sql_in("status", ResponseStatus), name="status"),
        sa.Index("ix_responses_survey_status", "survey_id", "status"),
        sa.Index("ix_responses_survey_unit", "survey_id", "unit_id"),
        sa.Index("ix_responses_survey_submitted", "survey_id", "submitted_at"),
        # Rows of a later 问卷星 file that an earlier import already holds.
        sa.Index("ix_responses_survey_source_key", "survey_id", "source_key"),
        # Same-device look-ups of the duplicate-answer validity rule.
        sa.Index("ix_responses_survey_device", "survey_id", "ip_hash", "submitted_at"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    survey_id: Mapped[int] = mapped_column(sa.ForeignKey("surveys.id", ondelete="CASCADE"))
    #: NULL when an open-link respondent named a unit that is not in the list.
    unit_id: Mapped[int | None] = mapped_column(sa.ForeignKey("units.id", ondelete="SET NULL"))
    #: The unit name typed by an open-link respondent whose unit was not listed.
    unit_name_given: Mapped[str | None] = mapped_column(sa.String(200))
    started_at: Mapped[datetime | None]
    submitted_at: Mapped[datetime] = mapped_column(default=utcnow)
    duration_seconds: Mapped[int | None]
    user_agent: Mapped[str | None] = mapped_column(sa.String(400))
    #: HMAC-SHA256 of the client IP with a server secret; the IP itself is never stored.
    ip_hash: Mapped[str | None] = mapped_column(sa.String(64))
    #: A ``Source`` value.
    source: Mapped[str] = mapped_column(sa.String(10), default=Source.WEB)
    #: A ``ResponseStatus`` value: screening's result, or the evaluator's decision when there is one.
    status: Mapped[str] = mapped_column(sa.String(10), default=ResponseStatus.VALID)
    status_reason: Mapped[str | None] = mapped_column(sa.Text)
    #: Validity flags from screening: [{"code", "action", "reason_zh"}, …].
    flags: Mapped[list[dict[str, str]]] = mapped_column(sa.JSON, default=list, server_default="[]")
    #: An evaluator's decision (``vocabulary.DECISIONS``), which overrides the screening.
    decision: Mapped[str | None] = mapped_column(sa.String(10))
    decision_reason: Mapped[str | None] = mapped_column(sa.Text)
    #: One-time form nonce: a resent POST finds its response instead of making a second one.
    nonce: Mapped[str | None] = mapped_column(sa.String(64), unique=True)
    #: Started from "为本单位其他人员再填写一份" on a device that had already answered: a
    #: colleague sharing the phone, so a same-device duplicate is only a note (validity).
    another_person: Mapped[bool] = mapped_column(default=False, server_default=sa.false())
    #: The imported file this response came from (source "import").
    import_batch_id: Mapped[int | None] = mapped_column(sa.ForeignKey("import_batches.id", ondelete="CASCADE"))
    #: An imported row's identity at its source (hash of 问卷星's survey title, 序号, 提交答卷时间),
    #: so the 按文本 and 按序号 downloads of the same answers are counted once.
    source_key: Mapped[str | None] = mapped_column(sa.String(64))

    answers: Mapped[list[Answer]] = relationship(back_populates="response", cascade="all, delete-orphan")


class Answer(db.Model):
    __tablename__ = "answers"
    __table_args__ = (
        sa.Index("ix_answers_aggregate", "survey_id", "question_id", "option_key", "unit_id"),
        sa.Index("ix_answers_response", "response_id"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    response_id: Mapped[int] = mapped_column(BigId, sa.ForeignKey("responses.id", ondelete="CASCADE"))
    #: Denormalised from the response so aggregation needs no join when unfiltered.
    survey_id: Mapped[int] = mapped_column(sa.ForeignKey("surveys.id", ondelete="CASCADE"))
    #: Denormalised from the response (set at insert, never changed) for join-free counts by unit.
    unit_id: Mapped[int | None] = mapped_column(sa.ForeignKey("units.id", ondelete="SET NULL"))
    question_id: Mapped[str] = mapped_column(sa.String(32))
    option_key: Mapped[str | None] = mapped_column(sa.String(32))
    text_value: Mapped[str | None] = mapped_column(sa.Text)
    number_value: Mapped[float | None]

    response: Mapped[Response] = relationship(back_populates="answers")


__all__ = ["Answer", "Response", "utcnow"]

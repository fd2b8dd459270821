"""The evaluator's decisions over the grouped open answers (意见建议汇总), one row per survey."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from ._types import utcnow


class OpinionBoard(db.Model):
    """Renames, merges, splits, moves and hidden opinions (``domain.opinions.Decisions``).

    Absent until the evaluator's first decision: until then the grouping is automatic.
    Each decision is also written to the audit log.
    """

    __tablename__ = "opinion_boards"

    survey_id: Mapped[int] = mapped_column(sa.ForeignKey("surveys.id", ondelete="CASCADE"), primary_key=True)
    #: ``Decisions.to_json()``: names, assigned, aliases, hidden, examples, next_id.
    decisions: Mapped[dict[str, Any]] = mapped_column(sa.JSON)
    #: Raised by every decision; a form carries the revision it was shown, so a stale page is refused.
    revision: Mapped[int] = mapped_column(default=1)
    updated_by: Mapped[str] = mapped_column(sa.String(100))
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

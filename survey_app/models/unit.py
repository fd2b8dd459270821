"""A beneficiary unit (enterprise, 专业镇 …) of a survey, with its private access token."""

from __future__ import annotations

import secrets
from datetime import datetime
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from ._types import utcnow

if TYPE_CHECKING:
    from .survey import Survey


def new_token() -> str:
    """Return an unguessable link token: 192 random bits, URL-safe (32 characters)."""
    return secrets.token_urlsafe(24)


class Unit(db.Model):
    __tablename__ = "units"
    __table_args__ = (
        sa.CheckConstraint("min_valid >= 0", name="min_valid"),
        sa.UniqueConstraint("survey_id", "short_code", name="uq_units_survey_short_code"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    survey_id: Mapped[int] = mapped_column(sa.ForeignKey("surveys.id", ondelete="CASCADE"), index=True)
    #: Position in the evaluator's list (序号); keeps the report's unit table in file order.
    seq: Mapped[int] = mapped_column(default=0)
    name: Mapped[str] = mapped_column(sa.String(200))
    category: Mapped[str] = mapped_column(sa.String(50), default="")
    county: Mapped[str] = mapped_column(sa.String(50), default="")
    #: 统一社会信用代码 (GB 32100-2015), optional; checked on import.
    credit_code: Mapped[str | None] = mapped_column(sa.String(18))
    #: Other columns of the unit list (申报专项, 奖励金额 …), header → value, in file order.
    attributes: Mapped[dict[str, Any]] = mapped_column(sa.JSON, default=dict)
    min_valid: Mapped[int] = mapped_column(default=5)
    #: The unit's private link token; replacing it revokes the old link.
    token: Mapped[str] = mapped_column(sa.String(64), unique=True, default=new_token)
    #: Short code (``domain.unit_codes``) a respondent types at the open link; unique in the survey.
    short_code: Mapped[str | None] = mapped_column(sa.String(8))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    survey: Mapped[Survey] = relationship(back_populates="units")

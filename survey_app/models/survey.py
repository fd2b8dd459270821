"""A survey: one questionnaire (frozen copy), its evaluation context and its state."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..domain.questionnaire import Questionnaire
from ..domain.vocabulary import Availability, SurveyState, sql_in
from ..extensions import db
from ._types import utcnow

if TYPE_CHECKING:
    from .unit import Unit

_PARSED: dict[str, Questionnaire] = {}


def _parsed(content_hash: str, data: dict[str, Any]) -> Questionnaire:
    """Parse a frozen questionnaire once per process: the hash names its content exactly."""
    questionnaire = _PARSED.get(content_hash)
    if questionnaire is None:
        if len(_PARSED) > 256:
            _PARSED.clear()
        questionnaire = _PARSED[content_hash] = Questionnaire.from_dict(data)
    return questionnaire


class Survey(db.Model):
    __tablename__ = "surveys"
    __table_args__ = (sa.CheckConstraint(sql_in("status", SurveyState), name="status"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(200))
    #: Evaluation context printed in the report: 项目名称, 主管部门, 评价年度, indicator.
    project_name: Mapped[str] = mapped_column(sa.String(200), default="")
    department: Mapped[str] = mapped_column(sa.String(200), default="")
    eval_year: Mapped[int | None]
    indicator_code: Mapped[str] = mapped_column(sa.String(20), default="")
    indicator_name: Mapped[str] = mapped_column(sa.String(100), default="")
    indicator_weight: Mapped[float | None]
    #: A ``SurveyState`` value; change it only through ``services.surveys`` (transitions are checked there).
    status: Mapped[str] = mapped_column(sa.String(10), default=SurveyState.DRAFT)
    #: Planned window (Beijing time is only a display concern; stored as naive UTC).
    opens_at: Mapped[datetime | None]
    closes_at: Mapped[datetime | None]
    #: When the evaluator actually opened / closed it.
    opened_at: Mapped[datetime | None]
    closed_at: Mapped[datetime | None]
    #: Which bank file the questionnaire came from (informational only).
    bank_id: Mapped[str] = mapped_column(sa.String(100))
    #: Frozen copy of the questionnaire: results are always computed against this.
    questionnaire_json: Mapped[dict[str, Any]] = mapped_column(sa.JSON)
    questionnaire_hash: Mapped[str] = mapped_column(sa.String(64))
    #: Token of the survey's open link (respondent picks the unit from the list).
    open_token: Mapped[str] = mapped_column(sa.String(64), unique=True)
    default_min_valid: Mapped[int] = mapped_column(default=5)
    #: Scoring and validity settings (see docs/scoring.md); empty means METHOD.md defaults.
    settings: Mapped[dict[str, Any]] = mapped_column(sa.JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    #: The evaluator who created the survey (None for surveys made from the command line).
    owner_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))

    units: Mapped[list[Unit]] = relationship(back_populates="survey", order_by="Unit.seq", cascade="all, delete-orphan")

    @property
    def questionnaire(self) -> Questionnaire:
        """The frozen questionnaire as a domain object (parsed once per content hash)."""
        return _parsed(self.questionnaire_hash, self.questionnaire_json)

    @property
    def state(self) -> SurveyState:
        """The survey's state as the enum."""
        return SurveyState(self.status)

    def availability(self, now: datetime) -> Availability:
        """Say whether answers are accepted now (the state and the planned window)."""
        if self.status == SurveyState.CLOSED or (self.closes_at is not None and now >= self.closes_at):
            return Availability.CLOSED
        if self.status == SurveyState.DRAFT or (self.opens_at is not None and now < self.opens_at):
            return Availability.NOT_YET
        return Availability.OPEN

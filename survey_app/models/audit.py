"""The audit log: who changed what in a survey, when, with the values before and after."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from ._types import BigId, utcnow


class AuditEvent(db.Model):
    __tablename__ = "audit_events"
    __table_args__ = (sa.Index("ix_audit_events_survey_time", "survey_id", "created_at"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    survey_id: Mapped[int | None] = mapped_column(sa.ForeignKey("surveys.id", ondelete="CASCADE"))
    #: Who: "user:<username>" for the workspace; "cli:<os user>" for commands.
    actor: Mapped[str] = mapped_column(sa.String(100))
    #: What, as a dotted verb: settings.change, survey.open, survey.close, response.exclude …
    action: Mapped[str] = mapped_column(sa.String(50))
    before: Mapped[dict[str, Any] | None] = mapped_column(sa.JSON)
    after: Mapped[dict[str, Any] | None] = mapped_column(sa.JSON)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

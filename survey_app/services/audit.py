"""Write and read the audit log."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from ..models import AuditEvent, Survey


def record(session: Session, survey: Survey | None, actor: str, action: str,
           before: dict[str, Any] | None = None, after: dict[str, Any] | None = None) -> AuditEvent:
    """Add one audit event (who, what, before, after); the caller's commit makes it durable."""
    event = AuditEvent(survey_id=survey.id if survey else None, actor=actor, action=action, before=before, after=after)
    session.add(event)
    return event


def events(session: Session, survey: Survey, limit: int = 500) -> list[AuditEvent]:
    """Newest first."""
    return list(session.scalars(
        sa.select(AuditEvent).where(AuditEvent.survey_id == survey.id)
        .order_by(AuditEvent.created_at.desc(), AuditEvent.id.desc()).limit(limit)
    ))

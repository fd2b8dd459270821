"""Write and read the audit log."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from ..models import AuditEvent, Survey, User


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


def display_names(session: Session, events: list[AuditEvent]) -> dict[str, str]:
    """Username → display name for the workspace accounts acting in ``events`` (one query)."""
    usernames = {e.actor.partition(":")[2] for e in events if e.actor.startswith("user:")}
    if not usernames:
        return {}
    rows = session.execute(sa.select(User.username, User.display_name).where(User.username.in_(usernames)))
    return {username: name for username, name in rows if name}

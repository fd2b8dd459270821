"""Evaluator accounts, their survey memberships and login attempts (for rate limiting)."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from flask_login import UserMixin
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from ._types import BigId, utcnow

#: admin manages accounts; evaluator creates and runs surveys; viewer reads granted surveys.
ROLES = ("admin", "evaluator", "viewer")


class User(UserMixin, db.Model):
    __tablename__ = "users"
    __table_args__ = (sa.CheckConstraint("role IN ('admin', 'evaluator', 'viewer')", name="role"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(sa.String(80), unique=True)
    display_name: Mapped[str] = mapped_column(sa.String(100), default="")
    #: scrypt hash from werkzeug.security (salted, memory-hard).
    password_hash: Mapped[str] = mapped_column(sa.String(255))
    role: Mapped[str] = mapped_column(sa.String(10), default="evaluator")
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_login_at: Mapped[datetime | None]

    @property
    def is_active(self) -> bool:  # flask-login: deactivated accounts cannot log in
        return self.active

    @property
    def is_admin(self) -> bool:
        return self.role == "admin"


class SurveyMember(db.Model):
    __tablename__ = "survey_members"

    survey_id: Mapped[int] = mapped_column(sa.ForeignKey("surveys.id", ondelete="CASCADE"), primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    role: Mapped[str] = mapped_column(sa.String(10), default="evaluator")


class LoginAttempt(db.Model):
    """Failed logins, counted per username and per address across all workers."""

    __tablename__ = "login_attempts"
    __table_args__ = (
        sa.Index("ix_login_attempts_username_time", "username", "created_at"),
        sa.Index("ix_login_attempts_ip_time", "ip_hash", "created_at"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    username: Mapped[str] = mapped_column(sa.String(80))
    ip_hash: Mapped[str | None] = mapped_column(sa.String(64))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

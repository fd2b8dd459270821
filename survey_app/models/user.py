"""Evaluator accounts, their survey memberships and failed-login counters (for throttling)."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from flask_login import UserMixin
from sqlalchemy.orm import Mapped, mapped_column

from ..domain.vocabulary import AccountRole, MemberRole, sql_in
from ..extensions import db
from ._types import utcnow


class User(UserMixin, db.Model):
    __tablename__ = "users"
    __table_args__ = (sa.CheckConstraint(sql_in("role", AccountRole), name="role"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(sa.String(80), unique=True)
    display_name: Mapped[str] = mapped_column(sa.String(100), default="")
    #: scrypt hash from werkzeug.security (salted, memory-hard).
    password_hash: Mapped[str] = mapped_column(sa.String(255))
    #: An ``AccountRole`` value.
    role: Mapped[str] = mapped_column(sa.String(10), default=AccountRole.EVALUATOR)
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_login_at: Mapped[datetime | None]
    #: Part of every session's user id: raising it ends all sessions opened before
    #: (logout, password change, an admin's reset or deactivation).
    session_epoch: Mapped[int] = mapped_column(default=0, server_default=sa.text("0"))

    def get_id(self) -> str:  # flask-login: the value kept in the session cookie
        return f"{self.id}:{self.session_epoch}"

    @property
    def is_active(self) -> bool:  # flask-login: deactivated accounts cannot log in
        return self.active

    @property
    def is_admin(self) -> bool:
        return self.role == AccountRole.ADMIN


class SurveyMember(db.Model):
    __tablename__ = "survey_members"

    survey_id: Mapped[int] = mapped_column(sa.ForeignKey("surveys.id", ondelete="CASCADE"), primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    #: A ``MemberRole`` value.
    role: Mapped[str] = mapped_column(sa.String(10), default=MemberRole.EVALUATOR)


class LoginThrottle(db.Model):
    """Failed-login counter of one account from one address, or of one address overall.

    ``username`` is ``ANY_ACCOUNT`` ("") on the row that counts an address's failures over
    all accounts (the spraying ceiling); ``ip_hash`` is "" when the address is unknown.
    Rows are updated in place with one upsert per attempt (``services.accounts``), so
    concurrent attempts from any number of workers are counted one by one.
    """

    __tablename__ = "login_throttles"
    __table_args__ = (sa.Index("ix_login_throttles_last_failure", "last_failure_at"),)

    username: Mapped[str] = mapped_column(sa.String(80), primary_key=True)
    #: HMAC of the client address (``domain.privacy.hash_ip``).
    ip_hash: Mapped[str] = mapped_column(sa.String(64), primary_key=True)
    #: Attempts that were not successful logins (an attempt counts as soon as it is admitted).
    failures: Mapped[int] = mapped_column(default=0)
    last_failure_at: Mapped[datetime] = mapped_column(default=utcnow)
    #: No password is checked for this row before this time (None: no wait).
    blocked_until: Mapped[datetime | None]


#: ``LoginThrottle.username`` of an address's row over all accounts.
ANY_ACCOUNT = ""

"""Accounts: create users, check passwords with a rate limit, change passwords, (de)activate users."""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa
from sqlalchemy.orm import Session
from werkzeug.security import check_password_hash, generate_password_hash

from ..models import LoginAttempt, User
from ..models._types import utcnow
from ..models.user import ROLES
from .audit import record

#: Failed logins allowed per username and per address within the window.
MAX_FAILURES_PER_USER = 5
MAX_FAILURES_PER_IP = 20
WINDOW = timedelta(minutes=15)
MIN_PASSWORD_LENGTH = 10


class AccountError(ValueError):
    """A user-facing account problem; ``message_zh`` is shown as is."""

    def __init__(self, message_zh: str):
        super().__init__(message_zh)
        self.message_zh = message_zh


class RateLimited(AccountError):
    """Too many failed logins: the form is refused for a while (HTTP 429)."""


def hash_password(password: str) -> str:
    """Hash with scrypt (werkzeug's default: salted, memory-hard)."""
    return generate_password_hash(password, method="scrypt")


def check_new_password(password: str) -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise AccountError(f"密码至少需要{MIN_PASSWORD_LENGTH}个字符")


def create_user(session: Session, username: str, password: str, role: str, display_name: str = "") -> User:
    """Add a user after checking the name, role and password strength; flush."""
    username = username.strip()
    if not username or len(username) > 80:
        raise AccountError("用户名不能为空，且不超过80个字符")
    if role not in ROLES:
        raise AccountError(f"角色无效：{role}（可选：{'、'.join(ROLES)}）")
    check_new_password(password)
    if session.scalars(sa.select(User).where(User.username == username)).first():
        raise AccountError(f"用户名“{username}”已存在")
    user = User(username=username, password_hash=hash_password(password), role=role, display_name=display_name)
    session.add(user)
    session.flush()
    return user


def authenticate(session: Session, username: str, password: str, ip_hash: str | None) -> User:
    """Return the user for valid credentials; record failures and refuse when rate-limited.

    Failures are stored in the database, so the limit holds across gunicorn workers.
    The same message is given for an unknown user and a wrong password.
    :raises RateLimited | AccountError:
    """
    since = utcnow() - WINDOW
    recent = sa.select(sa.func.count()).select_from(LoginAttempt).where(LoginAttempt.created_at >= since)
    by_user = session.scalar(recent.where(LoginAttempt.username == username))
    by_ip = session.scalar(recent.where(LoginAttempt.ip_hash == ip_hash)) if ip_hash else 0
    if by_user >= MAX_FAILURES_PER_USER or by_ip >= MAX_FAILURES_PER_IP:
        raise RateLimited("登录失败次数过多，请15分钟后再试。")
    user = session.scalars(sa.select(User).where(User.username == username)).first()
    if user is None or not user.active or not check_password_hash(user.password_hash, password):
        session.add(LoginAttempt(username=username[:80], ip_hash=ip_hash))
        session.flush()
        raise AccountError("用户名或密码错误。")
    session.execute(sa.delete(LoginAttempt).where(LoginAttempt.username == username))
    user.last_login_at = utcnow()
    session.flush()
    return user


def change_password(session: Session, user: User, current: str, new: str) -> None:
    """Change a password after checking the current one; flush."""
    if not check_password_hash(user.password_hash, current):
        raise AccountError("当前密码不正确。")
    check_new_password(new)
    user.password_hash = hash_password(new)
    session.flush()


def set_active(session: Session, user: User, active: bool, by: User, actor: str) -> bool:
    """Enable or disable ``user``'s account, audited; flush; return whether anything changed.

    :raises AccountError: when ``by`` tries to disable their own account (they would lock
        themselves out, possibly as the last admin).
    """
    if user.id == by.id and not active:
        raise AccountError("不能停用自己的账号。")
    if user.active == active:
        return False
    record(session, None, actor, "account.activate" if active else "account.deactivate",
           {"user": user.username, "active": user.active}, {"user": user.username, "active": active})
    user.active = active
    session.flush()
    return True

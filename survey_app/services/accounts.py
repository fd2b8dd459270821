"""Accounts: create users, check passwords behind a login throttle, change and reset
passwords, (de)activate users, end sessions."""

from __future__ import annotations

import functools
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session
from werkzeug.security import check_password_hash, generate_password_hash

from ..domain.throttle import ADDRESS, PAIR, Policy, seconds_left
from ..domain.vocabulary import AccountRole, to_beijing
from ..models import LoginThrottle, User
from ..models._types import utcnow
from ..models.user import ANY_ACCOUNT
from .audit import record

MIN_PASSWORD_LENGTH = 10
THROTTLES = LoginThrottle.__table__


class AccountError(ValueError):
    """A user-facing account problem; ``message_zh`` is shown as is."""

    def __init__(self, message_zh: str):
        super().__init__(message_zh)
        self.message_zh = message_zh


class RateLimited(AccountError):
    """Too many failed logins from this address: no password is checked for ``retry_after`` seconds (HTTP 429)."""

    def __init__(self, until: datetime, now: datetime):
        self.retry_after = seconds_left(until, now)
        super().__init__(f"登录失败次数过多，请{_wait_zh(self.retry_after)}后再试"
                         f"（北京时间 {to_beijing(until):%H:%M:%S} 以后）。")


def _wait_zh(seconds: int) -> str:
    minutes, rest = divmod(seconds, 60)
    if not minutes:
        return f"{rest}秒"
    return f"{minutes}分钟" if not rest else f"{minutes}分{rest}秒"


def hash_password(password: str) -> str:
    """Hash with scrypt (werkzeug's default: salted, memory-hard)."""
    return generate_password_hash(password, method="scrypt")


@functools.cache
def _dummy_hash() -> str:
    """A hash to check unknown usernames against, so they take as long as known ones."""
    return generate_password_hash("not a password of anyone", method="scrypt")


def check_new_password(password: str) -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise AccountError(f"密码至少需要{MIN_PASSWORD_LENGTH}个字符")


def create_user(session: Session, username: str, password: str, role: str, display_name: str = "") -> User:
    """Add a user after checking the name, role and password strength; flush."""
    username = username.strip()
    if not username or len(username) > 80:
        raise AccountError("用户名不能为空，且不超过80个字符")
    if role not in tuple(AccountRole):
        raise AccountError(f"角色无效：{role}（可选：{'、'.join(AccountRole)}）")
    check_new_password(password)
    if session.scalars(sa.select(User).where(User.username == username)).first():
        raise AccountError(f"用户名“{username}”已存在")
    user = User(username=username, password_hash=hash_password(password), role=role, display_name=display_name)
    session.add(user)
    session.flush()
    return user


def authenticate(session: Session, username: str, password: str, ip_hash: str | None) -> User:
    """Return the user for valid credentials, behind the login throttle (docs/security.md).

    1. An address over its spraying ceiling is refused before anything else.
    2. The attempt is *admitted* for its (account, address) pair by one upsert that adds 1
       to the pair's counter only while the pair is not waiting.  The upsert locks the
       counter row (PostgreSQL) or the database (SQLite) until the request's commit, so
       concurrent attempts from any number of workers are admitted one at a time and each
       sees the count its predecessors left.  An admitted attempt counts as a failure until
       the password proved right.
    3. Only then is the password checked; success deletes the pair's counter, failure also
       counts against the address (the caller must keep this work: ``keep_on_error``).

    The same message is given for an unknown user and a wrong password, after a check of
    the same cost.
    :raises RateLimited: the pair or the address must wait (nothing to keep).
    :raises AccountError: wrong credentials (the caller commits the counters).
    """
    now = utcnow()
    username, address = username[:80], ip_hash or ""
    address_wait = session.scalar(sa.select(THROTTLES.c.blocked_until).where(
        THROTTLES.c.username == ANY_ACCOUNT, THROTTLES.c.ip_hash == address))
    if address_wait is not None and address_wait > now:
        raise RateLimited(address_wait, now)
    _admit(session, username, address, now)
    user = session.scalars(sa.select(User).where(User.username == username)).first()
    valid = check_password_hash(user.password_hash if user else _dummy_hash(), password)
    if user is None or not user.active or not valid:
        _count_failure(session, ANY_ACCOUNT, address, now, ADDRESS)
        session.flush()
        raise AccountError("用户名或密码错误。")
    session.execute(sa.delete(THROTTLES).where(THROTTLES.c.username == username, THROTTLES.c.ip_hash == address))
    _forget_old_counters(session, now)
    user.last_login_at = now
    session.flush()
    return user


def _admit(session: Session, username: str, address: str, now: datetime) -> None:
    """Count one attempt for the pair unless it must wait; :raises RateLimited: when it must."""
    not_waiting = sa.or_(THROTTLES.c.blocked_until.is_(None), THROTTLES.c.blocked_until <= now)
    failures = _count_failure(session, username, address, now, PAIR, only_if=not_waiting)
    if failures is None:
        until = session.scalar(sa.select(THROTTLES.c.blocked_until).where(
            THROTTLES.c.username == username, THROTTLES.c.ip_hash == address))
        raise RateLimited(until or now, now)


def _count_failure(session: Session, username: str, address: str, now: datetime, policy: Policy,
                   only_if: sa.ColumnElement[bool] | None = None) -> int | None:
    """Add one failure to a counter row (created at 1; restarted when forgotten) in one statement.

    Set its wait for the next attempt from the new count.  Return the count, or None when
    ``only_if`` held the existing row back.
    """
    insert = (postgresql.insert if session.get_bind().dialect.name == "postgresql" else sqlite.insert)(THROTTLES)
    forgotten = THROTTLES.c.last_failure_at < now - policy.forget_after
    statement = insert.values(username=username, ip_hash=address, failures=1, last_failure_at=now).on_conflict_do_update(
        index_elements=[THROTTLES.c.username, THROTTLES.c.ip_hash],
        set_={"failures": sa.case((forgotten, 1), else_=THROTTLES.c.failures + 1), "last_failure_at": now},
        where=only_if,
    ).returning(THROTTLES.c.failures)
    failures = session.execute(statement).scalar()
    if failures is not None:
        delay = policy.delay(failures)
        session.execute(sa.update(THROTTLES).where(THROTTLES.c.username == username, THROTTLES.c.ip_hash == address)
                        .values(blocked_until=now + delay if delay else None))
    return failures


def _forget_old_counters(session: Session, now: datetime, batch: int = 100) -> None:
    """Delete counters no policy remembers any more, so guessed usernames do not pile up.

    Rows another login holds are skipped (``SKIP LOCKED`` on PostgreSQL): two logins each
    deleting the other's admitted row would deadlock.
    """
    oldest = now - max(PAIR.forget_after, ADDRESS.forget_after)
    key = sa.tuple_(THROTTLES.c.username, THROTTLES.c.ip_hash)
    stale = (sa.select(THROTTLES.c.username, THROTTLES.c.ip_hash).where(THROTTLES.c.last_failure_at < oldest)
             .limit(batch).with_for_update(skip_locked=True))
    session.execute(sa.delete(THROTTLES).where(key.in_(stale)))


def end_sessions(session: Session, user: User) -> None:
    """End every session of ``user`` opened so far (the epoch in their cookies is stale); flush."""
    user.session_epoch = User.session_epoch + 1  # in SQL: two logouts at once both count
    session.flush()  # the attribute is expired and reads the new value on next access


def change_password(session: Session, user: User, current: str, new: str) -> None:
    """Change a password after checking the current one and end the user's sessions; flush.

    The caller logs the current session in again with the new epoch.
    """
    if not check_password_hash(user.password_hash, current):
        raise AccountError("当前密码不正确。")
    check_new_password(new)
    user.password_hash = hash_password(new)
    end_sessions(session, user)


def reset_password(session: Session, user: User, new: str, actor: str) -> None:
    """Set a new password for ``user`` (an admin's reset), end their sessions, audited; flush."""
    check_new_password(new)
    user.password_hash = hash_password(new)
    record(session, None, actor, "account.password_reset", None, {"user": user.username})
    end_sessions(session, user)


def set_active(session: Session, user: User, active: bool, by: User, actor: str) -> bool:
    """Enable or disable ``user``'s account, audited; flush; return whether anything changed.

    Disabling also ends the user's sessions, so enabling the account again does not bring
    an old session back.
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
    if not active:
        end_sessions(session, user)
    session.flush()
    return True

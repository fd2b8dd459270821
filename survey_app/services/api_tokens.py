"""Personal API tokens: create, list, revoke, and authenticate a request's bearer token.

A token is 32 random bytes (``secrets.token_urlsafe``) behind the prefix ``sv_``.  Only
its SHA-256 is stored: the random part is long enough that a fast hash cannot be
reversed, so a stolen table does not yield usable tokens.  A token acts with its user's
rights (``services.access``) and dies with the account (deactivation) or when revoked;
creation and revocation are audited.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

import sqlalchemy as sa
from sqlalchemy.orm import Session

from ..models import ApiToken, User
from ..models._types import utcnow
from .accounts import AccountError
from .audit import record

PREFIX = "sv_"
#: Characters of the token shown in lists (the ``sv_`` prefix and 8 random ones).
SHOWN = len(PREFIX) + 8
#: ``last_used_at`` is written at most this often per token.
USE_RESOLUTION = timedelta(minutes=1)
MAX_ACTIVE_PER_USER = 20


def digest(token: str) -> str:
    """The stored form of a token: SHA-256 in hex."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def create_token(session: Session, user: User, name: str, actor: str) -> tuple[ApiToken, str]:
    """Create a token for ``user``, audited; flush; return the row and the token (shown once).

    :raises AccountError: without a name, or when the user has too many active tokens.
    """
    name = name.strip()
    if not name or len(name) > 100:
        raise AccountError("请填写令牌用途（不超过100个字符）。")
    if len(tokens_of(session, user, active_only=True)) >= MAX_ACTIVE_PER_USER:
        raise AccountError(f"每个账号最多保留{MAX_ACTIVE_PER_USER}个有效令牌，请先撤销不用的令牌。")
    token = PREFIX + secrets.token_urlsafe(32)
    row = ApiToken(user_id=user.id, name=name, prefix=token[:SHOWN], token_hash=digest(token))
    session.add(row)
    session.flush()
    record(session, None, actor, "api_token.create", None, _described(row, user))
    session.flush()
    return row, token


def tokens_of(session: Session, user: User, active_only: bool = False) -> list[ApiToken]:
    """The user's tokens, newest first."""
    query = sa.select(ApiToken).where(ApiToken.user_id == user.id)
    if active_only:
        query = query.where(ApiToken.revoked_at.is_(None))
    return list(session.scalars(query.order_by(ApiToken.created_at.desc(), ApiToken.id.desc())))


def own_token(session: Session, user: User, token_id: int) -> ApiToken | None:
    """The user's token with this id, or None (someone else's token is not revealed)."""
    row = session.get(ApiToken, token_id)
    return row if row is not None and row.user_id == user.id else None


def revoke_token(session: Session, row: ApiToken, user: User, actor: str) -> bool:
    """Revoke a token, audited; flush; return False when it was revoked already."""
    if not row.active:
        return False
    row.revoked_at = utcnow()
    record(session, None, actor, "api_token.revoke", _described(row, user), {"revoked": True})
    session.flush()
    return True


def user_for_token(session: Session, token: str) -> User | None:
    """Return the active user whose active token this is, recording its use; flush; else None."""
    if not token.startswith(PREFIX):
        return None
    row = session.scalars(sa.select(ApiToken).where(ApiToken.token_hash == digest(token))).first()
    if row is None or not row.active:
        return None
    user = session.get(User, row.user_id)
    if user is None or not user.active:
        return None
    now = utcnow()
    if row.last_used_at is None or now - row.last_used_at >= USE_RESOLUTION:
        row.last_used_at = now
        session.flush()
    return user


def _described(row: ApiToken, user: User) -> dict:
    return {"user": user.username, "token": row.id, "name": row.name, "prefix": row.prefix}

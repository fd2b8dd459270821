"""Column helpers shared by the models."""

from datetime import UTC, datetime

import sqlalchemy as sa

#: 64-bit keys on PostgreSQL; SQLite only auto-increments a plain INTEGER primary key.
BigId = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def utcnow() -> datetime:
    """Return naive UTC: stored the same way on SQLite (no time zones) and PostgreSQL."""
    return datetime.now(UTC).replace(tzinfo=None)

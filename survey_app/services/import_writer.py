"""Write checked import rows fast: core statements in batches, ``COPY`` on PostgreSQL.

10⁵ rows must never become 10⁵ ORM objects, and their ~1.5 M answer rows are the bulk of
the work.  Per batch of ``BATCH_ROWS`` rows: the responses go in (``COPY`` on PostgreSQL, the
driver's own executemany on SQLite, times written as SQLAlchemy writes them), their ids are
read back in insertion order (only this transaction writes rows of this new, uncommitted
batch, and ids grow in insertion order), then their answers go in the same way — one row
per chosen option, the unit copied from the response, as ``arrival.answer_rows`` makes
them for web answers.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.orm import Session

from ..domain.imports import ImportRow
from ..domain.privacy import hash_ip
from ..domain.vocabulary import ResponseStatus, Source
from ..models import Answer, Response

#: Rows written per round trip (bounds memory; one transaction for the whole file).
BATCH_ROWS = 2000
RESPONSE_COLUMNS = ("survey_id", "unit_id", "unit_name_given", "started_at", "submitted_at", "duration_seconds",
                    "user_agent", "ip_hash", "source", "status", "flags", "import_batch_id", "source_key")
ANSWER_COLUMNS = ("response_id", "survey_id", "unit_id", "question_id", "option_key", "text_value", "number_value")


def write_rows(session: Session, survey_id: int, batch_id: int, rows: Iterable[ImportRow], ip_secret: str | None,
               now: datetime) -> int:
    """Write every row; return how many.  Flushes nothing else: the caller commits once."""
    connection = session.connection()
    copy = connection.dialect.name
    total, last_id = 0, 0
    chunk: list[ImportRow] = []
    for row in rows:
        chunk.append(row)
        if len(chunk) == BATCH_ROWS:
            last_id = _write(connection, copy, survey_id, batch_id, chunk, ip_secret, now, last_id)
            total += len(chunk)
            chunk = []
    if chunk:
        _write(connection, copy, survey_id, batch_id, chunk, ip_secret, now, last_id)
        total += len(chunk)
    return total


def _write(connection, copy: str, survey_id, batch_id, chunk, ip_secret, now, last_id) -> int:
    hashes: dict[str, str] = {}
    responses = []
    for row in chunk:
        submitted = row.submitted_at or now
        started = submitted - timedelta(seconds=row.duration_seconds) if row.duration_seconds is not None else None
        ip_hash = None
        if ip_secret and row.ip:
            ip_hash = hashes.get(row.ip) or hashes.setdefault(row.ip, hash_ip(ip_secret, row.ip))
        responses.append((survey_id, row.unit_id, row.unit_name_given, started, submitted, row.duration_seconds,
                          (row.source or "")[:400] or None, ip_hash, Source.IMPORT.value, ResponseStatus.VALID.value,
                          "[]", batch_id, row.source_key))
    _put(connection, copy, Response.__table__, RESPONSE_COLUMNS, responses)
    table = Response.__table__
    ids = connection.execute(sa.select(table.c.id).where(table.c.import_batch_id == batch_id, table.c.id > last_id)
                             .order_by(table.c.id)).scalars().all()
    assert len(ids) == len(chunk), "rows of this import were written by someone else"
    answers = [
        (rid, survey_id, row.unit_id, answer.question_id, key, answer.text, answer.number)
        for rid, row in zip(ids, chunk, strict=True)
        for answer in row.answers.values()
        for key in (answer.option_keys or (None,))
    ]
    if answers:
        _put(connection, copy, Answer.__table__, ANSWER_COLUMNS, answers)
    return ids[-1]


def _put(connection, dialect: str, table: sa.Table, columns: tuple[str, ...], rows: list[tuple]) -> None:
    names = ", ".join(columns)
    if dialect == "postgresql":
        with connection.connection.driver_connection.cursor() as cursor:
            with cursor.copy(f"COPY {table.name} ({names}) FROM STDIN") as pipe:
                for row in rows:
                    pipe.write_row(row)
    elif dialect == "sqlite":
        marks = ", ".join("?" * len(columns))
        connection.exec_driver_sql(f"INSERT INTO {table.name} ({names}) VALUES ({marks})",
                                   [tuple(_sqlite(v) for v in row) for row in rows])
    else:
        connection.execute(table.insert(), [dict(zip(columns, row, strict=True)) for row in rows])


def _sqlite(value):
    """A value as SQLAlchemy's SQLite types store it (DateTime: text with microseconds)."""
    return value.strftime("%Y-%m-%d %H:%M:%S.%f") if isinstance(value, datetime) else value

"""Responses for the API: keyset pages as JSON-ready dicts, and the whole filtered set as CSV chunks.

Pages are read by keyset on the primary key (``id > last ORDER BY id LIMIT n``), never
by OFFSET, so page 1 000 costs what page 1 costs and a response arriving meanwhile moves
no row to another page.  The cursor handed to the client is opaque: the last id plus a
short hash of the filter, so a cursor replayed with other filters is refused instead of
silently mixing two result sets.

The CSV is the 原始数据 layout of the exports (``exports.raw_rows`` → ``reports.raw_rows``),
written by ``reports.table_csv.iter_csv``: rows are fetched ``exports.CHUNK`` at a time and
encoded chunk by chunk, so memory stays flat whatever the number of responses.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from ..domain import question_types
from ..domain.questionnaire import NUMBER
from ..domain.vocabulary import BEIJING
from ..models import Answer, Response, Survey, Unit
from ..reports.table_csv import iter_csv
from .exports import raw_rows
from .summary import SummaryFilter

DEFAULT_LIMIT = 100
MAX_LIMIT = 1000


class BadCursor(ValueError):
    """A cursor that was not made by ``response_page`` for this survey and filter."""


@dataclass(frozen=True)
class ResponsePage:
    rows: list[dict[str, Any]]
    #: Cursor of the next page; None on the last page.
    next: str | None


def _filter_key(survey: Survey, flt: SummaryFilter) -> str:
    text = json.dumps([survey.id, flt.to_dict()], sort_keys=True, default=str)
    return hashlib.sha256(text.encode()).hexdigest()[:12]


def encode_cursor(survey: Survey, flt: SummaryFilter, last_id: int) -> str:
    raw = f"{last_id}.{_filter_key(survey, flt)}".encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(survey: Survey, flt: SummaryFilter, cursor: str | None) -> int:
    """The last id a cursor stands for (0 without a cursor).

    :raises BadCursor: a malformed cursor, or one made for another survey or filter.
    """
    if not cursor:
        return 0
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        last, key = raw.split(".", 1)
        last_id = int(last)
    except (binascii.Error, UnicodeDecodeError, ValueError) as exc:
        raise BadCursor(cursor) from exc
    if key != _filter_key(survey, flt) or last_id < 0:
        raise BadCursor(cursor)
    return last_id


def bj_iso(value: datetime | None) -> str | None:
    """A stored naive-UTC time as ISO 8601 in Beijing time with its offset."""
    return None if value is None else (value + BEIJING).replace(microsecond=0).isoformat() + "+08:00"


def response_page(session: Session, survey: Survey, flt: SummaryFilter, cursor: str | None = None,
                  limit: int = DEFAULT_LIMIT) -> ResponsePage:
    """One page of the filtered responses in id order, with their answers keyed by question id.

    :raises BadCursor: see ``decode_cursor``.
    """
    after = decode_cursor(survey, flt, cursor)
    limit = max(1, min(limit, MAX_LIMIT))
    rows = session.execute(
        sa.select(Response.id, Response.submitted_at, Response.unit_id, Unit.name, Response.unit_name_given,
                  Response.duration_seconds, Response.source, Response.status, Response.status_reason,
                  Response.flags, Response.decision, Response.decision_reason)
        .outerjoin(Unit, Unit.id == Response.unit_id)
        .where(*flt.where(survey.id), Response.id > after).order_by(Response.id).limit(limit + 1)).all()
    more = len(rows) > limit
    rows = rows[:limit]
    answers = _answers(session, survey, [r.id for r in rows])
    page = [{
        "id": r.id, "submitted_at": bj_iso(r.submitted_at), "unit": r.unit_id, "unit_name": r.name,
        "unit_name_given": r.unit_name_given, "duration_seconds": r.duration_seconds, "source": r.source,
        "status": r.status, "status_reason": r.status_reason,
        "flags": [{"code": f.get("code"), "action": f.get("action"), "reason_zh": f.get("reason_zh")}
                  for f in r.flags or []],
        "decision": r.decision, "decision_reason": r.decision_reason, "answers": answers.get(r.id, {}),
    } for r in rows]
    return ResponsePage(page, encode_cursor(survey, flt, rows[-1].id) if more and rows else None)


def _answers(session: Session, survey: Survey, ids: list[int]) -> dict[int, dict[str, Any]]:
    """response id → question id → option keys (choice, in option order), text or number."""
    if not ids:
        return {}
    questions = {q.id: q for q in survey.questionnaire.questions}
    order = {(q.id, o.key): i for q in questions.values() for i, o in enumerate(q.options)}
    found: dict[int, dict[str, Any]] = {}
    for rid, qid, key, text, number in session.execute(
        sa.select(Answer.response_id, Answer.question_id, Answer.option_key, Answer.text_value, Answer.number_value)
        .where(Answer.response_id.in_(ids)).order_by(Answer.response_id, Answer.id)
    ):
        question = questions.get(qid)
        if question is None:
            continue
        answers = found.setdefault(rid, {})
        if question_types.is_choice(question):
            answers.setdefault(qid, []).append(key)
        else:
            answers[qid] = number if question.type == NUMBER else text
    for answers in found.values():
        for qid, value in answers.items():
            if isinstance(value, list):
                value.sort(key=lambda k, q=qid: order.get((q, k), 999))
    # questionnaire order, so the JSON reads like the questionnaire
    position = {qid: i for i, qid in enumerate(questions)}
    return {rid: dict(sorted(a.items(), key=lambda item: position[item[0]])) for rid, a in found.items()}


def csv_chunks(session: Session, survey: Survey, flt: SummaryFilter) -> Iterator[bytes]:
    """The filtered responses as 原始数据 CSV (UTF-8 with BOM), in encoded chunks of rows."""
    columns, rows = raw_rows(session, survey, flt)
    return iter_csv(columns, rows)

"""The SQL half of a summary: answer counts, response counts per status and unit, the fingerprint.

Kept apart from ``summary.py`` (which shapes the result) because this is the part whose
cost grows with the data; bench/summary_bench.py measures each function here.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict

import sqlalchemy as sa
from sqlalchemy.orm import Session

from ..domain.summary_result import ResponseFilter
from ..domain.vocabulary import ALL_STATUSES, COUNTED
from ..models import Answer, Response, Survey


class SummaryFilter(ResponseFilter):
    """Which responses a summary uses (``domain.summary_result.ResponseFilter``) and its SQL."""

    def where(self, survey_id: int) -> list[sa.ColumnElement[bool]]:
        """SQL conditions on ``Response`` for this filter."""
        conditions = [Response.survey_id == survey_id, Response.status.in_(self.statuses)]
        if self.unit_ids is not None:
            conditions.append(Response.unit_id.in_(self.unit_ids))
        if self.since is not None:
            conditions.append(Response.submitted_at >= self.since)
        if self.until is not None:
            conditions.append(Response.submitted_at < self.until)
        return conditions


def count_answers(session: Session, survey: Survey, flt: SummaryFilter, question_ids: list[str]):
    """Return unit id → question id → option key → count for the filtered responses.

    With only a status filter (the usual case), count every answer of the survey from the
    covering index — no join — and subtract the answers of the responses the filter leaves
    out (typically a few excluded ones).  Unit or time filters join the responses table.
    """
    counts: dict[int | None, dict[str, dict[str, int]]] = defaultdict(lambda: defaultdict(dict))
    grouped = (Answer.unit_id, Answer.question_id, Answer.option_key)
    base = sa.select(*grouped, sa.func.count()).where(Answer.survey_id == survey.id, Answer.question_id.in_(question_ids))
    if flt.unit_ids is None and flt.since is None and flt.until is None:
        # The session's connection (Core rows): the ORM's per-row loading is a fixed cost here.
        for unit_id, question_id, option_key, n in session.connection().execute(base.group_by(*grouped)):
            counts[unit_id][question_id][option_key] = n
        left_out = [s for s in ALL_STATUSES if s not in flt.statuses]
        if left_out:
            skipped = sa.select(Response.id).where(Response.survey_id == survey.id, Response.status.in_(left_out))
            for unit_id, question_id, option_key, n in session.execute(
                base.where(Answer.response_id.in_(skipped)).group_by(*grouped)
            ):
                counts[unit_id][question_id][option_key] -= n
        return _without_zeros(counts)
    joined = base.join(Response, Response.id == Answer.response_id).where(*flt.where(survey.id))
    for unit_id, question_id, option_key, n in session.execute(joined.group_by(*grouped)):
        counts[unit_id][question_id][option_key] = n
    return counts


def _without_zeros(counts):
    """Drop options, questions and units the subtraction emptied (as if never counted)."""
    cleaned: dict[int | None, dict[str, dict[str, int]]] = defaultdict(lambda: defaultdict(dict))
    for unit_id, questions in counts.items():
        for question_id, options in questions.items():
            for option_key, n in options.items():
                if n:
                    cleaned[unit_id][question_id][option_key] = n
    return cleaned


def dataset_fingerprint(session: Session, survey: Survey, flt: SummaryFilter) -> tuple[str, int]:
    """Hash the questionnaire version and the ids of the responses used; return (hash, count).

    fingerprint = SHA-256(questionnaire hash + MD5 of the ids joined by "," in ascending
    order).  A response's answers never change after submission, so its id stands for its
    content; any exclusion, restore or new answer changes the set and the hash.  PostgreSQL
    computes the MD5 itself (no id crosses the wire); SQLite has no ordered aggregate, so
    the ids are hashed here — the result is the same on both.
    """
    if session.get_bind().dialect.name == "postgresql":
        ids = sa.select(Response.id).where(*flt.where(survey.id)).subquery()
        text_id = sa.cast(ids.c.id, sa.Text)
        used, md5 = session.execute(sa.select(
            sa.func.count(), sa.func.md5(sa.func.coalesce(sa.func.string_agg(text_id, sa.literal_column("',' ORDER BY id")), ""))
        ).select_from(ids)).one()
    else:
        id_list = session.connection().scalars(sa.select(Response.id).where(*flt.where(survey.id)).order_by(Response.id)).all()
        return fingerprint_of(survey.questionnaire_hash, id_list), len(id_list)
    return hashlib.sha256((survey.questionnaire_hash + md5).encode()).hexdigest(), used


def fingerprint_of(questionnaire_hash: str, ids) -> str:
    """The fingerprint formula of ``dataset_fingerprint`` over response ids in ascending order."""
    md5 = hashlib.md5(",".join(map(str, ids)).encode()).hexdigest()
    return hashlib.sha256((questionnaire_hash + md5).encode()).hexdigest()


def status_counts(session: Session, survey: Survey, flt: SummaryFilter) -> tuple[dict[str, int], dict[int, int]]:
    """Return responses per status (every status, ignoring the status filter) and counted ones per unit."""
    everything = SummaryFilter(ALL_STATUSES, flt.unit_ids, flt.since, flt.until)
    by_status = dict.fromkeys(ALL_STATUSES, 0)
    per_unit: dict[int, int] = defaultdict(int)
    rows = session.execute(
        sa.select(Response.unit_id, Response.status, sa.func.count())
        .where(*everything.where(survey.id))
        .group_by(Response.unit_id, Response.status)
    )
    for unit_id, status, n in rows:
        by_status[status] += n
        if status in COUNTED and unit_id is not None:
            per_unit[unit_id] += n
    return by_status, per_unit


def response_facts(session: Session, survey: Survey, flt: SummaryFilter):
    """Return (status_counts(...), dataset_fingerprint(...)) with as few passes as the database allows.

    PostgreSQL aggregates both in SQL.  SQLite hashes the ids in Python anyway, so one read of
    (id, unit, status) serves both instead of two scans of the responses.
    """
    if session.get_bind().dialect.name == "postgresql":
        return status_counts(session, survey, flt), dataset_fingerprint(session, survey, flt)
    everything = SummaryFilter(ALL_STATUSES, flt.unit_ids, flt.since, flt.until)
    rows = session.connection().execute(  # Core rows: no ORM loading per response
        sa.select(Response.id, Response.unit_id, Response.status).where(*everything.where(survey.id)).order_by(Response.id)
    )
    by_status = dict.fromkeys(ALL_STATUSES, 0)
    per_unit: dict[int, int] = defaultdict(int)
    used_ids = []
    for response_id, unit_id, status in rows:
        by_status[status] += 1
        if status in COUNTED and unit_id is not None:
            per_unit[unit_id] += 1
        if status in flt.statuses:
            used_ids.append(response_id)
    return (by_status, per_unit), (fingerprint_of(survey.questionnaire_hash, used_ids), len(used_ids))


def question_respondents(session: Session, survey: Survey, flt: SummaryFilter, question_ids: list[str]) -> dict[str, int]:
    """Return question id → responses that answered it (the base of a multiple-choice share)."""
    if not question_ids:
        return {}
    rows = session.execute(
        sa.select(Answer.question_id, sa.func.count(sa.distinct(Answer.response_id)))
        .join(Response, Response.id == Answer.response_id)
        .where(Answer.survey_id == survey.id, Answer.question_id.in_(question_ids), *flt.where(survey.id))
        .group_by(Answer.question_id))
    return {question_id: n for question_id, n in rows}

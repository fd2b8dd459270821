"""The respondent × question matrix of the statistics, aggregated by the database.

Cronbach's α and the bootstrap need one row per respondent.  Fetching every scored answer
(12 rows per response, 1.2 M rows at 10⁵ responses) and placing each one in Python cost far
more than the statistics themselves.  Instead the database folds each response's scored
answers into a few integers — a mixed-radix number per group of questions, one digit per
question (0 = no answer, k + 1 = the k-th option) — so one row per response crosses the
wire, and numpy unpacks the digits.  Rows stay in response-id order, so the seeded
bootstrap sees the respondents in the same order as before and gives the same interval.
"""

from __future__ import annotations

import numpy as np
import sqlalchemy as sa
from sqlalchemy.orm import Session

from ..domain.scoring import QuestionSpec
from ..models import Answer, Response, Survey

#: Largest value one packed group may reach: a signed 64-bit sum on every database.
PACK_LIMIT = 2**62


def packed_groups(scored: list[QuestionSpec]) -> list[list[tuple[int, int]]]:
    """Split the scored columns into groups whose packed value stays below ``PACK_LIMIT``.

    Each group is a list of (column, place value); a question with k options is a digit of
    radix k + 1.  Ten five-option questions fit one group (6¹⁰ ≈ 6·10⁷).
    """
    groups: list[list[tuple[int, int]]] = []
    place = PACK_LIMIT
    for column, spec in enumerate(scored):
        radix = len(spec.options) + 1
        if not groups or place * radix >= PACK_LIMIT:
            groups.append([])
            place = 1
        groups[-1].append((column, place))
        place *= radix
    return groups


def _packed_value(scored: list[QuestionSpec], group: list[tuple[int, int]]) -> sa.ColumnElement:
    """SUM over a response's answers of (option index + 1) × the question's place value."""
    digits = {}
    for column, place in group:
        spec = scored[column]
        digits[spec.id] = sa.case({o.key: (k + 1) * place for k, o in enumerate(spec.options)},
                                  value=Answer.option_key, else_=0)
    return sa.func.sum(sa.case(digits, value=Answer.question_id, else_=0))


def respondent_codes(session: Session, survey: Survey, flt, specs: list[QuestionSpec]) -> tuple[np.ndarray, np.ndarray]:
    """Return (codes, units): codes[r, q] = option index of respondent r on scored question q, −1 if none.

    ``units`` holds each respondent's unit id (−1 for no unit).  Respondents are in
    ascending response id; option indexes follow each question's option order in ``specs``;
    an option key the questionnaire does not know counts as no answer.
    """
    codes, units, _ = respondent_matrix(session, survey, flt, specs)
    return codes, units


def respondent_matrix(session: Session, survey: Survey, flt,
                      specs: list[QuestionSpec]) -> tuple[np.ndarray, np.ndarray, list[int]]:
    """``respondent_codes`` plus the response ids, all read by one statement (one snapshot)."""
    scored = [s for s in specs if s.scored]
    groups = packed_groups(scored)
    packed = (
        sa.select(Answer.response_id, *[_packed_value(scored, g).label(f"g{i}") for i, g in enumerate(groups)])
        .where(Answer.survey_id == survey.id, Answer.question_id.in_([s.id for s in scored]))
        .group_by(Answer.response_id)
        .subquery()
    )
    rows = session.connection().execute(  # Core rows: no ORM loading per response
        sa.select(Response.id, Response.unit_id, *[packed.c[f"g{i}"] for i in range(len(groups))])
        .select_from(Response)
        .outerjoin(packed, packed.c.response_id == Response.id)
        .where(*flt.where(survey.id))
        .order_by(Response.id)
    ).all()
    columns = list(zip(*rows, strict=True)) or [()] * (len(groups) + 2)
    ids, columns = list(columns[0]), columns[1:]
    units = np.array([-1 if u is None else u for u in columns[0]], dtype=np.int64)
    codes = np.full((len(rows), len(scored)), -1, dtype=np.int16)
    for i, group in enumerate(groups):
        # int(): PostgreSQL sums bigints as numeric; None: a response without scored answers.
        values = np.array([0 if v is None else int(v) for v in columns[i + 1]], dtype=np.int64)
        for column, place in group:
            codes[:, column] = (values // place) % (len(scored[column].options) + 1) - 1
    return codes, units, ids

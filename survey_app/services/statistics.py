"""Respondent-level statistics (Cronbach's α, bootstrap CI), cached by dataset fingerprint.

These need one row per respondent, so they cost one more query over the scored answers.
The result depends only on the responses used (the fingerprint), the questionnaire and
the scoring settings, so it is cached under exactly that key: several workers may each
compute it once, and none can ever serve a stale figure.
"""

from __future__ import annotations

import json
import threading
from collections import OrderedDict

import numpy as np
import sqlalchemy as sa
from sqlalchemy.orm import Session

from ..domain.scoring import (
    SERVICE_MAX_DRAWS,
    AlphaResult,
    ConfidenceInterval,
    QuestionSpec,
    ScoringSettings,
    alpha_from_codes,
    composite_ci_from_codes,
)
from ..models import Answer, Response, Survey

#: Two-stage by unit whenever responses belong to units (docs/scoring.md §7: "units_only" is the alternative).
BOOTSTRAP_DESIGN = "auto"
_CACHE: OrderedDict[str, tuple[AlphaResult, ConfidenceInterval]] = OrderedDict()
_CACHE_SIZE = 32
_LOCK = threading.Lock()


def respondent_codes(session: Session, survey: Survey, flt, specs: list[QuestionSpec]) -> tuple[np.ndarray, np.ndarray]:
    """Return (codes, units): codes[r, q] = option index of respondent r on scored question q, −1 if none.

    ``units`` holds each respondent's unit id (−1 for no unit).  Option indexes follow
    each question's option order in ``specs``.
    """
    scored = [s for s in specs if s.scored]
    column = {s.id: i for i, s in enumerate(scored)}
    option_index = {(s.id, o.key): k for s in scored for k, o in enumerate(s.options)}
    respondents = session.execute(
        sa.select(Response.id, Response.unit_id).where(*flt.where(survey.id)).order_by(Response.id)
    ).all()
    row = {rid: i for i, (rid, _) in enumerate(respondents)}
    codes = np.full((len(respondents), len(scored)), -1, dtype=np.int16)
    units = np.array([u if u is not None else -1 for _, u in respondents], dtype=np.int64)
    answers = session.execute(
        sa.select(Answer.response_id, Answer.question_id, Answer.option_key)
        .join(Response, Response.id == Answer.response_id)
        .where(Answer.survey_id == survey.id, Answer.question_id.in_(list(column)), *flt.where(survey.id))
    )
    for response_id, question_id, option_key in answers:
        index = option_index.get((question_id, option_key))
        if index is not None:
            codes[row[response_id], column[question_id]] = index
    return codes, units


def respondent_statistics(session: Session, survey: Survey, flt, specs: list[QuestionSpec],
                          settings: ScoringSettings, fingerprint: str) -> tuple[AlphaResult, ConfidenceInterval]:
    """Return (Cronbach's α, the bootstrap interval), computing them at most once per dataset.

    Both are frozen dataclasses, so the cached pair can be shared by every caller.
    """
    key = json.dumps([fingerprint, settings.to_dict(), [s.id for s in specs], BOOTSTRAP_DESIGN], sort_keys=True)
    with _LOCK:
        if key in _CACHE:
            _CACHE.move_to_end(key)
            return _CACHE[key]
    codes, units = respondent_codes(session, survey, flt, specs)
    scored = [s for s in specs if s.scored]
    value = (
        alpha_from_codes(codes, scored),
        # Large surveys get fewer resamples (≥ 500; docs/scoring.md) so the summary stays interactive.
        composite_ci_from_codes(codes, units, scored, settings, max_draws=SERVICE_MAX_DRAWS, design=BOOTSTRAP_DESIGN),
    )
    with _LOCK:
        _CACHE[key] = value
        while len(_CACHE) > _CACHE_SIZE:
            _CACHE.popitem(last=False)
    return value

"""Respondent-level statistics (Cronbach's α, bootstrap CI), cached by dataset fingerprint.

These need one row per respondent, so they cost one more query over the scored answers
(``statistics_sql.respondent_codes``) and a bootstrap.  The result depends only on the
responses used (the fingerprint), the questionnaire and the scoring settings, so it is
cached under exactly that key: several workers may each compute it once, and none can ever
serve a stale figure as current.

During collection every new answer changes the fingerprint, so the dashboard would always
find the cache cold.  ``latest_statistics`` therefore never makes it wait long: it starts
the computation in a background thread and, if that is not done within a short wait,
returns the last statistics computed for the same view, marked with their own fingerprint.
"""

from __future__ import annotations

import json
import logging
import threading
from collections import OrderedDict
from dataclasses import dataclass

from sqlalchemy.orm import Session

from ..domain.scoring import (
    SERVICE_MAX_DRAWS,
    AlphaResult,
    ConfidenceInterval,
    QuestionSpec,
    ScoreChances,
    ScoringSettings,
    alpha_from_codes,
    composite_ci_from_codes,
    score_chances,
)
from ..models import Survey
from .statistics_sql import respondent_codes, respondent_matrix
from .summary_sql import fingerprint_of

__all__ = ["Latest", "chances_of", "latest_statistics", "respondent_codes", "respondent_statistics"]

#: Two-stage by unit whenever responses belong to units (docs/scoring.md §7: "units_only" is the alternative).
BOOTSTRAP_DESIGN = "auto"
_CACHE: OrderedDict[str, tuple[AlphaResult, ConfidenceInterval]] = OrderedDict()
_CACHE_SIZE = 32
_LOCK = threading.Lock()
#: View key (survey, filter, settings, questions) → (fingerprint, statistics) last computed for it.
_LATEST: OrderedDict[str, tuple[str, tuple[AlphaResult, ConfidenceInterval]]] = OrderedDict()
#: View key → the background computation under way for it (at most one per view and process).
_RUNNING: dict[str, threading.Thread] = {}
#: (interval, score rule) → score chances: scoring B resampled composites is a fixed cost of every
#: summary with statistics (≈ 2 000 values, each rounded and scored in exact arithmetic).
_CHANCES: OrderedDict[tuple, ScoreChances | None] = OrderedDict()


@dataclass(frozen=True)
class Latest:
    """Statistics for a view and the fingerprint of the data they were computed from."""

    alpha: AlphaResult
    ci: ConfidenceInterval
    fingerprint: str
    #: True when ``fingerprint`` is the one asked for (the figures describe the current data).
    current: bool


def _key(fingerprint: str, settings: ScoringSettings, specs: list[QuestionSpec]) -> str:
    return json.dumps([fingerprint, settings.to_dict(), [s.id for s in specs], BOOTSTRAP_DESIGN], sort_keys=True)


def _view_key(survey: Survey, flt, settings: ScoringSettings, specs: list[QuestionSpec]) -> str:
    return json.dumps([survey.id, str(survey.created_at), flt.to_dict(), settings.to_dict(),
                       [s.id for s in specs], BOOTSTRAP_DESIGN], sort_keys=True, default=str)


def _compute(session: Session, survey: Survey, flt, specs: list[QuestionSpec],
             settings: ScoringSettings) -> tuple[str, tuple[AlphaResult, ConfidenceInterval]]:
    """Return (fingerprint of the data read, (α, interval)): one statement reads both."""
    codes, units, ids = respondent_matrix(session, survey, flt, specs)
    return fingerprint_of(survey.questionnaire_hash, ids), _statistics(codes, units, specs, settings)


def _statistics(codes, units, specs: list[QuestionSpec], settings: ScoringSettings):
    scored = [s for s in specs if s.scored]
    return (
        alpha_from_codes(codes, scored),
        # Large surveys get fewer resamples (≥ 500; docs/scoring.md) so the summary stays interactive.
        composite_ci_from_codes(codes, units, scored, settings, max_draws=SERVICE_MAX_DRAWS, design=BOOTSTRAP_DESIGN),
    )


def _store(key: str, view: str | None, fingerprint: str, value) -> None:
    with _LOCK:
        _CACHE[key] = value
        while len(_CACHE) > _CACHE_SIZE:
            _CACHE.popitem(last=False)
        if view is not None:
            _LATEST[view] = (fingerprint, value)
            _LATEST.move_to_end(view)
            while len(_LATEST) > _CACHE_SIZE:
                _LATEST.popitem(last=False)


def respondent_statistics(session: Session, survey: Survey, flt, specs: list[QuestionSpec],
                          settings: ScoringSettings, fingerprint: str) -> tuple[AlphaResult, ConfidenceInterval]:
    """Return (Cronbach's α, the bootstrap interval), computing them at most once per dataset.

    Both are frozen dataclasses, so the cached pair can be shared by every caller.
    """
    key = _key(fingerprint, settings, specs)
    with _LOCK:
        if key in _CACHE:
            _CACHE.move_to_end(key)
            return _CACHE[key]
    codes, units = respondent_codes(session, survey, flt, specs)
    value = _statistics(codes, units, specs, settings)
    _store(key, _view_key(survey, flt, settings, specs), fingerprint, value)
    return value


def latest_statistics(session: Session, survey: Survey, flt, specs: list[QuestionSpec], settings: ScoringSettings,
                      fingerprint: str, *, wait: float | None) -> Latest | None:
    """Return the statistics of ``fingerprint`` if they are ready within ``wait`` seconds, else the last ones.

    ``wait`` None waits for the computation to end.

    A miss starts one background computation per view (its own session on the same
    engine); meanwhile this returns the last statistics computed for the view, with
    ``current`` False and their own fingerprint, or None when there are none yet.  The
    background thread files its result under the fingerprint of the response ids that the
    matrix statement itself read, so a figure is never filed under data it did not see, and
    answers arriving meanwhile cannot keep it from being stored.
    """
    key, view = _key(fingerprint, settings, specs), _view_key(survey, flt, settings, specs)
    with _LOCK:
        if key in _CACHE:
            _CACHE.move_to_end(key)
            return Latest(*_CACHE[key], fingerprint, True)
        thread = _RUNNING.get(view)
        if thread is None:
            thread = _RUNNING[view] = threading.Thread(
                target=_background, args=(session.get_bind(), survey.id, flt, specs, settings, view),
                name="statistics", daemon=True)
            thread.start()
    thread.join(wait)
    with _LOCK:
        if key in _CACHE:
            return Latest(*_CACHE[key], fingerprint, True)
        seen = _LATEST.get(view)
    return None if seen is None else Latest(*seen[1], seen[0], seen[0] == fingerprint)


def chances_of(ci: ConfidenceInterval, rule) -> ScoreChances | None:
    """``score_chances(ci.values, rule)``, computed once per interval and rule (both frozen)."""
    key = (ci, rule)
    with _LOCK:
        if key in _CHANCES:
            _CHANCES.move_to_end(key)
            return _CHANCES[key]
    value = score_chances(ci.values, rule)
    with _LOCK:
        _CHANCES[key] = value
        while len(_CHANCES) > _CACHE_SIZE:
            _CHANCES.popitem(last=False)
    return value


def _background(bind, survey_id: int, flt, specs: list[QuestionSpec], settings: ScoringSettings, view: str) -> None:
    try:
        with Session(bind) as session:
            survey = session.get(Survey, survey_id)
            if survey is not None:
                fingerprint, value = _compute(session, survey, flt, specs, settings)
                _store(_key(fingerprint, settings, specs), view, fingerprint, value)
    except Exception:  # a thread has no caller to raise to; the next request simply tries again
        logging.getLogger(__name__).exception("background statistics failed")
    finally:
        with _LOCK:
            _RUNNING.pop(view, None)

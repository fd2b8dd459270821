"""95 % bootstrap confidence interval for the composite (percentile method).

Resampling: with aggregation ``respondent``, respondents are drawn with
replacement (n out of n); with ``unit``, units with a composite are drawn
(m out of m) and the interval is over the mean of their composites.  A fixed
seed (numpy ``default_rng``) makes the interval reproducible: the same data,
settings, B and seed give the same interval.  Limits are the
``(1−level)/2`` and ``(1+level)/2`` quantiles of the B resampled composites
(numpy's default linear interpolation); resamples without a composite are
dropped and counted.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Any, TypeVar

import numpy as np

from .composite import carried, compute_composite, score_unit, weighted_mean
from .counting import Answered, single_key, tally
from .numbers import as_float, round2
from .settings import ScoringSettings
from .specs import QuestionSpec

DEFAULT_SEED = 20240601
DEFAULT_RESAMPLES = 2000
T = TypeVar("T")


@dataclass(frozen=True)
class ConfidenceInterval:
    """A bootstrap interval; low/high are None when no resample had a value."""

    estimate: float | None
    low: float | None
    high: float | None
    level: float
    resamples: int
    #: Resamples that produced a value.
    used: int
    seed: int
    #: "respondent" or "unit": what was drawn.
    resampled: str

    def to_dict(self) -> dict[str, Any]:
        """Return JSON-ready data; estimate and limits with 2 decimals (ROUND_HALF_UP)."""

        def shown(value: float | None) -> float | None:
            return None if value is None else float(round2(value))

        return {
            "estimate": shown(self.estimate),
            "low": shown(self.low),
            "high": shown(self.high),
            "level": self.level,
            "resamples": self.resamples,
            "used": self.used,
            "seed": self.seed,
            "resampled": self.resampled,
        }


def percentile_interval(
    values: Sequence[float], level: float
) -> tuple[float | None, float | None]:
    """Return the percentile-method limits of the resampled values."""
    if not len(values):
        return None, None
    low, high = np.quantile(
        np.asarray(values, dtype=float), [(1 - level) / 2, (1 + level) / 2]
    )
    return float(low), float(high)


def bootstrap_ci(
    items: Sequence[T],
    statistic: Callable[[Sequence[T]], float | None],
    *,
    resamples: int = DEFAULT_RESAMPLES,
    seed: int = DEFAULT_SEED,
    level: float = 0.95,
    resampled: str = "respondent",
) -> ConfidenceInterval:
    """Bootstrap any statistic by drawing ``items`` with replacement (generic, slower path)."""
    rng = np.random.default_rng(seed)
    values = []
    for _ in range(resamples):
        picks = rng.integers(0, len(items), len(items)) if items else []
        value = statistic([items[i] for i in picks])
        if value is not None:
            values.append(float(value))
    low, high = percentile_interval(values, level)
    estimate = statistic(items)
    return ConfidenceInterval(
        None if estimate is None else float(estimate),
        low,
        high,
        level,
        resamples,
        len(values),
        seed,
        resampled,
    )


def composite_ci(
    responses: Sequence[Answered],
    questions: Sequence[QuestionSpec],
    settings: ScoringSettings | None = None,
    *,
    resamples: int = DEFAULT_RESAMPLES,
    seed: int = DEFAULT_SEED,
    level: float = 0.95,
) -> ConfidenceInterval:
    """Bootstrap the composite of valid responses, over units when aggregating by unit."""
    settings = settings or ScoringSettings()
    estimate = as_float(
        compute_composite(
            tally(responses, questions), questions, settings
        ).composite.exact
    )
    if settings.aggregation == "unit":
        values = _unit_values(responses, questions, settings, resamples, seed)
    else:
        values = _respondent_values(responses, questions, settings, resamples, seed)
    low, high = percentile_interval(values, level)
    return ConfidenceInterval(
        estimate, low, high, level, resamples, len(values), seed, settings.aggregation
    )


def _unit_values(
    responses: Sequence[Answered],
    questions: Sequence[QuestionSpec],
    settings: ScoringSettings,
    resamples: int,
    seed: int,
) -> list[float]:
    """Resample units; a unit's composite does not change, only how often it is drawn."""
    per_unit = tally(responses, questions)
    unit_values = [
        carried(score_unit(unit, counts, questions, settings).composite.exact, settings)
        for unit, counts in per_unit.items()
        if unit is not None
    ]
    kept = [value for value in unit_values if value is not None]
    rng = np.random.default_rng(seed)
    values = []
    for _ in range(resamples):
        drawn = (
            np.bincount(rng.integers(0, len(kept), len(kept)), minlength=len(kept))
            if kept
            else []
        )
        value = weighted_mean(
            (v, Fraction(int(times))) for v, times in zip(kept, drawn, strict=True)
        )
        if value is not None:
            values.append(float(value))
    return values


def _respondent_values(
    responses: Sequence[Answered],
    questions: Sequence[QuestionSpec],
    settings: ScoringSettings,
    resamples: int,
    seed: int,
    chunk: int = 200,
) -> list[float]:
    """Resample respondents as multiplicities × a respondent-by-(question, option) indicator matrix.

    Counting a resample is then one matrix product instead of a Python loop
    over answers; the counts go through the same :func:`compute_composite` code.
    """
    columns: list[tuple[str, str]] = [
        (s.id, o.key) for s in questions if s.scored for o in s.options
    ]
    index = {column: i for i, column in enumerate(columns)}
    scored_ids = {s.id for s in questions if s.scored}
    indicator = np.zeros((len(responses), len(columns)))
    for row, response in enumerate(responses):
        for qid, answer in response.answers.items():
            if qid in scored_ids:
                indicator[row, index[(qid, single_key(qid, answer))]] = 1
    rng = np.random.default_rng(seed)
    n, values = len(responses), []
    for start in range(0, resamples, chunk):
        size = min(chunk, resamples - start)
        picks = rng.integers(0, n, (size, n)) if n else np.zeros((size, 0), dtype=int)
        offsets = (picks + np.arange(size)[:, None] * n).ravel()
        multiplicity = np.bincount(offsets, minlength=size * n).reshape(size, n)
        for row in multiplicity @ indicator:
            counts: dict[Hashable | None, dict[str, dict[str, int]]] = {None: {}}
            for (qid, key), count in zip(columns, row, strict=True):
                counts[None].setdefault(qid, {})[key] = int(count)
            value = compute_composite(counts, questions, settings).composite.exact
            if value is not None:
                values.append(float(value))
    return values

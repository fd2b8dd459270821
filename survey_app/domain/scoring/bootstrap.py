"""95 % bootstrap confidence interval for the composite (percentile method).

Resampling: with aggregation ``respondent``, respondents are drawn with
replacement (n out of n); with ``unit``, the units that have a composite are
drawn (m out of m) and each resample's value is the mean of the drawn units'
composites (a unit's composite does not change, only how often it is drawn).
A fixed seed (numpy ``default_rng``) makes the interval reproducible: the same
data, settings, B and seed give the same interval.  Limits are the
``(1−level)/2`` and ``(1+level)/2`` quantiles of the B resampled composites
(numpy's default linear interpolation); resamples without a composite are
dropped and counted.

Why it is fast: a question's satisfaction is linear in its counts, so a
resample only needs Σ wᵣ·pointsᵣ and Σ wᵣ·countedᵣ per question, with wᵣ the
resample's multiplicities (``bincount`` of n draws).  Resamples are done in
chunks as one matrix product W (chunk × n) @ [points | counted] (n × 2Q),
with W bounded to ``CHUNK_CELLS`` floats (32 MB).  Each resample draws
``rng.integers(0, n, n)`` in turn, so the chunk size never changes a result.

Display rounding: the interval describes sampling uncertainty, not how
shares are printed, so it is computed with ``rounding="exact"`` whatever the
setting; with ``from_displayed_shares`` the estimate is the exact composite,
which can differ from the printed one in the second decimal.

Cost ∝ B × n.  ``resamples`` defaults to 2000; a caller with a time budget
(the summary service for very large surveys) passes ``max_draws``: B is then
lowered to ``max_draws // n`` but never below ``MIN_RESAMPLES``.  At large n
the interval is narrow, so fewer resamples suffice: the Monte-Carlo error of a
limit is ≈ 2.7/√B standard errors σ/√n, ≈ 3.8·10⁻⁴·σ points with
``SERVICE_MAX_DRAWS`` (σ: spread of one respondent's composite).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, TypeVar

import numpy as np

from .counting import Answered
from .numbers import as_float, round2
from .respondent_matrix import (
    check_codes,
    check_units,
    codes_from_responses,
    scored_columns,
    unit_sums,
)
from .settings import ScoringSettings
from .specs import QuestionSpec

DEFAULT_SEED = 20240601
DEFAULT_RESAMPLES = 2000
#: Fewest resamples a ``max_draws`` budget may leave.
MIN_RESAMPLES = 500
#: Budget (resamples × drawn items) for the summary service: 500 resamples at 10⁵ respondents.
SERVICE_MAX_DRAWS = 50_000_000
#: Multiplicity cells (resamples × n) held at once.
CHUNK_CELLS = 2**22
T = TypeVar("T")


@dataclass(frozen=True)
class ConfidenceInterval:
    """A bootstrap interval; low/high are None when skipped or no resample had a value."""

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
    skipped_reason: str | None = None
    skipped_reason_zh: str | None = None

    @property
    def low_shown(self) -> Decimal | None:
        """Return the lower limit with 2 decimals (ROUND_HALF_UP), as reports print it."""
        return None if self.low is None else round2(self.low)

    @property
    def high_shown(self) -> Decimal | None:
        """Return the upper limit with 2 decimals (ROUND_HALF_UP), as reports print it."""
        return None if self.high is None else round2(self.high)

    def to_dict(self) -> dict[str, Any]:
        """Return JSON-ready data; estimate and limits with 2 decimals (ROUND_HALF_UP)."""

        def shown(value: float | None) -> float | None:
            return None if value is None else float(round2(value))

        return {
            "estimate": shown(self.estimate),
            "low": as_float(self.low_shown),
            "high": as_float(self.high_shown),
            "level": self.level,
            "resamples": self.resamples,
            "used": self.used,
            "seed": self.seed,
            "resampled": self.resampled,
            "skipped_reason": self.skipped_reason,
            "skipped_reason_zh": self.skipped_reason_zh,
        }


def percentile_interval(
    values: Sequence[float] | np.ndarray, level: float
) -> tuple[float | None, float | None]:
    """Return the percentile-method limits of the resampled values."""
    if not len(values):
        return None, None
    low, high = np.quantile(
        np.asarray(values, dtype=float), [(1 - level) / 2, (1 + level) / 2]
    )
    return float(low), float(high)


def planned_resamples(resamples: int, drawn: int, max_draws: int | None) -> int:
    """Return B: ``resamples``, or fewer (≥ ``MIN_RESAMPLES``) when B × drawn exceeds ``max_draws``."""
    if max_draws is None or resamples * drawn <= max_draws:
        return resamples
    return min(resamples, max(MIN_RESAMPLES, max_draws // max(drawn, 1)))


def bootstrap_ci(
    items: Sequence[T],
    statistic: Callable[[Sequence[T]], float | None],
    *,
    resamples: int = DEFAULT_RESAMPLES,
    seed: int = DEFAULT_SEED,
    level: float = 0.95,
    resampled: str = "respondent",
) -> ConfidenceInterval:
    """Bootstrap any statistic by drawing ``items`` with replacement (generic, slow path)."""
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
    max_draws: int | None = None,
) -> ConfidenceInterval:
    """Bootstrap the composite of response objects (``.unit``, ``.answers``); see the array version."""
    codes, units, _ = codes_from_responses(responses, questions)
    return composite_ci_from_codes(
        codes,
        units,
        questions,
        settings,
        resamples=resamples,
        seed=seed,
        level=level,
        max_draws=max_draws,
    )


def composite_ci_from_codes(
    codes: np.ndarray,
    units: np.ndarray,
    questions: Sequence[QuestionSpec],
    settings: ScoringSettings | None = None,
    *,
    resamples: int = DEFAULT_RESAMPLES,
    seed: int = DEFAULT_SEED,
    level: float = 0.95,
    max_draws: int | None = None,
) -> ConfidenceInterval:
    """Bootstrap the composite from arrays, over units when aggregating by unit.

    :param codes: respondents × ``questions``: option index in
        ``QuestionSpec.options`` order, −1 for no answer (see respondent_matrix).
    :param units: one int per respondent, −1 for no unit (left out with
        aggregation ``unit``, pooled with ``respondent``).
    :param max_draws: optional budget on resamples × drawn items (see module doc).
    """
    settings = settings or ScoringSettings()
    codes = check_codes(codes, questions)
    units = check_units(units, len(codes))
    columns = scored_columns(codes, questions, settings)
    data = columns.data
    if settings.aggregation == "unit":
        unit_values = columns.composite(unit_sums(data, units))
        kept = unit_values[~np.isnan(unit_values)]
        drawn, estimate = len(kept), float(kept.mean()) if len(kept) else None
        values, statistic = kept[:, None], (lambda s: s[:, 0] / len(kept))
    else:
        whole = float(columns.composite(data.sum(axis=0)))
        drawn, estimate = len(codes), None if np.isnan(whole) else whole
        values, statistic = data, columns.composite
    b = planned_resamples(resamples, drawn, max_draws)
    reason = _skip_reason(settings.aggregation, drawn, estimate)
    if reason:
        return ConfidenceInterval(
            estimate, None, None, level, b, 0, seed, settings.aggregation, *reason
        )
    resampled = _resample(values, statistic, b, seed)
    resampled = resampled[~np.isnan(resampled)]
    low, high = percentile_interval(resampled, level)
    return ConfidenceInterval(
        estimate, low, high, level, b, len(resampled), seed, settings.aggregation
    )


def _skip_reason(
    aggregation: str, drawn: int, estimate: float | None
) -> tuple[str, str] | None:
    """Return (reason, reason_zh) when there is too little to resample, else None."""
    if aggregation == "unit" and drawn < 2:
        return (
            f"fewer than 2 units with a composite ({drawn})",
            f"有综合满意度的单位少于2个（{drawn}个），不计算置信区间",
        )
    if drawn < 2:
        return (
            f"fewer than 2 respondents ({drawn})",
            f"有效问卷少于2份（{drawn}份），不计算置信区间",
        )
    if estimate is None:
        return "no scored answers", "没有计分题答案，不计算置信区间"
    return None


def _resample(
    values: np.ndarray,
    statistic: Callable[[np.ndarray], np.ndarray],
    resamples: int,
    seed: int,
) -> np.ndarray:
    """Return ``statistic(W @ values)`` for B multiplicity vectors W (NaN: no value).

    Multiplicities of one resample: ``bincount(rng.integers(0, n, n))``,
    drawn resample after resample, so the chunk size cannot change results.
    """
    rng = np.random.default_rng(seed)
    n = values.shape[0]
    chunk = max(1, min(resamples, CHUNK_CELLS // n))
    weights = np.empty((chunk, n))
    out = np.empty(resamples)
    for start in range(0, resamples, chunk):
        size = min(chunk, resamples - start)
        for row in range(size):
            weights[row] = np.bincount(rng.integers(0, n, n), minlength=n)
        out[start : start + size] = statistic(weights[:size] @ values)
    return out

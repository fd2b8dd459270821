"""95 % bootstrap confidence interval for the composite (percentile method).

Design: answers come in units (5–6 per enterprise), and answers within a unit are alike,
so whenever respondents belong to units the bootstrap is **two-stage by unit**: draw m
units out of m with replacement, then, inside each drawn unit, draw its respondents with
replacement (nᵤ out of nᵤ), and recompute the composite.  With aggregation ``respondent``
respondents without a unit are clusters of one; with ``unit`` they are left out (as the
composite leaves them out) and the drawn units' composites are averaged.  Without any
unit the bootstrap resamples respondents (n out of n).  The design effect is the variance
of the clustered resamples over that of simple respondent resamples (same estimator,
same B), so n / deff is the effective sample size.  A fixed seed (numpy ``default_rng``) makes the interval reproducible: the same
data, settings, B and seed give the same interval.  Limits are the
``(1−level)/2`` and ``(1+level)/2`` quantiles of the B resampled composites
(numpy's default linear interpolation); resamples without a composite are
dropped and counted.

Why it is fast: a question's satisfaction is linear in its counts, so a
resample only needs Σ wᵣ·pointsᵣ and Σ wᵣ·countedᵣ per question, with wᵣ the
resample's multiplicities (``bincount`` of n draws).  Resamples are done in
chunks as one matrix product W (chunk × n) @ [points | counted] (n × 2Q),
with W bounded to ``resampling.CHUNK_CELLS`` floats (32 MB).  Each resample draws
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
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, TypeVar

import numpy as np

from .counting import Answered
from .numbers import as_float, round2
from .resampling import (
    AUTO,
    DESIGNS,
    RESPONDENT,
    UNIT,
    UNITS_ONLY,
    respondent_clusters,
    simple,
    two_stage,
)
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
    #: "respondent" (simple resampling) or "unit" (two-stage: units, then respondents within).
    resampled: str
    skipped_reason: str | None = None
    skipped_reason_zh: str | None = None
    #: Variance of the resampled composites over that of simple respondent resampling
    #: (None unless resampled by unit).
    design_effect: float | None = None
    #: Limits under simple respondent resampling, for comparison (resampled by unit only).
    srs_low: float | None = None
    srs_high: float | None = None
    #: Respondents the estimate uses (n; n / design_effect is the effective sample size).
    n: int | None = None
    #: The resampled composites (used: score probabilities); not part of ``to_dict``.
    values: tuple[float, ...] = field(default=(), repr=False)

    @property
    def effective_n(self) -> float | None:
        """Return n / design effect (None without a design effect)."""
        if self.design_effect is None or not self.n or self.design_effect <= 0:
            return None
        return self.n / self.design_effect

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
            "design_effect": None if self.design_effect is None else round(self.design_effect, 2),
            "effective_n": None if self.effective_n is None else round(self.effective_n, 1),
            "srs_low": shown(self.srs_low),
            "srs_high": shown(self.srs_high),
            "n": self.n,
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
    design: str = "auto",
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
        design=design,
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
    design: str = "auto",
) -> ConfidenceInterval:
    """Bootstrap the composite from arrays: by unit (two-stage) whenever respondents have units.

    :param codes: respondents × ``questions``: option index in
        ``QuestionSpec.options`` order, −1 for no answer (see respondent_matrix).
    :param units: one int per respondent, −1 for no unit.
    :param max_draws: optional budget on resamples × drawn respondents (see module doc).
    :param design: ``auto`` (two-stage by unit when any respondent has a unit, else
        respondents), ``respondent`` (always simple respondent resampling) or
        ``units_only`` (draw units, keep each drawn unit's respondents as they are; see
        docs/scoring.md §7 on why the two-stage variance is conservative).
    """
    if design not in DESIGNS:
        raise ValueError(f"design must be one of {', '.join(DESIGNS)}; got {design!r}")
    settings = settings or ScoringSettings()
    codes = check_codes(codes, questions)
    units = check_units(units, len(codes))
    columns = scored_columns(codes, questions, settings)
    data = columns.data
    by_unit = settings.aggregation == "unit"
    if by_unit:
        unit_values = columns.composite(unit_sums(data, units))
        kept = unit_values[~np.isnan(unit_values)]
        drawn, estimate = len(kept), float(kept.mean()) if len(kept) else None
        # Respondents of the units with a composite, labelled 0..m−1 in ascending unit order.
        labels = np.unique(units[units >= 0])[~np.isnan(unit_values)]
        inside = np.isin(units, labels)
        data_u, groups = data[inside], np.searchsorted(labels, units[inside])
        n = int(inside.sum())
    else:
        whole = float(columns.composite(data.sum(axis=0)))
        drawn, estimate = len(codes), None if np.isnan(whole) else whole
        data_u, groups, n = data, respondent_clusters(units), len(codes)
    clustered = design in (AUTO, UNITS_ONLY) and bool((units >= 0).any())
    resampled = (UNITS_ONLY if design == UNITS_ONLY else UNIT) if clustered else (UNIT if by_unit else RESPONDENT)
    b = planned_resamples(resamples, n if clustered or not by_unit else drawn, max_draws)
    reason = _skip_reason(settings.aggregation, drawn, estimate)
    if reason:
        return ConfidenceInterval(estimate, None, None, level, b, 0, seed, resampled, *reason, n=n)
    srs = simple(data_u, groups if by_unit else None, columns, b, seed)
    if not clustered:
        values = srs[~np.isnan(srs)]
        low, high = percentile_interval(values, level)
        return ConfidenceInterval(estimate, low, high, level, b, len(values), seed, resampled, n=n,
                                  values=tuple(float(v) for v in values))
    clustered_values = two_stage(data_u, groups, columns, b, seed, average_units=by_unit, within=design == AUTO)
    values = clustered_values[~np.isnan(clustered_values)]
    low, high = percentile_interval(values, level)
    srs = srs[~np.isnan(srs)]
    srs_low, srs_high = percentile_interval(srs, level)
    srs_var = float(np.var(srs, ddof=1)) if len(srs) > 1 else 0.0
    deff = float(np.var(values, ddof=1)) / srs_var if srs_var > 0 and len(values) > 1 else None
    return ConfidenceInterval(estimate, low, high, level, b, len(values), seed, resampled, design_effect=deff,
                              srs_low=srs_low, srs_high=srs_high, n=n, values=tuple(float(v) for v in values))


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

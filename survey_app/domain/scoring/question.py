"""Per-question distribution and satisfaction.

One formula covers the three methods: each option gets *points* p (0..100)
and satisfaction = Σ wᵢ·pᵢ over the options in the *basis*, where wᵢ is the
option's weight in the denominator:

* ``weighted``: p = the option's value (赋值).
* ``top2_share``: p = 100 for the two best-valued scored options, else 0.
* ``mean``: p = (rank − 1)/(m − 1)·100, rank 1 (worst) … m (best).

Basis: ``exclude`` uses scored options only; ``zero`` also keeps not-scored
options, with p = 0 (for ``mean``: rank 1, the bottom of the scale).
Weights: ``exact`` uses cᵢ/Σc from the counts; ``from_displayed_shares`` uses
the largest-remainder shares over the basis, rounded to 2 decimals, ÷ 100.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from functools import lru_cache
from typing import Any

from .errors import ScoringInputError
from .numbers import as_float, round2, to_fraction
from .settings import ScoringSettings
from .shares import WHOLE, rounded_units, shares_of
from .specs import OptionSpec


@dataclass(frozen=True)
class QuestionResult:
    """Distribution and satisfaction of one question; lists are in scale order."""

    question_id: str | None
    options: tuple[OptionSpec, ...]
    counts: tuple[int, ...]
    #: All answers, including not-scored ones (不了解).
    n: int
    #: Answers on scored options.
    n_scored: int
    #: Answers in the satisfaction denominator (n_scored for exclude, n for zero).
    denominator: int
    #: Shares of all answers, for display; add up to 100.00 (or all 0.00 when n = 0).
    shares: tuple[Decimal, ...]
    #: Shares over the denominator (None for options outside it); the ones
    #: ``from_displayed_shares`` multiplies.
    basis_shares: tuple[Decimal | None, ...]
    method: str
    rounding: str
    share_rounding: str
    #: Unrounded satisfaction in the chosen rounding mode; None when denominator = 0.
    satisfaction_exact: Fraction | None
    #: Satisfaction for display: 2 decimals, ROUND_HALF_UP.
    satisfaction: Decimal | None
    #: Likert mean on the 1..m scale (method ``mean`` only).
    likert_mean_exact: Fraction | None = None
    likert_mean: Decimal | None = None
    #: m, the number of distinct scored values (method ``mean`` only).
    likert_points: int | None = None

    def to_dict(self) -> dict[str, Any]:
        """Return JSON-ready data; options as a list in scale order."""
        options = [
            {
                "key": option.key,
                "label": option.label,
                "value": option.value,
                "scored": option.scored,
                "count": count,
                "share": float(share),
                "basis_share": as_float(basis),
            }
            for option, count, share, basis in zip(
                self.options, self.counts, self.shares, self.basis_shares, strict=True
            )
        ]
        return {
            "question_id": self.question_id,
            "n": self.n,
            "n_scored": self.n_scored,
            "denominator": self.denominator,
            "options": options,
            "method": self.method,
            "rounding": self.rounding,
            "share_rounding": self.share_rounding,
            "shares_total": float(sum(self.shares)),
            "satisfaction": as_float(self.satisfaction),
            "satisfaction_exact": as_float(self.satisfaction_exact),
            "likert_mean": as_float(self.likert_mean),
            "likert_mean_exact": as_float(self.likert_mean_exact),
            "likert_points": self.likert_points,
        }


def ordered_counts(
    options: Sequence[OptionSpec], counts: Mapping[str, int]
) -> list[int]:
    """Return counts in scale order, refusing keys the scale does not have."""
    keys = {option.key for option in options}
    unknown = sorted(str(key) for key in counts if key not in keys)
    if unknown:
        raise ScoringInputError(
            f"counts for unknown option(s): {', '.join(unknown)}",
            f"计数中含有题目不存在的选项：{'、'.join(unknown)}",
        )
    return [counts.get(option.key, 0) for option in options]


def top2_keys(options: Sequence[OptionSpec]) -> set[str]:
    """Return the keys of the two best-valued scored options.

    Ties in value: earlier in scale order wins.  With only two scored options
    the best one alone counts, or a yes/no question's top-2 share would always
    be 100 %.
    """
    scored = [(i, o) for i, o in enumerate(options) if o.value is not None]
    ranked = sorted(scored, key=lambda pair: (-to_fraction(pair[1].value), pair[0]))
    take = 1 if len(ranked) <= 2 else 2
    return {option.key for _, option in ranked[:take]}


def likert_ranks(options: Sequence[OptionSpec]) -> dict[str, int]:
    """Rank scored options by value: 1 = worst … m = best; equal values share a rank."""
    distinct = sorted({to_fraction(o.value) for o in options if o.value is not None})
    return {
        o.key: distinct.index(to_fraction(o.value)) + 1
        for o in options
        if o.value is not None
    }


def option_points(options: Sequence[OptionSpec], method: str) -> list[Fraction]:
    """Return each option's points 0..100 under ``method``; not-scored options get 0."""
    if method == "weighted":
        return [
            Fraction(0) if o.value is None else to_fraction(o.value) for o in options
        ]
    if method == "top2_share":
        top = top2_keys(options)
        return [Fraction(100) if o.key in top else Fraction(0) for o in options]
    ranks = likert_ranks(options)
    m = max(ranks.values())
    return [Fraction((ranks.get(o.key, 1) - 1) * 100, m - 1) for o in options]


@lru_cache(maxsize=1024)
def integer_points(
    options: tuple[OptionSpec, ...], method: str
) -> tuple[tuple[int, ...], int]:
    """Return option points as integer numerators over one common denominator."""
    points = option_points(options, method)
    scale = math.lcm(*(p.denominator for p in points))
    return tuple(int(p * scale) for p in points), scale


def score_question(
    options: Sequence[OptionSpec],
    counts: Mapping[str, int],
    settings: ScoringSettings | None = None,
    *,
    question_id: str | None = None,
) -> QuestionResult:
    """Compute one question's shares and satisfaction from its option counts.

    :param options: the scale in scale order.
    :param counts: answers per option key; missing keys count 0.
    :raises ScoringInputError: on unknown option keys or negative counts.
    """
    settings = settings or ScoringSettings()
    options = tuple(options)
    ordered = ordered_counts(options, counts)
    in_basis = [o.scored or settings.not_scored == "zero" for o in options]
    basis_counts = [c for c, keep in zip(ordered, in_basis, strict=True) if keep]
    denominator = sum(basis_counts)
    # Per option: its count and its displayed share in hundredths, both 0 outside the basis.
    spread = iter(rounded_units(basis_counts, settings.share_rounding))
    hundredths = [next(spread) if keep else None for keep in in_basis]
    counted = [c if keep else 0 for c, keep in zip(ordered, in_basis, strict=True)]

    exact: Fraction | None = None
    if denominator:
        # Integer points over one common scale: a single Fraction per call.
        numerators, scale = integer_points(options, settings.method)
        if settings.rounding == "exact":
            weights, total = counted, denominator
        else:
            weights, total = [h or 0 for h in hundredths], WHOLE
        dot = sum(w * p for w, p in zip(weights, numerators, strict=True))
        exact = Fraction(dot, total * scale)

    likert = {}
    if settings.method == "mean":
        m = max(likert_ranks(options).values())
        mean = None if exact is None else 1 + exact * (m - 1) / 100
        likert = {
            "likert_points": m,
            "likert_mean_exact": mean,
            "likert_mean": None if mean is None else round2(mean),
        }
    return QuestionResult(
        question_id=question_id,
        options=options,
        counts=tuple(ordered),
        n=sum(ordered),
        n_scored=sum(c for c, o in zip(ordered, options, strict=True) if o.scored),
        denominator=denominator,
        shares=tuple(shares_of(ordered, settings.share_rounding)),
        basis_shares=tuple(
            None if h is None else Decimal(h).scaleb(-2) for h in hundredths
        ),
        method=settings.method,
        rounding=settings.rounding,
        share_rounding=settings.share_rounding,
        satisfaction_exact=exact,
        satisfaction=None if exact is None else round2(exact),
        **likert,
    )

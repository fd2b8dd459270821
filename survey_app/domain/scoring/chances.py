"""How firm is the score: the probability of each possible indicator score, from the bootstrap.

Each bootstrap resample of the composite is scored like the real one — rounded to 2
decimals (ROUND_HALF_UP), clipped to 0–100 and passed to the survey's score rule — and
the probability of a score is the share of resamples that earn it: count / used, exact
fractions that add up to 1.  Displayed as whole percents, rounded with the largest
remainder and the tie rule of ``shares.py`` (so equal counts print equal percents).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from typing import Any

from ...texts_zh import scoring as zh
from .numbers import round2
from .rule_values import json_number
from .rules import ScoreRule
from .shares import LARGEST_REMAINDER, rounded_units

#: More possible scores than this (ratio and deduction rules) are not listed one by one.
MAX_OUTCOMES = 6


@dataclass(frozen=True)
class ScoreChance:
    """One possible score: how many resamples earn it, and their share."""

    points: Decimal
    count: int
    probability: Fraction
    #: Whole percent for display (largest remainder over all outcomes).
    percent: int

    def to_dict(self) -> dict[str, Any]:
        """Return JSON-ready data."""
        return {"points": json_number(self.points), "count": self.count,
                "probability": round(float(self.probability), 4), "percent": self.percent}


@dataclass(frozen=True)
class ScoreChances:
    """The possible scores, most likely first (equal counts: the higher score first)."""

    chances: tuple[ScoreChance, ...]
    used: int
    #: Set when the rule has too many possible scores to list (``chances`` is then empty).
    skipped_reason_zh: str | None = None

    @property
    def sentence_zh(self) -> str:
        """"按重抽样估计，该项指标得5分的可能性约为78%，得6分约为22%。" (or why none is given)."""
        if not self.chances:
            return f"{self.skipped_reason_zh}。" if self.skipped_reason_zh else ""
        parts = []
        for i, chance in enumerate(self.chances):
            shown = (zh.CHANCE_BELOW_ONE if chance.percent == 0
                     else zh.CHANCE_PERCENT.format(n=chance.percent))
            template = zh.CHANCE_FIRST if i == 0 else zh.CHANCE_NEXT
            parts.append(template.format(points=json_number(chance.points), percent=shown))
        return zh.CHANCES_SENTENCE.format(parts="，".join(parts))

    def to_dict(self) -> dict[str, Any]:
        """Return JSON-ready data."""
        return {"chances": [c.to_dict() for c in self.chances], "used": self.used,
                "sentence_zh": self.sentence_zh}


def score_chances(values: Sequence[float], rule: ScoreRule) -> ScoreChances | None:
    """Score every resampled composite with ``rule``; None without resamples."""
    if not len(values):
        return None
    cache: dict[Decimal, Decimal] = {}
    counts: Counter[Decimal] = Counter()
    for value in values:
        shown = min(Decimal(100), max(Decimal(0), round2(value)))
        if shown not in cache:
            cache[shown] = rule.evaluate(shown).points
        counts[cache[shown]] += 1
    used = sum(counts.values())
    if len(counts) > MAX_OUTCOMES:
        return ScoreChances((), used, zh.CHANCES_TOO_MANY)
    ordered = sorted(counts.items(), key=lambda item: (-item[1], -item[0]))
    percents = rounded_units([count for _, count in ordered], LARGEST_REMAINDER, whole=100)
    return ScoreChances(
        tuple(ScoreChance(points, count, Fraction(count, used), percent)
              for (points, count), percent in zip(ordered, percents, strict=True)),
        used,
    )

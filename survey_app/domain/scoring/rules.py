"""Score rules: from the composite satisfaction to the indicator's points.

The satisfaction a rule compares is the **displayed** composite, rounded to
2 decimals with ROUND_HALF_UP (94.999 → 95.00 → top band), so a reader who
compares the printed number with the printed rule gets the printed score.
Points are rounded to 2 decimals with ROUND_HALF_UP as well.

Rules are stored per survey as plain dicts: :func:`rule_from_dict` and
``rule.to_dict()`` convert both ways.  Chinese texts live in :mod:`.texts_zh`.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any, ClassVar

from ...texts_zh import scoring as zh
from .numbers import Number, plain, round2, to_fraction
from .rule_values import (
    check_target,
    displayed_satisfaction,
    json_number,
    normalise,
    pct,
)

if TYPE_CHECKING:
    from .band import Band


@dataclass(frozen=True)
class ScoreResult:
    """A rule applied to a satisfaction: the points and the sentences a report prints."""

    rule: dict[str, Any]
    satisfaction: Decimal
    weight: Decimal
    points: Decimal
    rule_zh: str
    working_zh: str
    #: The band the satisfaction falls in (band rules only); not part of ``to_dict``.
    band: Band | None = None

    def to_dict(self) -> dict[str, Any]:
        """Return JSON-ready data."""
        return {
            "rule": self.rule,
            "satisfaction": float(self.satisfaction),
            "weight": json_number(self.weight),
            "points": float(self.points),
            "rule_zh": self.rule_zh,
            "working_zh": self.working_zh,
        }


class ScoreRule(ABC):
    """Common interface of the four rule types."""

    type: ClassVar[str]
    weight: Decimal

    @abstractmethod
    def points_for(self, satisfaction: Decimal) -> Decimal:
        """Return the unrounded points for a displayed satisfaction."""

    @abstractmethod
    def describe_zh(self) -> str:
        """Render the rule in Chinese, as the report prints it."""

    @abstractmethod
    def working_zh(self, satisfaction: Number) -> str:
        """Render the working for a satisfaction in Chinese."""

    @abstractmethod
    def to_dict(self) -> dict[str, Any]:
        """Return the rule as a JSON-ready dict that :func:`rule_from_dict` reads back."""

    def band_for(self, satisfaction: Decimal) -> Band | None:
        """Return the band a displayed satisfaction falls in; only band rules have bands."""
        return None

    def score(self, satisfaction: Number) -> Decimal:
        """Return the points (2 decimals, ROUND_HALF_UP) for a satisfaction."""
        return round2(self.points_for(displayed_satisfaction(satisfaction)))

    def evaluate(self, satisfaction: Number) -> ScoreResult:
        """Apply the rule and return points with the rule text and working."""
        shown = displayed_satisfaction(satisfaction)
        return ScoreResult(
            self.to_dict(),
            shown,
            self.weight,
            self.score(shown),
            self.describe_zh(),
            self.working_zh(shown),
            self.band_for(shown),
        )


@dataclass(frozen=True)
class RatioRule(ScoreRule):
    """比率法: min(1, actual/target) × weight; 0 below an optional floor."""

    weight: Decimal
    target: Decimal
    floor: Decimal | None = None
    type: ClassVar[str] = "ratio"

    def __post_init__(self) -> None:
        normalise(self, ("weight", "target", "floor"))
        check_target(self.weight, self.target, {"floor": self.floor})

    def points_for(self, satisfaction: Decimal) -> Decimal:
        """Return min(1, s/target)·weight, or 0 below the floor."""
        if self.floor is not None and satisfaction < self.floor:
            return Decimal(0)
        ratio = min(
            to_fraction(1), to_fraction(satisfaction) / to_fraction(self.target)
        )
        return round2(ratio * to_fraction(self.weight))

    def describe_zh(self) -> str:
        """Render the rule in Chinese."""
        text = zh.RATIO_RULE.format(
            target=plain(self.target), weight=plain(self.weight)
        )
        if self.floor is not None:
            text += zh.FLOOR_CLAUSE.format(floor=plain(self.floor))
        return text + "。"

    def working_zh(self, satisfaction: Number) -> str:
        """Render the working in Chinese."""
        s = displayed_satisfaction(satisfaction)
        common = {
            "s": pct(s),
            "target": plain(self.target),
            "weight": plain(self.weight),
            "points": plain(self.score(s)),
        }
        if self.floor is not None and s < self.floor:
            return zh.WORKING_BELOW_FLOOR.format(floor=plain(self.floor), **common)
        if s >= self.target:
            return zh.WORKING_TARGET_MET.format(**common)
        return zh.WORKING_RATIO.format(**common)

    def to_dict(self) -> dict[str, Any]:
        """Return the rule as a dict."""
        data: dict[str, Any] = {
            "type": self.type,
            "weight": json_number(self.weight),
            "target": json_number(self.target),
        }
        if self.floor is not None:
            data["floor"] = json_number(self.floor)
        return data


@dataclass(frozen=True)
class DeductionRule(ScoreRule):
    """扣分法: full weight at ≥ target, minus ``per_point`` per point below, floored at 0.

    The deduction is proportional (87.5 against 90 is 2.5 points below).
    """

    weight: Decimal
    target: Decimal
    per_point: Decimal
    type: ClassVar[str] = "deduction"

    def __post_init__(self) -> None:
        normalise(self, ("weight", "target", "per_point"))
        check_target(self.weight, self.target, {"per_point": self.per_point})

    def deduction(self, satisfaction: Decimal) -> Decimal:
        """Return the points deducted, at most the weight."""
        return min(
            self.weight, max(Decimal(0), (self.target - satisfaction) * self.per_point)
        )

    def points_for(self, satisfaction: Decimal) -> Decimal:
        """Return weight minus the deduction."""
        return self.weight - self.deduction(satisfaction)

    def describe_zh(self) -> str:
        """Render the rule in Chinese."""
        return zh.DEDUCTION_RULE.format(
            target=plain(self.target),
            weight=plain(self.weight),
            k=plain(self.per_point),
        )

    def working_zh(self, satisfaction: Number) -> str:
        """Render the working in Chinese."""
        s = displayed_satisfaction(satisfaction)
        common = {
            "s": pct(s),
            "target": plain(self.target),
            "weight": plain(self.weight),
            "points": plain(self.score(s)),
        }
        if s >= self.target:
            return zh.WORKING_TARGET_MET.format(**common)
        return zh.WORKING_DEDUCTION.format(
            gap=plain(self.target - s),
            deducted=plain(round2(self.deduction(s))),
            **common,
        )

    def to_dict(self) -> dict[str, Any]:
        """Return the rule as a dict."""
        return {
            "type": self.type,
            "weight": json_number(self.weight),
            "target": json_number(self.target),
            "per_point": json_number(self.per_point),
        }


@dataclass(frozen=True)
class ThresholdRule(ScoreRule):
    """达标法: full weight at ≥ target, else 0."""

    weight: Decimal
    target: Decimal
    type: ClassVar[str] = "threshold"

    def __post_init__(self) -> None:
        normalise(self, ("weight", "target"))
        check_target(self.weight, self.target)

    def points_for(self, satisfaction: Decimal) -> Decimal:
        """Return the weight when the target is met, else 0."""
        return self.weight if satisfaction >= self.target else Decimal(0)

    def describe_zh(self) -> str:
        """Render the rule in Chinese."""
        return zh.THRESHOLD_RULE.format(
            target=plain(self.target), weight=plain(self.weight)
        )

    def working_zh(self, satisfaction: Number) -> str:
        """Render the working in Chinese."""
        s = displayed_satisfaction(satisfaction)
        template = (
            zh.WORKING_TARGET_MET if s >= self.target else zh.WORKING_TARGET_MISSED
        )
        return template.format(
            s=pct(s),
            target=plain(self.target),
            weight=plain(self.weight),
            points=plain(self.score(s)),
        )

    def to_dict(self) -> dict[str, Any]:
        """Return the rule as a dict."""
        return {
            "type": self.type,
            "weight": json_number(self.weight),
            "target": json_number(self.target),
        }

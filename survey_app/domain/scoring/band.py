"""区间法: ordered, lower-inclusive satisfaction bands → points.

Bands are listed from the highest to the lowest, as reports print them, and
must cover [0, 100] without gaps or overlaps: each band is [min, max) — the
top band is [min, 100], closed, so 100.00 scores — and each band's max is the
min of the band above it.  A band may omit ``max``; it then ends where the
band above begins (100 for the first).  Points may not rise as satisfaction
falls.  "低于60%不得分" is written as an explicit bottom band
``{"min": 0, "points": 0}``, so a stored rule says what happens everywhere.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, ClassVar

from ...texts_zh import scoring as zh
from .errors import RuleError
from .numbers import Number, plain
from .rule_values import (
    check_target,
    displayed_satisfaction,
    json_number,
    normalise,
    pct,
    to_decimal,
)
from .rules import ScoreRule

HUNDRED = Decimal(100)


@dataclass(frozen=True)
class Band:
    """Satisfaction in [min, max) — [min, 100] for the top band — earns ``points``."""

    min: Decimal
    max: Decimal
    points: Decimal

    def range_zh(self) -> str:
        """Render "90%（含）—95%"."""
        return zh.BAND_RANGE.format(low=plain(self.min), high=plain(self.max))

    def rule_zh(self) -> str:
        """Render this band's clause of the rule."""
        if self.min == 0:
            if self.points == 0:
                return zh.BAND_BOTTOM_NO_POINTS.format(high=plain(self.max))
            return zh.BAND_BOTTOM_POINTS.format(
                high=plain(self.max), points=plain(self.points)
            )
        if self.points == 0:
            return zh.BAND_NO_POINTS.format(range=self.range_zh())
        return zh.BAND_POINTS.format(range=self.range_zh(), points=plain(self.points))


def _band_error(message: str, message_zh: str) -> RuleError:
    return RuleError(f"band rule: {message}", f"区间评分规则有误：{message_zh}")


def check_bands(weight: Decimal, bands: Sequence[Band]) -> None:
    """Refuse bands that are unordered, leave gaps, overlap or do not cover [0, 100].

    :raises RuleError: naming the first problem found, top band first.
    """
    if not bands:
        raise _band_error("at least one band is required", "至少需要一个区间")
    upper, last_points = HUNDRED, weight
    for band in bands:
        low, high = plain(band.min), plain(band.max)
        if band.min >= band.max:
            raise _band_error(
                f"band {low}–{high}: min must be below max, bands listed highest first",
                f"区间{low}%-{high}%的下限须小于上限，且区间须从高到低排列",
            )
        if band.max < upper:
            raise _band_error(
                f"gap between {high} and {plain(upper)}",
                f"{high}%至{plain(upper)}%之间没有对应的区间",
            )
        if band.max > upper:
            raise _band_error(
                f"bands overlap between {plain(upper)} and {high}",
                f"{plain(upper)}%至{high}%之间的区间重叠",
            )
        if not 0 <= band.points <= last_points:
            raise _band_error(
                f"band {low}–{high}: points must lie in 0..{plain(last_points)}",
                f"区间{low}%-{high}%的得分须在0至{plain(last_points)}分之间（分值不得随满意度降低而升高）",
            )
        upper, last_points = band.min, band.points
    if upper != 0:
        raise _band_error(
            f"the lowest band must start at 0 (gap below {plain(upper)})",
            f"低于{plain(upper)}%的情形没有规定得分（可增加“低于{plain(upper)}%不得分”）",
        )


@dataclass(frozen=True)
class BandRule(ScoreRule):
    """区间法 score rule; see the module docstring for the band semantics."""

    weight: Decimal
    bands: tuple[Band, ...]
    type: ClassVar[str] = "band"

    def __post_init__(self) -> None:
        normalise(self, ("weight",))
        object.__setattr__(self, "bands", tuple(self.bands))
        check_target(self.weight, HUNDRED)
        check_bands(self.weight, self.bands)

    @classmethod
    def from_bands(cls, weight: Number, bands: Sequence[Mapping[str, Any]]) -> BandRule:
        """Build a band rule from ``[{"min": 95, "points": 6}, …]``, highest band first."""
        parsed, upper = [], HUNDRED
        for item in bands:
            unknown = set(item) - {"min", "max", "points"}
            if unknown or "min" not in item or "points" not in item:
                raise _band_error(
                    f"each band needs min and points (optional max); got {dict(item)!r}",
                    "每个区间须给出下限（min）和得分（points）",
                )
            low = to_decimal(item["min"], "min")
            high = to_decimal(item["max"], "max") if "max" in item else upper
            parsed.append(Band(low, high, to_decimal(item["points"], "points")))
            upper = low
        return cls(to_decimal(weight, "weight"), tuple(parsed))

    def band_for(self, satisfaction: Decimal) -> Band:
        """Return the band a displayed satisfaction falls in."""
        for band in self.bands:
            if band.min <= satisfaction and (
                satisfaction < band.max or band.max == HUNDRED
            ):
                return band
        raise AssertionError("bands cover [0, 100] by construction")  # pragma: no cover

    def points_for(self, satisfaction: Decimal) -> Decimal:
        """Return the points of the band the satisfaction falls in."""
        return self.band_for(satisfaction).points

    def describe_zh(self) -> str:
        """Render "满意度95%（含）—100%，得6分；…；低于60%不得分。"."""
        return zh.RULE_PREFIX + "；".join(band.rule_zh() for band in self.bands) + "。"

    def working_zh(self, satisfaction: Number) -> str:
        """Render "综合满意度为94.71%，位于90%（含）—95%区间，…，得5分。"."""
        s = displayed_satisfaction(satisfaction)
        band = self.band_for(s)
        common = {
            "s": pct(s),
            "weight": plain(self.weight),
            "points": plain(self.score(s)),
        }
        if band.min == 0 and band is not self.bands[0]:
            return zh.WORKING_BAND_BOTTOM.format(high=plain(band.max), **common)
        return zh.WORKING_BAND.format(range=band.range_zh(), **common)

    def to_dict(self) -> dict[str, Any]:
        """Return the rule with explicit min/max per band, highest first."""
        return {
            "type": self.type,
            "weight": json_number(self.weight),
            "bands": [
                {
                    "min": json_number(b.min),
                    "max": json_number(b.max),
                    "points": json_number(b.points),
                }
                for b in self.bands
            ],
        }


#: D41 奖补对象满意度, Jincheng 2024 (METHOD.md §1): weight 6.
D41_BANDS: tuple[dict[str, int], ...] = (
    {"min": 95, "points": 6},
    {"min": 90, "points": 5},
    {"min": 80, "points": 4},
    {"min": 70, "points": 3},
    {"min": 60, "points": 2},
    {"min": 0, "points": 0},
)


def default_band_rule() -> BandRule:
    """Return the D41 band rule (weight 6), the default score rule of a new survey."""
    return BandRule.from_bands(6, D41_BANDS)

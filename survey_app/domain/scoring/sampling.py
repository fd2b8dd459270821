"""Required sample size, coverage per unit and the survey's response counts.

Sample sizes are computed exactly (Fraction) and rounded **up**, so an exact
integer is never pushed to the next one by float noise.

* Cochran: n₀ = z²·p(1−p)/e²; finite population N: n = n₀/(1 + (n₀−1)/N).
  z is the conventional table value (1.645 / 1.96 / 2.576 for 90/95/99 %),
  which is what published reports use; pass ``z`` for anything else.
* Yamane: n = N/(1 + N·e²).

Coverage: 发放数 (issued) is Σ of the units' minimum valid answers unless
given explicitly — surveys sent as targeted links have no natural "issued"
count, and reports state the planned quota.  回收率 = returned/issued, 有效率 =
valid/returned, as percents with 2 decimals (ROUND_HALF_UP); a 回收率 above
100 % is possible and reported as such.
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from typing import Any

from .errors import ScoringInputError, SettingsError
from .numbers import Number, as_float, json_key, round2, to_fraction

Z_VALUES = {0.90: Fraction("1.645"), 0.95: Fraction("1.96"), 0.99: Fraction("2.576")}


def _z(confidence: float, z: Number | None) -> Fraction:
    if z is not None:
        return to_fraction(z)
    if confidence not in Z_VALUES:
        raise ScoringInputError(
            f"no table z for confidence {confidence}; pass z",
            f"置信水平{confidence}无对应z值，请直接给出z值",
        )
    return Z_VALUES[confidence]


def cochran_n0(
    confidence: float = 0.95,
    margin: Number = 0.05,
    p: Number = 0.5,
    z: Number | None = None,
) -> Fraction:
    """Return Cochran's unrounded n₀ = z²p(1−p)/e² (384.16 at 95 %, e 5 %, p 0.5)."""
    p, e = to_fraction(p), to_fraction(margin)
    return _z(confidence, z) ** 2 * p * (1 - p) / e**2


def cochran_sample_size(
    population: int | None = None,
    *,
    confidence: float = 0.95,
    margin: Number = 0.05,
    p: Number = 0.5,
    z: Number | None = None,
) -> int:
    """Return Cochran's required sample size, with finite-population correction when N is given."""
    n0 = cochran_n0(confidence, margin, p, z)
    if population is None:
        return math.ceil(n0)
    return math.ceil(n0 / (1 + (n0 - 1) / population))


def yamane_sample_size(population: int, margin: Number = 0.05) -> int:
    """Return Yamane's n = N/(1 + N·e²), rounded up."""
    return math.ceil(Fraction(population) / (1 + population * to_fraction(margin) ** 2))


@dataclass(frozen=True)
class UnitCoverage:
    """Valid answers of one unit against its minimum."""

    unit: Hashable
    minimum: int
    valid: int
    #: The unit's name, for readers (not part of ``Coverage.to_dict``).
    name: str | None = None

    @property
    def short_by(self) -> int:
        """Return how many valid answers are missing (0 when met)."""
        return max(0, self.minimum - self.valid)

    @property
    def met(self) -> bool:
        """Tell whether the unit reached its minimum."""
        return self.short_by == 0


@dataclass(frozen=True)
class Coverage:
    """Per-unit coverage and the survey's 发放 / 回收 / 有效 counts and rates."""

    units: tuple[UnitCoverage, ...]
    issued: int
    issued_explicit: bool
    returned: int
    valid: int

    @property
    def return_rate(self) -> Decimal | None:
        """Return 回收率 = returned/issued in percent, 2 decimals."""
        return (
            round2(Fraction(self.returned * 100, self.issued)) if self.issued else None
        )

    @property
    def valid_rate(self) -> Decimal | None:
        """Return 有效率 = valid/returned in percent, 2 decimals."""
        return (
            round2(Fraction(self.valid * 100, self.returned)) if self.returned else None
        )

    def to_dict(self) -> dict[str, Any]:
        """Return JSON-ready data; units in frame order."""
        return {
            "units": [
                {
                    "unit": json_key(u.unit),
                    "minimum": u.minimum,
                    "valid": u.valid,
                    "met": u.met,
                    "short_by": u.short_by,
                }
                for u in self.units
            ],
            "units_short": [json_key(u.unit) for u in self.units if not u.met],
            "issued": self.issued,
            "issued_explicit": self.issued_explicit,
            "returned": self.returned,
            "valid": self.valid,
            "return_rate": as_float(self.return_rate),
            "valid_rate": as_float(self.valid_rate),
        }


def coverage(
    minimums: Mapping[Hashable, int],
    valid_by_unit: Mapping[Hashable, int],
    *,
    returned: int,
    valid: int,
    issued: int | None = None,
    names: Mapping[Hashable, str] | None = None,
) -> Coverage:
    """Compare each unit's valid answers with its minimum and compute the survey's rates.

    :param minimums: the unit list (frame) in order, unit → minimum valid answers.
    :param returned: all responses received, excluded ones included.
    :param valid: responses not excluded (flagged ones count), with or without a unit.
    :param issued: 发放数; defaults to Σ minimums.
    :param names: unit → name, carried on each ``UnitCoverage`` for readers.
    """
    names = names or {}
    units = tuple(
        UnitCoverage(unit, minimum, valid_by_unit.get(unit, 0), names.get(unit))
        for unit, minimum in minimums.items()
    )
    total = sum(minimums.values()) if issued is None else issued
    return Coverage(units, total, issued is not None, returned, valid)


#: Where the population N of a sample-size calculation came from.
POPULATION_SET, POPULATION_QUOTA = "setting", "quota"


@dataclass(frozen=True)
class SamplingSettings:
    """A survey's population N for the sample-size check; None: the default (the quota)."""

    population: int | None = None

    def __post_init__(self) -> None:
        n = self.population
        if n is not None and (isinstance(n, bool) or not isinstance(n, int) or n < 1):
            raise SettingsError(
                f"population must be a positive integer or empty; got {n!r}",
                f"总体规模必须为正整数（或留空，按各单位最少有效份数之和）：{n}",
            )

    @classmethod
    def from_dict(cls, data: Mapping[str, Any] | None) -> SamplingSettings:
        """Build settings from a stored dict; refuses unknown keys."""
        data = dict(data or {})
        unknown = sorted(set(data) - {"population"})
        if unknown:
            raise SettingsError(
                f"unknown sampling setting(s): {', '.join(unknown)}",
                f"未知的抽样设置：{'、'.join(unknown)}",
            )
        population = data.get("population")
        if isinstance(population, float) and population.is_integer():
            population = int(population)
        if isinstance(population, str):
            text = population.strip()
            population = int(text) if text.isdigit() else (None if not text else text)
        return cls(population)

    def to_dict(self) -> dict[str, Any]:
        """Return the settings as a JSON-ready dict."""
        return {"population": self.population}

    def effective(self, quota: int) -> tuple[int | None, str | None]:
        """Return (N, source): the set N, else the quota (Σ unit minimums, or the issued count)."""
        if self.population is not None:
            return self.population, POPULATION_SET
        return (quota, POPULATION_QUOTA) if quota > 0 else (None, None)


@dataclass(frozen=True)
class SampleSize:
    """Required sample sizes against the achieved one."""

    achieved: int
    population: int | None
    cochran_n0: Fraction
    cochran: int
    yamane: int | None
    #: ``setting`` (the survey's N), ``quota`` (the default) or None (no N: infinite population).
    population_source: str | None = None

    @property
    def cochran_met(self) -> bool:
        """Tell whether the achieved sample reaches Cochran's size."""
        return self.achieved >= self.cochran

    @property
    def yamane_met(self) -> bool | None:
        """Tell whether the achieved sample reaches Yamane's size (None without N)."""
        return None if self.yamane is None else self.achieved >= self.yamane

    def to_dict(self) -> dict[str, Any]:
        """Return JSON-ready data (n₀ with 2 decimals)."""
        return {
            "achieved": self.achieved,
            "population": self.population,
            "population_source": self.population_source,
            "cochran_n0": as_float(round2(self.cochran_n0)),
            "cochran": self.cochran,
            "cochran_met": self.achieved >= self.cochran,
            "yamane": self.yamane,
            "yamane_met": None if self.yamane is None else self.achieved >= self.yamane,
        }


def sample_size(
    achieved: int,
    population: int | None = None,
    *,
    margin: Number = 0.05,
    source: str | None = None,
) -> SampleSize:
    """Return 95 % / p = 0.5 sample sizes for a population (None: infinite) vs ``achieved``."""
    return SampleSize(
        achieved,
        population,
        cochran_n0(margin=margin),
        cochran_sample_size(population, margin=margin),
        None if population is None else yamane_sample_size(population, margin),
        None if population is None else (source or POPULATION_SET),
    )

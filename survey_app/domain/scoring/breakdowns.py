"""Composite per group of units (county, category, 专项 …) and per unit.

Each group is scored as a survey of its own with the same settings, so the
aggregation level is respected inside every group.  Groups come out in the
order their first unit appears in the ``groups`` mapping; units missing from
the mapping, and answers without a unit, form a last group labelled None.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from .composite import CompositeResult, UnitCounts, compute_composite
from .numbers import json_key
from .settings import ScoringSettings
from .specs import QuestionSpec


@dataclass(frozen=True)
class GroupResult:
    """The composite of one group of units."""

    group: Hashable | None
    units: tuple[Hashable | None, ...]
    result: CompositeResult

    def to_dict(self) -> dict[str, Any]:
        """Return JSON-ready data (question detail left out: the group's summary line)."""
        summary = self.result.to_dict()
        return {
            "group": json_key(self.group),
            "units": [json_key(unit) for unit in self.units],
            "composite": summary["composite"],
            "composite_exact": summary["composite_exact"],
            "dimensions": summary["dimensions"],
        }


def breakdown(
    counts: UnitCounts,
    questions: Sequence[QuestionSpec],
    settings: ScoringSettings | None,
    groups: Mapping[Hashable, Hashable],
    composite: Callable[..., CompositeResult] = compute_composite,
) -> tuple[GroupResult, ...]:
    """Compute the composite per group of units.

    :param groups: unit key → group label, e.g. unit → county.
    :param composite: ``compute_composite`` or a drop-in with the same result (a memo).
    """
    members: dict[Hashable | None, list[Hashable | None]] = {
        label: [] for label in groups.values()
    }
    members.setdefault(None, [])
    for unit in counts:
        label = groups.get(unit) if unit is not None else None
        members[label].append(unit)
    return tuple(
        GroupResult(
            label,
            tuple(units),
            composite({u: counts[u] for u in units}, questions, settings),
        )
        for label, units in members.items()
        if units
    )


def breakdown_by_unit(
    counts: UnitCounts,
    questions: Sequence[QuestionSpec],
    settings: ScoringSettings | None = None,
    composite: Callable[..., CompositeResult] = compute_composite,
) -> tuple[GroupResult, ...]:
    """Compute the composite of every unit on its own, in the order of ``counts``."""
    return breakdown(
        counts, questions, settings, {unit: unit for unit in counts if unit is not None}, composite
    )

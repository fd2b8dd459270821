"""Composite per group of units (county, category, 专项 …) and per unit.

Each group is scored as a survey of its own with the same settings, so the
aggregation level is respected inside every group.  Groups come out in the
order their first unit appears in the ``groups`` mapping; units missing from
the mapping, and answers without a unit, form a last group labelled None.
A unit may belong to several groups (a merged unit's joined values).
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
    groups: Mapping[Hashable, Hashable | tuple[Hashable, ...]],
    composite: Callable[..., CompositeResult] = compute_composite,
) -> tuple[GroupResult, ...]:
    """Compute the composite per group of units.

    :param groups: unit key → group label, e.g. unit → county; a tuple of labels puts
        the unit in each of those groups (a merged unit holding two awards).  Every unit
        of the mapping is listed in its groups, answers or not, so a group whose units
        have not answered appears with no composite instead of vanishing.
    :param composite: ``compute_composite`` or a drop-in with the same result (a memo).
    """
    members: dict[Hashable | None, list[Hashable | None]] = {}
    for unit, labels in groups.items():
        for label in labels if isinstance(labels, tuple) else (labels,):
            members.setdefault(label, []).append(unit)
    members.setdefault(None, [])
    for unit in counts:
        if unit is None or unit not in groups:
            members[None].append(unit)
    return tuple(
        GroupResult(
            label,
            tuple(units),
            composite({u: counts[u] for u in units if u in counts}, questions, settings),
        )
        for label, units in members.items()
        if units
    )


def breakdown_by_unit(
    counts: UnitCounts,
    questions: Sequence[QuestionSpec],
    settings: ScoringSettings | None = None,
    units: Sequence[Hashable] | None = None,
    composite: Callable[..., CompositeResult] = compute_composite,
) -> tuple[GroupResult, ...]:
    """Compute the composite of every unit on its own.

    :param units: the unit list in its order: every listed unit gets a row (no composite
        when it has no answers); without it, the units of ``counts`` in their order.
        Answers without a listed unit come last (group None).
    :param composite: ``compute_composite`` or a drop-in with the same result (a memo).
    """
    order = list(units) if units is not None else [unit for unit in counts if unit is not None]
    return breakdown(counts, questions, settings, {unit: unit for unit in order}, composite)

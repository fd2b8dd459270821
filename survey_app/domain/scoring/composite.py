"""Composite satisfaction (综合满意度), dimension subtotals and breakdowns.

Combining: composite = Σwᵢsᵢ / Σwᵢ over scored questions that have a
satisfaction (wᵢ = 1 for ``mean``, the question weight for ``weighted``).
A question with no answers in its denominator is left out, weight and all.

Aggregation ``respondent`` pools all answers, so question results come from
the pooled counts.  ``unit`` scores each unit on its own and takes the plain
mean of the unit composites; a unit with no scored answers has no composite
and is left out of the mean (listed in ``units_without_answers``); answers
without a unit (key None) cannot be attributed and are left out (counted in
``unassigned_answers``).  Pooled question results are still returned for
display in both modes.

Rounding ``from_displayed_shares`` carries the reader-can-recompute idea up:
each level combines the *displayed* (2-decimal) values of the level below.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from decimal import Decimal
from fractions import Fraction
from typing import Any

from .numbers import as_float, json_key, round2, to_fraction
from .question import QuestionResult, score_question
from .settings import ScoringSettings
from .specs import QuestionSpec

#: unit key → question id → option key → count.
UnitCounts = Mapping[Hashable | None, Mapping[str, Mapping[str, int]]]


@dataclass(frozen=True)
class Level:
    """A combined satisfaction: the composite, a dimension subtotal or a unit's."""

    label: Hashable | None
    exact: Fraction | None
    value: Decimal | None

    def to_dict(self, name: str = "label") -> dict[str, Any]:
        """Return JSON-ready data."""
        return {
            name: json_key(self.label),
            "satisfaction": as_float(self.value),
            "satisfaction_exact": as_float(self.exact),
        }


@dataclass(frozen=True)
class UnitScore:
    """One unit's scores (aggregation ``unit``)."""

    composite: Level
    questions: tuple[QuestionResult, ...]
    dimensions: tuple[Level, ...]


@dataclass(frozen=True)
class CompositeResult:
    """Everything the summary shows about satisfaction; tuples keep questionnaire order."""

    settings: ScoringSettings
    questions: tuple[QuestionResult, ...]
    composite: Level
    dimensions: tuple[Level, ...]
    units: tuple[UnitScore, ...] = ()
    units_without_answers: tuple[Hashable, ...] = ()
    unassigned_answers: int = 0

    def to_dict(self) -> dict[str, Any]:
        """Return JSON-ready data."""
        return {
            "settings": self.settings.to_dict(),
            "questions": [question.to_dict() for question in self.questions],
            "composite": as_float(self.composite.value),
            "composite_exact": as_float(self.composite.exact),
            "dimensions": [level.to_dict("dimension") for level in self.dimensions],
            "units": [
                {
                    **unit.composite.to_dict("unit"),
                    "questions": [
                        {
                            "question_id": q.question_id,
                            "satisfaction": as_float(q.satisfaction),
                        }
                        for q in unit.questions
                    ],
                    "dimensions": [
                        level.to_dict("dimension") for level in unit.dimensions
                    ],
                }
                for unit in self.units
            ],
            "units_without_answers": [
                json_key(unit) for unit in self.units_without_answers
            ],
            "unassigned_answers": self.unassigned_answers,
        }


def weighted_mean(pairs: Iterable[tuple[Fraction | None, Fraction]]) -> Fraction | None:
    """Return Σwᵢsᵢ/Σwᵢ over the pairs whose value is not None (None if there are none)."""
    kept = [(value, weight) for value, weight in pairs if value is not None]
    total = sum((weight for _, weight in kept), Fraction(0))
    if not kept or total == 0:
        return None
    return sum((value * weight for value, weight in kept), Fraction(0)) / total


def carried(exact: Fraction | None, settings: ScoringSettings) -> Fraction | None:
    """Return the value a higher level combines: exact, or the displayed one."""
    if exact is None or settings.rounding == "exact":
        return exact
    return Fraction(round2(exact))


def _level(label: Hashable | None, exact: Fraction | None) -> Level:
    return Level(label, exact, None if exact is None else round2(exact))


def score_questions(
    questions: Sequence[QuestionSpec],
    counts: Mapping[str, Mapping[str, int]],
    settings: ScoringSettings,
) -> tuple[QuestionResult, ...]:
    """Score every question from one set of counts; unscored ones get a distribution only."""
    results = []
    for spec in questions:
        answers = counts.get(spec.id, {})
        if spec.scored:
            results.append(
                score_question(spec.options, answers, settings, question_id=spec.id)
            )
        else:
            plain = score_question(
                spec.options, answers, ScoringSettings(), question_id=spec.id
            )
            results.append(
                replace(
                    plain, method="unscored", satisfaction=None, satisfaction_exact=None
                )
            )
    return tuple(results)


def combine_questions(
    questions: Sequence[QuestionSpec],
    results: Sequence[QuestionResult],
    settings: ScoringSettings,
) -> tuple[Fraction | None, tuple[Level, ...]]:
    """Combine question results into the composite and the dimension subtotals."""

    def pairs(dimension: str | None = None) -> list[tuple[Fraction | None, Fraction]]:
        return [
            (
                carried(result.satisfaction_exact, settings),
                to_fraction(spec.weight)
                if settings.composite == "weighted"
                else Fraction(1),
            )
            for spec, result in zip(questions, results, strict=True)
            if spec.scored and (dimension is None or spec.dimension == dimension)
        ]

    dimensions = list(
        dict.fromkeys(
            s.dimension for s in questions if s.scored and s.dimension is not None
        )
    )
    subtotals = tuple(
        _level(dimension, weighted_mean(pairs(dimension))) for dimension in dimensions
    )
    return weighted_mean(pairs()), subtotals


def pool(counts: UnitCounts) -> dict[str, dict[str, int]]:
    """Sum counts over units: question id → option key → count."""
    pooled: dict[str, dict[str, int]] = {}
    for per_question in counts.values():
        for question_id, per_option in per_question.items():
            target = pooled.setdefault(question_id, {})
            for key, count in per_option.items():
                target[key] = target.get(key, 0) + count
    return pooled


def compute_composite(
    counts: UnitCounts,
    questions: Sequence[QuestionSpec],
    settings: ScoringSettings | None = None,
) -> CompositeResult:
    """Compute question results, the composite and dimension subtotals at the set aggregation level.

    :param counts: unit key → question id → option key → count (use key None
        for answers without a unit; with one pseudo-unit for respondent level).
    :param questions: the questionnaire's questions in order.
    """
    settings = settings or ScoringSettings()
    pooled = score_questions(questions, pool(counts), settings)
    if settings.aggregation == "respondent":
        exact, dimensions = combine_questions(questions, pooled, settings)
        return CompositeResult(settings, pooled, _level(None, exact), dimensions)

    units = [
        score_unit(unit, per_question, questions, settings)
        for unit, per_question in counts.items()
        if unit is not None
    ]
    scored = [unit for unit in units if unit.composite.exact is not None]
    exact = weighted_mean(
        (carried(u.composite.exact, settings), Fraction(1)) for u in scored
    )
    dimension_names = [level.label for level in units[0].dimensions] if units else []
    dimensions = tuple(
        _level(
            name,
            weighted_mean(
                (carried(unit.dimensions[i].exact, settings), Fraction(1))
                for unit in scored
            ),
        )
        for i, name in enumerate(dimension_names)
    )
    unassigned = sum(
        sum(per_option.values()) for per_option in counts.get(None, {}).values()
    )
    return CompositeResult(
        settings,
        pooled,
        _level(None, exact),
        dimensions,
        tuple(units),
        tuple(unit.composite.label for unit in units if unit.composite.exact is None),
        unassigned,
    )


def score_unit(
    unit: Hashable,
    counts: Mapping[str, Mapping[str, int]],
    questions: Sequence[QuestionSpec],
    settings: ScoringSettings,
) -> UnitScore:
    """Score one unit on its own answers."""
    results = score_questions(questions, counts, settings)
    exact, dimensions = combine_questions(questions, results, settings)
    return UnitScore(_level(unit, exact), results, dimensions)

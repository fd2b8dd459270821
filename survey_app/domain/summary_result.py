"""A survey's summary as typed data: what ``services.summary.build_summary`` returns.

Dashboards, exports, reports, the CLI and the API all read these attributes; only
:meth:`SummaryResult.to_json` turns them into the API's JSON (docs/api.md), so that JSON is
defined in one place.  The numbers are the scoring core's own results — ``CompositeResult``,
``ScoreResult`` (with its band), ``Coverage``, ``SampleSize``, ``AlphaResult``,
``ConfidenceInterval`` — kept exact (Decimal, Fraction); the JSON has floats.

Pure: no Flask, no SQLAlchemy, so the report writers may import it.
"""

from __future__ import annotations

from collections.abc import Hashable
from dataclasses import asdict, dataclass
from datetime import datetime
from decimal import Decimal
from fractions import Fraction
from typing import Any, Protocol

from .scoring import (
    AlphaResult,
    CompositeResult,
    ConfidenceInterval,
    Coverage,
    Level,
    SampleSize,
    ScoreChances,
    ScoreResult,
    ScoreRule,
    ScoringSettings,
    ValidityRules,
)
from .scoring.numbers import as_float, json_key
from .summary_parts import Breakdowns, QuestionSummary
from .vocabulary import ALL_STATUSES, COUNTED


@dataclass(frozen=True)
class ResponseFilter:
    """Which responses a summary uses; times are naive UTC (``services`` adds the SQL)."""

    statuses: tuple[str, ...] = COUNTED
    unit_ids: tuple[int, ...] | None = None
    since: datetime | None = None
    until: datetime | None = None

    def to_dict(self) -> dict[str, Any]:
        """Return JSON-ready data (times as ISO strings)."""
        data = asdict(self)
        data["since"] = self.since.isoformat() if self.since else None
        data["until"] = self.until.isoformat() if self.until else None
        return data


class SummarySettings(Protocol):
    """A survey's effective settings (``services.settings.SurveySettings``)."""

    scoring: ScoringSettings
    score_rule: ScoreRule
    validity: ValidityRules

    def to_dict(self) -> dict[str, Any]: ...


@dataclass(frozen=True)
class Indicator:
    """The performance indicator the survey scores (e.g. D41 奖补对象满意度, 6 points)."""

    code: str | None
    name: str | None
    weight: float | None


@dataclass(frozen=True)
class SurveyInfo:
    """The survey's identity and context, as the summary reports it."""

    id: int
    name: str
    project_name: str | None
    department: str | None
    eval_year: int | None
    indicator: Indicator
    status: str
    questionnaire_hash: str

    def to_dict(self) -> dict[str, Any]:
        """Return JSON-ready data."""
        return asdict(self)


@dataclass(frozen=True)
class ResponseCounts:
    """Responses used by the summary, and responses per status within the unit/time filter."""

    used: int
    valid: int
    flagged: int
    excluded: int

    @property
    def total(self) -> int:
        """Return all responses within the unit/time filter, whatever their status."""
        return self.valid + self.flagged + self.excluded

    def of(self, status: str) -> int:
        """Return the responses with ``status``."""
        return getattr(self, status)

    def to_dict(self) -> dict[str, int]:
        """Return JSON-ready data: used, one count per status, total."""
        return {"used": self.used, **{str(s): self.of(s) for s in ALL_STATUSES}, "total": self.total}


@dataclass(frozen=True)
class Statistics:
    """Sample size, and (when asked for) Cronbach's α, the bootstrap interval and score probabilities."""

    sample_size: SampleSize
    reliability: AlphaResult | None = None
    confidence_interval: ConfidenceInterval | None = None
    #: The probability of each possible indicator score, from the same resamples.
    score_chances: ScoreChances | None = None

    def to_dict(self) -> dict[str, Any]:
        """Return JSON-ready data; α and the interval only when computed."""
        data: dict[str, Any] = {"sample_size": self.sample_size.to_dict()}
        if self.reliability is not None:
            data["reliability"] = self.reliability.to_dict()
        if self.confidence_interval is not None:
            data["confidence_interval"] = self.confidence_interval.to_dict()
            data["score_probabilities"] = self.score_chances.to_dict() if self.score_chances else None
        return data


@dataclass(frozen=True)
class SummaryResult:
    """Everything a survey's summary says (see docs/api.md for the meaning of each part)."""

    survey: SurveyInfo
    filter: ResponseFilter
    settings: SummarySettings
    responses: ResponseCounts
    questions: tuple[QuestionSummary, ...]
    #: The composite, dimension subtotals and (aggregation ``unit``) per-unit scores.
    satisfaction: CompositeResult
    #: The score rule applied to the composite; None while no scored answer exists.
    score: ScoreResult | None
    #: The score rule in words (also when there is no score yet).
    rule_zh: str
    breakdowns: Breakdowns
    coverage: Coverage
    statistics: Statistics
    fingerprint: str

    @property
    def composite(self) -> Decimal | None:
        """Return the displayed composite satisfaction (2 decimals)."""
        return self.satisfaction.composite.value

    @property
    def composite_exact(self) -> Fraction | None:
        """Return the unrounded composite satisfaction."""
        return self.satisfaction.composite.exact

    @property
    def dimensions(self) -> tuple[Level, ...]:
        """Return the dimension subtotals in questionnaire order."""
        return self.satisfaction.dimensions

    @property
    def scored_questions(self) -> tuple[QuestionSummary, ...]:
        """Return the questions that enter the composite."""
        return tuple(q for q in self.questions if q.scored)

    def question(self, question_id: str) -> QuestionSummary | None:
        """Return the question with ``question_id`` (None if it is not a choice question)."""
        return next((q for q in self.questions if q.id == question_id), None)

    @property
    def units_without_answers(self) -> tuple[Hashable, ...]:
        """Return units with answers but no scored ones (aggregation ``unit``)."""
        return self.satisfaction.units_without_answers

    @property
    def unassigned_answers(self) -> int:
        """Return the scored answers without a unit, left out at aggregation ``unit``."""
        return self.satisfaction.unassigned_answers

    def to_json(self) -> dict[str, Any]:
        """Return the API's JSON (docs/api.md): the one serialisation of a summary."""
        coverage = self.coverage.to_dict()
        for row, unit in zip(coverage["units"], self.coverage.units, strict=True):
            row["name"] = unit.name
        data = {
            "survey": self.survey.to_dict(),
            "filter": self.filter.to_dict(),
            "settings": self.settings.to_dict(),
            "responses": self.responses.to_dict(),
            "questions": [q.to_dict() for q in self.questions],
            "composite": as_float(self.composite),
            "composite_exact": as_float(self.composite_exact),
            "dimensions": [level.to_dict("dimension") for level in self.dimensions],
            "score": self.score.to_dict() if self.score else None,
            "rule_zh": self.rule_zh,
            "breakdowns": self.breakdowns.to_dict(),
            "coverage": coverage,
            "statistics": self.statistics.to_dict(),
            "fingerprint": self.fingerprint,
        }
        if self.units_without_answers or self.unassigned_answers:
            data["unit_level_notes"] = {
                "units_without_answers": [json_key(u) for u in self.units_without_answers],
                "unassigned_answers": self.unassigned_answers,
            }
        return data

"""The parts of a survey's summary: questions with their options, and breakdowns by group.

Each part wraps the scoring core's own result (``QuestionResult``, ``GroupResult``) with
the questionnaire's context a reader needs (text, topic, dimension …, a unit's name), so
the numbers exist once.  Numbers are exact here (Decimal, Fraction); ``to_dict`` gives the
API's JSON (floats).  Pure: no Flask, no SQLAlchemy.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from typing import Any

from .scoring import GroupResult, Level, QuestionResult, share_of

#: The breakdown whose groups are single units (listed last, with the units' names).
UNIT = "unit"


@dataclass(frozen=True)
class OptionRow:
    """One option of a question with its count and its share (2 decimals).

    Single choice: share of the question's answers.  Multiple choice: share of the
    respondents who answered the question (问卷星's 比例; these do not add up to 100 %).
    """

    key: str
    label: str
    #: The option's value (赋值); None for not-scored options and unscored questions.
    value: float | None
    scored: bool
    count: int
    share: Decimal
    #: Share over the satisfaction denominator (None outside it).
    basis_share: Decimal | None


@dataclass(frozen=True)
class QuestionSummary:
    """A choice question as the questionnaire asks it, with its distribution and satisfaction."""

    id: str
    text: str
    topic: str | None
    type: str
    scored: bool
    dimension: str | None
    weight: float
    result: QuestionResult
    #: Multiple choice only: responses that answered the question (选择人数's base).
    respondents: int | None = None

    @property
    def multiple(self) -> bool:
        """Tell whether the question is multiple choice (shares are of respondents)."""
        return self.type == "multiple"

    @property
    def options(self) -> tuple[OptionRow, ...]:
        """Return the options in scale order with counts and shares."""
        r = self.result
        if self.multiple:
            base = self.respondents or 0
            shares = tuple(share_of(count, base) or Decimal("0.00") for count in r.counts)
        else:
            shares = r.shares
        return tuple(
            OptionRow(o.key, o.label, o.value, o.scored, count, share, basis)
            for o, count, share, basis in zip(r.options, r.counts, shares, r.basis_shares, strict=True)
        )

    @property
    def n(self) -> int:
        """Return the respondents who answered (for single choice: all answers, 不了解 included)."""
        return (self.respondents or 0) if self.multiple else self.result.n

    @property
    def mentions(self) -> int | None:
        """Return the options chosen in all (人次), multiple choice only."""
        return self.result.n if self.multiple else None

    @property
    def shares_total(self) -> Decimal | None:
        """Return the sum of the displayed shares (single choice; None without answers)."""
        return sum(self.result.shares, Decimal("0.00")) if not self.multiple and self.result.n else None

    @property
    def denominator(self) -> int:
        """Return the answers in the satisfaction denominator."""
        return self.result.denominator

    @property
    def method(self) -> str:
        """Return the scoring method (``unscored`` for unscored questions)."""
        return self.result.method

    @property
    def satisfaction(self) -> Decimal | None:
        """Return the displayed satisfaction (2 decimals), None without scored answers."""
        return self.result.satisfaction

    @property
    def satisfaction_exact(self) -> Fraction | None:
        """Return the unrounded satisfaction."""
        return self.result.satisfaction_exact

    def to_dict(self) -> dict[str, Any]:
        """Return the API's JSON of this question (multiple choice: shares of respondents)."""
        data = {
            "id": self.id,
            "text": self.text,
            "topic": self.topic,
            "type": self.type,
            "scored": self.scored,
            "dimension": self.dimension,
            "weight": self.weight,
            **{k: v for k, v in self.result.to_dict().items() if k != "question_id"},
        }
        if self.multiple:
            data.update(n=self.n, respondents=self.n, mentions=self.mentions, shares_total=None,
                        share_base="respondents")
            for row, option in zip(data["options"], self.options, strict=True):
                row["share"] = float(option.share)
        else:
            data["share_base"] = "answers"
        return data


@dataclass(frozen=True)
class GroupRow:
    """One row of a breakdown: a group's composite (for the unit breakdown, the unit's name)."""

    result: GroupResult
    name: str | None = None

    @property
    def group(self) -> Hashable | None:
        """Return the group label (a unit id in the unit breakdown; None: not grouped)."""
        return self.result.group

    @property
    def units(self) -> tuple[Hashable | None, ...]:
        """Return the unit ids in the group."""
        return self.result.units

    @property
    def composite(self) -> Decimal | None:
        """Return the group's displayed composite."""
        return self.result.result.composite.value

    @property
    def composite_exact(self) -> Fraction | None:
        """Return the group's unrounded composite."""
        return self.result.result.composite.exact

    @property
    def dimensions(self) -> tuple[Level, ...]:
        """Return the group's dimension subtotals."""
        return self.result.result.dimensions


@dataclass(frozen=True)
class Breakdown:
    """The composite per group of one grouping: ``unit``, ``county``, ``category``, ``attribute:…``."""

    by: str
    rows: tuple[GroupRow, ...]

    @property
    def attribute(self) -> str | None:
        """Return the unit attribute grouped by (``attribute:专项`` → ``专项``), else None."""
        return self.by.split(":", 1)[1] if self.by.startswith("attribute:") else None

    def to_list(self) -> list[dict[str, Any]]:
        """Return the API's JSON rows; unit rows carry the unit's name."""
        if self.by == UNIT:
            return [{**row.result.to_dict(), "name": row.name} for row in self.rows]
        return [row.result.to_dict() for row in self.rows]


@dataclass(frozen=True)
class Breakdowns:
    """All breakdowns of a summary in order: by unit first, then the groupings."""

    items: tuple[Breakdown, ...]

    def __iter__(self) -> Iterator[Breakdown]:
        return iter(self.items)

    def get(self, by: str | None) -> Breakdown | None:
        """Return the breakdown ``by`` (None when the survey has no such grouping)."""
        return next((b for b in self.items if b.by == by), None)

    @property
    def units(self) -> tuple[GroupRow, ...]:
        """Return the rows of the unit breakdown."""
        found = self.get(UNIT)
        return found.rows if found else ()

    @property
    def groupings(self) -> tuple[Breakdown, ...]:
        """Return every breakdown except the one by unit."""
        return tuple(b for b in self.items if b.by != UNIT)

    def to_dict(self) -> dict[str, list[dict[str, Any]]]:
        """Return the API's JSON: grouping → rows."""
        return {b.by: b.to_list() for b in self.items}

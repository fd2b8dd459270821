"""Plain, frozen descriptions of a questionnaire's scored parts."""

from __future__ import annotations

from dataclasses import dataclass

from .errors import ScoringInputError
from .numbers import to_fraction


@dataclass(frozen=True)
class OptionSpec:
    """One option of a question's scale, given in scale order (usually best first)."""

    key: str
    label: str
    #: Value 0..100 (赋值); None marks a not-scored option such as 不了解.
    value: float | None

    @property
    def scored(self) -> bool:
        """Tell whether the option carries a value."""
        return self.value is not None

    def __post_init__(self) -> None:
        if self.value is not None and not 0 <= to_fraction(self.value) <= 100:
            raise ScoringInputError(
                f"option {self.key!r}: value must lie in 0..100; got {self.value!r}",
                f"选项{self.label}的赋值须在0至100之间：{self.value!r}",
            )


@dataclass(frozen=True)
class QuestionSpec:
    """A question as the scoring core sees it."""

    id: str
    topic: str
    options: tuple[OptionSpec, ...]
    #: Question weight for the ``weighted`` composite (Σwᵢsᵢ/Σwᵢ); must be > 0.
    weight: float = 1
    #: Optional dimension (维度) for subtotals.
    dimension: str | None = None
    #: Unscored questions (unit information, open questions) are skipped by the composite.
    scored: bool = True

    def __post_init__(self) -> None:
        object.__setattr__(self, "options", tuple(self.options))
        keys = [option.key for option in self.options]
        if len(set(keys)) != len(keys):
            raise self._error("option keys must be unique", "选项编号重复")
        if not self.scored:
            return
        values = {to_fraction(o.value) for o in self.options if o.value is not None}
        if len(values) < 2:
            raise self._error(
                "a scored question needs at least two scored options with different values",
                "计分题至少需要两个赋值不同的计分选项",
            )
        if to_fraction(self.weight) <= 0:
            raise self._error(
                f"weight must be positive; got {self.weight!r}", "题目权重须大于0"
            )

    def _error(self, message: str, message_zh: str) -> ScoringInputError:
        return ScoringInputError(
            f"question {self.id!r}: {message}", f"题目{self.id}：{message_zh}"
        )

"""What every question type answers for itself: bank keys, validation, answer checks, pages.

The rest of the app asks the registry (``question_types.of(question)``) instead of branching
on ``question.type``.  A type is a stateless object; ``Question`` stays a plain frozen record
so frozen questionnaires keep their JSON form and hash.

Pages render a question through the Jinja macros in ``templates/question_types/<name>.html``
(``respond``, ``paper``, ``blank`` …); the designer edits the bank keys listed here.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from ..answers_base import Answer
from ..questionnaire import Option, Question
from ..vocabulary import AnswerProblem

if TYPE_CHECKING:
    from ..banks import _QuestionParser

Checked = tuple[Answer | None, str | None]


class QuestionType:
    """Defaults shared by all types; each type overrides what it does differently."""

    #: The ``type`` value in banks and frozen copies.
    name: str = ""
    #: Answers pick option keys (single, multiple, matrix rows).
    choice: bool = False
    #: Answers may pick several options: shares are of the question's respondents, not of ticks.
    several: bool = False
    #: How the raw data shows an answer: "choice" (option labels), "number" or "text".
    raw_kind: str = "text"
    #: Bank keys this type accepts beyond the common ones (id, type, text, help, required, show_if …).
    bank_keys: frozenset[str] = frozenset()

    @property
    def template(self) -> str:
        """The Jinja template holding this type's macros."""
        return f"question_types/{self.name}.html"

    def parse(self, parser: _QuestionParser, q: dict[str, Any], where: str) -> dict[str, Any]:
        """Validate the type's own bank keys; return keyword arguments for ``Question``."""
        return {}

    def check(self, question: Question, values: Sequence[str]) -> Checked:
        """Check the raw form values of one item; return the answer or a problem code."""
        raise NotImplementedError

    def items(self, question: Question) -> tuple[Question, ...]:
        """The answerable items the question stands for (a matrix: its rows)."""
        return (question,)

    def cell_keys(self, question: Question, cell: str) -> list[str]:
        """Split one imported spreadsheet cell into the raw values of this item."""
        return [cell]

    def blank(self, question: Question) -> list[tuple]:
        """How the printed blank questionnaire shows the answer space, as neutral parts.

        Parts: ``("choices", labels, max_choices)`` a line of □ boxes; ``("write", lines)``
        blank lines for writing; ``("row", suffix, text)`` a sub-item such as a matrix row,
        numbered "<question number>.<suffix>".  ``reports`` turns the parts into paragraphs.
        """
        return [("write", 1)]

    def bank_entry(self, question: Question, scale_of: dict[tuple[Option, ...], str]) -> dict[str, Any]:
        """The type's own keys of the question in bank (YAML) form; the inverse of ``parse``."""
        return {}


def required_missing(question: Question) -> Checked:
    """No answer given: a problem when the question must be answered."""
    return None, AnswerProblem.REQUIRED if question.required else None

"""The question-type registry: one module per type, looked up by ``question.type``.

Adding a type means one module here (bank keys, validation, answer check, import cell
parsing, bank form) plus one template of macros (``templates/question_types/<name>.html``:
phone page, paper entry, review, blank questionnaire).  Everything else asks the registry.
"""

from __future__ import annotations

from ..questionnaire import Question
from . import matrix, multiple, number, single, text
from .base import QuestionType

REGISTRY: dict[str, QuestionType] = {t.TYPE.name: t.TYPE for t in (single, multiple, text, number, matrix)}
#: Type names in the order the designer offers them.
TYPE_NAMES: tuple[str, ...] = tuple(REGISTRY)


def of(question: Question | str) -> QuestionType:
    """Return the type of a question (or a type name).

    :raises KeyError: for a name no bank validation would have let through.
    """
    return REGISTRY[question if isinstance(question, str) else question.type]


def is_choice(question: Question) -> bool:
    """Tell whether an item's answers are option keys (single, multiple, matrix rows)."""
    return REGISTRY[question.type].choice


__all__ = ["REGISTRY", "TYPE_NAMES", "QuestionType", "is_choice", "of"]

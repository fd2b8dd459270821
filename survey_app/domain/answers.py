"""Check a submitted answer sheet against the frozen questionnaire.

The web form, paper entry and (later) file import all go through ``check_answers`` so a
stored answer is valid by the same rules whatever its source.  Problems come back as
codes (``vocabulary.AnswerProblem``); their Chinese messages live in ``texts_zh``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from . import question_types
from .answers_base import Answer, clean_text, strip_control
from .questionnaire import Question, Questionnaire

__all__ = ["Answer", "CheckedSheet", "check_answers", "clean_text", "field_name", "strip_control",
           "visible_questions"]


@dataclass
class CheckedSheet:
    """Outcome of ``check_answers``: the clean answers, or a code per faulty question."""

    answers: dict[str, Answer] = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.errors


def field_name(question_id: str) -> str:
    """Return the form field name used for a question."""
    return f"q_{question_id}"


def check_answers(questionnaire: Questionnaire, form: Mapping[str, Sequence[str]]) -> CheckedSheet:
    """Validate raw form values (field name → list of strings) item by item.

    Each item is checked by its type (``question_types``); a matrix is checked row by row,
    each row being an item.  Follow-ups whose ``show_if`` does not hold are ignored
    entirely, answered or not, so a respondent who changed their mind never leaves a
    stray "why?" behind.
    """
    sheet = CheckedSheet()
    for question in questionnaire.questions:
        if not _visible(question, sheet.answers):
            continue
        values = [v for v in (form.get(field_name(question.id)) or []) if v is not None]
        answer, error = question_types.of(question).check(question, values)
        if error:
            sheet.errors[question.id] = error
        elif answer is not None:
            sheet.answers[question.id] = answer
    return sheet


def visible_questions(questionnaire: Questionnaire, answers: Mapping[str, Answer]) -> list[Question]:
    """Return the items shown for the given answers (follow-ups included when they apply)."""
    return [q for q in questionnaire.questions if _visible(q, answers)]


def _visible(question: Question, answers: Mapping[str, Answer]) -> bool:
    if question.show_if is None:
        return True
    target = answers.get(question.show_if.question)
    return bool(target) and question.show_if.holds(set(target.option_keys))

"""Check a submitted answer sheet against the frozen questionnaire.

The web form, paper entry and (later) file import all go through ``check_answers`` so a
stored answer is valid by the same rules whatever its source.  Problems come back as
codes (``vocabulary.AnswerProblem``); their Chinese messages live in ``texts_zh``.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from .questionnaire import MULTIPLE, NUMBER, SINGLE, TEXT, Question, Questionnaire
from .vocabulary import AnswerProblem

#: Control characters other than tab/newline, and lone surrogates: PostgreSQL refuses NUL
#: in text, psycopg cannot encode a surrogate, and the others only ever arrive by accident
#: (pasted from Word, say).
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff]")


@dataclass(frozen=True)
class Answer:
    """One stored answer; choice questions keep their option keys in scale order."""

    question_id: str
    option_keys: tuple[str, ...] = ()
    text: str | None = None
    number: float | None = None


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
    """Validate raw form values (field name → list of strings) question by question.

    Follow-ups whose ``show_if`` does not hold are ignored entirely, answered or not, so
    a respondent who changed their mind never leaves a stray "why?" behind.
    """
    sheet = CheckedSheet()
    for question in questionnaire.questions:
        if not _visible(question, sheet.answers):
            continue
        values = [v for v in (form.get(field_name(question.id)) or []) if v is not None]
        answer, error = _check_one(question, values)
        if error:
            sheet.errors[question.id] = error
        elif answer is not None:
            sheet.answers[question.id] = answer
    return sheet


def visible_questions(questionnaire: Questionnaire, answers: Mapping[str, Answer]) -> list[Question]:
    """Return the questions shown for the given answers (follow-ups included when they apply)."""
    return [q for q in questionnaire.questions if _visible(q, answers)]


def _visible(question: Question, answers: Mapping[str, Answer]) -> bool:
    if question.show_if is None:
        return True
    target = answers.get(question.show_if.question)
    return bool(target) and question.show_if.holds(set(target.option_keys))


def _check_one(question: Question, values: list[str]) -> tuple[Answer | None, str | None]:
    if question.type in (SINGLE, MULTIPLE):
        return _check_choice(question, [v.strip() for v in values if v.strip()])
    raw = clean_text(values[0]) if values else ""
    if not raw:
        return None, AnswerProblem.REQUIRED if question.required else None
    if question.type == TEXT:
        if len(raw) > question.max_length:
            return None, AnswerProblem.TOO_LONG
        return Answer(question.id, text=raw), None
    if question.type == NUMBER:
        return _check_number(question, raw)
    raise AssertionError(f"unhandled question type {question.type}")  # banks validate types


def _check_choice(question: Question, keys: list[str]) -> tuple[Answer | None, str | None]:
    if not keys:
        return None, AnswerProblem.REQUIRED if question.required else None
    if any(question.option(k) is None for k in keys):
        return None, AnswerProblem.INVALID_OPTION
    unique = set(keys)
    if question.type == SINGLE and len(unique) > 1:
        return None, AnswerProblem.INVALID_OPTION
    if question.max_choices is not None and len(unique) > question.max_choices:
        return None, AnswerProblem.TOO_MANY
    ordered = tuple(o.key for o in question.options if o.key in unique)
    return Answer(question.id, option_keys=ordered), None


def _check_number(question: Question, raw: str) -> tuple[Answer | None, str | None]:
    # NFKC turns full-width digits (１２) typed on Chinese keyboards into ASCII ones.
    try:
        number = float(unicodedata.normalize("NFKC", raw).replace(",", ""))
    except ValueError:
        return None, AnswerProblem.NOT_A_NUMBER
    if not math.isfinite(number):
        return None, AnswerProblem.NOT_A_NUMBER
    if question.min_value is not None and number < question.min_value:
        return None, AnswerProblem.BELOW_MIN
    if question.max_value is not None and number > question.max_value:
        return None, AnswerProblem.ABOVE_MAX
    return Answer(question.id, number=number), None


def clean_text(value: str) -> str:
    """Strip surrounding space and control characters; keep Chinese punctuation as typed."""
    return strip_control(value).strip()


def strip_control(value: str) -> str:
    """Remove control characters (NUL included) and lone surrogates; keep tabs, newlines and spaces."""
    return _CONTROL.sub("", value)

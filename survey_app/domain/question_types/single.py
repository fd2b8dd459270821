"""单选题: one option from a scale (scored when the scale has values) or from inline options."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from ..answers_base import Answer
from ..questionnaire import Option, Question
from ..vocabulary import AnswerProblem
from .base import Checked, QuestionType, required_missing


class ChoiceType(QuestionType):
    """What single and multiple choice share: options from a scale or inline, keys in answers."""

    choice = True
    raw_kind = "choice"
    bank_keys = frozenset({"scale", "options"})
    #: Most options one answer may pick (None: any number).
    most: int | None = None

    def parse(self, parser, q: dict[str, Any], where: str) -> dict[str, Any]:
        return {"options": parser.choice_options(where, q)}

    def check(self, question: Question, values: Sequence[str]) -> Checked:
        keys = [v.strip() for v in values if v and v.strip()]
        if not keys:
            return required_missing(question)
        if any(question.option(k) is None for k in keys):
            return None, AnswerProblem.INVALID_OPTION
        unique = set(keys)
        if self.most is not None and len(unique) > self.most:
            return None, AnswerProblem.INVALID_OPTION
        if question.max_choices is not None and len(unique) > question.max_choices:
            return None, AnswerProblem.TOO_MANY
        ordered = tuple(o.key for o in question.options if o.key in unique)
        return Answer(question.id, option_keys=ordered), None

    def blank(self, question: Question) -> list[tuple]:
        return [("choices", tuple(o.label for o in question.options), question.max_choices)]

    def bank_entry(self, question: Question, scale_of: dict[tuple[Option, ...], str]) -> dict[str, Any]:
        scale = scale_of.get(question.options) if question.scale else None
        if scale:
            return {"scale": scale}
        return {"options": [_option_entry(o) for o in question.options]}


def _option_entry(option) -> dict[str, Any]:
    entry: dict[str, Any] = {"key": option.key, "label": option.label}
    if option.value is not None:
        entry["value"] = option.value
    return entry


class SingleType(ChoiceType):
    name = "single"
    most = 1


TYPE = SingleType()

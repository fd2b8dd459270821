"""数值题: a number within ``min``/``max``; full-width digits and thousands commas accepted."""

from __future__ import annotations

import math
import unicodedata
from collections.abc import Sequence
from typing import Any

from ...texts_zh import banks as zh
from ..answers_base import Answer, clean_text
from ..questionnaire import Option, Question
from ..vocabulary import AnswerProblem
from .base import Checked, QuestionType, required_missing


class NumberType(QuestionType):
    name = "number"
    raw_kind = "number"
    bank_keys = frozenset({"min", "max"})

    def parse(self, parser, q: dict[str, Any], where: str) -> dict[str, Any]:
        low, high = q.get("min"), q.get("max")
        for bound in (low, high):
            if bound is not None and (isinstance(bound, bool) or not isinstance(bound, (int, float))):
                parser.fail(where, zh.MIN_MAX_NUMBERS, "min")
                return {"min_value": None, "max_value": None}
        if low is not None and high is not None and low > high:
            parser.fail(where, zh.MIN_ABOVE_MAX.format(low=low, high=high), "min")
        return {"min_value": low, "max_value": high}

    def check(self, question: Question, values: Sequence[str]) -> Checked:
        raw = clean_text(values[0]) if values else ""
        if not raw:
            return required_missing(question)
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

    def bank_entry(self, question: Question, scale_of: dict[tuple[Option, ...], str]) -> dict[str, Any]:
        bounds = {"min": question.min_value, "max": question.max_value}
        return {k: v for k, v in bounds.items() if v is not None}


TYPE = NumberType()

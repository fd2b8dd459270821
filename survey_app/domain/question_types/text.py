"""填空题 (open answer): free text up to ``max_length`` characters, never scored."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from ...texts_zh import banks as zh
from ..answers_base import Answer, clean_text
from ..questionnaire import TEXT_MAX_LENGTH, Option, Question
from ..vocabulary import AnswerProblem
from .base import Checked, QuestionType, required_missing


class TextType(QuestionType):
    name = "text"
    bank_keys = frozenset({"max_length", "keywords"})

    def parse(self, parser, q: dict[str, Any], where: str) -> dict[str, Any]:
        max_length = q.get("max_length", TEXT_MAX_LENGTH)
        if isinstance(max_length, bool) or not isinstance(max_length, int) or not 1 <= max_length <= TEXT_MAX_LENGTH:
            parser.fail(where, zh.MAX_LENGTH.format(most=TEXT_MAX_LENGTH), "max_length")
            max_length = TEXT_MAX_LENGTH
        return {"max_length": max_length}

    def check(self, question: Question, values: Sequence[str]) -> Checked:
        raw = clean_text(values[0]) if values else ""
        if not raw:
            return required_missing(question)
        if len(raw) > question.max_length:
            return None, AnswerProblem.TOO_LONG
        return Answer(question.id, text=raw), None

    def blank(self, question: Question) -> list[tuple]:
        return [("write", 2)]

    def bank_entry(self, question: Question, scale_of: dict[tuple[Option, ...], str]) -> dict[str, Any]:
        return {"max_length": question.max_length} if question.max_length != TEXT_MAX_LENGTH else {}


TYPE = TextType()

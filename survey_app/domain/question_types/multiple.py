"""多选题: several options, at most ``max_choices``; shares are of the question's respondents."""

from __future__ import annotations

from typing import Any

from ...texts_zh import banks as zh
from ..questionnaire import Option, Question
from .single import ChoiceType


class MultipleType(ChoiceType):
    name = "multiple"
    several = True
    bank_keys = ChoiceType.bank_keys | {"max_choices"}

    def parse(self, parser, q: dict[str, Any], where: str) -> dict[str, Any]:
        fields = super().parse(parser, q, where)
        most = q.get("max_choices")
        if most is not None and (isinstance(most, bool) or not isinstance(most, int) or most < 1):
            parser.fail(where, zh.MAX_CHOICES, "max_choices")
            most = None
        fields["max_choices"] = most
        return fields

    def cell_keys(self, question: Question, cell: str) -> list[str]:
        """问卷星 joins the ticked options of one cell with ┋."""
        from ..imports.values import JOIN  # the import package reads answers through this registry

        return cell.split(JOIN)

    def bank_entry(self, question: Question, scale_of: dict[tuple[Option, ...], str]) -> dict[str, Any]:
        entry = super().bank_entry(question, scale_of)
        if question.max_choices is not None:
            entry["max_choices"] = question.max_choices
        return entry


TYPE = MultipleType()

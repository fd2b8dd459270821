"""Chinese messages shown to respondents beside a faulty answer."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..domain.vocabulary import AnswerProblem as codes

if TYPE_CHECKING:
    from ..domain.questionnaire import Question


def message_for(code: str, question: Question) -> str:
    """Return the message shown beside a faulty question."""
    if code == codes.REQUIRED:
        return "请回答此题" if question.type != "multiple" else "请至少选择一项"
    if code == codes.INVALID_OPTION:
        return "所选选项无效，请重新选择"
    if code == codes.TOO_MANY:
        return f"最多可选{question.max_choices}项"
    if code == codes.TOO_LONG:
        return f"内容过长，请控制在{question.max_length}字以内"
    if code == codes.NOT_A_NUMBER:
        return "请输入数字"
    if code == codes.BELOW_MIN:
        return f"不能小于{question.min_value:g}"
    if code == codes.ABOVE_MAX:
        return f"不能大于{question.max_value:g}"
    return "请检查此题的回答"

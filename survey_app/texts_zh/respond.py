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


# One answer per person: the already-submitted screen and the shared-phone button.
ALREADY_TITLE = "您已提交过本问卷"
ALREADY_WHEN = "您已提交过本问卷（{time}）"
ALREADY_COUNTED = "您的答卷已保存，无需再次提交。"
ANOTHER_PERSON = "为本单位其他人员再填写一份"
ANOTHER_PERSON_HINT = "同一单位需要多人填写。如果本单位的同事借用这部手机填写，请点击下面的按钮。"
ANOTHER_PERSON_NOTICE = "您正在为本单位的另一位人员填写一份新问卷。"

# Coverage at the point of use (thank-you page).
UNIT_SHORT = "本单位目前已收到{counted}份答卷，至少需要{minimum}份。请将本问卷链接转发给本单位其他人员填写："
UNIT_MET = "本单位已收到{counted}份答卷，达到最低份数要求，感谢支持！"

# Weak networks: the background submission (respond.js reads these from the page).
SENDING = "正在提交…"
RETRYING = "网络不稳定，正在重新提交（第{n}次）…"
OFFLINE_WAITING = "网络连接已断开。您填写的内容已保存在本机，恢复网络后将自动提交，请不要关闭本页面。"

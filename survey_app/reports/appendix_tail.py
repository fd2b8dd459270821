"""Section 七 (意见建议汇总) and 附：调查问卷 (the blank questionnaire with □ boxes)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from docx.enum.text import WD_BREAK

from ..domain import question_types
from ..texts_zh import report as zh
from .docx_style import para

if TYPE_CHECKING:
    from .appendix_docx import AppendixData

#: □ (U+25A1) is in GB2312, so every Chinese font has it; ☐ (U+2610) is missing from 仿宋/宋体.
BOX = "□"
BLANK_LINE = "_" * 36


def open_answers(doc, data: AppendixData, number: str) -> None:
    """七、意见建议汇总: themes by frequency, each with its count, its questions and a few answers.

    Non-answers ("无", "满意") and the opinions the evaluator hid are counted, never quoted;
    questions are named by the numbers respondents saw (``domain.opinions.summary.question_refs``).
    """
    para(doc, zh.SECTION.format(number=number, title=zh.OPEN_ANSWERS), "Heading 1")
    s = data.open_answers
    if not s.themes:
        doc.add_paragraph(zh.OPEN_NONE.format(subject=data.subject))
        if s.non_answers:
            doc.add_paragraph(zh.OPEN_NON_ANSWERS.format(n=s.non_answers))
        return
    intro = zh.OPEN_INTRO.format(subject=data.subject, n=s.total - s.non_answers, themes=len(s.themes))
    if s.non_answers:
        intro += zh.OPEN_NON_ANSWERS.format(n=s.non_answers)
    if s.hidden:
        intro += zh.OPEN_HIDDEN.format(n=s.hidden)
    doc.add_paragraph(intro)
    for i, theme in enumerate(s.themes, start=1):
        aspect = theme.name if theme.name.endswith("方面") else zh.OPEN_ASPECT.format(name=theme.name)
        para(doc, zh.OPEN_THEME.format(i=i, aspect=aspect, count=theme.count,
                                       questions=zh.OPEN_QUESTIONS_JOIN.join(theme.questions)), "Heading 3")
        for k, (text, count) in enumerate(theme.examples, start=1):
            doc.add_paragraph(zh.OPEN_EXAMPLE.format(i=k, text=text, count=count))
        if theme.more and theme.examples:
            doc.add_paragraph(zh.OPEN_MORE.format(n=theme.more))


def questionnaire(doc, data: AppendixData) -> None:
    """附：调查问卷 — the questionnaire as asked: intro letter, numbered questions, □ options.

    Numbers are the respondents' (``Questionnaire.numbers``): the same as in the results;
    a follow-up carries none and says which answer of which question it follows.
    """
    q = data.questionnaire
    doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
    para(doc, zh.QUESTIONNAIRE, "Heading 1")
    intro = q.intro
    para(doc, intro.title or q.title, "Heading 2").alignment = 1
    if intro.greeting:
        para(doc, intro.greeting, "问卷选项").paragraph_format.first_line_indent = 0
    for text in (intro.purpose, intro.confidentiality):
        if text:
            doc.add_paragraph(text)
    numbers = q.numbers()
    for section in q.sections:
        para(doc, section.title, "Heading 3")
        for question in section.questions:
            _question(doc, q, question, numbers)
    if intro.closing:
        doc.add_paragraph(intro.closing)
    if intro.organisation:
        para(doc, intro.organisation, "落款")


def _question(doc, q, question, numbers: dict[str, str]) -> None:
    condition = ""
    if question.show_if:
        parent = q.question(question.show_if.question)
        labels = (zh.QUESTIONNAIRE_LABELS_JOIN.join(o.label for o in parent.options if o.key in question.show_if.any_of)
                  if parent else "")
        number = numbers.get(question.show_if.question)
        condition = zh.QUESTIONNAIRE_CONDITION.format(number=number, labels=labels) if number and labels else ""
    required = "" if question.required or question.show_if else zh.QUESTIONNAIRE_OPTIONAL
    number = numbers.get(question.id)
    template = zh.QUESTIONNAIRE_QUESTION if number else zh.QUESTIONNAIRE_FOLLOW_UP
    para(doc, template.format(n=number, text=question.text, required=required, condition=condition), "问卷选项")
    for part in question_types.of(question).blank(question):
        _blank_part(doc, part, number)


def _blank_part(doc, part: tuple, number: str | None) -> None:
    """Print one part of a type's answer space (``QuestionType.blank``)."""
    kind = part[0]
    if kind == "write":
        for _ in range(part[1]):
            para(doc, BLANK_LINE, "问卷选项")
    elif kind == "row":
        para(doc, zh.QUESTIONNAIRE_ROW.format(n=f"{number}.{part[1]}" if number else part[1], text=part[2]), "问卷选项")
    elif kind == "choices":
        options = "　".join(f"{BOX}{label}" for label in part[1])
        if part[2]:
            options += zh.QUESTIONNAIRE_MAX_CHOICES.format(n=part[2])
        para(doc, options, "问卷选项")

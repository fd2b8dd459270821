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
    """七、意见建议汇总: per open question, distinct answers with their counts (most frequent first)."""
    para(doc, zh.SECTION.format(number=number, title=zh.OPEN_ANSWERS), "Heading 1")
    groups = [g for g in data.open_answers if g["total"]]
    if not groups:
        doc.add_paragraph(zh.OPEN_NONE.format(subject=data.subject))
        return
    total = sum(g["total"] for g in groups)
    doc.add_paragraph(zh.OPEN_INTRO.format(subject=data.subject, n=total))
    for g in groups:
        parent = zh.OPEN_FOLLOW_UP.format(parent=g["parent"]) if g.get("parent") else ""
        para(doc, zh.OPEN_QUESTION.format(id=g["id"], text=g["text"], parent=parent), "Heading 3")
        doc.add_paragraph(zh.OPEN_COUNTS.format(total=g["total"], distinct=g["distinct"]))
        for i, (text, count) in enumerate(g["items"], start=1):
            doc.add_paragraph(zh.OPEN_ITEM.format(i=i, text=text, count=count))
        if g["omitted"]:
            doc.add_paragraph(zh.OPEN_OMITTED.format(n=g["omitted"]))


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

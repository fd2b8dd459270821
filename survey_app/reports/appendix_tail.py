"""Section 七 (意见建议汇总) and 附：调查问卷 (the blank questionnaire with □ boxes)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from docx.enum.text import WD_BREAK

from ..domain.questionnaire import MULTIPLE, NUMBER, TEXT
from .docx_style import para

if TYPE_CHECKING:
    from .appendix_docx import AppendixData

#: □ (U+25A1) is in GB2312, so every Chinese font has it; ☐ (U+2610) is missing from 仿宋/宋体.
BOX = "□"
BLANK_LINE = "_" * 36


def open_answers(doc, data: AppendixData, number: str) -> None:
    """七、意见建议汇总: per open question, distinct answers with their counts (most frequent first)."""
    para(doc, f"{number}、意见建议汇总", "Heading 1")
    groups = [g for g in data.open_answers if g["total"]]
    if not groups:
        doc.add_paragraph(f"本次调查未收到{data.subject}填写的意见和建议。")
        return
    total = sum(g["total"] for g in groups)
    doc.add_paragraph(f"本次调查共收到{data.subject}填写的意见、建议及不满意原因{total}条，按题目分类、"
                      "合并相同内容后汇总如下（括号内为提出该意见的人次）。")
    for g in groups:
        parent = f"（追问：{g['parent']}）" if g.get("parent") else ""
        para(doc, f"{g['id']}：{g['text']}{parent}", "Heading 3")
        doc.add_paragraph(f"共{g['total']}条，合并相同内容后{g['distinct']}条：")
        for i, (text, count) in enumerate(g["items"], start=1):
            doc.add_paragraph(f"{i}. {text}（{count}人次）")
        if g["omitted"]:
            doc.add_paragraph(f"另有{g['omitted']}条不同意见（出现次数较少）未逐条列出，完整内容见数据表“原始数据”。")


def questionnaire(doc, data: AppendixData) -> None:
    """附：调查问卷 — the questionnaire as asked: intro letter, numbered questions, □ options."""
    q = data.questionnaire
    doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
    para(doc, "附：调查问卷", "Heading 1")
    intro = q.intro
    para(doc, intro.title or q.title, "Heading 2").alignment = 1
    if intro.greeting:
        para(doc, intro.greeting, "问卷选项").paragraph_format.first_line_indent = 0
    for text in (intro.purpose, intro.confidentiality):
        if text:
            doc.add_paragraph(text)
    numbers = {}
    n = 0
    for section in q.sections:
        para(doc, section.title, "Heading 3")
        for question in section.questions:
            n += 1
            numbers[question.id] = n
            _question(doc, q, question, n, numbers)
    if intro.closing:
        doc.add_paragraph(intro.closing)
    if intro.organisation:
        para(doc, intro.organisation, "落款")


def _question(doc, q, question, n: int, numbers: dict[str, int]) -> None:
    condition = ""
    if question.show_if:
        parent = q.question(question.show_if.question)
        labels = "”或“".join(o.label for o in parent.options if o.key in question.show_if.any_of) if parent else ""
        number = numbers.get(question.show_if.question)
        condition = f"（第{number}题选择“{labels}”时填写）" if number and labels else ""
    required = "" if question.required or question.show_if else "（选填）"
    para(doc, f"{n}. {question.text}{required}{condition}", "问卷选项")
    if question.type == TEXT:
        para(doc, BLANK_LINE, "问卷选项")
        para(doc, BLANK_LINE, "问卷选项")
    elif question.type == NUMBER:
        para(doc, "________________", "问卷选项")
    else:
        options = "　".join(f"{BOX}{o.label}" for o in question.options)
        if question.type == MULTIPLE and question.max_choices:
            options += f"（最多选{question.max_choices}项）"
        para(doc, options, "问卷选项")

"""The distribution sheet as a Word document: one card per unit (survey, name, QR code, link, deadline, contact).

Evaluators print it, cut the cards apart and hand or mail one to each unit, or edit it
first (a cover letter, a contact person), which is why this is a .docx and not a PDF.
Cards sit in a two-column table on A4, three rows per page; a row never splits across
pages.  Data in, bytes out: the caller supplies the cards and a QR-to-PNG function.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Sequence
from typing import Protocol

from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

from ..texts_zh import distribution as zh

FONT = "宋体"
QR_CM = 4.2
#: Row height chosen so the title and three rows of cards fit an A4 page inside 1.5 cm margins.
ROW_CM = 8.2


class CardLike(Protocol):
    name: str
    county: str
    category: str
    min_valid: int
    url: str
    code_line: str


def write_distribution_sheet(title: str, cards: Sequence[CardLike], qr_png: Callable[[str], bytes],
                             note: str = "", *, deadline: str = "", contact: str = "") -> bytes:
    """Return the .docx bytes: a title line, an optional note, then two cards per table row.

    Each card repeats the survey's name, the deadline and the contact, like the HTML sheet:
    a card is cut out and handed over alone.
    """
    doc = Document()
    _page_setup(doc)
    heading = doc.add_paragraph()
    heading.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _run(heading, zh.SHEET_TITLE.format(title=title), 14, bold=True)
    if note:
        _run(doc.add_paragraph(), note, 9)
    table = doc.add_table(rows=0, cols=2)
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.style = "Table Grid"
    for start in range(0, len(cards), 2):
        row = table.add_row()
        _keep_row_together(row)
        row.height = Cm(ROW_CM)
        for cell, card in zip(row.cells, cards[start:start + 2], strict=False):
            _fill_card(cell, card, qr_png(card.url), title, deadline, contact)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def _page_setup(doc) -> None:
    section = doc.sections[0]
    section.page_width, section.page_height = Cm(21.0), Cm(29.7)
    for side in ("top_margin", "bottom_margin", "left_margin", "right_margin"):
        setattr(section, side, Cm(1.5))
    doc.core_properties.title = "问卷分发单"
    style = doc.styles["Normal"]
    style.font.size = Pt(10.5)
    style.font.name = FONT
    style.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), FONT)
    style.paragraph_format.space_after = Pt(2)


def _fill_card(cell, card: CardLike, png: bytes, title: str, deadline: str, contact: str) -> None:
    survey = cell.paragraphs[0]
    survey.alignment = WD_ALIGN_PARAGRAPH.CENTER
    survey.paragraph_format.space_before = Pt(4)
    _run(survey, title, 8)
    name = cell.add_paragraph()
    name.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _run(name, card.name, 12, bold=True)
    where = " · ".join(filter(None, [card.county, card.category]))
    if where:
        line = cell.add_paragraph()
        line.alignment = WD_ALIGN_PARAGRAPH.CENTER
        _run(line, where, 9)
    picture = cell.add_paragraph()
    picture.alignment = WD_ALIGN_PARAGRAPH.CENTER
    picture.add_run().add_picture(io.BytesIO(png), width=Cm(QR_CM))
    hint = cell.add_paragraph()
    hint.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _run(hint, zh.CARD_SCAN, 9)
    link = cell.add_paragraph()
    link.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _run(link, card.url, 8)
    if card.code_line:
        code = cell.add_paragraph()
        code.alignment = WD_ALIGN_PARAGRAPH.CENTER
        _run(code, card.code_line, 9)
    minimum = cell.add_paragraph()
    minimum.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _run(minimum, zh.CARD_MINIMUM.format(n=card.min_valid), 9)
    for text in (zh.CARD_DEADLINE.format(deadline=deadline) if deadline else "",
                 zh.CARD_CONTACT.format(contact=contact) if contact else ""):
        if text:
            line = cell.add_paragraph()
            line.alignment = WD_ALIGN_PARAGRAPH.CENTER
            _run(line, text, 9)


def _run(paragraph, text: str, size: float, bold: bool = False) -> None:
    run = paragraph.add_run(text)
    run.font.size = Pt(size)
    run.bold = bold
    run.font.name = FONT
    run._element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), FONT)


def _keep_row_together(row) -> None:
    """``w:cantSplit``: Word moves the whole card to the next page instead of cutting it."""
    properties = row._tr.get_or_add_trPr()
    cant_split = OxmlElement("w:cantSplit")
    cant_split.set(qn("w:val"), "true")
    properties.append(cant_split)

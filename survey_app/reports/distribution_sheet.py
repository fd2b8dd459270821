"""The distribution sheet as a Word document: one card per unit (name, QR code, link, minimum).

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


def write_distribution_sheet(title: str, cards: Sequence[CardLike], qr_png: Callable[[str], bytes],
                             note: str = "") -> bytes:
    """Return the .docx bytes: a title line, an optional note, then two cards per table row."""
    doc = Document()
    _page_setup(doc)
    heading = doc.add_paragraph()
    heading.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _run(heading, f"{title} · 问卷分发单", 14, bold=True)
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
            _fill_card(cell, card, qr_png(card.url))
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


def _fill_card(cell, card: CardLike, png: bytes) -> None:
    name = cell.paragraphs[0]
    name.alignment = WD_ALIGN_PARAGRAPH.CENTER
    name.paragraph_format.space_before = Pt(6)
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
    _run(hint, "请用手机微信或浏览器扫码填写", 9)
    link = cell.add_paragraph()
    link.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _run(link, card.url, 8)
    minimum = cell.add_paragraph()
    minimum.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _run(minimum, f"最少有效份数：{card.min_valid} 份", 9)


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

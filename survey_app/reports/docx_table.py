"""Tables and numbered captions of the Word appendix (real Word tables, SEQ-numbered captions)."""

from __future__ import annotations

from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm

from .docx_style import TEXT_WIDTH_CM, add_field, para, style_id

#: Tables up to this many rows are kept on one page.
KEEP_TOGETHER_ROWS = 15


def add_table(doc, header: list[str], rows: list[list], widths_cm: list[float] | None = None,
              align_left: tuple[int, ...] = (), merge_last: int = 0):
    """Add a bordered table (header row repeated on each page); cells use the 表格文字 style.

    :param merge_last: merge this many leading cells of the last row (a "合计" label).
    """
    table = doc.add_table(rows=1, cols=len(header))
    table.style = doc.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    _fill_row(table.rows[0], header, doc, bold=True)
    trpr = table.rows[0]._tr.get_or_add_trPr()
    repeat = OxmlElement("w:tblHeader")
    trpr.append(repeat)
    for values in rows:
        row = table.add_row()
        _fill_row(row, values, doc, left=align_left)
    if widths_cm:
        set_widths(table, widths_cm)
    if len(table.rows) <= KEEP_TOGETHER_ROWS:  # a short table stays on one page with its caption
        for row in table.rows[:-1]:
            for cell in row.cells:
                cell.paragraphs[0].paragraph_format.keep_with_next = True
    if merge_last > 1:
        cells = table.rows[-1].cells
        merged = cells[0].merge(cells[merge_last - 1])
        for extra in merged.paragraphs[1:]:
            extra._p.getparent().remove(extra._p)
        merged.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
    return table


def set_widths(table, widths_cm: list[float]) -> None:
    """Fix column widths in the grid (LibreOffice reads ``w:gridCol``) and in every cell (Word reads ``w:tcW``)."""
    table.autofit = False
    scale = min(1.0, TEXT_WIDTH_CM / sum(widths_cm))
    widths = [Cm(w * scale) for w in widths_cm]
    for col, width in zip(table._tbl.tblGrid.findall(qn("w:gridCol")), widths, strict=False):
        col.set(qn("w:w"), str(width.twips))
    for row in table.rows:
        for cell, width in zip(row.cells, widths, strict=False):
            cell.width = width


def _fill_row(row, values, doc, bold=False, left=()) -> None:
    table_text = style_id(doc, "表格文字")
    for i, (cell, value) in enumerate(zip(row.cells, values, strict=True)):
        cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
        paragraph = cell.paragraphs[0]
        paragraph._p.style = table_text
        # Direct alignment: LibreOffice ignores a paragraph style's alignment inside table cells.
        paragraph.alignment = WD_ALIGN_PARAGRAPH.LEFT if i in left and not bold else WD_ALIGN_PARAGRAPH.CENTER
        run = paragraph.add_run("" if value is None else str(value))
        if bold:
            run.bold = True


def caption(doc, kind: str, number: int, text: str):
    """Add a numbered caption "图1 …" / "表1 …" with a SEQ field, so Word renumbers on insertion."""
    paragraph = para(doc, "", "Caption")
    paragraph.add_run(kind)
    add_field(paragraph, f"SEQ {kind} \\* ARABIC", str(number))
    paragraph.add_run(f" {text}")
    return paragraph

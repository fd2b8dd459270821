"""Page set-up, styles and small building blocks of the Word appendix (公文 practice).

Everything visible is carried by named styles (标题 1–3, 正文, 题注, 表格文字 …) so an
evaluator can restyle the whole document from Word's style pane; direct formatting is
limited to table cell alignment.  Chinese text needs the East Asian font slot
(``w:rFonts w:eastAsia``) and ``w:lang w:eastAsia="zh-CN"`` — ``style.font.name`` alone
sets only the Latin font.
"""

from __future__ import annotations

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor

LATIN = "Times New Roman"
#: (East Asian font, the font Word substitutes when it is missing — written to the font table).
BODY_FONT = ("仿宋_GB2312", "仿宋")
TITLE_FONT = ("方正小标宋简体", "宋体")
HEADING_FONT = ("黑体", "SimHei")
KAITI_FONT = ("楷体_GB2312", "楷体")
TABLE_FONT = ("宋体", "SimSun")
#: A4 with 公文 margins (GB/T 9704-2012: top 37 mm, bottom 35 mm, left 28 mm, right 26 mm).
MARGINS_CM = {"top": 3.7, "bottom": 3.5, "left": 2.8, "right": 2.6}
TEXT_WIDTH_CM = 21.0 - MARGINS_CM["left"] - MARGINS_CM["right"]
BLACK = RGBColor(0, 0, 0)

# name: (font, size pt, bold, alignment, first-line indent in characters, space before/after pt)
PARAGRAPH_STYLES = {
    "Normal": (BODY_FONT, 14, False, WD_ALIGN_PARAGRAPH.JUSTIFY, 2, (0, 0)),
    "Title": (TITLE_FONT, 22, False, WD_ALIGN_PARAGRAPH.CENTER, 0, (12, 18)),
    "Heading 1": (HEADING_FONT, 16, False, WD_ALIGN_PARAGRAPH.LEFT, 2, (12, 6)),
    "Heading 2": (KAITI_FONT, 15, True, WD_ALIGN_PARAGRAPH.LEFT, 2, (6, 3)),
    "Heading 3": (BODY_FONT, 14, True, WD_ALIGN_PARAGRAPH.LEFT, 2, (6, 3)),
    "Caption": (HEADING_FONT, 10.5, False, WD_ALIGN_PARAGRAPH.CENTER, 0, (3, 6)),
    "表格文字": (TABLE_FONT, 10.5, False, WD_ALIGN_PARAGRAPH.CENTER, 0, (0, 0)),
    "图表": (BODY_FONT, 10.5, False, WD_ALIGN_PARAGRAPH.CENTER, 0, (6, 0)),
    "问卷选项": (BODY_FONT, 14, False, WD_ALIGN_PARAGRAPH.LEFT, 2, (0, 0)),
    # Formulas and rule texts: long unbreakable runs ("100%，得6分；") look stretched when justified.
    "正文左对齐": (BODY_FONT, 14, False, WD_ALIGN_PARAGRAPH.LEFT, 2, (0, 0)),
    "落款": (BODY_FONT, 14, False, WD_ALIGN_PARAGRAPH.RIGHT, 0, (0, 0)),
    # Page numbers: 四号 (14 pt) 宋体, as 公文 print them.
    "Footer": (TABLE_FONT, 14, False, WD_ALIGN_PARAGRAPH.CENTER, 0, (0, 0)),
}
#: Fixed line spacing of body-size text (公文: 28–30 pt for 三号; 26 pt suits 四号).
BODY_LINE_PT = 26


def set_run_fonts(rpr, font: tuple[str, str], size: float | None = None) -> None:
    """Set Latin + East Asian fonts (and zh-CN language) on a ``w:rPr`` element."""
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        fonts.attrib.pop(qn(attr), None)
    for attr, value in (("w:ascii", LATIN), ("w:hAnsi", LATIN), ("w:cs", LATIN), ("w:eastAsia", font[0])):
        fonts.set(qn(attr), value)
    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        rpr.append(lang)
    lang.set(qn("w:val"), "en-US")
    lang.set(qn("w:eastAsia"), "zh-CN")
    if size is not None:
        for tag in ("w:sz", "w:szCs"):
            el = rpr.find(qn(tag))
            if el is None:
                el = OxmlElement(tag)
                rpr.append(el)
            el.set(qn("w:val"), str(int(size * 2)))


def new_document(title: str, author: str = "绩效评价工作组"):
    """Return an empty A4 document with the appendix's styles, fonts and margins."""
    doc = Document()
    _drop_template_thumbnail(doc)
    props = doc.core_properties
    props.title, props.author, props.comments = title, author, ""
    section = doc.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Cm(21.0), Cm(29.7)
    section.top_margin, section.bottom_margin = Cm(MARGINS_CM["top"]), Cm(MARGINS_CM["bottom"])
    section.left_margin, section.right_margin = Cm(MARGINS_CM["left"]), Cm(MARGINS_CM["right"])
    section.header_distance, section.footer_distance = Cm(1.5), Cm(1.8)
    defaults = doc.styles.element.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))
    set_run_fonts(defaults, BODY_FONT)
    for name, spec in PARAGRAPH_STYLES.items():
        _paragraph_style(doc, name, *spec)
    _table_style(doc)
    _font_table(doc)
    return doc


def _paragraph_style(doc, name, font, size, bold, align, indent_chars, spacing) -> None:
    styles = doc.styles
    style = styles[name] if name in [s.name for s in styles] else styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
    if style.base_style is None and name != "Normal":
        style.base_style = styles["Normal"]
    style.hidden = False
    style.quick_style = True
    rpr = style.element.get_or_add_rPr()
    set_run_fonts(rpr, font, size)
    style.font.bold = bold
    style.font.color.rgb = BLACK
    style.font.italic = False
    pf = style.paragraph_format
    pf.alignment = align
    pf.first_line_indent = Pt(size * indent_chars) if indent_chars else Pt(0)
    pf.space_before, pf.space_after = Pt(spacing[0]), Pt(spacing[1])
    if size >= 14 and name not in ("Title",):
        pf.line_spacing_rule = WD_LINE_SPACING.EXACTLY
        pf.line_spacing = Pt(BODY_LINE_PT if size <= 14 else BODY_LINE_PT + 2)
    else:
        pf.line_spacing_rule = WD_LINE_SPACING.SINGLE
    # Headings, table captions (above their table) and charts (above their caption) stay with what follows.
    pf.keep_with_next = name.startswith("Heading") or name in ("Title", "Caption", "图表")
    ppr = style.element.get_or_add_pPr()
    border = ppr.find(qn("w:pBdr"))
    if border is not None:  # the template's Title has a blue rule under it
        ppr.remove(border)
    color = rpr.find(qn("w:color"))
    if color is not None:
        for attr in ("w:themeColor", "w:themeShade"):
            color.attrib.pop(qn(attr), None)


def _table_style(doc) -> None:
    """"Table Grid" borders (0.5 pt all round), centred, with a little air above and below cell text."""
    style = doc.styles["Table Grid"]
    style.hidden = False
    tblpr = style.element.find(qn("w:tblPr"))
    margins = tblpr.find(qn("w:tblCellMar"))
    for side in ("top", "bottom"):
        margins.find(qn(f"w:{side}")).set(qn("w:w"), "40")
    jc = OxmlElement("w:jc")
    jc.set(qn("w:val"), "center")
    # Schema order (CT_TblPr): … tblW, jc, tblCellSpacing, tblInd, tblBorders … — Word rejects jc after tblInd.
    following = next((tblpr.find(qn(f"w:{tag}")) for tag in ("tblCellSpacing", "tblInd", "tblBorders", "shd",
                                                               "tblLayout", "tblCellMar")
                      if tblpr.find(qn(f"w:{tag}")) is not None), None)
    following.addprevious(jc)


def _font_table(doc) -> None:
    """Declare the Chinese fonts with a substitute (``w:altName``) and the GB2312 charset (86).

    This is the document's own fallback chain: Word substitutes 仿宋 for a missing
    仿宋_GB2312, 宋体 for a missing 方正小标宋简体, and so on.
    """
    from lxml import etree

    part = next(p for p in doc.part.package.iter_parts() if str(p.partname) == "/word/fontTable.xml")
    root = etree.fromstring(part.blob)
    w = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
    for name, alt in (BODY_FONT, TITLE_FONT, HEADING_FONT, KAITI_FONT, TABLE_FONT):
        font = etree.SubElement(root, f"{{{w}}}font", {f"{{{w}}}name": name})
        etree.SubElement(font, f"{{{w}}}altName", {f"{{{w}}}val": alt})
        etree.SubElement(font, f"{{{w}}}charset", {f"{{{w}}}val": "86"})
        etree.SubElement(font, f"{{{w}}}family", {f"{{{w}}}val": "modern" if "黑" in name else "roman"})
        etree.SubElement(font, f"{{{w}}}pitch", {f"{{{w}}}val": "variable"})
    part._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _drop_template_thumbnail(doc) -> None:
    """python-docx's template carries a thumbnail of a sample page; do not ship it."""
    package = doc.part.package
    for rel_id, rel in list(package.rels.items()):
        if rel.reltype.endswith("/thumbnail"):
            del package.rels[rel_id]


def add_field(paragraph, instruction: str, cached: str) -> None:
    """Append a Word field (PAGE, NUMPAGES, SEQ 图 …) showing ``cached`` until Word updates it."""
    def run_with(child):
        run = paragraph.add_run()
        run._r.append(child)
        return run

    begin = OxmlElement("w:fldChar")
    begin.set(qn("w:fldCharType"), "begin")
    run_with(begin)
    instr = OxmlElement("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = f" {instruction} "
    run_with(instr)
    sep = OxmlElement("w:fldChar")
    sep.set(qn("w:fldCharType"), "separate")
    run_with(sep)
    paragraph.add_run(cached)
    end = OxmlElement("w:fldChar")
    end.set(qn("w:fldCharType"), "end")
    run_with(end)


def add_footer(doc) -> None:
    """Page numbers "— 8 —" in 四号 at the outer edge (公文 habit): right on odd pages, left on even.

    Nothing else goes in the footer: the data's fingerprint is one 数据说明 line at the end.
    """
    doc.settings.odd_and_even_pages_header_footer = True
    section = doc.sections[0]
    for footer, align in ((section.footer, WD_ALIGN_PARAGRAPH.RIGHT), (section.even_page_footer, WD_ALIGN_PARAGRAPH.LEFT)):
        line = footer.paragraphs[0]
        line.style = doc.styles["Footer"]
        line.alignment = align
        line.paragraph_format.left_indent = line.paragraph_format.right_indent = Pt(14)
        line.add_run("— ")
        add_field(line, "PAGE", "1")
        line.add_run(" —")


def style_id(doc, name: str) -> str:
    """The style id of ``name``, looked up once per document (python-docx's lookup is O(styles))."""
    ids = doc.__dict__.setdefault("_style_ids", {})
    if name not in ids:
        ids[name] = doc.styles[name].style_id
    return ids[name]


def para(doc, text: str = "", style: str | None = None, container=None):
    """Add a paragraph with a named style to ``container`` (default: the body)."""
    paragraph = (container or doc).add_paragraph(text)
    if style:
        paragraph._p.style = style_id(doc, style)
    return paragraph

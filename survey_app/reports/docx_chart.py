"""Native, editable Word bar charts: python-pptx writes the chart XML, we embed it in the docx.

DrawingML charts are shared by Word and PowerPoint.  A chart part
(``/word/charts/chartN.xml``) is related from the document and referenced by an inline
``<c:chart r:id>``; its data live in an embedded workbook (``/word/embeddings/…xlsx``)
related from the chart part and named in ``<c:externalData>``, which is what Word's
"编辑数据" opens.  Each chart also caches its values in the XML, so renderers
(LibreOffice, Word's preview) draw it without opening the workbook.
"""

from __future__ import annotations

import io

import xlsxwriter
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.opc.part import Part, XmlPart
from docx.oxml import parse_xml
from docx.shared import Cm
from pptx.chart.data import CategoryChartData
from pptx.chart.xmlwriter import ChartXmlWriter
from pptx.enum.chart import XL_CHART_TYPE

from .docx_style import LATIN

CT_CHART = "application/vnd.openxmlformats-officedocument.drawingml.chart+xml"
CT_XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
NS = {
    "c": "http://schemas.openxmlformats.org/drawingml/2006/chart",
    "a": "http://schemas.openxmlformats.org/drawingml/2006/main",
    "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
    "wp": "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing",
    "w": "http://schemas.openxmlformats.org/wordprocessingml/2006/main",
}
BAR_COLOUR = "4472C4"
CHART_FONT = "宋体"


def _workbook(labels: list[str], values: list[float], series: str) -> bytes:
    """The chart's data as a workbook laid out as python-pptx expects (A: labels, B: values).

    Written with ``write_string`` so a label that looks like a formula stays text.
    """
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True, "strings_to_formulas": False})
    sheet = book.add_worksheet("Sheet1")
    number = book.add_format({"num_format": "0.00"})
    sheet.write_string(0, 1, series)
    sheet.set_column(0, 0, max(10, *(len(label) * 2 for label in labels)))
    for row, (label, value) in enumerate(zip(labels, values, strict=True), start=1):
        sheet.write_string(row, 0, label)
        sheet.write_number(row, 1, value, number)
    book.close()
    return buffer.getvalue()


def chart_xml(labels: list[str], values: list[float], series: str = "占比（%）") -> bytes:
    """Clustered column chart XML: one series, percentage data labels, no legend, Chinese fonts."""
    data = CategoryChartData(number_format="0.00")
    data.categories = labels
    data.add_series(series, values)
    space = parse_xml(ChartXmlWriter(XL_CHART_TYPE.COLUMN_CLUSTERED, data).xml.encode("utf-8"))
    c, a = NS["c"], NS["a"]
    chart = space.find(f"{{{c}}}chart")
    # Absent, Word draws the chart frame with rounded corners.
    space.find(f"{{{c}}}date1904").addnext(parse_xml(f'<c:roundedCorners xmlns:c="{c}" val="0"/>'))
    chart.find(f"{{{c}}}autoTitleDeleted").set("val", "1")
    bar = space.find(f".//{{{c}}}barChart")
    bar.find(f"{{{c}}}grouping").addnext(parse_xml(f'<c:varyColors xmlns:c="{c}" val="0"/>'))
    ser = bar.find(f"{{{c}}}ser")
    ser.find(f"{{{c}}}tx").addnext(parse_xml(
        f'<c:spPr xmlns:c="{c}" xmlns:a="{a}"><a:solidFill><a:srgbClr val="{BAR_COLOUR}"/></a:solidFill></c:spPr>'))
    ser.find(f"{{{c}}}cat").addprevious(parse_xml(
        f'<c:dLbls xmlns:c="{c}"><c:numFmt formatCode="0.00&quot;%&quot;" sourceLinked="0"/>'
        '<c:showLegendKey val="0"/><c:showVal val="1"/><c:showCatName val="0"/><c:showSerName val="0"/>'
        '<c:showPercent val="0"/><c:showBubbleSize val="0"/></c:dLbls>'))
    ser.addnext(parse_xml(f'<c:gapWidth xmlns:c="{c}" val="80"/>'))
    val_ax = space.find(f".//{{{c}}}valAx")
    scaling = val_ax.find(f"{{{c}}}scaling")
    scaling.append(parse_xml(f'<c:orientation xmlns:c="{c}" val="minMax"/>'))
    scaling.append(parse_xml(f'<c:max xmlns:c="{c}" val="100"/>'))
    scaling.append(parse_xml(f'<c:min xmlns:c="{c}" val="0"/>'))
    val_ax.append(parse_xml(f'<c:majorUnit xmlns:c="{c}" val="20"/>'))
    val_ax.find(f"{{{c}}}majorGridlines").addnext(
        parse_xml(f'<c:numFmt xmlns:c="{c}" formatCode="0&quot;%&quot;" sourceLinked="0"/>'))
    if chart.find(f"{{{c}}}plotVisOnly") is None:
        chart.find(f"{{{c}}}plotArea").addnext(parse_xml(f'<c:plotVisOnly xmlns:c="{c}" val="1"/>'))
    chart.addnext(parse_xml(
        f'<c:spPr xmlns:c="{c}" xmlns:a="{a}"><a:noFill/><a:ln><a:noFill/></a:ln></c:spPr>'))
    for old in space.findall(f"{{{c}}}txPr"):  # python-pptx's 18 pt default
        space.remove(old)
    space.find(f"{{{c}}}spPr").addnext(_text_properties(900))
    # LibreOffice reads the text size per element, not from the chart space: repeat it.
    for parent in (ser.find(f"{{{c}}}dLbls"), space.find(f".//{{{c}}}catAx"), val_ax):
        before = "showLegendKey" if parent.tag.endswith("dLbls") else "crossAx"
        anchor = parent.find(f"{{{c}}}{before}")
        anchor.addprevious(_text_properties(900))
    return space


def _text_properties(size: int):
    c, a = NS["c"], NS["a"]
    return parse_xml(
        f'<c:txPr xmlns:c="{c}" xmlns:a="{a}"><a:bodyPr/><a:lstStyle/><a:p><a:pPr><a:defRPr sz="{size}">'
        f'<a:latin typeface="{LATIN}"/><a:ea typeface="{CHART_FONT}"/></a:defRPr></a:pPr>'
        '<a:endParaRPr lang="zh-CN"/></a:p></c:txPr>')


def _next_partname(package, template: str) -> PackURI:
    names = {str(p.partname) for p in package.iter_parts()}
    n = 1
    while template % n in names:
        n += 1
    return PackURI(template % n)


def add_bar_chart(doc, paragraph, labels: list[str], values: list[float], *, name: str,
                  width_cm: float = 14.0, height_cm: float = 6.5) -> None:
    """Insert a native column chart of ``values`` (percentages) into ``paragraph``."""
    package = doc.part.package
    space = chart_xml(labels, values)
    chart_part = XmlPart(_next_partname(package, "/word/charts/chart%d.xml"), CT_CHART, space, package)
    book = Part(_next_partname(package, "/word/embeddings/Microsoft_Excel_Worksheet%d.xlsx"), CT_XLSX,
                _workbook(labels, values, "占比（%）"), package)
    book_rid = chart_part.relate_to(book, RT.PACKAGE)
    space.append(parse_xml(
        f'<c:externalData xmlns:c="{NS["c"]}" xmlns:r="{NS["r"]}" r:id="{book_rid}"><c:autoUpdate val="0"/>'
        '</c:externalData>'))
    rid = doc.part.relate_to(chart_part, RT.CHART)
    shape_id = len(doc.element.body.findall(f".//{{{NS['wp']}}}docPr")) + 1
    cx, cy = Cm(width_cm), Cm(height_cm)
    inline = parse_xml(
        f'<wp:inline xmlns:wp="{NS["wp"]}" xmlns:a="{NS["a"]}" xmlns:c="{NS["c"]}" xmlns:r="{NS["r"]}" '
        f'distT="0" distB="0" distL="0" distR="0"><wp:extent cx="{cx}" cy="{cy}"/>'
        f'<wp:effectExtent l="0" t="0" r="0" b="0"/><wp:docPr id="{shape_id}" name="{name}"/>'
        '<wp:cNvGraphicFramePr/><a:graphic><a:graphicData uri="http://schemas.openxmlformats.org/drawingml/2006/chart">'
        f'<c:chart r:id="{rid}"/></a:graphicData></a:graphic></wp:inline>')
    drawing = parse_xml(f'<w:drawing xmlns:w="{NS["w"]}"/>')
    drawing.append(inline)
    paragraph.add_run()._r.append(drawing)

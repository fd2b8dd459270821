"""Typography of the appendix that an editor checks by eye: fonts' character set, table style order, dates."""

from __future__ import annotations

from datetime import datetime

from docx.oxml.ns import qn

from survey_app.reports.docx_style import new_document
from survey_app.reports.text_zh import zh_date
from survey_app.texts_zh import report


def in_gb2312(ch: str) -> bool:
    """A character 仿宋_GB2312 / 宋体 can draw: ASCII, or a two-byte code in the GB2312 rows."""
    if ord(ch) < 128:
        return True
    try:
        code = ch.encode("gbk")
    except UnicodeEncodeError:
        return False
    return len(code) == 2 and 0xA1 <= code[0] <= 0xF7 and 0xA1 <= code[1] <= 0xFE


def test_every_report_template_uses_characters_the_gb2312_fonts_have():
    texts = [v for v in vars(report).values() if isinstance(v, str)]
    texts += [v for d in vars(report).values() if isinstance(d, dict) for v in d.values() if isinstance(v, str)]
    missing = {ch for text in texts for ch in text if not in_gb2312(ch)}
    assert missing == set()
    assert "k ÷ (k - 1)" in report.ALPHA_RESULT


def test_table_style_writes_jc_before_tblind():
    document = new_document("t")
    tblpr = document.styles["Table Grid"].element.find(qn("w:tblPr"))
    tags = [child.tag.split("}")[1] for child in tblpr]
    assert "jc" in tags and tags.index("jc") < tags.index("tblInd") < tags.index("tblCellMar")


def test_dates_read_without_leading_zeros():
    assert zh_date(datetime(2025, 3, 10, 8, 5)) == "2025年3月10日"
    assert report.DATE_TIME.format(d=datetime(2025, 3, 10, 8, 5)) == "2025年3月10日 08:05"

"""Typed cells shared by the workbook and CSV writers, and the formula-injection guard."""

from __future__ import annotations

from dataclasses import dataclass

#: A cell whose text starts with one of these is read as a formula by Excel/LibreOffice/WPS
#: (tab and carriage return also start a formula after a CSV import in some versions).
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
TEXT, NUMBER, DATETIME = "text", "number", "datetime"


@dataclass(frozen=True)
class Column:
    """A column of the 原始数据 sheet: header, kind (text | number | datetime) and width in characters."""

    name: str
    kind: str = TEXT
    width: float = 12


def neutralise(text: str) -> str:
    """Prefix an apostrophe when ``text`` would start a formula (OWASP "CSV injection").

    The apostrophe stays visible as the first character of the text; it is the
    convention spreadsheet users recognise, and it survives a save as CSV.
    """
    return "'" + text if text.startswith(FORMULA_TRIGGERS) else text


def display_width(text: str) -> float:
    """Approximate column width: CJK characters count double."""
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in text)

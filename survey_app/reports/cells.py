"""Typed cells shared by the workbook and CSV writers, and the formula-injection guard."""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

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


#: A plain decimal number as typed in a unit list: 30 · 12.5 · -3 · 1,200.50 (thousands commas).
_NUMBER = re.compile(r"[+-]?(\d{1,3}(,\d{3})+|\d+)(\.\d+)?")
#: Beyond this many digits a float would change the value (identifiers, not amounts).
_MAX_DIGITS = 15


def as_number(value: object) -> int | float | None:
    """Return the number a cell's text stands for (``"30"`` → 30, ``"1,200.50"`` → 1200.5), else None.

    Text that only looks numeric stays text: a leading zero (postcodes, codes such as
    ``048000``), more than 15 digits, or anything but a plain decimal.
    """
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return value
    if not isinstance(value, str):
        return None
    text = value.strip()
    if not _NUMBER.fullmatch(text):
        return None
    plain = text.replace(",", "")
    digits = plain.lstrip("+-")
    if (len(digits) > 1 and digits[0] == "0" and digits[1] != ".") or sum(c.isdigit() for c in digits) > _MAX_DIGITS:
        return None
    try:
        number = Decimal(plain)
    except InvalidOperation:  # pragma: no cover - the pattern admits only decimals
        return None
    return int(number) if "." not in plain else float(number)

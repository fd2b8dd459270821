"""The 原始数据 sheet as CSV: UTF-8 with BOM (Excel in Chinese detects it), CRLF, formulas neutralised."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any, BinaryIO

from .cells import Column, neutralise


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M:%S")
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, (int, float)):
        return str(value)
    return neutralise(str(value))


def write_csv(out: BinaryIO, columns: Sequence[Column], rows: Iterable[Sequence[Any]]) -> int:
    """Write the header and ``rows`` to ``out``; return the number of data rows.

    Rows are consumed one at a time, so memory stays flat whatever their number.
    """
    text = io.TextIOWrapper(out, encoding="utf-8-sig", newline="")
    writer = csv.writer(text, lineterminator="\r\n")
    writer.writerow([neutralise(c.name) for c in columns])
    count = 0
    for row in rows:
        writer.writerow([_cell(v) for v in row])
        count += 1
    text.flush()
    text.detach()  # leave ``out`` open for the caller
    return count

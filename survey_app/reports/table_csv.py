"""The 原始数据 sheet as CSV: UTF-8 with BOM (Excel in Chinese detects it), CRLF, formulas neutralised."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator, Sequence
from datetime import datetime
from typing import Any, BinaryIO

from .cells import Column, neutralise


def _cell(value: Any) -> str:
    # Exact-type checks for the common cells first: this runs once per cell of every export.
    kind = type(value)
    if kind is str:
        return neutralise(value)
    if value is None:
        return ""
    if kind is int:
        return str(value)
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
    counted = _Counted(rows)
    for chunk in iter_csv(columns, counted):
        out.write(chunk)
    return counted.n


def iter_csv(columns: Sequence[Column], rows: Iterable[Sequence[Any]], rows_per_chunk: int = 500) -> Iterator[bytes]:
    """The same bytes as ``write_csv``, as chunks of about ``rows_per_chunk`` rows (for streaming)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([neutralise(c.name) for c in columns])
    yield "\ufeff".encode() + _take(buffer)  # the BOM that utf-8-sig writes: Excel in Chinese detects it
    pending = 0
    for row in rows:
        writer.writerow([_cell(v) for v in row])
        pending += 1
        if pending >= rows_per_chunk:
            yield _take(buffer)
            pending = 0
    if pending:
        yield _take(buffer)


def _take(buffer: io.StringIO) -> bytes:
    data = buffer.getvalue().encode("utf-8")
    buffer.seek(0)
    buffer.truncate()
    return data


class _Counted:
    def __init__(self, rows: Iterable[Sequence[Any]]):
        self.rows, self.n = rows, 0

    def __iter__(self) -> Iterator[Sequence[Any]]:
        for row in self.rows:
            self.n += 1
            yield row

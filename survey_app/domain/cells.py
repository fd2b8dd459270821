"""Every uploaded table — unit list or answer file, web page or command line — becomes cells here.

One pipeline, so a file reads the same wherever it is given: the format is told by the bytes
(an .xlsx is a zip, an old .xls an OLE file, anything else is text), text is UTF-8 with or
without BOM or else GB18030 (a superset of GBK, what Chinese Excel saves as CSV), the
delimiter is a comma unless the top lines hold more tabs, and an .xlsx is streamed within
limits (``spreadsheet.read_first_sheet``).  Rows stay ragged and untrimmed of title rows:
finding the header (past "附件1：受益单位名单" and the like) is the reader's job.
"""

from __future__ import annotations

import codecs
import csv
import io
import re

import numpy as np
import pandas as pd

from .answers import strip_control
from .spreadsheet import SheetLimits, SheetRefused, read_first_sheet

ENCODINGS = ("utf-8-sig", "gb18030")
_XLS = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


class CellsRefused(ValueError):
    """The bytes are not a table we read; ``message_zh`` says why (without the file name)."""

    def __init__(self, message_zh: str, kind: str = "format"):
        super().__init__(message_zh)
        self.message_zh, self.kind = message_zh, kind


def decode_text(data: bytes) -> str:
    """UTF-8 (BOM or not), else GB18030; control characters removed (tabs and line ends stay)."""
    for encoding in ENCODINGS:
        try:
            return strip_control(data.decode(encoding))
        except UnicodeDecodeError:
            continue
    raise CellsRefused("既不是 UTF-8 也不是 GBK/GB18030 编码的文本")


def is_xlsx(data: bytes) -> bool:
    return data[:4] == b"PK\x03\x04"


def read_cells(data: bytes, limits: SheetLimits) -> list[list[str]]:
    """Return the first sheet (or the CSV) as rows of strings.

    :raises CellsRefused: an old .xls, undecodable or binary text, a damaged workbook, or a
        workbook over ``limits`` (``kind`` "archive" / "rows" / "columns").
    """
    if data[:8] == _XLS:
        raise CellsRefused("不支持旧版 Excel（.xls）文件，请在 Excel 中另存为 .xlsx 或 CSV")
    if is_xlsx(data):
        try:
            return read_first_sheet(data, limits)
        except SheetRefused as exc:
            raise CellsRefused(exc.message_zh, exc.kind) from exc
        except Exception as exc:  # openpyxl and zipfile raise many kinds; all mean a damaged workbook
            raise CellsRefused("不是可读取的 .xlsx 文件（文件可能已损坏）") from exc
    text, delimiter = _text(data)
    try:
        rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    except csv.Error as exc:
        raise CellsRefused(f"CSV 格式有误：{exc}") from exc
    if len(rows) > limits.max_lines:
        raise CellsRefused(f"表格超过 {limits.max_lines} 行的上限，请拆分后分批上传", "rows")
    return rows


def read_frame(data: bytes, limits: SheetLimits) -> pd.DataFrame:
    """``read_cells`` as a square frame of strings; a CSV goes through pandas' C parser (10⁵ rows)."""
    if data[:8] == _XLS or is_xlsx(data):
        return _square(read_cells(data, limits))
    if data[:4096].count(b"\x00") > 16 or _BYTE_CONTROL.search(data):
        text, delimiter = _text(data)  # control characters to strip (rare): through one decoded copy
        source, encoding = io.StringIO(text), None
        del text
    else:  # the usual file: pandas decodes the bytes itself, no whole-file str copy
        encoding = _encoding(data)
        top = data[:8192].decode(encoding, errors="ignore")
        delimiter = "\t" if top.count("\t") > top.count(",") else ","
        source = io.BytesIO(data)
    try:
        chunks = pd.read_csv(source, header=None, dtype=str, sep=delimiter, keep_default_na=False,
                             skip_blank_lines=False, engine="c", chunksize=CSV_CHUNK, encoding=encoding)
        shared: dict[int, dict[str, str]] = {}
        parts = []
        for chunk in chunks:
            parts.append(_shared_strings(chunk, shared))
            if sum(map(len, parts)) > limits.max_lines:
                raise CellsRefused(f"表格超过 {limits.max_lines} 行的上限，请拆分后分批上传", "rows")
    except pd.errors.EmptyDataError:
        return pd.DataFrame()
    except pd.errors.ParserError:  # ragged rows (a one-cell title row above the header): the csv module copes
        return _square(read_cells(data, limits))
    return pd.concat(parts, ignore_index=True) if len(parts) > 1 else parts[0]


#: Rows parsed at a time: the parser's own strings for one chunk are alive at once, not the file's.
CSV_CHUNK = 20_000


def _shared_strings(frame: pd.DataFrame, shared: dict[int, dict[str, str]]) -> pd.DataFrame:
    """Make equal cells of a column one string object (survey columns repeat a few answers 10⁵ times)."""
    out = {}
    for column in frame.columns:
        values = frame[column].to_numpy(dtype=object)
        codes, uniques = pd.factorize(values)
        if len(uniques) * 2 > len(values):  # a column of distinct values (序号, times, texts): nothing to share
            out[column] = values
            continue
        table = shared.setdefault(column, {})
        common = np.array([table.setdefault(u, u) for u in uniques], dtype=object)
        out[column] = common.take(codes)
    return pd.DataFrame(out, index=frame.index)


#: Control bytes other than tab, line feed and carriage return; never part of a UTF-8 or GB18030 character.
_BYTE_CONTROL = re.compile(rb"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def _encoding(data: bytes) -> str:
    """"utf-8-sig" or "gb18030" (as ``decode_text``), checked 1 MB at a time without keeping the text."""
    for encoding in ENCODINGS:
        decoder = codecs.getincrementaldecoder(encoding)()
        try:
            for start in range(0, len(data), 1 << 20):
                decoder.decode(data[start:start + (1 << 20)])
            decoder.decode(b"", final=True)
            return encoding
        except UnicodeDecodeError:
            continue
    raise CellsRefused("既不是 UTF-8 也不是 GBK/GB18030 编码的文本")


def _square(rows: list[list[str]]) -> pd.DataFrame:
    width = max((len(row) for row in rows), default=0)
    for row in rows:  # in place: no second list of the file's rows
        row.extend([""] * (width - len(row)))
    return pd.DataFrame(rows, dtype=object)


def _text(data: bytes) -> tuple[str, str]:
    if data[:4096].count(b"\x00") > 16:  # a stray NUL in a CSV is stripped; many mean a binary file
        raise CellsRefused("不是表格文件，请上传 CSV 或 .xlsx")
    text = decode_text(data)
    top = "\n".join(text.splitlines()[:5])
    return text, "\t" if top.count("\t") > top.count(",") else ","

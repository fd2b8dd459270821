"""Read the first sheet of an .xlsx without trusting it: check the archive, then stream rows.

An .xlsx is a zip of XML, and a few hundred KB can unpack to gigabytes: ``pandas.read_excel``
parses the whole sheet before a row limit can be checked, so a 611 KB upload held a worker
for a minute and a gigabyte.  Here, before openpyxl parses anything,

* the members' declared sizes are summed and capped — Python's ``zipfile`` never inflates a
  member past its declared size (it stops, and the CRC check fails), so the declaration is a
  true upper bound;
* a member above ``RATIO_FLOOR`` may not unpack to more than ``max_ratio`` times its packed
  size (real sheets: 5–20×, a sheet of repeated cells about 1000×);

then the first sheet is streamed (``read_only``) row by row and refused at the row or the
column limit.  Cells come back as the strings ``read_excel(dtype=str)`` produced (30.0 → "30",
dates as "2024-05-01 10:00:00", error cells empty), control characters removed — XML cannot
carry NUL today, but PostgreSQL refuses it, so no reader of cells relies on that.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass

from .answers import strip_control

#: Members smaller than this are never refused for their ratio (tiny XML compresses well).
RATIO_FLOOR = 1024 * 1024
#: What Excel shows in a cell whose formula failed; pandas read these as empty.
EXCEL_ERRORS = frozenset({"#N/A", "#VALUE!", "#REF!", "#DIV/0!", "#NUM!", "#NAME?", "#NULL!"})


@dataclass(frozen=True)
class SheetLimits:
    """What one upload may hold; ``max_lines`` counts rows up to the last non-blank one."""

    max_lines: int
    max_columns: int
    max_unpacked: int  # bytes, all members together
    max_ratio: int = 100
    max_members: int = 1000


class SheetRefused(ValueError):
    """The workbook exceeds a limit: ``kind`` is "archive", "rows" or "columns"; ``message_zh`` says it."""

    def __init__(self, kind: str, message_zh: str):
        super().__init__(message_zh)
        self.kind, self.message_zh = kind, message_zh


def check_archive(data: bytes, limits: SheetLimits) -> None:
    """Refuse an .xlsx whose members would unpack to too much, from the zip directory alone.

    :raises SheetRefused: too many members, too large unpacked, or compressed suspiciously well.
    :raises zipfile.BadZipFile: when ``data`` is not a zip archive.
    """
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        members = archive.infolist()
    if len(members) > limits.max_members:
        raise SheetRefused("archive", f"文件包含 {len(members)} 个内部部件，不像正常的 Excel 表格，已拒绝读取")
    total = sum(m.file_size for m in members)
    if total > limits.max_unpacked:
        raise SheetRefused("archive", f"文件解压后约 {total // 1024 // 1024} MB，超过 "
                           f"{limits.max_unpacked // 1024 // 1024} MB 的上限（可能是异常文件），已拒绝读取。"
                           "请检查文件，或删除多余的行列、拆分后再上传")
    for member in members:
        if member.file_size > RATIO_FLOOR and member.file_size > limits.max_ratio * max(member.compress_size, 1):
            raise SheetRefused("archive", f"文件中的“{member.filename[:60]}”压缩比异常（解压后 "
                               f"{member.file_size // 1024 // 1024} MB），可能是异常文件，已拒绝读取。"
                               "请在 Excel 中另存为新文件，或改用 CSV 后再上传")


def read_first_sheet(data: bytes, limits: SheetLimits) -> list[list[str]]:
    """Return the first sheet's rows as strings (ragged: trailing empty cells dropped).

    Blank rows between data rows are kept (line numbers stay the spreadsheet's); blank rows
    after the last data row are not.
    :raises SheetRefused: over a limit of ``limits`` (checked before and while reading).
    """
    import openpyxl  # imported here: only uploads of .xlsx pay for it

    check_archive(data, limits)
    book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True, keep_links=False)
    try:
        sheet = book.worksheets[0]
        sheet.reset_dimensions()  # the declared <dimension> may lie (A1:XFD1048576): let the rows say
        return _rows(sheet.iter_rows(values_only=True), limits)
    finally:
        book.close()


def _rows(values_by_row, limits: SheetLimits) -> list[list[str]]:
    rows: list[list[str]] = []
    blank_run = 0
    width = limits.max_columns
    for values in values_by_row:
        if len(values) > width:
            if values[width:].count(None) != len(values) - width:
                raise SheetRefused("columns", f"表格超过 {width} 列的上限，请删除多余的列后再上传")
            values = values[:width]
        cells = [_text(v) for v in values]
        while cells and not cells[-1]:
            cells.pop()
        if not cells:
            blank_run += 1
            continue
        if len(rows) + blank_run + 1 > limits.max_lines:
            raise SheetRefused("rows", f"表格超过 {limits.max_lines} 行的上限，请拆分后分批上传")
        rows.extend([] for _ in range(blank_run))
        blank_run = 0
        rows.append(cells)
    return rows


def _text(value) -> str:
    """One cell as ``read_excel(dtype=str)`` showed it: integral numbers without ".0"."""
    if value is None:
        return ""
    if isinstance(value, str):
        return "" if value in EXCEL_ERRORS else strip_control(value)
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if type(value) is int and 0 <= value < len(_SMALL):
        return _SMALL[value]  # one shared string: 按序号 sheets hold millions of 1, 2, 3 …
    return str(value)


_SMALL = tuple(str(i) for i in range(1000))

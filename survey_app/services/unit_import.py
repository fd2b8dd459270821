"""The unit-list import in three steps: upload, map columns (with preview and report), confirm.

Step 1 reads the upload through the shared pipeline (``domain.cells``: the same decoding and
title-row handling as answer files and ``flask survey units import``) and keeps only its
cells in the shared stash (``services.uploads``: bound to the survey and the user who
uploaded it, pruned after a day) — so a reload or a
changed mapping never needs the file again, and nothing reaches the database before the
evaluator confirms.  Step 2 applies the chosen mapping through ``domain.unit_table`` (the
same rules as ``flask survey units import``).  Step 3 writes every unit or none.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
import sqlalchemy as sa
from sqlalchemy.orm import Session

from ..domain.cells import CellsRefused, read_cells
from ..domain.unit_table import (
    HEADER_FIELDS,
    MAX_UNITS,
    SHEET_LIMITS,
    UnitTable,
    merge_duplicates,
    normalise_header,
    read_unit_frame,
)
from ..models import Survey, Unit
from . import audit, uploads
from .units import add_units

#: Unit lists are a few hundred rows; anything bigger is almost certainly the wrong file.
MAX_BYTES = 2 * 1024 * 1024
MAX_ROWS = MAX_UNITS
PREVIEW_ROWS = 8
#: Rows scanned for the header, so a title row ("附件1：…名单") above it does not matter.
HEADER_SCAN = 5
#: Target of each column; the canonical header is what ``domain.unit_table`` recognises.
FIELDS = {"seq": "序号", "county": "县（市、区）", "name": "单位名称", "category": "类别",
          "credit_code": "统一社会信用代码", "min_valid": "最少有效份数"}
ATTRIBUTE, IGNORE = "attribute", "ignore"
#: Database column widths: checked here so PostgreSQL never refuses a row at commit time.
WIDTHS = {"name": 200, "county": 50, "category": 50}
MAX_MIN_VALID = 100_000
MAX_SEQ = 1_000_000
KIND = "units"


class ImportProblem(ValueError):
    """The upload or the import is refused; ``message_zh`` says why, ``status`` is the HTTP code."""

    def __init__(self, message_zh: str, status: int = 400):
        super().__init__(message_zh)
        self.message_zh, self.status = message_zh, status


@dataclass
class Upload:
    id: str
    survey_id: int
    user_id: int
    filename: str
    header_line: int  # spreadsheet row of the header (1 = first row)
    headers: list[str]
    rows: list[list[str]]


@dataclass
class Check:
    """What step 2 shows: the rows as read with this mapping, and every problem found."""

    table: UnitTable
    problems: list[str]
    duplicates: list[dict] = field(default_factory=list)  # {"lines": [...], "names": [...]}
    existing: list[str] = field(default_factory=list)  # names already in the survey
    fingerprint: str = ""


def read_upload(filename: str, data: bytes) -> tuple[int, list[str], list[list[str]]]:
    """Read CSV (UTF-8 or GBK) or XLSX bytes into (header line, headers, data rows of strings).

    :raises ImportProblem: too large (413), empty, old .xls, or unreadable (400).
    """
    if len(data) > MAX_BYTES:
        raise ImportProblem(f"文件“{filename}”超过 {MAX_BYTES // 1024 // 1024} MB，不像单位名单，请检查后重新选择", 413)
    if not data.strip():
        raise ImportProblem(f"文件“{filename}”是空的")
    try:
        cells = [[c.strip() for c in row] for row in read_cells(data, SHEET_LIMITS)]
    except CellsRefused as exc:
        if exc.kind == "rows":
            raise ImportProblem(f"文件超过 {MAX_ROWS} 行的上限，请拆分后分批导入", 413) from exc
        if exc.kind in ("archive", "columns"):  # a decompression bomb, or far too many columns
            raise ImportProblem(f"文件“{filename}”无法导入：{exc.message_zh}", 413) from exc
        if "xls）" in exc.message_zh:
            raise ImportProblem(exc.message_zh + "后再上传") from exc
        raise ImportProblem(f"无法读取文件“{filename}”：请上传 CSV（UTF-8 或 GBK 编码）或 .xlsx 文件") from exc
    header_at = _header_index(cells)
    if header_at is None or len(cells) <= header_at + 1 or not any(any(r) for r in cells[header_at + 1:]):
        raise ImportProblem(f"文件“{filename}”中没有单位数据（为空或只有表头）")
    headers, rows = cells[header_at], cells[header_at + 1:]
    while rows and not any(rows[-1]):
        rows.pop()
    if len(rows) > MAX_ROWS:
        raise ImportProblem(f"文件有 {len(rows)} 行，超过 {MAX_ROWS} 行的上限，请拆分后分批导入", 413)
    headers = headers + [""] * (max(len(r) for r in rows) - len(headers))
    keep = [i for i, h in enumerate(headers) if h or any(i < len(r) and r[i] for r in rows)]
    headers = [headers[i] or f"第{i + 1}列" for i in keep]
    return header_at + 1, headers, [[r[i] if i < len(r) else "" for i in keep] for r in rows]


def _header_index(cells: list[list[str]]) -> int | None:
    """The first of the top rows naming a unit column, else the first non-empty row."""
    for index, row in enumerate(cells[:HEADER_SCAN]):
        if any(HEADER_FIELDS.get(normalise_header(h)) == "name" for h in row):
            return index
    return next((i for i, row in enumerate(cells) if any(row)), None)


def save_upload(folder: Path, survey_id: int, user_id: int, filename: str, data: bytes) -> Upload:
    """Parse ``data`` and keep its cells until the evaluator confirms (``services.uploads``)."""
    header_line, headers, rows = read_upload(filename, data)
    meta = {"filename": filename[:200], "header_line": header_line, "headers": headers, "rows": rows}
    upload_id = uploads.save(folder, KIND, survey_id, user_id, meta)
    return Upload(upload_id, survey_id, user_id, **meta)


def load_upload(folder: Path, upload_id: str, survey_id: int, user_id: int) -> Upload | None:
    """Return the upload if it exists and belongs to this survey and user (else None)."""
    found = uploads.load(folder, KIND, upload_id, survey_id, user_id)
    return None if found is None else Upload(upload_id, survey_id, user_id, **found[0])


def discard_upload(folder: Path, upload_id: str) -> None:
    """Forget an upload once imported (a repeated confirm then finds nothing to import)."""
    uploads.discard(folder, KIND, upload_id)


def default_mapping(headers: list[str]) -> list[str]:
    """Recognise each header (see ``domain.unit_table.HEADER_FIELDS``); others become attributes."""
    mapping, taken = [], set()
    for header in headers:
        target = HEADER_FIELDS.get(normalise_header(header), ATTRIBUTE)
        mapping.append(ATTRIBUTE if target in taken else target)
        taken.add(target)
    return mapping


def check_upload(session: Session, survey: Survey, upload: Upload, mapping: list[str]) -> Check:
    """Read the rows with ``mapping`` and collect every problem; writes nothing."""
    problems = []
    for target, label in FIELDS.items():
        columns = [upload.headers[i] for i, m in enumerate(mapping) if m == target]
        if len(columns) > 1:
            problems.append(f"“{label}”对应了多列（{'、'.join(columns)}），每项只能对应一列")
    table = check_columns(upload, mapping, survey.default_min_valid)
    problems += table.errors + _width_problems(table)
    by_line = {row.line: row for row in table.rows}
    duplicates = [{"lines": lines, "names": sorted({by_line[n].name for n in lines})} for lines in table.duplicates]
    names = {row.name for row in table.rows}
    existing = sorted(names & set(session.scalars(sa.select(Unit.name).where(Unit.survey_id == survey.id)))) if names else []
    fingerprint = hashlib.sha256(json.dumps([upload.id, mapping]).encode()).hexdigest()[:16]
    return Check(table, problems, duplicates, existing, fingerprint)


def check_columns(upload: Upload, mapping: list[str], default_min: int) -> UnitTable:
    """The unit table the cells give with ``mapping`` (attributes under their original headers)."""
    frame, original = _frame(upload, mapping)
    table = read_unit_frame(frame, default_min)
    for row in table.rows:
        row.attributes = {original.get(key, key): value for key, value in row.attributes.items()}
    return table


def _frame(upload: Upload, mapping: list[str]) -> tuple[pd.DataFrame, dict[str, str]]:
    """Rename columns to the headers the domain recognises; return the frame and placeholder → header.

    Attribute columns get placeholders ("@3") so a header such as 类别 kept as an attribute is
    not recognised again; blank rows in front make the domain's line numbers the spreadsheet's.
    """
    columns, names = [], []
    for index, target in enumerate(mapping):
        if target in FIELDS:
            columns.append(index)
            names.append(FIELDS[target] if names.count(FIELDS[target]) == 0 else f"@{index}")
        elif target == ATTRIBUTE:
            columns.append(index)
            names.append(f"@{index}")
    rows = [[""] * len(columns)] * (upload.header_line - 1) + [[row[i] for i in columns] for row in upload.rows]
    original, seen = {}, {}
    for i in columns:  # a repeated header keeps every column: "备注", "备注.1" (as pandas names them)
        name = upload.headers[i]
        original[f"@{i}"] = f"{name}.{seen[name]}" if name in seen else name
        seen[name] = seen.get(name, 0) + 1
    return pd.DataFrame(rows, columns=names, dtype=str), original


def _width_problems(table: UnitTable) -> list[str]:
    problems = []
    for row in table.rows:
        for name, width in WIDTHS.items():
            if len(getattr(row, name)) > width:
                problems.append(f"第{row.line}行：“{FIELDS[name]}”超过{width}个字（{row.name[:30]}）")
        if row.min_valid is not None and row.min_valid > MAX_MIN_VALID:
            problems.append(f"第{row.line}行：最少有效份数“{row.min_valid}”过大（{row.name[:30]}）")
        if not 0 <= row.seq <= MAX_SEQ:
            problems.append(f"第{row.line}行：序号“{row.seq}”应为0至{MAX_SEQ}的整数（{row.name[:30]}）")
    return problems


def import_units(session: Session, survey: Survey, upload: Upload, check: Check, duplicates: str | None,
                 actor: str) -> list[Unit]:
    """Add every checked row as a unit (merging duplicates if asked) and audit ``units.import``; flush.

    Units added to a list that already has some keep the file's order after them: their 序号
    are shifted past the largest existing one.

    :raises ImportProblem: when the report has problems, or duplicates were found and the
        evaluator chose neither "merge" nor "keep".
    """
    if check.problems:
        raise ImportProblem("检查发现问题，未导入任何单位。请修改文件后重新上传，或调整列的对应关系。", 422)
    if check.duplicates and duplicates not in ("merge", "keep"):
        raise ImportProblem("名单中有重复的单位，请选择“合并为一个单位”或“分别保留”后再确认导入。", 422)
    before = session.scalar(sa.select(sa.func.count()).select_from(Unit).where(Unit.survey_id == survey.id))
    rows = merge_duplicates(check.table.rows) if check.duplicates and duplicates == "merge" else check.table.rows
    offset = session.scalar(sa.select(sa.func.max(Unit.seq)).where(Unit.survey_id == survey.id)) or 0
    for row in rows:
        row.seq += offset
    units = add_units(session, survey, rows)
    audit.record(session, survey, actor, "units.import", {"units": before}, {
        "file": upload.filename, "rows": len(check.table.rows), "imported": len(units),
        "duplicates": (duplicates if check.duplicates else "none"), "merged_rows": len(check.table.rows) - len(rows),
        "units": before + len(units)})
    return units

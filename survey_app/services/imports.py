"""Import a file of answers into a survey: dry run (``preview``) or all-or-nothing (``commit``).

The upload page and the CLI call the same two functions.  ``preview`` writes nothing and
always returns a report (an unreadable file is a problem in the report, not an exception).
``commit`` reads the file once: each checked row is written as it comes (``import_writer``:
core statements in batches, ``COPY`` on PostgreSQL), and when the walk found anything in
doubt it raises ``ImportRefused`` — the caller rolls back, so nothing stays written (the
page's confirm and ``--commit`` both do: a 409 and exit status 1 roll back).  It only
flushes: the caller commits once.

Rows keep their 问卷星 identity (``responses.source_key``): rows an earlier file already
brought are skipped and counted ("已导入过 N 份，跳过"), so the 按文本 and 按序号 downloads of
the same answers count once.  Without a mapping, the one used by the survey's last import
is applied again (the next file of the same survey needs no new choices).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from datetime import datetime
from pathlib import PurePath
from typing import Any

import pandas as pd
import sqlalchemy as sa
import yaml
from sqlalchemy.orm import Session

from ..domain.cells import CellsRefused, decode_text
from ..domain.cells import read_frame as frame_of
from ..domain.imports import (
    ImportReader,
    ImportReport,
    MappingError,
    MappingSpec,
    UnitRef,
)
from ..domain.spreadsheet import SheetLimits
from ..models import AuditEvent, ImportBatch, Response, Survey, Unit
from ..models._types import utcnow
from ..texts_zh import imports as zh
from .import_writer import write_rows
from .screening import screen_survey

#: What an .xlsx of answers may hold: 10⁵ 问卷星 rows × 31 columns unpack to about 230 MB, so
#: the size cap is generous; a decompression bomb is caught by its ratio (real sheets: 5–20×).
SHEET_LIMITS = SheetLimits(max_lines=300_000, max_columns=2000, max_unpacked=512 * 1024 * 1024)


class ImportFileError(ValueError):
    """A file that cannot be read as a table or mapping; ``message_zh`` is for the evaluator."""

    def __init__(self, message_zh: str):
        super().__init__(message_zh)
        self.message_zh = message_zh


class ImportRefused(Exception):
    """``commit`` refused: the report says why (problems, or the same file imported before)."""

    def __init__(self, report: ImportReport):
        super().__init__("; ".join(report.file_problems) or "the file has problems; see the report")
        self.report = report


def file_hash(data: bytes) -> str:
    """Return the SHA-256 of the file's bytes (what makes a second import detectable)."""
    return hashlib.sha256(data).hexdigest()


def read_frame(filename: str, data: bytes) -> pd.DataFrame:
    """Read .xlsx/.xlsm (first sheet) or .csv (UTF-8 with or without BOM, GBK/GB18030) as strings.

    The shared upload pipeline (``domain.cells``) reads the bytes; the header is read as data:
    ``ImportReader`` finds it, past title rows, merged cells included.
    :raises ImportFileError: for other formats, damaged files and undecodable text.
    """
    suffix = PurePath(filename).suffix.lower()
    if not data:
        return pd.DataFrame()
    if suffix not in (".xlsx", ".xlsm", ".csv", ".txt"):
        detail = "不支持旧版 .xls 格式，请在 Excel 中另存为 .xlsx 或 CSV" if suffix == ".xls" else "只支持 .xlsx 和 .csv 文件"
        raise ImportFileError(zh.unreadable(filename, detail))
    try:
        return frame_of(data, SHEET_LIMITS)
    except CellsRefused as exc:
        raise ImportFileError(zh.unreadable(filename, exc.message_zh)) from exc


def _short(exc: Exception) -> str:
    return str(exc).splitlines()[0][:200] if str(exc) else type(exc).__name__


def load_mapping(filename: str, data: bytes) -> dict[str, Any]:
    """Parse a mapping file (YAML, or JSON which YAML also reads) into a dict.

    :raises ImportFileError: when it is not valid YAML/JSON or not a mapping.
    """
    try:
        parsed = json.loads(data) if filename.lower().endswith(".json") else yaml.safe_load(decode_text(data))
    except (ValueError, yaml.YAMLError) as exc:
        raise ImportFileError(f"对应文件“{filename}”无法读取：{_short(exc)}") from exc
    if not isinstance(parsed, dict):
        raise ImportFileError(f"对应文件“{filename}”的内容应为键值对（columns、values 等）")
    return parsed


def preview(session: Session, survey: Survey, filename: str, data: bytes,
            mapping: dict[str, Any] | None = None, unit: str | None = None) -> ImportReport:
    """Dry run: read and check the whole file, write nothing, return the report.

    :param mapping: a parsed mapping file (``load_mapping``), or None.
    :param unit: put every row into this unit (its name, 统一社会信用代码 or id) instead of a unit column.
    """
    return _validated(session, survey, filename, data, mapping, unit)[1]


def commit(session: Session, survey: Survey, filename: str, data: bytes, mapping: dict[str, Any] | None = None,
           unit: str | None = None, *, actor: str, ip_secret: str | None = None,
           now: datetime | None = None, progress: Callable[[str, int, int], None] | None = None) -> ImportReport:
    """Import every row or nothing; flush (the caller commits once); return the report.

    Responses get source "import" and the batch id; the audit log gets ``responses.import``;
    then the whole survey is re-screened, so 所用时间 feeds the minimum-time rule.
    :param ip_secret: the app's SECRET_KEY, so 来自IP is hashed like web addresses
        (the duplicate-device rule then works across imported rows); None stores no address.
    :param progress: called as ``progress("import", rows_done, rows_total)`` per chunk read.
    :raises ImportRefused: when the report is not importable; the caller must roll back (rows
        checked before the first problem may have been written in this transaction).
    """
    reader, report = _validated(session, survey, filename, data, mapping, unit, walk=False)
    if reader is None or not reader.ready or report.file_problems:
        raise ImportRefused(report)
    batch = ImportBatch(survey_id=survey.id, file_hash=report.file_hash, filename=filename[:255],
                        row_count=0, actor=actor[:100], mapping=reader.spec.to_dict() or None)
    session.add(batch)
    session.flush()
    if progress is not None:
        reader.progress = lambda done: progress("import", done, report.rows_total)
    imported = write_rows(session, survey.id, batch.id, reader.rows(), ip_secret, now or utcnow())
    if not report.importable:
        raise ImportRefused(report)
    batch.row_count = report.imported = imported
    report.batch_id = batch.id
    reader.frame = reader.frame.iloc[:0]  # the file's cells are not needed while the survey is screened
    session.add(AuditEvent(survey_id=survey.id, actor=actor[:100], action="responses.import", before=None, after={
        "batch_id": batch.id, "filename": filename, "file_hash": report.file_hash, "rows": report.imported,
        "blank_rows": report.rows_blank, "layout": report.layout, "numbering": report.numbering,
        "unit_mode": report.unit_mode, "already_imported": report.rows_already,
        "skipped_units": {k: {"rows": v.count, "lines": v.lines} for k, v in report.skipped_units.items()},
        "unit_choices": reader.spec.unit_choices,
    }))
    session.flush()
    report.screening = screen_survey(session, survey)
    return report


def remembered_mapping(session: Session, survey: Survey) -> dict[str, Any] | None:
    """The mapping of the survey's last import that had one (columns, values, unit choices)."""
    last = session.scalars(sa.select(ImportBatch.mapping).where(
        ImportBatch.survey_id == survey.id, ImportBatch.mapping.is_not(None)).order_by(ImportBatch.id.desc())).first()
    if not last:
        return None
    return {k: v for k, v in last.items() if k in ("columns", "values", "numbering", "unit_aliases", "unit_choices")}


def _validated(session, survey, filename, data, mapping, unit, walk=True) -> tuple[ImportReader | None,
                                                                                 ImportReport]:
    digest = file_hash(data)
    remembered = False
    if mapping is None:
        mapping = remembered_mapping(session, survey)
        remembered = mapping is not None
    try:
        try:
            spec = MappingSpec.from_dict(mapping, survey.questionnaire)
        except MappingError:
            if not remembered:
                raise
            spec, remembered = MappingSpec(), False  # the questionnaire changed since: start afresh
        frame = read_frame(filename, data)
    except MappingError as exc:
        return None, ImportReport(filename=filename, file_hash=digest, file_problems=list(exc.problems))
    except ImportFileError as exc:
        return None, ImportReport(filename=filename, file_hash=digest, file_problems=[exc.message_zh])
    units = [UnitRef(u.id, u.name, u.credit_code)
             for u in session.scalars(sa.select(Unit).where(Unit.survey_id == survey.id).order_by(Unit.seq, Unit.id))]
    known = set(session.scalars(sa.select(Response.source_key).where(
        Response.survey_id == survey.id, Response.source_key.is_not(None))))
    reader = ImportReader(frame, survey.questionnaire, units, spec, None if unit is None else str(unit), filename,
                          known_keys=known)
    report = reader.report
    report.file_hash = digest
    report.mapping_remembered = remembered
    earlier = session.scalars(sa.select(ImportBatch).where(
        ImportBatch.survey_id == survey.id, ImportBatch.file_hash == digest)).first()
    if earlier is not None:
        when = f"{earlier.created_at:%Y-%m-%d %H:%M} (UTC)"
        report.file_problems.append(zh.duplicate_file(earlier.id, when, earlier.row_count, earlier.filename))
    if walk:
        reader.validate()
    return reader, report

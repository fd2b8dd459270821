"""Import a file of answers into a survey: dry run (``preview``) or all-or-nothing (``commit``).

The upload page and the CLI call the same two functions.  ``preview`` writes nothing and
always returns a report (an unreadable file is a problem in the report, not an exception).
``commit`` validates the whole file first, refuses with ``ImportRefused`` when anything is
in doubt, then writes in batches of core INSERTs — responses with RETURNING for their ids,
answers by executemany — so 10⁵ rows never become 10⁵ ORM objects; it only flushes: the
caller commits once (or rolls back after ``ImportRefused``).

Rows keep their 问卷星 identity (``responses.source_key``): rows an earlier file already
brought are skipped and counted ("已导入过 N 份，跳过"), so the 按文本 and 按序号 downloads of
the same answers count once.  Without a mapping, the one used by the survey's last import
is applied again (the next file of the same survey needs no new choices).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from datetime import datetime, timedelta
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
    ImportRow,
    MappingError,
    MappingSpec,
    UnitRef,
)
from ..domain.privacy import hash_ip
from ..domain.spreadsheet import SheetLimits
from ..domain.vocabulary import ResponseStatus, Source
from ..models import Answer, AuditEvent, ImportBatch, Response, Survey, Unit
from ..models._types import utcnow
from ..texts_zh import imports as zh
from .screening import screen_survey

#: Rows written per INSERT round trip (bounds memory; one transaction for the whole file).
BATCH_ROWS = 1000
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
    :param progress: called as ``progress(stage, rows_done, rows_total)`` per chunk read ("check", then "write").
    :raises ImportRefused: when the report is not importable (nothing was written; roll back anyway).
    """
    reader, report = _validated(session, survey, filename, data, mapping, unit, progress)
    if reader is None or not report.importable:
        raise ImportRefused(report)
    batch = ImportBatch(survey_id=survey.id, file_hash=report.file_hash, filename=filename[:255],
                        row_count=report.rows_ok, actor=actor[:100], mapping=reader.spec.to_dict() or None)
    session.add(batch)
    session.flush()
    if progress is not None:
        reader.progress = lambda done: progress("write", done, report.rows_total)
    report.imported = _insert(session, survey.id, batch.id, reader.rows(), ip_secret, now or utcnow())
    report.batch_id = batch.id
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


def _validated(session, survey, filename, data, mapping, unit, progress=None) -> tuple[ImportReader | None,
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
    if progress is not None:
        reader.progress = lambda done: progress("check", done, report.rows_total)
    earlier = session.scalars(sa.select(ImportBatch).where(
        ImportBatch.survey_id == survey.id, ImportBatch.file_hash == digest)).first()
    if earlier is not None:
        when = f"{earlier.created_at:%Y-%m-%d %H:%M} (UTC)"
        report.file_problems.append(zh.duplicate_file(earlier.id, when, earlier.row_count, earlier.filename))
    reader.validate()
    return reader, report


def _insert(session: Session, survey_id: int, batch_id: int, rows, ip_secret: str | None, now: datetime) -> int:
    """Write rows in batches: responses (ids back in order via RETURNING), then their answers."""
    responses, answers = Response.__table__, Answer.__table__
    insert_responses = responses.insert().returning(responses.c.id, sort_by_parameter_order=True)
    total = 0
    chunk: list[ImportRow] = []
    for row in rows:
        chunk.append(row)
        if len(chunk) == BATCH_ROWS:
            total += _write(session, survey_id, batch_id, chunk, insert_responses, answers, ip_secret, now)
            chunk = []
    if chunk:
        total += _write(session, survey_id, batch_id, chunk, insert_responses, answers, ip_secret, now)
    return total


def _write(session, survey_id, batch_id, chunk, insert_responses, answers, ip_secret, now) -> int:
    params = []
    for row in chunk:
        submitted = row.submitted_at or now
        started = submitted - timedelta(seconds=row.duration_seconds) if row.duration_seconds is not None else None
        params.append({
            "survey_id": survey_id, "unit_id": row.unit_id, "unit_name_given": row.unit_name_given,
            "started_at": started, "submitted_at": submitted,
            "duration_seconds": row.duration_seconds, "user_agent": (row.source or "")[:400] or None,
            "ip_hash": hash_ip(ip_secret, row.ip) if ip_secret else None, "source": Source.IMPORT, "status": ResponseStatus.VALID,
            "flags": [], "import_batch_id": batch_id, "source_key": row.source_key,
        })
    ids = session.execute(insert_responses, params).scalars().all()
    # The rows ``responses.answer_rows`` makes (one per option; unit copied from the response), as dicts.
    rows = [
        {"response_id": rid, "survey_id": survey_id, "unit_id": row.unit_id, "question_id": answer.question_id,
         "option_key": key, "text_value": answer.text, "number_value": answer.number}
        for rid, row in zip(ids, chunk, strict=True)
        for answer in row.answers.values()
        for key in (answer.option_keys or (None,))
    ]
    if rows:
        session.execute(answers.insert(), rows)
    return len(chunk)

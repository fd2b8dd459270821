"""Exports: the Word appendix, the data workbook and the CSV, each logged in the audit trail.

This module gathers data — the summary (``build_summary``), per-unit return counts,
exclusions, open answers grouped by theme (``services.opinions``), and the per-response rows read in keyset-paged
chunks — and hands it to the writers in ``survey_app.reports``, which know nothing of the
database.  Only aggregates reach the .docx, so its size and build time do not grow with
the number of answers; the .xlsx/.csv stream their rows.

Rules: the figures use the responses of the filter (default: valid + flagged, like the
summary); the 原始数据 rows include excluded responses too (``raw_all_statuses``), so
every exclusion can be traced in the data.  Open answers are those of the filter's
responses, grouped into themes with the evaluator's decisions applied (意见建议 page).
"""

from __future__ import annotations

import io
import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any, BinaryIO

import sqlalchemy as sa
from sqlalchemy.orm import Session

from ..domain.vocabulary import ALL_STATUSES, BEIJING, ResponseStatus
from ..models import Answer, Response, Survey, Unit
from ..models._types import utcnow
from ..reports.appendix_docx import (
    DEFAULT_SECTIONS,
    MAX_LISTED,
    OPTIONAL_SECTIONS,
    AppendixData,
    write_appendix,
)
from ..reports.cells import Column
from ..reports.raw_rows import RawLayout
from ..reports.table_csv import write_csv
from ..reports.workbook_xlsx import WorkbookData, write_workbook
from ..texts_zh import labels
from ..texts_zh import report as zh
from . import audit
from .opinions import opinion_rows, opinion_summary
from .pdf import docx_to_pdf
from .report_settings import report_settings, resolved_report, source_counts
from .summary import SummaryFilter, build_summary, dataset_fingerprint

FORMATS = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv; charset=utf-8",
}
#: Responses read per query when streaming rows (bounded memory, few round trips).
CHUNK = 2000


class ExportError(ValueError):
    """An export request that cannot be served (unknown format or section)."""


@dataclass(frozen=True)
class ExportResult:
    format: str
    content_type: str
    filename: str
    fingerprint: str
    rows: int | None = None


def export_survey(session: Session, survey: Survey, fmt: str, out: BinaryIO, *, actor: str,
                  flt: SummaryFilter | None = None, sections: frozenset[str] | None = None,
                  raw_all_statuses: bool = True, now: datetime | None = None) -> ExportResult:
    """Write ``survey`` as ``fmt`` (docx | pdf | xlsx | csv) to ``out``, add an audit event and flush.

    :param flt: the dashboard's filter (statuses, units, time window); default valid + flagged.
    :param sections: optional appendix parts among ``OPTIONAL_SECTIONS``; default: the report settings' choice.
    :param raw_all_statuses: 原始数据 lists excluded responses too (within the unit/time filter).
    :raises ExportError: unknown format or section.
    :raises PdfUnavailable: ``pdf`` without LibreOffice, or a failed conversion.
    """
    if fmt not in FORMATS:
        raise ExportError(f"unknown format {fmt!r}; use one of {', '.join(FORMATS)}")
    if sections is None:
        chosen = report_settings(survey).sections
        sections = DEFAULT_SECTIONS if chosen is None else frozenset(chosen)
    sections = frozenset(sections)
    if unknown := sections - set(OPTIONAL_SECTIONS):
        raise ExportError(f"unknown section(s) {sorted(unknown)}; use {', '.join(OPTIONAL_SECTIONS)}")
    flt = flt or SummaryFilter()
    now = now or utcnow()
    generated = now + BEIJING
    raw_flt = replace(flt, statuses=ALL_STATUSES) if raw_all_statuses else flt
    rows = None
    if fmt in ("docx", "pdf"):
        data = appendix_data(session, survey, flt, sections, generated)
        if fmt == "pdf":  # the same .docx, converted by LibreOffice (services/pdf.py)
            docx = io.BytesIO()
            write_appendix(data, docx)
            out.write(docx_to_pdf(docx.getvalue()))
        else:
            write_appendix(data, out)
        fingerprint = data.summary.fingerprint
    elif fmt == "xlsx":
        summary = build_summary(session, survey, flt, statistics=bool({"alpha", "ci"} & sections))
        columns, row_iter = raw_rows(session, survey, raw_flt)
        rows = write_workbook(out, WorkbookData(
            summary=summary, columns=columns, rows=row_iter, units=unit_dicts(session, survey),
            unit_returns=unit_returns(session, survey, flt), generated_at=generated,
            raw_scope=_raw_scope(raw_all_statuses), opinions=opinion_rows(session, survey, flt)))
        fingerprint = summary.fingerprint
    else:
        columns, row_iter = raw_rows(session, survey, raw_flt)
        rows = write_csv(out, columns, row_iter)
        fingerprint = dataset_fingerprint(session, survey, raw_flt)[0]
    after = {"what": "survey_data", "format": fmt, "fingerprint": fingerprint, "filter": flt.to_dict()}
    if fmt in ("docx", "pdf"):
        after["sections"] = sorted(sections)
    else:
        after.update(rows=rows, raw_all_statuses=raw_all_statuses)
    audit.record(session, survey, actor, "export", None, after)
    session.flush()
    return ExportResult(fmt, FORMATS[fmt], export_filename(survey, fmt, generated), fingerprint, rows)


def export_filename(survey: Survey, fmt: str, generated: datetime) -> str:
    """A download name such as ``2024年度…项目受益对象问卷调查分析报告_20250102-1403.docx``."""
    base = survey.project_name or survey.name
    kind = zh.FILE_KIND[fmt]
    safe = re.sub(r'[\\/:*?"<>|\s]+', "_", f"{base}{kind}")
    return f"{safe}_{generated:%Y%m%d-%H%M}.{fmt}"


def _raw_scope(all_statuses: bool) -> str:
    return zh.RAW_SCOPE_ALL if all_statuses else zh.RAW_SCOPE_COUNTED


# ----------------------------------------------------------------------------- appendix data

def appendix_data(session: Session, survey: Survey, flt: SummaryFilter, sections: frozenset[str],
                  generated: datetime) -> AppendixData:
    """Gather everything the Word appendix prints (aggregates only)."""
    summary = build_summary(session, survey, flt, statistics=bool({"alpha", "ci"} & sections))
    where = flt.where(survey.id)
    span = session.execute(sa.select(sa.func.min(Response.submitted_at), sa.func.max(Response.submitted_at))
                           .where(*where)).one()
    sources = source_counts(session, survey, where)
    units = unit_dicts(session, survey)
    exclusions, total, reasons = _exclusions(session, survey, flt)
    return AppendixData(
        summary=summary, questionnaire=survey.questionnaire, units=units,
        unit_returns=unit_returns(session, survey, flt), exclusions=exclusions, exclusion_total=total,
        exclusion_reasons=reasons, flag_counts=_flag_counts(session, survey, flt),
        open_answers=opinion_summary(session, survey, flt), first_submitted=_bj(span[0]), last_submitted=_bj(span[1]),
        sources=sources, generated_at=generated, sections=sections,
        report=resolved_report(session, survey, units=units, sources=sources),
    )


def _bj(value: datetime | None) -> datetime | None:
    return None if value is None else value + BEIJING


def unit_dicts(session: Session, survey: Survey) -> list[dict[str, Any]]:
    """The unit list in frame order, as plain dicts."""
    units = session.scalars(sa.select(Unit).where(Unit.survey_id == survey.id).order_by(Unit.seq, Unit.id))
    return [{"id": u.id, "seq": u.seq, "name": u.name, "county": u.county, "category": u.category,
             "credit_code": u.credit_code, "attributes": dict(u.attributes or {}), "min_valid": u.min_valid}
            for u in units]


def unit_returns(session: Session, survey: Survey, flt: SummaryFilter) -> dict[int | None, dict[str, int]]:
    """Responses per unit and status within the filter's units and time window (every status)."""
    everything = replace(flt, statuses=ALL_STATUSES)
    result: dict[int | None, dict[str, int]] = {}
    for unit_id, status, n in session.execute(
        sa.select(Response.unit_id, Response.status, sa.func.count()).where(*everything.where(survey.id))
        .group_by(Response.unit_id, Response.status)
    ):
        result.setdefault(unit_id, {})[status] = n
    return result


def _reason(flags, decision, decision_reason, status_reason) -> tuple[str, str]:
    """(full reason, reason label for grouping) of an excluded response."""
    if decision == ResponseStatus.EXCLUDED:
        full = zh.REVIEW_EXCLUDED_BECAUSE.format(reason=decision_reason) if decision_reason else zh.REVIEW_EXCLUDED
        return full, zh.REVIEW_EXCLUDED
    fired = [f for f in flags or [] if f.get("action") == "exclude"] or list(flags or [])
    if fired:
        return ("；".join(f.get("reason_zh") or f.get("code", "") for f in fired),
                "、".join(labels.flag(f.get("code", "")) for f in fired))
    return status_reason or zh.NO_REASON, status_reason or zh.NO_REASON


def _exclusions(session: Session, survey: Survey, flt: SummaryFilter):
    """Excluded responses (first MAX_LISTED in full), their total and counts per reason."""
    excluded = replace(flt, statuses=(ResponseStatus.EXCLUDED,))
    names = {u.id: u.name for u in session.scalars(sa.select(Unit).where(Unit.survey_id == survey.id))}
    listed, reasons, total = [], Counter(), 0
    rows = session.execute(
        sa.select(Response.id, Response.unit_id, Response.unit_name_given, Response.submitted_at, Response.flags,
                  Response.decision, Response.decision_reason, Response.status_reason)
        .where(*excluded.where(survey.id)).order_by(Response.id).execution_options(yield_per=CHUNK))
    for rid, unit_id, given, submitted, flags, decision, decision_reason, status_reason in rows:
        full, label = _reason(flags, decision, decision_reason, status_reason)
        total += 1
        reasons[label] += 1
        if len(listed) < MAX_LISTED:
            listed.append({"id": rid, "unit": names.get(unit_id) or given or zh.DASH,
                           "submitted": f"{submitted + BEIJING:%Y-%m-%d %H:%M}", "reason": full})
    return listed, total, reasons.most_common(50)


def _flag_counts(session: Session, survey: Survey, flt: SummaryFilter) -> list[tuple[str, int]]:
    flagged = replace(flt, statuses=(ResponseStatus.FLAGGED,))
    counts: Counter = Counter()
    for (flags,) in session.execute(sa.select(Response.flags).where(*flagged.where(survey.id))
                                    .execution_options(yield_per=CHUNK)):
        for code in dict.fromkeys(f.get("code") for f in flags or []):
            counts[labels.flag(code)] += 1
    return counts.most_common()


# ----------------------------------------------------------------------------- per-response rows

def raw_rows(session: Session, survey: Survey, flt: SummaryFilter) -> tuple[list[Column], Iterator[list]]:
    """Columns of 原始数据 and an iterator over its rows (one per response, in id order).

    Responses are read CHUNK at a time by keyset paging (``id > last``), each chunk's
    answers with one ``IN`` query, so memory holds one chunk whatever the survey's size.
    """
    layout = RawLayout(survey.questionnaire, unit_dicts(session, survey))

    def rows() -> Iterator[list]:
        last = 0
        while True:
            # The session's connection: Core rows, without the ORM's per-row loading.
            chunk = session.connection().execute(
                sa.select(Response.id, Response.submitted_at, Response.unit_id, Response.unit_name_given,
                          Response.duration_seconds, Response.source, Response.flags, Response.status,
                          Response.status_reason, Response.decision, Response.decision_reason)
                .where(*flt.where(survey.id), Response.id > last).order_by(Response.id).limit(CHUNK)).all()
            if not chunk:
                return
            last = chunk[-1].id
            cells = layout.answer_cells(session.connection().execute(
                sa.select(Answer.response_id, Answer.question_id, Answer.option_key, Answer.text_value,
                          Answer.number_value).where(Answer.response_id.in_([r.id for r in chunk]))))
            for r in chunk:
                yield layout.row(r, cells.get(r.id))

    return layout.columns, rows()

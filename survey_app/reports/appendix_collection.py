"""Section 四 (问卷的发放和回收): channel, period, issued / returned / valid, per-unit returns, screening."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..domain.scoring import Coverage
from ..texts_zh import labels
from ..texts_zh import report as zh
from .docx_style import para
from .docx_table import add_table, caption
from .text_zh import filter_zh, pct, sample_size_zh, validity_rules_zh, zh_date

if TYPE_CHECKING:
    from .appendix_docx import AppendixData

#: Exclusions listed one by one up to this many; beyond, only counts per reason.
MAX_LISTED = 100


def collection(doc, data: AppendixData, number: str) -> None:
    s, cov = data.summary, data.summary.coverage
    para(doc, zh.SECTION.format(number=number, title=zh.COLLECTION), "Heading 1")
    para(doc, zh.COLLECTION_ISSUE, "Heading 2")
    minimums = sorted({u["min_valid"] for u in data.units})
    quota = (f"{minimums[0]}" if len(minimums) == 1 else f"{minimums[0]}—{minimums[-1]}") if minimums else None
    text = zh.COLLECTION_CHANNEL.format(subject=data.subject, platform=data.setting("platform"))
    if data.units:
        text = (zh.COLLECTION_FULL_COVERAGE.format(n=len(data.units)) + text
                + zh.COLLECTION_QUOTA.format(quota=quota))
    doc.add_paragraph(text + "。")
    if data.first_submitted:
        sources = "、".join(zh.COLLECTION_SOURCE.format(source=labels.source(k), n=n)
                           for k, n in data.sources.items() if n)
        doc.add_paragraph(zh.COLLECTION_TIMES.format(first=zh_date(data.first_submitted),
                                                     last=zh_date(data.last_submitted), sources=sources))
    if cov.issued:
        issued = zh.ISSUED_EXPLICIT if cov.issued_explicit else zh.ISSUED_PLANNED
        doc.add_paragraph(zh.COLLECTION_RATES.format(
            issued_label=issued, issued=cov.issued, returned=cov.returned, return_rate=pct(cov.return_rate),
            valid=cov.valid, valid_rate=pct(cov.valid_rate), shortfall=_shortfall(cov)))
    doc.add_paragraph(sample_size_zh(s.statistics.sample_size))
    if data.units:
        table_no = data.next_number("表")
        doc.add_paragraph(zh.UNIT_RETURNS_TABLE.format(table=table_no))
        caption(doc, "表", table_no, zh.UNIT_RETURNS_CAPTION)
        add_table(doc, ["序号", "单位名称", "最少有效份数", "回收份数", "有效份数", "是否达标"],
                  _unit_rows(data), [1.2, 7.0, 2.0, 1.8, 1.8, 1.8], align_left=(1,))
    para(doc, zh.SCREENING, "Heading 2")
    doc.add_paragraph(zh.SCREENING_INTRO)
    for i, line in enumerate(validity_rules_zh(s.settings.validity) or [zh.SCREENING_NONE], start=1):
        doc.add_paragraph(zh.NUMBERED.format(i=i, text=line))
    flags = "、".join(zh.FLAG_COUNT.format(label=label, n=n) for label, n in data.flag_counts)
    text = zh.SCREENING_FLAGGED.format(n=s.responses.flagged) + (zh.SCREENING_FLAGS.format(flags=flags) if flags else "")
    text += (zh.SCREENING_EXCLUDED.format(n=data.exclusion_total) if data.exclusion_total
             else zh.SCREENING_NOTHING_EXCLUDED)
    doc.add_paragraph(text + filter_zh(s.filter, _filtered_names(data)))
    if data.exclusion_total:
        _exclusions(doc, data)


def _shortfall(cov: Coverage) -> str:
    units = cov.units
    if not units:
        return ""
    short = [u for u in units if not u.met]
    if not short:
        return zh.SHORTFALL_NONE.format(n=len(units))
    names = "、".join(zh.SHORTFALL_UNIT.format(name=u.name, valid=u.valid, short_by=u.short_by) for u in short)
    return zh.SHORTFALL.format(met=len(units) - len(short), short=len(short), names=names)


def counted(data: AppendixData, unit_id: int | None) -> tuple[int, int]:
    """(returned, counted) responses of a unit within the filter."""
    c = data.unit_returns.get(unit_id, {})
    return sum(c.values()), sum(c.get(s, 0) for s in data.summary.filter.statuses)


def _unit_rows(data: AppendixData) -> list[list]:
    """One row per listed unit, numbered 1…n in list order (the same numbers as every unit table)."""
    rows, totals = [], [0, 0, 0]
    for i, u in enumerate(data.units, start=1):
        returned, valid = counted(data, u["id"])
        rows.append([i, u["name"], u["min_valid"], returned, valid, zh.YES if valid >= u["min_valid"] else zh.NO])
        totals = [totals[0] + u["min_valid"], totals[1] + returned, totals[2] + valid]
    if None in data.unit_returns:
        returned, valid = counted(data, None)
        rows.append([zh.DASH, zh.OFF_FRAME_UNIT, zh.DASH, returned, valid, zh.DASH])
        totals = [totals[0], totals[1] + returned, totals[2] + valid]
    rows.append([zh.TOTAL, "", *totals, ""])
    return rows


def _filtered_names(data: AppendixData) -> list[str]:
    ids = data.summary.filter.unit_ids
    return [u["name"] for u in data.units if ids and u["id"] in ids]


def _exclusions(doc, data: AppendixData) -> None:
    table_no = data.next_number("表")
    if data.exclusion_total <= MAX_LISTED:
        doc.add_paragraph(zh.EXCLUSIONS_TABLE.format(table=table_no))
        caption(doc, "表", table_no, zh.EXCLUSIONS_CAPTION)
        add_table(doc, ["序号", "答卷编号", "单位", "提交时间", "剔除原因"],
                  [[i, e["id"], e["unit"], e["submitted"], e["reason"]] for i, e in enumerate(data.exclusions, 1)],
                  [1.2, 1.8, 4.6, 3.0, 5.0], align_left=(2, 4))
        return
    doc.add_paragraph(zh.EXCLUSIONS_SUMMED.format(n=data.exclusion_total, table=table_no))
    caption(doc, "表", table_no, zh.EXCLUSIONS_SUMMED_CAPTION)
    add_table(doc, ["序号", "剔除原因", "份数"],
              [[i, reason, n] for i, (reason, n) in enumerate(data.exclusion_reasons, 1)], [1.2, 11.6, 2.8],
              align_left=(1,))

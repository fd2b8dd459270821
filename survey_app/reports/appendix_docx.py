"""The Word appendix "{项目名称}受益对象问卷调查分析报告" (METHOD.md §5), from aggregated data.

``write_appendix(data, out)`` writes the .docx; its size depends on the questionnaire and
the unit list, never on the number of answers (exclusions are capped — see ``MAX_LISTED``;
open answers are grouped into themes, each quoted with a few examples unless the evaluator
chose to list them all).  Sections 一–四 live here, 五–六 in ``appendix_results``, 七 and
the blank questionnaire in ``appendix_tail``.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, BinaryIO

from ..domain import question_types
from ..domain.opinions import OpinionSummary
from ..domain.questionnaire import Questionnaire
from ..domain.scoring import Coverage
from ..domain.summary_result import SummaryResult
from ..texts_zh import labels
from ..texts_zh import report as zh
from . import appendix_results, appendix_tail
from .docx_style import add_footer, new_document, para
from .docx_table import add_table, caption
from .text_zh import filter_zh, pct, sample_size_zh, validity_rules_zh

#: Optional parts the evaluator can switch on or off (see docs/exports.md).
OPTIONAL_SECTIONS = ("sample", "groups", "alpha", "ci")
DEFAULT_SECTIONS = frozenset({"sample", "groups"})
#: Exclusions listed one by one up to this many; beyond, only counts per reason.
MAX_LISTED = 100
_SECTION_NUMBER = re.compile(r"^[一二三四五六七八九十]+、\s*")
ZH_DIGITS = "零一二三四五六七八九十"


def zh_num(n: int) -> str:
    """1 → 一, 12 → 十二 (enough for section numbers)."""
    if n <= 10:
        return ZH_DIGITS[n]
    return ("" if n < 20 else ZH_DIGITS[n // 10]) + "十" + (ZH_DIGITS[n % 10] if n % 10 else "")


@dataclass
class AppendixData:
    """Everything the appendix prints; built by ``services.exports.appendix_data``."""

    summary: SummaryResult
    questionnaire: Questionnaire
    #: Frame order: {"id", "seq", "name", "county", "category", "credit_code", "attributes", "min_valid"}.
    units: list[dict[str, Any]]
    #: unit id (None: answers without a listed unit) → {"valid", "flagged", "excluded"} counts.
    unit_returns: dict[int | None, dict[str, int]]
    #: Up to MAX_LISTED excluded responses: {"id", "unit", "submitted", "reason"}; and the total.
    exclusions: list[dict[str, Any]]
    exclusion_total: int
    exclusion_reasons: list[tuple[str, int]]
    #: Flag reasons among counted (flagged, not excluded) responses: [(label, count)].
    flag_counts: list[tuple[str, int]]
    #: 意见建议汇总: open answers grouped by theme, with the evaluator's decisions applied.
    open_answers: OpinionSummary
    first_submitted: datetime | None
    last_submitted: datetime | None
    sources: dict[str, int]
    generated_at: datetime
    sections: frozenset[str] = DEFAULT_SECTIONS
    subject: str = zh.SUBJECT
    counters: Counter = field(default_factory=Counter)

    @property
    def project(self) -> str:
        info = self.summary.survey
        return info.project_name or info.name or zh.PROJECT_FALLBACK

    @property
    def title(self) -> str:
        return zh.TITLE.format(project=self.project, subject=self.subject)

    @property
    def numbers(self) -> dict[str, str]:
        """The respondents' question numbers: results, open answers and the questionnaire agree."""
        return self.questionnaire.numbers()

    def next_number(self, kind: str) -> int:
        """Running number of figures (图) and tables (表)."""
        self.counters[kind] += 1
        return self.counters[kind]


def write_appendix(data: AppendixData, out: BinaryIO) -> None:
    """Write the appendix as .docx to ``out``."""
    doc = new_document(data.title)
    title = para(doc, data.project, "Title")
    title.add_run().add_break()
    title.add_run(zh.TITLE_SUBTITLE.format(subject=data.subject))
    headings = iter(zh_num(i) for i in range(1, 20))
    for build in (_purpose, _scope, _content, _collection, appendix_results.results, appendix_results.composite,
                  appendix_tail.open_answers):
        build(doc, data, next(headings))
    appendix_tail.questionnaire(doc, data)
    add_footer(doc, data.generated_at.strftime("%Y-%m-%d %H:%M"), data.summary.fingerprint)
    doc.save(out)


def heading(doc, text: str, level: int):
    return para(doc, text, f"Heading {level}")


def section(doc, number: str, title: str) -> None:
    """A numbered first-level heading: "一、调查目的"."""
    heading(doc, zh.SECTION.format(number=number, title=title), 1)


def _purpose(doc, data: AppendixData, number: str) -> None:
    section(doc, number, zh.PURPOSE)
    doc.add_paragraph(zh.PURPOSE_INTRO.format(project=data.project, subject=data.subject))
    aspects = [zh.PURPOSE_DIMENSION.format(subject=data.subject, dimension=d.label) for d in data.summary.dimensions]
    aspects = aspects or [zh.PURPOSE_DEFAULT.format(subject=data.subject)]
    aspects.append(zh.PURPOSE_ADVICE.format(subject=data.subject))
    for i, aspect in enumerate(aspects, start=1):
        doc.add_paragraph(zh.NUMBERED.format(i=i, text=aspect))
    indicator = data.summary.survey.indicator
    if indicator.name:
        weight = zh.INDICATOR_WEIGHT.format(weight=indicator.weight) if indicator.weight else ""
        doc.add_paragraph(zh.PURPOSE_INDICATOR.format(code=indicator.code or "", name=indicator.name, weight=weight))


def _scope(doc, data: AppendixData, number: str) -> None:
    section(doc, number, zh.SCOPE)
    units = data.units
    if not units:
        doc.add_paragraph(zh.SCOPE_OPEN.format(project=data.project, subject=data.subject))
        return
    by_category = Counter(u["category"] for u in units if u["category"])
    counties = {u["county"] for u in units if u["county"]}
    parts = "、".join(zh.SCOPE_CATEGORY.format(name=name, n=n) for name, n in by_category.items())
    table_no = data.next_number("表")
    text = zh.SCOPE_UNITS.format(project=data.project, n=len(units))
    text += zh.SCOPE_CATEGORIES.format(parts=parts) if parts else ""
    text += zh.SCOPE_COUNTIES.format(n=len(counties)) if counties else ""
    doc.add_paragraph(text + zh.SCOPE_TABLE.format(table=table_no))
    extra = _first_group_attribute(data)
    header = ["序号", "单位名称", "县（市、区）", "类别", *([extra] if extra else []), "最少有效份数"]
    rows = [[u["seq"] or i, u["name"], u["county"] or zh.DASH, u["category"] or zh.DASH,
             *([str((u["attributes"] or {}).get(extra) or zh.DASH)] if extra else []), u["min_valid"]]
            for i, u in enumerate(units, start=1)]
    widths = [1.2, 5.6, 2.4, 2.0, 3.0, 1.4] if extra else [1.2, 7.6, 2.8, 2.4, 1.6]
    caption(doc, "表", table_no, zh.SCOPE_CAPTION)
    add_table(doc, header, rows, widths, align_left=(1,))


def _first_group_attribute(data: AppendixData) -> str | None:
    keys = [b.attribute for b in data.summary.breakdowns if b.attribute is not None]
    return keys[0] if keys else None


def _content(doc, data: AppendixData, number: str) -> None:
    section(doc, number, zh.CONTENT)
    q = data.questionnaire
    # Count what respondents see numbered: a matrix is one question, a follow-up none of its own.
    asked = [[x for x in s.questions if not x.show_if] for s in q.sections]
    parts = [zh.CONTENT_PART.format(title=_SECTION_NUMBER.sub("", s.title), n=len(a))
             for s, a in zip(q.sections, asked, strict=True) if a]
    scored = data.summary.scored_questions
    numbers = data.numbers
    open_count = sum(1 for x in q.questions if not question_types.is_choice(x))
    doc.add_paragraph(zh.CONTENT_INTRO.format(questions=sum(map(len, asked)), parts="、".join(parts), n=len(parts)))
    dims = list(dict.fromkeys(x.dimension or zh.DASH for x in scored))
    table_no = data.next_number("表")
    text = zh.CONTENT_SCORED.format(n=len(scored))
    text += zh.CONTENT_DIMENSIONS.format(dimensions="、".join(dims), n=len(dims)) if dims != [zh.DASH] else ""
    text += zh.CONTENT_OPEN.format(n=open_count, subject=data.subject) if open_count else ""
    doc.add_paragraph(text + zh.CONTENT_TABLE.format(table=table_no))
    caption(doc, "表", table_no, zh.CONTENT_CAPTION)
    add_table(doc, ["维度", "题号", "调查内容", "权重"],
              [[x.dimension or zh.DASH, numbers.get(x.id, x.id), x.topic or x.text, f"{x.weight:g}"] for x in scored],
              [3.0, 1.6, 9.4, 1.6], align_left=(2,))


def _collection(doc, data: AppendixData, number: str) -> None:
    s, cov = data.summary, data.summary.coverage
    section(doc, number, zh.COLLECTION)
    heading(doc, zh.COLLECTION_ISSUE, 2)
    minimums = sorted({u["min_valid"] for u in data.units})
    quota = (f"{minimums[0]}" if len(minimums) == 1 else f"{minimums[0]}—{minimums[-1]}") if minimums else None
    text = zh.COLLECTION_CHANNEL.format(subject=data.subject)
    if data.units:
        text = (zh.COLLECTION_FULL_COVERAGE.format(n=len(data.units)) + text
                + zh.COLLECTION_QUOTA.format(quota=quota))
    doc.add_paragraph(text + "。")
    if data.first_submitted:
        sources = "、".join(zh.COLLECTION_SOURCE.format(source=labels.source(k), n=n)
                           for k, n in data.sources.items() if n)
        doc.add_paragraph(zh.COLLECTION_TIMES.format(first=data.first_submitted, last=data.last_submitted,
                                                     sources=sources))
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
    heading(doc, zh.SCREENING, 2)
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
    doc.add_paragraph(zh.FINGERPRINT.format(fingerprint=s.fingerprint))


def _shortfall(cov: Coverage) -> str:
    units = cov.units
    if not units:
        return ""
    short = [u for u in units if not u.met]
    if not short:
        return zh.SHORTFALL_NONE.format(n=len(units))
    names = "、".join(zh.SHORTFALL_UNIT.format(name=u.name, valid=u.valid, short_by=u.short_by) for u in short)
    return zh.SHORTFALL.format(met=len(units) - len(short), short=len(short), names=names)


def _unit_rows(data: AppendixData) -> list[list]:
    counts, statuses = data.unit_returns, data.summary.filter.statuses
    rows, totals = [], [0, 0, 0]
    for i, u in enumerate(data.units, start=1):
        c = counts.get(u["id"], {})
        returned, valid = sum(c.values()), sum(c.get(s, 0) for s in statuses)
        rows.append([i, u["name"], u["min_valid"], returned, valid, zh.YES if valid >= u["min_valid"] else zh.NO])
        totals = [totals[0] + u["min_valid"], totals[1] + returned, totals[2] + valid]
    if None in counts:
        c = counts[None]
        returned, valid = sum(c.values()), sum(c.get(s, 0) for s in statuses)
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

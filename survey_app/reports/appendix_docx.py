"""The Word appendix "{项目名称}受益对象问卷调查分析报告" (METHOD.md §5), from aggregated data.

``write_appendix(data, out)`` writes the .docx; its size depends on the questionnaire and
the unit list, never on the number of answers (exclusions are capped — see ``MAX_LISTED``;
open answers are grouped into themes, each quoted with a few examples unless the evaluator
chose to list them all).  Sections 一–三 live here, 四 in ``appendix_collection``, 五–六 in
``appendix_results``, 意见建议汇总 and the blank questionnaire in ``appendix_tail``.

Every sentence that is not a figure comes from the survey or from the report settings
(``data.report``, resolved by ``domain.report_settings``).  Optional parts are chosen by
key in the settings and printed only when they have something to show (``PARTS``):
first-level sections are numbered after that choice, so no number is skipped.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, BinaryIO

from ..domain import question_types
from ..domain import report_settings as rs
from ..domain.opinions import OpinionSummary
from ..domain.questionnaire import Questionnaire
from ..domain.summary_result import SummaryResult
from ..texts_zh import report as zh
from . import appendix_collection, appendix_results, appendix_tail
from .appendix_collection import MAX_LISTED  # noqa: F401 - re-exported for the exports service
from .docx_style import add_footer, new_document, para
from .docx_table import add_table, caption

#: Optional parts the evaluator can switch on or off (see docs/exports.md).
OPTIONAL_SECTIONS = rs.OPTIONAL_SECTIONS
DEFAULT_SECTIONS = frozenset(rs.DEFAULT_SECTIONS)
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
    #: The report settings with their defaults (``domain.report_settings.resolve``); empty: derived here.
    report: dict[str, rs.Resolved] = field(default_factory=dict)
    counters: Counter = field(default_factory=Counter)

    def setting(self, key: str) -> Any:
        """A report setting's effective value (derived from the data when the caller gave none)."""
        if not self.report:
            q = self.questionnaire
            self.report = rs.resolve(rs.ReportSettings(), rs.ReportFacts(
                self.units, [x.dimension for x in q.scored_questions if x.dimension],
                any(not question_types.is_choice(x) for x in q.questions), self.sources, self.subject))
        return self.report[key].value

    def shows(self, key: str) -> bool:
        """Print the optional part ``key``: chosen in the settings and with something to show."""
        has_content = HAS_CONTENT.get(key)
        return key in self.sections and (has_content is None or has_content(self))

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


def _has_sample(data: AppendixData) -> bool:
    info = any(sec.kind == "unit_info" and sec.questions for sec in data.questionnaire.sections)
    return info or any(u["county"] for u in data.units)


#: Optional parts whose content depends on the data; a part not listed always has something to say.
HAS_CONTENT: dict[str, Callable[[AppendixData], bool]] = {
    "sample": _has_sample,
    "groups": lambda data: bool(data.summary.breakdowns.groupings or data.units),
    "opinions": lambda data: bool(data.open_answers.themes),
}


def write_appendix(data: AppendixData, out: BinaryIO) -> None:
    """Write the appendix as .docx to ``out``."""
    doc = new_document(data.title)
    title = para(doc, data.project, "Title")
    title.add_run().add_break()
    title.add_run(zh.TITLE_SUBTITLE.format(subject=data.subject))
    headings = iter(zh_num(i) for i in range(1, 20))
    for key, build in PARTS:
        if key is None or data.shows(key):
            build(doc, data, next(headings))
    if data.shows("data_note"):
        generated = zh.DATE_TIME.format(d=data.generated_at)
        para(doc, zh.DATA_NOTE.format(generated=generated, fingerprint=data.summary.fingerprint), "正文左对齐")
    if data.shows("questionnaire"):
        appendix_tail.questionnaire(doc, data)
    add_footer(doc)
    doc.save(out)


def heading(doc, text: str, level: int):
    return para(doc, text, f"Heading {level}")


def section(doc, number: str, title: str) -> None:
    """A numbered first-level heading: "一、调查目的"."""
    heading(doc, zh.SECTION.format(number=number, title=title), 1)


def _purpose(doc, data: AppendixData, number: str) -> None:
    section(doc, number, zh.PURPOSE)
    doc.add_paragraph(zh.PURPOSE_INTRO.format(project=data.project, subject=data.subject))
    for i, aspect in enumerate(data.setting("purpose"), start=1):
        doc.add_paragraph(zh.NUMBERED.format(i=i, text=aspect))
    indicator = data.summary.survey.indicator
    if indicator.name:
        weight = zh.INDICATOR_WEIGHT.format(weight=indicator.weight) if indicator.weight else ""
        doc.add_paragraph(zh.PURPOSE_INDICATOR.format(code=indicator.code or "", name=indicator.name, weight=weight))


def _scope(doc, data: AppendixData, number: str) -> None:
    section(doc, number, zh.SCOPE)
    units, population = data.units, data.setting("population")
    if not units:
        set_by_evaluator = data.report.get("population") and data.report["population"].set
        doc.add_paragraph(zh.SCOPE_POPULATION.format(project=data.project, population=population) if set_by_evaluator
                          else zh.SCOPE_OPEN.format(project=data.project, subject=data.subject))
        return
    counties = {u["county"] for u in units if u["county"]}
    table_no = data.next_number("表")
    text = zh.SCOPE_UNITS.format(project=data.project, population=population)
    text += zh.SCOPE_COUNTIES.format(n=len(counties)) if counties else ""
    doc.add_paragraph(text + zh.SCOPE_TABLE.format(table=table_no))
    extra = _first_group_attribute(data)
    header = ["序号", "单位名称", "县（市、区）", "类别", *([extra] if extra else []), "最少有效份数"]
    rows = [[i, u["name"], u["county"] or zh.DASH, u["category"] or zh.DASH,
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
    titles = [_SECTION_NUMBER.sub("", s.title) for s, a in zip(q.sections, asked, strict=True) if a]
    counts = [len(a) for a in asked if a]
    total = sum(counts)
    if len(titles) == 1:
        doc_text = zh.CONTENT_ONE_PART.format(title=titles[0], questions=total)
    else:
        parts = [zh.CONTENT_PART.format(title=t, n=n) for t, n in zip(titles, counts, strict=True)]
        doc_text = zh.CONTENT_PARTS.format(parts="、".join(parts), n=zh_num(len(parts)), questions=total)
    scored = data.summary.scored_questions
    numbers = data.numbers
    open_questions = [x for x in q.questions if not question_types.is_choice(x)]
    follow_ups = sum(1 for x in open_questions if x.show_if)
    doc.add_paragraph(doc_text)
    if not scored:
        return
    dims = list(dict.fromkeys(x.dimension or zh.DASH for x in scored))
    table_no = data.next_number("表")
    text = zh.CONTENT_SCORED.format(n=len(scored))
    text += zh.CONTENT_DIMENSIONS.format(dimensions="、".join(dims), n=len(dims)) if dims != [zh.DASH] else ""
    if open_questions:
        text += zh.CONTENT_OPEN.format(n=len(open_questions), subject=data.subject,
                                       follow_ups=zh.CONTENT_FOLLOW_UPS.format(n=follow_ups) if follow_ups else "")
    doc.add_paragraph(text + zh.CONTENT_TABLE.format(table=table_no))
    caption(doc, "表", table_no, zh.CONTENT_CAPTION)
    add_table(doc, ["维度", "题号", "调查内容", "权重"],
              [[x.dimension or zh.DASH, numbers.get(x.id, x.id), x.topic or x.text, f"{x.weight:g}"] for x in scored],
              [3.0, 1.6, 9.4, 1.6], align_left=(2,))


#: First-level parts in order: (key of an optional part, or None for a part always printed, builder).
PARTS: tuple[tuple[str | None, Callable], ...] = (
    (None, _purpose), (None, _scope), (None, _content), (None, appendix_collection.collection),
    (None, appendix_results.results), (None, appendix_results.composite), ("opinions", appendix_tail.open_answers),
)

"""The data workbook (.xlsx): 原始数据, 题目统计, 单位回收情况, 分组统计, 评分, 意见建议.

Written with xlsxwriter in ``constant_memory`` mode: each row goes to a temporary file as
soon as the next one starts, so 10⁵ responses cost the same memory as 100.  Text is
always written with ``write_string`` (never parsed as a formula) and neutralised
(``cells.neutralise``); numbers with ``write_number``; times as Excel date-times.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, BinaryIO

import xlsxwriter

from ..domain.scoring import as_float, json_number
from ..domain.summary_parts import UNIT
from ..domain.summary_result import SummaryResult
from ..domain.vocabulary import ALL_STATUSES, ResponseStatus
from ..texts_zh import labels
from ..texts_zh import opinions as opinion_zh
from ..texts_zh import report as zh
from .cells import Column, as_number, neutralise
from .text_zh import filter_zh, method_zh, sample_size_zh

GROUP_NAMES = {"unit": "单位", "county": "县（市、区）", "category": "类别"}


@dataclass
class WorkbookData:
    summary: SummaryResult
    columns: Sequence[Column]
    rows: Iterable[Sequence[Any]]
    units: list[dict[str, Any]]
    unit_returns: dict[int | None, dict[str, int]]
    generated_at: datetime
    raw_scope: str
    #: 意见建议: one row per opinion and theme (``domain.opinions.sheet_rows``).
    opinions: Sequence[Sequence[Any]] = field(default_factory=list)


class _Sheet:
    """A worksheet with typed writes, a bold frozen header and set column widths."""

    def __init__(self, book, formats, name: str, header: Sequence[str], widths: Sequence[float]):
        self.ws = book.add_worksheet(name)
        self.formats = formats
        self.row = 0
        for col, width in enumerate(widths):
            self.ws.set_column(col, col, min(max(width, 6), 60))
        self.write([*header], header=True)
        self.ws.freeze_panes(1, 0)
        print_setup(self.ws)

    def write(self, values: Sequence[Any], header: bool = False) -> None:
        ws, f, r = self.ws, self.formats, self.row
        for col, value in enumerate(values):
            if value is None or value == "":
                continue
            if header:
                ws.write_string(r, col, neutralise(str(value)), f["header"])
            elif isinstance(value, bool):
                ws.write_string(r, col, "是" if value else "否")
            elif isinstance(value, (int, float)):
                ws.write_number(r, col, value, f["pct"] if isinstance(value, float) else None)
            elif isinstance(value, datetime):
                ws.write_datetime(r, col, value, f["time"])
            else:
                ws.write_string(r, col, neutralise(str(value)), f["text"])
        self.row += 1


def print_setup(ws) -> None:
    """A4 landscape, all columns on one page width, the header row repeated on every page."""
    ws.set_paper(9)  # A4
    ws.set_landscape()
    ws.fit_to_pages(1, 0)  # 1 page wide, as many tall as needed
    ws.repeat_rows(0)
    ws.set_margins(left=0.5, right=0.5, top=0.6, bottom=0.6)
    ws.set_footer("&C第 &P 页，共 &N 页")


def write_workbook(out: BinaryIO, data: WorkbookData) -> int:
    """Write the workbook to ``out``; return the number of 原始数据 rows."""
    book = xlsxwriter.Workbook(out, {"constant_memory": True, "strings_to_formulas": False,
                                     "strings_to_urls": False, "default_date_format": "yyyy-mm-dd hh:mm:ss"})
    formats = {
        "header": book.add_format({"bold": True, "bg_color": "#D9E1F2", "border": 1, "text_wrap": True,
                                   "valign": "vcenter", "font_name": "宋体"}),
        "time": book.add_format({"num_format": "yyyy-mm-dd hh:mm:ss"}),
        "pct": book.add_format({"num_format": "0.00"}),
        "text": book.add_format({}),
    }
    count = _raw(book, formats, data)
    _questions(book, formats, data.summary)
    _units(book, formats, data)
    _groups(book, formats, data.summary)
    _score(book, formats, data)
    _opinions(book, formats, data.opinions)
    book.close()
    return count


def _raw(book, formats, data: WorkbookData) -> int:
    columns = data.columns
    sheet = _Sheet(book, formats, "原始数据", [c.name for c in columns], [c.width for c in columns])
    sheet.ws.autofilter(0, 0, 0, len(columns) - 1)
    count = 0
    for row in data.rows:
        sheet.write(row)
        count += 1
    return count


def _questions(book, formats, summary: SummaryResult) -> None:
    header = ["题号", "题目", "调查内容", "维度", "题型", "是否计分", "选项", "赋值", "人数", "比例（%）",
              "本题有效作答人数", "选择人次合计（多选）", "计分答卷", "满意度（%）", "计算方法"]
    sheet = _Sheet(book, formats, "题目统计", header, [6, 40, 24, 12, 6, 8, 16, 6, 8, 10, 10, 12, 10, 12, 14])
    types = {"single": "单选", "multiple": "多选"}
    for q in summary.questions:
        method = labels.METHOD.get(q.method, "不计分")
        for o in q.options:
            sheet.write([q.id, q.text, q.topic, q.dimension, types.get(q.type, q.type),
                         q.scored, o.label, o.value, o.count, float(o.share), q.n, q.mentions,
                         q.denominator if q.scored else None, as_float(q.satisfaction), method])


def _units(book, formats, data: WorkbookData) -> None:
    attrs = list(dict.fromkeys(k for u in data.units for k in (u["attributes"] or {})))
    header = ["序号", "单位名称", "县（市、区）", "类别", "统一社会信用代码", *attrs, "最少有效份数", "回收份数",
              *labels.STATUS.values(), "计入统计", "是否达标", "差额", "单位综合满意度（%）"]
    widths = [6, 36, 12, 10, 20, *([14] * len(attrs)), 10, 10, 8, 10, 8, 10, 8, 8, 14]
    sheet = _Sheet(book, formats, "单位回收情况", header, widths)
    composites = {g.group: as_float(g.composite) for g in data.summary.breakdowns.units}
    statuses = data.summary.filter.statuses
    for i, u in enumerate(data.units, start=1):
        c = data.unit_returns.get(u["id"], {})
        counted = sum(c.get(s, 0) for s in statuses)
        sheet.write([u["seq"] or i, u["name"], u["county"], u["category"], u["credit_code"],
                     *[_attr((u["attributes"] or {}).get(k)) for k in attrs], u["min_valid"], sum(c.values()),
                     *(c.get(s, 0) for s in ALL_STATUSES), counted, counted >= u["min_valid"],
                     max(0, u["min_valid"] - counted), composites.get(u["id"])])
    if None in data.unit_returns:
        c = data.unit_returns[None]
        sheet.write(["", zh.OFF_FRAME_UNIT, "", "", "", *[""] * len(attrs), "", sum(c.values()),
                     *(c.get(s, 0) for s in ALL_STATUSES),
                     sum(c.get(s, 0) for s in statuses)])


def _attr(value: Any) -> Any:
    """A unit attribute as a number when it is one (奖励金额 30 → 30, so SUM works), else as text."""
    number = as_number(value)
    if number is not None:
        return number
    return None if value is None else str(value)


def _groups(book, formats, summary: SummaryResult) -> None:
    dims = [d.label for d in summary.dimensions]
    header = ["分组方式", "组别", "单位数", "综合满意度（%）", *[f"{d}（%）" for d in dims]]
    sheet = _Sheet(book, formats, "分组统计", header, [16, 36, 8, 14, *([14] * len(dims))])
    for b in summary.breakdowns:
        label = GROUP_NAMES.get(b.by) or b.by.split(":", 1)[-1]
        for g in b.rows:
            name = g.name if b.by == UNIT else g.group
            by_dim = {d.label: as_float(d.value) for d in g.dimensions}
            sheet.write([label, name if name is not None else zh.NOT_GROUPED, len(g.units), as_float(g.composite),
                         *[by_dim.get(d) for d in dims]])


def _score(book, formats, data: WorkbookData) -> None:
    s = data.summary
    scoring, words = s.settings.scoring, method_zh(s.settings.scoring)
    info, r, score = s.survey, s.responses, s.score
    alpha, ci = s.statistics.reliability, s.statistics.confidence_interval
    rows = [
        ("项目名称", info.project_name or info.name), ("调查名称", info.name),
        ("评价指标", f"{info.indicator.code or ''}{info.indicator.name or ''}"),
        ("指标分值", json_number(score.weight) if score else None), ("统计口径", filter_zh(s.filter, label=False)),
        ("原始数据范围", data.raw_scope),
        ("纳入统计答卷", r.used), ("其中" + labels.STATUS[ResponseStatus.VALID], r.valid),
        ("其中" + labels.STATUS[ResponseStatus.FLAGGED], r.flagged), (labels.STATUS[ResponseStatus.EXCLUDED], r.excluded),
        ("计算方法", f"{labels.METHOD[scoring.method]}（{scoring.method}）"), ("方法说明", words["method"]),
        ("不计分选项", words["not_scored"]), ("数值修约", words["rounding"]), ("汇总方式", words["aggregation"]),
        ("综合方式", words["composite"]), ("综合满意度（%）", as_float(s.composite)),
        *[(f"维度：{d.label}（%）", as_float(d.value)) for d in s.dimensions],
        ("评分规则", s.rule_zh), ("得分", as_float(score.points) if score else None),
        ("计算过程", score.working_zh if score else None),
        ("总体规模N", s.statistics.sample_size.population), ("样本量", sample_size_zh(s.statistics.sample_size)),
        ("Cronbach's α", alpha.shown if alpha else "未计算（导出时未选择）"),
        ("95%置信区间", f"{ci.low_shown:.2f}—{ci.high_shown:.2f}" if ci and ci.low is not None else "未计算"),
        ("重抽样方式", zh.CI_BY[ci.resampled] if ci and ci.low is not None else None),
        ("设计效应", round(ci.design_effect, 2) if ci and ci.design_effect is not None else None),
        ("得分概率", s.statistics.score_chances.sentence_zh if s.statistics.score_chances else None),
        ("数据指纹（SHA-256）", s.fingerprint), ("生成时间（北京时间）", data.generated_at),
    ]
    sheet = _Sheet(book, formats, "评分", ["项目", "内容"], [22, 100])
    for label, value in rows:
        sheet.write([label, value])


def _opinions(book, formats, rows: Sequence[Sequence[Any]]) -> None:
    """意见建议: every open answer with its theme (hidden ones marked, so nothing is lost)."""
    sheet = _Sheet(book, formats, opinion_zh.SHEET, opinion_zh.SHEET_HEADER, [20, 10, 60, 8, 20, 12, 14])
    sheet.ws.autofilter(0, 0, 0, len(opinion_zh.SHEET_HEADER) - 1)
    for row in rows:
        sheet.write(row)

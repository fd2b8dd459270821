"""（四）分组分析 of section 六: composite per chosen unit field, then per unit in unit-list order."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..texts_zh import report as zh
from .docx_style import para
from .docx_table import add_table, caption
from .text_zh import pct

if TYPE_CHECKING:
    from .appendix_docx import AppendixData

GROUP_NAMES = {"county": "县（市、区）", "category": "类别"}


def groups(doc, data: AppendixData, sub: str) -> None:
    """Composite per chosen unit field (report settings), then per unit in unit-list order, every unit."""
    breakdowns = data.summary.breakdowns
    para(doc, f"{sub}{zh.GROUPS}", "Heading 2")
    labels = [GROUP_NAMES.get(b.by) or b.by.split(":", 1)[-1] for b in breakdowns.groupings]
    intro = zh.GROUPS_INTRO.format(labels="、".join(labels)) if labels else zh.GROUPS_INTRO_UNITS
    members = [[u for r in b.rows for u in r.units] for b in breakdowns.groupings]
    joined = any(len(m) != len(set(m)) for m in members)  # a merged unit counted in two of its groups
    doc.add_paragraph(intro + (zh.GROUPS_JOINED if joined else ""))
    for b, label in zip(breakdowns.groupings, labels, strict=True):
        table_no = data.next_number("表")
        caption(doc, "表", table_no, zh.GROUPS_CAPTION.format(label=label))
        add_table(doc, [label, "单位数", "综合满意度（%）"],
                  [[g.group if g.group is not None else zh.NOT_GROUPED, len(g.units), _composite(g.composite)]
                   for g in b.rows], [8, 3, 4.6], align_left=(0,))
    rows = _unit_rows(data)
    if rows:
        table_no = data.next_number("表")
        caption(doc, "表", table_no, zh.GROUPS_UNITS_CAPTION)
        add_table(doc, ["序号", "单位名称", "有效答卷（份）", "综合满意度（%）"], rows, [1.4, 8.6, 2.4, 3.2],
                  align_left=(1,))


def _composite(value) -> str:
    return zh.GROUPS_NO_ANSWERS if value is None else pct(value)


def _unit_rows(data: AppendixData) -> list[list]:
    """Units numbered 1…n in unit-list order, as in 表 of the unit list; a unit without answers reads 0."""
    by_unit = {g.group: g for g in data.summary.breakdowns.units}
    rows = []
    for i, u in enumerate(data.units, start=1):
        g = by_unit.get(u["id"])
        rows.append([i, u["name"], _counted(data, u["id"]), _composite(g.composite if g else None)])
    if None in by_unit:
        rows.append([zh.DASH, zh.OFF_FRAME_UNIT_SHORT, _counted(data, None), _composite(by_unit[None].composite)])
    return rows


def _counted(data: AppendixData, unit_id) -> int:
    c = data.unit_returns.get(unit_id, {})
    return sum(c.get(status, 0) for status in data.summary.filter.statuses)

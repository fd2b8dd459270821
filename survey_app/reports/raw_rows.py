"""The 原始数据 layout: columns and one row per response (pure: plain tuples in, cell values out).

Choice answers become option labels (multiple choice joined with "；" in option order),
text stays text, numbers stay numbers; times are shifted to Beijing time and cut to the
second.  Shared by the workbook and the CSV writers.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from ..domain.questionnaire import CHOICE_TYPES, NUMBER, Questionnaire
from ..domain.vocabulary import BEIJING
from ..texts_zh import labels
from .cells import DATETIME, Column, as_number, display_width
from .cells import NUMBER as NUMERIC


class RawLayout:
    """Columns of 原始数据 for a questionnaire and a unit list; ``row()`` builds one row."""

    def __init__(self, questionnaire: Questionnaire, units: list[dict[str, Any]]):
        self.units = {u["id"]: u for u in units}
        self.attrs = list(dict.fromkeys(k for u in units for k in u["attributes"]))
        self.questions = list(questionnaire.questions)
        self.position = {q.id: i for i, q in enumerate(self.questions)}
        self.kinds = {q.id: q.type for q in self.questions}
        choice = [q for q in self.questions if q.type in CHOICE_TYPES]
        self.labels = {(q.id, o.key): o.label for q in choice for o in q.options}
        self.order = {(q.id, o.key): i for q in choice for i, o in enumerate(q.options)}

    @property
    def columns(self) -> list[Column]:
        columns = [Column("答卷编号", NUMERIC, 10), Column("提交时间（北京时间）", DATETIME, 20),
                   Column("单位名称", width=36), Column("县（市、区）", width=12), Column("类别", width=10),
                   Column("统一社会信用代码", width=20),
                   *[Column(a, width=max(10, display_width(a) + 2)) for a in self.attrs]]
        for q in self.questions:
            header = f"{q.id} {q.topic or q.text}"
            columns.append(Column(header, NUMERIC if q.type == NUMBER else "text",
                                  min(40, max(12, display_width(header)))))
        return columns + [Column("答题用时（秒）", NUMERIC, 10), Column("来源", width=12), Column(labels.FLAGS_FIELD, width=30),
                          Column("状态", width=10), Column("状态原因", width=30), Column("复核决定", width=20)]

    def answer_cells(self, answers: Iterable[tuple]) -> dict[int, list[list]]:
        """Group (response id, question id, option key, text, number) rows into per-response cells."""
        cells_by_response: dict[int, list[list]] = {}
        n = len(self.questions)
        for rid, qid, key, text, number in answers:
            index = self.position.get(qid)
            if index is None:
                continue
            cells = cells_by_response.get(rid)
            if cells is None:
                cells = cells_by_response[rid] = [[] for _ in range(n)]
            if self.kinds[qid] in CHOICE_TYPES:
                cells[index].append((self.order.get((qid, key), 999), self.labels.get((qid, key), key)))
            else:
                cells[index].append((0, number if self.kinds[qid] == NUMBER else text))
        return cells_by_response

    def row(self, r, cells: list[list] | None) -> list:
        """One row from a response tuple (id, submitted_at, unit_id, unit_name_given, duration_seconds,
        source, flags, status, status_reason, decision, decision_reason) and its answer cells."""
        values = []
        for cell in cells or [[]] * len(self.questions):
            if not cell:
                values.append(None)
            elif len(cell) == 1:
                values.append(cell[0][1])
            else:
                values.append("；".join(str(v) for _, v in sorted(cell, key=lambda c: c[0])))
        unit = self.units.get(r.unit_id)
        name = unit["name"] if unit else (f"{r.unit_name_given}（名单外）" if r.unit_name_given else None)
        attributes = unit["attributes"] if unit else {}
        place = [unit["county"], unit["category"], unit["credit_code"]] if unit else [None, None, None]
        flags = "；".join(f.get("reason_zh") or f.get("code", "") for f in r.flags or [])
        decision = None
        if r.decision:
            decision = labels.status(r.decision) + (f"：{r.decision_reason}" if r.decision_reason else "")
        return [r.id, (r.submitted_at + BEIJING).replace(microsecond=0), name, *place,
                *[_plain(attributes.get(a)) for a in self.attrs], *values, r.duration_seconds,
                labels.source(r.source), flags or None, labels.status(r.status),
                r.status_reason, decision]


def _plain(value: Any) -> Any:
    """A unit attribute: a number when its text is one (奖励金额), else the text."""
    if value is None:
        return None
    number = as_number(value)
    return number if number is not None else str(value)

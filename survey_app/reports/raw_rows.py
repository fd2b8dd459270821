"""The 原始数据 layout: columns and one row per response (pure: plain tuples in, cell values out).

Choice answers become option labels (multiple choice joined with "；" in option order),
text stays text, numbers stay numbers; times are shifted to Beijing time and cut to the
second.  Shared by the workbook and the CSV writers.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from ..domain import question_types
from ..domain.questionnaire import Questionnaire
from ..domain.vocabulary import BEIJING
from ..texts_zh import labels
from .cells import DATETIME, Column, as_number, display_width
from .cells import NUMBER as NUMERIC

#: How one answer row (option key, text, number) becomes (order within the cell, value).
Reader = Callable[[str | None, str | None, Any], tuple[int, Any]]


@dataclass(frozen=True)
class RawColumn:
    """One question's column of 原始数据: its header and how its answers become a value."""

    column: Column
    read: Reader


def _header(q) -> tuple[str, int]:
    header = f"{q.id} {q.topic or q.text}"
    return header, min(40, max(12, display_width(header)))


def choice_column(q) -> RawColumn:
    """Option labels, in option order when several are chosen; an unknown key shows as itself."""
    header, width = _header(q)
    known = {o.key: (i, o.label) for i, o in enumerate(q.options)}
    return RawColumn(Column(header, "text", width), lambda key, text, number: known.get(key) or (999, key))


def number_column(q) -> RawColumn:
    header, width = _header(q)
    return RawColumn(Column(header, NUMERIC, width), lambda key, text, number: (0, number))


def text_column(q) -> RawColumn:
    header, width = _header(q)
    return RawColumn(Column(header, "text", width), lambda key, text, number: (0, text))


#: Column logic per raw kind; each question type names its kind (``QuestionType.raw_kind``).
COLUMN_KINDS: dict[str, Callable[[Any], RawColumn]] = {
    "choice": choice_column, "number": number_column, "text": text_column,
}


class RawLayout:
    """Columns of 原始数据 for a questionnaire and a unit list; ``row()`` builds one row."""

    def __init__(self, questionnaire: Questionnaire, units: list[dict[str, Any]]):
        self.units = {u["id"]: u for u in units}
        self.attrs = list(dict.fromkeys(k for u in units for k in u["attributes"]))
        self.questions = list(questionnaire.questions)
        self.raw = [COLUMN_KINDS[question_types.of(q).raw_kind](q) for q in self.questions]
        #: question id → (position, reader): the one lookup per answer row.
        self.readers = {q.id: (i, c.read) for i, (q, c) in enumerate(zip(self.questions, self.raw, strict=True))}

    @property
    def columns(self) -> list[Column]:
        columns = [Column("答卷编号", NUMERIC, 10), Column("提交时间（北京时间）", DATETIME, 20),
                   Column("单位名称", width=36), Column("县（市、区）", width=12), Column("类别", width=10),
                   Column("统一社会信用代码", width=20),
                   *[Column(a, width=max(10, display_width(a) + 2)) for a in self.attrs]]
        columns.extend(c.column for c in self.raw)
        return columns + [Column("答题用时（秒）", NUMERIC, 10), Column("来源", width=12), Column(labels.FLAGS_FIELD, width=30),
                          Column("状态", width=10), Column("状态原因", width=30), Column("复核决定", width=20)]

    def answer_cells(self, answers: Iterable[tuple]) -> dict[int, dict[int, Any]]:
        """Group (response id, question id, option key, text, number) rows into per-response cells.

        Only the answers present are stored — column position → (order, value), or a list of
        them when a question has several answer rows (multiple choice) — because allocating
        an empty cell per question and response made the garbage collector half the export.
        """
        by_response: dict[int, dict[int, Any]] = {}
        readers = self.readers
        for rid, qid, key, text, number in answers:
            found = readers.get(qid)
            if found is None:
                continue
            index, read = found
            cells = by_response.get(rid)
            if cells is None:
                cells = by_response[rid] = {}
            item, before = read(key, text, number), cells.get(index)
            if before is None:
                cells[index] = item
            elif type(before) is list:
                before.append(item)
            else:
                cells[index] = [before, item]
        return by_response

    def row(self, r, cells: dict[int, Any] | None) -> list:
        """One row from a response tuple (id, submitted_at, unit_id, unit_name_given, duration_seconds,
        source, flags, status, status_reason, decision, decision_reason) and its answer cells."""
        values: list[Any] = [None] * len(self.questions)
        for index, item in (cells or {}).items():
            if type(item) is list:
                values[index] = "；".join(str(v) for _, v in sorted(item, key=_order))
            else:
                values[index] = item[1]
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


def _order(item: tuple[int, Any]) -> int:
    return item[0]


def _plain(value: Any) -> Any:
    """A unit attribute: a number when its text is one (奖励金额), else the text."""
    if value is None:
        return None
    number = as_number(value)
    return number if number is not None else str(value)

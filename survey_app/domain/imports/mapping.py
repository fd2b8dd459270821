"""Which column holds what: meta fields, whole questions, or one option of a question.

Order of recognition for each column (the first that applies wins, and the report says
which one was used): the mapping file; a 问卷星 / spreadsheet meta header (序号, 提交答卷时间
…); a question id ("Q1"); the question text after ``headers.normalise``; and last a
per-option header ("2、…:选项A", "第2题(选项A)").  Nothing is mapped by position alone: a
column whose text is close to a question is listed with a suggestion instead.
"""

from __future__ import annotations

import difflib
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from .. import question_types
from ..questionnaire import Question, Questionnaire
from .headers import (
    META_TARGETS,
    matrix_splits,
    meta_field,
    nfkc,
    normalise,
    option_splits,
    split_number,
)
from .values import OptionLookup

MAPPING_KEYS = {"columns", "values", "numbering", "unit", "unknown_units", "unit_aliases", "unit_choices",
                "skip_units"}


class MappingError(ValueError):
    """A mapping file that cannot be used; ``problems`` are Chinese sentences."""

    def __init__(self, problems: list[str]):
        super().__init__("; ".join(problems))
        self.problems = problems


@dataclass(frozen=True)
class ColumnUse:
    """One recognised column: a meta field, a whole question, or one option of a question."""

    index: int
    header: str
    kind: str  # "meta" | "question" | "option"
    target: str  # meta field name or question id
    option_key: str | None = None
    how: str = ""  # mapping | meta | id | text | text_order | number | option_label


@dataclass(frozen=True)
class Unmapped:
    index: int
    header: str
    suggestion: str | None = None  # a question id whose text is close


@dataclass
class MappingSpec:
    """An explicit mapping (YAML/JSON file); every part is optional."""

    columns: dict[str, tuple[str, str, str | None]] = field(default_factory=dict)  # header → (kind, target, key)
    values: dict[str, dict[str, str]] = field(default_factory=dict)
    numbering: str | None = None
    unit: str | None = None
    unknown_units: str = "refuse"
    unit_aliases: dict[str, str] = field(default_factory=dict)
    #: Unit name as written in the file → unit id: an accepted "是否为…" or an ambiguous name decided.
    unit_choices: dict[str, int] = field(default_factory=dict)
    #: Unit names whose rows the evaluator chose not to import (listed in the report and the audit log).
    skip_units: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        """The mapping-file form of this spec (what the upload page keeps and ``from_dict`` reads back)."""
        columns: dict[str, Any] = {}
        for header, (kind, target, key) in self.columns.items():
            columns[header] = {"question": target, "option": key} if kind == "option" else target
        out: dict[str, Any] = {"columns": columns, "values": self.values, "numbering": self.numbering,
                               "unit": self.unit, "unknown_units": self.unknown_units,
                               "unit_aliases": self.unit_aliases, "unit_choices": self.unit_choices,
                               "skip_units": self.skip_units}
        return {k: v for k, v in out.items() if v not in (None, {}, [], "refuse")}

    @classmethod
    def from_dict(cls, data: Any, questionnaire: Questionnaire) -> MappingSpec:
        """Validate a parsed mapping file against the survey's questionnaire.

        :raises MappingError: listing every problem at once.
        """
        if data is None:
            return cls()
        if not isinstance(data, dict):
            raise MappingError(["对应文件的顶层应为键值对（columns、values 等）"])
        problems = [f"对应文件中有未知的键“{k}”" for k in data if k not in MAPPING_KEYS]
        spec = cls(numbering=data.get("numbering"), unknown_units=data.get("unknown_units", "refuse"))
        for header, target in (data.get("columns") or {}).items():
            spec.columns[nfkc(header)] = _column_target(str(header), target, questionnaire, problems)
        for qid, table in (data.get("values") or {}).items():
            question = questionnaire.question(str(qid))
            if question is None or not question_types.is_choice(question) or not isinstance(table, dict):
                problems.append(f"values：“{qid}”不是本问卷的选择题，或其下不是“单元格文字: 选项代码”")
                continue
            bad = [str(v) for v in table.values() if question.option(str(v)) is None]
            problems.extend(f"values：{qid} 没有选项代码“{v}”" for v in bad)
            spec.values[question.id] = {str(k): str(v) for k, v in table.items()}
        if spec.numbering not in (None, "label", "position"):
            problems.append("numbering 只能是 label（按选项文本）或 position（按序号）")
        if spec.unknown_units not in ("refuse", "other"):
            problems.append("unknown_units 只能是 refuse 或 other")
        spec.unit = None if data.get("unit") is None else str(data["unit"])
        spec.unit_aliases = {str(k): str(v) for k, v in (data.get("unit_aliases") or {}).items()}
        for name, unit_id in (data.get("unit_choices") or {}).items():
            if isinstance(unit_id, bool) or not str(unit_id).isdigit():
                problems.append(f"unit_choices：“{name}”应对应单位编号（数字）")
            else:
                spec.unit_choices[str(name)] = int(unit_id)
        skip = data.get("skip_units") or []
        if not isinstance(skip, list):
            problems.append("skip_units 应为单位名称的列表")
        else:
            spec.skip_units = [str(v) for v in skip]
        if problems:
            raise MappingError(problems)
        return spec


def _column_target(header: str, target: Any, questionnaire: Questionnaire, problems: list[str]):
    if isinstance(target, dict):
        question = questionnaire.question(str(target.get("question", "")))
        option = str(target.get("option", ""))
        if question is None or not question_types.is_choice(question):
            problems.append(f"columns：“{header}”指向的“{target.get('question')}”不是本问卷的选择题")
            return ("ignore", "ignore", None)
        key = OptionLookup(question).key(option)
        if key is None:
            problems.append(f"columns：{question.id} 没有选项“{option}”")
        return ("option", question.id, key)
    name = str(target)
    if name in META_TARGETS:
        return ("meta", name, None)
    if questionnaire.question(name) is None:
        problems.append(f"columns：“{header}”指向的“{name}”既不是题号也不是可用的字段名")
        return ("ignore", "ignore", None)
    return ("question", name, None)


def resolve_columns(
    headers: list[tuple[str, ...]], questionnaire: Questionnaire, spec: MappingSpec
) -> tuple[list[ColumnUse], list[Unmapped]]:
    """Recognise every column; see the module docstring for the order of rules."""
    by_text: dict[str, list[Question]] = defaultdict(list)
    for question in questionnaire.questions:
        by_text[normalise(question.text)].append(question)
    by_id = {q.id.upper(): q for q in questionnaire.questions}
    uses: dict[int, ColumnUse] = {}
    taken: set[str] = set()
    numbers: dict[int, str] = {}
    last: str | None = None
    for index, candidates in enumerate(headers):
        use = _whole_column(index, candidates, spec, by_id, by_text, taken, last)
        if use is None:
            continue
        uses[index] = use
        if use.kind == "question":
            taken.add(use.target)
            last = use.target
            number = split_number(candidates[-1])[0]
            if number is not None:
                numbers[number] = use.target
    for index, candidates in enumerate(headers):
        if index not in uses:
            use = _matrix_row_column(index, candidates, questionnaire, taken, numbers)
            if use is not None:
                uses[index] = use
                taken.add(use.target)
    for index, candidates in enumerate(headers):
        if index not in uses:
            use = _option_column(index, candidates, questionnaire, by_text, taken, numbers)
            if use is not None:
                uses[index] = use
    unmapped = [
        Unmapped(i, display(c), _suggest(c, by_text)) for i, c in enumerate(headers) if i not in uses
    ]
    return [uses[i] for i in sorted(uses)], unmapped


def display(candidates: tuple[str, ...]) -> str:
    return candidates[0] if candidates and candidates[0] else ""


def _whole_column(index, candidates, spec, by_id, by_text, taken, last) -> ColumnUse | None:
    header = display(candidates)
    for text in candidates:
        target = spec.columns.get(nfkc(text)) or next(
            (t for h, t in spec.columns.items() if normalise(h) and normalise(h) == normalise(text)), None)
        if target is not None:
            return ColumnUse(index, header, target[0], target[1], target[2], "mapping")
    for text in candidates:
        meta = meta_field(text)
        if meta:
            return ColumnUse(index, header, "meta", meta, None, "meta")
        question = by_id.get(nfkc(text).upper())
        if question is not None and question.id not in taken:
            return ColumnUse(index, header, "question", question.id, None, "id")
        same = [q for q in by_text.get(normalise(text), []) if q.id not in taken] if normalise(text) else []
        if same:
            follow = next((q for q in same if q.show_if and q.show_if.question == last), None)
            chosen = follow or same[0]
            how = "text" if len(by_text[normalise(text)]) == 1 else "text_order"
            return ColumnUse(index, header, "question", chosen.id, None, how)
    return None


def _matrix_row_column(index, candidates, questionnaire: Questionnaire, taken, numbers) -> ColumnUse | None:
    """A 矩阵量表题 row column ("5(奖补资金发放时间)", "5—奖补资金发放时间"): the row's text after
    the matrix's number or text.  The row must be the only untaken one with that text, or
    the matrix part must say which matrix it belongs to."""
    rows = [r for q in questionnaire.displayed for r in q.rows if r.id not in taken]
    if not rows:
        return None
    for text in candidates:
        for prefix, part in matrix_splits(text):
            found = [r for r in rows if normalise(r.text) == normalise(part)]
            number, rest = split_number(prefix)
            if len(found) > 1 and rest:
                found = [r for r in found if normalise(questionnaire.displayed_question(r.parent).text) == normalise(rest)]
            if len(found) > 1 and number is not None:
                found = [r for r in found if questionnaire.numbers().get(r.parent) == str(number)]
            if len(found) == 1:
                return ColumnUse(index, display(candidates), "question", found[0].id, None, "matrix_row")
    return None


def _option_column(index, candidates, questionnaire, by_text, taken, numbers) -> ColumnUse | None:
    for text in candidates:
        for prefix, suffix in option_splits(text):
            number, rest = split_number(prefix)
            questions: list[Question] = []
            if rest:
                questions = by_text.get(normalise(rest), [])
            elif number is not None and number in numbers:
                questions = [questionnaire.question(numbers[number])]
            elif number is not None:
                questions = [q for q in questionnaire.questions
                             if question_types.is_choice(q) and OptionLookup(q).key(suffix) is not None]
            questions = [q for q in questions if question_types.is_choice(q) and q.id not in taken]
            if len(questions) == 1:
                key = OptionLookup(questions[0]).key(suffix)
                if key is not None:
                    how = "option_label" if rest else "number"
                    return ColumnUse(index, display(candidates), "option", questions[0].id, key, how)
    return None


def _suggest(candidates: tuple[str, ...], by_text: dict[str, list[Question]]) -> str | None:
    for text in candidates:
        if not normalise(text):
            continue
        close = difflib.get_close_matches(normalise(text), list(by_text), n=1, cutoff=0.75)
        if close:
            return by_text[close[0]][0].id
    return None

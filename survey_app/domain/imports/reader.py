"""Read a sheet of answers (a DataFrame of strings, no header) into checked rows and a report.

``ImportReader`` plans once (headers, column mapping, option numbering, unit mode), then
``rows()`` walks the data rows lazily — the service validates the whole file in a first
pass and writes in a second one, so even 10⁵ rows are never held as objects at once.
Every row goes through ``domain.answers.check_answers``, the rules web answers obey.
Parsed cells are cached per column: survey columns hold few distinct values.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime

import pandas as pd

from ...texts_zh import imports as zh
from .. import question_types
from ..answers import Answer, check_answers, field_name
from ..questionnaire import Questionnaire
from .headers import assemble_headers, squash
from .mapping import ColumnUse, MappingSpec, resolve_columns
from .reader_units import SKIP as _SKIP
from .reader_units import UnitColumns
from .report import ImportReport
from .units import UnitMatcher, UnitRef
from .values import (
    JOIN,
    TICKED,
    UNTICKED,
    OptionLookup,
    is_skipped,
    parse_beijing_time,
    parse_duration,
    split_ip,
    tidy,
)

#: Rows looked at to find the header (title row + two header rows).
HEADER_SCAN = 3
#: Rows turned into Python lists at a time (plain lists iterate far faster than DataFrame rows).
CHUNK = 5000
#: Distinct answer forms remembered: ``check_answers`` is pure, and satisfaction answers repeat a lot.
MEMO_SIZE = 20000


@dataclass(frozen=True, slots=True)
class ImportRow:
    """One checked data row, ready to store."""

    line: int  # spreadsheet row number (the first row of the file is 1)
    unit_id: int | None
    unit_name_given: str | None
    submitted_at: datetime | None  # naive UTC; None → the service uses the import time
    duration_seconds: int | None
    answers: dict[str, Answer]
    ip: str | None
    source: str | None
    #: 问卷星 identity (hash of survey title, 序号, 提交答卷时间): a later file repeating the row skips it.
    source_key: str | None = None


def source_key(title: str, seq: str, submitted) -> str:
    """The identity of a 问卷星 answer, the same in its 按文本 and 按序号 downloads."""
    text = f"{squash(title)}|{seq}|{submitted:%Y-%m-%d %H:%M:%S}"
    return "wjx:" + hashlib.sha256(text.encode()).hexdigest()[:40]


class ImportReader(UnitColumns):
    def __init__(self, frame: pd.DataFrame, questionnaire: Questionnaire, units: list[UnitRef],
                 spec: MappingSpec | None = None, unit: str | None = None, filename: str = "",
                 known_keys: set[str] | frozenset[str] = frozenset()):
        self.questionnaire = questionnaire
        self.spec = spec or MappingSpec()
        self.report = ImportReport(filename=filename)
        self.matcher = UnitMatcher(units, self.spec.unit_aliases, self.spec.unit_choices)
        self.known_keys = known_keys
        self.skip_units = {squash(v) for v in self.spec.skip_units}
        #: Called with the number of data rows read so far, once per chunk (a progress bar).
        self.progress: Callable[[int], None] | None = None
        # No copy unless needed: the shared reader (domain.cells) never leaves missing cells.
        self.frame = frame.fillna("") if len(frame) and frame.isna().to_numpy().any() else frame
        self._validated = False
        self._durations: dict[str, object] = {}
        self.fixed = None
        self.ready = self._plan(units, unit or self.spec.unit, filename)

    def _plan(self, units: list[UnitRef], unit: str | None, filename: str) -> bool:
        report = self.report
        if self.frame.empty or not any(self.frame.iloc[0].str.strip()):
            report.file_problems.append(zh.EMPTY_FILE)
            return False
        top = [[v.strip() for v in row] for row in self.frame.head(HEADER_SCAN).itertuples(index=False, name=None)]
        headers, self.header_rows, notes = assemble_headers(top)
        report.header_rows, report.notes = self.header_rows, notes
        report.title = next((n.split(":", 1)[1] for n in notes if n.startswith("title:")), "")
        uses, report.unmapped = resolve_columns(headers, self.questionnaire, self.spec)
        if units and not unit and not any(u.kind == "meta" and u.target in ("unit", "unit_code") for u in uses):
            uses = self._unit_by_content(uses)
        elif any(u.kind == "meta" and u.target in ("unit", "unit_code") for u in uses):
            report.unit_found_by = "header"
        report.columns = uses
        self.meta = {u.target: u.index for u in uses if u.kind == "meta"}
        self.question_uses = [u for u in uses if u.kind in ("question", "option")]
        covered = {u.target for u in self.question_uses}
        for q in self.questionnaire.questions:
            if q.id not in covered:
                (report.missing_required if q.required and not q.show_if else report.missing_optional).append(q.id)
        report.rows_total = max(0, len(self.frame) - self.header_rows)
        if not self.question_uses:
            report.file_problems.append(zh.NO_QUESTIONS)
        if report.rows_total == 0:
            report.file_problems.append(zh.NO_DATA)
        report.numbering = self._numbering(filename)
        wjx = {"submitted_at", "duration"} <= set(self.meta) and bool({"source", "ip"} & set(self.meta))
        report.layout = ("wjx_number" if report.numbering == "position" else "wjx_text") if wjx else "table"
        self.lookups = {q.id: OptionLookup(q, self.spec.values.get(q.id), report.numbering == "position")
                        for q in self.questionnaire.questions if question_types.is_choice(q)}
        self._unit_mode(units, unit)
        return not report.file_problems

    def _numbering(self, filename: str) -> str:
        """Forced by the mapping, told by 问卷星's file name, or seen in the choice columns."""
        if self.spec.numbering:
            return self.spec.numbering
        if "按序号" in filename:
            return "position"
        if "按文本" in filename or "按选项文本" in filename:
            return "label"
        digits_only, all_known = True, True
        for use in self.question_uses:
            question = self.questionnaire.question(use.target)
            if use.kind != "question" or not question_types.is_choice(question):
                continue
            lookup = OptionLookup(question, self.spec.values.get(question.id))
            for raw in self.frame.iloc[self.header_rows:, use.index].unique()[:200]:
                for part in tidy(raw).split(JOIN):
                    if is_skipped(part):
                        continue
                    digits_only = digits_only and part.isdigit()
                    all_known = all_known and lookup.key(part) is not None
        return "position" if digits_only and not all_known else "label"

    def validate(self) -> ImportReport:
        """Walk every row once, filling the report's counts and problems."""
        if not self._validated:
            for _ in self.rows():
                pass
        return self.report

    def rows(self) -> Iterator[ImportRow]:
        """Yield the rows without problems; the first walk records problems in the report."""
        if not self.ready:
            return
        record = not self._validated
        caches: dict[int, dict[str, object]] = {u.index: {} for u in self.question_uses}
        memo: dict[tuple, object] = {}
        for line, row in self._data():
            if not "".join(row).strip():
                self.report.rows_blank += record
                continue
            identity = self._source_key(row)
            if identity is not None and identity in self.known_keys:
                self.report.rows_already += record
                continue
            problems: list[str] = []
            form = self._form(row, line, caches, problems, record)
            key = tuple((k, tuple(v)) for k, v in form.items())
            sheet = memo.get(key)
            if sheet is None:
                if len(memo) >= MEMO_SIZE:
                    memo.clear()
                sheet = memo[key] = check_answers(self.questionnaire, form)
            unknown = {p.split("：", 1)[0] for p in problems}  # an unknown option is reported once, not as "required"
            problems.extend(zh.answer_problem(code, self.questionnaire.question(qid))
                            for qid, code in sheet.errors.items() if qid not in unknown)
            meta = self._meta(row, line, problems, record)
            if meta is _SKIP:
                continue
            if problems:
                if record:
                    self.report.add_row_problem(line, problems)
                continue
            self.report.rows_ok += record
            yield ImportRow(line, *meta[:4], sheet.answers, *meta[4:], identity)
        self._validated = True
        self.report.rows_checked = True

    def _source_key(self, row) -> str | None:
        """The row's 问卷星 identity, when the file has 序号 and 提交答卷时间 (None otherwise)."""
        if "seq" not in self.meta or "submitted_at" not in self.meta:
            return None
        seq, cell = tidy(row[self.meta["seq"]]), tidy(row[self.meta["submitted_at"]])
        if is_skipped(seq) or is_skipped(cell):
            return None
        try:
            return source_key(self.report.title, seq, parse_beijing_time(cell))
        except ValueError:
            return None

    def _data(self) -> Iterator[tuple[int, list[str]]]:
        """(spreadsheet line, cells) of every data row, converted CHUNK rows at a time.

        Converting chunk by chunk keeps one chunk of Python strings alive, not the whole file.
        """
        for start in range(self.header_rows, len(self.frame), CHUNK):
            cells = self.frame.iloc[start:start + CHUNK].to_numpy(dtype=object).tolist()
            yield from enumerate(cells, start=start + 1)
            if self.progress is not None:
                self.progress(min(start + CHUNK, len(self.frame)) - self.header_rows)

    def _form(self, row, line, caches, problems, record) -> dict[str, list[str]]:
        form: dict[str, list[str]] = {}
        for use in self.question_uses:
            raw = row[use.index]
            cache = caches[use.index]
            if raw not in cache:
                cache[raw] = self._cell(use, raw)
            value = cache[raw]
            if isinstance(value, _Unknown):
                problems.append(zh.unknown_option(use.target, value.text))
                if record:
                    self.report.add_unknown(use, value.text, line)
                continue
            if value:
                form.setdefault(field_name(use.target), []).extend(value)
        return form

    def _cell(self, use: ColumnUse, raw: str):
        """Parse one cell: a tuple of option keys / the text, or ``_Unknown``."""
        cell = tidy(raw)
        if is_skipped(cell):
            return ()
        question = self.questionnaire.question(use.target)
        if use.kind == "option":
            if cell.lower() in TICKED or cell == use.option_key or self.lookups[question.id].key(cell) == use.option_key:
                return (use.option_key,)
            return () if cell.lower() in UNTICKED else _Unknown(cell)
        if not question_types.is_choice(question):
            return (str(raw).strip(),)  # text as typed: no NFKC on the respondent's words
        parts = [p for p in question_types.of(question).cell_keys(question, cell) if not is_skipped(p.strip())]
        keys = tuple(self.lookups[question.id].key(p.strip()) for p in parts)
        return _Unknown(cell) if None in keys else keys

    def _meta(self, row, line, problems, record) -> tuple:
        submitted = duration = None
        if "submitted_at" in self.meta and not is_skipped(cell := tidy(row[self.meta["submitted_at"]])):
            try:
                submitted = parse_beijing_time(cell)
            except ValueError:
                problems.append(zh.bad_time(cell))
        if "duration" in self.meta:
            raw = row[self.meta["duration"]]
            if raw not in self._durations:
                try:
                    self._durations[raw] = parse_duration(tidy(raw))
                except ValueError:
                    self._durations[raw] = _Unknown(tidy(raw))
            duration = self._durations[raw]
            if isinstance(duration, _Unknown):
                problems.append(zh.bad_duration(duration.text))
                duration = None
        unit = self._unit(row, line, problems, record)
        if unit is _SKIP:
            return _SKIP
        unit_id, given = unit
        ip = split_ip(tidy(row[self.meta["ip"]])) if "ip" in self.meta else None
        source = tidy(row[self.meta["source"]]) or None if "source" in self.meta else None
        return unit_id, given, submitted, duration, ip, source

class _Unknown:
    __slots__ = ("text",)

    def __init__(self, text: str):
        self.text = text

"""The import report: what a dry run found, and what a real import did.

One object serves the CLI (``texts_zh.report_lines``), the upload page (``to_dict``, JSON-ready)
and the service (``importable`` decides whether ``commit`` may write).  Long lists are capped
(``MAX_LISTED``) so a 10⁵-row file with a systematic problem still gives a readable report;
the counts are always complete.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from .mapping import ColumnUse, Unmapped

#: Rows listed per problem kind (the counts cover all rows).
MAX_LISTED = 200
#: Row numbers kept per unknown value / unit.
MAX_LINES = 10


@dataclass
class UnknownValue:
    header: str
    question_id: str
    value: str
    count: int = 0
    lines: list[int] = field(default_factory=list)


@dataclass
class UnitProblem:
    """Rows naming one unit the list does not resolve: ``kind`` "unknown" (not in the list) or
    "ambiguous" (several units share the name); ``suggestions`` are ``{"id", "name", "credit_code"}``
    (close names, or the units sharing the name) the evaluator may choose for all these rows."""

    value: str
    kind: str = "unknown"
    count: int = 0
    lines: list[int] = field(default_factory=list)
    suggestions: list[dict] = field(default_factory=list)


@dataclass
class SkippedRows:
    """Rows not imported on purpose: a unit the evaluator skipped, or answers imported before."""

    value: str
    count: int = 0
    lines: list[int] = field(default_factory=list)


@dataclass
class RowProblem:
    line: int
    messages: list[str]


@dataclass
class ImportReport:
    filename: str = ""
    file_hash: str = ""
    #: "wjx_text" (问卷星 按选项文本), "wjx_number" (问卷星 按序号) or "table" (any other sheet).
    layout: str = "table"
    #: How option cells are read: "label" (text or key) or "position" (1..n, 按序号).
    numbering: str = "label"
    header_rows: int = 1
    unit_mode: str = "column"  # column | fixed | none
    fixed_unit: str | None = None
    rows_total: int = 0
    rows_blank: int = 0
    rows_ok: int = 0
    rows_with_problems: int = 0
    #: Rows naming a unit the evaluator chose to skip.
    rows_skipped: int = 0
    #: Rows whose 问卷星 identity (序号 + 提交答卷时间 + survey title) an earlier import already holds.
    rows_already: int = 0
    #: False when a problem with the whole file stopped the row-by-row check (counts are then not known).
    rows_checked: bool = False
    #: The questionnaire title the file carries (title row, or 问卷星's file name), part of each row's identity.
    title: str = ""
    #: "header" or "content" (most values are unit names or credit codes) when a unit column was found.
    unit_found_by: str | None = None
    #: The mapping came from the last import into this survey (nothing uploaded or chosen this time).
    mapping_remembered: bool = False
    columns: list[ColumnUse] = field(default_factory=list)
    unmapped: list[Unmapped] = field(default_factory=list)
    missing_required: list[str] = field(default_factory=list)
    missing_optional: list[str] = field(default_factory=list)
    unknown_values: dict[tuple[int, str], UnknownValue] = field(default_factory=dict)
    unit_problems: dict[str, UnitProblem] = field(default_factory=dict)
    skipped_units: dict[str, SkippedRows] = field(default_factory=dict)
    row_problems: list[RowProblem] = field(default_factory=list)
    #: Problems with the whole file (unreadable, no questions, duplicate…): Chinese sentences.
    file_problems: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    #: Set by a real import.
    imported: int = 0
    batch_id: int | None = None
    screening: dict[str, int] | None = None

    @property
    def importable(self) -> bool:
        """True when a real import would write every data row and nothing is in doubt."""
        return not self.file_problems and not self.missing_required and self.rows_with_problems == 0 \
            and self.rows_ok > 0 and self.rows_checked

    @property
    def nothing_new(self) -> bool:
        """Every data row was imported before: not an error, but nothing to do."""
        return self.rows_checked and self.rows_ok == 0 and self.rows_already > 0 and self.rows_with_problems == 0

    def add_unknown(self, use: ColumnUse, value: str, line: int) -> None:
        item = self.unknown_values.setdefault((use.index, value), UnknownValue(use.header, use.target, value))
        item.count += 1
        if len(item.lines) < MAX_LINES:
            item.lines.append(line)

    def add_unit_problem(self, value: str, line: int, kind: str, candidates) -> None:
        """Count a row under its unit name; ``candidates()`` gives the ``UnitRef`` choices (first row only)."""
        item = self.unit_problems.get(value)
        if item is None:
            item = self.unit_problems[value] = UnitProblem(value, kind, suggestions=[
                {"id": u.id, "name": u.name, "credit_code": u.credit_code} for u in candidates()])
        item.count += 1
        if len(item.lines) < MAX_LINES:
            item.lines.append(line)

    def add_skipped(self, value: str, line: int) -> None:
        item = self.skipped_units.setdefault(value, SkippedRows(value))
        item.count += 1
        self.rows_skipped += 1
        if len(item.lines) < MAX_LINES:
            item.lines.append(line)

    def add_row_problem(self, line: int, messages: list[str]) -> None:
        self.rows_with_problems += 1
        if len(self.row_problems) < MAX_LISTED:
            self.row_problems.append(RowProblem(line, messages))

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready data for the upload page (lists in file order)."""
        return {
            "filename": self.filename,
            "file_hash": self.file_hash,
            "layout": self.layout,
            "numbering": self.numbering,
            "header_rows": self.header_rows,
            "unit_mode": self.unit_mode,
            "fixed_unit": self.fixed_unit,
            "importable": self.importable,
            "title": self.title,
            "unit_found_by": self.unit_found_by,
            "mapping_remembered": self.mapping_remembered,
            "counts": {"rows": self.rows_total, "blank": self.rows_blank, "ok": self.rows_ok,
                       "with_problems": self.rows_with_problems, "skipped": self.rows_skipped,
                       "already_imported": self.rows_already, "checked": self.rows_checked,
                       "imported": self.imported},
            "columns": [asdict(c) for c in self.columns],
            "unmapped": [asdict(u) for u in self.unmapped],
            "missing_required": list(self.missing_required),
            "missing_optional": list(self.missing_optional),
            "unknown_values": [asdict(v) for v in self.unknown_values.values()],
            "unit_problems": [asdict(u) for u in self.unit_problems.values()],
            "skipped_units": [asdict(u) for u in self.skipped_units.values()],
            "row_problems": [asdict(r) for r in self.row_problems],
            "file_problems": list(self.file_problems),
            "notes": list(self.notes),
            "batch_id": self.batch_id,
            "screening": self.screening,
        }

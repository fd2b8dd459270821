"""Read a unit list (the evaluator's spreadsheet) into clean unit rows with a report.

Headers are recognised by their common Chinese names (序号, 县（市、区）, 单位名称 /
企业名称, 类别, 统一社会信用代码, 最少有效份数); every other column is kept as a unit
attribute under its original header, in file order.  Nothing is written anywhere here:
the caller decides, from the report, whether to import.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field

import pandas as pd

from .credit_code import is_valid_credit_code
from .spreadsheet import SheetLimits

#: Unit lists are a few hundred rows; anything bigger is almost certainly the wrong file.
MAX_UNITS = 5000
#: How much an .xlsx unit list may hold (a title row or two above the header fit in the lines).
SHEET_LIMITS = SheetLimits(max_lines=MAX_UNITS + 10, max_columns=200, max_unpacked=32 * 1024 * 1024)

#: Normalised header → field.  Normalising removes spaces and unifies bracket widths.
HEADER_FIELDS = {
    "序号": "seq",
    "县(市、区)": "county", "县(市,区)": "county", "县区": "county", "区县": "county", "所属县区": "county",
    "县(市区)": "county", "县市区": "county", "所在县区": "county",
    "单位名称": "name", "企业名称": "name", "名称": "name", "专业镇名称": "name", "受益单位": "name",
    "类别": "category", "单位类别": "category", "类型": "category", "单位类型": "category",
    "统一社会信用代码": "credit_code", "信用代码": "credit_code", "社会信用代码": "credit_code",
    "最少有效份数": "min_valid", "最低有效份数": "min_valid", "最少有效答卷": "min_valid", "最少份数": "min_valid",
}


@dataclass
class UnitRow:
    line: int  # spreadsheet row number as the evaluator sees it (header = 1)
    name: str
    seq: int
    category: str = ""
    county: str = ""
    credit_code: str | None = None
    min_valid: int | None = None
    attributes: dict[str, str] = field(default_factory=dict)


@dataclass
class UnitTable:
    rows: list[UnitRow]
    columns: dict[str, str]  # original header → recognised field or "attribute"
    errors: list[str] = field(default_factory=list)
    #: Groups of rows naming the same unit (same credit code, or same name): line numbers.
    duplicates: list[list[int]] = field(default_factory=list)


def normalise_header(header: str) -> str:
    text = re.sub(r"\s+", "", str(header)).replace("（", "(").replace("）", ")").replace("，", ",")
    return text


def read_unit_frame(frame: pd.DataFrame, default_min: int = 5) -> UnitTable:
    """Turn a DataFrame of strings into unit rows, collecting every problem.

    Errors (missing name, wrong credit-code check character, bad minimum) block an
    import; duplicates are reported for the evaluator to merge or keep.
    """
    columns = {str(h): HEADER_FIELDS.get(normalise_header(h), "attribute") for h in frame.columns}
    table = UnitTable(rows=[], columns=columns)
    if "name" not in columns.values():
        table.errors.append("找不到单位名称列（可用表头：单位名称、企业名称、名称）")
        return table
    for index, record in enumerate(frame.fillna("").astype(str).to_dict("records")):
        row = _read_row(index + 2, record, columns, default_min, table.errors)
        if row is not None:
            table.rows.append(row)
    table.duplicates = find_duplicates(table.rows)
    return table


def _read_row(line: int, record: dict, columns: dict, default_min: int, errors: list[str]) -> UnitRow | None:
    values = {columns[h]: str(v).strip() for h, v in record.items() if columns[h] != "attribute"}
    attributes = {h: _tidy(v) for h, v in record.items() if columns[h] == "attribute" and str(v).strip()}
    if not any(str(v).strip() for v in record.values()):
        return None  # blank line
    name = values.get("name", "")
    if not name:
        errors.append(f"第{line}行：缺少单位名称")
        return None
    code = values.get("credit_code", "").upper() or None
    if code and not is_valid_credit_code(code):
        errors.append(f"第{line}行：统一社会信用代码“{code}”校验位不正确或格式错误（{name}）")
    min_valid = default_min
    if values.get("min_valid"):
        try:
            min_valid = int(float(values["min_valid"]))
            if min_valid < 0:
                raise ValueError
        except ValueError:
            errors.append(f"第{line}行：最少有效份数“{values['min_valid']}”不是非负整数（{name}）")
    seq = _int_or(values.get("seq"), line - 1)
    return UnitRow(line, name, seq, values.get("category", ""), values.get("county", ""), code, min_valid, attributes)


def _tidy(value: str) -> str:
    """Render numbers as typed: 30.0 read from Excel becomes 30."""
    text = str(value).strip()
    return text[:-2] if re.fullmatch(r"-?\d+\.0", text) else text


def _int_or(value: str | None, default: int) -> int:
    try:
        return int(float(value)) if value else default
    except ValueError:
        return default


def find_duplicates(rows: list[UnitRow]) -> list[list[int]]:
    """Group rows that name the same unit: equal credit codes, else equal names."""
    groups: dict[str, list[int]] = defaultdict(list)
    for row in rows:
        groups[row.credit_code or f"name:{normalise_header(row.name)}"].append(row.line)
    return [lines for lines in groups.values() if len(lines) > 1]


def merge_duplicates(rows: list[UnitRow]) -> list[UnitRow]:
    """Merge each duplicate group into its first row; differing attributes are joined with "；".

    A unit holding two awards answers as one beneficiary: one link, one minimum.
    """
    by_line = {row.line: row for row in rows}
    merged_away: set[int] = set()
    for lines in find_duplicates(rows):
        first = by_line[lines[0]]
        for line in lines[1:]:
            other = by_line[line]
            for key, value in other.attributes.items():
                if value and value not in first.attributes.get(key, "").split("；"):
                    first.attributes[key] = "；".join(filter(None, [first.attributes.get(key, ""), value]))
            merged_away.add(line)
    return [row for row in rows if row.line not in merged_away]

"""Column headers: normalise them, recognise 问卷星's fixed columns, rebuild merged header rows.

Headers are compared after ``normalise``: NFKC (full-width → half-width), numbering such as
"1、", "Q1：", "第1题", "1." removed, then every space and punctuation mark dropped, so
"1、您对宣传 是否满意？" and "您对宣传是否满意" are the same question.
"""

from __future__ import annotations

import re
import unicodedata

#: Leading question numbering as 问卷星, Excel users and paper forms write it.
_NUMBERING = re.compile(
    r"^\s*(?:第\s*(\d+)\s*题|[Qq]\s*(\d+)(?=\D|$)|(\d+)(?=[、.:)\]】\s(]|$))\s*[、.:)\]】]?\s*"
)
_PUNCT = re.compile(r"[\W_]+", re.UNICODE)

#: Normalised header → meta field.  Everything not here and not a question is "unmapped".
META_FIELDS = {
    "序号": "seq", "编号": "seq", "答卷编号": "seq", "答卷序号": "seq",
    "提交答卷时间": "submitted_at", "提交时间": "submitted_at", "答卷时间": "submitted_at", "填写时间": "submitted_at",
    "所用时间": "duration", "答题时间": "duration", "答题时长": "duration", "作答时长": "duration", "用时": "duration",
    "填写用时": "duration",
    "来源": "source", "来源详情": "source_detail", "来源渠道": "source",
    "来自ip": "ip", "ip": "ip", "ip地址": "ip", "填写ip": "ip",
    "单位名称": "unit", "企业名称": "unit", "单位": "unit", "受益单位": "unit", "所在单位": "unit", "名称": "unit",
    "统一社会信用代码": "unit_code", "信用代码": "unit_code", "社会信用代码": "unit_code",
    "总分": "ignore", "备注": "ignore",
}
#: Meta fields a mapping file may name as a column target.
META_TARGETS = frozenset({"seq", "submitted_at", "duration", "source", "source_detail", "ip", "unit", "unit_code",
                          "ignore"})


def nfkc(text: str) -> str:
    return unicodedata.normalize("NFKC", str(text)).strip()


def split_number(header: str) -> tuple[int | None, str]:
    """Split "3、您对…" / "Q3：…" / "第3题…" into (3, "您对…"); (None, header) without numbering."""
    text = nfkc(header)
    match = _NUMBERING.match(text)
    if not match or match.end() == 0:
        return None, text
    number = next(int(g) for g in match.groups() if g)
    return number, text[match.end():]


def squash(text: str) -> str:
    """Drop spaces and punctuation and lower-case: the comparable form of a label or text."""
    return _PUNCT.sub("", nfkc(text)).lower()


def normalise(header: str) -> str:
    """Return the comparable form of a header: numbering, spaces and punctuation removed."""
    return squash(split_number(header)[1])


#: Words around a unit question's name that do not change what it asks ("您所在的…", "贵…", "…是").
_UNIT_AROUND = re.compile(r"^(?:请(?:填写|输入|选择)?|您(?:所在|所属|的)?(?:的)?|贵|本|所在|所属|填报)+|(?:是|为|全称)$")
#: Unit question names, compared after ``normalise`` and ``_UNIT_AROUND``; "企业（专业镇）名称" → "企业专业镇名称".
UNIT_NAMES = frozenset({
    "单位名称", "单位", "企业名称", "企业", "公司名称", "公司", "填写单位", "受益单位", "受益单位名称", "受益企业",
    "受益企业名称", "企业专业镇名称", "专业镇名称", "机构名称", "单位全称", "企业全称", "公司全称", "项目单位",
    "申报单位", "申报单位名称", "申报企业", "申报企业名称", "用款单位", "填报单位",
})
UNIT_CODE_NAMES = frozenset({"统一社会信用代码", "信用代码", "社会信用代码", "单位统一社会信用代码",
                             "企业统一社会信用代码", "统一代码"})


def unit_header(header: str) -> str | None:
    """Return "unit" / "unit_code" when a header asks for the respondent's unit, whatever its wording.

    "1、您所在的单位名称：", "企业（专业镇）名称", "贵单位名称", "Q2. 统一社会信用代码（18位）" …:
    numbering and punctuation go (``normalise``), then polite words around the name, and a
    trailing bracketed note ("（18位）", "（盖章）").
    """
    text = nfkc(header)
    candidates = {normalise(text), normalise(re.sub(r"[(（][^()（）]*[)）]\s*[:：]?\s*$", "", text))}
    for name in candidates:
        core = _UNIT_AROUND.sub("", name)
        for form in (name, core, _UNIT_AROUND.sub("", core)):
            if form in UNIT_CODE_NAMES:
                return "unit_code"
            if form in UNIT_NAMES:
                return "unit"
    return None


def meta_field(header: str) -> str | None:
    """Name the 问卷星 / spreadsheet meta column a header stands for, if any ("1、单位名称" too)."""
    return META_FIELDS.get(squash(header)) or META_FIELDS.get(normalise(header)) or unit_header(header)


def option_splits(header: str) -> list[tuple[str, str]]:
    """Possible (question part, option part) readings of a per-option header.

    问卷星 and hand-made sheets write one column per option as "2、…:选项A", "2、…：选项A",
    "2、…(选项A)", "第2题(选项A)" or "2(选项A)"; the last separator is tried first.
    """
    text = nfkc(header)
    splits = []
    for sep in (":", "："):
        cut = text.rfind(sep)
        if 0 < cut < len(text) - 1:
            splits.append((text[:cut], text[cut + 1:]))
    match = re.match(r"^(.*?)[(（]([^()（）]+)[)）]\s*$", text)
    if match and match.group(1).strip():
        splits.append((match.group(1), match.group(2)))
    return splits


def matrix_splits(header: str) -> list[tuple[str, str]]:
    """Possible (matrix part, row part) readings of a 矩阵量表题 column header.

    问卷星 writes one column per row as "5(奖补资金发放时间)", "5—奖补资金发放时间" or
    "5、请评价以下各项—奖补资金发放时间"; the matrix part may be a number, the matrix's
    text, or both.
    """
    text = nfkc(header)
    splits = []
    for sep in ("—", "－", "--", "-"):
        cut = text.find(sep)
        if 0 < cut < len(text) - len(sep):
            splits.append((text[:cut], text[cut + len(sep):]))
    match = re.match(r"^(.*?)[(（]([^()（）]+)[)）]\s*$", text)
    if match and match.group(1).strip():
        splits.append((match.group(1), match.group(2)))
    return splits


def assemble_headers(grid: list[list[str]]) -> tuple[list[tuple[str, ...]], int, list[str]]:
    """Turn the top rows of a sheet into per-column header candidates.

    :param grid: the first rows of the sheet as strings ("" for empty cells).
    :returns: (candidates per column, most specific first; rows used by the header; notes).

    Merged header cells arrive as one value and empty neighbours.  A single-value first
    row is a title and is skipped.  A header row with empty cells followed by a row that
    fills some of them is a two-row header: the lower row names options of the group
    above ("3、渠道" over "主管部门", "政府网站" → "3、渠道:主管部门" …), and a column empty
    below keeps the value above it (vertically merged "序号").
    """
    notes: list[str] = []
    start = 0
    if len(grid) > 1 and len(grid[0]) >= 3 and sum(1 for v in grid[0] if v.strip()) == 1:
        start = 1
        notes.append(f"title:{next(v for v in grid[0] if v.strip()).strip()}")
    top = [v.strip() for v in grid[start]] if len(grid) > start else []
    sub = [v.strip() for v in grid[start + 1]] if len(grid) > start + 1 else []
    holes = [i for i, v in enumerate(top) if not v]
    two_rows = (bool(holes) and any(sub[i] for i in holes if i < len(sub))
                and any(not sub[i] for i, v in enumerate(top) if v and i < len(sub)))
    if not two_rows:
        return [(v,) for v in top], start + 1, notes
    notes.append("two_row_header")
    columns: list[tuple[str, ...]] = []
    fill = ""
    for i, above in enumerate(top):
        fill = above or fill
        below = sub[i] if i < len(sub) else ""
        if not below:
            columns.append((above or fill,))
        elif fill:
            columns.append((f"{above or fill}:{below}", below))
        else:
            columns.append((below,))
    return columns, start + 2, notes

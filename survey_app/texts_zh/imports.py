"""Chinese sentences of the answer import and its report."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..domain.vocabulary import AnswerProblem as codes

if TYPE_CHECKING:
    from ..domain.questionnaire import Question

LAYOUTS = {"wjx_text": "问卷星（按选项文本下载）", "wjx_number": "问卷星（按序号下载）", "table": "普通表格"}
NUMBERING = {"label": "按选项文字或代码", "position": "按选项序号（1、2、3…）"}
HOW = {"mapping": "对应文件", "meta": "固定列", "id": "题号", "text": "题目文字", "text_order": "题目文字，同名题按顺序",
       "number": "题目序号+选项", "option_label": "题目文字+选项", "matrix_row": "矩阵题+小题文字",
       "content": "按内容识别"}
META = {"seq": "序号（不导入）", "submitted_at": "提交时间", "duration": "所用时间", "source": "来源",
        "source_detail": "来源详情（不导入）", "ip": "来自IP（仅存散列值）", "unit": "单位名称", "unit_code": "统一社会信用代码",
        "ignore": "忽略"}

EMPTY_FILE = "文件是空的，或第一张工作表中没有任何内容"
NO_DATA = "文件只有表头，没有答卷数据"
NO_QUESTIONS = "没有任何一列能对应到本问卷的题目（请检查表头，或使用对应文件）"
NO_UNIT_COLUMN = ("找不到单位列。可以：① 在“列的对应”中把写有单位名称或统一社会信用代码的列设为“单位名称”；"
                  "② 指定全部答卷归属的一个单位（命令行 --unit）；③ 作为不归属任何单位的答卷导入（开放链接收集的答卷，"
                  "对应文件 unknown_units: other，页面上选“不归属单位”）")
#: Roles a column can be given on the mapping step (the dropdown's groups).
ROLES = {"question": "题目", "unit": "单位", "meta": "答卷信息", "ignore": "忽略"}
UNIT_FOUND_BY = {"header": "按列名识别", "content": "按内容识别（多数值是名单中的单位名称或信用代码）"}
UNIT_MODES = {"column": "按文件中的单位列匹配", "fixed": "全部归属一个单位", "none": "不归属单位（开放链接答卷）"}
#: Report labels, one per count; they add up to the data rows.
COUNTS = {"ok": "可导入", "with_problems": "有问题", "skipped": "按选择跳过", "already": "已导入过（跳过）", "blank": "空行"}


def unreadable(filename: str, detail: str) -> str:
    return f"无法读取文件“{filename}”：{detail}"


def unknown_fixed_unit(value: str, suggestions: list[str]) -> str:
    hint = f"，是否为：{'、'.join(suggestions)}？" if suggestions else ""
    return f"指定的单位“{value}”不在本调查的单位名单中{hint}"


def duplicate_file(batch_id: int, when: str, rows: int, filename: str) -> str:
    return f"同一文件已于{when}导入本调查（批次#{batch_id}，{rows}份，文件名“{filename}”），不能重复导入"


def answer_problem(code: str, question: Question) -> str:
    what = {
        codes.REQUIRED: "必答题未作答",
        codes.INVALID_OPTION: "选项无效（单选题只能选一项）",
        codes.TOO_MANY: f"最多可选{question.max_choices}项",
        codes.TOO_LONG: f"内容超过{question.max_length}字",
        codes.NOT_A_NUMBER: "不是数字",
        codes.BELOW_MIN: f"不能小于{question.min_value:g}" if question.min_value is not None else "数值过小",
        codes.ABOVE_MAX: f"不能大于{question.max_value:g}" if question.max_value is not None else "数值过大",
    }.get(code, "回答有误")
    return f"{question.id}：{what}"


def unknown_option(question_id: str, value: str) -> str:
    return f"{question_id}：“{value}”不是该题的选项"


def ambiguous_unit(value: str, count: int) -> str:
    return f"单位“{value}”在名单中有{count}个同名单位，需选择归属（或加入统一社会信用代码列）"


def already_imported(count: int) -> str:
    return f"已导入过 {count} 份，跳过"


def screening_text(counts: dict[str, int] | None) -> str:
    if not counts:
        return ""
    labels = {"valid": "有效", "flagged": "存疑", "excluded": "剔除"}
    return "，".join(f"{labels.get(k, k)} {v}" for k, v in sorted(counts.items(), key=lambda kv: list(labels).index(kv[0])
                                                                  if kv[0] in labels else 9))


def unknown_unit(value: str) -> str:
    return f"单位“{value}”不在单位名单中" if value else "没有填写单位"


def bad_time(value: str) -> str:
    return f"提交答卷时间“{value}”无法识别"


def bad_duration(value: str) -> str:
    return f"所用时间“{value}”无法识别"


def lines_text(lines: list[int], count: int) -> str:
    text = "、".join(str(n) for n in lines)
    return f"第{text}行" + (f"等共{count}行" if count > len(lines) else "")


def target_text(use) -> str:
    """What a recognised column holds, in words (a question id, an option of it, or a meta field)."""
    if use.kind == "meta":
        return META.get(use.target, use.target)
    if use.kind == "option":
        return f"{use.target} 选项 {use.option_key}"
    return use.target


def count_line(report) -> str:
    """The data rows and where each went; the parts add up to the total."""
    if not report.rows_checked:
        return f"数据行 {report.rows_total}：文件有问题，未逐行检查"
    parts = {"ok": report.rows_ok, "with_problems": report.rows_with_problems, "skipped": report.rows_skipped,
             "already": report.rows_already, "blank": report.rows_blank}
    shown = "，".join(f"{COUNTS[k]} {v}" for k, v in parts.items() if v or k in ("ok", "with_problems"))
    return f"数据行 {report.rows_total}：{shown}"


def verdict(report) -> str:
    if report.batch_id is not None:
        return f"已导入 {report.imported} 份答卷（批次#{report.batch_id}）。筛查结果：{screening_text(report.screening)}"
    if report.importable:
        return f"可以导入：共 {report.rows_ok} 份答卷"
    if report.nothing_new:
        return f"文件中的答卷都已导入过（{report.rows_already} 份），无需再导入"
    return "不能导入：请先处理以上问题（未写入任何数据）"


def report_lines(report, cli: bool = True) -> list[str]:
    """Render an ``ImportReport`` as readable Chinese lines (the CLI's report, one concern per block)."""
    title = f"  问卷标题：{report.title}" if report.title else ""
    out = [f"文件：{report.filename}  格式：{LAYOUTS[report.layout]}，选项读取：{NUMBERING[report.numbering]}，"
           f"表头 {report.header_rows} 行{title}", count_line(report)]
    if report.rows_already:
        out.append(already_imported(report.rows_already))
    unit = UNIT_MODES[report.unit_mode]
    if report.unit_mode == "fixed" and report.fixed_unit:
        unit += f"：“{report.fixed_unit}”"
    elif report.unit_mode == "column" and report.unit_found_by:
        unit += f"（{UNIT_FOUND_BY[report.unit_found_by]}）"
    out.append(f"单位：{unit}")
    if report.columns or report.unmapped:
        out.append("列的对应：")
    for use in report.columns:
        out.append(f"  第{use.index + 1}列“{use.header}” → {target_text(use)}（{HOW.get(use.how, use.how)}）")
    for item in report.unmapped:
        hint = f"，题目文字接近 {item.suggestion}" if item.suggestion else ""
        out.append(f"  第{item.index + 1}列“{item.header}” → 未对应，不导入{hint}")
    if report.missing_required:
        out.append(f"缺少必答题的列：{'、'.join(report.missing_required)}")
    if report.missing_optional:
        out.append(f"文件中没有的非必答题或追问：{'、'.join(report.missing_optional)}")
    if report.unknown_values:
        out.append("未知选项：")
    for item in report.unknown_values.values():
        out.append(f"  {item.question_id}（列“{item.header}”）的“{item.value}”：{lines_text(item.lines, item.count)}")
    if report.unit_problems:
        out.append("单位问题：")
    for unit_problem in report.unit_problems.values():
        names = "、".join(f"{s['name']}（编号{s['id']}）" for s in unit_problem.suggestions)
        where = lines_text(unit_problem.lines, unit_problem.count)
        if unit_problem.kind == "ambiguous":
            count = len(unit_problem.suggestions)
            out.append(f"  “{unit_problem.value}”：{where}；名单中有{count}个同名单位：{names}，需选择归属")
        else:
            out.append(f"  “{unit_problem.value}”不在名单中：{where}" + (f"；是否为：{names}？" if names else ""))
    if report.skipped_units:
        out.append("按选择跳过的行：")
    for item in report.skipped_units.values():
        out.append(f"  单位“{item.value}”：{lines_text(item.lines, item.count)}")
    if report.row_problems:
        out.append("有问题的行：")
    for row in report.row_problems:
        out.append(f"  第{row.line}行：{'；'.join(row.messages)}")
    if report.rows_with_problems > len(report.row_problems):
        out.append(f"  ……另有 {report.rows_with_problems - len(report.row_problems)} 行有问题未列出")
    out.extend(f"问题：{problem}" for problem in report.file_problems)
    out.append(verdict(report) + ("（加 --commit 正式导入）" if cli and report.importable and report.batch_id is None
                                  else ""))
    return out

"""Chinese sentences of the answer import and its report."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..domain.vocabulary import AnswerProblem as codes

if TYPE_CHECKING:
    from ..domain.questionnaire import Question

LAYOUTS = {"wjx_text": "问卷星（按选项文本下载）", "wjx_number": "问卷星（按序号下载）", "table": "普通表格"}
NUMBERING = {"label": "按选项文字或代码", "position": "按选项序号（1、2、3…）"}
HOW = {"mapping": "对应文件", "meta": "固定列", "id": "题号", "text": "题目文字", "text_order": "题目文字，同名题按顺序",
       "number": "题目序号+选项", "option_label": "题目文字+选项", "matrix_row": "矩阵题+小题文字"}
META = {"seq": "序号（不导入）", "submitted_at": "提交时间", "duration": "所用时间", "source": "来源",
        "source_detail": "来源详情（不导入）", "ip": "来自IP（仅存散列值）", "unit": "单位名称", "unit_code": "统一社会信用代码",
        "ignore": "忽略"}

EMPTY_FILE = "文件是空的，或第一张工作表中没有任何内容"
NO_DATA = "文件只有表头，没有答卷数据"
NO_QUESTIONS = "没有任何一列能对应到本问卷的题目（请检查表头，或使用对应文件）"
NO_UNIT_COLUMN = "找不到单位列：请在文件中加入“单位名称”或“统一社会信用代码”列，或指定所有答卷所属的单位"


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


def unknown_unit(value: str) -> str:
    return f"单位“{value}”不在单位名单中" if value else "没有填写单位"


def bad_time(value: str) -> str:
    return f"提交答卷时间“{value}”无法识别"


def bad_duration(value: str) -> str:
    return f"所用时间“{value}”无法识别"


def _lines(lines: list[int], count: int) -> str:
    text = "、".join(str(n) for n in lines)
    return f"第{text}行" + (f"等共{count}行" if count > len(lines) else "")


def report_lines(report) -> list[str]:
    """Render an ``ImportReport`` as readable Chinese lines (CLI output)."""
    out = [(f"文件：{report.filename}（SHA-256 {report.file_hash[:12]}）  格式：{LAYOUTS[report.layout]}，"
            f"选项读取：{NUMBERING[report.numbering]}，表头 {report.header_rows} 行")]
    out.append(f"数据行 {report.rows_total}：可导入 {report.rows_ok}，有问题 {report.rows_with_problems}，"
               f"空行 {report.rows_blank}")
    if report.unit_mode == "fixed":
        out.append(f"单位：全部答卷计入“{report.fixed_unit}”")
    if report.columns:
        out.append("列的对应：")
    for use in report.columns:
        target = META.get(use.target, use.target) if use.kind == "meta" else use.target
        if use.kind == "option":
            target = f"{use.target} 选项 {use.option_key}"
        out.append(f"  {use.header} → {target}（{HOW.get(use.how, use.how)}）")
    for item in report.unmapped:
        hint = f"，题目文字接近 {item.suggestion}，可在对应文件中指定" if item.suggestion else ""
        out.append(f"  未对应的列：第{item.index + 1}列“{item.header}”{hint}")
    if report.missing_required:
        out.append(f"缺少必答题的列：{'、'.join(report.missing_required)}")
    if report.missing_optional:
        out.append(f"文件中没有的非必答题或追问：{'、'.join(report.missing_optional)}")
    for item in report.unknown_values.values():
        out.append(f"未知选项：{item.question_id} 的“{item.value}”（列“{item.header}”），{_lines(item.lines, item.count)}")
    for unit in report.unit_problems.values():
        hint = f"；是否为：{'、'.join(unit.suggestions)}？" if unit.suggestions else ""
        out.append(f"未知单位：“{unit.value}”，{_lines(unit.lines, unit.count)}{hint}")
    for row in report.row_problems:
        out.append(f"第{row.line}行：{'；'.join(row.messages)}")
    if report.rows_with_problems > len(report.row_problems):
        out.append(f"……另有 {report.rows_with_problems - len(report.row_problems)} 行有问题未列出")
    out.extend(f"问题：{problem}" for problem in report.file_problems)
    if report.batch_id is not None:
        out.append(f"已导入 {report.imported} 份答卷（批次#{report.batch_id}），筛查结果：{report.screening}")
    elif report.importable:
        out.append(f"可以导入：共 {report.rows_ok} 份答卷（加 --commit 正式导入）")
    else:
        out.append("不能导入：请先处理以上问题（未写入任何数据）")
    return out

"""The audit log in sentences: one Chinese sentence per entry, from its action and before/after data.

The raw before/after stay one click away on the page; the sentence is what a reviewer from
the finance bureau reads.  Unknown actions and missing keys never fail: the action's label
is the fallback sentence.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from .labels import MEMBER_ROLE, audit_action, status, survey_state

Data = Mapping[str, Any] | None

#: Export kinds and formats in words.
EXPORT_WHAT = {"survey_data": "调查数据", "unit_links": "各单位填写链接"}
EXPORT_FORMAT = {"docx": "Word报告", "xlsx": "Excel工作簿", "csv": "CSV原始数据"}
#: Parts of the scoring settings, as the scoring page names them.
SETTINGS_PART = {"scoring": "计分方法", "score_rule": "评分规则", "validity": "有效性规则", "sampling": "抽样设置"}
#: Unit fields (unit.edit) in words.
UNIT_FIELD = {"name": "名称", "county": "县（市、区）", "category": "类别", "credit_code": "统一社会信用代码",
              "min_valid": "最少有效份数", "attributes": "其他属性"}
#: Survey fields (survey.context) in words.
SURVEY_FIELD = {"name": "调查名称", "project_name": "项目名称", "department": "主管部门", "year": "年度",
                "indicator_code": "指标编号", "indicator_name": "指标名称", "indicator_weight": "指标分值",
                "opens_at": "开始时间", "closes_at": "截止时间", "default_min_valid": "默认最少有效份数"}


def _get(data: Data, key: str, default: Any = "") -> Any:
    return (data or {}).get(key, default)


def _decision(before: Data, after: Data) -> str:
    rid = _get(after, "response_id") or _get(before, "response_id")
    change = f"（{status(_get(before, 'status'))}→{status(_get(after, 'status'))}）" if before else ""
    bulk = f"，批量操作共{_get(after, 'bulk')}份" if _get(after, "bulk") else ""
    return f"答卷{rid}{change}，理由：{_get(after, 'reason') or '未注明'}{bulk}"


def _settings(before: Data, after: Data) -> str:
    parts = [label for key, label in SETTINGS_PART.items() if _get(before, key, None) != _get(after, key, None)]
    return "修改了" + ("、".join(parts) if parts else "评分设置")


def _fields(names: Mapping[str, str], before: Data, after: Data) -> str:
    keys = [k for k in (after or {}) if k != "id"]
    shown = [f"{names.get(k, k)}由“{_plain(_get(before, k))}”改为“{_plain(_get(after, k))}”" for k in keys]
    return "；".join(shown) or "无变化"


def _plain(value: Any) -> str:
    if value is None or value == "":
        return "空"
    if isinstance(value, dict):
        return "，".join(f"{k}：{v}" for k, v in value.items()) or "空"
    return str(value)


def _export(before: Data, after: Data) -> str:
    what = EXPORT_WHAT.get(_get(after, "what"), "数据")
    fmt = EXPORT_FORMAT.get(_get(after, "format"), _get(after, "format"))
    rows = f"，{_get(after, 'rows')}行" if _get(after, "rows", None) is not None else ""
    return f"导出{what}（{fmt}{rows}）"


SENTENCES: dict[str, Callable[[Data, Data], str]] = {
    "survey.create": lambda b, a: f"创建调查“{_get(a, 'name')}”（题库{_get(a, 'bank')}）",
    "survey.open": lambda b, a: f"开放调查（{survey_state(_get(b, 'status'))}→{survey_state(_get(a, 'status'))}）",
    "survey.close": lambda b, a: f"结束调查（{survey_state(_get(b, 'status'))}→{survey_state(_get(a, 'status'))}）",
    "survey.context": lambda b, a: "修改基本信息：" + _fields(SURVEY_FIELD, b, a),
    "survey.questionnaire": lambda b, a: "修改问卷内容",
    "survey.member": lambda b, a: f"添加成员{_get(a, 'user')}（{MEMBER_ROLE.get(_get(a, 'role'), _get(a, 'role'))}）",
    "settings.change": _settings,
    "export": _export,
    "response.exclude": lambda b, a: f"{audit_action('response.exclude')}：{_decision(b, a)}",
    "response.restore": lambda b, a: f"{audit_action('response.restore')}：{_decision(b, a)}",
    "response.automatic": lambda b, a: f"{audit_action('response.automatic')}：{_decision(b, a)}",
    "response.paper": lambda b, a: f"录入纸质问卷（答卷{_get(a, 'response_id')}，{_get(a, 'unit')}）",
    "responses.import": lambda b, a: f"导入答卷文件“{_get(a, 'filename')}”，共{_get(a, 'rows')}份",
    "units.import": lambda b, a: f"导入单位名单“{_get(a, 'file')}”，新增{_get(a, 'imported')}个单位，现有{_get(a, 'units')}个",
    "unit.add": lambda b, a: f"添加单位“{_get(a, 'name')}”",
    "unit.edit": lambda b, a: f"修改单位{_get(a, 'id')}：" + _fields(UNIT_FIELD, b, a),
    "unit.delete": lambda b, a: f"删除单位“{_get(b, 'name')}”",
    "unit.token": lambda b, a: f"重新生成单位“{_get(a, 'name')}”的填写链接（旧链接失效）",
}


def sentence(action: str, before: Data, after: Data) -> str:
    """The entry as one sentence; the action's label when its data are not as expected."""
    describe = SENTENCES.get(action)
    if describe is None:
        return audit_action(action)
    try:
        return describe(before, after)
    except (TypeError, ValueError, AttributeError, KeyError):
        return audit_action(action)


def actor_name(actor: str, display_names: Mapping[str, str]) -> str:
    """"user:eva" → the account's display name (its username when it has none); "cli:root" → 命令行（root）."""
    kind, _, who = actor.partition(":")
    if kind == "user":
        return display_names.get(who) or who
    if kind == "cli":
        return f"命令行（{who}）" if who else "命令行"
    return actor

"""The appendix's Chinese sentences, built from summary data (pure functions, unit-tested).

Percentages are printed with two decimals exactly as the summary rounded them; nothing is
re-rounded here, so the sentence, the chart, the table and the workbook always agree.
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any

from ..domain.vocabulary import COUNTED, FlagAction
from ..texts_zh import labels

#: Option labels that read as a predicate after "X%的受益对象…" (非常满意, 不了解 …).
_PREDICATES = ("满意", "不了解", "不清楚", "说不清", "不知道", "了解", "部分了解")
_QUESTION_TAIL = re.compile(r"(是否满意|满意吗|如何|怎么样)?[？?。]*$")



def pct(value: float | None) -> str:
    """Format a percentage already rounded by the summary: 2 decimals, no % sign."""
    return "—" if value is None else f"{value:.2f}"


def num(value: float | None) -> str:
    """Print a rule number without trailing zeros (6, 5.5, 0.25)."""
    if value is None:
        return "—"
    return f"{value:.2f}".rstrip("0").rstrip(".")


def topic_of(question: dict[str, Any]) -> str:
    """The noun phrase of a question: its ``topic``, else its text without "您对…是否满意？"."""
    if question.get("topic"):
        return question["topic"]
    text = question.get("text", "").strip()
    text = text.removeprefix("您对")
    return _QUESTION_TAIL.sub("", text) or question.get("id", "")


def _predicate(label: str) -> bool:
    return label.endswith(_PREDICATES) or label in _PREDICATES


def _clause(share: float, subject: str, label: str, topic: str | None) -> str:
    about = f"对{topic}" if topic else ""
    if _predicate(label):
        return f"{pct(share)}%的{subject}{about}{label}"
    return f"{pct(share)}%的{subject}{about}的评价为“{label}”" if topic else f"{pct(share)}%的{subject}评价为“{label}”"


def satisfaction_sentence(question: dict[str, Any], subject: str = "受益对象", not_scored: str = "exclude") -> str:
    """METHOD.md §5's standard sentence for a scored question, one clause per option in scale order.

    "调查结果显示，A%的受益对象对{topic}非常满意；B%的受益对象比较满意；…。综上，反映出受益对象对
    {topic}满意程度为S%。"  Without answers, or with only not-scored answers, says so instead.
    """
    topic = topic_of(question)
    if not question.get("n"):
        return f"本题暂无有效作答，未能统计{subject}对{topic}的满意程度。"
    options = question["options"]
    clauses = [_clause(o["share"], subject, o["label"], topic if i == 0 else None) for i, o in enumerate(options)]
    text = "调查结果显示，" + "；".join(clauses) + "。"
    skipped = [o for o in options if not o["scored"] and o["count"]]
    if skipped:
        labels = "、".join(f"“{o['label']}”" for o in skipped)
        count = sum(o["count"] for o in skipped)
        text += (f"选择{labels}的{count}份答卷不计入满意度计算。" if not_scored == "exclude"
                 else f"选择{labels}的{count}份答卷按0分计入满意度计算。")
    if question.get("satisfaction") is None:
        return text + "本题答卷均为不计分选项，未计算满意度。"
    return text + f"综上，反映出{subject}对{topic}满意程度为{pct(question['satisfaction'])}%。"


def distribution_sentence(question: dict[str, Any], respondents: int | None = None, subject: str = "受益对象") -> str:
    """Sentence for an unscored choice question (unit information, 是/否 …); multiple choice per respondent."""
    text = question.get("text", "").rstrip("？?")
    if not question.get("n"):
        return f"“{text}”一题暂无有效作答。"
    if question.get("type") == "multiple":
        base = respondents or 0
        parts = [f"选择“{o['label']}”的有{o['count']}人次（占答题{subject}的{_ratio(o['count'], base)}%）"
                 for o in question["options"] if o["count"]]
        return f"“{text}”一题（多选）共有{base}名{subject}作答，" + "；".join(parts) + "。"
    parts = [f"{pct(o['share'])}%的{subject}选择“{o['label']}”" for o in question["options"]]
    return f"“{text}”一题中，" + "；".join(parts) + "。"


def _ratio(count: int, base: int) -> str:
    if not base:
        return "—"
    return pct(round(count * 100 / base + 1e-9, 2))


def chart_caption(question: dict[str, Any]) -> str:
    """"对{topic}满意程度调查数据统计图" (scored) or "“{text}”调查数据统计图" (unscored)."""
    if question.get("scored"):
        return f"对{topic_of(question)}满意程度调查数据统计图"
    return f"“{question.get('text', '').rstrip('？?')}”调查数据统计图"


def table_caption(question: dict[str, Any]) -> str:
    if question.get("scored"):
        return f"对{topic_of(question)}满意程度调查统计表"
    return f"“{question.get('text', '').rstrip('？?')}”调查统计表"


def option_values_zh(questions: list[dict[str, Any]]) -> list[str]:
    """One line per distinct scale of the scored questions: "非常满意100分、…（Q1—Q10）"."""
    scales: dict[tuple, list[str]] = {}
    for q in questions:
        if q.get("scored"):
            key = tuple((o["label"], o["value"]) for o in q["options"])
            scales.setdefault(key, []).append(q["id"])
    lines = []
    for scale, ids in scales.items():
        values = "、".join(f"{label}{num(value)}分" if value is not None else f"{label}（不计分）"
                          for label, value in scale)
        where = f"{ids[0]}—{ids[-1]}" if len(ids) > 2 else "、".join(ids)
        lines.append(f"{values}（适用于{where}，共{len(ids)}题）")
    return lines


def method_zh(scoring: dict[str, Any]) -> dict[str, str]:
    """Say in words how satisfaction was computed (method, not-scored options, rounding, aggregation)."""
    method = {
        "weighted": "赋值加权法。为各选项赋予0—100的分值，单题满意度 = Σ（选项占比 × 选项赋值）。",
        "top2_share": "前两项占比法（满意率）。单题满意度 = 选择赋值最高的两个选项的答卷数 ÷ 计分答卷数 × 100%"
                      "（仅有两个计分选项时，只计最优选项）。",
        "mean": "李克特均值法。按选项等级由低到高计1、2、…、M分求均值，再换算为百分制，"
                "单题满意度 =（均值 − 1）÷（M − 1）× 100%。",
    }[scoring["method"]]
    not_scored = {"exclude": "“不了解”“不清楚”等不计分选项不计入满意度的分母。",
                  "zero": "“不了解”“不清楚”等不计分选项计入分母，按0分计算。"}[scoring["not_scored"]]
    rounding = {
        "exact": "满意度按原始答卷数精确计算，最终结果四舍五入保留两位小数；各选项占比采用最大余数法修约至两位小数，"
                 "保证同一题各选项占比合计为100.00%。",
        "from_displayed_shares": "满意度按修约后（保留两位小数）的选项占比计算，读者可按表中占比直接复核；"
                                 "各选项占比采用最大余数法修约，保证同一题合计为100.00%。",
    }[scoring["rounding"]]
    aggregation = {
        "respondent": "按受访者汇总，全部纳入统计的答卷合并计算各题满意度。",
        "unit": "按单位汇总，先分别计算各单位的满意度，再对各单位取算术平均，避免答卷较多的单位权重过大。",
    }[scoring["aggregation"]]
    composite = {"mean": "综合满意度 = 各计分题满意度之和 ÷ 计分题数量（无作答的题目不参与计算）。",
                 "weighted": "综合满意度 = Σ（题目权重 × 单题满意度）÷ Σ题目权重（无作答的题目不参与计算）。"}
    return {"method": method, "not_scored": not_scored, "rounding": rounding, "aggregation": aggregation,
            "composite": composite[scoring["composite"]]}


_RULES = {
    "min_duration": lambda r: f"答题用时少于{r.get('seconds', 30)}秒",
    "straight_line": lambda r: f"全部计分题（不少于{r.get('min_items', 5)}道）均选择同一选项",
    "duplicate_device": lambda r: f"同一设备在{r.get('window_minutes', 10)}分钟内重复提交答案完全相同的答卷",
    "not_in_frame": lambda r: "答题单位不在调查单位名单中",
}
_ACTIONS = {FlagAction.FLAG: "标记为存疑，由评价人员逐份复核后决定是否剔除", FlagAction.EXCLUDE: "直接认定为无效答卷并剔除"}


def validity_rules_zh(validity: dict[str, Any]) -> list[str]:
    """One sentence per enabled validity rule, with its action; rules set to "off" are left out."""
    lines = []
    for code, describe in _RULES.items():
        rule = validity.get(code) or {}
        action = rule.get("action", "flag")
        if action in _ACTIONS:
            lines.append(f"{describe(rule)}的，{_ACTIONS[action]}。")
    return lines


def filter_zh(flt: dict[str, Any], unit_names: list[str] | None = None) -> str:
    """Describe which responses the figures use."""
    statuses = tuple(flt.get("statuses") or ())
    if set(statuses) == set(COUNTED):
        text = "统计口径：有效答卷及存疑但未剔除的答卷"
    else:
        text = "统计口径：" + "、".join(labels.status(s) for s in statuses) + "答卷"
    if flt.get("unit_ids") is not None:
        names = "、".join(unit_names or [])
        text += f"；仅包含选定的{len(flt['unit_ids'])}个单位" + (f"（{names}）" if names else "")
    if flt.get("since") or flt.get("until"):
        text += f"；提交时间{_beijing(flt.get('since')) or '不限'}至{_beijing(flt.get('until')) or '不限'}（北京时间）"
    return text + "。"


def _beijing(iso: str | None) -> str | None:
    if not iso:
        return None
    from datetime import timedelta

    return (datetime.fromisoformat(iso) + timedelta(hours=8)).strftime("%Y-%m-%d %H:%M")

"""The scoring-settings form: plain request fields ⇄ the settings dict the service stores.

Kept apart from the view so the preview endpoint and the save use the same parsing.
Band rules are typed one band per line ("95 6" = from 95 % earn 6 points), highest first,
which is how reports print them.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from ..domain.scoring import (
    SamplingSettings,
    ScoringError,
    ScoringSettings,
    ValidityRules,
    rule_from_dict,
)
from ..domain.scoring.settings import CHOICES
from ..domain.vocabulary import FlagCode
from ..texts_zh.labels import FLAG_ACTION, METHOD

LABELS = {
    # The method's name is the catalogue's (reports print the same); the hint after it is the form's.
    "method": {"weighted": f"{METHOD['weighted']}（默认）", "top2_share": f"{METHOD['top2_share']}：非常满意+比较满意",
               "mean": f"{METHOD['mean']}：换算为百分制"},
    "not_scored": {"exclude": "不计入分母（默认）", "zero": "按0分计入"},
    "rounding": {"exact": "按原始计数计算（默认）", "from_displayed_shares": "按显示的两位小数占比计算"},
    "share_rounding": {"largest_remainder": "最大余数法，合计100.00%（默认）", "independent": "各项分别四舍五入"},
    "aggregation": {"respondent": "按受访者汇总（默认）", "unit": "先算各单位满意度再平均"},
    "composite": {"mean": "各题算术平均（默认）", "weighted": "按题目权重加权平均"},
}
RULE_TYPES = {"band": "区间法", "ratio": "比率法", "deduction": "扣分法", "threshold": "达标法"}
#: A fired rule's action, as the catalogue names it.
ACTIONS = FLAG_ACTION
VALIDITY_NUMBERS = {FlagCode.MIN_DURATION: "seconds", FlagCode.STRAIGHT_LINE: "min_items",
                    FlagCode.DUPLICATE_DEVICE: "window_minutes", FlagCode.STRAIGHT_LINE_FAST: "seconds_per_item"}


class FormProblem(ValueError):
    def __init__(self, message_zh: str):
        super().__init__(message_zh)
        self.message_zh = message_zh


def bands_text(rule: dict[str, Any]) -> str:
    return "\n".join(f"{b['min']:g} {b['points']:g}" for b in rule.get("bands", []))


def _number(form, name: str, label: str, required: bool = True) -> float | None:
    raw = (form.get(name) or "").strip()
    if not raw:
        if required:
            raise FormProblem(f"请填写{label}")
        return None
    try:
        return float(Decimal(raw))
    except InvalidOperation as exc:
        raise FormProblem(f"{label}“{raw}”不是数字") from exc


def parse_rule(form) -> dict[str, Any]:
    kind = form.get("rule_type", "band")
    weight = _number(form, "rule_weight", "指标分值")
    if kind == "band":
        bands = []
        for number, line in enumerate((form.get("bands") or "").splitlines(), 1):
            if not line.strip():
                continue
            parts = line.replace("，", " ").replace(",", " ").replace("%", " ").split()
            try:
                low, points = (float(Decimal(p)) for p in parts)
            except (ValueError, InvalidOperation) as exc:
                raise FormProblem(f"区间第{number}行“{line.strip()}”应写成“下限 得分”，如“95 6”") from exc
            bands.append({"min": low, "points": points})
        return {"type": "band", "weight": weight, "bands": bands}
    rule = {"type": kind, "weight": weight, "target": _number(form, "target", "目标值")}
    if kind == "deduction":
        rule["per_point"] = _number(form, "per_point", "每低1个百分点扣分")
    if kind == "ratio" and (floor := _number(form, "floor", "最低得分线", required=False)) is not None:
        rule["floor"] = floor
    return rule


def parse_settings(form) -> dict[str, Any]:
    """Read the request form into a settings dict, validated by the domain.

    :raises FormProblem: with a Chinese message naming the faulty field.
    """
    scoring = {name: form.get(name, allowed[0]) for name, allowed in CHOICES.items()}
    validity = {}
    for code in FlagCode:
        name = str(code)
        validity[name] = {"action": form.get(f"{name}_action", getattr(ValidityRules(), name).action)}
        if name in VALIDITY_NUMBERS:
            key = VALIDITY_NUMBERS[name]
            # A page from before a rule existed lacks its field: the rule keeps its default.
            value = _number(form, f"{name}_{key}", "有效性规则阈值", required=f"{name}_{key}" in form)
            if value is not None:
                validity[name][key] = int(value) if key == "min_items" else value
    population = (form.get("population") or "").strip()
    sampling = {"population": int(population) if population.isdigit() else (population or None)}
    settings = {"scoring": scoring, "score_rule": parse_rule(form), "validity": validity, "sampling": sampling}
    try:
        SamplingSettings.from_dict(sampling)
        ScoringSettings.from_dict(scoring)
        rule_from_dict(settings["score_rule"])
        ValidityRules.from_dict(validity)
    except ScoringError as exc:
        raise FormProblem(exc.message_zh) from exc
    return settings

"""Read score rules from the plain dicts a survey stores (JSON)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .band import BandRule
from .errors import RuleError
from .rule_values import to_decimal
from .rules import DeductionRule, RatioRule, ScoreRule, ThresholdRule

#: rule type → (required keys, optional keys)
_KEYS: dict[str, tuple[set[str], set[str]]] = {
    "band": ({"weight", "bands"}, set()),
    "ratio": ({"weight", "target"}, {"floor"}),
    "deduction": ({"weight", "target", "per_point"}, set()),
    "threshold": ({"weight", "target"}, set()),
}


def rule_from_dict(data: Mapping[str, Any]) -> ScoreRule:
    """Build a score rule from its stored dict.

    Example: ``{"type": "threshold", "weight": 6, "target": 90}``.

    :raises RuleError: on an unknown type, missing or unknown keys, bad numbers,
        or bands with gaps or overlaps.
    """
    kind = data.get("type")
    if kind not in _KEYS:
        raise RuleError(
            f"rule type must be one of {', '.join(_KEYS)}; got {kind!r}",
            f"评分规则类型无效：{kind!r}（可选：区间法band、比率法ratio、扣分法deduction、达标法threshold）",
        )
    required, optional = _KEYS[kind]
    keys = set(data) - {"type"}
    if not required <= keys or not keys <= required | optional:
        raise RuleError(
            f"{kind} rule needs {sorted(required)} (optional {sorted(optional)}); "
            f"got {sorted(keys)}",
            f"评分规则参数不完整或含有未知参数：{'、'.join(sorted(keys))}",
        )
    if kind == "band":
        if not isinstance(data["bands"], list | tuple):
            raise RuleError(
                "band rule: bands must be a list", "区间评分规则有误：bands须为列表"
            )
        return BandRule.from_bands(data["weight"], data["bands"])
    numbers = {key: to_decimal(data[key], key) for key in keys}
    cls = {"ratio": RatioRule, "deduction": DeductionRule, "threshold": ThresholdRule}[
        kind
    ]
    return cls(**numbers)

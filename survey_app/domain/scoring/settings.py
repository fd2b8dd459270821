"""Scoring settings a survey can choose, with METHOD.md's defaults.

The settings are stored per survey by the service layer; this module only
validates them and converts them to and from plain dicts.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass
from typing import Any

from .errors import SettingsError

#: Allowed values per setting, first one is the default.
CHOICES: dict[str, tuple[str, ...]] = {
    "method": ("weighted", "top2_share", "mean"),
    "not_scored": ("exclude", "zero"),
    "rounding": ("exact", "from_displayed_shares"),
    "share_rounding": ("largest_remainder", "independent"),
    "aggregation": ("respondent", "unit"),
    "composite": ("mean", "weighted"),
}

_LABELS_ZH = {
    "method": "计算方法",
    "not_scored": "“不了解”类选项处理方式",
    "rounding": "取整方式",
    "share_rounding": "比例修约方式",
    "aggregation": "汇总层级",
    "composite": "综合满意度计算方式",
}


@dataclass(frozen=True)
class ScoringSettings:
    """How answers become satisfaction percentages; see docs/scoring.md."""

    method: str = "weighted"
    not_scored: str = "exclude"
    rounding: str = "exact"
    #: How option shares are rounded to 2 decimals (shares.py): add up to 100.00, or each on its own.
    share_rounding: str = "largest_remainder"
    aggregation: str = "respondent"
    composite: str = "mean"

    def __post_init__(self) -> None:
        for name, allowed in CHOICES.items():
            value = getattr(self, name)
            if value not in allowed:
                raise SettingsError(
                    f"setting {name!r} must be one of {', '.join(allowed)}; got {value!r}",
                    f"{_LABELS_ZH[name]}设置无效：{value}（可选：{'、'.join(allowed)}）",
                )

    @classmethod
    def from_dict(cls, data: Mapping[str, Any] | None) -> ScoringSettings:
        """Build settings from a stored dict; missing keys take their defaults."""
        data = dict(data or {})
        unknown = sorted(set(data) - set(CHOICES))
        if unknown:
            raise SettingsError(
                f"unknown scoring setting(s): {', '.join(unknown)}",
                f"未知的计分设置：{'、'.join(unknown)}",
            )
        return cls(**data)

    def to_dict(self) -> dict[str, str]:
        """Return the settings as a JSON-ready dict."""
        return asdict(self)

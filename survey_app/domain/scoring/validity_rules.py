"""Configurable validity rules with METHOD.md's defaults, stored per survey as a dict.

Defaults (why: docs/scoring.md §6): straight-lining alone is only a note, because on a
satisfaction survey genuinely satisfied people answer "all 非常满意"; straight-lining
faster than the items can be read, a too-short time, a same-device duplicate and a unit
outside the list send the response to review (``flag``).  Nothing excludes by itself.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass, fields
from typing import Any

from ...texts_zh.labels import FLAG_ACTION
from ..vocabulary import FlagAction, FlagCode
from .errors import SettingsError

ACTIONS = tuple(FlagAction)


def _check(name: str, action: str, threshold: float | None = None) -> None:
    if action not in ACTIONS:
        raise SettingsError(
            f"validity rule {name!r}: action must be one of {', '.join(ACTIONS)}; got {action!r}",
            f"有效性规则{name}的处理方式无效：{action}（可选：" + "、".join(f"{a}{FLAG_ACTION[a]}" for a in FlagAction) + "）",
        )
    if threshold is not None and (
        isinstance(threshold, bool)
        or not isinstance(threshold, int | float)
        or threshold <= 0
    ):
        raise SettingsError(
            f"validity rule {name!r}: threshold must be a positive number; got {threshold!r}",
            f"有效性规则{name}的阈值须为正数：{threshold!r}",
        )


@dataclass(frozen=True)
class MinDuration:
    """Answer time below ``seconds`` (unknown durations never fire)."""

    action: str = FlagAction.FLAG
    seconds: float = 30

    def __post_init__(self) -> None:
        _check(FlagCode.MIN_DURATION, self.action, self.seconds)


@dataclass(frozen=True)
class StraightLine:
    """The same option key on every scored item, when at least ``min_items`` were answered.

    Only a note by default: alone it is as typical of a content respondent as of a careless one.
    """

    action: str = FlagAction.NOTE
    min_items: int = 5

    def __post_init__(self) -> None:
        _check(FlagCode.STRAIGHT_LINE, self.action, self.min_items)


@dataclass(frozen=True)
class StraightLineFast:
    """Straight-lining (as ``StraightLine`` counts it) in less than ``seconds_per_item`` per item.

    The time scales with the questionnaire: reading an item and its options takes a few
    seconds, so ten identical answers in under 50 s were not read.  Unknown durations never fire.
    """

    action: str = FlagAction.FLAG
    seconds_per_item: float = 5

    def __post_init__(self) -> None:
        _check(FlagCode.STRAIGHT_LINE_FAST, self.action, self.seconds_per_item)


@dataclass(frozen=True)
class DuplicateDevice:
    """Same device hash and identical answers within ``window_minutes`` (the later ones fire)."""

    action: str = FlagAction.FLAG
    window_minutes: float = 10

    def __post_init__(self) -> None:
        _check(FlagCode.DUPLICATE_DEVICE, self.action, self.window_minutes)


@dataclass(frozen=True)
class NotInFrame:
    """Respondent's unit is not on the survey's unit list."""

    action: str = FlagAction.FLAG

    def __post_init__(self) -> None:
        _check(FlagCode.NOT_IN_FRAME, self.action)


@dataclass(frozen=True)
class ValidityRules:
    """All validity rules of a survey."""

    min_duration: MinDuration = MinDuration()
    straight_line: StraightLine = StraightLine()
    straight_line_fast: StraightLineFast = StraightLineFast()
    duplicate_device: DuplicateDevice = DuplicateDevice()
    not_in_frame: NotInFrame = NotInFrame()

    @classmethod
    def from_dict(cls, data: Mapping[str, Mapping[str, Any]] | None) -> ValidityRules:
        """Build rules from a stored dict; missing rules and keys take their defaults.

        Example: ``{"min_duration": {"action": "exclude", "seconds": 20}}``.
        """
        data = dict(data or {})
        kinds = {f.name: f.default.__class__ for f in fields(cls)}
        unknown = sorted(set(data) - set(kinds))
        if unknown:
            raise SettingsError(
                f"unknown validity rule(s): {', '.join(unknown)}",
                f"未知的有效性规则：{'、'.join(unknown)}",
            )
        parts = {}
        for name, settings in data.items():
            allowed = {f.name for f in fields(kinds[name])}
            extra = sorted(set(settings) - allowed)
            if extra:
                raise SettingsError(
                    f"validity rule {name!r}: unknown key(s) {', '.join(extra)}",
                    f"有效性规则{name}含有未知参数：{'、'.join(extra)}",
                )
            parts[name] = kinds[name](**settings)
        return cls(**parts)

    def to_dict(self) -> dict[str, dict[str, Any]]:
        """Return the rules as a JSON-ready dict."""
        return asdict(self)

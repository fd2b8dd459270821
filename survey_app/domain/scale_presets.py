"""The answer scales an evaluator can pick in the designer instead of typing options.

Each preset is a list of bank options (``key``, ``label``, ``value`` or ``scored: false``),
so a chosen preset becomes an ordinary entry of the bank's ``scales`` table and is validated
like a hand-written one.  The values follow METHOD.md: 4-level 100/80/30/0 (the provincial
practice), 5-level 100/80/60/30/0 (国家统计局), Likert 5…1 for agreement items; 不了解 is
an extra option that is never scored.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..texts_zh import designer as zh


@dataclass(frozen=True)
class Preset:
    name: str
    #: (key, label, value) of the scored options, best first.
    options: tuple[tuple[str, str, float], ...]

    def label(self, unknown: bool) -> str:
        return zh.PRESET_LABELS[self.name] + (zh.PRESET_UNKNOWN_SUFFIX if unknown else "")

    def bank_options(self, unknown: bool) -> list[dict[str, Any]]:
        """The preset as bank options; ``unknown`` appends the not-scored 不了解."""
        options: list[dict[str, Any]] = [{"key": k, "label": label, "value": v} for k, label, v in self.options]
        if unknown:
            options.append(unknown_option(options))
        return options


PRESETS: dict[str, Preset] = {p.name: p for p in (
    Preset("four", (("A", zh.VERY_SATISFIED, 100), ("B", zh.FAIRLY_SATISFIED, 80), ("C", zh.NOT_QUITE_SATISFIED, 30),
                    ("D", zh.DISSATISFIED, 0))),
    Preset("five", (("A", zh.VERY_SATISFIED_5, 100), ("B", zh.SATISFIED, 80), ("C", zh.BASICALLY_SATISFIED, 60),
                    ("D", zh.NOT_QUITE_SATISFIED, 30), ("E", zh.DISSATISFIED, 0))),
    Preset("likert", (("A", zh.STRONGLY_AGREE, 5), ("B", zh.AGREE, 4), ("C", zh.NEUTRAL, 3), ("D", zh.DISAGREE, 2),
                      ("E", zh.STRONGLY_DISAGREE, 1))),
)}
#: The preset a new scored question starts with (the provincial 4-level scale).
DEFAULT_PRESET = "four"
UNKNOWN_KEY = "X"


def choices() -> list[tuple[str, str]]:
    """``(code, label)`` of every preset, with and without 不了解: ``four``, ``four+unknown`` …"""
    return [(code(p.name, unknown), p.label(unknown)) for p in PRESETS.values() for unknown in (False, True)]


def code(name: str, unknown: bool) -> str:
    return f"{name}+unknown" if unknown else name


def parse_code(value: str) -> tuple[Preset, bool] | None:
    """Read a code made by ``code``; None when it names no preset."""
    name, _, rest = value.partition("+")
    preset = PRESETS.get(name)
    if preset is None or rest not in ("", "unknown"):
        return None
    return preset, rest == "unknown"


def unknown_option(options: list[dict[str, Any]]) -> dict[str, Any]:
    """A not-scored 不了解 option whose key no other option of ``options`` uses."""
    taken = {str(o.get("key")) for o in options if isinstance(o, dict)}
    key = next(k for k in (UNKNOWN_KEY, *(f"{UNKNOWN_KEY}{n}" for n in range(2, 100))) if k not in taken)
    return {"key": key, "label": zh.UNKNOWN, "scored": False}


def next_option_key(options: list[dict[str, Any]]) -> str:
    """A key for a new option: the next letter after the keys in use (A, B … then numbers)."""
    taken = {str(o.get("key")) for o in options if isinstance(o, dict)}
    for letter in "ABCDEFGHIJKLMNOPQRSTUVW":
        if letter not in taken:
            return letter
    return next(str(n) for n in range(1, 1000) if str(n) not in taken)


def same_options(a: list[dict[str, Any]], b: list[dict[str, Any]]) -> bool:
    """Tell whether two option lists are the same scale (keys, labels, values, scored flags)."""
    def plain(options):
        return [(str(o.get("key")), str(o.get("label")), _value(o)) for o in options if isinstance(o, dict)]
    return plain(a) == plain(b)


def _value(option: dict[str, Any]) -> float | None:
    if option.get("scored", True) is False:
        return None
    value = option.get("value")
    return float(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else None

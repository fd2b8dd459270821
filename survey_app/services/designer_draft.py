"""Helpers on the designer's working copy (a bank dict): ids, scales, type changes, references.

Pure dict manipulation shared by the field reader (``designer_form``) and the buttons
(``designer_ops``); nothing here validates — ``banks.parse_bank_data`` does that once,
on the whole result.
"""

from __future__ import annotations

import re
from typing import Any

from ..domain import question_types, scale_presets
from ..domain.banks import COMMON_KEYS
from ..texts_zh import designer as zh

#: Choices of the scale picker besides scale names and preset codes.
INLINE, CUSTOM = "inline", "custom"
#: Order of the type-specific fields on the page.
KEY_ORDER = ("scale", "options", "rows", "max_choices", "min", "max", "max_length")


def type_keys(type_name: str) -> list[str]:
    """The type's own bank keys in page order (``[]`` for an unknown type)."""
    qtype = question_types.REGISTRY.get(type_name)
    if qtype is None:
        return []
    keys = qtype.bank_keys - COMMON_KEYS
    return sorted(keys, key=lambda k: (KEY_ORDER.index(k) if k in KEY_ORDER else len(KEY_ORDER), k))


def pick_scale(draft: dict[str, Any], q: dict[str, Any], choice: str) -> None:
    """Apply the scale picker: an existing scale, a preset, a custom copy, or inline options."""
    scales = draft.setdefault("scales", {})
    current = current_options(draft, q)
    if choice == q.get("scale") and "options" not in q:
        return
    if choice == INLINE:
        q.pop("scale", None)
        if not isinstance(q.get("options"), list) or not q["options"]:
            q["options"] = [{"key": str(o.get("key", "")), "label": str(o.get("label", ""))}
                            for o in current if isinstance(o, dict)] or _blank_options()
        return
    if choice in scales:
        name = choice
    elif choice == CUSTOM:
        valued = [dict(o) for o in current if isinstance(o, dict)]
        if not any("value" in o for o in valued):  # inline options carry no values yet
            valued = scale_presets.PRESETS[scale_presets.DEFAULT_PRESET].bank_options(False)
        name = unique_name(scales, f"{q.get('id', 'q')}_scale")
        scales[name] = {"label": zh.CUSTOM_SCALE.format(qid=q.get("id", "")), "options": valued}
    else:
        preset = scale_presets.parse_code(choice)
        if preset is None:
            return  # an unknown choice: leave the question as it was
        name = preset_scale(draft, *preset)
    q["scale"] = name
    q.pop("options", None)


def preset_scale(draft: dict[str, Any], preset: scale_presets.Preset, unknown: bool) -> str:
    """Return the name of a scale holding the preset, adding it to the bank when none does."""
    scales = draft.setdefault("scales", {})
    options = preset.bank_options(unknown)
    for name, spec in scales.items():
        if isinstance(spec, dict) and scale_presets.same_options(spec.get("options") or [], options):
            return name
    name = unique_name(scales, scale_presets.code(preset.name, unknown).replace("+", "_"))
    scales[name] = {"label": preset.label(unknown), "options": options}
    return name


def current_options(draft: dict[str, Any], q: dict[str, Any]) -> list[dict[str, Any]]:
    """The options a choice question offers now: its scale's, else its inline ones."""
    spec = draft.get("scales", {}).get(q.get("scale")) if isinstance(q.get("scale"), str) else None
    if isinstance(spec, dict) and isinstance(spec.get("options"), list):
        return spec["options"]
    return q["options"] if isinstance(q.get("options"), list) else []


def change_type(draft: dict[str, Any], q: dict[str, Any], new_type: str) -> None:
    """Turn ``q`` into ``new_type``: keep the shared keys, give the new type's keys their defaults."""
    old_keys = set(type_keys(q.get("type", "single")))
    for key in list(q):
        if key not in COMMON_KEYS and key not in set(type_keys(new_type)):
            q.pop(key)
    q["type"] = new_type
    fill_defaults(draft, q, keep=old_keys)


def fill_defaults(draft: dict[str, Any], q: dict[str, Any], keep: set[str] = frozenset()) -> None:
    """Give a question what its type needs to be answerable: options or a scale, a first row."""
    keys = set(type_keys(q.get("type", "single")))
    if "scale" in keys and "scale" not in q and "options" not in q:
        if "options" in keys and q.get("type") == "multiple":
            q["options"] = _blank_options()
        else:
            q["scale"] = preset_scale(draft, scale_presets.PRESETS[scale_presets.DEFAULT_PRESET], False)
    elif "options" in keys and "scale" not in keys and "options" not in q:
        q["options"] = _blank_options()
    if "rows" in keys and not q.get("rows"):
        q["rows"] = [{"id": new_row_id(draft, q), "text": "", "topic": ""}]


def _blank_options() -> list[dict[str, str]]:
    return [{"key": "1", "label": ""}, {"key": "2", "label": ""}]


def all_ids(draft: dict[str, Any]) -> set[str]:
    ids = set()
    for section in draft["sections"]:
        for q in section["questions"]:
            ids.add(str(q.get("id")))
            ids.update(str(r.get("id")) for r in q.get("rows") or [] if isinstance(r, dict))
    return ids


def new_question_id(draft: dict[str, Any]) -> str:
    """``Q<n>`` after the highest ``Q<n>`` in use (ids fit ``banks.ID_PATTERN``)."""
    ids = all_ids(draft)
    n = max((int(m.group(1)) for i in ids if (m := re.fullmatch(r"Q(\d+)", i))), default=0) + 1
    while f"Q{n}" in ids:
        n += 1
    return f"Q{n}"


def new_row_id(draft: dict[str, Any], q: dict[str, Any]) -> str:
    """``<matrix id>_<k>``, unique among questions and rows (they share one namespace)."""
    ids, base = all_ids(draft), str(q.get("id", "R"))[:28]
    k = len(q.get("rows") or []) + 1
    while f"{base}_{k}" in ids:
        k += 1
    return f"{base}_{k}"


def unique_name(taken, base: str) -> str:
    name, n = base, 2
    while name in taken:
        name, n = f"{base}_{n}", n + 1
    return name


def item_ids(q: dict[str, Any]) -> set[str]:
    """The question's id and its rows' ids (what a follow-up may point at)."""
    return {str(q.get("id"))} | {str(r.get("id")) for r in q.get("rows") or [] if isinstance(r, dict)}


def followups_of(draft: dict[str, Any], ids: set[str], leaving: set[str] = frozenset()) -> list[str]:
    """Ids of the questions (outside ``leaving``) whose ``show_if`` points at one of ``ids``."""
    found = []
    for section in draft["sections"]:
        for q in section["questions"]:
            cond = q.get("show_if")
            if isinstance(cond, dict) and str(cond.get("question")) in ids and str(q.get("id")) not in leaving:
                found.append(str(q.get("id")))
    return found


def new_section_id(draft: dict[str, Any]) -> str:
    taken = {str(s.get("id")) for s in draft["sections"]}
    n = len(taken) + 1
    while f"S{n}" in taken:
        n += 1
    return f"S{n}"


def prune_scales(draft: dict[str, Any]) -> None:
    """Drop scales no question uses (``to_bank`` would not write them back either)."""
    used = {q.get("scale") for s in draft["sections"] for q in s["questions"]}
    scales = draft.get("scales")
    if isinstance(scales, dict):
        for name in [n for n in scales if n not in used]:
            del scales[name]
        if not scales:
            draft.pop("scales")

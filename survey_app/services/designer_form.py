"""Read the designer's posted fields onto its working copy, a bank dict (``bank_dump.to_bank`` form).

The page carries the working copy's structure in a hidden JSON field and every editable
value in fields named by position: ``s0.q2.text``, ``s0.q2.r1.topic``, ``sc0.o3.value``.
Values are taken as typed; what does not parse (``weight = 一``) is passed on unchanged so
the bank validator reports it in its own words beside the field.  Which fields a question
has follows its type's ``bank_keys`` (``KEY_KINDS`` says how each key is edited), so a new
question type needs no change here unless it brings a new kind of key.
"""

from __future__ import annotations

import copy
import json
import re
from typing import Any, Protocol

from ..texts_zh import designer as zh
from .designer_draft import change_type, pick_scale, type_keys

INTRO_KEYS = ("title", "greeting", "purpose", "confidentiality", "organisation", "closing")
#: How the designer edits each type-specific bank key; a key not listed is a plain text field.
KEY_KINDS = {"scale": "scale", "options": "options", "rows": "rows", "max_choices": "count",
             "max_length": "count", "min": "number", "max": "number", "keywords": "words"}
#: Shared keys edited as free text (empty → left out of the bank).
TEXT_KEYS = ("topic", "help", "dimension")
ROW_TEXT_KEYS = ("text", "topic", "dimension")


class Fields(Protocol):
    def get(self, key: str, default: Any = None) -> Any: ...

    def getlist(self, key: str) -> list[str]: ...


class BrokenDraft(ValueError):
    """The hidden working copy is missing or is not a bank-shaped JSON object."""


def load_draft(raw: str | None) -> dict[str, Any]:
    """Parse the page's working copy; refuse anything not shaped like a bank (a tampered page).

    Only the shape is checked here (lists of mappings where the page expects them); the
    content is the bank validator's business.
    """
    try:
        draft = json.loads(raw or "")
    except (ValueError, RecursionError) as exc:
        raise BrokenDraft(zh.BROKEN_DRAFT) from exc
    if not _shaped(draft):
        raise BrokenDraft(zh.BROKEN_DRAFT)
    return draft


def _maps(value: Any, optional: bool = True) -> bool:
    """A list of mappings (or, when ``optional``, absent)."""
    return (optional and value is None) or (isinstance(value, list) and all(isinstance(v, dict) for v in value))


def _shaped(draft: Any) -> bool:
    if not isinstance(draft, dict) or not _maps(draft.get("sections"), optional=False):
        return False
    if not isinstance(draft.get("intro", {}), dict) or not isinstance(draft.get("scales", {}), dict):
        return False
    if not all(isinstance(s, dict) and _maps(s.get("options"), optional=False) for s in draft.get("scales", {}).values()):
        return False
    questions = [q for s in draft["sections"] if _maps(s.get("questions"), optional=False) for q in s["questions"]]
    if len(questions) != sum(len(s.get("questions") or []) for s in draft["sections"]):
        return False
    return all(_maps(q.get("rows")) and _maps(q.get("options")) and isinstance(q.get("show_if", {}), (dict, type(None)))
               and (q.get("show_if") is None or isinstance(q["show_if"].get("any_of", []), list))
               for q in questions)


def dump_draft(draft: dict[str, Any]) -> str:
    return json.dumps(draft, ensure_ascii=False, separators=(",", ":"))


def read_fields(draft: dict[str, Any], fields: Fields) -> dict[str, Any]:
    """Return a copy of ``draft`` with the posted values applied (a field not posted keeps its value)."""
    draft = copy.deepcopy(draft)
    _set_text(draft, "title", fields.get("title"))
    intro = draft.setdefault("intro", {})
    for key in INTRO_KEYS:
        _set_text(intro, key, fields.get(f"intro.{key}"), keep_empty=key == "title")
    for m, spec in enumerate(list(draft.get("scales", {}).values())):
        if isinstance(spec, dict):
            _read_scale(spec, f"sc{m}.", fields)
    for i, section in enumerate(draft["sections"]):
        _set_text(section, "title", fields.get(f"s{i}.title"), keep_empty=True)
        kind = fields.get(f"s{i}.kind")
        if kind is not None:
            if kind == "main":
                section.pop("kind", None)
            else:
                section["kind"] = kind
        for j, q in enumerate(section["questions"]):
            _read_question(draft, q, f"s{i}.q{j}.", fields)
    return draft


def _read_scale(spec: dict[str, Any], prefix: str, fields: Fields) -> None:
    _set_text(spec, "label", fields.get(f"{prefix}label"), keep_empty=True)
    for k, option in enumerate(spec.get("options") or []):
        if isinstance(option, dict):
            _read_option(option, f"{prefix}o{k}.", fields, valued=True)


def _read_option(option: dict[str, Any], prefix: str, fields: Fields, valued: bool) -> None:
    for key in ("key", "label"):
        if fields.get(f"{prefix}{key}") is not None:
            option[key] = fields.get(f"{prefix}{key}").strip()
    if not valued or fields.get(f"{prefix}value") is None:
        return  # the checkbox below is judged only when its row was on the page
    if fields.get(f"{prefix}unscored"):
        option.pop("value", None)
        option["scored"] = False
    else:
        option.pop("scored", None)
        option["value"] = _number(fields.get(f"{prefix}value", ""), keep_empty=True)


def _read_question(draft: dict[str, Any], q: dict[str, Any], prefix: str, fields: Fields) -> None:
    if fields.get(f"{prefix}text") is not None:  # the question was on the page (so was its checkbox)
        q["text"] = fields.get(f"{prefix}text", "").strip()
        if fields.get(f"{prefix}required"):
            q.pop("required", None)
        else:
            q["required"] = False
    for key in TEXT_KEYS:
        _set_text(q, key, fields.get(f"{prefix}{key}"))
    _set_number(q, "weight", fields.get(f"{prefix}weight"), default=1)
    _set_words(q, "keywords", fields.get(f"{prefix}keywords"))
    _read_show_if(q, prefix, fields)
    for key in type_keys(q.get("type", "single")):
        _read_key(draft, q, key, prefix, fields)
    new_type = fields.get(f"{prefix}type")
    if new_type and new_type != q.get("type", "single"):
        change_type(draft, q, new_type)


def _read_key(draft: dict[str, Any], q: dict[str, Any], key: str, prefix: str, fields: Fields) -> None:
    kind = KEY_KINDS.get(key, "text")
    raw = fields.get(f"{prefix}{key}")
    if kind == "scale":
        if raw is not None:
            pick_scale(draft, q, raw)
    elif kind == "options":
        if "options" in q and isinstance(q["options"], list):
            for k, option in enumerate(q["options"]):
                if isinstance(option, dict):
                    _read_option(option, f"{prefix}o{k}.", fields, valued=False)
    elif kind == "rows":
        for k, row in enumerate(q.get("rows") or []):
            if isinstance(row, dict) and fields.get(f"{prefix}r{k}.text") is not None:
                for rkey in ROW_TEXT_KEYS:
                    _set_text(row, rkey, fields.get(f"{prefix}r{k}.{rkey}"), keep_empty=rkey != "dimension")
                _set_number(row, "weight", fields.get(f"{prefix}r{k}.weight"), default=1)
                _set_words(row, "keywords", fields.get(f"{prefix}r{k}.keywords"))
    elif kind == "words":
        _set_words(q, key, raw)
    elif kind in ("count", "number"):
        _set_number(q, key, raw)
    elif raw is not None:
        _set_text(q, key, raw)


def _read_show_if(q: dict[str, Any], prefix: str, fields: Fields) -> None:
    target = fields.get(f"{prefix}show_if")
    if target is None:
        return
    target = target.strip()
    if not target:
        q.pop("show_if", None)
        return
    current = q.get("show_if") if isinstance(q.get("show_if"), dict) else {}
    # Ticked options belong to the target they were shown for: a new target starts unticked.
    any_of = fields.getlist(f"{prefix}any_of") if str(current.get("question")) == target else []
    q["show_if"] = {"question": target, "any_of": [str(k) for k in any_of]}


def _set_text(target: dict[str, Any], key: str, raw: str | None, keep_empty: bool = False) -> None:
    if raw is None:
        return
    value = raw.strip()
    if value or keep_empty:
        target[key] = value
    else:
        target.pop(key, None)


def _set_words(target: dict[str, Any], key: str, raw: str | None) -> None:
    if raw is None:
        return
    words = [w for w in re.split(r"[\s,，、;；]+", raw) if w]
    if words:
        target[key] = words
    else:
        target.pop(key, None)


def _set_number(target: dict[str, Any], key: str, raw: str | None, default: float | None = None) -> None:
    if raw is None:
        return
    value = _number(raw)
    if value is None or value == default:
        target.pop(key, None)
    else:
        target[key] = value


def _number(raw: str, keep_empty: bool = False) -> Any:
    """``"3"`` → 3, ``"2.5"`` → 2.5, ``""`` → None; anything else stays text for the validator."""
    text = raw.strip()
    if not text:
        return "" if keep_empty else None
    try:
        return int(text)
    except ValueError:
        pass
    try:
        return float(text)
    except ValueError:
        return text

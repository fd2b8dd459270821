"""The designer's buttons: add, delete and move sections, questions, rows and options.

Each button posts ``op`` = ``<action>:<position>`` (``del_question:1.3``, ``up_row:0.2.1``),
so the page works with plain form submissions and the keyboard, without JavaScript.  An
action changes the working copy only; whether the result is kept is decided afterwards by
validating the whole questionnaire.  The one refusal made here: deleting a question (or a
row, or a section) that a follow-up's ``show_if`` still points at.
"""

from __future__ import annotations

from typing import Any

from ..domain import question_types, scale_presets
from ..domain.banks import BankProblem
from ..texts_zh import banks as bank_zh
from ..texts_zh import designer as zh
from .designer_draft import (
    fill_defaults,
    followups_of,
    item_ids,
    new_question_id,
    new_row_id,
    new_section_id,
)
from .designer_form import Fields


class UnknownAction(ValueError):
    """The posted ``op`` names no action or no existing position."""


def apply_op(draft: dict[str, Any], op: str, fields: Fields) -> tuple[list[BankProblem], str | None]:
    """Apply one button to ``draft`` in place; return the refusals and the anchor to show.

    :raises UnknownAction: for an ``op`` the page never sends.
    """
    action, _, where = (op or "save").partition(":")
    if action == "save":
        return [], None
    handler = _ACTIONS.get(action)
    if handler is None:
        raise UnknownAction(op)
    try:
        position = [int(p) for p in where.split(".")] if where else []
        return handler(draft, fields, *position)
    except (ValueError, IndexError, TypeError, KeyError, AttributeError) as exc:
        raise UnknownAction(op) from exc


def _questions(draft, i):
    return draft["sections"][_index(i, draft["sections"])]["questions"]


def _question(draft, i, j):
    questions = _questions(draft, i)
    return questions[_index(j, questions)]


def _index(i: int, items: list) -> int:
    if not 0 <= i < len(items):
        raise IndexError(i)
    return i


def _refuse(q: dict[str, Any], followups: list[str], target: str) -> list[BankProblem]:
    message = zh.DELETE_REFERENCED.format(followups="、".join(followups), target=target)
    return [BankProblem("", bank_zh.question(q.get("id")), message, str(q.get("id")), "delete")]


def add_section(draft, fields):
    draft["sections"].append({"id": new_section_id(draft), "title": zh.NEW_SECTION, "questions": []})
    return [], f"s{len(draft['sections']) - 1}"


def del_section(draft, fields, i):
    section = draft["sections"][_index(i, draft["sections"])]
    ids = set().union(*(item_ids(q) for q in section["questions"])) if section["questions"] else set()
    followups = followups_of(draft, ids, leaving=ids)
    if followups:
        problem = BankProblem("", bank_zh.section(section.get("id")),
                              zh.DELETE_REFERENCED.format(followups="、".join(followups), target=zh.THIS_SECTION),
                              None, f"section:{i}")
        return [problem], f"s{i}"
    del draft["sections"][i]
    return [], None


def move_section(draft, fields, i, step):
    sections = draft["sections"]
    j = i + step
    _index(i, sections)
    if 0 <= j < len(sections):
        sections[i], sections[j] = sections[j], sections[i]
        return [], f"s{j}"
    return [], f"s{i}"


def add_question(draft, fields, i):
    questions = _questions(draft, i)
    type_name = fields.get(f"s{i}.new_type") or "single"
    if type_name not in question_types.REGISTRY:
        raise KeyError(type_name)
    q = {"id": new_question_id(draft), "type": type_name, "text": ""}
    fill_defaults(draft, q)
    questions.append(q)
    return [], f"s{i}.q{len(questions) - 1}"


def del_question(draft, fields, i, j):
    questions = _questions(draft, i)
    q = questions[_index(j, questions)]
    ids = item_ids(q)
    followups = followups_of(draft, ids, leaving=ids)
    if followups:
        return _refuse(q, followups, zh.THIS_QUESTION), f"s{i}.q{j}"
    del questions[j]
    return [], f"s{i}"


def move_question(draft, fields, i, j, step):
    """Move within the section; past its first or last place, into the neighbouring section."""
    sections = draft["sections"]
    questions = _questions(draft, i)
    _index(j, questions)
    k = j + step
    if 0 <= k < len(questions):
        questions[j], questions[k] = questions[k], questions[j]
        return [], f"s{i}.q{k}"
    n = i + step
    if not 0 <= n < len(sections):
        return [], f"s{i}.q{j}"
    q = questions.pop(j)
    target = sections[n]["questions"]
    if step < 0:
        target.append(q)
        return [], f"s{n}.q{len(target) - 1}"
    target.insert(0, q)
    return [], f"s{n}.q0"


def add_row(draft, fields, i, j):
    q = _question(draft, i, j)
    rows = q.setdefault("rows", [])
    rows.append({"id": new_row_id(draft, q), "text": "", "topic": ""})
    return [], f"s{i}.q{j}.r{len(rows) - 1}"


def del_row(draft, fields, i, j, k):
    q = _question(draft, i, j)
    row = q["rows"][_index(k, q["rows"])]
    followups = followups_of(draft, {str(row.get("id"))})
    if followups:
        return _refuse(q, followups, zh.THIS_ROW.format(row=row.get("id"))), f"s{i}.q{j}"
    del q["rows"][k]
    return [], f"s{i}.q{j}"


def move_row(draft, fields, i, j, k, step):
    rows = _question(draft, i, j)["rows"]
    _index(k, rows)
    if 0 <= k + step < len(rows):
        rows[k], rows[k + step] = rows[k + step], rows[k]
    return [], f"s{i}.q{j}"


def add_option(draft, fields, i, j):
    options = _question(draft, i, j)["options"]
    key = next(str(n) for n in range(1, 1000) if str(n) not in {str(o.get("key")) for o in options})
    options.append({"key": key, "label": ""})
    return [], f"s{i}.q{j}"


def del_option(draft, fields, i, j, k):
    options = _question(draft, i, j)["options"]
    del options[_index(k, options)]
    return [], f"s{i}.q{j}"


def _scale(draft, m):
    scales = list(draft.get("scales", {}).values())
    return scales[_index(m, scales)]


def add_scale_option(draft, fields, m):
    options = _scale(draft, m)["options"]
    options.append({"key": scale_presets.next_option_key(options), "label": "", "value": ""})
    return [], f"sc{m}"


def add_unknown(draft, fields, m):
    options = _scale(draft, m)["options"]
    options.append(scale_presets.unknown_option(options))
    return [], f"sc{m}"


def del_scale_option(draft, fields, m, k):
    options = _scale(draft, m)["options"]
    del options[_index(k, options)]
    return [], f"sc{m}"


_ACTIONS = {
    "add_section": add_section,
    "del_section": del_section,
    "up_section": lambda d, f, i: move_section(d, f, i, -1),
    "down_section": lambda d, f, i: move_section(d, f, i, 1),
    "add_question": add_question,
    "del_question": del_question,
    "up_question": lambda d, f, i, j: move_question(d, f, i, j, -1),
    "down_question": lambda d, f, i, j: move_question(d, f, i, j, 1),
    "add_row": add_row,
    "del_row": del_row,
    "up_row": lambda d, f, i, j, k: move_row(d, f, i, j, k, -1),
    "down_row": lambda d, f, i, j, k: move_row(d, f, i, j, k, 1),
    "add_option": add_option,
    "del_option": del_option,
    "add_scale_option": add_scale_option,
    "add_unknown": add_unknown,
    "del_scale_option": del_scale_option,
}

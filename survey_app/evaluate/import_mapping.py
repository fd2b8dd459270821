"""The answer import's mapping step: the page's choices ↔ a mapping (the mapping-file form).

Each column gets a dropdown whose values are ``ignore``, ``meta:<field>``, ``q:<question id>``
or ``opt:<question id>:<option key>``; unknown option values, unit names the list does not
resolve and the unit mode get their own controls.  ``apply_choices`` turns a submitted form
into the mapping ``services.imports`` reads, starting from the mapping in force, so choices
made on earlier rounds stay.
"""

from __future__ import annotations

from typing import Any

from ..domain.imports import ImportReport
from ..texts_zh import imports as zh

META_CHOICES = ("unit", "unit_code", "seq", "submitted_at", "duration", "source", "source_detail", "ip")


def column_value(use) -> str:
    if use.kind == "meta":
        return "ignore" if use.target == "ignore" else f"meta:{use.target}"
    if use.kind == "option":
        return f"opt:{use.target}:{use.option_key}"
    return f"q:{use.target}"


def column_rows(report: ImportReport) -> list[dict[str, Any]]:
    """Every column in file order: header, current choice, how it was recognised."""
    rows = [{"index": u.index, "header": u.header, "value": column_value(u), "how": zh.HOW.get(u.how, u.how),
             "role": _role(u), "option": u if u.kind == "option" else None} for u in report.columns]
    rows += [{"index": u.index, "header": u.header, "value": "ignore", "how": "未识别", "role": "ignore",
              "option": None, "suggestion": u.suggestion} for u in report.unmapped]
    return sorted(rows, key=lambda r: r["index"])


def _role(use) -> str:
    if use.kind != "meta":
        return "question"
    return "unit" if use.target in ("unit", "unit_code") else "ignore" if use.target == "ignore" else "meta"


def column_choices(questionnaire) -> list[tuple[str, list[tuple[str, str]]]]:
    """The dropdown's groups: (role label, [(value, label)])."""
    return [
        (zh.ROLES["ignore"], [("ignore", "忽略（不导入）")]),
        (zh.ROLES["unit"], [(f"meta:{k}", zh.META[k]) for k in ("unit", "unit_code")]),
        (zh.ROLES["meta"], [(f"meta:{k}", zh.META[k]) for k in META_CHOICES[2:]]),
        (zh.ROLES["question"], [(f"q:{q.id}", f"{q.id} {q.text[:28]}") for q in questionnaire.questions]),
    ]


def apply_choices(base: dict[str, Any] | None, report: ImportReport, form) -> dict[str, Any]:
    """Return ``base`` with the page's choices applied (only what the evaluator changed)."""
    mapping = {k: (dict(v) if isinstance(v, dict) else list(v) if isinstance(v, list) else v)
               for k, v in (base or {}).items()}
    columns = mapping.setdefault("columns", {})
    for row in column_rows(report):
        chosen = form.get(f"col_{row['index']}")
        if not chosen or chosen == row["value"] or not row["header"]:
            continue
        if chosen == "ignore":
            columns[row["header"]] = "ignore"
        elif chosen.startswith("meta:"):
            columns[row["header"]] = chosen[5:]
        elif chosen.startswith("opt:"):
            _, qid, key = chosen.split(":", 2)
            columns[row["header"]] = {"question": qid, "option": key}
        elif chosen.startswith("q:"):
            columns[row["header"]] = chosen[2:]
    values = mapping.setdefault("values", {})
    for n, item in enumerate(report.unknown_values.values()):
        key = form.get(f"val_{n}")
        if key:
            values.setdefault(item.question_id, {})[item.value] = key
    choices, skip = mapping.setdefault("unit_choices", {}), mapping.setdefault("skip_units", [])
    for n, item in enumerate(report.unit_problems.values()):
        decision = form.get(f"unit_{n}", "")
        if decision == "skip" and item.value not in skip:
            skip.append(item.value)
        elif decision.isdigit():
            choices[item.value] = int(decision)
    mode = form.get("unit_mode")
    if mode == "none":
        mapping["unknown_units"] = "other"
    elif mode in ("column", "fixed") and report.unit_mode == "none":  # only a change of mode drops it
        mapping.pop("unknown_units", None)
    return {k: v for k, v in mapping.items() if v not in ({}, [], None)}

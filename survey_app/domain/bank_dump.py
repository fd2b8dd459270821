"""Write a questionnaire back in bank form: the inverse of ``banks.parse_bank_data``.

Used to save a survey's questionnaire as a bank, to download a bank as YAML and to load a
questionnaire into the designer.  Scales are rebuilt from the questions that name them
(a frozen copy inlines each scale's options into its questions); keys at their default
value are left out, so a dumped bank reads like a hand-written one.
``parse_bank_data(to_bank(q)) == q`` holds for every valid questionnaire (tests check it).
"""

from __future__ import annotations

from typing import Any

import yaml

from . import question_types
from .questionnaire import Option, Question, Questionnaire

INTRO_FIELDS = ("title", "greeting", "purpose", "confidentiality", "organisation", "closing")


def to_bank(questionnaire: Questionnaire) -> dict[str, Any]:
    """Return the questionnaire as bank data (plain dicts and lists, YAML/JSON-ready)."""
    scales: dict[str, dict[str, Any]] = {}
    scale_of: dict[tuple[Option, ...], str] = {}
    for q in questionnaire.displayed:
        if q.scale and q.options and q.options not in scale_of:
            # A question whose values were edited away from its scale gets a scale of its own.
            name = q.scale if q.scale not in scales else f"{q.scale}_{q.id}"
            scales[name] = {"label": questionnaire.scales.get(q.scale, q.scale),
                            "options": [_scale_option(o) for o in q.options]}
            scale_of[q.options] = name
    data: dict[str, Any] = {
        "id": questionnaire.id,
        "title": questionnaire.title,
        "version": questionnaire.version,
        "intro": {k: getattr(questionnaire.intro, k) for k in INTRO_FIELDS if getattr(questionnaire.intro, k)},
    }
    if scales:
        data["scales"] = scales
    data["sections"] = [
        {"id": s.id, "title": s.title, **({"kind": s.kind} if s.kind != "main" else {}),
         "questions": [question_entry(q, scale_of) for q in s.questions]}
        for s in questionnaire.sections
    ]
    if questionnaire.themes:
        data["themes"] = [{"name": t.name, "keywords": list(t.keywords)} for t in questionnaire.themes]
    return data


def question_entry(q: Question, scale_of: dict[tuple[Option, ...], str]) -> dict[str, Any]:
    """One question in bank form: the shared keys, then its type's own keys."""
    entry: dict[str, Any] = {"id": q.id, "type": q.type, "text": q.text}
    if q.topic:
        entry["topic"] = q.topic
    if not q.required:
        entry["required"] = False
    if q.weight != 1.0:
        entry["weight"] = q.weight
    if q.dimension:
        entry["dimension"] = q.dimension
    if q.show_if:
        entry["show_if"] = {"question": q.show_if.question, "any_of": list(q.show_if.any_of)}
    if q.help:
        entry["help"] = q.help
    if q.keywords:
        entry["keywords"] = list(q.keywords)
    entry.update(question_types.of(q).bank_entry(q, scale_of))
    return entry


def _scale_option(option: Option) -> dict[str, Any]:
    if option.value is None:
        return {"key": option.key, "label": option.label, "scored": False}
    return {"key": option.key, "label": option.label, "value": option.value}


def dump_yaml(questionnaire: Questionnaire) -> str:
    """Return the questionnaire as a YAML bank (UTF-8 text, Chinese kept readable)."""
    return yaml.safe_dump(to_bank(questionnaire), allow_unicode=True, sort_keys=False, width=120)

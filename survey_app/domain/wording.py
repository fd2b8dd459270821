"""What counts as wording in a questionnaire, and a fingerprint of everything else.

Once a survey is open its answers refer to the questionnaire's structure: ids, types,
options and their values, show_if, weights, dimensions, order.  Wording (question and
row texts, help, intro texts, report topics) may still be corrected.  ``structure_hash``
is the content hash of the questionnaire with all wording blanked, so a change is a
wording fix exactly when the structure hash stays the same.
"""

from __future__ import annotations

from dataclasses import replace

from .questionnaire import Question, Questionnaire

INTRO_FIELDS = ("title", "greeting", "purpose", "confidentiality", "organisation", "closing")
#: Wording fields of a displayed question; a matrix row has text and topic only.
QUESTION_FIELDS = ("text", "topic", "help")
ROW_FIELDS = ("text", "topic")


def wording(questionnaire: Questionnaire) -> dict[str, str]:
    """Every wording field by a stable name: ``intro.title``, ``Q1.text``, ``Q5_2.topic`` …"""
    found = {f"intro.{k}": getattr(questionnaire.intro, k) for k in INTRO_FIELDS}
    for q in questionnaire.displayed:
        found.update({f"{q.id}.{k}": getattr(q, k) for k in QUESTION_FIELDS})
        for row in q.rows:
            found.update({f"{row.id}.{k}": getattr(row, k) for k in ROW_FIELDS})
    return found


def changes(before: Questionnaire, after: Questionnaire) -> tuple[dict[str, str], dict[str, str]]:
    """The wording fields that differ: (old values, new values), by field name."""
    old, new = wording(before), wording(after)
    changed = [k for k in old if old[k] != new.get(k, old[k])]
    return {k: old[k] for k in changed}, {k: new[k] for k in changed}


def structure_hash(questionnaire: Questionnaire) -> str:
    """The content hash with every wording field blanked: equal before and after a wording fix."""
    blank_intro = replace(questionnaire.intro, **dict.fromkeys(INTRO_FIELDS, ""))
    sections = tuple(replace(s, questions=tuple(_blank(q) for q in s.questions)) for s in questionnaire.sections)
    return replace(questionnaire, intro=blank_intro, sections=sections).content_hash()


def _blank(q: Question) -> Question:
    rows = tuple(replace(r, **dict.fromkeys(ROW_FIELDS, "")) for r in q.rows)
    return replace(q, **dict.fromkeys(QUESTION_FIELDS, ""), rows=rows)

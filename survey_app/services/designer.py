"""The questionnaire designer: build and change a draft survey's questionnaire as a bank.

One request = the posted fields read onto the working copy (``designer_form``), one button
applied (``designer_ops``), then the WHOLE result validated by ``banks.parse_bank_data`` —
the validator of ``flask banks check`` — and stored with ``surveys.update_questionnaire``
only when it passes.  So the stored questionnaire is always a valid bank: saved whole or
not at all.  Problems come back as ``BankProblem`` (Chinese message, question id, bank key)
for the page to show beside each field.  Once the survey is open the structure is frozen
and only wording fixes are possible (``services.questions``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from ..domain import question_types, scale_presets
from ..domain.bank_dump import to_bank
from ..domain.banks import BankError, BankProblem, parse_bank_data
from ..domain.vocabulary import SurveyState
from ..models import Response, Survey
from ..texts_zh import banks as bank_zh
from ..texts_zh import designer as zh
from .designer_draft import CUSTOM, INLINE, current_options, prune_scales, type_keys
from .designer_form import KEY_KINDS, BrokenDraft, Fields, dump_draft, load_draft, read_fields
from .designer_ops import UnknownAction, apply_op
from .surveys import update_questionnaire

__all__ = ["BrokenDraft", "Outcome", "StructureFrozen", "UnknownAction", "check", "dump_draft", "frozen_reason",
           "Page", "start", "submit"]


class StructureFrozen(ValueError):
    """The survey is no longer a draft: its questionnaire's structure may not change."""


@dataclass
class Outcome:
    """The working copy after one request, its problems, and whether it was stored."""

    draft: dict[str, Any]
    problems: list[BankProblem] = field(default_factory=list)
    saved: bool = False
    changed: bool = False
    anchor: str | None = None


def start(survey: Survey) -> dict[str, Any]:
    """The working copy of a survey's stored questionnaire."""
    return to_bank(survey.questionnaire)


def submit(session: Session, survey: Survey, fields: Fields, actor: str) -> Outcome:
    """Apply one designer request; store the questionnaire when the whole result validates.

    :raises StructureFrozen: the survey has been opened.
    :raises BrokenDraft: the page's working copy is missing or malformed.
    :raises UnknownAction: the posted button names nothing the page offers.
    """
    if survey.state is not SurveyState.DRAFT:
        raise StructureFrozen(frozen_reason(session, survey))
    draft = read_fields(load_draft(fields.get("draft")), fields)
    refusals, anchor = apply_op(draft, fields.get("op") or "save", fields)
    prune_scales(draft)
    problems = refusals + check(draft)
    if problems:
        return Outcome(draft, problems, anchor=anchor)
    questionnaire = parse_bank_data(draft)
    changed = questionnaire.content_hash() != survey.questionnaire_hash
    if changed:
        update_questionnaire(session, survey, questionnaire, actor)
    return Outcome(to_bank(questionnaire), saved=True, changed=changed, anchor=anchor)


def check(draft: dict[str, Any]) -> list[BankProblem]:
    """Every problem of the working copy, as the bank validator words it (one validator)."""
    try:
        parse_bank_data(draft)
    except BankError as exc:
        return list(exc.problems)
    return []


def frozen_reason(session: Session, survey: Survey) -> str:
    """Why the structure may not change, in Chinese (with the number of answers, if any)."""
    count = session.scalar(sa.select(sa.func.count()).select_from(Response).where(Response.survey_id == survey.id))
    answers = zh.FROZEN_ANSWERS.format(count=count) if count else ""
    return f"{zh.FROZEN}{answers}{zh.FROZEN_WORDING}"


class Page:
    """What the designer template needs besides the working copy: choices, targets, messages."""

    def __init__(self, draft: dict[str, Any], problems: list[BankProblem], focus: str | None = None):
        self.draft = draft
        self.problems = problems
        #: The part the last button worked on (``s0.q3``): its first field gets the keyboard focus.
        self.focus = focus
        self.types = [(name, bank_zh.TYPE_LABELS.get(name, name)) for name in question_types.TYPE_NAMES]
        self.presets = scale_presets.choices()
        self.targets = _targets(draft)

    def type_keys(self, type_name: str) -> list[str]:
        return type_keys(type_name)

    def kind(self, key: str) -> str:
        """Which field macro edits ``key`` (``designer_fields.html``)."""
        return KEY_KINDS.get(key, "text")

    def scale_groups(self, q: dict[str, Any]) -> list[tuple[str, list[tuple[str, str]]]]:
        """The scale picker of ``q``: ``(group label, [(value, label)])``, in page order."""
        existing = [(name, str(spec.get("label") or name))
                    for name, spec in (self.draft.get("scales") or {}).items() if isinstance(spec, dict)]
        other = [(CUSTOM, zh.SCALE_CUSTOM)]
        if "options" in self.type_keys(q.get("type", "single")):
            other.append((INLINE, zh.SCALE_INLINE))
        groups = [(zh.SCALE_EXISTING, existing), (zh.SCALE_PRESETS, list(self.presets)), ("", other)]
        return [(label, choices) for label, choices in groups if choices]

    def scale_value(self, q: dict[str, Any]) -> str:
        return INLINE if "options" in q and "scale" not in q else str(q.get("scale", ""))

    def messages(self, question: str | None, *keys: str) -> list[str]:
        """Messages about ``question`` and any of ``keys`` (each shown once on the page)."""
        own = bank_zh.question(question)
        return [p.message if p.where == own else f"{p.where}：{p.message}" for p in self.problems
                if p.question == question and (p.key in keys or (not keys and p.key is None))]

    def section_messages(self, i: int) -> list[str]:
        return [p.message for p in self.problems if p.key == f"section:{i}"]


def _targets(draft: dict[str, Any]) -> dict[str, list[tuple[str, str, list[tuple[str, str]]]]]:
    """For each question id: the earlier choice items it may follow up, with their options."""
    earlier: list[tuple[str, str, list[tuple[str, str]]]] = []
    found = {}
    for section in draft.get("sections") or []:
        for q in section.get("questions") or []:
            found[str(q.get("id"))] = list(earlier)
            qtype = question_types.REGISTRY.get(q.get("type", "single"))
            options = [(str(o.get("key")), str(o.get("label"))) for o in current_options(draft, q)
                       if isinstance(o, dict)]
            if qtype is not None and "rows" in qtype.bank_keys:
                for row in q.get("rows") or []:
                    earlier.append((str(row.get("id")), f"{row.get('id')} {row.get('text', '')}", options))
            elif qtype is not None and qtype.choice:
                earlier.append((str(q.get("id")), f"{q.get('id')} {q.get('text', '')}", options))
    return found

"""The questionnaire as the rest of the app sees it: immutable, serialisable, hashable.

A survey stores a *frozen copy* of its questionnaire (``to_dict``) together with
``content_hash``; results are always computed against that copy, so editing a bank
file later never changes an opened survey.  Options are inlined into every question in
the frozen copy, so the copy does not depend on the bank's scale table either.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from typing import Any

SINGLE = "single"
MULTIPLE = "multiple"
TEXT = "text"
NUMBER = "number"
QUESTION_TYPES = (SINGLE, MULTIPLE, TEXT, NUMBER)
CHOICE_TYPES = (SINGLE, MULTIPLE)

#: Longest free-text answer we store; longer input is refused, never truncated.
TEXT_MAX_LENGTH = 2000


@dataclass(frozen=True)
class Option:
    """One answer option; ``value`` is its score 0–100, ``None`` when not scored (不了解)."""

    key: str
    label: str
    value: float | None = None

    @property
    def scored(self) -> bool:
        return self.value is not None


@dataclass(frozen=True)
class ShowIf:
    """Show a follow-up only when ``question`` was answered with one of ``any_of``."""

    question: str
    any_of: tuple[str, ...]

    def holds(self, chosen: set[str]) -> bool:
        """Tell whether the condition holds for the options chosen on ``question``."""
        return bool(chosen.intersection(self.any_of))


@dataclass(frozen=True)
class Question:
    """A question as asked; ``topic`` is the noun phrase the report's sentences use."""

    id: str
    type: str
    text: str
    topic: str = ""
    options: tuple[Option, ...] = ()
    scale: str | None = None
    required: bool = True
    weight: float = 1.0
    dimension: str = ""
    show_if: ShowIf | None = None
    help: str = ""
    max_length: int = TEXT_MAX_LENGTH
    min_value: float | None = None
    max_value: float | None = None
    max_choices: int | None = None

    @property
    def scored(self) -> bool:
        """A single-choice question on a valued scale feeds the satisfaction figures."""
        return self.type == SINGLE and any(o.scored for o in self.options)

    def option(self, key: str) -> Option | None:
        """Return the option with ``key``, or None when it does not belong here."""
        return next((o for o in self.options if o.key == key), None)


@dataclass(frozen=True)
class Section:
    id: str
    title: str
    questions: tuple[Question, ...]
    #: "unit_info" sections ask about the respondent's unit; "main" the satisfaction items.
    kind: str = "main"


@dataclass(frozen=True)
class Intro:
    """The letter at the top of the questionnaire (purpose, confidentiality, issuer)."""

    title: str
    greeting: str = ""
    purpose: str = ""
    confidentiality: str = ""
    organisation: str = ""
    closing: str = ""


@dataclass(frozen=True)
class Questionnaire:
    id: str
    title: str
    intro: Intro
    sections: tuple[Section, ...]
    version: str = "1"
    scales: dict[str, str] = field(default_factory=dict, compare=False, hash=False)

    @property
    def questions(self) -> tuple[Question, ...]:
        """All questions in display order."""
        return tuple(q for s in self.sections for q in s.questions)

    @property
    def scored_questions(self) -> tuple[Question, ...]:
        return tuple(q for q in self.questions if q.scored)

    def question(self, qid: str) -> Question | None:
        return next((q for q in self.questions if q.id == qid), None)

    def to_dict(self) -> dict[str, Any]:
        """Serialise to plain JSON-ready data (the frozen copy a survey keeps)."""
        return {
            "id": self.id,
            "title": self.title,
            "version": self.version,
            "scales": dict(self.scales),
            "intro": _intro_dict(self.intro),
            "sections": [
                {
                    "id": s.id,
                    "title": s.title,
                    "kind": s.kind,
                    "questions": [_question_dict(q) for q in s.questions],
                }
                for s in self.sections
            ],
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Questionnaire:
        """Rebuild from ``to_dict`` output (trusted: it was validated when frozen)."""
        return cls(
            id=data["id"],
            title=data["title"],
            version=str(data.get("version", "1")),
            scales=dict(data.get("scales", {})),
            intro=Intro(**data["intro"]),
            sections=tuple(
                Section(
                    id=s["id"],
                    title=s["title"],
                    kind=s.get("kind", "main"),
                    questions=tuple(_question_from_dict(q) for q in s["questions"]),
                )
                for s in data["sections"]
            ),
        )

    def content_hash(self) -> str:
        """Return a SHA-256 over the canonical JSON form, to prove which version was asked."""
        canonical = json.dumps(self.to_dict(), ensure_ascii=False, sort_keys=True, separators=(",", ":"))
        return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def _intro_dict(intro: Intro) -> dict[str, str]:
    return {
        "title": intro.title,
        "greeting": intro.greeting,
        "purpose": intro.purpose,
        "confidentiality": intro.confidentiality,
        "organisation": intro.organisation,
        "closing": intro.closing,
    }


def _question_dict(q: Question) -> dict[str, Any]:
    return {
        "id": q.id,
        "type": q.type,
        "text": q.text,
        "topic": q.topic,
        "options": [{"key": o.key, "label": o.label, "value": o.value} for o in q.options],
        "scale": q.scale,
        "required": q.required,
        "weight": q.weight,
        "dimension": q.dimension,
        "show_if": {"question": q.show_if.question, "any_of": list(q.show_if.any_of)} if q.show_if else None,
        "help": q.help,
        "max_length": q.max_length,
        "min_value": q.min_value,
        "max_value": q.max_value,
        "max_choices": q.max_choices,
    }


def _question_from_dict(d: dict[str, Any]) -> Question:
    show_if = d.get("show_if")
    return Question(
        id=d["id"],
        type=d["type"],
        text=d["text"],
        topic=d.get("topic", ""),
        options=tuple(Option(o["key"], o["label"], o.get("value")) for o in d.get("options", [])),
        scale=d.get("scale"),
        required=d.get("required", True),
        weight=d.get("weight", 1.0),
        dimension=d.get("dimension", ""),
        show_if=ShowIf(show_if["question"], tuple(show_if["any_of"])) if show_if else None,
        help=d.get("help", ""),
        max_length=d.get("max_length", TEXT_MAX_LENGTH),
        min_value=d.get("min_value"),
        max_value=d.get("max_value"),
        max_choices=d.get("max_choices"),
    )

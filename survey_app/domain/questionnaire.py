"""The questionnaire as the rest of the app sees it: immutable, serialisable, hashable.

A survey stores a *frozen copy* of its questionnaire (``to_dict``) together with
``content_hash``; results are always computed against that copy, so editing a bank
file later never changes an opened survey.  Options are inlined into every question in
the frozen copy, so the copy does not depend on the bank's scale table either.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field, replace
from functools import cached_property
from typing import Any

SINGLE = "single"
MULTIPLE = "multiple"
TEXT = "text"
NUMBER = "number"
MATRIX = "matrix"

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
    #: A matrix's rows: each a single-choice item on the matrix's scale (``parent`` = the matrix id).
    rows: tuple[Question, ...] = ()
    #: The matrix a row belongs to; None for a question asked on its own.
    parent: str | None = None
    #: Words that mark an open answer as speaking about this question's topic (opinion grouping).
    keywords: tuple[str, ...] = ()

    @property
    def scored(self) -> bool:
        """A single-choice item on a valued scale feeds the satisfaction figures."""
        return self.type == SINGLE and any(o.scored for o in self.options)

    @property
    def items(self) -> tuple[Question, ...]:
        """The answerable items this question stands for: its rows for a matrix, else itself."""
        return self.rows if self.type == MATRIX else (self,)

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
class Theme:
    """A theme open answers are grouped under, beside the questions' own topics."""

    name: str
    keywords: tuple[str, ...] = ()


@dataclass(frozen=True)
class Questionnaire:
    id: str
    title: str
    intro: Intro
    sections: tuple[Section, ...]
    version: str = "1"
    scales: dict[str, str] = field(default_factory=dict, compare=False, hash=False)
    #: Further themes for grouping open answers (the scored questions' topics come first).
    themes: tuple[Theme, ...] = ()

    @property
    def questions(self) -> tuple[Question, ...]:
        """All answerable items in display order: a matrix contributes its rows, not itself.

        Scoring, storage, exports and imports work on items; pages that show the
        questionnaire as asked iterate ``sections`` (or ``displayed``) instead.
        """
        return tuple(item for s in self.sections for q in s.questions for item in q.items)

    @property
    def displayed(self) -> tuple[Question, ...]:
        """The questions as a respondent sees them (a matrix is one question)."""
        return tuple(q for s in self.sections for q in s.questions)

    def displayed_question(self, qid: str) -> Question | None:
        """Return the displayed question (a matrix included) with ``qid``."""
        return next((q for q in self.displayed if q.id == qid), None)

    def numbers(self) -> dict[str, str]:
        """The number a respondent sees for each question: 1, 2 …; a matrix row is "5.1".

        Follow-ups carry no number of their own (they are shown under the question they follow).
        Worked out once per questionnaire (pages and reports ask per question); read-only.
        """
        return self._numbers

    @cached_property
    def _numbers(self) -> dict[str, str]:
        numbers: dict[str, str] = {}
        n = 0
        for q in self.displayed:
            if q.show_if is not None:
                continue
            n += 1
            numbers[q.id] = str(n)
            for k, row in enumerate(q.rows, 1):
                numbers[row.id] = f"{n}.{k}"
        return numbers

    @property
    def scored_questions(self) -> tuple[Question, ...]:
        return tuple(q for q in self.questions if q.scored)

    def question(self, qid: str) -> Question | None:
        return next((q for q in self.questions if q.id == qid), None)

    def to_dict(self) -> dict[str, Any]:
        """Serialise to plain JSON-ready data (the frozen copy a survey keeps).

        Fields added after the first frozen copies (themes, rows, parent, keywords) are
        written only when set, so a questionnaire that does not use them keeps its hash.
        """
        data = {
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
        if self.themes:
            data["themes"] = [{"name": t.name, "keywords": list(t.keywords)} for t in self.themes]
        return data

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
            themes=tuple(Theme(t["name"], tuple(t.get("keywords", ()))) for t in data.get("themes", ())),
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
    data = {
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
    if q.keywords:
        data["keywords"] = list(q.keywords)
    if q.type == MATRIX:
        data["rows"] = [_row_dict(r) for r in q.rows]
    return data


def _row_dict(row: Question) -> dict[str, Any]:
    data = {"id": row.id, "text": row.text, "topic": row.topic, "weight": row.weight, "dimension": row.dimension}
    if row.keywords:
        data["keywords"] = list(row.keywords)
    return data


def matrix_rows(matrix: Question, rows: list[dict[str, Any]]) -> tuple[Question, ...]:
    """Build a matrix's rows as single-choice items on the matrix's scale.

    A row inherits what the matrix decides for all of them (options, scale, required,
    show_if); it carries its own text, topic, weight, dimension and keywords.
    """
    return tuple(
        Question(
            id=r["id"], type=SINGLE, text=r["text"], topic=r.get("topic", ""), options=matrix.options,
            scale=matrix.scale, required=matrix.required, weight=r.get("weight", 1.0),
            dimension=r.get("dimension", "") or matrix.dimension, show_if=matrix.show_if, parent=matrix.id,
            keywords=tuple(r.get("keywords", ())),
        )
        for r in rows
    )


def _question_from_dict(d: dict[str, Any]) -> Question:
    show_if = d.get("show_if")
    question = Question(
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
        keywords=tuple(d.get("keywords", ())),
    )
    if question.type == MATRIX:
        question = replace(question, rows=matrix_rows(question, d.get("rows", [])))
    return question

"""Load and strictly validate question-bank YAML files (format: docs/question-banks.md).

Validation collects *every* problem in a file before failing, each naming the file,
the question (or scale / section) and what is wrong, so an author fixes a bank in one
pass instead of one error per run.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from .questionnaire import (
    CHOICE_TYPES,
    NUMBER,
    QUESTION_TYPES,
    TEXT_MAX_LENGTH,
    Intro,
    Option,
    Question,
    Questionnaire,
    Section,
    ShowIf,
    Theme,
)

TOP_KEYS = {"id", "title", "version", "intro", "scales", "sections", "themes"}
INTRO_KEYS = {"title", "greeting", "purpose", "confidentiality", "organisation", "closing"}
SECTION_KEYS = {"id", "title", "kind", "questions"}
SECTION_KINDS = ("main", "unit_info")
QUESTION_KEYS = {
    "id", "type", "text", "topic", "scale", "options", "required", "weight", "dimension",
    "show_if", "help", "max_length", "min", "max", "max_choices", "keywords",
}
#: Question weights are relative; the upper bound catches typos such as 1000 for 1.0.
WEIGHT_MIN, WEIGHT_MAX = 0.0, 100.0


@dataclass(frozen=True)
class BankProblem:
    file: str
    where: str
    message: str

    def __str__(self) -> str:
        return f"{self.file}: {self.where}: {self.message}"


class BankError(ValueError):
    """A bank file failed validation; ``problems`` lists every problem found."""

    def __init__(self, problems: list[BankProblem]):
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


def load_bank(path: str | Path) -> Questionnaire:
    """Read, validate and return one bank file.

    :raises BankError: listing every problem in the file.
    """
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise BankError([BankProblem(path.name, "file", f"cannot read: {exc}")]) from exc
    return parse_bank(text, path.name)


def parse_bank(text: str, filename: str = "<bank>") -> Questionnaire:
    """Validate YAML ``text`` and build the questionnaire.

    :raises BankError: listing every problem found.
    """
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise BankError([BankProblem(filename, "file", f"invalid YAML: {exc}")]) from exc
    return _Parser(filename).parse(data)


class _Parser:
    def __init__(self, filename: str):
        self.file = filename
        self.problems: list[BankProblem] = []

    def fail(self, where: str, message: str) -> None:
        self.problems.append(BankProblem(self.file, where, message))

    def unknown_keys(self, where: str, data: dict, allowed: set[str]) -> None:
        for key in sorted(set(data) - allowed, key=str):
            self.fail(where, f"unknown key '{key}' (allowed: {', '.join(sorted(allowed))})")

    def parse(self, data: Any) -> Questionnaire:
        if not isinstance(data, dict):
            self.fail("file", "the top level must be a mapping with id, title, intro, scales, sections")
            raise BankError(self.problems)
        self.unknown_keys("file", data, TOP_KEYS)
        for key in ("id", "title"):
            if not isinstance(data.get(key), str) or not data.get(key, "").strip():
                self.fail("file", f"'{key}' is required and must be text")
        intro = self.intro(data.get("intro"))
        scales = self.scales(data.get("scales") or {})
        sections = self.sections(data.get("sections"), scales)
        themes = self.themes(data.get("themes") or [])
        if self.problems:
            raise BankError(self.problems)
        return Questionnaire(
            id=data["id"].strip(),
            title=data["title"].strip(),
            version=str(data.get("version", "1")),
            intro=intro,
            sections=sections,
            scales={name: label for name, (label, _) in scales.items()},
            themes=themes,
        )

    def keywords(self, where: str, value: Any) -> tuple[str, ...]:
        """Validate a keyword list (words that mark an open answer as speaking of a theme)."""
        if value is None:
            return ()
        if not isinstance(value, list) or not all(isinstance(k, str) and k.strip() for k in value):
            self.fail(where, "'keywords' must be a list of non-empty words")
            return ()
        return tuple(dict.fromkeys(k.strip() for k in value))

    def themes(self, data: Any) -> tuple[Theme, ...]:
        if not isinstance(data, list):
            self.fail("themes", "'themes' must be a list of {name, keywords}")
            return ()
        themes, seen = [], set()
        for i, item in enumerate(data, 1):
            if not isinstance(item, dict) or not isinstance(item.get("name"), str) or not item["name"].strip():
                self.fail(f"theme {i}", "a theme needs a 'name'")
                continue
            name = item["name"].strip()
            where = f"theme {name}"
            self.unknown_keys(where, item, {"name", "keywords"})
            if name in seen:
                self.fail(where, "duplicate theme name")
            seen.add(name)
            themes.append(Theme(name, self.keywords(where, item.get("keywords"))))
        return tuple(themes)

    def intro(self, data: Any) -> Intro:
        if not isinstance(data, dict) or not isinstance(data.get("title"), str):
            self.fail("intro", "'intro' must be a mapping with at least a 'title'")
            return Intro(title="")
        self.unknown_keys("intro", data, INTRO_KEYS)
        return Intro(**{k: str(v).strip() for k, v in data.items() if k in INTRO_KEYS})

    def scales(self, data: Any) -> dict[str, tuple[str, tuple[Option, ...]]]:
        if not isinstance(data, dict):
            self.fail("scales", "'scales' must be a mapping of scale name to its options")
            return {}
        result = {}
        for name, spec in data.items():
            where = f"scale {name}"
            if not isinstance(spec, dict) or not isinstance(spec.get("options"), list) or not spec["options"]:
                self.fail(where, "a scale needs a non-empty 'options' list")
                continue
            self.unknown_keys(where, spec, {"label", "options"})
            options = self.options(where, spec["options"], valued=True)
            if options and not any(o.scored for o in options):
                self.fail(where, "a scale needs at least one scored option (with a value)")
            result[str(name)] = (str(spec.get("label", name)), options)
        return result

    def options(self, where: str, items: list, valued: bool) -> tuple[Option, ...]:
        options, seen = [], set()
        for i, item in enumerate(items, 1):
            if not isinstance(item, dict) or not item.get("key") or not item.get("label"):
                self.fail(where, f"option {i} needs a 'key' and a 'label'")
                continue
            key = str(item["key"])
            if key in seen:
                self.fail(where, f"duplicate option key '{key}'")
            seen.add(key)
            allowed = {"key", "label", "value", "scored"} if valued else {"key", "label"}
            self.unknown_keys(f"{where} option {key}", item, allowed)
            options.append(Option(key, str(item["label"]), self.option_value(where, key, item) if valued else None))
        return tuple(options)

    def option_value(self, where: str, key: str, item: dict) -> float | None:
        if item.get("scored", True) is False:
            if item.get("value") is not None:
                self.fail(where, f"option '{key}' is not scored but has a value")
            return None
        value = item.get("value")
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 <= value <= 100:
            self.fail(where, f"option '{key}' needs a value between 0 and 100 (or 'scored: false')")
            return None
        return float(value)

    def sections(self, data: Any, scales: dict) -> tuple[Section, ...]:
        if not isinstance(data, list) or not data:
            self.fail("sections", "'sections' must be a non-empty list")
            return ()
        sections, seen_ids, earlier = [], set(), {}
        for i, sec in enumerate(data, 1):
            where = f"section {sec.get('id', i) if isinstance(sec, dict) else i}"
            if not isinstance(sec, dict) or not isinstance(sec.get("questions"), list):
                self.fail(where, "a section needs 'id', 'title' and a 'questions' list")
                continue
            self.unknown_keys(where, sec, SECTION_KEYS)
            kind = sec.get("kind", "main")
            if kind not in SECTION_KINDS:
                self.fail(where, f"unknown kind '{kind}' (allowed: {', '.join(SECTION_KINDS)})")
            questions = []
            for q in sec["questions"]:
                question = _QuestionParser(self, scales, seen_ids, earlier).parse(q)
                if question is not None:
                    questions.append(question)
                    earlier[question.id] = question
            sections.append(Section(str(sec.get("id", i)), str(sec.get("title", "")), tuple(questions), kind))
        return tuple(sections)


class _QuestionParser:
    """Validate one question against the scales and the questions before it."""

    def __init__(self, parser: _Parser, scales: dict, seen_ids: set, earlier: dict):
        self.p, self.scales, self.seen_ids, self.earlier = parser, scales, seen_ids, earlier

    def parse(self, q: Any) -> Question | None:
        if not isinstance(q, dict) or not q.get("id"):
            self.p.fail("question ?", "every question needs an 'id'")
            return None
        qid = str(q["id"])
        where = f"question {qid}"

        def fail(msg: str) -> None:
            self.p.fail(where, msg)

        if qid in self.seen_ids:
            fail("duplicate question id")
        self.seen_ids.add(qid)
        self.p.unknown_keys(where, q, QUESTION_KEYS)
        qtype = q.get("type", "single")
        if qtype not in QUESTION_TYPES:
            fail(f"unknown type '{qtype}' (allowed: {', '.join(QUESTION_TYPES)})")
        if not isinstance(q.get("text"), str) or not q["text"].strip():
            fail("'text' is required")
        options = self.choice_options(where, q, qtype)
        weight = q.get("weight", 1)
        if isinstance(weight, bool) or not isinstance(weight, (int, float)) or not WEIGHT_MIN < weight <= WEIGHT_MAX:
            fail(f"weight {weight!r} out of range: must be > {WEIGHT_MIN:g} and ≤ {WEIGHT_MAX:g}")
            weight = 1
        if not isinstance(q.get("required", True), bool):
            fail("'required' must be true or false")
        max_length = q.get("max_length", TEXT_MAX_LENGTH)
        if not isinstance(max_length, int) or not 1 <= max_length <= TEXT_MAX_LENGTH:
            fail(f"max_length must be between 1 and {TEXT_MAX_LENGTH}")
            max_length = TEXT_MAX_LENGTH
        low, high = self.number_range(where, q, qtype)
        question = Question(
            id=qid, type=qtype, text=str(q.get("text", "")).strip(), topic=str(q.get("topic", "")).strip(),
            options=options, scale=q.get("scale"), required=q.get("required", True) is True,
            weight=float(weight), dimension=str(q.get("dimension", "")), show_if=self.show_if(where, q),
            help=str(q.get("help", "")), max_length=max_length, min_value=low, max_value=high,
            max_choices=q.get("max_choices"), keywords=self.p.keywords(where, q.get("keywords")),
        )
        if question.scored and not question.topic:
            fail("a scored question needs a 'topic' (the noun phrase the report uses)")
        return question

    def choice_options(self, where: str, q: dict, qtype: str) -> tuple[Option, ...]:
        has_scale, has_options = "scale" in q, "options" in q
        if qtype not in CHOICE_TYPES:
            if has_scale or has_options:
                self.p.fail(where, f"a {qtype} question takes no 'scale' or 'options'")
            return ()
        if has_scale == has_options:
            self.p.fail(where, "a choice question needs exactly one of 'scale' or 'options'")
            return ()
        if has_scale:
            if q["scale"] not in self.scales:
                self.p.fail(where, f"unknown scale '{q['scale']}'")
                return ()
            return self.scales[q["scale"]][1]
        if not isinstance(q["options"], list) or not q["options"]:
            self.p.fail(where, "'options' must be a non-empty list")
            return ()
        return self.p.options(where, q["options"], valued=False)

    def number_range(self, where: str, q: dict, qtype: str) -> tuple[float | None, float | None]:
        low, high = q.get("min"), q.get("max")
        if qtype != NUMBER and (low is not None or high is not None):
            self.p.fail(where, "'min'/'max' apply to number questions only")
        for bound in (low, high):
            if bound is not None and (isinstance(bound, bool) or not isinstance(bound, (int, float))):
                self.p.fail(where, "'min'/'max' must be numbers")
                return None, None
        if low is not None and high is not None and low > high:
            self.p.fail(where, f"min {low} is greater than max {high}")
        return low, high

    def show_if(self, where: str, q: dict) -> ShowIf | None:
        cond = q.get("show_if")
        if cond is None:
            return None
        if not isinstance(cond, dict) or "question" not in cond or not isinstance(cond.get("any_of"), list):
            self.p.fail(where, "show_if needs 'question' and an 'any_of' list of option keys")
            return None
        target = self.earlier.get(str(cond["question"]))
        if target is None:
            self.p.fail(where, f"show_if refers to unknown or later question '{cond['question']}'")
            return None
        if target.type not in CHOICE_TYPES:
            self.p.fail(where, f"show_if refers to '{target.id}', which is not a choice question")
            return None
        keys = tuple(str(k) for k in cond["any_of"])
        for key in keys:
            if target.option(key) is None:
                self.p.fail(where, f"show_if option '{key}' is not an option of question '{target.id}'")
        return ShowIf(target.id, keys)

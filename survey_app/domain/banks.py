"""Load and strictly validate question banks (format: docs/question-banks.md).

Validation collects *every* problem before failing, each naming where it is (file, question,
the bank key) and what is wrong, in Chinese: the same validator serves ``flask banks check``,
the bank upload and the questionnaire designer, so an evaluator reads one set of messages.
Each question type validates its own keys (``question_types``); this module checks what all
questions share and the references between them (ids, show_if).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import yaml

from ..texts_zh import banks as zh
from . import question_types
from .questionnaire import MATRIX, Intro, Option, Question, Questionnaire, Section, ShowIf, Theme

TOP_KEYS = {"id", "title", "version", "intro", "scales", "sections", "themes"}
INTRO_KEYS = {"title", "greeting", "purpose", "confidentiality", "organisation", "closing"}
SECTION_KEYS = {"id", "title", "kind", "questions"}
SECTION_KINDS = ("main", "unit_info")
#: Keys every question type accepts; each type adds its own (``QuestionType.bank_keys``).
COMMON_KEYS = {"id", "type", "text", "topic", "required", "weight", "dimension", "show_if", "help", "keywords"}
#: Every key some type accepts (a key outside this set is a typo, not a misplaced key).
QUESTION_KEYS = COMMON_KEYS.union(*(t.bank_keys for t in question_types.REGISTRY.values()))
#: Question weights are relative; the upper bound catches typos such as 1000 for 1.0.
WEIGHT_MIN, WEIGHT_MAX = 0.0, 100.0
#: Ids are stored in ``answers.question_id`` (32 characters) and used in form field names.
ID_PATTERN = re.compile(r"[A-Za-z0-9_.]{1,32}")


@dataclass(frozen=True)
class BankProblem:
    """One problem: the file, where in it (``题 Q1``), what is wrong, and the bank key concerned."""

    file: str
    where: str
    message: str
    #: The question (or matrix row) id the problem belongs to, if any.
    question: str | None = None
    #: The bank key the problem is about (``text``, ``topic``, ``scale`` …), for showing it beside a field.
    key: str | None = None

    def __str__(self) -> str:
        return f"{self.file}：{self.where}：{self.message}"


class BankError(ValueError):
    """A bank failed validation; ``problems`` lists every problem found."""

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
        raise BankError([BankProblem(path.name, zh.FILE, zh.UNREADABLE.format(detail=exc))]) from exc
    return parse_bank(text, path.name)


def parse_bank(text: str, filename: str = "<bank>") -> Questionnaire:
    """Validate YAML ``text`` and build the questionnaire.

    :raises BankError: listing every problem found.
    """
    try:
        data = yaml.load(text, Loader=_NoAliasLoader)  # noqa: S506 - a SafeLoader subclass
    except _AliasUsed as exc:
        raise BankError([BankProblem(filename, zh.FILE, zh.NO_ALIASES)]) from exc
    except yaml.YAMLError as exc:
        raise BankError([BankProblem(filename, zh.FILE, zh.BAD_YAML.format(detail=exc))]) from exc
    return parse_bank_data(data, filename)


class _AliasUsed(Exception):
    pass


class _NoAliasLoader(yaml.SafeLoader):
    """YAML without aliases (``*name``): a bank never needs one (scales are named), and a few
    kilobytes of nested aliases expand into hundreds of thousands of questions to validate."""

    def compose_node(self, parent, index):
        if self.check_event(yaml.AliasEvent):
            raise _AliasUsed
        return super().compose_node(parent, index)


def parse_bank_data(data: Any, filename: str = "<bank>") -> Questionnaire:
    """Validate bank data already in Python form (the designer's draft, a parsed upload).

    :raises BankError: listing every problem found.
    """
    return _Parser(filename).parse(data)


class _Parser:
    def __init__(self, filename: str):
        self.file = filename
        self.problems: list[BankProblem] = []

    def fail(self, where: str, message: str, question: str | None = None, key: str | None = None) -> None:
        self.problems.append(BankProblem(self.file, where, message, question, key))

    def unknown_keys(self, where: str, data: dict, allowed: set[str], question: str | None = None) -> None:
        for key in sorted(set(data) - allowed, key=str):
            self.fail(where, zh.UNKNOWN_KEY.format(key=key, allowed="、".join(sorted(allowed))), question, str(key))

    def parse(self, data: Any) -> Questionnaire:
        if not isinstance(data, dict):
            self.fail(zh.FILE, zh.TOP_LEVEL)
            raise BankError(self.problems)
        self.unknown_keys(zh.FILE, data, TOP_KEYS)
        for key in ("id", "title"):
            if not isinstance(data.get(key), str) or not data.get(key, "").strip():
                self.fail(zh.FILE, zh.REQUIRED_TEXT.format(key=key), key=key)
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

    def intro(self, data: Any) -> Intro:
        if not isinstance(data, dict) or not isinstance(data.get("title"), str):
            self.fail(zh.INTRO, zh.INTRO_NEEDS_TITLE, key="intro")
            return Intro(title="")
        self.unknown_keys(zh.INTRO, data, INTRO_KEYS)
        return Intro(**{k: str(v).strip() for k, v in data.items() if k in INTRO_KEYS})

    def scales(self, data: Any) -> dict[str, tuple[str, tuple[Option, ...]]]:
        if not isinstance(data, dict):
            self.fail(zh.SCALES, zh.SCALES_MAPPING)
            return {}
        result = {}
        for name, spec in data.items():
            where = zh.scale(name)
            if not isinstance(spec, dict) or not isinstance(spec.get("options"), list) or not spec["options"]:
                self.fail(where, zh.SCALE_NEEDS_OPTIONS)
                continue
            self.unknown_keys(where, spec, {"label", "options"})
            options = self.options(where, spec["options"], valued=True)
            if options and not any(o.scored for o in options):
                self.fail(where, zh.SCALE_NEEDS_SCORED)
            result[str(name)] = (str(spec.get("label", name)), options)
        return result

    def options(self, where: str, items: list, valued: bool, question: str | None = None) -> tuple[Option, ...]:
        options, seen = [], set()
        for i, item in enumerate(items, 1):
            if not isinstance(item, dict) or not item.get("key") or not item.get("label"):
                self.fail(where, zh.OPTION_NEEDS_KEY.format(n=i), question, "options")
                continue
            key = str(item["key"])
            if key in seen:
                self.fail(where, zh.DUPLICATE_OPTION.format(key=key), question, "options")
            seen.add(key)
            allowed = {"key", "label", "value", "scored"} if valued else {"key", "label"}
            self.unknown_keys(f"{where} {key}", item, allowed, question)
            value = self.option_value(where, key, item, question) if valued else None
            options.append(Option(key, str(item["label"]), value))
        return tuple(options)

    def option_value(self, where: str, key: str, item: dict, question: str | None) -> float | None:
        if item.get("scored", True) is False:
            if item.get("value") is not None:
                self.fail(where, zh.UNSCORED_WITH_VALUE.format(key=key), question, "options")
            return None
        value = item.get("value")
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 <= value <= 100:
            self.fail(where, zh.OPTION_VALUE.format(key=key), question, "options")
            return None
        return float(value)

    def keywords(self, where: str, value: Any, question: str | None = None) -> tuple[str, ...]:
        """Validate a keyword list (words that mark an open answer as speaking of a theme)."""
        if value is None:
            return ()
        if not isinstance(value, list) or not all(isinstance(k, str) and k.strip() for k in value):
            self.fail(where, zh.KEYWORDS_LIST, question, "keywords")
            return ()
        return tuple(dict.fromkeys(k.strip() for k in value))

    def themes(self, data: Any) -> tuple[Theme, ...]:
        if not isinstance(data, list):
            self.fail(zh.THEMES, zh.THEMES_LIST)
            return ()
        themes, seen = [], set()
        for i, item in enumerate(data, 1):
            if not isinstance(item, dict) or not isinstance(item.get("name"), str) or not item["name"].strip():
                self.fail(zh.theme(i), zh.THEME_NEEDS_NAME)
                continue
            name = item["name"].strip()
            where = zh.theme(name)
            self.unknown_keys(where, item, {"name", "keywords"})
            if name in seen:
                self.fail(where, zh.DUPLICATE_THEME)
            seen.add(name)
            themes.append(Theme(name, self.keywords(where, item.get("keywords"))))
        return tuple(themes)

    def sections(self, data: Any, scales: dict) -> tuple[Section, ...]:
        if not isinstance(data, list) or not data:
            self.fail(zh.SECTIONS, zh.SECTIONS_LIST)
            return ()
        sections, seen_ids, earlier = [], set(), {}
        for i, sec in enumerate(data, 1):
            where = zh.section(sec.get("id", i) if isinstance(sec, dict) else i)
            if not isinstance(sec, dict) or not isinstance(sec.get("questions"), list):
                self.fail(where, zh.SECTION_SHAPE)
                continue
            self.unknown_keys(where, sec, SECTION_KEYS)
            kind = sec.get("kind", "main")
            if kind not in SECTION_KINDS:
                self.fail(where, zh.UNKNOWN_KIND.format(kind=kind, allowed="、".join(SECTION_KINDS)), key="kind")
            questions = []
            for q in sec["questions"]:
                question = _QuestionParser(self, scales, seen_ids, earlier).parse(q)
                if question is not None:
                    questions.append(question)
                    for item in (question, *question.rows):
                        earlier[item.id] = item
            sections.append(Section(str(sec.get("id", i)), str(sec.get("title", "")), tuple(questions), kind))
        return tuple(sections)


class _QuestionParser:
    """Validate one question against the scales and the questions before it."""

    def __init__(self, parser: _Parser, scales: dict, seen_ids: set, earlier: dict):
        self.p, self.scales, self.seen_ids, self.earlier = parser, scales, seen_ids, earlier
        self.qid: str | None = None

    def fail(self, where: str, message: str, key: str | None = None) -> None:
        self.p.fail(where, message, self.qid, key)

    def claim_id(self, qid: str, where: str) -> None:
        """Refuse an id used before (questions and matrix rows share one namespace) or malformed."""
        if not ID_PATTERN.fullmatch(qid):
            self.fail(where, zh.BAD_ID, "id")
        if qid in self.seen_ids:
            self.fail(where, zh.DUPLICATE_ID, "id")
        self.seen_ids.add(qid)

    def parse(self, q: Any) -> Question | None:
        if not isinstance(q, dict) or not q.get("id"):
            self.p.fail(zh.question("?"), zh.QUESTION_NEEDS_ID, key="id")
            return None
        qid = self.qid = str(q["id"])
        where = zh.question(qid)
        self.claim_id(qid, where)
        name = q.get("type", "single")
        qtype = question_types.REGISTRY.get(name)
        if qtype is None:
            self.fail(where, zh.UNKNOWN_TYPE.format(type=name, allowed="、".join(question_types.TYPE_NAMES)), "type")
        else:
            self.misplaced_keys(where, q, qtype)
        self.p.unknown_keys(where, q, QUESTION_KEYS, qid)
        if not isinstance(q.get("text"), str) or not q["text"].strip():
            self.fail(where, zh.TEXT_REQUIRED, "text")
        if not isinstance(q.get("required", True), bool):
            self.fail(where, zh.REQUIRED_BOOL, "required")
        fields = qtype.parse(self, q, where) if qtype is not None else {}
        rows = fields.pop("rows", [])
        question = Question(
            id=qid, type=name if qtype is not None else "single", text=str(q.get("text", "")).strip(),
            topic=str(q.get("topic", "")).strip(), scale=q.get("scale"), required=q.get("required", True) is True,
            weight=self.weight(where, q), dimension=str(q.get("dimension", "")), show_if=self.show_if(where, q),
            help=str(q.get("help", "")), keywords=self.p.keywords(where, q.get("keywords"), qid), **fields,
        )
        if question.type == MATRIX:
            question = replace(question, rows=question_types.of(question).build(question, rows))
        if question.scored and not question.topic:
            self.fail(where, zh.SCORED_NEEDS_TOPIC, "topic")
        return question

    def misplaced_keys(self, where: str, q: dict, qtype) -> None:
        """A key another type uses, given to this one: say it does not apply here."""
        label = zh.TYPE_LABELS[qtype.name]
        for key in sorted((set(q) & QUESTION_KEYS) - COMMON_KEYS - qtype.bank_keys):
            self.fail(where, zh.KEY_NOT_FOR_TYPE.format(type_label=label, key=key), key)

    def weight(self, where: str, q: dict) -> float:
        weight = q.get("weight", 1)
        if isinstance(weight, bool) or not isinstance(weight, (int, float)) or not WEIGHT_MIN < weight <= WEIGHT_MAX:
            self.fail(where, zh.WEIGHT_RANGE.format(weight=repr(weight), low=WEIGHT_MIN, high=WEIGHT_MAX), "weight")
            return 1.0
        return float(weight)

    def choice_options(self, where: str, q: dict) -> tuple[Option, ...]:
        """Options from exactly one of a named scale or an inline list (unscored)."""
        has_scale, has_options = "scale" in q, "options" in q
        if has_scale == has_options:
            self.fail(where, zh.CHOICE_NEEDS_ONE, "scale")
            return ()
        if has_scale:
            if q["scale"] not in self.scales:
                self.fail(where, zh.UNKNOWN_SCALE.format(scale=q["scale"]), "scale")
                return ()
            return self.scales[q["scale"]][1]
        if not isinstance(q["options"], list) or not q["options"]:
            self.fail(where, zh.OPTIONS_LIST, "options")
            return ()
        return self.p.options(where, q["options"], valued=False, question=self.qid)

    def show_if(self, where: str, q: dict) -> ShowIf | None:
        cond = q.get("show_if")
        if cond is None:
            return None
        if not isinstance(cond, dict) or "question" not in cond or not isinstance(cond.get("any_of"), list):
            self.fail(where, zh.SHOW_IF_SHAPE, "show_if")
            return None
        target = self.earlier.get(str(cond["question"]))
        if target is None:
            self.fail(where, zh.SHOW_IF_UNKNOWN.format(target=cond["question"]), "show_if")
            return None
        if not question_types.is_choice(target):
            self.fail(where, zh.SHOW_IF_NOT_CHOICE.format(target=target.id), "show_if")
            return None
        keys = tuple(str(k) for k in cond["any_of"])
        if not keys:
            self.fail(where, zh.SHOW_IF_EMPTY, "show_if")
        for key in keys:
            if target.option(key) is None:
                self.fail(where, zh.SHOW_IF_OPTION.format(key=key, target=target.id), "show_if")
        return ShowIf(target.id, keys)

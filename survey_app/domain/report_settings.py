"""Report settings (报告设置) and the defaults derived from the survey's own data.

An evaluator pastes the appendix into the evaluation report, so every sentence that is not
a computed figure must either come from the survey (unit list, questionnaire, where the
answers came from) or from a setting the evaluator typed.  ``ReportSettings`` holds only
what was typed (None: use the default); ``resolve`` returns each value with the words
saying where it came from, which the settings page shows beside each field.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from ..texts_zh import report_settings as zh
from .scoring.errors import SettingsError
from .vocabulary import Source

#: Optional parts of the appendix by key; the appendix prints a chosen part only when it has content.
OPTIONAL_SECTIONS = ("sample", "groups", "alpha", "ci", "opinions", "questionnaire", "data_note")
DEFAULT_SECTIONS = ("sample", "groups", "opinions", "questionnaire", "data_note")
#: A unit field with more distinct values than this identifies units rather than grouping them.
MAX_GROUPS = 15
#: Values of a merged unit (two awards …) are joined with this; each part is a group of its own.
JOINED = "；"
TEXT_LIMIT = 500
_NUMBER = re.compile(r"[+-]?(\d{1,3}(,\d{3})+|\d+)(\.\d+)?")


@dataclass(frozen=True)
class ReportSettings:
    """What the evaluator set; every None takes the default ``resolve`` derives."""

    purpose: tuple[str, ...] | None = None
    population: str | None = None
    platform: str | None = None
    issued: int | None = None
    contact: str | None = None
    sections: tuple[str, ...] | None = None
    breakdowns: tuple[str, ...] | None = None

    @classmethod
    def from_dict(cls, data: Mapping[str, Any] | None) -> ReportSettings:
        """Read stored or submitted values; blank text means "use the default"."""
        data = dict(data or {})

        def text(key: str) -> str | None:
            value = str(data.get(key) or "").strip()
            if len(value) > TEXT_LIMIT:
                raise SettingsError(f"{key} too long", zh.TOO_LONG.format(field=zh.FIELDS[key], n=TEXT_LIMIT))
            return value or None

        purpose = data.get("purpose")
        if isinstance(purpose, str):
            purpose = purpose.splitlines()
        purpose = tuple(p.strip() for p in purpose or () if p and p.strip()) or None
        issued = data.get("issued")
        if isinstance(issued, str):
            issued = issued.strip() or None
            issued = int(issued) if issued is not None and issued.isdigit() else issued
        if issued is not None and (isinstance(issued, bool) or not isinstance(issued, int) or issued < 1):
            raise SettingsError(f"issued must be a positive integer; got {issued!r}", zh.BAD_ISSUED.format(value=issued))
        sections = data.get("sections")
        if sections is not None:
            sections = tuple(dict.fromkeys(sections))
            if unknown := [s for s in sections if s not in OPTIONAL_SECTIONS]:
                raise SettingsError(f"unknown section(s) {unknown}", zh.BAD_SECTION.format(keys="、".join(unknown)))
        breakdowns = data.get("breakdowns")
        if breakdowns is not None:
            breakdowns = tuple(dict.fromkeys(breakdowns))
            if bad := [b for b in breakdowns if not (b in zh.UNIT_FIELDS or b.startswith("attribute:"))]:
                raise SettingsError(f"unknown breakdown(s) {bad}", zh.BAD_BREAKDOWN.format(keys="、".join(bad)))
        return cls(purpose, text("population"), text("platform"), issued, text("contact"), sections, breakdowns)

    def to_dict(self) -> dict[str, Any]:
        """The stored form: only what was set."""
        values = {"purpose": list(self.purpose) if self.purpose else None, "population": self.population,
                  "platform": self.platform, "issued": self.issued, "contact": self.contact,
                  "sections": list(self.sections) if self.sections is not None else None,
                  "breakdowns": list(self.breakdowns) if self.breakdowns is not None else None}
        return {k: v for k, v in values.items() if v is not None}


@dataclass(frozen=True)
class Resolved:
    """A setting's effective value, whether the evaluator set it, and where it came from (in words)."""

    value: Any
    source: str
    set: bool = False


# ----------------------------------------------------------------------------- unit fields

def field_values(unit: Mapping[str, Any], key: str) -> list[str]:
    """A unit's values of a breakdown field; a merged unit's joined values count in each group."""
    if key in zh.UNIT_FIELDS:
        raw = unit.get(key)
    else:
        raw = (unit.get("attributes") or {}).get(key.split(":", 1)[1])
    return [part.strip() for part in str(raw or "").split(JOINED) if part.strip()]


def is_number(text: str) -> bool:
    """A plain decimal ("30", "12.5", "1,200"): an amount, not a category."""
    return bool(_NUMBER.fullmatch(text.strip())) and not (len(text.strip()) > 1 and text.strip()[0] == "0"
                                                        and text.strip()[1:2].isdigit())


@dataclass(frozen=True)
class FieldChoice:
    """A unit field one can break down by."""

    key: str
    label: str
    groups: int
    numeric: bool

    @property
    def groupable(self) -> bool:
        return not self.numeric and 1 < self.groups <= MAX_GROUPS


def field_choices(units: Sequence[Mapping[str, Any]]) -> list[FieldChoice]:
    """County, category and every unit attribute, with their number of groups."""
    keys = [*zh.UNIT_FIELDS, *(f"attribute:{k}" for k in dict.fromkeys(a for u in units
                                                                       for a in (u.get("attributes") or {})))]
    choices = []
    for key in keys:
        values = {v for u in units for v in field_values(u, key)}
        label = zh.UNIT_FIELDS.get(key) or key.split(":", 1)[1]
        choices.append(FieldChoice(key, label, len(values), bool(values) and all(map(is_number, values))))
    return [c for c in choices if c.groups]


# ----------------------------------------------------------------------------- derived defaults

def _measure(category: str) -> str:
    return "家" if category.endswith(zh.MEASURE_FAMILY) else "个"


def population_phrase(units: Sequence[Mapping[str, Any]]) -> str:
    """"19家企业和10个专业镇", counted from the unit list's categories in list order."""
    counts = Counter(u.get("category") or "" for u in units)
    named = [(c, n) for c, n in counts.items() if c]
    if not named or counts[""]:
        return zh.UNITS_PLAIN.format(n=len(units))
    parts = [zh.CATEGORY_COUNT.format(n=n, measure=_measure(c), name=c) for c, n in named]
    return parts[0] if len(parts) == 1 else "、".join(parts[:-1]) + zh.CATEGORY_AND + parts[-1]


def platform_phrase(sources: Mapping[str, int]) -> str:
    """How the questionnaire reached respondents, from where the answers came."""
    used = [s for s in Source if sources.get(s)] or [Source.WEB]
    return zh.PLATFORM_JOIN.join(zh.PLATFORM[s] for s in used)


def purpose_aspects(dimensions: Iterable[str], subject: str, has_open: bool) -> list[str]:
    aspects = [zh.DIMENSION_ASPECT.format(subject=subject, dimension=d) for d in dimensions]
    aspects = aspects or [zh.GENERAL_ASPECT.format(subject=subject)]
    return aspects + ([zh.ADVICE_ASPECT.format(subject=subject)] if has_open else [])


@dataclass(frozen=True)
class ReportFacts:
    """What the defaults are derived from (gathered by the service)."""

    units: Sequence[Mapping[str, Any]]
    dimensions: Sequence[str]
    has_open: bool
    sources: Mapping[str, int]
    subject: str
    #: The sample-size N the evaluator set (sampling settings), or None.
    population_n: int | None = None


def resolve(settings: ReportSettings, facts: ReportFacts) -> dict[str, Resolved]:
    """Every report setting's effective value with where it came from."""
    units, s = facts.units, settings
    dims = list(dict.fromkeys(facts.dimensions))
    if not units:
        population = Resolved(zh.POPULATION_OPEN.format(subject=facts.subject), zh.FROM_NO_UNITS)
    elif any(u.get("category") for u in units):
        population = Resolved(population_phrase(units), zh.FROM_CATEGORIES.format(n=len(units)))
    else:
        population = Resolved(population_phrase(units), zh.FROM_UNIT_COUNT.format(n=len(units)))
    purpose = Resolved(purpose_aspects(dims, facts.subject, facts.has_open),
                       zh.FROM_DIMENSIONS.format(n=len(dims), advice=zh.FROM_DIMENSIONS_ADVICE if facts.has_open
                                                 else "") if dims else zh.FROM_NO_DIMENSIONS)
    used = {k: n for k, n in facts.sources.items() if n}
    platform = Resolved(platform_phrase(facts.sources), zh.FROM_SOURCES.format(
        sources="、".join(f"{zh.PLATFORM_SOURCE_NAMES[k]}{n}份" for k, n in used.items())) if used
        else zh.FROM_NO_ANSWERS)
    quota = sum(int(u.get("min_valid") or 0) for u in units)
    issued = Resolved(quota or None, zh.FROM_QUOTA if quota else zh.FROM_NO_QUOTA)
    sampling = Resolved(quota or None, zh.FROM_QUOTA if quota else zh.FROM_NO_QUOTA)
    choices = field_choices(units)
    breakdowns = Resolved([c.key for c in choices if c.groupable], zh.FROM_DEFAULT_BREAKDOWNS.format(max=MAX_GROUPS))
    out = {"purpose": purpose, "population": population, "platform": platform, "issued": issued,
           "sampling_population": sampling, "contact": Resolved(None, zh.FROM_NO_CONTACT),
           "sections": Resolved(list(DEFAULT_SECTIONS), zh.FROM_DEFAULT_SECTIONS), "breakdowns": breakdowns}
    for key, value in (("purpose", s.purpose and list(s.purpose)), ("population", s.population),
                       ("platform", s.platform), ("issued", s.issued), ("sampling_population", facts.population_n),
                       ("contact", s.contact), ("sections", s.sections is not None and list(s.sections)),
                       ("breakdowns", s.breakdowns is not None and list(s.breakdowns))):
        if value is not None and value is not False:
            out[key] = Resolved(value, zh.FROM_SETTING, True)
    return out

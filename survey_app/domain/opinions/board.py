"""The evaluator's decisions over the automatic grouping, and how they survive new answers.

Decisions are kept as a small JSON document per survey (``Decisions.to_json``):

- ``names``: every theme the evaluator has seen, id → name (renames live here);
- ``assigned``: every opinion the evaluator has seen, normalised text → theme ids;
- ``aliases``: theme ids merged away → the theme they went into;
- ``hidden``: opinions kept in the data but left out of the report;
- ``examples``: how many representative answers the report quotes per theme.

``reconcile`` lays them over a fresh automatic grouping: an opinion already seen keeps
its themes; an opinion not seen yet (a new answer) takes its automatic themes, followed
through ``aliases`` (so what the grouping would put into a merged theme goes to the theme
it was merged into), and is marked new until the evaluator moves it or confirms.
Decisions are keyed by text, not by answer row, so identical new answers join their
twins and an excluded response simply drops out.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .grouping import Answers, Grouping, OpenAnswer

DEFAULT_EXAMPLES = 3
MAX_EXAMPLES = 20
#: "all": the report quotes every answer of a theme.
ALL_EXAMPLES = -1
MAX_NAME = 30


class OpinionError(ValueError):
    """A decision that cannot be applied; ``code`` names the problem, ``params`` fill its message."""

    def __init__(self, code: str, **params: Any):
        super().__init__(code)
        self.code = code
        self.params = params


@dataclass
class Decisions:
    names: dict[str, str] = field(default_factory=dict)
    assigned: dict[str, list[str]] = field(default_factory=dict)
    aliases: dict[str, str] = field(default_factory=dict)
    hidden: set[str] = field(default_factory=set)
    examples: int = DEFAULT_EXAMPLES
    next_id: int = 1

    def to_json(self) -> dict[str, Any]:
        return {"names": self.names, "assigned": self.assigned, "aliases": self.aliases,
                "hidden": sorted(self.hidden), "examples": self.examples, "next_id": self.next_id}

    @classmethod
    def from_json(cls, data: dict[str, Any] | None) -> Decisions:
        data = data or {}
        return cls(dict(data.get("names", {})), {k: list(v) for k, v in data.get("assigned", {}).items()},
                   dict(data.get("aliases", {})), set(data.get("hidden", ())),
                   int(data.get("examples", DEFAULT_EXAMPLES)), int(data.get("next_id", 1)))


@dataclass
class ThemeView:
    """A theme as shown and reported: its opinions, most frequent first."""

    id: str
    name: str
    items: list[OpenAnswer]
    hidden: set[str]
    new: set[str]

    @property
    def count(self) -> int:
        """Answers the report counts (hidden ones left out)."""
        return sum(a.count for a in self.items if a.key not in self.hidden)

    @property
    def reported(self) -> list[OpenAnswer]:
        return [a for a in self.items if a.key not in self.hidden]


@dataclass
class Board:
    """The grouping as it stands: automatic where the evaluator has not decided."""

    answers: Answers
    names: dict[str, str]
    assigned: dict[str, tuple[str, ...]]
    hidden: set[str]
    new: set[str]
    examples: int = DEFAULT_EXAMPLES
    decided: bool = False

    def themes(self) -> list[ThemeView]:
        """Themes with at least one opinion, by reported count (then by name)."""
        members: dict[str, list[OpenAnswer]] = {tid: [] for tid in self.names}
        for item in self.answers.items:
            for tid in self.assigned.get(item.key, ()):
                members.setdefault(tid, []).append(item)
        views = [ThemeView(tid, self.names.get(tid, tid), items, self.hidden, self.new)
                 for tid, items in members.items() if items]
        views.sort(key=lambda t: (-t.count, -len(t.items), t.name))
        return views

    def item(self, key: str) -> OpenAnswer:
        found = next((a for a in self.answers.items if a.key == key), None)
        if found is None:
            raise OpinionError("answer")
        return found


def reconcile(answers: Answers, auto: Grouping, saved: Decisions | None) -> Board:
    """Lay the saved decisions over the automatic grouping (see the module's docstring)."""
    if saved is None:
        return Board(answers, dict(auto.names), dict(auto.assigned), set(), set())
    names = dict(saved.names)
    assigned: dict[str, tuple[str, ...]] = {}
    new: set[str] = set()
    for item in answers.items:
        ids = saved.assigned.get(item.key)
        if ids is None:
            new.add(item.key)
            ids = [_follow(saved.aliases, tid) for tid in auto.assigned.get(item.key, ())]
            for tid in ids:
                names.setdefault(tid, auto.names.get(tid, tid))
        assigned[item.key] = tuple(dict.fromkeys(tid for tid in ids if tid in names))
    keys = set(assigned)
    return Board(answers, names, assigned, saved.hidden & keys, new, saved.examples, decided=True)


def _follow(aliases: dict[str, str], tid: str) -> str:
    seen = set()
    while tid in aliases and tid not in seen:
        seen.add(tid)
        tid = aliases[tid]
    return tid

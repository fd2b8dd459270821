"""Match the unit named in a row to the survey's unit list, with suggestions for near misses.

A 统一社会信用代码 matches exactly (case-insensitive); a name matches after removing spaces
and punctuation and unifying full/half-width forms.  Anything else is reported with the
closest names (difflib) so the evaluator can accept one (``choices``: given name → unit id,
once for every row with that name) or correct the file — a unit is never guessed, because
attributing answers to the wrong unit changes unit-level results.  For the same reason a
name that two units of the list share (a list imported with ``--duplicates keep``) is
*ambiguous*: its rows need a decision or a credit-code column.
"""

from __future__ import annotations

import difflib
from collections import defaultdict
from dataclasses import dataclass

from .headers import nfkc, squash


@dataclass(frozen=True)
class UnitRef:
    """What the import needs to know about a unit of the survey."""

    id: int
    name: str
    credit_code: str | None = None


class Ambiguous(tuple):
    """The units sharing one name (a tuple of ``UnitRef``): the row needs a decision."""

    __slots__ = ()


class UnitMatcher:
    def __init__(self, units: list[UnitRef], aliases: dict[str, str] | None = None,
                 choices: dict[str, int] | None = None):
        self.units = units
        self.by_code = {u.credit_code.upper(): u for u in units if u.credit_code}
        grouped: dict[str, list[UnitRef]] = defaultdict(list)
        for unit in units:
            grouped[squash(unit.name)].append(unit)
        self.by_name: dict[str, UnitRef | Ambiguous] = {
            k: v[0] if len(v) == 1 else Ambiguous(v) for k, v in grouped.items()}
        self.by_id = {str(u.id): u for u in units}
        self.aliases = {squash(k): squash(v) for k, v in (aliases or {}).items()}
        self.choices = {squash(k): self.by_id[str(v)] for k, v in (choices or {}).items() if str(v) in self.by_id}
        self._names = list(self.by_name)

    def match(self, value: str, *, allow_id: bool = False) -> UnitRef | Ambiguous | None:
        """Return the unit named by ``value`` (credit code, evaluator's choice, name; id when allowed).

        ``Ambiguous`` when the name belongs to several units and nothing chose between them.
        """
        text = nfkc(value)
        if not text:
            return None
        if text.upper() in self.by_code:
            return self.by_code[text.upper()]
        if allow_id and text in self.by_id:
            return self.by_id[text]
        key = squash(text)
        if key in self.choices:
            return self.choices[key]
        return self.by_name.get(self.aliases.get(key, key))

    def known(self, value: str) -> bool:
        """True when ``value`` names a unit of the list (by code or name): the content test of a column."""
        text = nfkc(value)
        return bool(text) and (text.upper() in self.by_code or squash(text) in self.by_name)

    def suggest(self, value: str, n: int = 3) -> list[UnitRef]:
        """Return up to ``n`` units whose names are close to ``value`` (for "是否为…？")."""
        close = difflib.get_close_matches(squash(value), self._names, n=n, cutoff=0.6)
        out: list[UnitRef] = []
        for name in close:
            found = self.by_name[name]
            out.extend(found if isinstance(found, Ambiguous) else [found])
        return out[:n]

"""Match the unit named in a row to the survey's unit list, with suggestions for near misses.

A 统一社会信用代码 matches exactly (case-insensitive); a name matches after removing spaces
and punctuation and unifying full/half-width forms.  Anything else is reported with the
closest names (difflib) so the evaluator can correct the file or the mapping — a unit is
never guessed, because attributing answers to the wrong unit changes unit-level results.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass

from .headers import nfkc, squash


@dataclass(frozen=True)
class UnitRef:
    """What the import needs to know about a unit of the survey."""

    id: int
    name: str
    credit_code: str | None = None


class UnitMatcher:
    def __init__(self, units: list[UnitRef], aliases: dict[str, str] | None = None):
        self.units = units
        self.by_code = {u.credit_code.upper(): u for u in units if u.credit_code}
        self.by_name = {squash(u.name): u for u in units}
        self.by_id = {str(u.id): u for u in units}
        self.aliases = {squash(k): squash(v) for k, v in (aliases or {}).items()}
        self._names = list(self.by_name)

    def match(self, value: str, *, allow_id: bool = False) -> UnitRef | None:
        """Return the unit named by ``value`` (credit code or name; id when allowed), or None."""
        text = nfkc(value)
        if not text:
            return None
        if text.upper() in self.by_code:
            return self.by_code[text.upper()]
        if allow_id and text in self.by_id:
            return self.by_id[text]
        key = squash(text)
        return self.by_name.get(self.aliases.get(key, key))

    def suggest(self, value: str, n: int = 3) -> list[str]:
        """Return up to ``n`` unit names close to ``value`` (for "是否为…？")."""
        close = difflib.get_close_matches(squash(value), self._names, n=n, cutoff=0.6)
        return [self.by_name[c].name for c in close]

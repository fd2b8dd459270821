"""The unit side of ``ImportReader``: which column names the unit, and which unit each row names.

A mixin (``ImportReader`` inherits it) so the reader stays readable: the unit column is found
by its header (``headers.unit_header``) or, failing that, by its content; each row's unit is
then matched by code or name, an evaluator's choice, or reported as unknown / ambiguous, or
skipped when the evaluator said so (see ``units.UnitMatcher`` for why nothing is guessed).
"""

from __future__ import annotations

from ...texts_zh import imports as zh
from .headers import squash
from .mapping import ColumnUse
from .units import UnitRef
from .values import is_skipped, tidy

#: Values looked at, and the share that must name a listed unit, to take an unnamed column as the unit column.
UNIT_SAMPLE, UNIT_SHARE = 500, 0.6
SKIP = object()  # a row naming a unit the evaluator chose to skip


class UnitColumns:
    """Needs ``report``, ``frame``, ``header_rows``, ``matcher``, ``meta``, ``spec``, ``skip_units``, ``fixed``."""

    def _unit_by_content(self, uses: list[ColumnUse]) -> list[ColumnUse]:
        """Take the unnamed column whose values mostly name listed units (or credit codes) as the unit column."""
        best = None
        for item in self.report.unmapped:
            values = [tidy(v) for v in self.frame.iloc[self.header_rows:self.header_rows + UNIT_SAMPLE, item.index]]
            values = [v for v in values if not is_skipped(v)]
            if not values:
                continue
            share = sum(map(self.matcher.known, values)) / len(values)
            codes = sum(v.upper() in self.matcher.by_code for v in values)
            if share >= UNIT_SHARE and (best is None or share > best[0]):
                best = (share, item, "unit_code" if codes * 2 > len(values) else "unit")
        if best is None:
            return uses
        _, item, target = best
        self.report.unmapped = [u for u in self.report.unmapped if u.index != item.index]
        self.report.unit_found_by = "content"
        return sorted([*uses, ColumnUse(item.index, item.header, "meta", target, None, "content")],
                      key=lambda u: u.index)

    def _unit_mode(self, units: list[UnitRef], unit: str | None) -> None:
        report = self.report
        if unit:
            found = self.matcher.match(unit, allow_id=True)
            self.fixed = found if isinstance(found, UnitRef) else None
            report.unit_mode = "fixed"
            if self.fixed is None:
                report.file_problems.append(zh.unknown_fixed_unit(unit, [u.name for u in self.matcher.suggest(unit)]))
            else:
                report.fixed_unit = self.fixed.name
        elif {"unit", "unit_code"} & set(self.meta):
            report.unit_mode = "column"
        elif not units or self.spec.unknown_units == "other":
            report.unit_mode = "none"
        else:
            report.file_problems.append(zh.NO_UNIT_COLUMN)

    def _unit(self, row, line, problems, record) -> tuple[int | None, str | None]:
        if self.fixed is not None:
            return self.fixed.id, None
        values = [tidy(row[self.meta[k]]) for k in ("unit_code", "unit") if k in self.meta]
        values = [v for v in values if not is_skipped(v)]
        if self.skip_units and any(squash(v) in self.skip_units for v in values):
            if record:
                self.report.add_skipped(values[-1], line)
            return SKIP
        found = [u for u in map(self.matcher.match, values) if u is not None]
        sure = next((u for u in found if isinstance(u, UnitRef)), None)
        if sure is not None or self.report.unit_mode == "none":
            return (sure.id if sure else None), None
        shown = values[-1] if values else ""
        if found:  # only names that several listed units share
            problems.append(zh.ambiguous_unit(shown, len(found[0])))
            if record:
                self.report.add_unit_problem(shown, line, "ambiguous", lambda: list(found[0]))
            return None, None
        if self.spec.unknown_units == "other" and values:
            return None, values[-1][:200]
        problems.append(zh.unknown_unit(shown))
        if record:
            self.report.add_unit_problem(shown, line, "unknown", lambda: self.matcher.suggest(shown))
        return None, None

"""Open answers grouped by theme (意见建议汇总): automatic grouping, the evaluator's edits, outputs.

Pure: answers and the questionnaire in, themes out.  ``grouping`` makes the first grouping,
``board`` lays the evaluator's saved decisions over it, ``decide`` makes new decisions,
``summary`` shapes the result for the appendix, the workbook and the API.
How grouping works and how to tune a bank's keywords: docs/opinions.md.
"""

from __future__ import annotations

from collections.abc import Iterable

from ..questionnaire import Questionnaire
from .board import Board, Decisions, OpinionError, ThemeView, reconcile
from .grouping import Answers, Grouping, OpenAnswer, collect, group, seeds
from .summary import OpinionSummary, ThemeSummary, question_labels, sheet_rows, summarise


def build_board(questionnaire: Questionnaire, rows: Iterable[tuple[str, str | None, int]],
                saved: Decisions | None = None) -> Board:
    """Group ``(question id, text, answers)`` rows and lay ``saved`` decisions over the result."""
    answers = collect(rows)
    if not answers.items:  # nothing to group: no need to load the segmenter
        return reconcile(answers, Grouping({}, {}), saved)
    seed_list, fallback = seeds(questionnaire)
    return reconcile(answers, group(answers, seed_list, fallback), saved)


__all__ = ["Answers", "Board", "Decisions", "OpenAnswer", "OpinionError", "OpinionSummary", "ThemeSummary",
           "ThemeView", "build_board", "collect", "group", "question_labels", "reconcile", "seeds", "sheet_rows",
           "summarise"]

"""Grouped open answers (意见建议汇总): read the answers, lay the evaluator's decisions over them.

The answers are counted in SQL per (question, text) — identical answers arrive as one row —
and grouped by ``domain.opinions``.  The decisions live in ``opinion_boards`` (one row per
survey, absent until the first decision); every decision is also an audit event whose
``before``/``after`` say what changed.  The page, the appendix, the workbook and the API
all read ``opinion_summary`` or ``opinion_board``, so they show the same themes.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from ..domain.opinions import Board, Decisions, OpinionError, OpinionSummary, build_board, sheet_rows, summarise
from ..domain.opinions import decide as ops
from ..domain.questionnaire import TEXT
from ..models import Answer, OpinionBoard, Response, Survey
from . import audit
from .summary_sql import SummaryFilter

#: Opinions named one by one in an audit event (confirming 10⁴ new ones must not write them all).
AUDIT_LISTED = 20
#: Decisions the page offers, and the audit action each records.
ACTIONS = ("rename", "merge", "split", "move", "hide", "show", "acknowledge", "examples")


class StaleBoard(OpinionError):
    """The page was built from an older revision than the saved one."""

    def __init__(self) -> None:
        super().__init__("stale")


def answer_rows(session: Session, survey: Survey, flt: SummaryFilter | None = None) -> Iterator[tuple[str, str, int]]:
    """(question id, text, answers) of the open questions, over the filter's responses (default: counted)."""
    flt = flt or SummaryFilter()
    qids = [q.id for q in survey.questionnaire.questions if q.type == TEXT]
    if not qids:
        return iter(())
    query = (sa.select(Answer.question_id, Answer.text_value, sa.func.count())
             .join(Response, Response.id == Answer.response_id)
             .where(Answer.survey_id == survey.id, Answer.question_id.in_(qids), Answer.text_value.is_not(None),
                    Answer.text_value != "",
                    *flt.where(survey.id))
             .group_by(Answer.question_id, Answer.text_value))
    return iter(session.execute(query).all())


def saved_board(session: Session, survey: Survey) -> OpinionBoard | None:
    return session.get(OpinionBoard, survey.id)


def opinion_board(session: Session, survey: Survey, flt: SummaryFilter | None = None) -> tuple[Board, int]:
    """The grouping as it stands for ``survey`` and the revision of its saved decisions (0: none)."""
    row = saved_board(session, survey)
    saved = Decisions.from_json(row.decisions) if row else None
    return build_board(survey.questionnaire, answer_rows(session, survey, flt), saved), (row.revision if row else 0)


def opinion_summary(session: Session, survey: Survey, flt: SummaryFilter | None = None,
                    examples: int | None = None) -> OpinionSummary:
    """Themes with counts and examples, as the appendix, the workbook and the API print them."""
    board, _ = opinion_board(session, survey, flt)
    return summarise(board, survey.questionnaire, examples)


def opinion_rows(session: Session, survey: Survey, flt: SummaryFilter | None = None) -> list[list[Any]]:
    """Every opinion with its theme, for the workbook's 意见建议 sheet."""
    board, _ = opinion_board(session, survey, flt)
    return sheet_rows(board, survey.questionnaire)


def decide(session: Session, survey: Survey, actor: str, action: str, revision: int,
           params: dict[str, Any]) -> dict[str, Any]:
    """Apply one decision, save it, add an audit event ``opinions.<action>`` and flush.

    :param revision: the revision the evaluator's page was built from; another one in between
        raises ``StaleBoard`` so nobody undoes a colleague's decision unseen.
    :returns: the audit event's ``after`` (names of the themes involved), for the page's message.
    :raises OpinionError: the decision does not apply (unknown theme or answer, bad name …).
    """
    # Locked (PostgreSQL) so two decisions on the same revision cannot both pass the check.
    row = session.get(OpinionBoard, survey.id, with_for_update=True)
    if (row.revision if row else 0) != revision:
        raise StaleBoard()
    saved = Decisions.from_json(row.decisions) if row else None
    board = build_board(survey.questionnaire, answer_rows(session, survey), saved)
    decisions, before, after = _apply(board, saved, action, params)
    if row is None:
        row = OpinionBoard(survey_id=survey.id, decisions={}, revision=0, updated_by=actor)
        session.add(row)
    row.decisions = decisions.to_json()
    row.revision = (row.revision or 0) + 1
    row.updated_by = actor
    audit.record(session, survey, actor, f"opinions.{action}", before, after)
    session.flush()
    return after


def _apply(board: Board, saved: Decisions | None, action: str, p: dict[str, Any]):
    """The new decisions and the audit event's before/after for ``action``."""
    names = board.names
    if action == "rename":
        d = ops.rename(board, saved, p["theme"], p["name"])
        return d, {"theme": names.get(p["theme"])}, {"theme": d.names[p["theme"]]}
    if action == "merge":
        d = ops.merge(board, saved, p["theme"], p["target"])
        return d, {"theme": names[p["theme"]]}, {"merged": names[p["theme"]], "into": names[p["target"]]}
    if action == "split":
        d, new_id = ops.split(board, saved, p["theme"], list(p["keys"]), p["name"])
        return d, {"theme": names[p["theme"]]}, {"theme": d.names[new_id], "count": len(p["keys"]),
                                                  "answers": list(p["keys"])[:AUDIT_LISTED]}
    if action == "move":
        d = ops.move(board, saved, p["key"], p["theme"], p["target"])
        return d, {"theme": names[p["theme"]], "answer": p["key"]}, {"theme": names[p["target"]], "answer": p["key"]}
    if action in ("hide", "show"):
        d = ops.hide(board, saved, p["key"], action == "hide")
        return d, {"answer": p["key"], "hidden": action == "show"}, {"answer": p["key"], "hidden": action == "hide"}
    if action == "acknowledge":
        # The log names the first few; all of them are in the decisions themselves.
        return ops.acknowledge(board, saved), None, {"count": len(board.new), "answers": sorted(board.new)[:AUDIT_LISTED]}
    if action == "examples":
        d = ops.set_examples(board, saved, int(p["n"]))
        return d, {"examples": board.examples}, {"examples": d.examples}
    raise OpinionError("action")

"""The grouped opinions as the outputs print them: the appendix, the workbook, the API.

Themes come in order of frequency, each with its count (hidden opinions left out), the
questions its answers came from as respondents number them ("第3题", "第6题追问" — never
internal ids), and its most frequent answers as examples.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ...texts_zh import opinions as zh
from ..questionnaire import Questionnaire
from .board import ALL_EXAMPLES, Board


@dataclass(frozen=True)
class ThemeSummary:
    id: str
    name: str
    #: Answers in the theme (an opinion given by 5 respondents counts 5).
    count: int
    #: Distinct opinions in the theme.
    opinions: int
    questions: tuple[str, ...]
    #: The most frequent opinions: (text, answers).
    examples: tuple[tuple[str, int], ...]
    #: Distinct opinions not quoted.
    more: int

    def to_json(self) -> dict[str, Any]:
        return {"id": self.id, "name": self.name, "count": self.count, "opinions": self.opinions,
                "questions": list(self.questions),
                "examples": [{"text": t, "count": n} for t, n in self.examples]}


@dataclass(frozen=True)
class OpinionSummary:
    #: Non-empty open answers received (non-answers included).
    total: int
    non_answers: int
    #: Answers of opinions the evaluator left out of the report.
    hidden: int
    themes: tuple[ThemeSummary, ...]
    #: Opinions not yet seen by the evaluator (grouped automatically).
    new: int = 0
    decided: bool = False

    @property
    def reported(self) -> int:
        """Answers the summary speaks for: neither non-answers nor hidden."""
        return self.total - self.non_answers - self.hidden

    def to_json(self) -> dict[str, Any]:
        return {"total": self.total, "non_answers": self.non_answers, "hidden": self.hidden,
                "reported": self.reported, "new": self.new, "edited": self.decided,
                "themes": [t.to_json() for t in self.themes]}


def question_labels(questionnaire: Questionnaire) -> dict[str, str]:
    """Question id → "第3题", or "第6题追问" for a follow-up (numbered by its parent)."""
    numbers = questionnaire.numbers()
    result = {qid: zh.QUESTION.format(number=n) for qid, n in numbers.items()}
    for q in questionnaire.questions:
        if q.id not in numbers and q.show_if is not None and q.show_if.question in numbers:
            result[q.id] = zh.FOLLOW_UP.format(number=numbers[q.show_if.question])
    return result


def question_refs(qids, questionnaire: Questionnaire) -> tuple[str, ...]:
    """The questions ``qids`` as respondents numbered them, runs shortened: ("第14题", "第4、6—13题追问")."""
    numbers = questionnaire.numbers()
    parents = {q.id: q.show_if.question for q in questionnaire.questions if q.show_if is not None}
    asked: list[str] = []
    followed: list[str] = []
    for qid in qids:
        if qid in numbers:
            asked.append(numbers[qid])
        elif parents.get(qid) in numbers:
            followed.append(numbers[parents[qid]])
    refs = [zh.QUESTION.format(number=zh.NUMBERS_JOIN.join(_runs(asked)))] if asked else []
    refs += [zh.FOLLOW_UP.format(number=zh.NUMBERS_JOIN.join(_runs(followed)))] if followed else []
    return tuple(refs)


def _runs(numbers: list[str]) -> list[str]:
    """["4", "5", "6", "9", "5.1"] → ["4—6", "9", "5.1"]: three or more consecutive numbers joined."""
    whole = sorted({int(n) for n in numbers if n.isdigit()})
    result, start = [], None
    for i, n in enumerate(whole):
        if start is None:
            start = n
        if i + 1 == len(whole) or whole[i + 1] != n + 1:
            result += [f"{start}{zh.RANGE}{n}"] if n - start >= 2 else [str(k) for k in range(start, n + 1)]
            start = None
    return result + sorted(dict.fromkeys(n for n in numbers if not n.isdigit()))


def summarise(board: Board, questionnaire: Questionnaire, examples: int | None = None) -> OpinionSummary:
    """The board as the outputs print it; ``examples`` overrides the evaluator's choice."""
    order = {q.id: i for i, q in enumerate(questionnaire.questions)}
    limit = board.examples if examples is None else examples
    themes = []
    for t in board.themes():
        reported = t.reported
        if not reported:
            continue
        qids = sorted({q for a in reported for q, _ in a.counts}, key=lambda q: order.get(q, len(order)))
        shown = reported if limit == ALL_EXAMPLES else reported[:limit]
        themes.append(ThemeSummary(t.id, t.name, t.count, len(reported), question_refs(qids, questionnaire),
                                   tuple((a.text, a.count) for a in shown), len(reported) - len(shown)))
    hidden = sum(a.count for a in board.answers.items if a.key in board.hidden)
    return OpinionSummary(board.answers.total, board.answers.non_answers, hidden, tuple(themes),
                          len(board.new), board.decided)


def sheet_rows(board: Board, questionnaire: Questionnaire) -> list[list[Any]]:
    """One row per opinion and theme: theme, theme count, text, answers, questions, in report, new.

    Every opinion is listed, hidden ones too (marked), so the workbook keeps what the
    appendix leaves out.
    """
    order = {q.id: i for i, q in enumerate(questionnaire.questions)}
    rows = []
    for t in board.themes():
        for a in t.items:
            qids = sorted((q for q, _ in a.counts), key=lambda q: order.get(q, len(order)))
            questions = zh.QUESTIONS_JOIN.join(question_refs(qids, questionnaire))
            rows.append([t.name, t.count, a.text, a.count, questions, a.key not in board.hidden, a.key in board.new])
    return rows

"""Turn plain per-respondent answers into the counts the scoring core takes.

The service layer normally counts in SQL (GROUP BY unit, question, option);
this is the in-memory equivalent, used by the bootstrap and by tests.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping, Sequence
from typing import Protocol

from .errors import ScoringInputError
from .specs import QuestionSpec


class Answered(Protocol):
    """Anything with a unit and answers, e.g. validity.ResponseRecord."""

    @property
    def unit(self) -> Hashable | None: ...

    @property
    def answers(self) -> Mapping[str, str | Sequence[str]]: ...


def single_key(question_id: str, answer: str | Sequence[str]) -> str:
    """Return the one option key of a single-choice answer.

    :raises ScoringInputError: when a scored question has several keys.
    """
    if isinstance(answer, str):
        return answer
    keys = list(answer)
    if len(keys) != 1:
        raise ScoringInputError(
            f"question {question_id!r} is single-choice; got {keys!r}",
            f"题目{question_id}为单选题，答案却有{len(keys)}个选项",
        )
    return keys[0]


def tally(
    responses: Iterable[Answered], questions: Sequence[QuestionSpec]
) -> dict[Hashable | None, dict[str, dict[str, int]]]:
    """Count answers per unit, question and option; answers to other questions are ignored.

    A scored question must have one key per answer; an unscored multiple-choice
    answer counts once for each key chosen.
    """
    scored = {spec.id: spec.scored for spec in questions}
    counts: dict[Hashable | None, dict[str, dict[str, int]]] = {}
    for response in responses:
        per_unit = counts.setdefault(response.unit, {})
        for question_id, answer in response.answers.items():
            if question_id not in scored:
                continue
            if scored[question_id]:
                keys = [single_key(question_id, answer)]
            else:
                keys = [answer] if isinstance(answer, str) else list(answer)
            per_option = per_unit.setdefault(question_id, {})
            for key in keys:
                per_option[key] = per_option.get(key, 0) + 1
    return counts

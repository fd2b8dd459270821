"""Respondent × question arrays: the layout the fast statistics work on.

Why arrays: the bootstrap and α need per-respondent data, and at 10⁵
respondents a Python object per respondent (and a Fraction per answer) costs
seconds.  The summary service can fill these arrays straight from SQL rows.

Layout (``codes``): one row per respondent, one column per question of the
``questions`` sequence passed along (same order); the cell holds the index of
the chosen option in ``QuestionSpec.options`` (scale order, 0-based), or
``NO_ANSWER`` (−1).  Columns of unscored questions are ignored and may hold
anything.  ``units``: one int per respondent, ``NO_UNIT`` (−1) when the
answer has no unit.

A question's satisfaction is linear in its option counts,
s = Σcₖ·pₖ / Σcₖ·dₖ (pₖ points under the method, dₖ = 1 when the option is in
the denominator), so per respondent we keep the numerator ``points`` (option
points as integer numerators over the question's ``scale``, from
``question.integer_points`` so the definitions cannot drift) and ``counted``
(dₖ).  Any weighted sum over respondents of these two columns, divided by
``scale``, gives question satisfactions exactly as ``score_question`` does
with ``rounding="exact"``.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from dataclasses import dataclass

import numpy as np

from .counting import Answered, single_key
from .errors import ScoringInputError
from .numbers import to_fraction
from .question import integer_points
from .settings import ScoringSettings
from .specs import QuestionSpec

NO_ANSWER = -1
NO_UNIT = -1


def check_codes(codes: np.ndarray, questions: Sequence[QuestionSpec]) -> np.ndarray:
    """Return ``codes`` as an int64 n × len(questions) array, refusing bad shapes and indexes.

    :raises ScoringInputError: when the shape does not match ``questions`` or a
        scored column holds an index outside −1 … len(options) − 1.
    """
    array = np.asarray(codes)
    if array.size == 0 and array.ndim != 2:  # e.g. [] for no respondents
        array = array.reshape(0, len(questions))
    if array.ndim != 2 or array.shape[1] != len(questions):
        raise ScoringInputError(
            f"codes must be respondents × {len(questions)} questions; got shape {array.shape}",
            f"答案矩阵的列数须等于题目数（{len(questions)}）",
        )
    if array.dtype.kind not in "iu":
        with np.errstate(invalid="ignore"):
            converted = array.astype(np.int64)
        if not np.array_equal(converted, array):  # NaN or fractions: not option indexes
            raise ScoringInputError(
                "codes must be integer option indexes (-1 for no answer)",
                "答案矩阵须为整数选项序号（未作答为-1）",
            )
        array = converted
    array = array.astype(np.int64, copy=False)
    for column, spec in enumerate(questions):
        if not spec.scored or not len(array):
            continue
        values = array[:, column]
        if values.min() < NO_ANSWER or values.max() >= len(spec.options):
            raise ScoringInputError(
                f"question {spec.id!r}: option index outside -1..{len(spec.options) - 1}",
                f"题目{spec.id}：选项序号超出范围",
            )
    return array


def check_units(units: np.ndarray, n: int) -> np.ndarray:
    """Return ``units`` as an int64 vector of n entries (−1: no unit).

    :raises ScoringInputError: when the length differs from the respondents'.
    """
    array = np.asarray(units, dtype=np.int64).reshape(-1)
    if len(array) != n:
        raise ScoringInputError(
            f"units has {len(array)} entries for {n} respondents",
            f"单位数组有{len(array)}项，答卷却有{n}份",
        )
    return array


@dataclass(frozen=True)
class ScoredColumns:
    """Per-respondent numerators and denominator flags of the scored questions.

    Both halves live in one n × 2Q array, so one matrix product sums them.
    """

    #: n × 2Q: [points | counted].  points: the chosen option's points ×
    #: ``scales`` (an integer), 0 outside the basis; counted: 1 if the answer
    #: is in the question's denominator, else 0.
    data: np.ndarray
    #: Q: common denominator of each question's points.
    scales: np.ndarray
    #: Q: weight in the composite (1 for ``mean``, the question weight for ``weighted``).
    weights: np.ndarray

    def composite(self, sums: np.ndarray) -> np.ndarray:
        """Return the composite for each row of summed [points | counted] (NaN: no composite).

        Questions with an empty denominator leave out their weight, as in
        ``composite.weighted_mean``.
        """
        q = len(self.scales)
        points, counted = sums[..., :q], sums[..., q:]
        answered = counted > 0
        satisfaction = np.divide(
            points, counted * self.scales, out=np.zeros_like(points), where=answered
        )
        weight = answered * self.weights
        total = weight.sum(axis=-1)
        with np.errstate(invalid="ignore", divide="ignore"):
            return np.where(
                total > 0, (satisfaction * weight).sum(axis=-1) / total, np.nan
            )


def scored_columns(
    codes: np.ndarray, questions: Sequence[QuestionSpec], settings: ScoringSettings
) -> ScoredColumns:
    """Turn checked ``codes`` into the per-respondent numerators and denominator flags."""
    scored = [(i, spec) for i, spec in enumerate(questions) if spec.scored]
    n = codes.shape[0]
    data = np.zeros((n, 2 * len(scored)))
    scales = np.ones(len(scored))
    weights = np.ones(len(scored))
    for j, (column, spec) in enumerate(scored):
        numerators, scale = integer_points(spec.options, settings.method)
        in_basis = [o.scored or settings.not_scored == "zero" for o in spec.options]
        # A trailing 0 entry serves index −1 (no answer).
        point_table = np.array(
            [p if keep else 0 for p, keep in zip(numerators, in_basis, strict=True)]
            + [0],
            dtype=float,
        )
        basis_table = np.array([*in_basis, False], dtype=float)
        chosen = codes[:, column]
        data[:, j] = point_table[chosen]
        data[:, len(scored) + j] = basis_table[chosen]
        scales[j] = scale
        if settings.composite == "weighted":
            weights[j] = float(to_fraction(spec.weight))
    return ScoredColumns(data, scales, weights)


def unit_sums(data: np.ndarray, units: np.ndarray) -> np.ndarray:
    """Return the column sums of ``data`` per unit (rows: units ≥ 0 in ascending order).

    Respondents with ``NO_UNIT`` are left out, as aggregation ``unit`` does.
    """
    assigned = units >= 0
    if not assigned.all():
        data, units = data[assigned], units[assigned]
    keys, index = np.unique(units, return_inverse=True)
    sums = np.zeros((len(keys), data.shape[1]))
    for j in range(data.shape[1]):
        sums[:, j] = np.bincount(index, data[:, j], minlength=len(keys))
    return sums


def item_values(codes: np.ndarray, questions: Sequence[QuestionSpec]) -> np.ndarray:
    """Return n × k option values (0–100) of the scored questions; NaN for missing or not scored."""
    columns = []
    for column, spec in enumerate(questions):
        if spec.scored:
            table = np.array(
                [np.nan if o.value is None else float(o.value) for o in spec.options]
                + [np.nan]
            )
            columns.append(table[codes[:, column]])
    return np.column_stack(columns) if columns else np.empty((codes.shape[0], 0))


def codes_from_responses(
    responses: Sequence[Answered], questions: Sequence[QuestionSpec]
) -> tuple[np.ndarray, np.ndarray, list[Hashable]]:
    """Build (codes, units, unit_keys) from response objects; units index ``unit_keys``.

    Unit keys are numbered in order of first appearance; a None unit gets
    ``NO_UNIT``.  Answers to unscored or unknown questions are ignored.
    :raises ScoringInputError: on an option key the question does not have.
    """
    position = {spec.id: i for i, spec in enumerate(questions) if spec.scored}
    index = {
        spec.id: {o.key: k for k, o in enumerate(spec.options)} for spec in questions
    }
    codes = np.full((len(responses), len(questions)), NO_ANSWER, dtype=np.int64)
    units = np.full(len(responses), NO_UNIT, dtype=np.int64)
    unit_index: dict[Hashable, int] = {}
    for row, response in enumerate(responses):
        if response.unit is not None:
            units[row] = unit_index.setdefault(response.unit, len(unit_index))
        for qid, answer in response.answers.items():
            if qid in position:
                key = single_key(qid, answer)
                if key not in index[qid]:
                    raise ScoringInputError(
                        f"question {qid!r}: unknown option {key!r}",
                        f"题目{qid}：不存在选项{key}",
                    )
                codes[row, position[qid]] = index[qid][key]
    return codes, units, list(unit_index)

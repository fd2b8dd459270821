"""A per-process memo of ``compute_composite``: the fixed cost of a summary.

A summary scores the whole survey and then every unit, county, category and attribute group
as a survey of its own (about 40 composites for 30 units), in exact ``Fraction`` arithmetic:
at 10⁴ responses that took longer than the SQL.  The result depends only on the counts, the
questions and the scoring settings, so it is kept under exactly those: a repeated view costs
a lookup, and when an answer arrives only its unit's and its groups' composites are redone.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Hashable, Sequence

from ..domain.scoring import CompositeResult, QuestionSpec, ScoringSettings, compute_composite
from ..domain.scoring.composite import UnitCounts

#: About 40 composites per summary view: room for a few dozen views.
SIZE = 2048
_MEMO: OrderedDict[Hashable, CompositeResult] = OrderedDict()
_LOCK = threading.Lock()


def _key(counts: UnitCounts, questions: Sequence[QuestionSpec], settings: ScoringSettings | None) -> Hashable:
    frozen = tuple((unit, tuple((q, tuple(per_q.items())) for q, per_q in per_unit.items()))
                   for unit, per_unit in counts.items())
    return frozen, tuple(questions), settings


def cached_composite(counts: UnitCounts, questions: Sequence[QuestionSpec],
                     settings: ScoringSettings | None = None) -> CompositeResult:
    """``compute_composite(counts, questions, settings)``, computed once per distinct input.

    The key keeps the counts' order (units, questions, options), so a hit returns exactly
    what the computation would; results are frozen and shared.
    """
    key = _key(counts, questions, settings)
    with _LOCK:
        hit = _MEMO.get(key)
        if hit is not None:
            _MEMO.move_to_end(key)
            return hit
    value = compute_composite(counts, questions, settings)
    with _LOCK:
        _MEMO[key] = value
        while len(_MEMO) > SIZE:
            _MEMO.popitem(last=False)
    return value

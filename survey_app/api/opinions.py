"""``GET /api/v1/surveys/<id>/opinions``: the open answers grouped by theme, with counts.

The same themes as the workspace's 意见建议 page and the appendix's 意见建议汇总 (the
evaluator's renames, merges and hidden opinions applied), for the filter's responses.
"""

from __future__ import annotations

import re

from flask import jsonify, request

from ..domain.opinions.board import ALL_EXAMPLES, MAX_EXAMPLES
from ..extensions import db
from ..services.opinions import opinion_summary
from ..transaction import transactional
from ..web_filters import BadQuery
from . import bp
from .auth import visible_survey
from .filters import api_filter

#: The pattern openapi.json gives ``examples`` (besides "all"): 0 … MAX_EXAMPLES without leading zeros.
EXAMPLES = re.compile(r"[0-9]|1[0-9]|20")


@bp.get("/surveys/<int:survey_id>/opinions")
@transactional  # keeps the token's last-used time
def opinions(survey_id: int):
    """Return the themes with counts and examples (docs/api.md)."""
    survey = visible_survey(survey_id)
    flt = api_filter(survey)
    summary = opinion_summary(db.session, survey, flt, _examples())
    return jsonify({"survey": survey.id, "filter": flt.to_dict(), **summary.to_json()})


def _examples() -> int | None:
    """``examples=N`` (0–20) or ``examples=all``; absent: as many as the evaluator chose for the report."""
    raw = request.args.get("examples")
    if raw is None:
        return None
    if raw == "all":
        return ALL_EXAMPLES
    if not EXAMPLES.fullmatch(raw):
        raise BadQuery(f"examples must be an integer from 0 to {MAX_EXAMPLES}, or all")
    return int(raw)

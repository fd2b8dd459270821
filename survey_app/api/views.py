"""The survey's summary (the API's first endpoint; its JSON is ``SummaryResult.to_json()``)."""

from __future__ import annotations

from flask import jsonify, request

from ..extensions import db
from ..services.summary import build_summary
from ..transaction import transactional
from ..web_filters import parse_bool
from . import bp
from .auth import visible_survey
from .filters import api_filter


@bp.get("/surveys/<int:survey_id>/summary")
@transactional  # keeps the token's last-used time
def summary(survey_id: int):
    """Return the survey's summary (docs/api.md)."""
    survey = visible_survey(survey_id)
    data = build_summary(db.session, survey, api_filter(survey), statistics=parse_bool(request.args, "statistics", True))
    return jsonify(data.to_json())

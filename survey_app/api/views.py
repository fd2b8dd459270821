"""API views: parse the query, call one service, return JSON; errors are JSON 4xx."""

from __future__ import annotations

import hmac

from flask import abort, current_app, jsonify, request

from ..domain.scoring import ScoringError
from ..extensions import csrf, db
from ..models import Survey
from ..services.summary import build_summary
from ..web_filters import BadQuery, parse_bool, parse_filter
from . import bp


@bp.before_request
def require_token():
    """Guard the API with one configured token: its clients are programs, not evaluator logins."""
    token = current_app.config.get("API_TOKEN")
    if not token:
        return jsonify(error="api_disabled", message="The API is disabled: set API_TOKEN to enable it."), 403
    given = request.headers.get("Authorization", "").removeprefix("Bearer ").strip()
    if not hmac.compare_digest(given.encode(), token.encode()):
        return jsonify(error="unauthorized", message="Send 'Authorization: Bearer <API_TOKEN>'."), 401
    return None


@bp.errorhandler(BadQuery)
def bad_query(error: BadQuery):
    return jsonify(error="bad_request", message=str(error)), 400


@bp.errorhandler(ScoringError)
def scoring_error(error: ScoringError):
    return jsonify(error="invalid_settings", message=str(error), message_zh=error.message_zh), 422


csrf.exempt(bp)


@bp.get("/surveys/<int:survey_id>/summary")
def summary(survey_id: int):
    """Return the survey's summary (docs/api.md)."""
    survey = db.session.get(Survey, survey_id) or abort(404)
    data = build_summary(db.session, survey, parse_filter(request.args),
                         statistics=parse_bool(request.args, "statistics", True))
    return jsonify(data.to_json())

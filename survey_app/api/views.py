"""API views: parse the query, call one service, return JSON; errors are JSON 4xx."""

from __future__ import annotations

from flask import abort, g, jsonify, request

from ..domain.scoring import ScoringError
from ..extensions import csrf, db
from ..models import Survey
from ..services.access import access_level
from ..services.api_tokens import user_for_token
from ..services.summary import build_summary
from ..transaction import transactional
from ..web_filters import BadQuery, parse_bool, parse_filter
from . import bp


@bp.before_request
def require_token():
    """Authenticate ``Authorization: Bearer <token>`` (a personal token) or answer 401 in JSON."""
    scheme, _, token = request.headers.get("Authorization", "").partition(" ")
    user = user_for_token(db.session, token.strip()) if scheme.lower() == "bearer" else None
    if user is None:
        reply = jsonify(error="unauthorized", message="Send 'Authorization: Bearer <token>' with a valid personal "
                        "API token (workspace → API令牌).", message_zh="缺少或无效的API令牌。")
        return reply, 401, {"WWW-Authenticate": 'Bearer realm="api"'}
    g.api_user = user
    return None


def visible_survey(survey_id: int) -> Survey:
    """The survey if the token's user may see it; 404 otherwise (its existence is not revealed).

    The API only reads, so seeing is all a token needs; a viewer's token can do no more.
    """
    survey = db.session.get(Survey, survey_id)
    if survey is None or access_level(db.session, g.api_user, survey) is None:
        abort(404)
    return survey


@bp.errorhandler(BadQuery)
def bad_query(error: BadQuery):
    return jsonify(error="bad_request", message=str(error)), 400


@bp.errorhandler(ScoringError)
def scoring_error(error: ScoringError):
    return jsonify(error="invalid_settings", message=str(error), message_zh=error.message_zh), 422


csrf.exempt(bp)


@bp.get("/surveys/<int:survey_id>/summary")
@transactional  # keeps the token's last-used time
def summary(survey_id: int):
    """Return the survey's summary (docs/api.md)."""
    survey = visible_survey(survey_id)
    data = build_summary(db.session, survey, parse_filter(request.args),
                         statistics=parse_bool(request.args, "statistics", True))
    return jsonify(data.to_json())

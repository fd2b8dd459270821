"""API views: parse the query, call one service, return JSON; errors are JSON 4xx."""

from __future__ import annotations

import hmac
from datetime import datetime

from flask import abort, current_app, jsonify, request

from ..domain.scoring import ScoringError
from ..domain.vocabulary import ALL_STATUSES, BEIJING, COUNTED
from ..extensions import csrf, db
from ..models import Survey
from ..services.summary import SummaryFilter, build_summary
from . import bp


class BadQuery(ValueError):
    """A query parameter is malformed; the message says which and why."""


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
    data = build_summary(db.session, survey, parse_filter(request.args), statistics=parse_bool("statistics", True))
    return jsonify(data)


def parse_filter(args) -> SummaryFilter:
    """Read include=valid,flagged · unit=ID (repeatable) · since/until=YYYY-MM-DD[THH:MM] (Beijing time)."""
    statuses = tuple(s for s in args.get("include", ",".join(COUNTED)).split(",") if s)
    if not statuses or any(s not in ALL_STATUSES for s in statuses):
        raise BadQuery(f"include must list statuses among {', '.join(ALL_STATUSES)}")
    try:
        unit_ids = tuple(int(u) for u in args.getlist("unit")) or None
    except ValueError as exc:
        raise BadQuery("unit must be a numeric unit id") from exc
    return SummaryFilter(statuses, unit_ids, parse_time("since"), parse_time("until"))


def parse_time(name: str) -> datetime | None:
    raw = request.args.get(name)
    if not raw:
        return None
    try:
        return datetime.fromisoformat(raw) - BEIJING
    except ValueError as exc:
        raise BadQuery(f"{name} must be an ISO date or date-time in Beijing time, e.g. 2025-03-01T09:00") from exc


def parse_bool(name: str, default: bool) -> bool:
    raw = request.args.get(name)
    if raw is None:
        return default
    if raw.lower() in ("1", "true", "yes"):
        return True
    if raw.lower() in ("0", "false", "no"):
        return False
    raise BadQuery(f"{name} must be 1 or 0")

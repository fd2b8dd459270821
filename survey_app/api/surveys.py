"""The caller's surveys, one survey with its settings and state, and its units with coverage."""

from __future__ import annotations

from flask import g, jsonify

from ..extensions import db
from ..models._types import utcnow
from ..services.api_surveys import survey_detail, survey_list, unit_coverage
from ..transaction import transactional
from . import bp
from .auth import visible_survey
from .filters import api_filter


@bp.get("/surveys")
@transactional  # keeps the token's last-used time
def surveys():
    return jsonify(surveys=survey_list(db.session, g.api_user, utcnow()))


@bp.get("/surveys/<int:survey_id>")
@transactional
def survey(survey_id: int):
    return jsonify(survey_detail(db.session, g.api_user, visible_survey(survey_id), utcnow()))


@bp.get("/surveys/<int:survey_id>/units")
@transactional
def units(survey_id: int):
    survey = visible_survey(survey_id)
    return jsonify(unit_coverage(db.session, survey, api_filter(survey)))

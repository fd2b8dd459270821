"""Who is calling: a personal API token (``Authorization: Bearer``), else the web session; and which surveys they see."""

from __future__ import annotations

from flask import abort, g, request
from flask_login import current_user

from ..extensions import csrf, db
from ..models import Survey
from ..services.access import access_level
from ..services.api_tokens import user_for_token
from ..web import json_error
from . import bp

#: Endpoints anyone may read: the description of the API itself.
PUBLIC_ENDPOINTS = {"api.openapi"}

csrf.exempt(bp)  # GET only; a token is not a cookie, and session calls change nothing


@bp.before_request
def require_token():
    """Authenticate ``Authorization: Bearer <token>`` or, without that header, a logged-in session; else 401.

    A header that is present but wrong is refused even with a session, so a script never
    silently runs with someone else's rights.
    """
    if request.endpoint in PUBLIC_ENDPOINTS:
        return None
    header = request.headers.get("Authorization")
    if header is None and current_user.is_authenticated:
        g.api_user = current_user._get_current_object()
        return None
    scheme, _, token = (header or "").partition(" ")
    user = user_for_token(db.session, token.strip()) if scheme.lower() == "bearer" else None
    if user is None:
        return json_error(401, headers={"WWW-Authenticate": 'Bearer realm="api"'})
    g.api_user = user
    return None


def visible_survey(survey_id: int) -> Survey:
    """The survey if the caller may see it; 404 otherwise (its existence is not revealed).

    The API only reads, so seeing is all it needs; a viewer's token can do no more.
    """
    survey = db.session.get(Survey, survey_id) if 0 < survey_id <= 2**31 - 1 else None
    if survey is None or access_level(db.session, g.api_user, survey) is None:
        abort(404)
    return survey


def actor() -> str:
    """The audit log's actor: the token's (or session's) user."""
    return f"user:{g.api_user.username}"

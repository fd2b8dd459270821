"""Load a survey for the current user, or answer 404/403."""

from __future__ import annotations

from flask import abort
from flask_login import current_user

from ..extensions import db
from ..models import Survey
from ..services.access import MANAGE, access_level


def load_survey(survey_id: int, need: str = "view") -> Survey:
    """Return the survey if the current user has at least ``need`` ("view" or "manage").

    404 when the user may not see the survey at all (its existence is not revealed),
    403 when they may see it but not change it.
    """
    survey = db.session.get(Survey, survey_id)
    level = access_level(db.session, current_user, survey) if survey is not None else None
    if level is None:
        abort(404)
    if need == MANAGE and level != MANAGE:
        abort(403)
    return survey


def can_manage(survey: Survey) -> bool:
    """For templates: show management controls only to those who may use them."""
    return access_level(db.session, current_user, survey) == MANAGE

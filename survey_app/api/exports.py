"""The exports (Word appendix, data workbook, CSV) with the dashboard's filters; each download is audited."""

from __future__ import annotations

from flask import request

from ..transaction import transactional
from ..web import send_export
from . import bp
from .auth import actor, visible_survey
from .filters import api_filter


@bp.get("/surveys/<int:survey_id>/exports/<any(docx, xlsx, csv):fmt>")
@transactional  # the audit entry of the download
def export(survey_id: int, fmt: str):
    survey = visible_survey(survey_id)
    sections = frozenset(request.args.getlist("section")) if "section" in request.args else None
    return send_export(survey, fmt, actor=actor(), flt=api_filter(survey), sections=sections)

"""The exports (Word appendix, data workbook, CSV) with the dashboard's filters; each download is audited."""

from __future__ import annotations

import tempfile
from urllib.parse import quote

from flask import Response, request

from ..extensions import db
from ..services.exports import export_survey
from ..transaction import transactional
from . import bp
from .auth import actor, visible_survey
from .filters import api_filter


@bp.get("/surveys/<int:survey_id>/exports/<any(docx, xlsx, csv):fmt>")
@transactional  # the audit entry of the download
def export(survey_id: int, fmt: str):
    survey = visible_survey(survey_id)
    sections = frozenset(request.args.getlist("section")) if "section" in request.args else None
    spool = tempfile.SpooledTemporaryFile(max_size=16 * 1024 * 1024)
    result = export_survey(db.session, survey, fmt, spool, actor=actor(), flt=api_filter(survey), sections=sections)
    spool.seek(0)

    def stream():
        with spool:
            while chunk := spool.read(256 * 1024):
                yield chunk

    reply = Response(stream(), mimetype=result.content_type)
    reply.headers["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(result.filename)}"
    reply.headers["X-Dataset-Fingerprint"] = result.fingerprint
    return reply

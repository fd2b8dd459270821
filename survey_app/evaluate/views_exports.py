"""Downloads: the Word appendix, the Excel workbook and the CSV, with the dashboard's filters.

Exports only read data, so viewers (e.g. the finance bureau) may download them too; each
download is written to the audit log.  The file is built in a temporary file, not in memory:
the workbook of 10⁵ responses streams tens of megabytes.
"""

from __future__ import annotations

import tempfile
from urllib.parse import quote

from flask import Response, abort, render_template, request
from flask_login import login_required

from ..extensions import db
from ..services.exports import OPTIONAL_SECTIONS, ExportError, export_survey
from ..transaction import transactional
from ..web_filters import BadQuery
from . import bp
from .access import load_survey
from .views_dashboard import view_filter
from .views_surveys import actor

SECTION_LABELS = {"sample": "样本结构", "groups": "分组满意度", "alpha": "信度分析（Cronbach's α）", "ci": "置信区间"}


def filter_or_400(survey):
    """The dashboard's filter from the URL; a malformed one is a 400, never a 500."""
    try:
        return view_filter(survey)
    except BadQuery:
        abort(400)


@bp.get("/surveys/<int:survey_id>/exports")
@login_required
def exports(survey_id: int):
    survey = load_survey(survey_id)
    filter_or_400(survey)  # a malformed filter is refused here, not at download time
    return render_template("evaluate/exports.html", survey=survey, sections=SECTION_LABELS,
                           query=request.query_string.decode())


@bp.get("/surveys/<int:survey_id>/exports/<any(docx, xlsx, csv):fmt>")
@login_required
@transactional
def export_download(survey_id: int, fmt: str):
    survey = load_survey(survey_id)
    chosen = request.args.getlist("section")
    sections = frozenset(chosen) if "sections_given" in request.args else None
    spool = tempfile.SpooledTemporaryFile(max_size=16 * 1024 * 1024)
    try:
        result = export_survey(db.session, survey, fmt, spool, actor=actor(), flt=filter_or_400(survey),
                               sections=sections)
    except ExportError:
        abort(400)
    spool.seek(0)

    def stream():
        with spool:
            while chunk := spool.read(256 * 1024):
                yield chunk

    response = Response(stream(), mimetype=result.content_type)
    response.headers["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(result.filename)}"
    response.headers["X-Dataset-Fingerprint"] = result.fingerprint
    return response


__all__ = ["OPTIONAL_SECTIONS"]

"""Downloads: the Word appendix, the Excel workbook and the CSV, with the dashboard's filters.

Exports only read data, so viewers (e.g. the finance bureau) may download them too; each
download is written to the audit log.  The file is built in a temporary file, not in memory:
the workbook of 10⁵ responses streams tens of megabytes.
"""

from __future__ import annotations

from flask import abort, render_template, request
from flask_login import login_required

from ..services.exports import OPTIONAL_SECTIONS, ExportError
from ..transaction import transactional
from ..web import send_export
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
    try:
        return send_export(survey, fmt, actor=actor(), flt=filter_or_400(survey), sections=sections)
    except ExportError:
        abort(400)


__all__ = ["OPTIONAL_SECTIONS"]

"""Downloads: the Word appendix, the Excel workbook and the CSV, with the dashboard's filters.

Exports only read data, so viewers (e.g. the finance bureau) may download them too; each
download is written to the audit log.  The file is built in a temporary file, not in memory:
the workbook of 10⁵ responses streams tens of megabytes.
"""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import login_required

from ..domain.report_settings import DEFAULT_SECTIONS
from ..services.exports import OPTIONAL_SECTIONS, ExportError
from ..services.pdf import PdfUnavailable, converter
from ..services.report_settings import report_settings
from ..texts_zh.report_settings import SECTIONS
from ..transaction import transactional
from ..web import send_export
from ..web_filters import BadQuery
from . import bp
from .access import load_survey
from .views_dashboard import view_filter
from .views_surveys import actor


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
    chosen = report_settings(survey).sections
    return render_template("evaluate/exports.html", survey=survey, sections=SECTIONS,
                           chosen=DEFAULT_SECTIONS if chosen is None else chosen,
                           query=request.query_string.decode(), pdf=converter() is not None)


@bp.get("/surveys/<int:survey_id>/exports/<any(docx, pdf, xlsx, csv):fmt>")
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
    except PdfUnavailable as exc:
        flash(exc.message_zh)
        return redirect(url_for("evaluate.exports", survey_id=survey.id))


__all__ = ["OPTIONAL_SECTIONS"]

"""Distribution: unit links and QR codes, the printable sheet (.html and .docx), the links CSV,
the open link, and replacing one unit's link.

A unit link lets its holder answer as that unit, so everything that shows unit links needs
manage access; viewers (e.g. the finance bureau) see only the open link, which is meant to
be public.  Downloads of all links are audited as ``export``: who took the list, and when.
Those downloads are GETs that write (the audit entry), so they are wrapped in
``transactional`` explicitly; ``exported`` itself only adds the entry.
"""

from __future__ import annotations

import io

from flask import (
    Response,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    send_file,
    url_for,
)
from flask_login import login_required

from ..extensions import db
from ..reports.links_csv import write_links
from ..services import audit
from ..services.access import MANAGE
from ..services.distribution import (
    cards,
    open_url,
    qr_png,
    qr_svg,
    replace_token,
    sheet_details,
    sheet_docx,
    unit_url,
)
from ..services.unit_changes import get_unit, response_counts
from ..transaction import transactional
from . import bp
from .access import can_manage, load_survey
from .views_surveys import actor

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def base_url() -> str:
    return current_app.config["PUBLIC_BASE_URL"]


def qr_response(url: str, fmt: str) -> Response:
    """SVG or PNG of ``url``; never cached by shared caches (unit links are credentials)."""
    if fmt == "svg":
        response = Response(qr_svg(url), mimetype="image/svg+xml")
    else:
        response = Response(qr_png(url), mimetype="image/png")
    response.headers["Cache-Control"] = "private, no-store"
    return response


def exported(survey, fmt: str) -> None:
    """Add the audit entry of a download of every unit link; the view's ``transactional`` commits it."""
    audit.record(db.session, survey, actor(), "export", None, {"what": "unit_links", "format": fmt,
                                                                "units": len(survey.units)})
    db.session.flush()


@bp.get("/surveys/<int:survey_id>/distribution")
@login_required
def distribution(survey_id: int):
    survey = load_survey(survey_id)
    manage = can_manage(survey)
    return render_template("evaluate/distribution.html", survey=survey, manage=manage,
                           open_link=open_url(base_url(), survey.open_token),
                           cards=cards(survey, base_url()) if manage else [])


# Two literal rules per image rather than a converter: the URL names its format, and the
# route × role matrix (built from the URL map) can fill every placeholder.
@bp.get("/surveys/<int:survey_id>/distribution/open.svg", defaults={"fmt": "svg"})
@bp.get("/surveys/<int:survey_id>/distribution/open.png", defaults={"fmt": "png"})
@login_required
def open_qr(survey_id: int, fmt: str):
    survey = load_survey(survey_id)
    return qr_response(open_url(base_url(), survey.open_token), fmt)


@bp.get("/surveys/<int:survey_id>/units/<int:unit_id>/qr.svg", defaults={"fmt": "svg"})
@bp.get("/surveys/<int:survey_id>/units/<int:unit_id>/qr.png", defaults={"fmt": "png"})
@login_required
def unit_qr(survey_id: int, unit_id: int, fmt: str):
    survey = load_survey(survey_id, MANAGE)
    unit = get_unit(db.session, survey, unit_id) or abort(404)
    return qr_response(unit_url(base_url(), unit.token), fmt)


@bp.get("/surveys/<int:survey_id>/distribution/sheet")
@login_required
@transactional
def distribution_sheet(survey_id: int):
    survey = load_survey(survey_id, MANAGE)
    sheet = [(card, qr_svg(card.url, inline=True)) for card in cards(survey, base_url())]
    exported(survey, "html")
    response = Response(render_template("evaluate/distribution_sheet.html", survey=survey, sheet=sheet,
                                        **sheet_details(survey)))
    response.headers["Cache-Control"] = "private, no-store"
    return response


@bp.get("/surveys/<int:survey_id>/distribution/sheet.docx")
@login_required
@transactional
def distribution_docx(survey_id: int):
    survey = load_survey(survey_id, MANAGE)
    data = sheet_docx(db.session, survey, base_url(), actor())
    return send_file(io.BytesIO(data), mimetype=DOCX, as_attachment=True, max_age=0,
                     download_name=f"问卷分发单_{survey.id}.docx")


@bp.get("/surveys/<int:survey_id>/distribution/links.csv")
@login_required
@transactional
def distribution_csv(survey_id: int):
    survey = load_survey(survey_id, MANAGE)
    out = io.BytesIO()
    write_links(out, cards(survey, base_url()))
    out.seek(0)
    exported(survey, "csv")
    # UTF-8 with BOM, like `flask survey links`: Excel on Chinese Windows then reads it correctly.
    return send_file(out, mimetype="text/csv", as_attachment=True,
                     max_age=0, download_name=f"问卷链接_{survey.id}.csv")


@bp.route("/surveys/<int:survey_id>/units/<int:unit_id>/regenerate", methods=["GET", "POST"])
@login_required
@transactional
def unit_regenerate(survey_id: int, unit_id: int):
    """GET asks for confirmation (works without JavaScript); POST replaces the link."""
    survey = load_survey(survey_id, MANAGE)
    unit = get_unit(db.session, survey, unit_id) or abort(404)
    if request.method == "POST":
        replace_token(db.session, unit, actor())
        flash(f"已为“{unit.name}”生成新链接，旧链接和旧二维码已失效。请把新链接发给该单位。")
        return redirect(url_for("evaluate.distribution", survey_id=survey.id, _anchor=f"unit-{unit.id}"))
    return render_template("evaluate/distribution_token.html", survey=survey, unit=unit,
                           responses=response_counts(db.session, survey).get(unit.id, 0))

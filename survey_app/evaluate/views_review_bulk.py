"""Review at scale: one decision for the selected responses or for the whole filtered list,
and "恢复自动判定" for one response.  Manage only; every change is audited per response."""

from __future__ import annotations

from flask import abort, flash, redirect, request, url_for
from flask_login import login_required

from ..extensions import db
from ..services.access import MANAGE
from ..services.review import REASON_MAX_LENGTH, ReviewError, get_response
from ..services.review_bulk import AUTOMATIC, CHOICES, MAX_BULK, bulk_decide, decide, matching, selected
from ..texts_zh import review as zh
from ..transaction import transactional
from . import bp
from .access import load_survey
from .responses_forms import DecisionForm, filter_args, parse_filters
from .views_responses import detail_page, list_args
from .views_surveys import actor

MESSAGES = {"reason_required": zh.REASON_REQUIRED, "reason_too_long": zh.REASON_TOO_LONG.format(limit=REASON_MAX_LENGTH),
            "too_many": zh.TOO_MANY.format(limit=MAX_BULK)}


@bp.post("/surveys/<int:survey_id>/responses/bulk")
@login_required
@transactional
def responses_bulk(survey_id: int):
    """Form fields: ``choice`` (excluded | valid | automatic), ``reason``, ``scope`` (selected |
    filter), ``ids`` (the ticked rows) and ``shown`` (the filtered total the page showed)."""
    survey = load_survey(survey_id, MANAGE)
    flt = parse_filters(request.args, [u.id for u in survey.units])
    back = url_for("evaluate.responses", survey_id=survey.id, **filter_args(flt))
    choice = request.form.get("choice", "")
    if choice not in CHOICES:
        abort(400)
    if request.form.get("scope") == "filter":
        targets = matching(db.session, survey, flt)
        shown = request.form.get("shown", "")
        if not shown.isdigit() or int(shown) != len(targets):
            # New answers arrived (or were decided) since the page was drawn: never decide unseen ones.
            flash(zh.FILTER_CHANGED.format(now=len(targets), shown=shown or "?"))
            return redirect(back, code=303)
    else:
        ids = [int(i) for i in request.form.getlist("ids") if i.isdigit()]
        targets = selected(db.session, survey, ids)
    if not targets:
        flash(zh.NOTHING_SELECTED)
        return redirect(back, code=303)
    try:
        changed = bulk_decide(db.session, survey, targets, choice, request.form.get("reason", ""), actor())
    except ReviewError as exc:
        flash(MESSAGES.get(exc.code, zh.REASON_REQUIRED))
        return redirect(back, code=303)
    flash(zh.BULK_DONE[choice].format(changed=changed, total=len(targets)))
    return redirect(back, code=303)


@bp.post("/surveys/<int:survey_id>/responses/<int:response_id>/automatic")
@login_required
@transactional
def response_automatic(survey_id: int, response_id: int):
    survey = load_survey(survey_id, MANAGE)
    response = get_response(db.session, survey, response_id)
    if response is None:
        abort(404)
    form = DecisionForm()
    if form.validate_on_submit():
        try:
            changed = decide(db.session, survey, response, AUTOMATIC, form.reason.data, actor())
        except ReviewError as exc:
            form.reason.errors.append(MESSAGES.get(exc.code, zh.REASON_REQUIRED))
        else:
            db.session.flush()
            flash(zh.AUTOMATIC_DONE if changed else zh.AUTOMATIC_UNCHANGED)
            return redirect(url_for("evaluate.response_detail", survey_id=survey.id, response_id=response.id,
                                    **list_args()), code=303)
    return detail_page(survey, response, form, 400)


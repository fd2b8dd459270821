"""Response review: the filtered list, one response's detail, exclude / restore, paper entry.

Viewers may read the list and the details; decisions and paper entry need ``manage``
(``load_survey`` answers 403 to a viewer's POST and 404 to anyone outside the survey).
Decisions stay possible after the survey is closed — they change the figures until the
report is done — while paper entry needs an open survey (``paper_entry_allowed``).
"""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import login_required

from ..domain.vocabulary import FlagCode
from ..extensions import csrf, db
from ..services.access import MANAGE
from ..services.audit import display_names
from ..services.review import (
    REASON_MAX_LENGTH,
    UNIT_KEY,
    ReviewError,
    answer_sheet,
    decision_events,
    enter_paper,
    exclude,
    get_response,
    list_responses,
    paper_entry_allowed,
    restore,
)
from ..services.review_bulk import next_to_review
from ..texts_zh.respond import message_for
from ..transaction import transactional
from ..web import csrf_token_valid
from . import bp
from .access import can_manage, load_survey
from .responses_forms import (
    FILTER_KEYS,
    DecisionForm,
    PaperForm,
    filter_args,
    page_number,
    parse_filters,
)
from .views_surveys import actor

REASON_MESSAGES = {
    "reason_required": "请填写理由：剔除或恢复答卷都须说明原因",
    "reason_too_long": f"理由请控制在{REASON_MAX_LENGTH}字以内",
}


def list_args() -> dict[str, str]:
    """The list's filters and page as they came in, carried through detail pages and back."""
    return {k: request.args[k] for k in (*FILTER_KEYS, "page") if request.args.get(k)}


@bp.get("/surveys/<int:survey_id>/responses")
@login_required
def responses(survey_id: int):
    survey = load_survey(survey_id)
    flt = parse_filters(request.args, [u.id for u in survey.units])
    result = list_responses(db.session, survey, flt, page_number(request.args.get("page")))
    return render_template(
        "evaluate/responses.html", survey=survey, flt=flt, result=result, filter_args=filter_args,
        flag_codes=tuple(FlagCode), manage=can_manage(survey), paper_allowed=paper_entry_allowed(survey),
    )


def _response_or_404(survey, response_id: int):
    response = get_response(db.session, survey, response_id)
    if response is None:
        abort(404)
    return response


@bp.get("/surveys/<int:survey_id>/responses/<int:response_id>")
@login_required
def response_detail(survey_id: int, response_id: int):
    survey = load_survey(survey_id)
    return detail_page(survey, _response_or_404(survey, response_id), DecisionForm())


def detail_page(survey, response, form: DecisionForm, status: int = 200):
    unit = next((u for u in survey.units if u.id == response.unit_id), None) if response.unit_id else None
    events = decision_events(db.session, survey, response)
    decided_by = next((e for e in events if e.action != "response.paper"), None)
    flt = parse_filters(request.args, [u.id for u in survey.units])
    return render_template(
        "evaluate/response_detail.html", survey=survey, response=response, unit=unit, form=form,
        sheet=answer_sheet(db.session, survey, response), events=events, decided_by=decided_by,
        manage=can_manage(survey), back=list_args(), upcoming=next_to_review(db.session, survey, flt, response),
        names=display_names(db.session, events),
    ), status


@bp.post("/surveys/<int:survey_id>/responses/<int:response_id>/exclude")
@login_required
@transactional
def response_exclude(survey_id: int, response_id: int):
    return _decide(survey_id, response_id, exclude, "已剔除这份答卷，统计结果已更新。")


@bp.post("/surveys/<int:survey_id>/responses/<int:response_id>/restore")
@login_required
@transactional
def response_restore(survey_id: int, response_id: int):
    return _decide(survey_id, response_id, restore, "这份答卷已计为有效，统计结果已更新。")


def _decide(survey_id: int, response_id: int, service, done: str):
    survey = load_survey(survey_id, MANAGE)
    response = _response_or_404(survey, response_id)
    form = DecisionForm()
    if form.validate_on_submit():
        try:
            changed = service(db.session, survey, response, form.reason.data, actor())
        except ReviewError as exc:
            form.reason.errors.append(REASON_MESSAGES.get(exc.code, "无法保存，请检查后重试"))
        else:
            flash(done if changed else "审核结论没有变化。")
            return redirect(url_for("evaluate.response_detail", survey_id=survey.id, response_id=response.id,
                                    **list_args()), code=303)
    return detail_page(survey, response, form, 400)


# CSRF is checked inside the view (``web.csrf_token_valid``), not by the global handler, so a stale page
# comes back with everything keyed in instead of an error page that loses a whole questionnaire.
@bp.route("/surveys/<int:survey_id>/responses/paper", methods=["GET", "POST"])
@csrf.exempt
@login_required
@transactional
def paper_entry(survey_id: int):
    survey = load_survey(survey_id, MANAGE)
    form = PaperForm()
    form.unit.choices = [("", "请选择单位")] + [
        (str(u.id), f"{u.name}（{u.county}）" if u.county else u.name) for u in survey.units
    ]
    if not paper_entry_allowed(survey):
        return render_template("evaluate/paper.html", survey=survey, allowed=False), 200 if request.method == "GET" else 409
    if request.method == "GET":
        form.unit.data = request.args.get("unit", "")
        return render_paper(survey, form, {}, {})
    values = {key: request.form.getlist(key) for key in request.form if key.startswith("q_")}
    if not csrf_token_valid() or not form.validate():
        return render_paper(survey, form, values, {}, notice="stale"), 400
    unit = next((u for u in survey.units if str(u.id) == form.unit.data), None)
    outcome = enter_paper(db.session, survey, unit, values, actor())
    if outcome.response is None:
        errors = {qid: message_for(code, survey.questionnaire.question(qid))
                  for qid, code in outcome.errors.items() if qid != UNIT_KEY}
        if UNIT_KEY in outcome.errors:
            form.unit.errors = ["请选择这份问卷的填写单位"]
        return render_paper(survey, form, values, errors), 422
    flash(f"已保存纸质问卷（答卷编号 {outcome.response.id}，填写单位：{unit.name}）。可以继续录入下一份。")
    return redirect(url_for("evaluate.paper_entry", survey_id=survey.id, unit=unit.id), code=303)



def render_paper(survey, form: PaperForm, values: dict, errors: dict, notice: str | None = None):
    return render_template("evaluate/paper.html", survey=survey, allowed=True, form=form, values=values,
                           errors=errors, notice=notice, questionnaire=survey.questionnaire)

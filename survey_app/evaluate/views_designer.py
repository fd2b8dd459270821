"""The questionnaire designer and its phone preview.

The rules live in ``services.designer`` (one bank validator, saved whole or not at all);
this view hands it the posted form and shows the working copy with each problem beside its
field.  The preview renders the respondent page from the stored draft and never writes.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import flash, redirect, render_template, request, url_for
from flask_login import login_required
from flask_wtf import FlaskForm
from wtforms import HiddenField

from ..domain.answers import check_answers, field_name, strip_control, visible_questions
from ..domain.vocabulary import SurveyState
from ..extensions import db
from ..models import Survey, Unit
from ..services import designer as service
from ..services.access import MANAGE
from ..texts_zh import designer as zh
from ..texts_zh.respond import message_for
from ..transaction import transactional
from . import bp
from .access import can_manage, load_survey
from .views_surveys import actor


@bp.route("/surveys/<int:survey_id>/designer", methods=["GET", "POST"])
@login_required
@transactional
def designer(survey_id: int):
    posting = request.method == "POST"
    survey = load_survey(survey_id, MANAGE if posting else "view")
    editable = survey.state is SurveyState.DRAFT and can_manage(survey)
    if not posting:
        return _page(survey, service.start(survey), [], editable)
    try:
        outcome = service.submit(db.session, survey, request.form, actor())
    except service.StructureFrozen as exc:
        return _page(survey, service.start(survey), [], False, refusal=str(exc)), 409
    except (service.BrokenDraft, service.UnknownAction):
        return _page(survey, service.start(survey), [], editable, refusal=zh.BROKEN_DRAFT), 400
    if outcome.saved:
        if outcome.changed:
            flash(zh.SAVED)
        return redirect(url_for("evaluate.designer", survey_id=survey.id, _anchor=outcome.anchor))
    return _page(survey, outcome.draft, outcome.problems, True, focus=outcome.anchor), 422


def _page(survey: Survey, draft: dict, problems: list, editable: bool, refusal: str | None = None,
          focus: str | None = None):
    frozen = None if survey.state is SurveyState.DRAFT else service.frozen_reason(db.session, survey)
    return render_template("evaluate/designer.html", survey=survey, page=service.Page(draft, problems, focus),
                           draft_json=service.dump_draft(draft), editable=editable, refusal=refusal, frozen=frozen)


class PreviewForm(FlaskForm):
    """The respondent form's hidden fields; the preview's ticket is never read."""

    ticket = HiddenField()


@dataclass(frozen=True)
class PreviewLink:
    """Stands in for the respondent's link: no unit, a draft key of its own."""

    survey: Survey
    unit: Unit | None = None

    @property
    def draft_key(self) -> str:
        return f"survey-preview:{self.survey.id}"


@bp.route("/surveys/<int:survey_id>/designer/preview", methods=["GET", "POST"])
@login_required
@transactional(dry_run=True)
def designer_preview(survey_id: int):
    """The respondent page of the draft at phone width; answers posted here are checked, never stored."""
    posting = request.method == "POST"
    survey = load_survey(survey_id, MANAGE if posting else "view")
    questionnaire = survey.questionnaire
    values = {strip_control(k): [strip_control(v) for v in request.form.getlist(k)]
              for k in request.form if k.startswith("q_")} if posting else {}
    sheet = check_answers(questionnaire, values)
    errors = {qid: message_for(code, questionnaire.question(qid)) for qid, code in sheet.errors.items()} if posting else {}
    shown = {q.id for q in visible_questions(questionnaire, sheet.answers)}
    page = render_template(
        "respond/form.html", link=PreviewLink(survey), survey=survey, questionnaire=questionnaire,
        form=PreviewForm(), values=values, errors=errors, shown=shown, notice=None, fresh=not posting,
        field_name=field_name, units=survey.units, preview=True, preview_checked=posting and not errors,
        designer_url=url_for("evaluate.designer", survey_id=survey.id),
    )
    return page, 422 if errors else 200

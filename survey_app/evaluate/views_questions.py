"""Edit the questionnaire of a draft survey: intro, question texts, report topics, option values.

The rules live in ``services.questions``; this view turns the form into its fields and back.
"""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_login import login_required

from ..domain.vocabulary import SurveyState
from ..extensions import db
from ..services.access import MANAGE
from ..services.questions import edited
from ..services.surveys import SurveyStateError, update_questionnaire
from ..transaction import transactional
from . import bp
from .access import load_survey
from .views_surveys import actor


@bp.route("/surveys/<int:survey_id>/questions", methods=["GET", "POST"])
@login_required
@transactional
def questions(survey_id: int):
    survey = load_survey(survey_id, MANAGE if request.method == "POST" else "view")
    questionnaire, problems = survey.questionnaire, {}
    if request.method == "POST":
        questionnaire, problems = edited(survey.questionnaire, request.form)
        if not problems:
            try:
                update_questionnaire(db.session, survey, questionnaire, actor())
            except SurveyStateError:
                problems["_"] = "调查已开放，问卷内容已固定，不能再修改。"
            else:
                flash("问卷内容已保存。")
                return redirect(url_for("evaluate.questions", survey_id=survey.id))
    status = 400 if problems else 200
    return render_template("evaluate/questions.html", survey=survey, q=questionnaire, problems=problems,
                           editable=survey.state is SurveyState.DRAFT), status

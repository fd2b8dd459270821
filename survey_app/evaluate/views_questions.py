"""The wording page: intro, question and row texts, help, report topics (and option values in draft).

Before the survey opens, changes are stored with ``update_questionnaire`` (the designer edits
everything else); afterwards the structure is frozen and only wording fixes are accepted,
each audited with before and after (``services.questions.fix_wording``).
"""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_login import login_required

from ..domain.vocabulary import SurveyState
from ..extensions import db
from ..services.access import MANAGE
from ..services.questions import edited, fix_wording
from ..services.surveys import SurveyStateError, update_questionnaire
from ..texts_zh import designer as zh
from ..transaction import transactional
from . import bp
from .access import can_manage, load_survey
from .views_surveys import actor


@bp.route("/surveys/<int:survey_id>/questions", methods=["GET", "POST"])
@login_required
@transactional
def questions(survey_id: int):
    survey = load_survey(survey_id, MANAGE if request.method == "POST" else "view")
    draft = survey.state is SurveyState.DRAFT
    questionnaire, problems = survey.questionnaire, {}
    if request.method == "POST":
        questionnaire, problems = edited(survey.questionnaire, request.form)
        if not problems:
            try:
                if draft:
                    update_questionnaire(db.session, survey, questionnaire, actor())
                else:
                    fix_wording(db.session, survey, questionnaire, actor())
            except SurveyStateError as exc:
                problems["_"] = str(exc)
            else:
                flash(zh.SAVED if draft else zh.WORDING_SAVED)
                return redirect(url_for("evaluate.questions", survey_id=survey.id))
    status = 400 if problems else 200
    return render_template("evaluate/questions.html", survey=survey, q=questionnaire, problems=problems,
                           editable=can_manage(survey), draft=draft), status

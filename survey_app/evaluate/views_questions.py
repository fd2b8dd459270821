"""Edit the questionnaire of a draft survey: intro, question texts, report topics, option values."""

from __future__ import annotations

from dataclasses import replace

from flask import flash, redirect, render_template, request, url_for
from flask_login import login_required

from ..domain.questionnaire import Option, Questionnaire
from ..extensions import db
from ..services.access import MANAGE
from ..services.surveys import SurveyStateError, update_questionnaire
from ..transaction import transactional
from . import bp
from .access import load_survey
from .views_surveys import actor

INTRO_FIELDS = ("title", "greeting", "purpose", "confidentiality", "organisation", "closing")


def edited(questionnaire: Questionnaire, form) -> tuple[Questionnaire, dict[str, str]]:
    """Apply the form to a copy of the questionnaire; return it and per-field problems."""
    problems: dict[str, str] = {}
    intro = replace(questionnaire.intro, **{k: form.get(f"intro_{k}", getattr(questionnaire.intro, k)).strip()
                                            for k in INTRO_FIELDS})
    sections = []
    for section in questionnaire.sections:
        questions = []
        for q in section.questions:
            text = form.get(f"text_{q.id}", q.text).strip()
            topic = form.get(f"topic_{q.id}", q.topic).strip()
            if not text:
                problems[f"text_{q.id}"] = "题目文字不能为空"
            if q.scored and not topic:
                problems[f"topic_{q.id}"] = "计分题需要报告用的主题词"
            options = tuple(_option(q.id, o, form, problems) if q.scored else o for o in q.options)
            questions.append(replace(q, text=text or q.text, topic=topic, options=options))
        sections.append(replace(section, questions=tuple(questions)))
    return replace(questionnaire, intro=intro, sections=tuple(sections)), problems


def _option(qid: str, option: Option, form, problems: dict) -> Option:
    if not option.scored:
        return option
    name = f"value_{qid}_{option.key}"
    raw = form.get(name, str(option.value)).strip()
    try:
        value = float(raw)
        if not 0 <= value <= 100:
            raise ValueError
    except ValueError:
        problems[name] = "赋值应为0至100之间的数"
        return option
    return replace(option, value=value)


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
                           editable=survey.status == "draft"), status

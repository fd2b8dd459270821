"""Scoring settings with a live preview of the rule table and a worked example."""

from __future__ import annotations

from decimal import Decimal

from flask import flash, redirect, render_template, request, url_for
from flask_login import login_required

from ..domain.scoring import OptionSpec, ScoringSettings, rule_from_dict, score_question
from ..extensions import db
from ..services.access import MANAGE
from ..services.screening import screen_survey
from ..services.settings import survey_settings, update_settings
from ..services.summary import build_summary
from ..services.surveys import SurveyStateError
from ..services.unit_quota import survey_quota
from ..texts_zh import scoring as zh_scoring
from ..transaction import transactional
from . import bp
from .access import can_manage, load_survey
from .settings_form import (
    ACTIONS,
    LABELS,
    RULE_TYPES,
    FormProblem,
    bands_text,
    parse_settings,
)
from .views_surveys import actor

#: METHOD.md §2's worked example: 40 / 8 / 2 / 0 answers of 50 on the first scored question's scale,
#: shown (labelled as an illustration) only while the survey has no answers of its own.
EXAMPLE_COUNTS = (40, 8, 2, 0, 0, 0)
#: The satisfaction used to illustrate the rule before any answer has arrived (METHOD.md §1).
EXAMPLE_SATISFACTION = Decimal("94.71")


def preview(survey, settings: dict) -> dict:
    """Rule table, the working for the current (or an illustrative) composite, and a worked question.

    The worked question is the survey's own: the first scored question that has answers,
    with its real counts, scored under the settings being previewed.  Only a survey without
    answers gets METHOD.md's invented 50 answers, and the page says they are invented.
    """
    rule = rule_from_dict(settings["score_rule"])
    scoring = ScoringSettings.from_dict(settings["scoring"])
    current = build_summary(db.session, survey, statistics=False) if survey.questionnaire.scored_questions else None
    satisfaction = current.composite if current else None
    shown = satisfaction if satisfaction is not None else EXAMPLE_SATISFACTION
    answered = next((q for q in (current.questions if current else ()) if q.scored and q.n), None)
    example = None
    if answered is not None:
        options = [OptionSpec(o.key, o.label, o.value) for o in answered.options]
        counts = {o.key: o.count for o in answered.options}
        example = {"options": options, "counts": counts, "topic": answered.topic or answered.text,
                   "n": sum(counts.values()), "illustration": False,
                   "result": score_question(options, counts, scoring).to_dict()}
    elif survey.questionnaire.scored_questions:
        question = survey.questionnaire.scored_questions[0]
        options = [OptionSpec(o.key, o.label, o.value) for o in question.options]
        counts = {o.key: c for o, c in zip(options, EXAMPLE_COUNTS, strict=False)}
        example = {"options": options, "counts": counts, "topic": question.topic or question.text,
                   "n": sum(counts.values()), "illustration": True,
                   "result": score_question(options, counts, scoring).to_dict()}
    quota = survey_quota(db.session, survey)
    return {"rule": rule, "rule_zh": rule.describe_zh(), "bands": rule.to_dict().get("bands"),
            "working_zh": rule.evaluate(shown).working_zh, "is_example": satisfaction is None,
            "provisional_zh": zh_scoring.PROVISIONAL.format(units=quota.units, met=quota.met)
            if satisfaction is not None and quota.short else "",
            "example": example}


@bp.route("/surveys/<int:survey_id>/scoring", methods=["GET", "POST"])
@login_required
@transactional
def scoring(survey_id: int):
    survey = load_survey(survey_id, MANAGE if request.method == "POST" else "view")
    current = survey_settings(survey).to_dict()
    problem, status, settings = None, 200, current
    if request.method == "POST":
        try:
            settings = parse_settings(request.form)
            if "save" in request.form:
                update_settings(db.session, survey, settings, actor())
                if settings["validity"] != current["validity"]:
                    screen_survey(db.session, survey)
                flash("评分设置已保存，并已记录到操作日志。")
                return redirect(url_for("evaluate.scoring", survey_id=survey.id))
        except (FormProblem, SurveyStateError) as exc:
            problem = getattr(exc, "message_zh", None) or "已结束的调查不能再修改评分设置。"
            status, settings = 400, current if isinstance(exc, SurveyStateError) else _echo(request.form, current)
    context = dict(survey=survey, settings=settings, problem=problem, labels=LABELS, rule_types=RULE_TYPES,
                   actions=ACTIONS, bands_text=bands_text(settings["score_rule"]), manage=can_manage(survey))
    if problem is None:
        context["preview"] = preview(survey, settings)
    if request.args.get("fragment") == "preview" or request.form.get("fragment") == "preview":
        return render_template("evaluate/_scoring_preview.html", **context), status
    return render_template("evaluate/scoring.html", **context), status


def _echo(form, current: dict) -> dict:
    """Keep what the evaluator typed when the form has a problem (rule fields as typed)."""
    echoed = {**current, "scoring": {k: form.get(k, v) for k, v in current["scoring"].items()}}
    echoed["score_rule"] = {"type": form.get("rule_type", "band"), "weight": form.get("rule_weight"),
                            "target": form.get("target"), "per_point": form.get("per_point"), "floor": form.get("floor"),
                            "bands": []}
    echoed["_bands_raw"] = form.get("bands", "")
    echoed["sampling"] = {"population": form.get("population", "")}
    return echoed

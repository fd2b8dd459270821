"""报告设置: the sentences of the appendix that are not figures, each with its default and its source.

Every field left empty takes the default derived from the survey's data; the page shows,
beside each field, the value the appendix will print and where it came from.  Choices
equal to the default (sections, breakdown fields) are not stored, so they keep following
the data.  Report settings may change after the survey has closed — the report is written
then — except N, which is a sampling setting and closes with the scoring settings.
"""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_login import login_required

from ..domain.report_settings import DEFAULT_SECTIONS, OPTIONAL_SECTIONS
from ..domain.scoring import ScoringError
from ..extensions import db
from ..services.access import MANAGE
from ..services.report_settings import (
    breakdown_choices,
    report_settings,
    resolved_report,
    update_report_settings,
)
from ..services.surveys import SurveyStateError
from ..texts_zh import report_settings as zh
from ..transaction import transactional
from . import bp
from .access import can_manage, load_survey
from .views_surveys import actor

TEXT_FIELDS = ("population", "platform", "contact")


def parse_form(form, default_breakdowns: list[str]) -> dict:
    """The submitted form as report-settings changes; choices equal to the default are not stored."""
    changes: dict = {key: form.get(key, "").strip() or None for key in TEXT_FIELDS}
    changes["purpose"] = form.get("purpose", "")
    changes["issued"] = form.get("issued", "").strip() or None
    population = form.get("sampling_population", "").strip()
    changes["sampling_population"] = int(population) if population.isdigit() else (population or None)
    sections = [key for key in OPTIONAL_SECTIONS if key in form.getlist("section")]
    changes["sections"] = None if sections == list(DEFAULT_SECTIONS) else sections
    breakdowns = form.getlist("breakdown")
    changes["breakdowns"] = None if sorted(breakdowns) == sorted(default_breakdowns) else breakdowns
    return changes


@bp.route("/surveys/<int:survey_id>/report-settings", methods=["GET", "POST"], endpoint="report_settings")
@login_required
@transactional
def report_settings_page(survey_id: int):
    survey = load_survey(survey_id, MANAGE if request.method == "POST" else "view")
    choices = breakdown_choices(db.session, survey)
    default_breakdowns = [c.key for c in choices if c.groupable]
    problem, status = None, 200
    if request.method == "POST":
        try:
            update_report_settings(db.session, survey, parse_form(request.form, default_breakdowns), actor())
            flash("报告设置已保存，并已记录到操作日志。")
            return redirect(url_for("evaluate.report_settings", survey_id=survey.id))
        except ScoringError as exc:
            problem, status = exc.message_zh, 400
        except SurveyStateError:
            problem, status = "已结束的调查不能再修改总体规模N（评分设置的一部分）。", 400
    resolved = resolved_report(db.session, survey)
    shown = {key: _shown(r.value) for key, r in resolved.items()}
    return render_template("evaluate/report_settings.html", survey=survey, stored=report_settings(survey),
                           resolved=resolved, shown=shown, choices=choices, fields=zh.FIELDS, section_labels=zh.SECTIONS,
                           problem=problem, manage=can_manage(survey)), status


def _shown(value) -> str:
    if value is None:
        return zh.NOT_PRINTED
    return "；".join(map(str, value)) if isinstance(value, list) else str(value)

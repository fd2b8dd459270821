"""Survey list, creation, overview, context editing, opening and closing, members, audit log."""

from __future__ import annotations

from datetime import datetime

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from wtforms import SelectChoice

from ..domain.banks import BankError
from ..domain.blank import blank_questionnaire
from ..domain.questionnaire import Questionnaire
from ..domain.vocabulary import BEIJING, BankSource
from ..extensions import db
from ..models import Survey, SurveyMember, User
from ..services import audit
from ..services.access import MANAGE, add_member, can_create_surveys, visible_surveys
from ..services.bank_library import bank_questionnaire, get_bank, list_banks
from ..services.summary import build_summary
from ..services.surveys import (
    NotReadyToOpen,
    SurveyStateError,
    close_survey,
    create_survey,
    open_survey,
    update_context,
)
from ..texts_zh import bank_library as zh_library
from ..texts_zh import labels
from ..transaction import transactional
from . import bp
from .access import can_manage, load_survey
from .forms import MemberForm, NewSurveyForm, Start, SurveyForm


def actor() -> str:
    return f"user:{current_user.username}"


def bank_choices() -> list[SelectChoice]:
    """Every bank of the library, built-in first (a broken file is left out by the library)."""
    return [SelectChoice(e.ref, f"{e.title}（{labels.BANK_SOURCE[e.source]} · 版本 {e.version}）")
            for e in list_banks(db.session)]


def survey_choices(items: list[Survey]) -> list[SelectChoice]:
    return [SelectChoice(str(s.id), f"{s.name}（{labels.survey_state(s.status)}）") for s in items]


def starting_questionnaire(form: NewSurveyForm, copyable: dict[str, Survey]) -> tuple[Questionnaire, dict] | None:
    """The questionnaire the new survey starts from, and what to record about it; None (with the
    field's error set) when the chosen bank or survey is gone or the bank no longer validates."""
    if form.start.data == Start.BLANK:
        return blank_questionnaire(form.name.data), {"start": Start.BLANK}
    if form.start.data == Start.COPY:
        source = copyable.get(form.source_survey.data)
        if source is None:
            form.source_survey.errors.append(zh_library.CHOOSE_SURVEY)
            return None
        return source.questionnaire, {"start": Start.COPY, "copy_of": source.id}
    ref = form.bank.data if ":" in form.bank.data else f"{BankSource.BUILTIN}:{form.bank.data}"  # a bare file name
    entry = get_bank(db.session, ref)
    if entry is None:
        form.bank.errors.append(zh_library.NO_SUCH_BANK)
        return None
    try:
        return bank_questionnaire(db.session, entry), {"start": Start.BANK, "bank": entry.ref}
    except BankError as exc:
        form.bank.errors.extend(str(p) for p in exc.problems)
        return None


def to_utc(value: datetime | None) -> datetime | None:
    return value - BEIJING if value else None


def to_beijing(value: datetime | None) -> datetime | None:
    return value + BEIJING if value else None


@bp.get("/")
@login_required
def surveys():
    items = visible_surveys(db.session, current_user)
    return render_template("evaluate/surveys.html", items=items, can_create=can_create_surveys(current_user))


@bp.route("/surveys/new", methods=["GET", "POST"])
@login_required
@transactional
def new_survey():
    if not can_create_surveys(current_user):
        abort(403)
    copyable = {str(s.id): s for s in visible_surveys(db.session, current_user)}
    form = NewSurveyForm()
    form.bank.choices = bank_choices()
    form.source_survey.choices = survey_choices(list(copyable.values()))
    if request.method == "GET":
        preset(form, copyable)
    elif form.start.data == Start.COPY and not (form.name.data or "").strip() and form.source_survey.data in copyable:
        form.name.data = copyable[form.source_survey.data].name + zh_library.COPY_SUFFIX
    if form.validate_on_submit() and (start := starting_questionnaire(form, copyable)) is not None:
        questionnaire, origin = start
        survey = create_survey(
            db.session, questionnaire, name=form.name.data.strip(), project_name=form.project_name.data or "",
            department=form.department.data or "", eval_year=form.eval_year.data,
            indicator_code=form.indicator_code.data or "", indicator_name=form.indicator_name.data or "",
            indicator_weight=form.indicator_weight.data, default_min_valid=form.default_min_valid.data,
            opens_at=to_utc(form.opens_at.data), closes_at=to_utc(form.closes_at.data),
        )
        survey.owner_id = current_user.id
        audit.record(db.session, survey, actor(), "survey.create", None, {**origin, "name": survey.name})
        flash("调查已创建。下一步：导入单位名单。" if questionnaire.scored_questions
              else "调查已创建。问卷还是空白的：请先添加题目，再导入单位名单。")
        return redirect(url_for("evaluate.overview", survey_id=survey.id))
    status = 400 if request.method == "POST" else 200
    return render_template("evaluate/survey_form.html", form=form, creating=True), status


def preset(form: NewSurveyForm, copyable: dict[str, Survey]) -> None:
    """Links from elsewhere preselect the start: ``?bank=<ref>`` (bank library), ``?copy=<id>`` (a survey)."""
    source = copyable.get(request.args.get("copy", ""))
    if source is not None:
        form.start.data, form.source_survey.data = Start.COPY, str(source.id)
        form.name.data = source.name + zh_library.COPY_SUFFIX
        for name in ("project_name", "department", "indicator_code", "indicator_name", "indicator_weight",
                     "default_min_valid"):
            getattr(form, name).data = getattr(source, name)
    elif request.args.get("bank") in {c.value for c in form.bank.choices}:
        form.start.data, form.bank.data = Start.BANK, request.args["bank"]


@bp.get("/surveys/<int:survey_id>")
@login_required
def overview(survey_id: int):
    survey = load_survey(survey_id)
    summary = build_summary(db.session, survey, statistics=False)
    return render_template("evaluate/overview.html", survey=survey, s=summary, manage=can_manage(survey),
                           can_create=can_create_surveys(current_user))


@bp.route("/surveys/<int:survey_id>/edit", methods=["GET", "POST"])
@login_required
@transactional
def edit(survey_id: int):
    survey = load_survey(survey_id, MANAGE)
    form = SurveyForm(obj=survey)
    if request.method == "GET":
        form.opens_at.data, form.closes_at.data = to_beijing(survey.opens_at), to_beijing(survey.closes_at)
    if form.validate_on_submit():
        values = {name: getattr(form, name).data for name in (
            "name", "project_name", "department", "eval_year", "indicator_code", "indicator_name",
            "indicator_weight", "default_min_valid")}
        values["opens_at"], values["closes_at"] = to_utc(form.opens_at.data), to_utc(form.closes_at.data)
        values = {k: ("" if v is None and k in ("project_name", "department", "indicator_code", "indicator_name") else v)
                  for k, v in values.items()}
        if update_context(db.session, survey, values, actor()):
            flash("已保存。")
        return redirect(url_for("evaluate.edit", survey_id=survey.id))
    return render_template("evaluate/survey_form.html", form=form, survey=survey, creating=False), 400 if form.errors else 200


@bp.post("/surveys/<int:survey_id>/open", endpoint="open")
@login_required
@transactional
def open_(survey_id: int):
    survey = load_survey(survey_id, MANAGE)
    try:
        open_survey(db.session, survey, actor=actor())
    except NotReadyToOpen as exc:
        flash(exc.message_zh)
        return redirect(url_for("evaluate.overview", survey_id=survey.id)), 409
    except SurveyStateError:
        flash("已结束的调查不能重新开放。")
        return redirect(url_for("evaluate.overview", survey_id=survey.id)), 409
    flash("调查已开放，问卷内容从此固定。")
    return redirect(url_for("evaluate.overview", survey_id=survey.id))


@bp.post("/surveys/<int:survey_id>/close")
@login_required
@transactional
def close(survey_id: int):
    survey = load_survey(survey_id, MANAGE)
    close_survey(db.session, survey, actor=actor())
    flash("调查已结束，不再接收答卷。")
    return redirect(url_for("evaluate.overview", survey_id=survey.id))


@bp.route("/surveys/<int:survey_id>/members", methods=["GET", "POST"])
@login_required
@transactional
def members(survey_id: int):
    survey = load_survey(survey_id)
    manage = can_manage(survey)
    form = MemberForm()
    if request.method == "POST":
        if not manage:
            abort(403)
        if form.validate_on_submit():
            user = add_member(db.session, survey, form.username.data, form.role.data, actor())
            if user is None:
                form.username.errors.append("没有这个用户名")
            else:
                flash(f"已添加成员 {user.username}。")
                return redirect(url_for("evaluate.members", survey_id=survey.id))
    rows = db.session.execute(
        db.select(User, SurveyMember.role).join(SurveyMember, SurveyMember.user_id == User.id)
        .where(SurveyMember.survey_id == survey.id).order_by(User.username)
    ).all()
    owner = db.session.get(User, survey.owner_id) if survey.owner_id else None
    status = 400 if request.method == "POST" else 200
    return render_template("evaluate/members.html", survey=survey, rows=rows, owner=owner, form=form,
                           manage=manage), status


@bp.get("/surveys/<int:survey_id>/audit", endpoint="audit")
@login_required
def audit_log(survey_id: int):
    survey = load_survey(survey_id)
    events = audit.events(db.session, survey)
    return render_template("evaluate/audit.html", survey=survey, events=events,
                           names=audit.display_names(db.session, events))


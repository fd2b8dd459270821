"""Unit list of a survey: list, add, edit, remove, and import through a column-mapping step.

Viewers see the list read-only; every change needs manage access and is audited.  The
import is upload → mapping with preview and validation report → confirm; nothing is written
before the confirmation (see ``services.unit_import``).
"""

from __future__ import annotations

from pathlib import Path

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from ..extensions import db
from ..services.access import MANAGE
from ..services.unit_changes import (
    UnitInUse,
    add_unit,
    delete_unit,
    get_unit,
    response_counts,
    update_unit,
)
from ..services.unit_import import (
    ATTRIBUTE,
    FIELDS,
    IGNORE,
    MAX_BYTES,
    PREVIEW_ROWS,
    ImportProblem,
    check_upload,
    default_mapping,
    discard_upload,
    import_units,
    load_upload,
    save_upload,
)
from ..transaction import after_commit, transactional
from . import bp
from .access import can_manage, load_survey
from .units_forms import UnitForm, UploadForm, unit_form_data
from .views_surveys import actor

#: Choices of the mapping step, in the order the select lists them.
TARGETS = {**{key: FIELDS[key] for key in ("name", "seq", "county", "category", "credit_code", "min_valid")},
           ATTRIBUTE: "保留为单位属性", IGNORE: "不导入"}


def upload_folder() -> Path:
    """Where parsed uploads wait for confirmation (``UNIT_UPLOAD_FOLDER``, default instance/uploads)."""
    return Path(current_app.config["UNIT_UPLOAD_FOLDER"])


def render_units(survey, problem: str | None = None, status: int = 200):
    return render_template("evaluate/units.html", survey=survey, units=survey.units, problem=problem,
                           counts=response_counts(db.session, survey), manage=can_manage(survey)), status


@bp.get("/surveys/<int:survey_id>/units")
@login_required
def units(survey_id: int):
    return render_units(load_survey(survey_id))


@bp.route("/surveys/<int:survey_id>/units/new", methods=["GET", "POST"])
@login_required
@transactional
def unit_new(survey_id: int):
    survey = load_survey(survey_id, MANAGE)
    form = UnitForm(data={"min_valid": survey.default_min_valid} if request.method == "GET" else None)
    if form.validate_on_submit():
        unit = add_unit(db.session, survey, form.values(), actor())
        flash(f"已添加单位“{unit.name}”。")
        return redirect(url_for("evaluate.units", survey_id=survey.id))
    return render_template("evaluate/units_form.html", survey=survey, form=form, unit=None), 400 if form.errors else 200


@bp.route("/surveys/<int:survey_id>/units/<int:unit_id>/edit", methods=["GET", "POST"])
@login_required
@transactional
def unit_edit(survey_id: int, unit_id: int):
    survey = load_survey(survey_id, MANAGE)
    unit = get_unit(db.session, survey, unit_id) or abort(404)
    form = UnitForm(data=unit_form_data(unit) if request.method == "GET" else None)
    if form.validate_on_submit():
        if update_unit(db.session, unit, form.values(), actor()):
            flash(f"已保存单位“{unit.name}”。")
        return redirect(url_for("evaluate.units", survey_id=survey.id))
    return render_template("evaluate/units_form.html", survey=survey, form=form, unit=unit), 400 if form.errors else 200


@bp.post("/surveys/<int:survey_id>/units/<int:unit_id>/delete")
@login_required
@transactional
def unit_delete(survey_id: int, unit_id: int):
    survey = load_survey(survey_id, MANAGE)
    unit = get_unit(db.session, survey, unit_id) or abort(404)
    name = unit.name
    try:
        delete_unit(db.session, unit, actor())
    except UnitInUse as exc:
        return render_units(survey, f"“{name}”已有 {exc.responses} 份答卷，不能删除：删除会使这些答卷失去所属单位，"
                                    "改变单位层面的统计结果。如需停止该单位继续填写，请在“问卷分发”中重新生成它的链接。", 409)
    flash(f"已删除单位“{name}”。")
    return redirect(url_for("evaluate.units", survey_id=survey.id))


@bp.route("/surveys/<int:survey_id>/units/import", methods=["GET", "POST"])
@login_required
@transactional
def units_import(survey_id: int):
    survey = load_survey(survey_id, MANAGE)
    form = UploadForm()
    problem, status = None, 200
    if form.validate_on_submit():
        file = form.file.data
        try:
            upload = save_upload(upload_folder(), survey.id, current_user.id, file.filename or "名单",
                                 file.stream.read(MAX_BYTES + 1))
        except ImportProblem as exc:
            problem, status = exc.message_zh, exc.status
        else:
            return redirect(url_for("evaluate.units_import_map", survey_id=survey.id, upload_id=upload.id))
    elif request.method == "POST":
        status = 400
    return render_template("evaluate/units_import.html", survey=survey, form=form, problem=problem,
                           max_mb=MAX_BYTES // 1024 // 1024), status


@bp.route("/surveys/<int:survey_id>/units/import/<upload_id>", methods=["GET", "POST"])
@login_required
@transactional
def units_import_map(survey_id: int, upload_id: str):
    survey = load_survey(survey_id, MANAGE)
    upload = load_upload(upload_folder(), upload_id, survey.id, current_user.id)
    if upload is None:
        flash("上传的名单已过期或不存在，请重新上传。")
        return redirect(url_for("evaluate.units_import", survey_id=survey.id))
    mapping = default_mapping(upload.headers)
    if request.method == "POST":
        mapping = [request.form.get(f"col_{i}") if request.form.get(f"col_{i}") in TARGETS else default
                   for i, default in enumerate(mapping)]
    check = check_upload(db.session, survey, upload, mapping)
    duplicates = request.form.get("duplicates")
    problem, status = None, 200
    if request.form.get("action") == "confirm":
        if request.form.get("checked") != check.fingerprint:
            problem, status = "列的对应关系已改变：请先查看下面新的检查结果，再确认导入。", 409
        else:
            try:
                imported = import_units(db.session, survey, upload, check, duplicates, actor())
            except ImportProblem as exc:
                problem, status = exc.message_zh, exc.status
            else:
                after_commit(lambda: discard_upload(upload_folder(), upload.id))
                flash(f"已从“{upload.filename}”导入 {len(imported)} 个单位。")
                return redirect(url_for("evaluate.units", survey_id=survey.id))
    merged = len(check.table.rows) - sum(len(group["lines"]) - 1 for group in check.duplicates)
    return render_template("evaluate/units_import_map.html", survey=survey, upload=upload, mapping=mapping,
                           targets=TARGETS, check=check, duplicates=duplicates, merged=merged, problem=problem,
                           preview=upload.rows[:PREVIEW_ROWS]), status

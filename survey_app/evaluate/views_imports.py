"""Upload page for answers collected elsewhere (问卷星 exports, spreadsheets).

Step 1 uploads the file (and optionally a mapping file and one unit for all rows); step 2, the
mapping step, shows the dry-run report with every column's role in a dropdown, unknown option
values, unit names to accept or skip and the unit mode; "重新检查" applies the choices and
checks again.  Nothing is written until the evaluator confirms: the bytes and the choices
wait in the shared upload stash (``services.uploads``: this survey and user only, pruned
after a day), and the import then runs all or nothing (services/imports.py).
"""

from __future__ import annotations

from pathlib import Path

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from ..domain.vocabulary import Source
from ..extensions import db
from ..services import uploads
from ..services.access import MANAGE
from ..services.imports import (
    ImportFileError,
    ImportRefused,
    commit,
    load_mapping,
    preview,
    remembered_mapping,
)
from ..texts_zh import imports as zh
from ..transaction import after_commit, transactional
from . import bp
from .access import load_survey
from .import_mapping import apply_choices, column_choices, column_rows
from .views_surveys import actor

MAX_BYTES = 40 * 1024 * 1024
KIND = "answers"


def _folder() -> Path:
    return Path(current_app.config["UNIT_UPLOAD_FOLDER"])


def _page(survey, report=None, status: int = 200, **extra):
    context = {"survey": survey, "report": report, "zh": zh, "stash_id": None, "unit": "", "problem": None}
    if report is not None:
        context |= {"column_rows": column_rows(report), "column_choices": column_choices(survey.questionnaire),
                    "questions": {q.id: q for q in survey.questionnaire.questions}}
    return render_template("evaluate/responses_import.html", **(context | extra)), status


@bp.route("/surveys/<int:survey_id>/responses/import", methods=["GET", "POST"])
@login_required
@transactional(dry_run=True)  # step 1 only checks: whatever the preview touched is rolled back
def responses_import(survey_id: int):
    survey = load_survey(survey_id, MANAGE)
    if request.method == "GET":
        return _page(survey)
    upload = request.files.get("file")
    data = upload.read(MAX_BYTES + 1) if upload else b""
    problem = None
    if not upload or not upload.filename:
        problem = "请选择要导入的文件（.xlsx 或 .csv）。"
    elif len(data) > MAX_BYTES:
        problem = "文件超过40MB，请拆分后分批导入。"
    elif not data:
        problem = "文件是空的。"
    mapping_file = request.files.get("mapping")
    mapping = None
    if problem is None and mapping_file and mapping_file.filename:
        try:
            mapping = load_mapping(mapping_file.filename, mapping_file.read(1024 * 1024))
        except ImportFileError as exc:
            problem = exc.message_zh
    if problem:
        return _page(survey, problem=problem, status=400)
    unit = request.form.get("unit", "").strip()
    report = preview(db.session, survey, upload.filename, data, mapping=mapping, unit=unit or None)
    stash_id = uploads.save(_folder(), KIND, survey.id, current_user.id,
                            {"filename": upload.filename, "mapping": mapping, "unit": unit}, {"file": data})
    return _page(survey, report, 200 if report.importable else 422, stash_id=stash_id, unit=unit)


@bp.post("/surveys/<int:survey_id>/responses/import/<stash_id>/map")
@login_required
@transactional(dry_run=True)  # the mapping step only checks again
def responses_import_map(survey_id: int, stash_id: str):
    survey = load_survey(survey_id, MANAGE)
    stashed = uploads.load(_folder(), KIND, stash_id, survey.id, current_user.id)
    if stashed is None:
        flash("该上传已失效（已导入或已超过24小时），请重新选择文件。")
        return redirect(url_for("evaluate.responses_import", survey_id=survey.id))
    meta, parts = stashed
    before = preview(db.session, survey, meta["filename"], parts["file"], mapping=meta["mapping"],
                     unit=meta["unit"] or None)
    base = meta["mapping"] if meta["mapping"] is not None else remembered_mapping(db.session, survey)
    meta["mapping"] = apply_choices(base, before, request.form)
    mode = request.form.get("unit_mode")
    if mode in ("column", "none"):
        meta["unit"] = ""
    elif mode == "fixed":
        meta["unit"] = request.form.get("fixed_unit", "").strip()
    uploads.update(_folder(), KIND, stash_id, meta)
    report = preview(db.session, survey, meta["filename"], parts["file"], mapping=meta["mapping"],
                     unit=meta["unit"] or None)
    return _page(survey, report, 200 if report.importable else 422, stash_id=stash_id, unit=meta["unit"])


@bp.post("/surveys/<int:survey_id>/responses/import/<stash_id>")
@login_required
@transactional
def responses_import_confirm(survey_id: int, stash_id: str):
    survey = load_survey(survey_id, MANAGE)
    stashed = uploads.load(_folder(), KIND, stash_id, survey.id, current_user.id)
    if stashed is None:  # already imported, expired, or someone else's upload
        flash("该上传已失效（已导入或已超过24小时），请重新选择文件。")
        return redirect(url_for("evaluate.responses_import", survey_id=survey.id))
    meta, parts = stashed
    try:
        report = commit(db.session, survey, meta["filename"], parts["file"], mapping=meta["mapping"],
                        unit=meta["unit"] or None, actor=actor(), ip_secret=current_app.config["SECRET_KEY"])
    except ImportRefused as exc:
        return _page(survey, exc.report, 409, problem="导入未执行，文件未写入任何数据。", stash_id=stash_id,
                     unit=meta["unit"])
    after_commit(lambda: uploads.discard(_folder(), KIND, stash_id))
    skipped = f"；{zh.already_imported(report.rows_already)}" if report.rows_already else ""
    flash(f"已导入 {report.imported} 份答卷（来源：导入，文件 {meta['filename']}）{skipped}，并已完成有效性筛查。")
    return redirect(url_for("evaluate.responses", survey_id=survey.id, source=Source.IMPORT))

"""Upload page for answers collected elsewhere (问卷星 exports, spreadsheets).

Step 1 uploads the file (and optionally a mapping file and one unit for all rows) and shows
the dry-run report; nothing is written.  The file's bytes wait under instance/uploads/ (only
for this survey and user, pruned after a day) until step 2 confirms; the import then runs
all or nothing (services/imports.py) and the stored bytes are removed.
"""

from __future__ import annotations

import json
import re
import secrets
import time
from pathlib import Path

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from ..domain.vocabulary import Source
from ..extensions import db
from ..services.access import MANAGE
from ..services.imports import (
    ImportFileError,
    ImportRefused,
    commit,
    load_mapping,
    preview,
)
from ..texts_zh.imports import report_lines
from ..transaction import after_commit, transactional
from . import bp
from .access import load_survey
from .views_surveys import actor

MAX_BYTES = 40 * 1024 * 1024
MAX_AGE_SECONDS = 24 * 3600
_ID = re.compile(r"[A-Za-z0-9_-]{16,40}")


def _folder() -> Path:
    folder = Path(current_app.config["UNIT_UPLOAD_FOLDER"])
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _stash(survey_id: int, filename: str, data: bytes, mapping: tuple[str, bytes] | None, unit: str) -> str:
    folder, now = _folder(), time.time()
    for old in folder.glob("answers-*"):
        if old.stat().st_mtime < now - MAX_AGE_SECONDS:
            old.unlink(missing_ok=True)
    stash_id = secrets.token_urlsafe(18)
    (folder / f"answers-{stash_id}.bin").write_bytes(data)
    if mapping:
        (folder / f"answers-{stash_id}.map").write_bytes(mapping[1])
    meta = {"survey_id": survey_id, "user_id": current_user.id, "filename": filename,
            "mapping_name": mapping[0] if mapping else None, "unit": unit}
    (folder / f"answers-{stash_id}.json").write_text(json.dumps(meta, ensure_ascii=False), encoding="utf-8")
    return stash_id


def _unstash(stash_id: str, survey_id: int):
    folder = _folder()
    meta_path = folder / f"answers-{stash_id}.json"
    if not _ID.fullmatch(stash_id) or not meta_path.is_file():
        return None
    meta = json.loads(meta_path.read_text(encoding="utf-8"))
    if (meta["survey_id"], meta["user_id"]) != (survey_id, current_user.id):
        return None
    mapping_path = folder / f"answers-{stash_id}.map"
    mapping = load_mapping(meta["mapping_name"], mapping_path.read_bytes()) if mapping_path.is_file() else None
    return meta, (folder / f"answers-{stash_id}.bin").read_bytes(), mapping


def _discard(stash_id: str) -> None:
    for suffix in ("bin", "map", "json"):
        (_folder() / f"answers-{stash_id}.{suffix}").unlink(missing_ok=True)


@bp.route("/surveys/<int:survey_id>/responses/import", methods=["GET", "POST"])
@login_required
@transactional(dry_run=True)  # step 1 only checks: whatever the preview touched is rolled back
def responses_import(survey_id: int):
    survey = load_survey(survey_id, MANAGE)
    if request.method == "GET":
        return render_template("evaluate/responses_import.html", survey=survey, report=None, lines=[])
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
        mapping_bytes = mapping_file.read(1024 * 1024)
        try:
            load_mapping(mapping_file.filename, mapping_bytes)
            mapping = (mapping_file.filename, mapping_bytes)
        except ImportFileError as exc:
            problem = exc.message_zh
    if problem:
        return render_template("evaluate/responses_import.html", survey=survey, report=None, lines=[],
                               problem=problem), 400
    unit = request.form.get("unit", "").strip()
    report = preview(db.session, survey, upload.filename, data,
                     mapping=load_mapping(*mapping) if mapping else None, unit=unit or None)
    stash_id = _stash(survey.id, upload.filename, data, mapping, unit) if report.importable else None
    status = 200 if report.importable else 422
    return render_template("evaluate/responses_import.html", survey=survey, report=report,
                           lines=report_lines(report), stash_id=stash_id, unit=unit), status


@bp.post("/surveys/<int:survey_id>/responses/import/<stash_id>")
@login_required
@transactional
def responses_import_confirm(survey_id: int, stash_id: str):
    survey = load_survey(survey_id, MANAGE)
    stashed = _unstash(stash_id, survey.id)
    if stashed is None:  # already imported, expired, or someone else's upload
        flash("该上传已失效（已导入或已超过24小时），请重新选择文件。")
        return redirect(url_for("evaluate.responses_import", survey_id=survey.id))
    meta, data, mapping = stashed
    try:
        report = commit(db.session, survey, meta["filename"], data, mapping=mapping, unit=meta["unit"] or None,
                        actor=actor(), ip_secret=current_app.config["SECRET_KEY"])
    except ImportRefused as exc:
        return render_template("evaluate/responses_import.html", survey=survey, report=exc.report,
                               lines=report_lines(exc.report), problem="导入未执行，文件未写入任何数据。"), 409
    after_commit(lambda: _discard(stash_id))
    flash(f"已导入 {report.imported} 份答卷（来源：导入，文件 {meta['filename']}），并已完成有效性筛查。")
    return redirect(url_for("evaluate.responses", survey_id=survey.id, source=Source.IMPORT))

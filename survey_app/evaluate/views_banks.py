"""The bank library (题库): list, download, upload, delete; and "另存为题库" on a survey.

Everyone signed in lists and downloads; admins and evaluators save, upload and delete
(an evaluator only their own banks). The rules live in ``services.bank_library``; these
views answer 403 where they refuse, as the survey pages do for viewers.
"""

from __future__ import annotations

import io

from flask import abort, flash, redirect, render_template, send_file, url_for
from flask_login import current_user, login_required

from ..domain.banks import BankError
from ..domain.vocabulary import BankSource
from ..extensions import db
from ..services.bank_library import (
    BankAccessError,
    BankEntry,
    bank_yaml,
    can_delete_bank,
    can_edit_banks,
    delete_bank,
    get_bank,
    list_banks,
    save_survey_as_bank,
    upload_bank,
)
from ..transaction import transactional
from . import bp
from .access import load_survey
from .forms import SaveBankForm, UploadBankForm
from .views_surveys import actor

#: A bank is a few kilobytes; anything near this is not one (and would only cost parsing time).
MAX_BANK_BYTES = 1024 * 1024
#: Problems listed on the page at most (a badly broken file can have hundreds).
SHOWN_PROBLEMS = 200


def library_page(form: UploadBankForm, problems: list[str] | None = None, status: int = 200):
    entries = list_banks(db.session)
    deletable = {e.ref for e in entries if can_delete_bank(current_user, e)}
    return render_template("evaluate/banks.html", entries=entries, form=form, problems=problems or [],
                           shown=SHOWN_PROBLEMS, can_edit=can_edit_banks(current_user), deletable=deletable), status


@bp.get("/banks")
@login_required
def banks():
    return library_page(UploadBankForm())


@bp.post("/banks/upload")
@login_required
@transactional
def upload():
    if not can_edit_banks(current_user):
        abort(403)
    form = UploadBankForm()
    if not form.validate_on_submit():
        return library_page(form, status=400)
    upload_file = form.file.data
    data = upload_file.read(MAX_BANK_BYTES + 1)
    if len(data) > MAX_BANK_BYTES:
        form.file.errors.append("题库文件超过1MB，不像是题库，请检查文件。")
        return library_page(form, status=400)
    try:
        row = upload_bank(db.session, current_user, upload_file.filename or "", data, actor())
    except BankError as exc:
        return library_page(form, [str(p) for p in exc.problems], status=422)
    flash(f"题库“{row.title}”（版本 {row.version}）已上传：{row.question_count} 题，其中计分 {row.scored_count} 题。")
    return redirect(url_for("evaluate.banks"))


def _download(entry: BankEntry | None):
    if entry is None:
        abort(404)
    data = bank_yaml(db.session, entry).encode("utf-8")
    return send_file(io.BytesIO(data), mimetype="application/yaml", as_attachment=True, max_age=0,
                     download_name=entry.filename)


@bp.get("/banks/builtin/<bank_file>/download")
@login_required
def download_builtin_bank(bank_file: str):
    return _download(get_bank(db.session, f"{BankSource.BUILTIN}:{bank_file}"))


@bp.get("/banks/<int:bank_id>/download")
@login_required
def download_bank(bank_id: int):
    return _download(get_bank(db.session, f"{BankSource.STORED}:{bank_id}"))


@bp.post("/banks/<int:bank_id>/delete")
@login_required
@transactional
def delete(bank_id: int):
    entry = get_bank(db.session, f"{BankSource.STORED}:{bank_id}") or abort(404)
    try:
        delete_bank(db.session, entry, current_user, actor())
    except BankAccessError as exc:
        flash(exc.message_zh)
        return library_page(UploadBankForm(), status=403)
    flash(f"题库“{entry.title}”（版本 {entry.version}）已删除。用它创建的调查不受影响。")
    return redirect(url_for("evaluate.banks"))


@bp.route("/surveys/<int:survey_id>/bank/new", methods=["GET", "POST"])
@login_required
@transactional
def save_bank(survey_id: int):
    survey = load_survey(survey_id)
    if not can_edit_banks(current_user):
        abort(403)
    form = SaveBankForm()
    if not form.is_submitted():
        form.title.data = survey.questionnaire.title
    problems: list[str] = []
    if form.validate_on_submit():
        try:
            row = save_survey_as_bank(db.session, survey, current_user, form.title.data, form.version.data, actor())
        except BankError as exc:
            problems = [str(p) for p in exc.problems]
        else:
            flash(f"已另存为题库“{row.title}”（版本 {row.version}），新建调查时可以选用。")
            return redirect(url_for("evaluate.banks"))
    status = 200 if not form.is_submitted() else (422 if problems else 400)
    return render_template("evaluate/bank_save.html", survey=survey, form=form, problems=problems), status

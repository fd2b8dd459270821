"""The user's personal API tokens (account menu → API令牌): create, list, revoke."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from ..extensions import db
from ..services.accounts import AccountError
from ..services.api_tokens import create_token, own_token, revoke_token, tokens_of
from ..transaction import transactional
from . import bp
from .account_forms import TokenForm
from .views_surveys import actor


@bp.route("/account/tokens", methods=["GET", "POST"])
@login_required
@transactional
def tokens():
    form = TokenForm()
    created, status = None, 200
    if form.validate_on_submit():
        try:
            _row, created = create_token(db.session, current_user, form.name.data, actor())
        except AccountError as exc:
            form.name.errors.append(exc.message_zh)
            status = 400
        else:
            form = TokenForm(formdata=None)
    elif request.method == "POST":
        status = 400
    page = render_template("evaluate/tokens.html", form=form, created=created, rows=tokens_of(db.session, current_user))
    # The new token appears in this page only: keep it out of every cache.
    return page, status, {"Cache-Control": "no-store"}


@bp.post("/account/tokens/<int:token_id>/revoke")
@login_required
@transactional
def revoke_api_token(token_id: int):
    row = own_token(db.session, current_user, token_id) or abort(404)
    if revoke_token(db.session, row, current_user, actor()):
        flash(f"令牌“{row.name}”（{row.prefix}…）已撤销，使用它的程序将无法再访问。")
    return redirect(url_for("evaluate.tokens"))

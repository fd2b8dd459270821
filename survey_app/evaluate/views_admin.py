"""Account management for admins: create, (de)activate, reset a password."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from ..extensions import db
from ..models import User
from ..services.access import can_manage_accounts
from ..services.accounts import AccountError, create_user, reset_password, set_active
from ..transaction import transactional
from . import bp
from .account_forms import PasswordResetForm
from .forms import UserForm
from .views_surveys import actor


def require_admin() -> None:
    if not can_manage_accounts(current_user):
        abort(403)


@bp.route("/users", methods=["GET", "POST"])
@login_required
@transactional
def users():
    require_admin()
    form = UserForm()
    if form.validate_on_submit():
        try:
            user = create_user(db.session, form.username.data, form.password.data, form.role.data,
                               form.display_name.data or "")
        except AccountError as exc:
            form.username.errors.append(exc.message_zh)
        else:
            flash(f"已创建账号 {user.username}。请通过安全渠道告知初始密码，并提醒其登录后修改。")
            return redirect(url_for("evaluate.users"))
    rows = db.session.scalars(db.select(User).order_by(User.username)).all()
    status = 400 if request.method == "POST" else 200
    return render_template("evaluate/users.html", form=form, rows=rows, reset_form=PasswordResetForm()), status


@bp.post("/users/<int:user_id>/active")
@login_required
@transactional
def toggle_user(user_id: int):
    require_admin()
    user = db.get_or_404(User, user_id)
    try:
        set_active(db.session, user, not user.active, current_user, actor())
    except AccountError as exc:
        flash(exc.message_zh)
        return redirect(url_for("evaluate.users")), 409
    flash(f"账号 {user.username} 已{'启用' if user.active else '停用'}。")
    return redirect(url_for("evaluate.users"))


@bp.post("/users/<int:user_id>/password")
@login_required
@transactional
def reset_user_password(user_id: int):
    """Set a new password for someone who forgot theirs; every session of theirs ends."""
    require_admin()
    user = db.get_or_404(User, user_id)
    form = PasswordResetForm()
    if not form.validate_on_submit():
        flash("；".join(e for errors in form.errors.values() for e in errors) or "请设置新密码")
        return redirect(url_for("evaluate.users")), 400
    try:
        reset_password(db.session, user, form.password.data, actor())
    except AccountError as exc:
        flash(exc.message_zh)
        return redirect(url_for("evaluate.users")), 400
    flash(f"已重置 {user.username} 的密码，其所有登录已退出。请通过安全渠道告知新密码，并提醒其登录后修改。")
    return redirect(url_for("evaluate.users"))

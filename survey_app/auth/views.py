"""Login, logout and password change; ``transactional`` commits what the services flushed.

Logging out and changing a password end the user's other sessions too (the session
epoch, ``services.accounts.end_sessions``): a copied cookie stops working.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import (
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_login import current_user, login_required, login_user, logout_user

from ..domain.privacy import hash_ip
from ..extensions import db
from ..services.accounts import (
    AccountError,
    RateLimited,
    authenticate,
    change_password,
    end_sessions,
)
from ..transaction import keep_on_error, transactional
from . import bp
from .forms import LoginForm, PasswordForm


def safe_next(target: str | None) -> str:
    """Only follow a ``next`` that stays on this site (no open redirect)."""
    if target and target.startswith("/") and not target.startswith("//") and not urlsplit(target).netloc:
        return target
    return url_for("evaluate.surveys")


@bp.route("/login", methods=["GET", "POST"])
@transactional
def login():
    if current_user.is_authenticated:
        return redirect(url_for("evaluate.surveys"))
    form = LoginForm()
    status, headers = 200, {}
    if form.validate_on_submit():
        try:
            user = authenticate(db.session, form.username.data.strip(), form.password.data,
                                hash_ip(current_app.config["SECRET_KEY"], request.remote_addr))
        except RateLimited as exc:
            form.form_errors.append(exc.message_zh)
            status, headers = 429, {"Retry-After": str(exc.retry_after)}
        except AccountError as exc:
            keep_on_error()  # keep the failure counters: they feed the throttle
            form.form_errors.append(exc.message_zh)
            status = 401
        else:
            session.clear()  # a fresh session on login (no fixation)
            login_user(user)
            return redirect(safe_next(request.args.get("next")))
    elif request.method == "POST":
        status = 400
    return render_template("auth/login.html", form=form), status, headers


@bp.post("/logout")
@login_required
@transactional
def logout():
    end_sessions(db.session, current_user._get_current_object())  # a saved copy of this cookie stops working too
    logout_user()
    session.clear()
    flash("您已退出登录。")
    return redirect(url_for("auth.login"))


@bp.route("/account/password", methods=["GET", "POST"])
@login_required
@transactional
def password():
    form = PasswordForm()
    if form.validate_on_submit():
        try:
            change_password(db.session, current_user._get_current_object(), form.current.data, form.new.data)
        except AccountError as exc:
            form.form_errors.append(exc.message_zh)
        else:
            login_user(current_user._get_current_object())  # this session goes on with the new epoch
            flash("密码已修改，其他设备上的登录已退出。")
            return redirect(url_for("evaluate.surveys"))
    status = 400 if request.method == "POST" else 200
    return render_template("auth/password.html", form=form), status

"""Error pages in Chinese (HTML) and JSON under /api.

Rolling back the work of a failed view is ``transaction.transactional``'s job (views that
are not wrapped never commit).  Only the handler of unexpected errors rolls back as well:
the exception may have left the session in a failed state (a broken flush, a lost
connection) before the error page — which may query the current user — is rendered.
"""

from __future__ import annotations

from flask import Flask, render_template, request
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException, InternalServerError

from .extensions import db
from .web import json_error

#: Short Chinese explanations for the status codes a user can meet.
MESSAGES = {
    400: ("请求有误", "提交的内容无法识别，请返回上一页重试。"),
    403: ("无法访问", "您没有访问此页面的权限。"),
    404: ("页面不存在", "链接无效或已失效。请核对链接，或联系发放问卷的工作人员获取新链接。"),
    405: ("请求方式不支持", "请从问卷页面正常提交。"),
    413: ("内容过大", "提交的内容超过了允许的大小。"),
    429: ("操作过于频繁", "请稍后再试。"),
    500: ("服务器出错", "服务器暂时出现问题，您填写的内容已保存在本机浏览器中，请稍后刷新重试。"),
}


def init_app(app: Flask) -> None:
    app.register_error_handler(CSRFError, handle_csrf)
    app.register_error_handler(HTTPException, handle_http)
    app.register_error_handler(Exception, handle_unexpected)


def handle_csrf(error: CSRFError):
    return render_template(
        "error.html",
        title="页面已过期",
        message="为保护您的数据安全，页面停留时间过长或浏览器清除了登录信息后需要重新提交。请返回上一页，刷新后再提交。",
        back=request.referrer,
    ), 400


def handle_http(error: HTTPException):
    code = error.code or 500
    title, message = MESSAGES.get(code, (error.name, error.description or ""))
    if request.path.startswith("/api/"):  # the API answers in JSON, whatever went wrong (404, 405, 500 …)
        return json_error(code, headers=_kept_headers(error))
    return render_template("error.html", title=title, message=message, back=None), code


def _kept_headers(error: HTTPException) -> dict[str, str]:
    """Headers an HTTP error must keep in its JSON form (``Allow`` of a 405, ``WWW-Authenticate``)."""
    return {k: v for k, v in error.get_headers() if k in ("Allow", "WWW-Authenticate", "Retry-After")}


def handle_unexpected(error: Exception):
    if isinstance(error, HTTPException):  # pragma: no cover - routed above
        return handle_http(error)
    db.session.rollback()
    from flask import current_app

    current_app.logger.exception("unhandled error on %s", request.path)
    return handle_http(InternalServerError())

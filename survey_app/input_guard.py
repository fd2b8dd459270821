"""Refuse request text no database column can hold, and answer HEAD exactly as GET.

PostgreSQL refuses NUL (U+0000) in text and psycopg cannot encode a lone surrogate: either
one, reaching the first query (a link-token lookup, a login name, a filter), used to end in
a 500 — SQLite stores both silently.  Checked once here, before any view runs:

* NUL or a lone surrogate in the path, the query string, a form field or an upload's file
  name → 400 with a short Chinese page (JSON under ``/api/``).
* The views listed in ``CLEANS_OWN_FORM`` are exempt from the form check: a 400 there would
  lose a whole typed questionnaire, so they strip control characters from every value
  themselves (``domain.answers.strip_control`` / ``clean_text``) and keep the answers.
* HEAD is treated as GET: link previewers (WeChat, mail clients) send HEAD, sometimes with a
  body, and a view that reads "not GET" as "a submission" must never store it.  Werkzeug
  still sends no body in the reply, because it reads the method from the WSGI environ.

Invalid UTF-8 needs no check: Werkzeug decodes the path, query and form with replacement
characters, which every database stores.
"""

from __future__ import annotations

import re

from flask import Flask, render_template, request

#: NUL and UTF-16 surrogates (only ever "lone" inside a Python str).
_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")

#: Endpoints that clean their own form values instead of losing them to a 400.
CLEANS_OWN_FORM = frozenset({"respond.unit_form", "respond.open_form", "evaluate.paper_entry"})

TITLE = "请求有误"
MESSAGE = "链接或提交的内容中含有无法识别的字符，请核对链接，或返回上一页删除特殊字符后重试。"


def init_app(app: Flask) -> None:
    app.before_request(guard)


def unstorable(value: str) -> bool:
    """Say whether ``value`` holds a character no database text column accepts."""
    return _UNSTORABLE.search(value) is not None


def guard():
    """Before every view: HEAD becomes GET; refuse unstorable text with a 400."""
    if request.method == "HEAD":
        request.method = "GET"
    if _request_unstorable():
        return refuse()
    return None


def _request_unstorable() -> bool:
    if unstorable(request.path) or any(unstorable(k) or unstorable(v) for k, v in request.args.items(multi=True)):
        return True
    if request.method not in ("POST", "PUT", "PATCH", "DELETE"):
        return False
    if any(unstorable(f.filename or "") or unstorable(name) for name, f in request.files.items(multi=True)):
        return True
    if request.endpoint in CLEANS_OWN_FORM:
        return False
    return any(unstorable(k) or unstorable(v) for k, v in request.form.items(multi=True))


def refuse():
    """The 400 answer: JSON under the API, a short Chinese page elsewhere."""
    if request.path.startswith("/api/"):
        from .web import json_error  # web registers this module: import at call time

        return json_error(400, "invalid_characters", MESSAGE)
    return render_template("error.html", title=TITLE, message=MESSAGE, back=None), 400

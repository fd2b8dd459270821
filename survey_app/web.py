"""Template helpers and response compression shared by every blueprint."""

from __future__ import annotations

import base64
import gzip
import hashlib
import tempfile
from datetime import datetime
from functools import lru_cache
from pathlib import Path
from urllib.parse import quote

from flask import Flask, Response, has_request_context, jsonify, request, url_for

from . import input_guard, texts_zh
from .domain import question_types, vocabulary
from .domain.answers import field_name
from .domain.vocabulary import BEIJING
from .extensions import db
from .services.exports import export_survey

#: Below this, gzip's header costs more than it saves.
GZIP_MIN_BYTES = 500
GZIP_TYPES = {"text/html", "text/css", "text/javascript", "application/javascript", "application/json", "image/svg+xml",
              "text/csv"}


#: The one inline script (marks <html> as JS-capable before first paint), allowed by hash.
INLINE_SCRIPT = "document.documentElement.className+=' js'"
SECURITY_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    # Unit links carry their token in the path: never leak it to another site via Referer.
    "Referrer-Policy": "no-referrer",
    "Content-Security-Policy": (
        "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; "
        "script-src 'self' 'sha256-{digest}'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'"
    ),
}


def init_app(app: Flask) -> None:
    input_guard.init_app(app)
    app.jinja_env.globals["asset_url"] = asset_url
    app.jinja_env.globals["inline_script"] = INLINE_SCRIPT
    # Templates spell labels and codes through these, never as literals:
    # ``texts.labels.status(r.status)``, ``survey.status == vocab.SurveyState.DRAFT``.
    app.jinja_env.globals["texts"] = texts_zh
    app.jinja_env.globals["vocab"] = vocabulary
    app.jinja_env.filters["bjtime"] = beijing_time
    # A question renders through its type's macros: ``{% import qtype(q).template as t %}`` then ``t.respond(q, number, ctx)``.
    app.jinja_env.globals["qtype"] = question_types.of
    app.jinja_env.globals["field_name"] = field_name
    app.after_request(security_headers)
    app.after_request(compress)


def security_headers(response: Response) -> Response:
    """Add conservative security headers; the CSP allows only our own scripts."""
    digest = base64.b64encode(hashlib.sha256(INLINE_SCRIPT.encode()).digest()).decode()
    for name, value in SECURITY_HEADERS.items():
        response.headers.setdefault(name, value.replace("{digest}", digest))
    return response


def csrf_token_valid() -> bool:
    """Check the posted CSRF token by hand, for views that must keep what was typed on failure.

    The respondent form and paper entry are exempt from the global check: a stale page comes
    back with every answer kept and fresh tokens instead of the generic error page.
    """
    from flask_wtf.csrf import ValidationError, validate_csrf

    try:
        validate_csrf(request.form.get("csrf_token"))
        return True
    except ValidationError:
        return False


def beijing_time(value: datetime | None, fmt: str = "%Y年%m月%d日 %H:%M") -> str:
    """Format a naive-UTC timestamp in Beijing time."""
    return "" if value is None else (value + BEIJING).strftime(fmt)


def asset_url(filename: str) -> str:
    """Return a static URL with a content hash, so a week's cache never serves stale code.

    Built once per (application root, file): ``url_for`` was a visible part of every page view.
    """
    from flask import current_app

    key = (request.script_root if has_request_context() else "", current_app.static_folder, filename)
    url = _ASSET_URLS.get(key)
    if url is None:
        url = _ASSET_URLS[key] = url_for(
            "static", filename=filename, v=_file_hash(str(Path(current_app.static_folder) / filename)))
    return url


_ASSET_URLS: dict[tuple[str, str | None, str], str] = {}


@lru_cache(maxsize=64)
def _file_hash(path: str) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()[:10]


_STATIC_GZIP: dict[tuple[str, str | None], bytes] = {}


def _gzip_static(key: tuple[str, str | None], body: bytes) -> bytes:
    """Compress a static file once per content (its ETag): plotly.js is 1.2 MB raw."""
    compressed = _STATIC_GZIP.get(key)
    if compressed is None:
        if len(_STATIC_GZIP) > 64:
            _STATIC_GZIP.clear()
        compressed = _STATIC_GZIP[key] = gzip.compress(body, compresslevel=9, mtime=0)
    return compressed


def compress(response: Response) -> Response:
    """Gzip text responses for clients that accept it (phones on weak networks).

    Streams (server-sent events) and already-encoded bodies are left alone.  Done here
    rather than only in a reverse proxy because evaluators often run the app bare on an
    intranet machine.
    """
    if (
        response.status_code < 200
        or response.status_code in (204, 304)
        or response.is_streamed and not response.direct_passthrough
        or response.mimetype not in GZIP_TYPES
        or "Content-Encoding" in response.headers
        or "gzip" not in request.headers.get("Accept-Encoding", "").lower()
    ):
        return response
    static_key = (request.path, response.get_etag()[0]) if request.endpoint == "static" else None
    response.direct_passthrough = False
    body = response.get_data()
    if len(body) < GZIP_MIN_BYTES:
        return response
    response.set_data(_gzip_static(static_key, body) if static_key else gzip.compress(body, compresslevel=6, mtime=0))
    response.headers["Content-Encoding"] = "gzip"
    response.vary.add("Accept-Encoding")
    etag, weak = response.get_etag()
    if etag:
        response.set_etag(etag + "-gz", weak=weak)
    return response


def json_error(status: int, code: str | None = None, message: str | None = None, detail: str | None = None,
               headers: dict[str, str] | None = None) -> tuple[Response, int, dict[str, str]]:
    """An error of the JSON API: ``{"code", "message" (Chinese), "status"[, "detail"]}`` (docs/api.md).

    ``code`` and ``message`` default to those of the status (``texts_zh.api``); ``error``
    repeats the code for scripts written against the first version of the API.
    """
    default_code, default_message = texts_zh.api.for_status(status)
    code = code or default_code
    body = {"code": code, "message": message or default_message, "status": status, "error": code}
    if detail:
        body["detail"] = detail
    return jsonify(body), status, dict(headers or {})


def send_export(survey, fmt: str, *, actor: str, flt, sections) -> Response:
    """Build an export into a spooled file and stream it as a download (workspace and API alike).

    The file is written whole before the first byte leaves (an error still gets its 4xx), in
    memory up to 16 MB and on disk beyond.  :raises ExportError: from ``export_survey``.
    """
    spool = tempfile.SpooledTemporaryFile(max_size=16 * 1024 * 1024)
    try:
        result = export_survey(db.session, survey, fmt, spool, actor=actor, flt=flt, sections=sections)
    except BaseException:
        spool.close()
        raise
    spool.seek(0)

    def stream():
        with spool:
            while chunk := spool.read(256 * 1024):
                yield chunk

    response = Response(stream(), mimetype=result.content_type)
    response.headers["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(result.filename)}"
    response.headers["X-Dataset-Fingerprint"] = result.fingerprint
    return response

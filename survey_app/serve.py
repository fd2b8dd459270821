"""Which requests this server answers: the two-server layout of docs/architecture.md.

``SERVE=all`` (default) answers everything.  ``SERVE=respondents`` answers the respondents'
pages (``/s/…``, ``/o/…``), ``/``, ``/healthz`` and static files; the workspace (``/manage/…``)
and the API (``/api/…``) are redirected to ``WORKSPACE_BASE_URL`` — 404 when none is set
(or when it names this very server: no redirect loop).
``SERVE=evaluators`` answers the workspace and the API and redirects respondents' links to
``PUBLIC_BASE_URL``.  Checked before anything else of the request (no session, no database).
"""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Flask, abort, current_app, redirect, request

#: Path prefixes of each side.  Everything else (``/``, ``/healthz``, ``/static/…``) is served by both.
EVALUATOR_PREFIXES = ("/manage/", "/api/")
RESPONDENT_PREFIXES = ("/s/", "/o/")


def init_app(app: Flask) -> None:
    if app.config["SERVE"] != "all":
        # First of all hooks: a request for the other server touches no session and no database.
        app.before_request_funcs.setdefault(None, []).insert(0, route_elsewhere)


def route_elsewhere():
    """Send a request meant for the other server there (or 404 when there is none)."""
    mode, path = current_app.config["SERVE"], request.path
    if mode == "respondents" and _under(path, EVALUATOR_PREFIXES):
        return _redirect_to(current_app.config["WORKSPACE_BASE_URL"])
    if mode == "evaluators" and _under(path, RESPONDENT_PREFIXES):
        return _redirect_to(current_app.config["PUBLIC_BASE_URL"])
    return None


def _under(path: str, prefixes: tuple[str, ...]) -> bool:
    return any(path.startswith(prefix) or path == prefix.rstrip("/") for prefix in prefixes)


def _redirect_to(base: str):
    if not base or urlsplit(base).netloc == request.host:  # none, or this very server: no redirect loop
        abort(404)
    query = request.query_string.decode("latin-1")
    target = base + request.path + (f"?{query}" if query else "")
    # 307 keeps the method and body of a POST; a GET is redirected the ordinary way.
    return redirect(target, 302 if request.method in ("GET", "HEAD") else 307)

"""Template helpers and response compression shared by every blueprint."""

from __future__ import annotations

import gzip
import hashlib
from datetime import datetime, timedelta
from functools import lru_cache
from pathlib import Path

from flask import Flask, Response, request, url_for

#: China has one time zone and no daylight saving: display is UTC+8.
BEIJING = timedelta(hours=8)
#: Below this, gzip's header costs more than it saves.
GZIP_MIN_BYTES = 500
GZIP_TYPES = {"text/html", "text/css", "text/javascript", "application/javascript", "application/json", "image/svg+xml", "text/csv"}


def init_app(app: Flask) -> None:
    app.jinja_env.globals["asset_url"] = asset_url
    app.jinja_env.filters["bjtime"] = beijing_time
    app.after_request(compress)


def beijing_time(value: datetime | None, fmt: str = "%Y年%m月%d日 %H:%M") -> str:
    """Format a naive-UTC timestamp in Beijing time."""
    return "" if value is None else (value + BEIJING).strftime(fmt)


def asset_url(filename: str) -> str:
    """Return a static URL with a content hash, so a week's cache never serves stale code."""
    from flask import current_app

    return url_for("static", filename=filename, v=_file_hash(str(Path(current_app.static_folder) / filename)))


@lru_cache(maxsize=64)
def _file_hash(path: str) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()[:10]


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
    response.direct_passthrough = False
    body = response.get_data()
    if len(body) < GZIP_MIN_BYTES:
        return response
    response.set_data(gzip.compress(body, compresslevel=6, mtime=0))
    response.headers["Content-Encoding"] = "gzip"
    response.vary.add("Accept-Encoding")
    etag, weak = response.get_etag()
    if etag:
        response.set_etag(etag + "-gz", weak=weak)
    return response

"""The live results dashboard: the page, its JSON data and a server-sent-events change feed.

The page is a shell; ``dashboard.js`` fetches ``/data`` (the summary shaped by
``services.live``) and redraws in place.  ``/events`` tells it *when* to fetch: it polls
the cheap ``data_version`` every second (through a per-process cache shared by all open
streams) and sends an event when it changes, a comment every 15 s so proxies keep the
connection, and nothing else — so it behaves the same under any number of gunicorn
workers and after restarts (EventSource reconnects; the page falls back to polling
``/data``, whose ETag makes an unchanged answer a 304).

Each open stream holds a server thread for minutes, and those threads are the ones that
serve respondents.  So a worker keeps at most ``DASHBOARD_STREAM_SLOTS`` streams open
(``STREAMS``); a dashboard beyond that gets a short ``busy`` event instead, polls
``/data`` like any page whose stream is down, and its browser retries the stream after
``DASHBOARD_STREAM_RETRY_SECONDS`` (docs/architecture.md, "Live dashboard capacity").
"""

from __future__ import annotations

import hashlib
import json
import random
import threading
import time
from collections.abc import Callable

import sqlalchemy as sa
from flask import Response, current_app, jsonify, render_template, request, url_for
from flask_login import current_user, login_required
from werkzeug.wsgi import ClosingIterator

from ..domain.vocabulary import ALL_STATUSES, COUNTED
from ..extensions import db
from ..models import Survey, Unit
from ..models._types import utcnow
from ..services.live import (
    ResultCache,
    VersionCache,
    dashboard_data,
    data_version,
    group_choices,
    units_in_group,
)
from ..services.summary import SummaryFilter
from ..web_filters import BadQuery, parse_filter
from . import bp
from .access import can_manage, load_survey

#: Shared by every stream of this worker process (see ``VersionCache``).
VERSIONS = VersionCache(ttl=0.5)
#: Recent payloads of this worker, keyed by data version and view (see ``ResultCache``).
RESULTS = ResultCache()


class StreamSlots:
    """Count the open event streams of this worker process and refuse one beyond ``limit``.

    ``acquire`` returns the slot's release function (safe to call more than once) or None
    when every slot is taken.  The limit is passed on each call, so a changed setting (or a
    test) takes effect at once; the count is per process, like gunicorn's thread pool.
    """

    def __init__(self):
        self._lock = threading.Lock()
        self.in_use = 0

    def acquire(self, limit: int) -> Callable[[], None] | None:
        with self._lock:
            if self.in_use >= limit:
                return None
            self.in_use += 1
        released = threading.Event()

        def release() -> None:
            with self._lock:
                if not released.is_set():
                    released.set()
                    self.in_use -= 1

        return release


#: Open event streams of this worker process (see ``StreamSlots``).
STREAMS = StreamSlots()
#: A stream announces a new version at most this often: each announcement makes the page
#: fetch /data, a fresh build while answers keep arriving.  A lone answer is still announced
#: at the next version check.
EVENT_GAP_SECONDS = 2.0


class RecentPayloads:
    """The last ``/data`` answer built for each view in this worker, for the page's periodic polls.

    A poll (``X-Dashboard-Poll: 1``, sent by dashboard.js only while it polls) may get an
    answer up to ``max_age`` seconds old instead of a build for the very latest version:
    with answers arriving every second, every poll would otherwise build afresh, and a
    hundred polling dashboards would cost a build every few milliseconds.  ``max_age`` is
    below the page's 3 s interval, so what a polling page shows never goes backwards.
    """

    def __init__(self, max_age: float = 2.0, size: int = 64, clock: Callable[[], float] = time.monotonic):
        self.max_age, self.size, self.clock = max_age, size, clock
        self._lock = threading.Lock()
        self._items: dict[tuple, tuple[float, str, bytes]] = {}

    def get(self, view: tuple) -> tuple[str, bytes] | None:
        with self._lock:
            hit = self._items.get(view)
        if hit is None or self.clock() - hit[0] >= self.max_age:
            return None
        return hit[1], hit[2]

    def put(self, view: tuple, etag: str, body: bytes) -> None:
        with self._lock:
            self._items.pop(view, None)
            self._items[view] = (self.clock(), etag, body)
            while len(self._items) > self.size:
                del self._items[next(iter(self._items))]

    def confirm(self, view: tuple, etag: str) -> None:
        """The view's data is still ``etag`` (a 304 said so): its copy counts as fresh again."""
        with self._lock:
            hit = self._items.get(view)
            if hit is not None and hit[1] == etag:
                self._items[view] = (self.clock(), etag, hit[2])


#: Recent ``/data`` answers per view, served to polls (see ``RecentPayloads``).
RECENT = RecentPayloads()


@bp.get("/surveys/<int:survey_id>/dashboard")
@login_required
def dashboard(survey_id: int):
    """Render the dashboard shell with the filter form filled from the URL."""
    survey = load_survey(survey_id)
    manage = can_manage(survey)
    args = request.args
    include = [s for s in args.get("include", ",".join(COUNTED)).split(",") if s in ALL_STATUSES]
    links = {name: url_for(f"evaluate.{name}", survey_id=survey.id)
             for name in ("responses", "distribution", "exports") if manage or name == "exports"}
    return render_template(
        "evaluate/dashboard.html", survey=survey, manage=manage, args=args, include=include,
        groups=group_choices(db.session, survey), links=links,
        data_url=url_for("evaluate.dashboard_data", survey_id=survey.id),
        events_url=url_for("evaluate.dashboard_events", survey_id=survey.id),
    )


@bp.get("/surveys/<int:survey_id>/dashboard/data", endpoint="dashboard_data")
def dashboard_data_json(survey_id: int):
    """Return the dashboard's numbers for the filter in the query (``stats=1`` adds the 95 % CI).

    JSON clients get 401 instead of a redirect to the login page.  The ETag is the data
    version plus the view, so a poll with nothing new costs one small query and a 304;
    the same key shares one build among the dashboards of a worker (``RESULTS``), and a
    poll takes this worker's answer for the view if it is under two seconds old (``RECENT``).
    """
    if not current_user.is_authenticated:
        return jsonify(error="login_required"), 401
    survey = load_survey(survey_id)
    manage = can_manage(survey)
    view = (survey.id, survey.created_at.isoformat(), request.query_string.decode(), manage)
    if request.headers.get("X-Dashboard-Poll") == "1" and (recent := RECENT.get(view)) is not None:
        return payload_reply(*recent)
    version = data_version(db.session, survey.id)
    now = utcnow()
    key = (survey.id, survey.created_at.isoformat(), version, request.query_string.decode(), manage,
           survey.availability(now))
    etag = hashlib.sha256(repr(key).encode()).hexdigest()[:32]
    if not_modified(etag):
        RECENT.confirm(view, etag)
        return payload_reply(etag, b"")
    try:
        flt = view_filter(survey)
    except BadQuery as exc:
        return jsonify(error="bad_request", message=str(exc)), 400

    pending = []

    def build() -> bytes:
        data = dashboard_data(db.session, db.session.get(Survey, survey_id), flt, group_by=request.args.get("by"),
                              statistics=request.args.get("stats") == "1", now=now,
                              stats_wait=float(current_app.config["DASHBOARD_STATS_WAIT_SECONDS"]))
        data.update(version=version, manage=manage)
        if manage:
            data["links"] = unit_links(survey_id)
        if data["header"].get("ci_pending"):
            pending.append(True)
        return current_app.json.dumps(data).encode()

    # Waiting for another thread's identical build must not hold a pooled connection.
    db.session.rollback()
    body = RESULTS.get(key, build)
    if pending:
        # Earlier statistics (or none) while the current ones compute: not the answer for this
        # version, so neither the shared cache nor the ETag may keep it.
        RESULTS.discard(key)
        return payload_reply(None, body)
    RECENT.put(view, etag, body)
    return payload_reply(etag, body)


def not_modified(etag: str) -> bool:
    return request.if_none_match.contains(etag) or request.if_none_match.contains(f"{etag}-gz")


def payload_reply(etag: str | None, body: bytes) -> Response:
    """``body`` as JSON with its ETag (if any), or a 304 when the client already holds it."""
    if etag is not None and not_modified(etag):
        return Response(status=304, headers={"ETag": f'"{etag}"', "Cache-Control": "private, no-cache"})
    response = current_app.response_class(body, mimetype="application/json")
    if etag is not None:
        response.set_etag(etag)
    response.headers["Cache-Control"] = "private, no-cache"
    return response


def view_filter(survey) -> SummaryFilter:
    """The API's filter (include, unit, since, until) narrowed to the units of ``county``/``category``."""
    flt = parse_filter(request.args)
    group = units_in_group(db.session, survey, request.args.get("county"), request.args.get("category"))
    if group is None:
        return flt
    unit_ids = group if flt.unit_ids is None else tuple(u for u in flt.unit_ids if u in set(group))
    return SummaryFilter(flt.statuses, unit_ids, flt.since, flt.until)


def unit_links(survey_id: int) -> dict[int, dict[str, str]]:
    """Each unit's answer link and the survey's distribution page: managers only."""
    distribution = url_for("evaluate.distribution", survey_id=survey_id)
    rows = db.session.execute(sa.select(Unit.id, Unit.token).where(Unit.survey_id == survey_id))
    links = {}
    for unit_id, token in rows:
        links[unit_id] = {"answer": url_for("respond.unit_form", token=token), "distribution": distribution}
    return links


@bp.get("/surveys/<int:survey_id>/dashboard/events")
def dashboard_events(survey_id: int):
    """Stream ``version`` events whenever the survey's data version changes (server-sent events).

    When this worker already holds ``DASHBOARD_STREAM_SLOTS`` streams, answer at once with
    one ``busy`` event and a long ``retry``: the page polls ``/data`` meanwhile.
    """
    if not current_user.is_authenticated:
        return jsonify(error="login_required"), 401
    survey_id = load_survey(survey_id).id
    config = current_app.config
    poll = float(config["DASHBOARD_POLL_SECONDS"])
    heartbeat = float(config["DASHBOARD_HEARTBEAT_SECONDS"])
    # A stream ends after this long; the browser reconnects at once, which re-checks access.
    lifetime = float(config["DASHBOARD_STREAM_SECONDS"])
    slots, retry = int(config["DASHBOARD_STREAM_SLOTS"]), float(config["DASHBOARD_STREAM_RETRY_SECONDS"])
    engine, logger = db.engine, current_app.logger
    headers = {"Cache-Control": "no-cache", "X-Accel-Buffering": "no"}
    release = STREAMS.acquire(slots)
    if release is None:
        return busy_reply(retry, headers)
    # Give the request's connection back now: a stream lasts minutes and must not hold a pool slot.
    db.session.remove()

    def fetch(sid: int) -> str:
        with engine.connect() as conn:
            return data_version(conn, sid)

    def stream():
        # A client that went away is noticed at the next write (an event or the heartbeat):
        # the server then closes this generator, and ``finally`` gives the slot back.
        try:
            yield "retry: 2000\n\n"
            last, sent, end = None, time.monotonic(), time.monotonic() + lifetime
            announced = -EVENT_GAP_SECONDS
            while time.monotonic() < end:
                try:
                    version = VERSIONS.get(survey_id, fetch)
                except sa.exc.SQLAlchemyError:
                    logger.warning("dashboard stream: database unavailable; closing the stream")
                    return  # the browser reconnects after `retry` and polls meanwhile
                if version != last and time.monotonic() - announced >= EVENT_GAP_SECONDS:
                    yield f"event: version\ndata: {json.dumps({'version': version})}\n\n"
                    last, sent = version, time.monotonic()
                    announced = sent
                elif time.monotonic() - sent >= heartbeat:
                    yield ": heartbeat\n\n"
                    sent = time.monotonic()
                time.sleep(poll)
        finally:
            release()

    # ClosingIterator also releases the slot if the server closes the stream before its first chunk
    # (a generator that never started does not run its ``finally``).
    return Response(ClosingIterator(stream(), release), mimetype="text/event-stream", headers=headers)


def busy_reply(retry_seconds: float, headers: dict) -> Response:
    """One ``busy`` event and the end of the stream; EventSource reconnects after ``retry``.

    The delay is spread by ±25 % so that the dashboards refused together do not all come
    back in the same second.  The page shows that it polls; an old page just polls too.
    """
    retry_ms = max(1000, round(1000 * retry_seconds * random.uniform(0.75, 1.25)))
    body = f"retry: {retry_ms}\nevent: busy\ndata: {json.dumps({'retry_ms': retry_ms})}\n\n"
    return Response(body, mimetype="text/event-stream", headers=headers)

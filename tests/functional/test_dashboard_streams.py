"""Stream slots of the live dashboard: a worker keeps at most DASHBOARD_STREAM_SLOTS event
streams open; a dashboard beyond them is told at once to poll, and a slot frees as soon as
a stream ends — by its lifetime, by the client going away, or before its first chunk."""

from __future__ import annotations

import re
import time

import pytest
from flask import g
from support import make_survey

from survey_app.evaluate import views_dashboard
from survey_app.extensions import db
from survey_app.services.accounts import create_user

PASSWORD = "password-123456"
CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


def login(client, username: str = "eva") -> None:
    token = CSRF.search(client.get("/manage/login").get_data(as_text=True)).group(1)
    reply = client.post("/manage/login", data={"csrf_token": token, "username": username, "password": PASSWORD})
    assert reply.status_code == 302


@pytest.fixture
def survey_id(ctx, industrial):
    survey = make_survey(industrial)
    survey.owner_id = create_user(db.session, "eva", PASSWORD, "evaluator").id
    db.session.commit()
    return survey.id


@pytest.fixture
def two_slots(app, monkeypatch):
    """Two slots, a fresh count (so a test's open streams never leak into the next), quick polls."""
    monkeypatch.setitem(app.config, "DASHBOARD_STREAM_SLOTS", 2)
    monkeypatch.setitem(app.config, "DASHBOARD_POLL_SECONDS", 0.05)
    monkeypatch.setattr(views_dashboard, "STREAMS", slots := views_dashboard.StreamSlots())
    return slots


def open_stream(client, survey_id: int):
    """GET the event stream without reading it to the end; return (reply, iterator of chunks)."""
    reply = client.get(f"/manage/surveys/{survey_id}/dashboard/events", buffered=False)
    assert reply.status_code == 200 and reply.mimetype == "text/event-stream"
    return reply, (chunk.decode() for chunk in reply.response)


def test_a_third_stream_is_told_to_poll_at_once_and_gets_in_when_one_ends(client, survey_id, two_slots):
    login(client)
    streams = [open_stream(client, survey_id) for _ in range(2)]
    for _, chunks in streams:
        assert next(chunks).startswith("retry: 2000")
        assert next(chunks).startswith("event: version")
    assert two_slots.in_use == 2

    t0 = time.monotonic()
    reply, chunks = open_stream(client, survey_id)
    body = "".join(chunks)  # the whole answer: it ends by itself
    assert time.monotonic() - t0 < 1.0
    retry = int(re.search(r"^retry: (\d+)$", body, re.MULTILINE).group(1))
    assert 30_000 * 0.75 <= retry <= 30_000 * 1.25  # long, and spread around DASHBOARD_STREAM_RETRY_SECONDS
    assert "event: busy" in body and "event: version" not in body
    assert reply.headers["Cache-Control"] == "no-cache" and reply.headers["X-Accel-Buffering"] == "no"
    assert two_slots.in_use == 2  # a refused stream never took a slot

    streams[0][0].close()  # the client goes away mid-stream: the generator's finally frees the slot
    assert two_slots.in_use == 1
    reply, chunks = open_stream(client, survey_id)
    assert next(chunks).startswith("retry: 2000") and next(chunks).startswith("event: version")
    assert two_slots.in_use == 2
    reply.close()
    streams[1][0].close()
    assert two_slots.in_use == 0


def test_a_stream_that_reaches_its_lifetime_frees_its_slot(app, client, survey_id, two_slots, monkeypatch):
    monkeypatch.setitem(app.config, "DASHBOARD_STREAM_SECONDS", 0.2)
    login(client)
    reply, chunks = open_stream(client, survey_id)
    assert two_slots.in_use == 1
    assert "event: version" in "".join(chunks)  # ends after ~0.2 s
    assert two_slots.in_use == 0
    reply.close()
    assert two_slots.in_use == 0  # releasing twice does not free a slot that is not ours


def test_a_stream_closed_before_its_first_chunk_frees_its_slot(client, survey_id, two_slots):
    login(client)
    for _ in range(5):  # more than the slots: each one was given back
        reply = client.get(f"/manage/surveys/{survey_id}/dashboard/events", buffered=False)
        assert two_slots.in_use == 1
        reply.close()
        assert two_slots.in_use == 0


def test_a_stream_ended_by_a_database_failure_frees_its_slot(client, survey_id, two_slots, monkeypatch):
    import sqlalchemy as sa

    login(client)
    reply, chunks = open_stream(client, survey_id)
    assert next(chunks).startswith("retry:")

    def unavailable(survey_id, fetch):
        raise sa.exc.OperationalError("SELECT 1", {}, Exception("down"))

    monkeypatch.setattr(views_dashboard.VERSIONS, "get", unavailable)
    assert list(chunks) == []  # the stream ends; the browser reconnects after `retry`
    assert two_slots.in_use == 0
    reply.close()


def test_zero_slots_means_polling_only(app, client, survey_id, two_slots, monkeypatch):
    monkeypatch.setitem(app.config, "DASHBOARD_STREAM_SLOTS", 0)
    login(client)
    _, chunks = open_stream(client, survey_id)
    assert "event: busy" in "".join(chunks)
    assert two_slots.in_use == 0


def test_refusals_still_check_the_login_and_the_survey_first(client, survey_id, two_slots, monkeypatch, app):
    monkeypatch.setitem(app.config, "DASHBOARD_STREAM_SLOTS", 0)
    assert client.get(f"/manage/surveys/{survey_id}/dashboard/events").status_code == 401
    login(client)
    assert client.get(f"/manage/surveys/{survey_id + 1000}/dashboard/events").status_code == 404


def test_slots_are_counted_under_concurrency():
    import threading

    slots, got, start = views_dashboard.StreamSlots(), [], threading.Barrier(16)

    def take():
        start.wait()
        got.append(slots.acquire(3))

    threads = [threading.Thread(target=take) for _ in range(16)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    releases = [r for r in got if r is not None]
    assert len(releases) == 3 and slots.in_use == 3
    for release in releases + releases:
        release()
    assert slots.in_use == 0


# --------------------------------------------------------------------------- polls of /data

def test_a_poll_may_get_the_answer_of_the_last_two_seconds_a_plain_load_never(client, survey_id, monkeypatch):
    from support import add_response

    from survey_app.models import Survey

    now = [100.0]
    monkeypatch.setattr(views_dashboard, "RECENT", views_dashboard.RecentPayloads(max_age=2.0, clock=lambda: now[0]))
    login(client)
    path = f"/manage/surveys/{survey_id}/dashboard/data"
    poll = {"X-Dashboard-Poll": "1"}
    first = client.get(path)
    assert first.get_json()["header"]["total"] == 0
    made = db.session.get(Survey, survey_id)
    add_response(made, made.units[0], "A")
    db.session.commit()

    now[0] += 1.0  # a poll within two seconds of the last build: that answer, without a version query
    stale = client.get(path, headers=poll)
    assert stale.get_json()["header"]["total"] == 0 and stale.headers["ETag"] == first.headers["ETag"]
    assert client.get(path, headers={**poll, "If-None-Match": first.headers["ETag"]}).status_code == 304
    fresh = client.get(path)  # the page's own loads (a version event, a filter change) are always current
    assert fresh.get_json()["header"]["total"] == 1
    assert client.get(path, headers=poll).get_json()["header"]["total"] == 1  # the newer build is shared

    made = db.session.get(Survey, survey_id)
    add_response(made, made.units[0], "B")
    db.session.commit()
    now[0] += 2.0  # older than two seconds: a poll builds anew
    assert client.get(path, headers=poll).get_json()["header"]["total"] == 2


def test_a_poll_is_still_checked_for_login_and_access(app, client, survey_id):
    path = f"/manage/surveys/{survey_id}/dashboard/data"
    login(client)
    assert client.get(path).status_code == 200  # the view now has a recent answer
    forget()
    assert app.test_client().get(path, headers={"X-Dashboard-Poll": "1"}).status_code == 401
    create_user(db.session, "other", PASSWORD, "evaluator")
    db.session.commit()
    other = app.test_client()
    forget()
    login(other, "other")
    assert other.get(path, headers={"X-Dashboard-Poll": "1"}).status_code == 404


def forget() -> None:
    """The test's app context outlives its requests: drop what a request left in ``g`` for its client."""
    for name in ("_login_user", "csrf_token"):
        g.pop(name, None)


def test_recent_payloads_keep_the_newest_views_and_refresh_on_a_304():
    now = [0.0]
    recent = views_dashboard.RecentPayloads(max_age=2.0, size=2, clock=lambda: now[0])
    recent.put(("a",), "e1", b"1")
    recent.put(("b",), "e2", b"2")
    recent.put(("c",), "e3", b"3")
    assert recent.get(("a",)) is None and recent.get(("c",)) == ("e3", b"3")  # the oldest view went
    now[0] = 1.5
    recent.confirm(("c",), "e3")  # a 304 for the same ETag: still the current data
    recent.confirm(("b",), "other")  # another ETag: no effect
    now[0] = 3.0
    assert recent.get(("c",)) == ("e3", b"3") and recent.get(("b",)) is None


def test_a_stream_announces_new_versions_at_most_every_event_gap(client, survey_id, two_slots, monkeypatch):
    from support import add_response

    from survey_app.models import Survey

    monkeypatch.setattr(views_dashboard, "EVENT_GAP_SECONDS", 0.5)
    login(client)
    reply, chunks = open_stream(client, survey_id)
    assert next(chunks).startswith("retry:")
    assert next(chunks).startswith("event: version")
    first = time.monotonic()
    made = db.session.get(Survey, survey_id)
    add_response(made, made.units[0], "A")
    db.session.commit()
    assert next(chunks).startswith("event: version")
    assert time.monotonic() - first >= 0.5  # polled every 0.05 s, announced after the gap
    reply.close()

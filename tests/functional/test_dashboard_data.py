"""The live dashboard: its JSON equals the summary service's numbers, filters come from the URL,
roles decide what is shown, and the event stream reports new data."""

from __future__ import annotations

import re
from datetime import datetime, timedelta

import pytest
import sqlalchemy as sa
from support import add_response, make_survey

from survey_app.extensions import db
from survey_app.models import Response, Survey, Unit
from survey_app.services import audit
from survey_app.services.access import grant
from survey_app.services.accounts import create_user
from survey_app.services.live import data_version
from survey_app.services.summary import SummaryFilter, build_summary

PASSWORD = "password-123456"
CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


def login(client, username: str):
    """Sign in through the login form (its CSRF token included), as a browser would."""
    token = CSRF.search(client.get("/manage/login").get_data(as_text=True)).group(1)
    reply = client.post("/manage/login", data={"csrf_token": token, "username": username, "password": PASSWORD})
    assert reply.status_code == 302, reply.get_data(as_text=True)[:300]


@pytest.fixture
def survey(ctx, industrial):
    """An open survey, three units in two counties, answers of every status; owned by "eva"."""
    made = make_survey(industrial, units=("甲公司", "乙公司", "丙公司"))
    units = list(made.units)
    units[2].county = "郊区"
    units[0].min_valid = 2
    owner = create_user(db.session, "eva", PASSWORD, "evaluator")
    made.owner_id = owner.id
    for unit, key, status in [(units[0], "A", "valid"), (units[0], "B", "valid"), (units[1], "C", "flagged"),
                              (units[1], "A", "excluded"), (units[2], "D", "valid")]:
        add_response(made, unit, key, status=status, keys={"Q2": "B"})
    db.session.commit()
    return made


def data(client, survey_id: int, query: str = "", status: int = 200):
    reply = client.get(f"/manage/surveys/{survey_id}/dashboard/data{query}")
    assert reply.status_code == status, reply.get_data(as_text=True)[:300]
    return reply.get_json()


@pytest.mark.parametrize("query, flt", [
    ("", SummaryFilter()),
    ("?include=valid,flagged,excluded", SummaryFilter(("valid", "flagged", "excluded"))),
    ("?include=valid", SummaryFilter(("valid",))),
])
def test_chart_numbers_equal_the_summary(client, survey, query, flt):
    login(client, "eva")
    got = data(client, survey.id, query + ("&" if query else "?") + "stats=1")
    want = build_summary(db.session, db.session.get(Survey, survey.id), flt, statistics=True).to_json()
    assert got["fingerprint"] == want["fingerprint"]
    assert [q["id"] for q in got["questions"]] == [q["id"] for q in want["questions"]]  # bank order
    for g, w in zip(got["questions"], want["questions"], strict=True):
        assert (g["n"], g["satisfaction"]) == (w["n"], w["satisfaction"])
        assert [(o["key"], o["label"], o["count"], o["share"]) for o in g["options"]] == \
               [(o["key"], o["label"], o["count"], o["share"]) for o in w["options"]]  # scale order
    header = got["header"]
    assert header["composite"] == want["composite"]
    assert (header["points"], header["weight"]) == (want["score"]["points"], want["score"]["weight"])
    assert header["used"] == want["responses"]["used"] and header["total"] == want["responses"]["total"]
    ci = want["statistics"]["confidence_interval"]
    assert (header["ci"]["low"], header["ci"]["high"]) == (ci["low"], ci["high"])
    coverage = {row["unit"]: row["valid"] for row in want["coverage"]["units"]}
    assert {row["unit"]: row["valid"] for row in got["coverage"]} == coverage
    assert header["units_met"] == sum(1 for row in want["coverage"]["units"] if row["met"])
    by_county = {row["group"]: row["composite"] for row in want["breakdowns"]["county"]}
    assert got["breakdown"]["by"] == "county"
    assert {row["group"]: row["composite"] for row in got["breakdown"]["rows"]} == by_county


def test_coverage_puts_units_short_first_with_last_answer_time(client, survey):
    login(client, "eva")
    rows = data(client, survey.id)["coverage"]
    assert [r["met"] for r in rows] == sorted(r["met"] for r in rows)  # short (False) first
    last = db.session.scalar(sa.select(sa.func.max(Response.submitted_at)).where(Response.unit_id == rows[-1]["unit"]))
    assert rows[-1]["name"] == "甲公司" and rows[-1]["met"] and rows[-1]["last_at"] == last.isoformat()


def test_filters_are_read_from_the_url(client, survey):
    login(client, "eva")
    since = datetime(2020, 1, 1, 8, 0)
    got = data(client, survey.id, "?since=2020-01-01T08:00&until=2999-01-01&county=郊区&include=valid")
    units = db.session.scalars(sa.select(Unit.id).where(Unit.survey_id == survey.id, Unit.county == "郊区")).all()
    flt = SummaryFilter(("valid",), tuple(units), since - timedelta(hours=8), datetime(2998, 12, 31, 16))
    assert got["filter"] == {**flt.to_dict(), "statuses": ["valid"], "unit_ids": list(units)}
    want = build_summary(db.session, db.session.get(Survey, survey.id), flt, statistics=False).to_json()
    assert got["header"]["composite"] == want["composite"] and got["header"]["used"] == 1
    assert [r["name"] for r in got["coverage"]] == ["丙公司"]
    assert (got["header"]["units_met"], got["header"]["units"]) == (0, 1)  # coverage counts the filtered units only
    empty = data(client, survey.id, "?since=2999-01-01")
    assert empty["header"]["used"] == 0 and empty["header"]["composite"] is None
    assert data(client, survey.id, "?include=nonsense", status=400)["error"] == "bad_request"
    assert data(client, survey.id, "?since=yesterday", status=400)["error"] == "bad_request"


def test_page_keeps_the_filter_in_its_form(client, survey):
    login(client, "eva")
    html = client.get(f"/manage/surveys/{survey.id}/dashboard?since=2026-01-02T03:04&county=郊区&include=valid,excluded")
    text = html.get_data(as_text=True)
    assert html.status_code == 200 and 'value="2026-01-02T03:04"' in text
    assert "<option selected>郊区</option>" in text
    assert re.search(r'id="f-excluded"[^>]*checked', text) and not re.search(r'id="f-flagged"[^>]*checked', text)
    assert "plotly-basic.min.js" in text and "plotly-locale-zh-cn.js" in text and "cdn" not in text.lower()


def test_viewer_sees_the_dashboard_without_management_controls(client, survey):
    viewer = create_user(db.session, "vic", PASSWORD, "viewer")
    grant(db.session, db.session.get(Survey, survey.id), viewer, "viewer")
    db.session.commit()
    login(client, "vic")
    page = client.get(f"/manage/surveys/{survey.id}/dashboard")
    text = page.get_data(as_text=True)
    assert page.status_code == 200 and "实时结果" in text
    assert "manage-only" not in text and "结束调查" not in text and 'data-manage="0"' in text
    got = data(client, survey.id)
    assert got["manage"] is False and "links" not in got
    assert not any(unit.token in str(got) for unit in db.session.get(Survey, survey.id).units)


def test_manager_gets_controls_and_unit_links(client, survey):
    login(client, "eva")
    text = client.get(f"/manage/surveys/{survey.id}/dashboard").get_data(as_text=True)
    assert "manage-only" in text and "结束调查" in text
    links = data(client, survey.id)["links"]
    unit = db.session.get(Survey, survey.id).units[0]
    assert links[str(unit.id)]["answer"] == f"/s/{unit.token}"


def test_non_member_gets_404_and_anonymous_goes_to_login(client, survey):
    base = f"/manage/surveys/{survey.id}/dashboard"
    reply = client.get(base)
    assert reply.status_code == 302 and "/manage/login" in reply.headers["Location"]
    assert client.get(base + "/data").status_code == 401
    assert client.get(base + "/events").status_code == 401
    create_user(db.session, "other", PASSWORD, "evaluator")
    db.session.commit()
    login(client, "other")
    for path in ("", "/data", "/events"):
        assert client.get(base + path).status_code == 404


def test_unchanged_data_is_a_304_and_a_new_answer_is_not(client, survey):
    login(client, "eva")
    first = client.get(f"/manage/surveys/{survey.id}/dashboard/data")
    etag = first.headers["ETag"]
    again = client.get(f"/manage/surveys/{survey.id}/dashboard/data", headers={"If-None-Match": etag})
    assert again.status_code == 304
    made = db.session.get(Survey, survey.id)
    add_response(made, made.units[0], "A")
    db.session.commit()
    fresh = client.get(f"/manage/surveys/{survey.id}/dashboard/data", headers={"If-None-Match": etag})
    assert fresh.status_code == 200 and fresh.get_json()["header"]["total"] == 6


def test_version_changes_on_answer_status_and_audited_change(survey):
    made = db.session.get(Survey, survey.id)
    v0 = data_version(db.session, made.id)
    response = add_response(made, made.units[0], "A")
    v1 = data_version(db.session, made.id)
    response.status = "excluded"
    db.session.flush()
    v2 = data_version(db.session, made.id)
    audit.record(db.session, made, "test", "settings.change", {}, {})
    db.session.flush()
    v3 = data_version(db.session, made.id)
    assert len({v0, v1, v2, v3}) == 4


def test_event_stream_announces_a_new_answer(app, client, survey):
    login(client, "eva")
    reply = client.get(f"/manage/surveys/{survey.id}/dashboard/events", headers={"Accept-Encoding": "gzip"})
    assert reply.mimetype == "text/event-stream"
    assert reply.headers["X-Accel-Buffering"] == "no" and reply.headers["Cache-Control"] == "no-cache"
    assert "Content-Encoding" not in reply.headers  # never gzipped: it would be buffered
    chunks = (chunk.decode() for chunk in reply.response)
    assert next(chunks).startswith("retry:")
    first = next(chunks)
    assert first.startswith("event: version") and data_version(db.session, survey.id) in first
    made = db.session.get(Survey, survey.id)
    add_response(made, made.units[1], "A")
    db.session.commit()
    second = next(chunks)  # after one poll interval (~1 s)
    assert second.startswith("event: version") and second != first
    reply.close()

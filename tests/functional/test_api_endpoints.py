"""The JSON API end to end: every endpoint's answers (successes and errors) validated against openapi.json."""

from __future__ import annotations

import io
import json
import threading
from datetime import timedelta
from urllib.request import Request, urlopen

import pandas as pd
import pytest
import sqlalchemy as sa
from openapi_check import check, spec
from support import add_response, login, make_survey, make_user

from survey_app.domain.vocabulary import ResponseStatus
from survey_app.extensions import db
from survey_app.models import AuditEvent, Response
from survey_app.services.access import grant
from survey_app.services.api_tokens import create_token

SURVEY = "/api/v1/surveys/{survey_id}"


@pytest.fixture
def world(ctx, industrial):
    """Eva owns a survey with five responses (one excluded, one flagged, one outside the list)."""
    eva = make_user("eva")
    survey = make_survey(industrial, units=("甲公司", "乙公司", "丙公司"), name="工业专项")
    survey.owner_id = eva.id
    survey.units[2].county = "郊县"
    a, b, c = survey.units
    responses = [add_response(survey, a, "A"), add_response(survey, a, "B"),
                 add_response(survey, b, "C", status=ResponseStatus.EXCLUDED),
                 add_response(survey, c, "A", status=ResponseStatus.FLAGGED), add_response(survey, None, "B")]
    responses[-1].unit_name_given = "名单外公司"
    other = make_survey(industrial, units=("别人的单位",), name="别人的调查")
    _, token = create_token(db.session, eva, "脚本", "user:eva")
    db.session.commit()
    return {"survey": survey, "other": other, "token": token, "ids": [r.id for r in responses],
            "units": [u.id for u in survey.units]}


def get(client, world, path, token=None, **query):
    headers = {"Authorization": f"Bearer {token or world['token']}"}
    return client.get(path, headers=headers, query_string=query)


def test_the_description_is_openapi_31_and_lists_exactly_the_routes(app, client):
    import schemathesis

    reply = client.get("/api/v1/openapi.json")  # no token needed
    check(reply, "/api/v1/openapi.json")
    document = reply.get_json()
    assert document == spec() and document["openapi"] == "3.1.0"
    schemathesis.openapi.from_dict(document).validate()  # against the OpenAPI 3.1 meta-schema
    routes = set()
    for rule in app.url_map.iter_rules():
        if rule.rule.startswith("/api/"):
            path = rule.rule.replace("<int:survey_id>", "{survey_id}")
            path = path.replace("<any(docx, xlsx, csv):fmt>", "{fmt}")
            routes |= {(path, m.lower()) for m in rule.methods - {"HEAD", "OPTIONS"}}
    described = {(p, m) for p, item in document["paths"].items() for m in item if m != "parameters"}
    assert routes == described


def test_list_shows_the_callers_surveys_only(client, world):
    reply = get(client, world, "/api/v1/surveys")
    check(reply, "/api/v1/surveys")
    (row,) = reply.json["surveys"]
    assert row["id"] == world["survey"].id and row["access"] == "manage" and row["units"] == 3
    assert row["responses"] == {"valid": 3, "flagged": 1, "excluded": 1, "total": 5}
    assert row["availability"] == "open" and row["created_at"].endswith("+08:00")


def test_a_viewers_token_lists_and_reads_granted_surveys_only(client, world):
    fin = make_user("fin", "viewer")
    grant(db.session, world["other"], fin, "viewer")
    _, token = create_token(db.session, fin, "财政局", "user:fin")
    db.session.commit()
    reply = get(client, world, "/api/v1/surveys", token)
    assert [(s["id"], s["access"]) for s in reply.json["surveys"]] == [(world["other"].id, "view")]
    hidden = get(client, world, f"/api/v1/surveys/{world['survey'].id}/responses", token)
    check(hidden, SURVEY + "/responses")
    assert hidden.status_code == 404 and hidden.json["code"] == "not_found" and "不存在" in hidden.json["message"]


def test_one_survey_with_settings_state_and_questionnaire(client, world):
    survey = world["survey"]
    reply = get(client, world, f"/api/v1/surveys/{survey.id}")
    check(reply, SURVEY)
    data = reply.json
    assert data["status"] == "open" and data["questionnaire_hash"] == survey.questionnaire_hash
    assert data["settings"]["scoring"]["method"] == "weighted"
    assert [q["id"] for q in data["questions"]] == [q.id for q in survey.questionnaire.questions]
    assert "token" not in str(data) and survey.open_token not in str(data)


def test_units_with_coverage(client, world):
    survey = world["survey"]
    reply = get(client, world, f"/api/v1/surveys/{survey.id}/units")
    check(reply, SURVEY + "/units")
    units = reply.json["units"]
    assert [u["name"] for u in units] == ["甲公司", "乙公司", "丙公司"]
    assert [(u["valid"], u["responses"]["excluded"]) for u in units] == [(2, 0), (0, 1), (1, 0)]
    assert reply.json["outside_list"]["total"] == 1 and reply.json["totals"]["returned"] == 5
    assert all(u.token not in reply.get_data(as_text=True) for u in survey.units)
    county = get(client, world, f"/api/v1/surveys/{survey.id}/units", county="郊县")
    assert [u["name"] for u in county.json["units"]] == ["丙公司"]


def test_responses_page_by_keyset_and_follow_next(client, world):
    survey = world["survey"]
    seen, cursor, pages = [], None, 0
    while True:
        query = {"limit": 2, "include": "valid,flagged,excluded", **({"cursor": cursor} if cursor else {})}
        reply = get(client, world, f"/api/v1/surveys/{survey.id}/responses", **query)
        check(reply, SURVEY + "/responses")
        seen += [r["id"] for r in reply.json["responses"]]
        pages += 1
        cursor = reply.json["next"]
        if cursor is None:
            break
        assert "cursor=" in reply.json["next_url"] and "limit=2" in reply.json["next_url"]
    assert seen == world["ids"] and pages == 3
    first = get(client, world, f"/api/v1/surveys/{survey.id}/responses").json["responses"]
    assert [r["id"] for r in first] == [world["ids"][i] for i in (0, 1, 3, 4)]  # default: valid + flagged
    row = first[0]
    scored = survey.questionnaire.scored_questions[0].id
    assert row["answers"][scored] == ["A"] and row["unit_name"] == "甲公司" and row["source"] == "paper"
    assert row["submitted_at"].endswith("+08:00")
    assert first[-1]["unit"] is None and first[-1]["unit_name_given"] == "名单外公司"


def test_the_page_order_does_not_depend_on_offsets(client, world):
    """A response arriving between two pages lands at the end; nothing is skipped or repeated."""
    survey = world["survey"]
    page1 = get(client, world, f"/api/v1/surveys/{survey.id}/responses", limit=2).json
    new = add_response(survey, survey.units[0], "A")
    db.session.commit()
    rest, cursor = [], page1["next"]
    while cursor:
        data = get(client, world, f"/api/v1/surveys/{survey.id}/responses", limit=2, cursor=cursor).json
        rest += [r["id"] for r in data["responses"]]
        cursor = data["next"]
    assert [r["id"] for r in page1["responses"]] + rest == [world["ids"][i] for i in (0, 1, 3, 4)] + [new.id]


def test_filters_narrow_the_responses(client, world):
    survey, (a, _, c) = world["survey"], world["units"]
    path = f"/api/v1/surveys/{survey.id}/responses"
    ids = lambda reply: [r["id"] for r in reply.json["responses"]]  # noqa: E731
    assert ids(get(client, world, path, include="excluded")) == [world["ids"][2]]
    assert ids(get(client, world, path, unit=[a, c])) == [world["ids"][i] for i in (0, 1, 3)]
    assert ids(get(client, world, path, county="郊县")) == [world["ids"][3]]
    db.session.get(Response, world["ids"][0]).submitted_at -= timedelta(days=3)
    db.session.commit()
    first = db.session.get(Response, world["ids"][0]).submitted_at + timedelta(hours=8)
    day = (first + timedelta(days=1)).strftime("%Y-%m-%d")
    assert ids(get(client, world, path, until=day)) == [world["ids"][0]]
    assert world["ids"][0] not in ids(get(client, world, path, since=day))


@pytest.mark.parametrize("query, code", [
    ({"include": "valid,maybe"}, "bad_query"), ({"unit": "x"}, "bad_query"), ({"since": "yesterday"}, "bad_query"),
    ({"since": "0001-01-01"}, "bad_query"), ({"limit": "0"}, "bad_query"), ({"limit": "5000"}, "bad_query"),
    ({"unit": str(2**40)}, "bad_query"), ({"cursor": "!!!"}, "bad_cursor"), ({"cursor": "MTIz"}, "bad_cursor"),
])
def test_bad_queries_are_json_400_with_a_code_and_a_chinese_message(client, world, query, code):
    reply = get(client, world, f"/api/v1/surveys/{world['survey'].id}/responses", **query)
    check(reply, SURVEY + "/responses")
    assert reply.status_code == 400 and reply.json["code"] == code and reply.json["error"] == code
    assert any("\u4e00" <= ch <= "\u9fff" for ch in reply.json["message"])


def test_a_cursor_only_works_with_its_own_filter(client, world):
    path = f"/api/v1/surveys/{world['survey'].id}/responses"
    cursor = get(client, world, path, limit=1).json["next"]
    assert get(client, world, path, limit=1, cursor=cursor).status_code == 200
    reply = get(client, world, path, limit=1, cursor=cursor, include="valid")
    assert reply.status_code == 400 and reply.json["code"] == "bad_cursor"


def test_responses_csv_reads_into_pandas(client, world):
    survey = world["survey"]
    reply = get(client, world, f"/api/v1/surveys/{survey.id}/responses.csv", include="valid,flagged,excluded")
    check(reply, SURVEY + "/responses.csv")
    assert reply.headers["Content-Type"] == "text/csv; charset=utf-8" and reply.is_streamed
    body = reply.get_data()
    assert body.startswith("\ufeff".encode())
    frame = pd.read_csv(io.BytesIO(body))
    assert list(frame["答卷编号"]) == world["ids"]
    assert frame.columns[0] == "答卷编号" and "状态" in frame.columns
    assert list(frame["状态"]) == ["有效", "有效", "剔除", "存疑", "有效"]
    default = pd.read_csv(io.BytesIO(get(client, world, f"/api/v1/surveys/{survey.id}/responses.csv").get_data()))
    assert len(default) == 4


@pytest.fixture
def loopback(app):
    """The session app served on 127.0.0.1 (a real HTTP server, as pandas and curl see it)."""
    from werkzeug.serving import make_server

    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(5)


def test_pandas_reads_the_csv_url_with_the_token_as_in_the_docs(world, loopback):
    url = f"{loopback}/api/v1/surveys/{world['survey'].id}/responses.csv"
    frame = pd.read_csv(url, storage_options={"Authorization": f"Bearer {world['token']}"})
    assert list(frame["答卷编号"]) == [world["ids"][i] for i in (0, 1, 3, 4)]
    request = Request(f"{loopback}/api/v1/surveys", headers={"Authorization": f"Bearer {world['token']}"})
    with urlopen(request) as reply:  # the docs' first step: list the surveys
        surveys = pd.DataFrame(json.load(reply)["surveys"])
    assert list(surveys["name"]) == ["工业专项"]


def test_summary_matches_its_schema(client, world):
    reply = get(client, world, f"/api/v1/surveys/{world['survey'].id}/summary", statistics="0", county="城区")
    check(reply, SURVEY + "/summary")
    assert reply.json["responses"]["used"] == 2  # 甲公司's two valid ones (乙公司's one is excluded)


@pytest.mark.parametrize("fmt, media", [
    ("docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    ("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    ("csv", "text/csv"),
])
def test_exports_are_audited(client, world, fmt, media):
    survey = world["survey"]
    reply = get(client, world, f"/api/v1/surveys/{survey.id}/exports/{fmt}", **({"section": "groups"} if fmt == "docx" else {}))
    check(reply, SURVEY + "/exports/{fmt}")
    assert reply.mimetype == media and len(reply.get_data()) > 100
    assert "attachment" in reply.headers["Content-Disposition"] and len(reply.headers["X-Dataset-Fingerprint"]) == 64
    event = db.session.scalars(sa.select(AuditEvent).where(AuditEvent.action == "export")).one()
    assert event.actor == "user:eva" and event.survey_id == survey.id and event.after["format"] == fmt


def test_an_unknown_export_section_is_a_json_400_and_not_audited(client, world):
    reply = get(client, world, f"/api/v1/surveys/{world['survey'].id}/exports/docx", section="everything")
    check(reply, SURVEY + "/exports/{fmt}")
    assert reply.status_code == 400 and reply.json["code"] == "bad_export"
    assert db.session.scalars(sa.select(AuditEvent).where(AuditEvent.action == "export")).all() == []


def test_http_errors_under_the_api_are_json(client, world):
    missing = get(client, world, "/api/v1/no-such-thing")
    assert missing.status_code == 404 and missing.json["code"] == "not_found" and "不存在" in missing.json["message"]
    wrong = client.post("/api/v1/surveys", headers={"Authorization": f"Bearer {world['token']}"})
    assert wrong.status_code == 405 and wrong.json["code"] == "method_not_allowed" and "GET" in wrong.headers["Allow"]
    assert get(client, world, "/api/v1/surveys/1/exports/pdf").json["code"] == "not_found"
    unauthorized = client.get("/api/v1/surveys")
    check(unauthorized, "/api/v1/surveys")
    assert unauthorized.json["code"] == "unauthorized" and unauthorized.headers["WWW-Authenticate"].startswith("Bearer")


def test_an_unexpected_error_is_a_json_500(client, world, monkeypatch):
    from survey_app.api import surveys

    def broken(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(surveys, "survey_list", broken)
    reply = get(client, world, "/api/v1/surveys")
    assert reply.status_code == 500 and reply.is_json
    assert reply.json == {"code": "server_error", "message": reply.json["message"], "status": 500, "error": "server_error"}
    assert "boom" not in reply.get_data(as_text=True)


def test_the_web_session_works_too_but_a_wrong_token_never_falls_back_to_it(client, world):
    login(client, "eva")
    reply = client.get("/api/v1/surveys")
    assert reply.status_code == 200 and reply.json["surveys"][0]["name"] == "工业专项"
    assert client.get("/api/v1/surveys", headers={"Authorization": "Bearer sv_wrong"}).status_code == 401


def test_invalid_stored_settings_are_a_json_422(client, world):
    survey = world["survey"]
    survey.settings = {"scoring": {"method": "no-such-method"}}
    db.session.commit()
    for path in (SURVEY, SURVEY + "/summary", SURVEY + "/exports/{fmt}"):
        reply = get(client, world, path.format(survey_id=survey.id, fmt="xlsx"))
        check(reply, path)
        assert reply.status_code == 422 and reply.json["code"] == "invalid_settings" and "设置" in reply.json["message"]
    assert get(client, world, f"/api/v1/surveys/{survey.id}/responses").status_code == 200  # rows need no settings

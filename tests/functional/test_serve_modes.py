"""SERVE: one server for everything, or respondents and evaluators on servers of their own."""

from __future__ import annotations

import pytest

from survey_app import create_app
from survey_app.extensions import db

WORKSPACE = "http://10.0.0.8:8001"
PUBLIC = "http://10.0.0.8:8000"


@pytest.fixture
def served_by(app):
    """Build an app with the given SERVE settings on the test database; dispose of it afterwards."""
    made = []

    def build(mode: str, workspace: str = WORKSPACE):
        other = create_app({"APP_ENV": "testing", "TESTING": True, "SECRET_KEY": "test-secret", "SERVER_NAME": None,
                            "SERVE": mode, "WORKSPACE_BASE_URL": workspace, "PUBLIC_BASE_URL": PUBLIC})
        made.append(other)
        return other.test_client()

    yield build
    for other in made:
        with other.app_context():
            db.session.remove()
            db.engine.dispose()


def test_one_server_answers_everything_by_default(client, open_survey_ids):
    _, tokens = open_survey_ids
    assert client.get(f"/s/{tokens[0]}").status_code == 200
    assert client.get("/manage/login").status_code == 200
    assert client.get("/api/v1/surveys").status_code == 401


def test_a_respondents_server_answers_the_links_and_sends_the_workspace_away(served_by, open_survey_ids):
    _, tokens = open_survey_ids
    client = served_by("respondents")
    assert client.get(f"/s/{tokens[0]}").status_code == 200
    assert client.get("/o/no-such-link").status_code == 404  # answered by the view itself
    for path in ("/healthz", "/", "/static/respond.css"):
        assert client.get(path).status_code in (200, 304), path
    page = client.get("/manage/login?next=%2Fmanage%2Fsurveys")
    assert (page.status_code, page.headers["Location"]) == (302, f"{WORKSPACE}/manage/login?next=%2Fmanage%2Fsurveys")
    assert client.get("/manage").headers["Location"] == f"{WORKSPACE}/manage"
    posted = client.post("/api/v1/surveys", json={})
    assert (posted.status_code, posted.headers["Location"]) == (307, f"{WORKSPACE}/api/v1/surveys")
    # The redirect comes before anything else: no session cookie, no CSRF check of the POST.
    assert "Set-Cookie" not in posted.headers


def test_a_respondents_server_without_a_workspace_answers_404(served_by):
    client = served_by("respondents", workspace="")
    assert client.get("/manage/login").status_code == 404
    assert client.get("/api/v1/surveys").status_code == 404
    assert client.get("/healthz").status_code == 200


def test_an_evaluators_server_sends_respondents_to_the_public_address(served_by, open_survey_ids):
    _, tokens = open_survey_ids
    client = served_by("evaluators")
    page = client.get(f"/s/{tokens[0]}")
    assert (page.status_code, page.headers["Location"]) == (302, f"{PUBLIC}/s/{tokens[0]}")
    posted = client.post("/o/abc/done?x=1", data={"a": "b"})
    assert (posted.status_code, posted.headers["Location"]) == (307, f"{PUBLIC}/o/abc/done?x=1")
    assert client.get("/manage/login").status_code == 200
    assert client.get("/api/v1/surveys").status_code == 401
    assert client.get("/healthz").status_code == 200


def test_prefixes_match_whole_path_segments(served_by):
    client = served_by("respondents", workspace="")
    assert client.get("/managers").status_code == 404  # no such page, but not the workspace's 404 either
    assert client.get("/apix").status_code == 404


def test_a_base_url_naming_this_very_server_answers_404_rather_than_looping(served_by):
    client = served_by("respondents", workspace="http://localhost")  # the test client's host
    assert client.get("/manage/login").status_code == 404

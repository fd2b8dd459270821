"""Helpers shared by tests: build surveys, answer them like a phone would."""

from __future__ import annotations

import re

import sqlalchemy as sa

from survey_app.domain.unit_table import UnitRow
from survey_app.extensions import db
from survey_app.services.surveys import create_survey, open_survey
from survey_app.services.units import add_units


def make_survey(questionnaire, units=("甲公司", "乙公司"), status="open", **context):
    """Create a survey with the named units (call inside an app context; commits)."""
    survey = create_survey(db.session, questionnaire, name=context.pop("name", "测试调查"), **context)
    rows = [UnitRow(line=i + 2, name=name, seq=i + 1, county="城区", category="企业") for i, name in enumerate(units)]
    add_units(db.session, survey, rows)
    if status == "open":
        open_survey(db.session, survey)
    db.session.commit()
    return survey


HIDDEN = re.compile(r'<input[^>]*name="(csrf_token|ticket)"[^>]*value="([^"]*)"', re.DOTALL)


class Respondent:
    """Answers a survey through the test client, as a phone would (flaskr's AuthActions)."""

    def __init__(self, client):
        self.client = client

    def open(self, path: str):
        response = self.client.get(path)
        self.hidden = dict(HIDDEN.findall(response.get_data(as_text=True)))
        return response

    def submit(self, path: str, answers: dict, *, hidden: dict | None = None, follow=False):
        data = dict(self.hidden if hidden is None else hidden)
        for key, value in answers.items():
            data[key if key in ("unit", "unit_other") else f"q_{key}"] = value
        return self.client.post(path, data=data, follow_redirects=follow)

    def answer(self, path: str, answers: dict, follow=False, *, another=False):
        """Open and submit; ``another``: as the next person of the unit on this device (the
        "为本单位其他人员再填写一份" link), needed once this client has answered the survey."""
        if another:
            path = f"{path}?another=1"
        self.open(path)
        return self.submit(path, answers, follow=follow)


def all_satisfied(questionnaire, key="A") -> dict:
    """Answers for every required question: ``key`` on scored ones, the first option elsewhere."""
    answers = {}
    for q in questionnaire.questions:
        if q.show_if or not q.required:
            continue
        if q.scored:
            answers[q.id] = key
        elif q.type in ("single", "multiple"):
            answers[q.id] = q.options[0].key
        elif q.type == "number":
            answers[q.id] = "1"
        else:
            answers[q.id] = "好"
    return answers




def count(model) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(model))


def add_response(survey, unit, scored_key: str, *, status: str = "valid", keys: dict | None = None,
                 submitted_at=None):
    """Store a response answering every scored question with ``scored_key`` (overrides in ``keys``).

    ``submitted_at`` defaults to now; tests that compare printed dates pass a fixed time.
    """
    from survey_app.domain.answers import Answer as Checked
    from survey_app.models._types import utcnow
    from survey_app.services.responses import SubmissionMeta, store_response

    answers = {q.id: Checked(q.id, option_keys=((keys or {}).get(q.id, scored_key),))
               for q in survey.questionnaire.scored_questions}
    meta = SubmissionMeta(submitted_at=submitted_at or utcnow(), source="paper")
    response = store_response(db.session, survey, unit, answers, meta)
    response.status = status
    db.session.flush()
    return response


def _forget_cached_csrf() -> None:
    """Tests that hold an app context share ``g`` with the client's requests; Flask-WTF
    caches the raw token there, which goes stale when login clears the session."""
    from flask import g, has_app_context

    if has_app_context():
        g.pop("csrf_token", None)


def login(client, username: str, password: str = "password-123456", next_: str | None = None):
    """Log the test client in through the real form (CSRF included); return the response."""
    _forget_cached_csrf()
    path = "/manage/login" + (f"?next={next_}" if next_ else "")
    page = client.get(path)
    token = dict(HIDDEN_CSRF.findall(page.get_data(as_text=True)))["csrf_token"]
    reply = client.post(path, data={"username": username, "password": password, "csrf_token": token})
    _forget_cached_csrf()
    return reply


HIDDEN_CSRF = re.compile(r'<input[^>]*name="(csrf_token)"[^>]*value="([^"]*)"', re.DOTALL)


def csrf_token(client) -> str:
    """A CSRF token valid for this client's session (read from a page that has one)."""
    _forget_cached_csrf()
    page = client.get("/manage/account/password")
    return dict(HIDDEN_CSRF.findall(page.get_data(as_text=True)))["csrf_token"]


def make_user(username: str, role: str = "evaluator", password: str = "password-123456"):
    from survey_app.services.accounts import create_user

    user = create_user(db.session, username, password, role)
    db.session.commit()
    return user


def sign_in_browser(page, base: str, next_path: str = "/manage/", username: str = "eva",
                    password: str = "password-123456") -> None:
    """Sign in through the real login form in a browser page and wait to land on ``next_path``."""
    page.goto(f"{base}/manage/login?next={next_path}")
    page.fill("#username", username)
    page.fill("#password", password)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(f"**{next_path}")

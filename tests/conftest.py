"""Shared fixtures: one app per test session, an empty database for every test.

The database is SQLite (a temporary file) unless ``DATABASE_URL`` points elsewhere — CI
runs the whole suite a second time against PostgreSQL.  Each test starts from empty
tables (rows are deleted after every test) rather than a rolled-back transaction,
because browser tests drive a live server in another thread whose commits must be real.
"""

from __future__ import annotations

import functools
import os
from pathlib import Path

import pytest
from support import Respondent, make_survey

from survey_app import create_app
from survey_app.domain.banks import load_bank
from survey_app.extensions import db

ROOT = Path(__file__).resolve().parents[1]
BANKS = ROOT / "question_banks"


def database_url(tmp_path_factory) -> str:
    url = os.environ.get("DATABASE_URL")
    if url:
        return url
    return f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.db'}"


@pytest.fixture(scope="session")
def app(tmp_path_factory):
    url = database_url(tmp_path_factory)
    os.environ["DATABASE_URL"] = url
    # Statistics requests wait for the current interval: a loaded CI machine must not see the provisional one.
    app = create_app({"APP_ENV": "testing", "TESTING": True, "SECRET_KEY": "test-secret", "SERVER_NAME": None,
                      "DASHBOARD_STATS_WAIT_SECONDS": 120})
    with app.app_context():
        db.drop_all()
        db.create_all()
    yield app
    with app.app_context():
        db.session.remove()
        db.drop_all()
        db.engine.dispose()


@pytest.fixture(autouse=True)
def _empty_tables(request):
    """Delete every row after each test that used the app."""
    yield
    if "app" not in request.fixturenames:
        return
    app = request.getfixturevalue("app")
    with app.app_context():
        db.session.remove()
        with db.engine.begin() as conn:
            for table in reversed(db.metadata.sorted_tables):
                conn.execute(table.delete())


@pytest.fixture
def ctx(app):
    """An application context for tests that call services directly."""
    with app.app_context():
        yield app
        db.session.remove()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def industrial():
    return load_bank(BANKS / "industrial_fund.yaml")


@pytest.fixture
def respondent(client):
    return Respondent(client)


@pytest.fixture
def open_survey_ids(ctx, industrial):
    """An open industrial survey with two units: (survey id, [unit tokens])."""
    survey = make_survey(industrial)
    return survey.id, [u.token for u in survey.units]


@pytest.fixture(autouse=True)
def _hash_passwords_once(monkeypatch):
    """scrypt is slow on purpose; tests create many users with few passwords, so hash each once."""
    from survey_app.services import accounts

    monkeypatch.setattr(accounts, "hash_password", _cached_hash)


@functools.cache
def _cached_hash(password: str) -> str:
    from werkzeug.security import generate_password_hash

    return generate_password_hash(password, method="scrypt")

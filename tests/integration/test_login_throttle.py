"""Login throttling (``services.accounts.authenticate``) on SQLite and PostgreSQL.

Each (account, address) pair has five free failures, then waits 1 s, 2 s, 4 s … (at most
15 min) between attempts; a correct password from another address is never held up by
someone else's failures; one address has a generous ceiling over all accounts.
"""

from __future__ import annotations

import threading
from datetime import datetime, timedelta

import pytest
import sqlalchemy as sa
from support import HIDDEN_CSRF, make_user

from survey_app.extensions import db
from survey_app.models import LoginThrottle
from survey_app.services import accounts
from survey_app.services.accounts import AccountError, RateLimited, authenticate

RIGHT = "password-123456"
T0 = datetime(2026, 3, 2, 1, 0, 0)


class Clock:
    def __init__(self):
        self.now = T0

    def __call__(self) -> datetime:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += timedelta(seconds=seconds)


@pytest.fixture
def clock(monkeypatch):
    clock = Clock()
    monkeypatch.setattr(accounts, "utcnow", clock)
    return clock


@pytest.fixture
def checks(monkeypatch):
    """Count password checks; each takes 50 ms, as scrypt does, to give races room."""
    import time

    seen = []
    lock = threading.Lock()

    def counting(stored_hash: str, password: str) -> bool:
        with lock:
            seen.append(password)
        time.sleep(0.05)
        return password == RIGHT

    monkeypatch.setattr(accounts, "check_password_hash", counting)
    return seen


def attempt(username: str, password: str, address: str) -> str:
    """Call the service as the login view does: keep failures, drop a refused attempt."""
    try:
        authenticate(db.session, username, password, address)
    except RateLimited as exc:
        db.session.rollback()
        return f"wait {exc.retry_after}"
    except AccountError:
        db.session.commit()
        return "wrong"
    db.session.commit()
    return "ok"


def test_the_wait_doubles_after_five_failures(ctx, clock, checks):
    make_user("eva")
    assert [attempt("eva", "guess", "a1") for _ in range(5)] == ["wrong"] * 5
    assert attempt("eva", RIGHT, "a1") == "wait 1"  # the right password waits too, from this address
    waits = []
    for expected in (1, 2, 4, 8, 16):
        clock.advance(expected)
        assert attempt("eva", "guess", "a1") == "wrong"
        waits.append(attempt("eva", "guess", "a1"))
    assert waits == ["wait 2", "wait 4", "wait 8", "wait 16", "wait 32"]
    assert len(checks) == 10  # refused attempts never reach the password check
    for _ in range(12):
        clock.advance(15 * 60)
        attempt("eva", "guess", "a1")
    assert attempt("eva", "guess", "a1") == "wait 900"  # capped at 15 minutes
    clock.advance(15 * 60)
    assert attempt("eva", RIGHT, "a1") == "ok"  # and no lock-out: the right password gets in
    assert db.session.scalar(sa.select(LoginThrottle).where(LoginThrottle.username == "eva")) is None


def test_the_right_password_from_another_address_is_not_blocked_by_an_attacker(ctx, clock, checks):
    make_user("eva")
    for _ in range(8):
        attempt("eva", "guess", "attacker")
    assert attempt("eva", "guess", "attacker").startswith("wait")
    assert attempt("eva", RIGHT, "office") == "ok"
    assert attempt("eva", RIGHT, "attacker").startswith("wait")  # the attacker's pair still waits


def test_failures_are_forgotten_after_a_quiet_day(ctx, clock, checks):
    make_user("eva")
    for _ in range(5):
        attempt("eva", "guess", "a1")
    clock.advance(24 * 3600 + 1)
    assert [attempt("eva", "guess", "a1") for _ in range(5)] == ["wrong"] * 5


def test_an_address_spraying_many_accounts_meets_the_ceiling(ctx, clock, checks):
    make_user("eva")
    results = [attempt(f"user{i}", "guess", "nat") for i in range(accounts.ADDRESS.free)]
    assert results == ["wrong"] * accounts.ADDRESS.free  # 100 typos behind one NAT address are fine
    assert attempt("eva", RIGHT, "nat") == "wait 1"  # then the whole address slows down …
    assert attempt("eva", RIGHT, "elsewhere") == "ok"  # … but only that address
    clock.advance(1)
    assert attempt("eva", RIGHT, "nat") == "ok"  # a success does not reset the address count
    assert attempt("user0", "guess", "nat") == "wrong"
    assert attempt("user1", "guess", "nat") == "wait 2"


def test_unknown_accounts_are_throttled_like_known_ones(ctx, clock, checks):
    assert [attempt("ghost", "guess", "a1") for _ in range(6)] == ["wrong"] * 5 + ["wait 1"]
    assert len(checks) == 5


def login_in_threads(app, n: int, password: str, address: str) -> list[int]:
    """Post ``n`` logins for eva at the same moment, each from its own client and session."""
    clients, tokens = [], []
    for _ in range(n):
        client = app.test_client()
        client.environ_base["REMOTE_ADDR"] = address
        page = client.get("/manage/login").get_data(as_text=True)
        clients.append(client)
        tokens.append(dict(HIDDEN_CSRF.findall(page))["csrf_token"])
    start, statuses = threading.Barrier(n), [0] * n

    def post(i: int) -> None:
        start.wait()
        reply = clients[i].post("/manage/login", data={"username": "eva", "password": password,
                                                       "csrf_token": tokens[i]})
        statuses[i] = reply.status_code

    threads = [threading.Thread(target=post, args=(i,)) for i in range(n)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    return statuses


def test_concurrent_wrong_passwords_get_no_more_checks_than_allowed(app, clock, checks):
    """40 simultaneous guesses from separate workers' sessions: exactly five are checked."""
    with app.app_context():
        make_user("eva")
        db.session.remove()
    statuses = login_in_threads(app, 40, "guess", "203.0.113.9")
    assert len(checks) == 5, f"{len(checks)} password checks for a limit of 5"
    assert sorted(statuses) == [401] * 5 + [429] * 35
    with app.app_context():
        failures = db.session.scalar(sa.select(LoginThrottle.failures).where(LoginThrottle.username == "eva"))
        assert failures == 5
    # meanwhile the owner, from the office, gets in at once
    assert login_in_threads(app, 1, RIGHT, "198.51.100.7") == [302]


def test_a_login_forgets_counters_nobody_remembers(ctx, clock, checks):
    make_user("eva")
    attempt("guessed-name", "guess", "a1")
    attempt("eva", "guess", "a2")
    clock.advance(24 * 3600 + 1)
    assert attempt("eva", RIGHT, "a3") == "ok"
    assert db.session.scalars(sa.select(LoginThrottle.username)).all() == []

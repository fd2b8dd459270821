"""Sessions end for good: logout, a password change, an admin's reset or deactivation.

The session cookie carries "<user id>:<session epoch>"; each of these raises the epoch, so
any copy of an older cookie — saved by malware, left on another computer — is refused.

These tests keep no application context open: each client's request gets its own, as in
production (an open one would share flask-login's cached user between the clients).
"""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from support import csrf_token, login, make_user

from survey_app.extensions import db
from survey_app.models import AuditEvent

NEW = "another-pass-2025"


@pytest.fixture
def ids(app):
    """Accounts root (admin) and eva (evaluator): their ids."""
    with app.app_context():
        ids = {"root": make_user("root", "admin").id, "eva": make_user("eva").id}
        db.session.remove()
    return ids


def signed_in(client) -> bool:
    reply = client.get("/manage/")
    assert reply.status_code in (200, 302)
    return reply.status_code == 200


def test_a_cookie_saved_before_logout_no_longer_opens_the_workspace(client, ids):
    login(client, "eva")
    saved = client.get_cookie("session").value
    client.post("/manage/logout", data={"csrf_token": csrf_token(client)})
    client.set_cookie("session", saved)  # replay the copy
    reply = client.get("/manage/")
    assert reply.status_code == 302 and "/manage/login" in reply.headers["Location"]


def test_logging_out_ends_the_other_sessions_too(app, ids):
    office, home = app.test_client(), app.test_client()
    login(office, "eva")
    login(home, "eva")
    office.post("/manage/logout", data={"csrf_token": csrf_token(office)})
    assert not signed_in(home)


def test_a_password_change_logs_out_the_other_session_but_not_this_one(app, ids):
    mine, other = app.test_client(), app.test_client()
    login(mine, "eva")
    login(other, "eva")
    assert signed_in(mine) and signed_in(other)
    reply = mine.post("/manage/account/password", data={"current": "password-123456", "new": NEW, "repeat": NEW,
                                                        "csrf_token": csrf_token(mine)})
    assert reply.status_code == 302
    assert signed_in(mine)
    assert not signed_in(other)
    assert login(other, "eva", NEW).status_code == 302 and signed_in(other)


def test_an_admins_reset_ends_the_users_sessions_and_is_audited(app, ids):
    admin, user = app.test_client(), app.test_client()
    login(admin, "root")
    login(user, "eva")
    token = csrf_token(admin)
    short = admin.post(f"/manage/users/{ids['eva']}/password", data={"csrf_token": token, "password": "short"})
    assert short.status_code == 400 and signed_in(user)
    reply = admin.post(f"/manage/users/{ids['eva']}/password", data={"csrf_token": token, "password": NEW})
    assert reply.status_code == 302
    assert not signed_in(user)
    assert login(user, "eva", NEW).status_code == 302
    with app.app_context():
        event = db.session.scalars(sa.select(AuditEvent)).one()
    assert (event.action, event.actor, event.survey_id, event.after) == (
        "account.password_reset", "user:root", None, {"user": "eva"})


def test_a_reactivated_account_does_not_get_its_old_session_back(app, ids):
    admin, user = app.test_client(), app.test_client()
    login(admin, "root")
    login(user, "eva")
    token = csrf_token(admin)
    admin.post(f"/manage/users/{ids['eva']}/active", data={"csrf_token": token})  # off
    assert not signed_in(user)
    admin.post(f"/manage/users/{ids['eva']}/active", data={"csrf_token": token})  # on again
    assert not signed_in(user)
    assert login(user, "eva").status_code == 302


def test_a_session_from_before_the_epoch_existed_is_refused(client, ids):
    """Cookies written by the previous version hold the bare user id."""
    login(client, "eva")
    with client.session_transaction() as session:
        assert session["_user_id"] == f"{ids['eva']}:0"  # id and epoch
        session["_user_id"] = str(ids["eva"])
    assert not signed_in(client)

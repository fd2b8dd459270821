"""Personal API tokens: created and revoked in the workspace, hashed, audited, scoped to their user."""

from __future__ import annotations

import hashlib
import re

import sqlalchemy as sa
from support import csrf_token, login, make_survey, make_user

from survey_app.extensions import db
from survey_app.models import ApiToken, AuditEvent
from survey_app.services.access import grant
from survey_app.services.accounts import set_active
from survey_app.services.api_tokens import create_token

TOKEN = re.compile(r'value="(sv_[A-Za-z0-9_-]{43})"')


def summary(client, survey_id: int, token: str | None):
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    return client.get(f"/api/v1/surveys/{survey_id}/summary?statistics=0", headers=headers)


def test_create_use_revoke_in_the_workspace(client, ctx, industrial):
    eva = make_user("eva")
    survey = make_survey(industrial)
    survey.owner_id = eva.id
    db.session.commit()
    login(client, "eva")
    assert "API令牌" in client.get("/manage/").get_data(as_text=True)  # in the account menu
    reply = client.post("/manage/account/tokens", data={"csrf_token": csrf_token(client), "name": "财政局报表脚本"})
    assert reply.status_code == 200 and reply.headers["Cache-Control"] == "no-store"
    page = reply.get_data(as_text=True)
    assert "此令牌只显示这一次" in page
    token = TOKEN.search(page).group(1)
    row = db.session.scalars(sa.select(ApiToken)).one()
    assert row.prefix == token[:11] and row.last_used_at is None
    again = client.get("/manage/account/tokens").get_data(as_text=True)
    assert token not in again and f"{row.prefix}…" in again and "财政局报表脚本" in again

    used = summary(client, survey.id, token)
    assert used.status_code == 200 and used.json["survey"]["id"] == survey.id
    db.session.refresh(row)
    assert row.last_used_at is not None

    revoke = client.post(f"/manage/account/tokens/{row.id}/revoke", data={"csrf_token": csrf_token(client)})
    assert revoke.status_code == 302
    refused = summary(client, survey.id, token)
    assert refused.status_code == 401 and refused.json["error"] == "unauthorized"
    assert refused.headers["WWW-Authenticate"].startswith("Bearer")

    events = db.session.scalars(sa.select(AuditEvent).where(AuditEvent.action.like("api_token.%"))
                                .order_by(AuditEvent.id)).all()
    assert [(e.action, e.actor, e.survey_id) for e in events] == [
        ("api_token.create", "user:eva", None), ("api_token.revoke", "user:eva", None)]
    assert events[0].after == {"user": "eva", "token": row.id, "name": "财政局报表脚本", "prefix": row.prefix}


def test_the_token_is_stored_only_as_its_sha256(ctx):
    eva = make_user("eva")
    row, token = create_token(db.session, eva, "脚本", "user:eva")
    db.session.commit()
    assert row.token_hash == hashlib.sha256(token.encode()).hexdigest()
    with db.engine.connect() as conn:
        stored = [str(r) for table in ("api_tokens", "audit_events") for r in conn.execute(sa.text(f"SELECT * FROM {table}"))]
    assert stored and not any(token in r or token[11:] in r for r in stored)


def test_a_viewers_token_sees_granted_surveys_only(client, ctx, industrial):
    fin = make_user("fin", "viewer")
    granted = make_survey(industrial, name="已授权")
    hidden = make_survey(industrial, name="未授权")
    grant(db.session, granted, fin, "viewer")
    _, token = create_token(db.session, fin, "财政局", "user:fin")
    db.session.commit()
    assert summary(client, granted.id, token).status_code == 200
    reply = summary(client, hidden.id, token)
    assert reply.status_code == 404 and reply.json["status"] == 404  # JSON, and no hint that it exists
    assert summary(client, 99999, token).status_code == 404


def test_no_token_a_bad_token_or_a_disabled_account_gets_401(client, ctx, industrial):
    root, eva = make_user("root", "admin"), make_user("eva")
    survey = make_survey(industrial)
    _, token = create_token(db.session, eva, "脚本", "user:eva")
    grant(db.session, survey, eva, "viewer")
    db.session.commit()
    assert summary(client, survey.id, None).status_code == 401
    assert summary(client, survey.id, token + "x").status_code == 401
    basic = client.get(f"/api/v1/surveys/{survey.id}/summary", headers={"Authorization": f"Basic {token}"})
    assert basic.status_code == 401 and basic.is_json
    assert summary(client, survey.id, token).status_code == 200
    set_active(db.session, eva, False, root, "user:root")
    db.session.commit()
    assert summary(client, survey.id, token).status_code == 401


def test_nobody_revokes_or_sees_someone_elses_token(client, ctx):
    make_user("eva")
    other = make_user("other")
    row, _ = create_token(db.session, other, "别人的脚本", "user:other")
    db.session.commit()
    login(client, "eva")
    assert "别人的脚本" not in client.get("/manage/account/tokens").get_data(as_text=True)
    reply = client.post(f"/manage/account/tokens/{row.id}/revoke", data={"csrf_token": csrf_token(client)})
    assert reply.status_code == 404
    db.session.refresh(row)
    assert row.active


def test_a_token_needs_a_name(client, ctx):
    make_user("eva")
    login(client, "eva")
    reply = client.post("/manage/account/tokens", data={"csrf_token": csrf_token(client), "name": ""})
    assert reply.status_code == 400 and "请填写令牌用途" in reply.get_data(as_text=True)
    assert db.session.scalars(sa.select(ApiToken)).all() == []

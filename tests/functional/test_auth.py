"""Login, logout, login throttling, password change, account admin and survey permissions."""

from __future__ import annotations

import sqlalchemy as sa
from support import csrf_token, login, make_survey, make_user

from survey_app.extensions import db
from survey_app.models import AuditEvent, LoginThrottle, Survey, User
from survey_app.services.access import grant


def pair_failures(username: str) -> int | None:
    db.session.expire_all()
    return db.session.scalar(sa.select(LoginThrottle.failures).where(LoginThrottle.username == username))


def test_pages_need_login(client):
    reply = client.get("/manage/")
    assert reply.status_code == 302 and "/manage/login" in reply.headers["Location"]


def test_login_logout_and_no_open_redirect(client, ctx):
    make_user("eva")
    reply = login(client, "eva")
    assert reply.status_code == 302 and reply.headers["Location"].endswith("/manage/")
    assert client.get("/manage/").status_code == 200
    client.post("/manage/logout", data={"csrf_token": csrf_token(client)})
    assert client.get("/manage/").status_code == 302
    reply = login(client, "eva", next_="https://evil.example/x")
    assert reply.status_code == 302 and reply.headers["Location"].endswith("/manage/")
    client.post("/manage/logout", data={"csrf_token": csrf_token(client)})
    reply = login(client, "eva", next_="/manage/account/password")
    assert reply.headers["Location"].endswith("/manage/account/password")


def test_wrong_password_is_a_chinese_401_and_rate_limited(client, ctx):
    make_user("eva")
    for _ in range(5):
        reply = login(client, "eva", "wrong-password")
        assert reply.status_code == 401 and "用户名或密码错误" in reply.get_data(as_text=True)
    blocked = login(client, "eva")  # even the right password waits from this address, for a second
    assert blocked.status_code == 429 and "登录失败次数过多，请1秒后再试" in blocked.get_data(as_text=True)
    assert blocked.headers["Retry-After"] == "1"
    assert pair_failures("eva") == 5


def test_unknown_user_gets_the_same_message(client, ctx):
    reply = login(client, "nobody")
    assert reply.status_code == 401 and "用户名或密码错误" in reply.get_data(as_text=True)


def test_login_without_csrf_is_refused(client, ctx):
    make_user("eva")
    reply = client.post("/manage/login", data={"username": "eva", "password": "password-123456"})
    assert reply.status_code == 400 and client.get("/manage/").status_code == 302


def test_deactivated_user_cannot_log_in(client, ctx):
    user = make_user("eva")
    user.active = False
    db.session.commit()
    assert login(client, "eva").status_code == 401


def test_password_change(client, ctx):
    make_user("eva")
    login(client, "eva")
    token = csrf_token(client)
    short = client.post("/manage/account/password", data={"current": "password-123456", "new": "short",
                                                           "repeat": "short", "csrf_token": token})
    assert short.status_code == 400 and "新密码需10至200个字符" in short.get_data(as_text=True)
    ok = client.post("/manage/account/password", data={"current": "password-123456", "new": "another-pass-2025",
                                                        "repeat": "another-pass-2025", "csrf_token": token})
    assert ok.status_code == 302
    client.post("/manage/logout", data={"csrf_token": csrf_token(client)})
    assert login(client, "eva", "another-pass-2025").status_code == 302


def test_password_hashes_use_scrypt(ctx):
    user = make_user("eva")
    assert user.password_hash.startswith("scrypt:") and "password-123456" not in user.password_hash


def test_session_cookie_is_http_only(client, ctx):
    make_user("eva")
    reply = login(client, "eva")
    cookie = reply.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_evaluator_sees_only_own_and_member_surveys(client, ctx, industrial):
    eva, other = make_user("eva"), make_user("other")
    mine = make_survey(industrial, name="我的调查")
    mine.owner_id = eva.id
    theirs = make_survey(industrial, name="别人的调查")
    theirs.owner_id = other.id
    db.session.commit()
    login(client, "eva")
    page = client.get("/manage/").get_data(as_text=True)
    assert "我的调查" in page and "别人的调查" not in page
    assert client.get(f"/manage/surveys/{theirs.id}").status_code == 404
    grant(db.session, theirs, eva, "viewer")
    db.session.commit()
    assert client.get(f"/manage/surveys/{theirs.id}").status_code == 200
    token = csrf_token(client)
    assert client.post(f"/manage/surveys/{theirs.id}/close", data={"csrf_token": token}).status_code == 403


def test_create_survey_from_bank_and_open_it(client, ctx):
    make_user("eva")
    login(client, "eva")
    token = csrf_token(client)
    bad = client.post("/manage/surveys/new", data={"csrf_token": token, "bank": "industrial_fund.yaml", "name": "",
                                                   "default_min_valid": "5"})
    assert bad.status_code == 400 and "请填写调查名称" in bad.get_data(as_text=True)
    reply = client.post("/manage/surveys/new", data={
        "csrf_token": token, "bank": "industrial_fund.yaml", "name": "2025年专项资金满意度调查",
        "project_name": "某专项", "indicator_code": "D41", "indicator_weight": "6", "default_min_valid": "5",
        "opens_at": "2025-03-01T09:00", "closes_at": "2025-02-01T09:00"})
    assert reply.status_code == 400 and "截止时间应晚于开放时间" in reply.get_data(as_text=True)
    reply = client.post("/manage/surveys/new", data={
        "csrf_token": token, "bank": "industrial_fund.yaml", "name": "2025年专项资金满意度调查",
        "indicator_code": "D41", "indicator_weight": "6", "default_min_valid": "5"})
    assert reply.status_code == 302
    survey = db.session.scalars(sa.select(Survey)).one()
    assert survey.status == "draft" and survey.owner_id == db.session.scalars(sa.select(User.id)).one()
    assert client.post(f"/manage/surveys/{survey.id}/open", data={"csrf_token": token}).status_code == 302
    db.session.refresh(survey)
    assert survey.status == "open"
    actions = db.session.scalars(sa.select(AuditEvent.action).order_by(AuditEvent.id)).all()
    assert actions == ["survey.create", "survey.open"]


def test_questionnaire_edits_only_in_draft(client, ctx, industrial):
    eva = make_user("eva")
    survey = make_survey(industrial, status="draft")
    survey.owner_id = eva.id
    db.session.commit()
    login(client, "eva")
    token = csrf_token(client)
    reply = client.post(f"/manage/surveys/{survey.id}/questions", data={
        "csrf_token": token, "text_Q1": "您对政策宣传满意吗？", "topic_Q1": "政策宣传", "value_Q1_C": "40"})
    assert reply.status_code == 302
    db.session.refresh(survey)
    q1 = survey.questionnaire.question("Q1")
    assert (q1.text, q1.topic, q1.option("C").value) == ("您对政策宣传满意吗？", "政策宣传", 40.0)
    bad = client.post(f"/manage/surveys/{survey.id}/questions", data={"csrf_token": token, "value_Q1_C": "140"})
    assert bad.status_code == 400 and "赋值应为0至100之间的数" in bad.get_data(as_text=True)
    client.post(f"/manage/surveys/{survey.id}/open", data={"csrf_token": token})
    # Once open, wording may still be fixed (audited); a value is structure and is refused.
    frozen = client.post(f"/manage/surveys/{survey.id}/questions", data={"csrf_token": token, "value_Q1_C": "50"})
    assert frozen.status_code == 400 and "只能修正文字" in frozen.get_data(as_text=True)
    fixed = client.post(f"/manage/surveys/{survey.id}/questions", data={"csrf_token": token, "text_Q1": "改"})
    assert fixed.status_code == 302


def test_scoring_settings_preview_save_and_refusal(client, ctx, industrial):
    eva = make_user("eva")
    survey = make_survey(industrial)
    survey.owner_id = eva.id
    db.session.commit()
    login(client, "eva")
    token = csrf_token(client)
    form = {"csrf_token": token, "method": "weighted", "not_scored": "exclude", "rounding": "exact",
            "aggregation": "respondent", "composite": "mean", "rule_type": "band", "rule_weight": "6",
            "bands": "95 6\n90 5\n80 4\n70 3\n60 2\n0 0", "min_duration_action": "exclude", "min_duration_seconds": "20",
            "straight_line_action": "flag", "straight_line_min_items": "5", "duplicate_device_action": "flag",
            "duplicate_device_window_minutes": "10", "not_in_frame_action": "flag"}
    preview = client.post(f"/manage/surveys/{survey.id}/scoring", data=form | {"fragment": "preview", "preview": "1"})
    assert preview.status_code == 200 and "低于60%不得分" in preview.get_data(as_text=True)
    # bands must reach down to 0 %: "95 6 / 90 5" alone leaves everything below 90 undefined
    gap = client.post(f"/manage/surveys/{survey.id}/scoring", data=form | {"bands": "95 6\n90 5", "save": "1"})
    assert gap.status_code == 400
    typo = client.post(f"/manage/surveys/{survey.id}/scoring", data=form | {"bands": "95 6\n九十 5", "save": "1"})
    assert typo.status_code == 400 and "应写成“下限 得分”" in typo.get_data(as_text=True)
    assert client.post(f"/manage/surveys/{survey.id}/scoring", data=form | {"save": "1"}).status_code == 302
    db.session.refresh(survey)
    assert survey.settings["validity"]["min_duration"] == {"action": "exclude", "seconds": 20.0}
    assert db.session.scalars(sa.select(AuditEvent.action).where(AuditEvent.action == "settings.change")).one()


def test_admin_creates_and_deactivates_accounts(client, ctx):
    make_user("root", "admin")
    make_user("eva")
    login(client, "eva")
    assert client.get("/manage/users").status_code == 403
    client.post("/manage/logout", data={"csrf_token": csrf_token(client)})
    login(client, "root")
    token = csrf_token(client)
    reply = client.post("/manage/users", data={"csrf_token": token, "username": "fin", "role": "viewer",
                                               "password": "finance-bureau-1"})
    assert reply.status_code == 302
    fin = db.session.scalars(sa.select(User).where(User.username == "fin")).one()
    assert fin.role == "viewer"
    assert client.post(f"/manage/users/{fin.id}/active", data={"csrf_token": token}).status_code == 302
    db.session.refresh(fin)
    assert not fin.active


def test_cli_user_create_and_grant(runner, ctx, industrial):
    survey = make_survey(industrial)
    ok = runner.invoke(args=["user", "create", "fin", "--role", "viewer", "--password", "finance-bureau-1"])
    assert ok.exit_code == 0, ok.output
    weak = runner.invoke(args=["user", "create", "x", "--password", "short"])
    assert weak.exit_code == 1 and "密码至少需要10个字符" in weak.output
    granted = runner.invoke(args=["user", "grant", "fin", str(survey.id), "--role", "evaluator"])
    assert granted.exit_code == 0
    # a viewer account never manages, whatever it is granted
    from survey_app.models import SurveyMember

    assert db.session.scalars(sa.select(SurveyMember.role)).one() == "viewer"


def test_deactivating_and_reactivating_an_account_is_audited(client, ctx):
    root = make_user("root", "admin")
    fin = make_user("fin", "viewer")
    login(client, "root")
    token = csrf_token(client)
    assert client.post(f"/manage/users/{fin.id}/active", data={"csrf_token": token}).status_code == 302
    assert client.post(f"/manage/users/{fin.id}/active", data={"csrf_token": token}).status_code == 302
    events = db.session.scalars(sa.select(AuditEvent).order_by(AuditEvent.id)).all()
    assert [(e.action, e.actor, e.survey_id) for e in events] == [
        ("account.deactivate", "user:root", None), ("account.activate", "user:root", None)]
    assert events[0].before == {"user": "fin", "active": True} and events[0].after == {"user": "fin", "active": False}
    # an admin cannot lock themselves out; nothing is written
    refused = client.post(f"/manage/users/{root.id}/active", data={"csrf_token": token})
    assert refused.status_code == 409
    db.session.refresh(root)
    assert root.active and db.session.scalar(sa.select(sa.func.count()).select_from(AuditEvent)) == 2


def test_a_failed_login_is_kept_although_the_answer_is_401(client, ctx):
    """The view answers with an error status, yet its attempt row must be committed (rate limit)."""
    make_user("eva")
    assert login(client, "eva", "wrong-password").status_code == 401
    assert pair_failures("eva") == 1
    assert login(client, "eva").status_code == 302  # and a success clears the account's counter
    assert pair_failures("eva") is None


def test_a_refused_form_keeps_nothing_it_flushed(client, ctx, industrial, monkeypatch):
    """A view that re-renders its form (4xx) after a service flushed leaves no trace."""
    from survey_app.evaluate import views_surveys

    eva = make_user("eva")
    survey = make_survey(industrial)
    survey.owner_id = eva.id
    db.session.commit()
    login(client, "eva")
    token = csrf_token(client)

    def add_then_miss(session, survey, username, role, actor):
        session.add(AuditEvent(survey_id=survey.id, actor=actor, action="half.done"))
        session.flush()
        return None  # "no such user": the page answers 400 with the form

    monkeypatch.setattr(views_surveys, "add_member", add_then_miss)
    reply = client.post(f"/manage/surveys/{survey.id}/members", data={"csrf_token": token, "username": "ghost",
                                                                       "role": "viewer"})
    assert reply.status_code == 400 and "没有这个用户名" in reply.get_data(as_text=True)
    assert db.session.scalars(sa.select(AuditEvent.action)).all() == ["survey.open"]  # no "half.done"

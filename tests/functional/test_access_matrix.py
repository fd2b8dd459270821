"""Route × role matrix, built from the app's URL map so every new route is covered.

For every evaluator route (``/manage/…``) and method, each role gets the answer its
permissions allow:

* anonymous → redirected to the login page;
* a viewer of another survey, an evaluator who is not a member → 404 on survey pages
  (the survey's existence is not revealed);
* a viewer of the survey → may read (no 403/404), may not change (POST → 403);
* the owner, an evaluator member, an admin → neither 403 nor 404;
* nobody ever gets a 500.

The bank library (``/manage/banks…``) is not survey-scoped: everyone signed in lists and
downloads; admins and evaluators upload; a stored bank is deleted by whoever saved it or by
an admin (the matrix's bank belongs to the admin, so every other role is refused, and the
admin, last, deletes it). Saving a survey's questionnaire as a bank needs sight of the
survey and an account that may save banks (a viewer gets 403).

Someone's API token can be revoked by its owner only (others get 404).  The API
(``/api/…``) is guarded by personal tokens and checked at the end.
"""

from __future__ import annotations

import re

import pytest
from support import add_response, csrf_token, login, make_survey, make_user

from survey_app.extensions import db
from survey_app.models import QuestionBank
from survey_app.services.access import grant
from survey_app.services.api_tokens import create_token
from survey_app.services.bank_library import save_survey_as_bank

PUBLIC = {"/manage/login"}
ADMIN_ONLY = re.compile(r"^/manage/users")
#: The member's own API token (``world``): nobody else may even see that it exists.
MEMBERS_TOKEN = re.compile(r"^/manage/account/tokens/\d+/")
#: Pages only managers may open, even with GET: forms that change something, and anything
#: that hands out a unit's private link (holding it lets one answer as that unit).
#: Bank-library routes that change the library: refused to viewer accounts, deletion to all but the admin.
BANK_UPLOAD = re.compile(r"^/manage/banks/upload$")
BANK_DELETE = re.compile(r"^/manage/banks/\d+/delete$")
MANAGE_GET = re.compile(r"/(new|import|paper|regenerate|revoke|edit)(/|$)"
                        r"|/qr\.(svg|png)$|/distribution/(sheet|sheet\.docx|links\.csv)$")
ROLES = ("anonymous", "viewer_other", "evaluator_outsider", "viewer", "member", "owner", "admin")


@pytest.fixture
def world(ctx, industrial):
    users = {name: make_user(name, role) for name, role in [
        ("viewer_other", "viewer"), ("evaluator_outsider", "evaluator"), ("viewer", "viewer"),
        ("member", "evaluator"), ("owner", "evaluator"), ("admin", "admin")]}
    survey = make_survey(industrial, name="矩阵调查")
    survey.owner_id = users["owner"].id
    other = make_survey(industrial, units=("别的单位",), name="另一个调查")
    other.owner_id = users["evaluator_outsider"].id
    grant(db.session, survey, users["viewer"], "viewer")
    grant(db.session, survey, users["member"], "evaluator")
    grant(db.session, other, users["viewer_other"], "viewer")
    response = add_response(survey, survey.units[0], "A")
    token, _ = create_token(db.session, users["member"], "脚本", "test")
    bank = save_survey_as_bank(db.session, survey, users["admin"], "管理员的题库", "1", "test")
    db.session.commit()
    ids = {"survey_id": survey.id, "unit_id": survey.units[0].id, "response_id": response.id,
           "user_id": users["member"].id, "event_id": 1, "batch_id": 1, "token_id": token.id,
           "bank_id": bank.id, "bank_file": "industrial_fund.yaml"}
    return ids


def routes(app) -> list[tuple[str, str, str]]:
    """Every (rule, method, endpoint) under /manage, HEAD/OPTIONS left out; logout last."""
    found = []
    for rule in app.url_map.iter_rules():
        if not rule.rule.startswith("/manage") or rule.rule in PUBLIC:
            continue
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            found.append((rule.rule, method, rule.endpoint))
    return sorted(found, key=lambda item: item[2] == "auth.logout")


def build(rule: str, ids: dict) -> str:
    def value(match: re.Match) -> str:
        name = match.group(2)
        if name in ids:
            return str(ids[name])
        return "x.svg" if "filename" in name else "1"

    rule = re.sub(r"<any\(([^,)]+)[^)]*\):\w+>", lambda m: m.group(1).strip(), rule)  # first allowed value
    return re.sub(r"<(?:(\w+):)?(\w+)>", value, rule)


def expected_ok(role: str, path: str, method: str, survey_scoped: bool) -> set[str] | None:
    """Return the allowed outcome classes for this role, or None when anything but 5xx goes."""
    if role == "anonymous":
        # a POST without a session has no valid CSRF token either: refused before the login check
        return {"login"} if method == "GET" else {"login", "bad_request"}
    if ADMIN_ONLY.match(path):
        return {"ok"} if role == "admin" else {"forbidden"}
    if MEMBERS_TOKEN.match(path):
        return {"ok"} if role == "member" else {"hidden"}
    if not survey_scoped:
        if BANK_UPLOAD.match(path):
            return {"forbidden"} if role in ("viewer_other", "viewer") else {"ok"}
        if BANK_DELETE.match(path):
            return {"ok"} if role == "admin" else {"forbidden"}
        if path.startswith("/manage/surveys/new"):
            return {"ok"} if role in ("evaluator_outsider", "member", "owner", "admin") else {"forbidden"}
        return {"ok"}
    if role in ("viewer_other", "evaluator_outsider"):
        return {"hidden"}
    if role == "viewer":
        if method != "GET" or MANAGE_GET.search(path):
            return {"forbidden"}
        return {"ok"}
    return {"ok"}


def outcome(reply) -> str:
    if reply.status_code >= 500:
        return "error"
    if reply.status_code == 404:
        return "hidden"
    if reply.status_code == 403:
        return "forbidden"
    if reply.status_code in (301, 302, 303) and "/manage/login" in reply.headers.get("Location", ""):
        return "login"
    if reply.status_code == 401:
        return "login"  # JSON and event-stream endpoints answer 401 instead of redirecting
    if reply.status_code == 400 and "页面已过期" in reply.get_data(as_text=True):
        return "bad_request"  # the CSRF page
    return "ok"  # 2xx, other redirects, 400/409/422 for the dummy form data


def test_every_evaluator_route_answers_each_role_as_its_permissions_allow(app, world):
    table = routes(app)
    assert len(table) >= 15, "the URL map looks too small: did the evaluator blueprint register?"
    failures = []
    for role in ROLES:
        client = app.test_client()
        if role != "anonymous":
            assert login(client, role).status_code == 302
            token = csrf_token(client)
        else:
            token = ""
        for rule, method, endpoint in table:
            path = build(rule, world)
            reply = client.open(path, method=method, data={"csrf_token": token}, buffered=False)
            got = outcome(reply)
            reply.close()  # live streams (server-sent events) are never read to the end
            allowed = expected_ok(role, path, method, "<int:survey_id>" in rule or "<survey_id>" in rule)
            if endpoint == "auth.logout" and role != "anonymous":
                allowed = {"login"}  # logging out lands on the login page
            if got == "error" or (allowed is not None and got not in allowed):
                failures.append(f"{role:18} {method:6} {path:55} {endpoint:32} → {reply.status_code} ({got})")
    assert not failures, "unexpected answers:\n" + "\n".join(failures)
    # Everyone before the admin was refused the bank's deletion; the admin's went through.
    assert db.session.get(QuestionBank, world["bank_id"]) is None


#: API routes anyone may read: the description of the API.
API_PUBLIC = {"/api/v1/openapi.json"}


def test_api_needs_a_token(app, client, world):
    """Every API route: 401 without or with a wrong token; with a token, 200 for users who may
    see the survey and 404 for those who may not (exactly like an unknown id)."""
    from survey_app.models import User

    tokens = {}
    for name in ("admin", "viewer", "viewer_other", "evaluator_outsider"):
        user = db.session.scalars(db.select(User).where(User.username == name)).one()
        tokens[name] = create_token(db.session, user, "矩阵", "test")[1]
    db.session.commit()
    checked = 0
    for rule in app.url_map.iter_rules():
        if not rule.rule.startswith("/api/"):
            continue
        path = build(rule.rule, world)
        if rule.rule in API_PUBLIC:
            assert client.get(path).status_code == 200
            continue
        checked += 1
        assert client.get(path).status_code == 401, path
        assert client.get(path, headers={"Authorization": "Bearer sv_wrong"}).status_code == 401, path
        scoped = "<int:survey_id>" in rule.rule
        for name, token in tokens.items():
            reply = client.get(path, headers={"Authorization": f"Bearer {token}"})
            hidden = scoped and name in ("viewer_other", "evaluator_outsider")
            assert reply.status_code == (404 if hidden else 200), f"{name} {path} → {reply.status_code}"
            assert reply.status_code == 200 or reply.is_json
            reply.close()  # streamed bodies (the CSV) are not read here
    assert checked >= 7, "the API looks too small: did its modules register?"


def test_every_state_changing_form_needs_csrf(app, world):
    client = app.test_client()
    login(client, "admin")
    for rule, method, endpoint in routes(app):
        if method == "POST":
            reply = client.post(build(rule, world), data={})
            assert reply.status_code == 400, f"{endpoint} accepted a POST without CSRF token ({reply.status_code})"

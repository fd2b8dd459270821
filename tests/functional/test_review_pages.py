"""Response review through the test client: list, detail, decisions, paper entry, roles, escaping."""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa
from flask import g
from support import add_response, all_satisfied, count, make_survey

from survey_app.extensions import db
from survey_app.models import AuditEvent, Response
from survey_app.services.access import grant
from survey_app.services.accounts import create_user
from survey_app.services.summary import build_summary
from survey_app.services.surveys import close_survey

PASSWORD = "password-123456"
TOKEN = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
XSS = '<script>alert("x")</script>'


class Evaluator:
    """A logged-in workspace user with their own client (flaskr's AuthActions)."""

    def __init__(self, app, username: str, role: str = "evaluator"):
        self.user = create_user(db.session, username, PASSWORD, role)
        db.session.commit()
        self.client = app.test_client()
        forget_cached_token()
        page = self.client.get("/manage/login")
        reply = self.client.post("/manage/login", data={
            "csrf_token": TOKEN.search(page.get_data(as_text=True)).group(1),
            "username": username, "password": PASSWORD})
        forget_cached_token()
        assert reply.status_code == 302, reply.get_data(as_text=True)

    def get(self, path: str, **kw):
        forget_cached_token()
        return self.client.get(path, **kw)

    def token(self, path: str) -> str:
        return TOKEN.search(self.get(path).get_data(as_text=True)).group(1)

    def post(self, path: str, data: dict, token_from: str | None = None):
        token = self.token(token_from or "/manage/")
        forget_cached_token()
        return self.client.post(path, data={"csrf_token": token, **data})


def forget_cached_token() -> None:
    """Drop what Flask-WTF and Flask-Login cache in ``g`` (token, "already checked", user).

    The ``ctx`` fixture keeps one app context open, which every test-client request then
    shares; ``g`` would hand out a token of another user's session (logins start a new
    one), let a later request skip its CSRF check, or keep the previous client's user.
    """
    for name in ("csrf_token", "csrf_valid", "_login_user"):
        g.pop(name, None)


@pytest.fixture
def setup(app, ctx, industrial):
    """An open survey owned by ``eva`` with a valid (A…) and a poor (D…) response."""
    eva = Evaluator(app, "eva")
    survey = make_survey(industrial)
    survey.owner_id = eva.user.id
    good = add_response(survey, survey.units[0], "A", keys={"Q1": "B"})
    poor = add_response(survey, survey.units[1], "D", keys={"Q1": "C"})
    db.session.commit()
    return eva, survey, good, poor


def base(survey) -> str:
    return f"/manage/surveys/{survey.id}/responses"


def test_list_shows_rows_counts_and_filters_kept_in_links(setup):
    eva, survey, good, poor = setup
    page = eva.get(base(survey))
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "答卷审核" in html and "甲公司" in html and "乙公司" in html and "纸质" in html
    assert "全部 2" in html and "有效 2" in html and "剔除 0" in html
    filtered = eva.get(f"{base(survey)}?unit={survey.units[1].id}&source=paper&from=2000-01-01&flag=&bogus=1")
    html = filtered.get_data(as_text=True)
    assert f"/responses/{poor.id}?" in html and f"/responses/{good.id}?" not in html
    # The detail link and the status tabs carry the filters, so a list can be shared and returned to.
    assert f"unit={survey.units[1].id}" in html and "from=2000-01-01" in html
    assert "有效 1" in html


@pytest.mark.parametrize("query", ["status=excluded", "flag=min_duration", "source=web", "from=2999-01-01",
                                   "to=2000-01-01", "unit=none"])
def test_each_filter_through_the_url_hides_the_rows(setup, query):
    eva, survey, _, _ = setup
    html = eva.get(f"{base(survey)}?{query}").get_data(as_text=True)
    assert "没有符合条件的答卷" in html


def test_detail_shows_answers_in_order_with_labels_and_metadata(setup):
    eva, survey, _, poor = setup
    html = eva.get(f"{base(survey)}/{poor.id}").get_data(as_text=True)
    assert html.index("您对专项资金政策的宣传和解读是否满意？") < html.index("您对申报指南内容的清晰程度是否满意？")
    assert "不太满意" in html and "不满意" in html and "乙公司" in html and "（未作答）" in html
    assert "剔除这份答卷" in html and 'name="csrf_token"' in html


def test_exclude_needs_a_reason(setup):
    eva, survey, _, poor = setup
    path = f"{base(survey)}/{poor.id}"
    reply = eva.post(f"{path}/exclude", {"reason": "  "}, token_from=path)
    assert reply.status_code == 400
    assert "请填写理由" in reply.get_data(as_text=True)
    db.session.refresh(poor)
    assert poor.status == "valid" and poor.decision is None
    assert db.session.scalar(sa.select(sa.func.count()).where(AuditEvent.action == "response.exclude")) == 0


def test_exclude_then_restore_changes_the_summary_and_is_audited(setup):
    eva, survey, _, poor = setup
    path = f"{base(survey)}/{poor.id}"
    before = build_summary(db.session, survey, statistics=False).to_json()
    reply = eva.post(f"{path}/exclude?status=valid", {"reason": "回访确认非本单位填写"}, token_from=path)
    assert reply.status_code == 303 and reply.headers["Location"].endswith(f"{path}?status=valid")
    db.session.expire_all()
    after = build_summary(db.session, survey, statistics=False).to_json()
    assert (before["responses"]["used"], after["responses"]["used"]) == (2, 1)
    assert after["composite"] > before["composite"]
    page = eva.get(path).get_data(as_text=True)
    assert "回访确认非本单位填写" in page and "eva" in page and "恢复为有效" in page
    event = db.session.scalars(sa.select(AuditEvent).where(AuditEvent.action == "response.exclude")).one()
    assert (event.actor, event.before["status"], event.after["status"]) == ("user:eva", "valid", "excluded")

    assert eva.post(f"{path}/restore", {"reason": "复核后恢复"}, token_from=path).status_code == 303
    db.session.expire_all()
    assert build_summary(db.session, survey, statistics=False).to_json()["composite"] == before["composite"]
    assert db.session.scalars(sa.select(AuditEvent).where(AuditEvent.action == "response.restore")).one().after[
        "status"] == "valid"


def test_decision_post_without_csrf_is_refused(setup):
    eva, survey, _, poor = setup
    forget_cached_token()
    reply = eva.client.post(f"{base(survey)}/{poor.id}/exclude", data={"reason": "无令牌"})
    assert reply.status_code == 400
    db.session.refresh(poor)
    assert poor.status == "valid"


def paper_values(industrial, unit_id, **changes) -> dict:
    data = {f"q_{k}": v for k, v in all_satisfied(industrial).items()}
    data["unit"] = str(unit_id)
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def test_paper_entry_missing_answer_comes_back_with_everything_kept(setup, industrial):
    eva, survey, _, _ = setup
    path = f"{base(survey)}/paper"
    data = paper_values(industrial, survey.units[0].id, q_Q4=None, q_Q2="C", q_Q2R="申报材料太多<b>")
    reply = eva.post(path, data, token_from=path)
    html = reply.get_data(as_text=True)
    assert reply.status_code == 422
    assert "请回答此题" in html and 'href="#q-Q4"' in html
    assert "申报材料太多&lt;b&gt;" in html  # the typed text is kept (and escaped)
    assert re.search(r'name="q_Q2" value="C" checked', html)
    assert re.search(rf'<option selected value="{survey.units[0].id}"|value="{survey.units[0].id}" selected', html)
    assert count(Response) == 2


def test_paper_entry_without_unit_reports_it_with_the_answers(setup, industrial):
    eva, survey, _, _ = setup
    path = f"{base(survey)}/paper"
    reply = eva.post(path, paper_values(industrial, "", q_Q4=None), token_from=path)
    html = reply.get_data(as_text=True)
    assert reply.status_code == 422 and "请选择这份问卷的填写单位" in html and "请回答此题" in html
    assert count(Response) == 2


def test_paper_entry_success_is_stored_as_paper(setup, industrial):
    eva, survey, _, _ = setup
    path = f"{base(survey)}/paper"
    reply = eva.post(path, paper_values(industrial, survey.units[1].id, q_S1="建议简化流程"), token_from=path)
    assert reply.status_code == 303 and reply.headers["Location"].endswith(f"{path}?unit={survey.units[1].id}")
    response = db.session.scalars(sa.select(Response).order_by(Response.id.desc())).first()
    assert (response.source, response.unit_id, response.started_at) == ("paper", survey.units[1].id, None)
    assert "已保存纸质问卷" in eva.get(reply.headers["Location"]).get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count()).where(AuditEvent.action == "response.paper")) == 1


def test_paper_entry_strips_nul_instead_of_losing_the_questionnaire(setup, industrial):
    """Paper entry is exempt from the input guard's 400 (``CLEANS_OWN_FORM``): it cleans the text itself."""
    eva, survey, _, _ = setup
    path = f"{base(survey)}/paper"
    reply = eva.post(path, paper_values(industrial, survey.units[1].id, q_S1="建议\x00简化流程"), token_from=path)
    assert reply.status_code == 303
    response = db.session.scalars(sa.select(Response).order_by(Response.id.desc())).first()
    assert [a.text_value for a in response.answers if a.question_id == "S1"] == ["建议简化流程"]


def test_paper_entry_with_a_stale_token_keeps_the_answers(setup, industrial):
    eva, survey, _, _ = setup
    path = f"{base(survey)}/paper"
    forget_cached_token()
    reply = eva.client.post(path, data={**paper_values(industrial, survey.units[0].id, q_S1="保留我"),
                                        "csrf_token": "stale"})
    html = reply.get_data(as_text=True)
    assert reply.status_code == 400 and "页面已过期" in html and "保留我" in html
    assert count(Response) == 2


def test_paper_entry_closed_after_closing(setup, industrial):
    eva, survey, _, _ = setup
    path = f"{base(survey)}/paper"
    token = eva.token(path)
    close_survey(db.session, survey)
    db.session.commit()
    page = eva.get(path)
    assert page.status_code == 200 and "调查已结束" in page.get_data(as_text=True)
    forget_cached_token()
    reply = eva.client.post(path, data={**paper_values(industrial, survey.units[0].id), "csrf_token": token})
    assert reply.status_code == 409 and count(Response) == 2
    assert "不能再录入纸质问卷" in eva.get(base(survey)).get_data(as_text=True)


def test_viewer_reads_without_controls_and_is_refused_on_posts(app, setup, industrial):
    _, survey, _, poor = setup
    viewer = Evaluator(app, "finance", role="viewer")
    grant(db.session, survey, viewer.user, "viewer")
    db.session.commit()
    detail = viewer.get(f"{base(survey)}/{poor.id}")
    listing = viewer.get(base(survey))
    assert detail.status_code == listing.status_code == 200
    assert "剔除这份答卷" not in detail.get_data(as_text=True)
    assert "录入纸质问卷" not in listing.get_data(as_text=True)
    for action in ("exclude", "restore"):
        assert viewer.post(f"{base(survey)}/{poor.id}/{action}", {"reason": "试图修改"}).status_code == 403
    assert viewer.get(f"{base(survey)}/paper").status_code == 403
    assert viewer.post(f"{base(survey)}/paper", paper_values(industrial, survey.units[0].id)).status_code == 403
    db.session.refresh(poor)
    assert poor.status == "valid" and count(Response) == 2


def test_non_members_and_foreign_ids_get_404(app, setup, industrial):
    _, survey, _, poor = setup
    stranger = Evaluator(app, "other")
    for path in (base(survey), f"{base(survey)}/{poor.id}", f"{base(survey)}/paper"):
        assert stranger.get(path).status_code == 404
    assert stranger.post(f"{base(survey)}/{poor.id}/exclude", {"reason": "x"}).status_code == 404
    forget_cached_token()
    assert app.test_client().get(base(survey)).status_code == 302  # anonymous → login
    other_survey = make_survey(industrial, name="另一个调查")
    other_survey.owner_id = stranger.user.id
    db.session.commit()
    assert stranger.get(f"/manage/surveys/{other_survey.id}/responses/{poor.id}").status_code == 404


def test_payloads_in_unit_names_and_open_answers_render_escaped(setup, industrial):
    eva, survey, _, _ = setup
    survey.units[0].name = XSS
    response = add_response(survey, survey.units[0], "C")
    from survey_app.models import Answer

    db.session.add(Answer(response=response, survey_id=survey.id, question_id="Q1R", text_value=XSS))
    db.session.add(Answer(response=response, survey_id=survey.id, question_id="S1", text_value=XSS))
    outsider = add_response(survey, None, "A")
    outsider.unit_name_given = XSS
    db.session.commit()
    for path in (base(survey), f"{base(survey)}/{response.id}", f"{base(survey)}/{outsider.id}",
                 f"{base(survey)}?unit={survey.units[0].id}", f"{base(survey)}/paper"):
        html = eva.get(path).get_data(as_text=True)
        assert XSS not in html, path
        assert "&lt;script&gt;" in html, path

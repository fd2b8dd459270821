"""Add, edit and remove units by hand; who may do it; escaping of unit names."""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa
import support
from support import add_response, make_survey

from survey_app.domain.credit_code import check_character
from survey_app.extensions import db
from survey_app.models import AuditEvent, Response, Survey, Unit
from survey_app.services.access import grant
from survey_app.services.accounts import create_user

PASSWORD = "password-123456"
TOKEN = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
XSS = "<script>alert(1)</script>"
CODE = "91140500MA0K12345"
CODE += check_character(CODE)



def login(client, username: str) -> None:
    assert support.login(client, username, PASSWORD).status_code == 302


def csrf(client, path: str = "/manage/") -> str:
    return TOKEN.search(client.get(path).get_data(as_text=True)).group(1)


@pytest.fixture
def ids(app, industrial):
    """An open survey owned by ``eva`` with units 甲公司 (one response) and the XSS-named one; viewer ``fin``."""
    with app.app_context():
        eva = create_user(db.session, "eva", PASSWORD, "evaluator")
        fin = create_user(db.session, "fin", PASSWORD, "viewer")
        create_user(db.session, "other", PASSWORD, "evaluator")
        survey = make_survey(industrial, units=("甲公司", XSS))
        survey.owner_id = eva.id
        grant(db.session, survey, fin, "viewer")
        add_response(survey, survey.units[0], "A")
        db.session.commit()
        return {"survey": survey.id, "used": survey.units[0].id, "free": survey.units[1].id}


def as_user(app, username: str):
    client = app.test_client()
    login(client, username)
    return client


def unit_row(app, unit_id: int) -> dict | None:
    with app.app_context():
        unit = db.session.get(Unit, unit_id)
        return None if unit is None else {c: getattr(unit, c) for c in ("name", "credit_code", "min_valid", "attributes", "seq")}


def actions(app) -> list[str]:
    with app.app_context():
        return list(db.session.scalars(sa.select(AuditEvent.action).order_by(AuditEvent.id)))


def test_add_unit_with_attributes_and_checked_credit_code(app, ids):
    eva = as_user(app, "eva")
    path = f"/manage/surveys/{ids['survey']}/units/new"
    form = {"csrf_token": csrf(eva, path), "name": "丙公司", "county": "城区", "category": "企业", "min_valid": "6",
            "credit_code": CODE[:17] + ("0" if CODE[17] != "0" else "1"),
            "attributes-0-key": "申报专项", "attributes-0-value": "技术创新", "attributes-1-key": "", "attributes-1-value": ""}
    refused = eva.post(path, data=form)
    assert refused.status_code == 400 and "校验位不正确" in refused.get_data(as_text=True)
    form["credit_code"] = CODE.lower()
    assert eva.post(path, data=form).status_code == 302
    with app.app_context():
        unit = db.session.scalars(sa.select(Unit).where(Unit.name == "丙公司")).one()
        assert (unit.credit_code, unit.min_valid, unit.attributes, unit.seq) == (CODE, 6, {"申报专项": "技术创新"}, 3)
    assert actions(app)[-1] == "unit.add"


def test_edit_unit_records_only_what_changed(app, ids):
    eva = as_user(app, "eva")
    path = f"/manage/surveys/{ids['survey']}/units/{ids['used']}/edit"
    page = eva.get(path).get_data(as_text=True)
    assert 'value="甲公司"' in page
    reply = eva.post(path, data={"csrf_token": TOKEN.search(page).group(1), "seq": "1", "name": "甲公司（集团）",
                                 "county": "城区", "category": "企业", "min_valid": "9", "credit_code": ""})
    assert reply.status_code == 302
    assert unit_row(app, ids["used"])["name"] == "甲公司（集团）" and unit_row(app, ids["used"])["min_valid"] == 9
    with app.app_context():
        event = db.session.scalars(sa.select(AuditEvent).where(AuditEvent.action == "unit.edit")).one()
        assert event.before == {"id": ids["used"], "name": "甲公司", "min_valid": 5}
        assert event.after == {"id": ids["used"], "name": "甲公司（集团）", "min_valid": 9}
        assert "token" not in str(event.after)


def test_unit_with_responses_cannot_be_removed(app, ids):
    eva = as_user(app, "eva")
    listing = eva.get(f"/manage/surveys/{ids['survey']}/units").get_data(as_text=True)
    assert "有答卷，不能删除" in listing and "已有答卷的单位不能删除" in listing
    reply = eva.post(f"/manage/surveys/{ids['survey']}/units/{ids['used']}/delete", data={"csrf_token": csrf(eva)})
    assert reply.status_code == 409 and "不能删除" in reply.get_data(as_text=True)
    assert unit_row(app, ids["used"]) is not None
    with app.app_context():
        assert db.session.scalars(sa.select(Response.unit_id)).one() == ids["used"]
    assert "unit.delete" not in actions(app)


def test_unit_without_responses_is_removed_and_audited(app, ids):
    eva = as_user(app, "eva")
    reply = eva.post(f"/manage/surveys/{ids['survey']}/units/{ids['free']}/delete", data={"csrf_token": csrf(eva)})
    assert reply.status_code == 302
    assert unit_row(app, ids["free"]) is None
    with app.app_context():
        event = db.session.scalars(sa.select(AuditEvent).where(AuditEvent.action == "unit.delete")).one()
        assert event.before["name"] == XSS and "token" not in event.before


def test_changes_need_csrf(app, ids):
    eva = as_user(app, "eva")
    base = f"/manage/surveys/{ids['survey']}/units"
    assert eva.post(f"{base}/{ids['free']}/delete").status_code == 400
    assert eva.post(f"{base}/new", data={"name": "丁公司", "min_valid": "5"}).status_code == 400
    assert unit_row(app, ids["free"]) is not None
    assert not [a for a in actions(app) if a.startswith("unit")]


def test_viewer_sees_the_list_read_only_and_cannot_change_it(app, ids):
    fin = as_user(app, "fin")
    base = f"/manage/surveys/{ids['survey']}/units"
    listing = fin.get(base)
    html = listing.get_data(as_text=True)
    assert listing.status_code == 200 and "甲公司" in html
    assert "导入名单" not in html and "/units/new" not in html
    assert f"/units/{ids['free']}/edit" not in html and "/delete" not in html
    token = csrf(fin)
    assert fin.get(f"{base}/new").status_code == 403
    assert fin.post(f"{base}/new", data={"csrf_token": token, "name": "丁公司", "min_valid": "5"}).status_code == 403
    assert fin.get(f"{base}/{ids['free']}/edit").status_code == 403
    assert fin.post(f"{base}/{ids['free']}/edit", data={"csrf_token": token, "name": "x", "min_valid": "1"}).status_code == 403
    assert fin.post(f"{base}/{ids['free']}/delete", data={"csrf_token": token}).status_code == 403
    assert unit_row(app, ids["free"])["name"] == XSS and not [a for a in actions(app) if a.startswith("unit")]


def test_non_member_gets_404_everywhere(app, ids):
    other = as_user(app, "other")
    base = f"/manage/surveys/{ids['survey']}/units"
    token = csrf(other)
    for path in (base, f"{base}/new", f"{base}/{ids['free']}/edit", f"{base}/import"):
        assert other.get(path).status_code == 404, path
    assert other.post(f"{base}/{ids['free']}/delete", data={"csrf_token": token}).status_code == 404


def test_unit_of_another_survey_is_404(app, ids, industrial):
    with app.app_context():
        foreign = make_survey(industrial, units=("外单位",), name="另一调查")
        foreign_unit = foreign.units[0].id
    eva = as_user(app, "eva")
    assert eva.get(f"/manage/surveys/{ids['survey']}/units/{foreign_unit}/edit").status_code == 404
    assert eva.post(f"/manage/surveys/{ids['survey']}/units/{foreign_unit}/delete",
                    data={"csrf_token": csrf(eva)}).status_code == 404


def test_script_in_unit_name_is_escaped_on_unit_pages(app, ids):
    eva = as_user(app, "eva")
    with app.app_context():
        db.session.get(Unit, ids["free"]).attributes = {XSS: XSS}
        db.session.get(Survey, ids["survey"])
        db.session.commit()
    for path in (f"/manage/surveys/{ids['survey']}/units", f"/manage/surveys/{ids['survey']}/units/{ids['free']}/edit"):
        html = eva.get(path).get_data(as_text=True)
        assert XSS not in html, path
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html, path


def test_attribute_rows_need_distinct_names(app, ids):
    eva = as_user(app, "eva")
    path = f"/manage/surveys/{ids['survey']}/units/{ids['free']}/edit"
    form = {"csrf_token": csrf(eva, path), "name": "乙公司", "min_valid": "5",
            "attributes-0-key": "专项", "attributes-0-value": "甲", "attributes-1-key": "专项", "attributes-1-value": "乙"}
    reply = eva.post(path, data=form)
    assert reply.status_code == 400 and "属性名称不能重复" in reply.get_data(as_text=True)
    form.update({"attributes-1-key": "", "attributes-1-value": "乙"})
    assert "有内容的属性必须填写名称" in eva.post(path, data=form).get_data(as_text=True)
    form.update({"attributes-1-key": "方向"})
    assert eva.post(path, data=form).status_code == 302
    assert unit_row(app, ids["free"])["attributes"] == {"专项": "甲", "方向": "乙"}

"""Unit-list import through the browser flow: upload → column mapping with report → confirm."""

from __future__ import annotations

import io
import re
import shutil
from pathlib import Path

import pandas as pd
import pytest
import sqlalchemy as sa
import support
from support import count, make_survey

from survey_app.domain.credit_code import check_character
from survey_app.extensions import db
from survey_app.models import AuditEvent, Survey, Unit
from survey_app.services.access import grant
from survey_app.services.accounts import create_user

#: The real Jincheng 2024 unit list, as it ships with the demo.
EXAMPLE = Path(__file__).resolve().parents[2] / "survey_app" / "demo_data" / "units_jincheng_2024.csv"
PASSWORD = "password-123456"
TOKEN = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
CHECKED = re.compile(r'name="checked" value="([^"]+)"')
SELECT = re.compile(r'<select name="(col_\d+)"[^>]*>(.*?)</select>', re.DOTALL)
GOOD_CODE = "91140500MA0K1234" + "5"
GOOD_CODE = GOOD_CODE[:17] + check_character(GOOD_CODE[:17])
BAD_CODE = GOOD_CODE[:17] + ("0" if GOOD_CODE[17] != "0" else "1")



def login(client, username: str) -> None:
    assert support.login(client, username, PASSWORD).status_code == 302


def csrf(client, path: str) -> str:
    return TOKEN.search(client.get(path).get_data(as_text=True)).group(1)


@pytest.fixture
def survey_id(app, industrial, tmp_path, monkeypatch):
    """A draft survey owned by evaluator ``eva``, without units.

    Requests run without an outer app context: one shared across requests would keep
    Flask-WTF's cached CSRF token in ``g`` after login clears the session.
    """
    monkeypatch.setitem(app.config, "UNIT_UPLOAD_FOLDER", str(tmp_path / "uploads"))
    with app.app_context():
        eva = create_user(db.session, "eva", PASSWORD, "evaluator")
        survey = make_survey(industrial, units=(), status="draft")
        survey.owner_id = eva.id
        db.session.commit()
        return survey.id


@pytest.fixture
def eva(client, survey_id):
    login(client, "eva")
    return client


def upload(client, survey_id: int, name: str, data: bytes):
    base = f"/manage/surveys/{survey_id}/units/import"
    return client.post(base, data={"csrf_token": csrf(client, base), "file": (io.BytesIO(data), name)},
                       content_type="multipart/form-data")


def mapping_page(client, survey_id: int, name: str, data: bytes) -> tuple[str, str]:
    """Upload and follow to step 2; return (its path, its HTML)."""
    reply = upload(client, survey_id, name, data)
    assert reply.status_code == 302, reply.get_data(as_text=True)
    path = reply.headers["Location"]
    page = client.get(path)
    assert page.status_code == 200
    return path, page.get_data(as_text=True)


def confirm(client, path: str, html: str, **extra):
    form = {"csrf_token": TOKEN.search(html).group(1), "checked": CHECKED.search(html).group(1), "action": "confirm"}
    form.update(mapping_of(html))
    form.update(extra)
    return client.post(path, data=form)


def mapping_of(html: str) -> dict[str, str]:
    """The selected target of every column select on the mapping page."""
    return {name: re.search(r'<option value="(\w+)" selected', options).group(1) for name, options in SELECT.findall(html)}


def units_in_db(app, survey_id: int) -> list[dict]:
    with app.app_context():
        units = db.session.scalars(sa.select(Unit).where(Unit.survey_id == survey_id).order_by(Unit.seq, Unit.id))
        return [{c: getattr(u, c) for c in ("name", "county", "category", "seq", "min_valid", "credit_code", "attributes")}
                for u in units]


def unit_count(app) -> int:
    with app.app_context():
        return count(Unit)


@pytest.mark.parametrize(("choice", "expected"), [("merge", 28), ("keep", 29)])
def test_example_file_mapping_flow(app, eva, survey_id, tmp_path, choice, expected):
    copy = tmp_path / "units.csv"
    shutil.copy(EXAMPLE, copy)
    path, html = mapping_page(eva, survey_id, "units.csv", copy.read_bytes())
    # Step 2: recognised columns, a preview of the first rows, the duplicate named with its lines.
    assert mapping_of(html) == {"col_0": "seq", "col_1": "category", "col_2": "county", "col_3": "name",
                                "col_4": "attribute", "col_5": "attribute", "col_6": "attribute"}
    assert "晋城海斯制药有限公司" in html and 'value="merge"' in html
    assert "第12、15行：山西建投晋东南建筑产业有限公司" in html
    assert unit_count(app) == 0  # nothing is written before the evaluator confirms

    refused = confirm(eva, path, html)  # duplicates found, no choice made
    assert refused.status_code == 422 and "合并为一个单位" in refused.get_data(as_text=True)
    assert unit_count(app) == 0

    done = confirm(eva, path, html, duplicates=choice)
    assert done.status_code == 302
    units = units_in_db(app, survey_id)
    assert len(units) == expected
    first = units[0]
    fields = ("name", "county", "category", "seq", "min_valid")
    assert [first[k] for k in fields] == ["晋城海斯制药有限公司", "城区", "企业", 1, 5]
    assert first["attributes"] == {"申报专项": "技术创新牵引专项", "申报方向": "产品研发创新奖励", "奖励金额（万元）": "30"}
    if choice == "merge":
        merged = next(u for u in units if u["name"] == "山西建投晋东南建筑产业有限公司")
        assert merged["attributes"]["申报专项"] == "数字化智能化改造专项；绿色低碳转型专项"
    with app.app_context():
        after = db.session.scalars(sa.select(AuditEvent.after).where(AuditEvent.action == "units.import")).one()
    assert after["imported"] == expected and after["rows"] == 29 and after["duplicates"] == choice
    assert eva.get(path).status_code == 302  # the upload is gone once imported


def test_gbk_file_with_title_row_and_credit_codes(app, eva, survey_id):
    text = f"附件1：受益单位名单\n序号,企业名称,统一社会信用代码,最少有效份数\n1,甲公司,{GOOD_CODE},8\n2,乙公司,,\n"
    path, html = mapping_page(eva, survey_id, "名单.csv", text.encode("gbk"))
    assert "表头在第 2 行" in html and "甲公司" in html
    assert confirm(eva, path, html).status_code == 302
    units = units_in_db(app, survey_id)
    assert [(u["name"], u["credit_code"], u["min_valid"]) for u in units] == [("甲公司", GOOD_CODE, 8), ("乙公司", None, 5)]


def test_xlsx_file_is_read(app, eva, survey_id):
    out = io.BytesIO()
    pd.DataFrame({"单位名称": ["甲公司", "乙公司"], "类别": ["企业", "专业镇"]}).to_excel(out, index=False)
    path, html = mapping_page(eva, survey_id, "units.xlsx", out.getvalue())
    assert confirm(eva, path, html).status_code == 302
    assert [(u["name"], u["category"]) for u in units_in_db(app, survey_id)] == [("甲公司", "企业"), ("乙公司", "专业镇")]


def test_wrong_credit_code_and_missing_name_are_refused_with_their_rows(app, eva, survey_id):
    text = f"单位名称,统一社会信用代码,最少有效份数\n甲公司,{BAD_CODE},5\n,{GOOD_CODE},5\n丙公司,,很多\n"
    path, html = mapping_page(eva, survey_id, "bad.csv", text.encode())
    assert f"第2行：统一社会信用代码“{BAD_CODE}”校验位不正确" in html
    assert "第3行：缺少单位名称" in html and "第4行：最少有效份数“很多”" in html
    assert 'value="confirm"' not in html  # no confirm button while problems remain
    refused = confirm(eva, path, html)
    assert refused.status_code == 422 and "第2行" in refused.get_data(as_text=True)
    assert unit_count(app) == 0


def test_changed_mapping_must_be_checked_before_confirming(app, eva, survey_id):
    text = "单位名称,备注\n甲公司,类别甲\n"
    path, html = mapping_page(eva, survey_id, "u.csv", text.encode())
    reply = confirm(eva, path, html, col_1="category")
    assert reply.status_code == 409 and unit_count(app) == 0
    again = reply.get_data(as_text=True)
    assert mapping_of(again)["col_1"] == "category"
    assert confirm(eva, path, again).status_code == 302
    assert units_in_db(app, survey_id)[0]["category"] == "类别甲"


def test_header_kept_as_attribute_and_ignored_columns(app, eva, survey_id):
    text = "单位名称,类别,序号\n甲公司,企业,7\n"
    path, html = mapping_page(eva, survey_id, "u.csv", text.encode())
    page = eva.post(path, data={"csrf_token": TOKEN.search(html).group(1), "col_0": "name", "col_1": "attribute",
                                "col_2": "ignore", "action": "check"}).get_data(as_text=True)
    assert confirm(eva, path, page).status_code == 302
    unit = units_in_db(app, survey_id)[0]
    assert (unit["category"], unit["attributes"], unit["seq"]) == ("", {"类别": "企业"}, 1)


@pytest.mark.parametrize(("name", "data", "status", "message"), [
    ("empty.csv", b"", 400, "是空的"),
    ("header.csv", "单位名称,类别\n".encode(), 400, "没有单位数据"),
    ("old.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100, 400, ".xls"),
    ("broken.xlsx", b"PK\x03\x04not really a zip", 400, "无法读取"),
    ("binary.csv", bytes(range(256)) * 8, 400, "无法读取"),
    ("huge.csv", "单位名称\n".encode() + b"x" * (3 * 1024 * 1024), 413, "超过 2 MB"),
])
def test_unusable_files_are_refused_in_chinese(app, eva, survey_id, name, data, status, message):
    reply = upload(eva, survey_id, name, data)
    assert reply.status_code == status
    assert message in reply.get_data(as_text=True)
    assert unit_count(app) == 0


def test_upload_and_confirm_need_csrf(app, eva, survey_id):
    base = f"/manage/surveys/{survey_id}/units/import"
    no_token = eva.post(base, data={"file": (io.BytesIO(EXAMPLE.read_bytes()), "u.csv")}, content_type="multipart/form-data")
    assert no_token.status_code == 400 and "页面已过期" in no_token.get_data(as_text=True)
    path, html = mapping_page(eva, survey_id, "u.csv", EXAMPLE.read_bytes())
    forged = eva.post(path, data={"checked": CHECKED.search(html).group(1), "action": "confirm", "duplicates": "keep"})
    assert forged.status_code == 400 and unit_count(app) == 0


def test_viewer_gets_403_and_stranger_404_and_uploads_are_private(app, eva, survey_id):
    path, _ = mapping_page(eva, survey_id, "u.csv", EXAMPLE.read_bytes())
    with app.app_context():
        viewer = create_user(db.session, "fin", PASSWORD, "viewer")
        create_user(db.session, "other", PASSWORD, "evaluator")
        grant(db.session, db.session.get(Survey, survey_id), viewer, "viewer")
        db.session.commit()
    for username, status in (("fin", 403), ("other", 404)):
        client = app.test_client()
        login(client, username)
        token = csrf(client, "/manage/")
        assert client.get(f"/manage/surveys/{survey_id}/units/import").status_code == status
        assert client.post(f"/manage/surveys/{survey_id}/units/import", data={"csrf_token": token}).status_code == status
        assert client.post(path, data={"csrf_token": token, "action": "confirm"}).status_code == status
    assert unit_count(app) == 0


def test_script_in_file_is_escaped_on_import_pages(app, eva, survey_id):
    xss = "<script>alert(1)</script>"
    path, html = mapping_page(eva, survey_id, f"{xss}.csv", f"单位名称,{xss}\n{xss},{xss}\n".encode())
    assert xss not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    listing = eva.get(confirm(eva, path, html).headers["Location"]).get_data(as_text=True)
    assert xss not in listing and "&lt;script&gt;alert(1)&lt;/script&gt;" in listing
    assert units_in_db(app, survey_id)[0]["attributes"] == {xss: xss}


def test_second_list_is_appended_after_existing_units(app, eva, survey_id):
    for text in ("序号,单位名称\n1,甲公司\n2,乙公司\n", "序号,单位名称\n1,丙公司\n"):
        path, html = mapping_page(eva, survey_id, "u.csv", text.encode())
        assert confirm(eva, path, html).status_code == 302
    assert [(u["seq"], u["name"]) for u in units_in_db(app, survey_id)] == [(1, "甲公司"), (2, "乙公司"), (3, "丙公司")]
    path, html = mapping_page(eva, survey_id, "u.csv", "单位名称\n甲公司\n".encode())
    assert "已在本调查的名单中" in html and "甲公司" in html

"""Distribution: QR codes, the printable sheet (.html and .docx), the links CSV, replacing a link."""

from __future__ import annotations

import csv
import io
import re

import docx
import pytest
import segno
import sqlalchemy as sa
import support
from support import make_survey

from survey_app.extensions import db
from survey_app.models import AuditEvent, Survey, Unit
from survey_app.services.access import grant
from survey_app.services.accounts import create_user

PASSWORD = "password-123456"
TOKEN = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
XSS = "<script>alert(1)</script>"
BASE = "https://survey.example.gov.cn"

def login(client, username: str) -> None:
    assert support.login(client, username, PASSWORD).status_code == 302


def as_user(app, username: str):
    client = app.test_client()
    login(client, username)
    return client


def csrf(client, path: str = "/manage/") -> str:
    return TOKEN.search(client.get(path).get_data(as_text=True)).group(1)


@pytest.fixture
def ids(app, industrial, monkeypatch):
    """An open survey owned by ``eva`` with three units (one named like an attack); viewer ``fin``; ``other``."""
    monkeypatch.setitem(app.config, "PUBLIC_BASE_URL", BASE)
    with app.app_context():
        eva = create_user(db.session, "eva", PASSWORD, "evaluator")
        fin = create_user(db.session, "fin", PASSWORD, "viewer")
        create_user(db.session, "other", PASSWORD, "evaluator")
        survey = make_survey(industrial, units=("甲公司", "乙公司", XSS))
        survey.owner_id = eva.id
        grant(db.session, survey, fin, "viewer")
        db.session.commit()
        return {"survey": survey.id, "units": [u.id for u in survey.units], "tokens": [u.token for u in survey.units],
                "open": survey.open_token}


def url(ids, tail: str) -> str:
    return f"/manage/surveys/{ids['survey']}{tail}"


def test_unit_qr_codes_encode_the_public_link(app, ids):
    eva = as_user(app, "eva")
    link = f"{BASE}/s/{ids['tokens'][0]}"
    expected = segno.make(link, error="m", micro=False)
    svg = eva.get(url(ids, f"/units/{ids['units'][0]}/qr.svg"))
    assert svg.status_code == 200 and svg.mimetype == "image/svg+xml"
    text = svg.get_data(as_text=True)
    size = expected.symbol_size(scale=4, border=4)[0]
    assert "<svg" in text and f'width="{size}"' in text
    png = eva.get(url(ids, f"/units/{ids['units'][0]}/qr.png"))
    data = png.get_data()
    assert png.status_code == 200 and png.mimetype == "image/png" and data.startswith(b"\x89PNG\r\n\x1a\n")
    width = int.from_bytes(data[16:20], "big")  # IHDR width: (modules + 2 × border) × scale
    assert width == expected.symbol_size(scale=8, border=4)[0]
    assert "no-store" in png.headers["Cache-Control"]
    open_svg = eva.get(url(ids, "/distribution/open.svg")).get_data(as_text=True)
    open_size = segno.make(f"{BASE}/o/{ids['open']}", error="m").symbol_size(scale=4, border=4)[0]
    assert f'width="{open_size}"' in open_svg


def test_distribution_page_lists_every_link(app, ids):
    html = as_user(app, "eva").get(url(ids, "/distribution")).get_data(as_text=True)
    for token in ids["tokens"]:
        assert f"{BASE}/s/{token}" in html
    assert f"{BASE}/o/{ids['open']}" in html and "打印分发单" in html


def test_printable_sheet_has_one_card_per_unit(app, ids):
    sheet = as_user(app, "eva").get(url(ids, "/distribution/sheet"))
    html = sheet.get_data(as_text=True)
    assert sheet.status_code == 200 and html.count('<article class="card">') == 3
    assert html.count("<svg") == 3 and "@page" in html and "最少有效份数：5 份" in html
    assert "http" not in html.split("<body>")[0].replace(BASE, "")  # no external assets


def test_docx_sheet_has_one_card_per_unit(app, ids):
    reply = as_user(app, "eva").get(url(ids, "/distribution/sheet.docx"))
    assert reply.status_code == 200 and reply.mimetype.endswith("wordprocessingml.document")
    document = docx.Document(io.BytesIO(reply.get_data()))
    cells = [cell for row in document.tables[0].rows for cell in row.cells if cell.text.strip()]
    assert len(cells) == 3
    assert len(document.inline_shapes) == 3
    texts = [cell.text for cell in cells]
    assert "甲公司" in texts[0] and f"{BASE}/s/{ids['tokens'][0]}" in texts[0] and "最少有效份数：5 份" in texts[0]
    assert XSS in texts[2]  # plain text in Word, nothing to execute


def test_links_csv_has_one_row_per_unit_with_bom(app, ids):
    reply = as_user(app, "eva").get(url(ids, "/distribution/links.csv"))
    data = reply.get_data()
    assert reply.status_code == 200 and data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert rows[0] == ["序号", "单位名称", "县（市、区）", "类别", "最少有效份数", "链接"]
    assert [row[5] for row in rows[1:]] == [f"{BASE}/s/{t}" for t in ids["tokens"]]
    with app.app_context():
        exports = db.session.scalars(sa.select(AuditEvent.after).where(AuditEvent.action == "export")).all()
        assert exports == [{"what": "unit_links", "format": "csv", "units": 3}]


def test_replace_token_revokes_the_old_link(app, ids, client):
    eva = as_user(app, "eva")
    old = ids["tokens"][1]
    path = url(ids, f"/units/{ids['units'][1]}/regenerate")
    confirm_page = eva.get(path)
    assert confirm_page.status_code == 200 and "立即失效" in confirm_page.get_data(as_text=True)
    assert eva.post(path).status_code == 400  # CSRF required
    assert client.get(f"/s/{old}").status_code == 200
    reply = eva.post(path, data={"csrf_token": TOKEN.search(confirm_page.get_data(as_text=True)).group(1)})
    assert reply.status_code == 302
    with app.app_context():
        new = db.session.get(Unit, ids["units"][1]).token
        event = db.session.scalars(sa.select(AuditEvent).where(AuditEvent.action == "unit.token")).one()
    assert new != old
    assert client.get(f"/s/{old}").status_code == 404
    assert client.get(f"/s/{new}").status_code == 200
    assert event.before["token"] == old[:6] and event.after["token"] == new[:6]
    assert old not in str(event.before) and new not in str(event.after)
    assert f"{BASE}/s/{new}" in eva.get(url(ids, "/distribution")).get_data(as_text=True)


def test_viewer_sees_open_link_only_and_cannot_revoke(app, ids):
    fin = as_user(app, "fin")
    page = fin.get(url(ids, "/distribution"))
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and f"/o/{ids['open']}" in html
    assert not any(token in html for token in ids["tokens"])
    assert fin.get(url(ids, "/distribution/open.png")).status_code == 200
    unit = ids["units"][0]
    for tail in (f"/units/{unit}/qr.svg", f"/units/{unit}/qr.png", "/distribution/sheet", "/distribution/sheet.docx",
                 "/distribution/links.csv", f"/units/{unit}/regenerate"):
        assert fin.get(url(ids, tail)).status_code == 403, tail
    assert fin.post(url(ids, f"/units/{unit}/regenerate"), data={"csrf_token": csrf(fin)}).status_code == 403
    with app.app_context():
        assert db.session.get(Unit, unit).token == ids["tokens"][0]


def test_non_member_gets_404(app, ids):
    other = as_user(app, "other")
    unit = ids["units"][0]
    for tail in ("/distribution", "/distribution/open.svg", f"/units/{unit}/qr.png", "/distribution/sheet",
                 "/distribution/sheet.docx", "/distribution/links.csv", f"/units/{unit}/regenerate"):
        assert other.get(url(ids, tail)).status_code == 404, tail
    assert other.post(url(ids, f"/units/{unit}/regenerate"), data={"csrf_token": csrf(other)}).status_code == 404


def test_unit_of_another_survey_is_404(app, ids, industrial):
    with app.app_context():
        foreign = make_survey(industrial, units=("外单位",), name="另一调查").units[0].id
    eva = as_user(app, "eva")
    assert eva.get(url(ids, f"/units/{foreign}/qr.svg")).status_code == 404
    assert eva.post(url(ids, f"/units/{foreign}/regenerate"), data={"csrf_token": csrf(eva)}).status_code == 404


def test_script_in_unit_name_is_escaped_on_distribution_pages(app, ids):
    eva = as_user(app, "eva")
    with app.app_context():
        db.session.get(Survey, ids["survey"]).name = XSS
        db.session.commit()
    for tail in ("/distribution", "/distribution/sheet", f"/units/{ids['units'][2]}/regenerate"):
        html = eva.get(url(ids, tail)).get_data(as_text=True)
        assert XSS not in html, tail
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html, tail


def test_cards_carry_survey_deadline_and_contact_and_a_command_writes_the_sheet(app, ids, tmp_path):
    from datetime import datetime

    from survey_app.services.report_settings import update_report_settings

    with app.app_context():
        survey = db.session.get(Survey, ids["survey"])
        survey.closes_at = datetime(2025, 3, 31, 9, 0)  # UTC → 17:00 in Beijing
        update_report_settings(db.session, survey, {"contact": "市工信局 张三 0356-1234567"}, "test")
        db.session.commit()
    html = as_user(app, "eva").get(url(ids, "/distribution/sheet")).get_data(as_text=True)
    assert html.count("填写截止：2025年3月31日 17:00") == 3 and html.count("联系人：市工信局 张三 0356-1234567") == 3
    document = docx.Document(io.BytesIO(as_user(app, "eva").get(url(ids, "/distribution/sheet.docx")).get_data()))
    first = document.tables[0].rows[0].cells[0].text
    assert "测试调查" in first and "填写截止：2025年3月31日 17:00" in first and "联系人：市工信局 张三" in first
    target = tmp_path / "sheet.docx"
    with app.app_context():
        result = app.test_cli_runner().invoke(args=["survey", "sheet", str(ids["survey"]), "-o", str(target)])
    assert result.exit_code == 0, result.output
    cards = [c.text for row in docx.Document(target).tables[0].rows for c in row.cells if c.text.strip()]
    assert len(cards) == 3 and f"{BASE}/s/{ids['tokens'][1]}" in cards[1]
    with app.app_context():
        formats = db.session.scalars(sa.select(AuditEvent.after).where(AuditEvent.action == "export")
                                     .order_by(AuditEvent.id)).all()
        assert [f["format"] for f in formats] == ["html", "docx", "docx"]

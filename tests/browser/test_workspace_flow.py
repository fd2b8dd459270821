"""The evaluator workspace end to end in Chromium: an evaluator logs in, creates a survey from the bank,
imports the example unit file through the mapping step, opens the survey and downloads the
distribution sheet; then a respondent answers through one unit's link on a phone.
Screenshots of each step are kept in test-artifacts/browser/.
"""

from __future__ import annotations

import re
from pathlib import Path

import sqlalchemy as sa
from browser.conftest import CHROMIUM_ARGS  # noqa: F401 - same flags as the other browser tests
from browser.test_answer_on_phone import BASE_ANSWERS, answer, submit
from docx import Document
from playwright.sync_api import expect
from support import make_user

from survey_app.extensions import db
from survey_app.models import Response, Survey, Unit

EXAMPLE = Path(__file__).resolve().parents[2] / "survey_app" / "demo_data" / "units_jincheng_2024.csv"


def test_evaluator_sets_up_and_distributes_then_a_unit_answers(app, ctx, live_server, browser, phone, industrial,
                                                                screenshot, outside_requests, tmp_path):
    make_user("eva")
    desk = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN", accept_downloads=True)
    desk.set_default_timeout(15_000)
    page = desk.new_page()
    page.on("dialog", lambda dialog: dialog.accept())  # "开放后问卷题目将固定，确定开放吗？"

    page.goto(f"{live_server}/manage/")
    page.get_by_label("用户名").fill("eva")
    page.get_by_label("密码").fill("password-123456")
    page.get_by_role("button", name="登录").click()
    expect(page.get_by_role("heading", name="我的调查")).to_be_visible()

    page.get_by_role("link", name="新建调查").click()
    page.get_by_label("题库", exact=True).select_option("builtin:industrial_fund.yaml")
    page.get_by_label("调查名称").fill("2024年度工业转型专项资金受益对象满意度调查")
    page.get_by_label("项目名称").fill("2024年度晋城市工业转型专项资金项目")
    page.get_by_label("指标编号").fill("D41")
    page.get_by_label("指标名称").fill("奖补对象满意度")
    page.get_by_label("指标分值").fill("6")
    page.get_by_role("button", name="保存").click()
    expect(page.get_by_text("调查已创建")).to_be_visible()
    screenshot(page, "1-created")

    page.get_by_role("link", name="单位名单").first.click()
    page.get_by_role("link", name=re.compile("导入名单")).click()
    page.locator('input[type="file"]').set_input_files(str(EXAMPLE))
    page.locator('form button[type="submit"], form input[type="submit"]').last.click()
    expect(page.get_by_role("button", name="确认导入")).to_be_visible()
    page.locator('input[name="duplicates"][value="merge"]').check()
    screenshot(page, "2-mapping")
    page.get_by_role("button", name="确认导入").click()
    survey_id = db.session.scalars(sa.select(Survey.id)).one()
    assert db.session.scalar(sa.select(sa.func.count()).where(Unit.survey_id == survey_id)) == 28
    screenshot(page, "3-units")

    page.goto(f"{live_server}/manage/surveys/{survey_id}")
    page.get_by_role("button", name="开放调查").click()
    expect(page.get_by_text("调查已开放")).to_be_visible()
    page.get_by_role("link", name="问卷分发").first.click()
    with page.expect_download() as download:
        page.get_by_role("link", name="下载分发单（Word）").click()
    sheet = tmp_path / "sheet.docx"
    download.value.save_as(sheet)
    cards = Document(sheet)
    assert "晋城海斯制药有限公司" in "\n".join(cell.text for t in cards.tables for row in t.rows for cell in row.cells)
    screenshot(page, "4-distribution")

    token = db.session.scalars(sa.select(Unit.token).where(Unit.name == "晋城海斯制药有限公司")).one()
    phone.goto(f"{live_server}/s/{token}")
    expect(phone.get_by_text("晋城海斯制药有限公司")).to_be_visible()
    answer(phone, industrial, BASE_ANSWERS | {"Q3": "A"})
    submit(phone)
    expect(phone.get_by_role("heading", level=1)).to_have_text("提交成功")
    screenshot(phone, "5-respondent-done")
    db.session.expire_all()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Response)) == 1
    assert outside_requests == []
    desk.close()

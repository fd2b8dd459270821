"""Bulk review in Chromium: an evaluator filters the flagged answers to one rule and excludes them all
with one reason; the other answers keep their status and each exclusion is in the audit log."""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa
from playwright.sync_api import expect
from support import add_response, make_survey, make_user, sign_in_browser

from survey_app.extensions import db
from survey_app.models import AuditEvent, Response

FAST = {"code": "min_duration", "action": "flag", "reason_zh": "答题用时10秒，少于30秒"}
OUTSIDE = {"code": "not_in_frame", "action": "flag", "reason_zh": "答题单位不在调查单位名单中"}


def test_bulk_exclusion_of_a_filtered_set(app, ctx, live_server, browser, industrial, screenshot):
    eva = make_user("eva")
    survey = make_survey(industrial)
    survey.owner_id = eva.id
    # 60 flagged as too fast (more than one page of 50), 3 outside the list, 5 ordinary.
    plan = [[FAST]] * 60 + [[OUTSIDE]] * 3 + [[]] * 5
    for i, flags in enumerate(plan):
        response = add_response(survey, survey.units[i % 2], "A", status="flagged" if flags else "valid")
        response.flags = flags
        response.submitted_at -= timedelta(minutes=i)
    db.session.commit()
    survey_id = survey.id
    db.session.remove()

    desk = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    desk.set_default_timeout(15_000)
    page = desk.new_page()
    sign_in_browser(page, live_server)

    page.goto(f"{live_server}/manage/surveys/{survey_id}/responses")
    page.locator("#f-status").select_option("flagged")
    page.locator("#f-flag").select_option("min_duration")
    page.get_by_role("button", name="筛选").click()
    expect(page.locator("#bulk")).to_contain_text("当前筛选的全部 60 份答卷")
    page.get_by_label("当前筛选的全部 60 份答卷（含其他页）").check()
    page.get_by_label("理由（一条理由适用于所有选中的答卷，逐份记入操作日志）").fill("答题过快，回访确认未认真作答")
    screenshot(page, "bulk-filled")
    page.locator("#bulk").get_by_role("button", name="剔除").click()
    expect(page.locator("body")).to_contain_text("已剔除60份答卷（共选择60份）")
    screenshot(page, "bulk-done")

    db.session.remove()
    counts = dict(db.session.execute(sa.select(Response.status, sa.func.count()).group_by(Response.status)).all())
    assert counts == {"excluded": 60, "flagged": 3, "valid": 5}
    assert db.session.scalar(sa.select(sa.func.count()).where(AuditEvent.action == "response.exclude")) == 60
    desk.close()

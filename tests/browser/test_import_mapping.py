"""An evaluator imports a 问卷星 download in Chromium through the mapping step: one column's
header is not recognised, so they give it its question in the dropdown, accept the suggested
unit for a misspelt name, check again and confirm.  Screenshots in test-artifacts/browser/."""

from __future__ import annotations

import sqlalchemy as sa
from fixtures.imports.wjx_files import wjx_rows, write_xlsx
from playwright.sync_api import expect
from support import make_survey, make_user, sign_in_browser

from survey_app.extensions import db
from survey_app.models import Response


def test_an_evaluator_imports_a_wjx_file_through_the_mapping_step(app, ctx, live_server, browser, industrial,
                                                                  screenshot, outside_requests, tmp_path):
    eva = make_user("eva")
    survey = make_survey(industrial, name="导入演示调查")
    survey.owner_id = eva.id
    db.session.commit()
    jia = next(u.id for u in survey.units if u.name == "甲公司")
    rows = wjx_rows(industrial, ["甲公司", "乙公司"], 12, seed=4, unit_header="1、您所在的单位名称：",
                    title="工业专项资金满意度调查")
    q1 = next(i for i, h in enumerate(rows[1]) if h.endswith(industrial.question("Q1").text))
    rows[1][q1] = "4、宣传解读"
    rows[3][6] = "甲工司"
    path = write_xlsx(tmp_path / "问卷星_按文本_12.xlsx", rows)

    desk = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    desk.set_default_timeout(15_000)
    page = desk.new_page()
    sign_in_browser(page, live_server)
    page.goto(f"{live_server}/manage/surveys/{survey.id}/responses/import")
    page.locator('input[name="file"]').set_input_files(str(path))
    page.get_by_role("button", name="检查文件").click()

    expect(page.get_by_text("缺少必答题的列：Q1")).to_be_visible()
    expect(page.get_by_role("button", name="确认导入")).to_have_count(0)
    expect(page.get_by_text("工业专项资金满意度调查")).to_be_visible()
    screenshot(page, "1-mapping-step")
    page.get_by_label(f"第{q1 + 1}列“4、宣传解读”导入为").select_option("q:Q1")
    page.get_by_label("“甲工司”的处理").select_option(str(jia))
    page.get_by_role("button", name="应用以上选择并重新检查").click()

    expect(page.get_by_text("检查结果：可以导入")).to_be_visible()
    expect(page.get_by_label(f"第{q1 + 1}列“4、宣传解读”导入为")).to_have_value("q:Q1")
    screenshot(page, "2-checked")
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Response)) == 0  # nothing before the confirm
    page.get_by_role("button", name="确认导入 12 份答卷").click()
    expect(page.get_by_text("已导入 12 份答卷")).to_be_visible()
    screenshot(page, "3-imported")
    db.session.expire_all()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Response)) == 12
    assert db.session.scalar(sa.select(sa.func.count()).where(Response.unit_id == jia)) == 7
    assert not outside_requests
    desk.close()

"""From a blank draft to a counted answer, in Chromium: the evaluator builds the questionnaire in the
designer (a matrix of three items, a single-choice question with a not-scored 不了解 and a
follow-up), previews it at phone size, opens the survey; a phone answers; the dashboard counts it.
Screenshots of each step are kept in test-artifacts/browser/.
"""

from __future__ import annotations

import pytest
from support import count, make_survey, sign_in_browser

from survey_app.domain.banks import parse_bank_data
from survey_app.extensions import db
from survey_app.models import Response, Survey
from survey_app.services.accounts import create_user

sync_api = pytest.importorskip(
    "playwright.sync_api",
    reason="browser tests need the 'playwright' Python package: pip install -r tests/requirements.txt",
    exc_type=ImportError,
)
expect = sync_api.expect

PASSWORD = "password-123456"
BLANK = {"id": "blank", "title": "新问卷", "intro": {"title": "满意度调查问卷"},
         "sections": [{"id": "S1", "title": "一、满意度评价", "questions": []}]}
ROWS = ("奖补资金发放时间", "申报流程便利程度", "工作人员服务态度")


@pytest.fixture
def blank_draft(ctx):
    survey = make_survey(parse_bank_data(BLANK), units=("甲公司",), status="draft", name="设计器调查")
    survey.owner_id = create_user(db.session, "eva", PASSWORD, "evaluator").id
    db.session.commit()
    made = {"id": survey.id, "token": survey.units[0].token}
    db.session.remove()
    return made


def field(page, name: str):
    return page.locator(f'[name="{name}"]')


@pytest.fixture
def page(browser):
    """A laptop-sized page for the evaluator."""
    desk = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    desk.set_default_timeout(15_000)
    yield desk.new_page()
    desk.close()


def test_build_preview_open_answer_and_count(live_server, page, phone, blank_draft, screenshot, page_errors,
                                             outside_requests):
    page.on("dialog", lambda dialog: dialog.accept())  # "开放后问卷题目将固定，确定开放吗？"
    designer = f"/manage/surveys/{blank_draft['id']}/designer"
    sign_in_browser(page, live_server, designer)
    expect(page.get_by_role("heading", name="问卷设计")).to_be_visible()

    # A matrix of three items: added, then two more rows; nothing is stored until every field is valid.
    field(page, "s0.new_type").select_option("matrix")
    page.get_by_role("button", name="在部分S1添加题目").click()
    expect(page.get_by_text("题目文字必填").first).to_be_visible()
    field(page, "s0.q0.text").fill("您对专项资金以下各方面是否满意？")
    page.get_by_role("button", name="为题Q1添加小题").click()
    page.get_by_role("button", name="为题Q1添加小题").click()
    for k, topic in enumerate(ROWS):
        field(page, f"s0.q0.r{k}.text").fill(topic)
        field(page, f"s0.q0.r{k}.topic").fill(topic)
    page.get_by_role("button", name="保存问卷").click()
    expect(page.get_by_text("问卷已保存")).to_be_visible()

    # A single-choice question on the 5-level preset with the not-scored 不了解.
    field(page, "s0.new_type").select_option("single")
    page.get_by_role("button", name="在部分S1添加题目").click()
    field(page, "s0.q1.text").fill("您对政策宣传解读是否满意？")
    field(page, "s0.q1.topic").fill("政策宣传解读")
    field(page, "s0.q1.scale").select_option("five+unknown")
    page.get_by_role("button", name="保存问卷").click()
    expect(page.get_by_text("问卷已保存")).to_be_visible()
    expect(page.locator("#scales")).to_contain_text("不了解")

    # Its follow-up: pick the question, then the options (keyboard only: the checkboxes by Space).
    field(page, "s0.new_type").select_option("text")
    page.get_by_role("button", name="在部分S1添加题目").click()
    field(page, "s0.q2.text").fill("请简要说明不满意的原因")
    field(page, "s0.q2.required").uncheck()
    field(page, "s0.q2.show_if").select_option("Q2")
    page.get_by_role("button", name="保存问卷").click()
    expect(page.get_by_text("显示条件至少要选一个选项").first).to_be_visible()
    for key in ("D", "E"):
        page.locator(f'[name="s0.q2.any_of"][value="{key}"]').focus()
        page.keyboard.press("Space")
    page.get_by_role("button", name="保存问卷").click()
    expect(page.get_by_text("问卷已保存")).to_be_visible()
    screenshot(page, "1-designed")
    db.session.remove()
    questionnaire = db.session.get(Survey, blank_draft["id"]).questionnaire
    matrix, single, follow = questionnaire.displayed
    assert [r.topic for r in matrix.rows] == list(ROWS) and all(r.scored for r in matrix.rows)
    assert single.scored and not single.options[-1].scored and single.options[-1].label == "不了解"
    assert (follow.show_if.question, follow.show_if.any_of) == (single.id, ("D", "E"))

    # Phone preview: the respondent page of the draft at 390 px, with its banner; a submit stores nothing.
    sign_in_browser(phone, live_server, designer)
    phone.goto(f"{live_server}{designer}/preview")
    expect(phone.locator("#preview-banner")).to_contain_text("预览")
    expect(phone.get_by_text("您对政策宣传解读是否满意？")).to_be_visible()
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot(phone, "2-preview")
    phone.get_by_role("button", name="提交问卷").click()
    expect(phone.locator("#error-summary")).to_be_visible()
    db.session.remove()
    assert count(Response) == 0

    # Open the survey.
    page.goto(f"{live_server}/manage/surveys/{blank_draft['id']}")
    page.get_by_role("button", name="开放调查").click()
    expect(page.get_by_text("调查已开放")).to_be_visible()

    # A respondent answers on a phone.
    phone.goto(f"{live_server}/s/{blank_draft['token']}")
    expect(phone.get_by_text("您对专项资金以下各方面是否满意？")).to_be_visible()
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390  # matrix rows stacked, no sideways scroll
    for row in matrix.rows:
        phone.locator(f'label:has(input[name="q_{row.id}"][value="A"])').first.tap()
    phone.locator(f'#q-{single.id} label:has(input[value="D"])').tap()
    phone.locator(f"#q-{follow.id} textarea").fill("资金到位较慢")
    phone.get_by_role("button", name="提交问卷").tap()
    phone.wait_for_url("**/done")
    screenshot(phone, "3-answered")

    # The dashboard counts it.
    page.goto(f"{live_server}/manage/surveys/{blank_draft['id']}/dashboard")
    expect(page.locator("#h-answers")).to_have_text("1 / 1")
    screenshot(page, "4-dashboard")
    assert page_errors == [] and outside_requests == []

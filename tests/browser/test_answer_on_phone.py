"""Answering the industrial-fund survey on a phone, in headless Chromium (acceptance test).

Each test builds its own open survey (committed before the browser loads it), drives the
respondent pages at 390×844 with touch, then checks what the live server stored.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import pytest
import sqlalchemy as sa
from support import make_survey

from survey_app.extensions import db
from survey_app.models import Answer, Response

sync_api = pytest.importorskip(
    "playwright.sync_api",
    reason="browser tests need the 'playwright' Python package: pip install -r tests/requirements.txt",
    exc_type=ImportError,
)
expect = sync_api.expect
Page = sync_api.Page

FOLLOWUP_TEXT = "请简要说明不满意的原因"
FOLLOWUP_HINT = "（上一题选择“不太满意”或“不满意”时填写）"

# The answers every test gives unless it says otherwise: option keys, lists for multiple
# choice, strings for text questions (keys as in the bank, mapped to labels on the page).
BASE_ANSWERS = {
    "I1": "1", "I2": "2", "I3": ["1", "3"],
    "Q1": "A", "Q2": "B", "Q4": "A", "Q5": "A", "Q6": "B", "Q7": "A", "Q8": "A", "Q9": "A", "Q10": "A",
}


@dataclass(frozen=True)
class Made:
    """Plain values of a committed survey, so no ORM object outlives the test's transaction."""

    id: int
    open_token: str
    unit_ids: list[int]
    unit_tokens: list[str]
    unit_names: list[str]


@pytest.fixture
def survey(ctx, industrial):
    return new_survey(industrial)


def new_survey(industrial, units=("甲公司", "乙公司")) -> Made:
    made = make_survey(industrial, units=units)
    result = Made(
        made.id, made.open_token, [u.id for u in made.units], [u.token for u in made.units], [u.name for u in made.units]
    )
    db.session.commit()  # make_survey commits; this ends the read transaction opened above
    db.session.remove()
    return result


def draft_key(kind: str, token: str) -> str:
    return f"survey-draft:{kind}:{token[:12]}"


def stored() -> list[tuple[Response, dict[str, list]]]:
    """Every stored response with its answers by question id (values sorted)."""
    db.session.remove()  # a fresh session: the live server committed in another thread
    out = []
    for response in db.session.scalars(sa.select(Response).order_by(Response.id)):
        by_question: dict[str, list] = {}
        rows = db.session.scalars(sa.select(Answer).where(Answer.response_id == response.id))
        for row in rows:
            value = row.option_key if row.option_key is not None else row.text_value
            by_question.setdefault(row.question_id, []).append(value if value is not None else row.number_value)
        out.append((response, {k: sorted(v) for k, v in by_question.items()}))
    return out


def expected_rows(answers: dict) -> dict[str, list]:
    return {qid: sorted(v if isinstance(v, list) else [v]) for qid, v in answers.items()}


# --- page helpers --------------------------------------------------------------------------


def option(page: Page, questionnaire, qid: str, key: str):
    """The tappable ``label.opt`` of option ``key`` of question ``qid``."""
    label = questionnaire.question(qid).option(key).label
    return page.locator(f"#q-{qid} label.opt").filter(has=page.locator("span", has_text=re.compile(f"^{label}$")))


def radio(page: Page, qid: str, key: str):
    return page.locator(f'#q-{qid} input[value="{key}"]')


def answer(page: Page, questionnaire, answers: dict) -> None:
    """Tap the option labels (or type the text) for each answer, in page order."""
    for qid, value in answers.items():
        question = questionnaire.question(qid)
        if question.type in ("single", "multiple"):
            for key in value if isinstance(value, list) else [value]:
                option(page, questionnaire, qid, key).tap()
        else:
            page.locator(f"#q-{qid} textarea, #q-{qid} input").fill(value)


def expect_answers_shown(page: Page, questionnaire, answers: dict) -> None:
    for qid, value in answers.items():
        if questionnaire.question(qid).type in ("single", "multiple"):
            keys = value if isinstance(value, list) else [value]
            for o in questionnaire.question(qid).options:
                if o.key in keys:
                    expect(radio(page, qid, o.key)).to_be_checked()
                else:
                    expect(radio(page, qid, o.key)).not_to_be_checked()
        else:
            expect(page.locator(f"#q-{qid} textarea, #q-{qid} input")).to_have_value(value)


def submit(page: Page) -> None:
    page.get_by_role("button", name="提交问卷").tap()


def wait_for_draft(page: Page, key: str, text: str) -> None:
    """The draft is saved 250 ms after the last change: wait until it holds ``text``."""
    page.wait_for_function(
        "([k, t]) => (localStorage.getItem(k) || '').includes(t)", arg=[key, text], timeout=5_000
    )


# --- tests ---------------------------------------------------------------------------------


def test_answer_on_phone_with_followup_draft_and_submit(
    live_server, phone, survey, industrial, screenshot, outside_requests, page_errors
):
    url = f"{live_server}/s/{survey.unit_tokens[0]}"
    key = draft_key("s", survey.unit_tokens[0])
    progress = phone.locator("#progress")
    followup = phone.locator("#q-Q3R")

    phone.goto(url)
    expect(phone.locator("p.unit")).to_have_text("填写单位：甲公司")
    expect(phone.get_by_role("heading", level=1)).to_have_text("测试调查")
    expect(progress).to_have_text("已答 0 / 14 题")
    expect(followup).to_be_hidden()
    expect(phone.locator("#draft-note")).to_be_hidden()

    first = {"I1": "1", "I2": "2", "I3": ["1", "3"], "Q1": "A", "Q2": "B"}
    answer(phone, industrial, {"I1": "1"})
    expect(progress).to_have_text("已答 1 / 14 题")
    answer(phone, industrial, {k: v for k, v in first.items() if k != "I1"})
    expect(progress).to_have_text("已答 5 / 14 题")
    expect(option(phone, industrial, "I1", "1")).to_have_css("background-color", "rgb(234, 243, 253)")  # :has(:checked)

    answer(phone, industrial, {"Q3": "C"})
    expect(followup).to_be_visible()
    expect(followup.locator("legend")).to_have_text(FOLLOWUP_TEXT)
    expect(followup.locator(".nojs")).to_be_hidden()  # the "fill this when…" hint is for no-JS pages only
    expect(progress).to_have_text("已答 6 / 15 题")
    reason = "申报材料要求反复修改，流程较长"
    followup.locator("textarea").fill(reason)
    expect(progress).to_have_text("已答 7 / 15 题")

    # Reload: the draft in localStorage brings back everything answered so far.
    wait_for_draft(phone, key, reason)
    phone.reload()
    expect(phone.locator("#draft-note")).to_be_visible()
    expect(phone.locator("#draft-note")).to_contain_text("已恢复您上次未提交的内容")
    expect_answers_shown(phone, industrial, {**first, "Q3": "C", "Q3R": reason})
    expect(followup).to_be_visible()
    expect(progress).to_have_text("已答 7 / 15 题")
    screenshot(phone, "reloaded")

    rest = {"Q4": "A", "Q5": "A", "Q6": "B", "Q7": "A", "Q8": "A", "Q9": "A", "Q10": "A", "S1": "希望简化申报材料"}
    answer(phone, industrial, rest)
    expect(progress).to_have_text("已答 15 / 15 题")
    screenshot(phone, "filled")

    submit(phone)
    phone.wait_for_url(f"{url}/done")
    expect(phone.get_by_role("heading", level=1)).to_have_text("提交成功")
    expect(phone.locator("#done")).to_contain_text("单位：甲公司")
    screenshot(phone, "thanks")

    # Exactly one response, with the expected answers, for the unit of the link.
    responses = stored()
    assert len(responses) == 1
    response, rows = responses[0]
    assert rows == expected_rows({**first, "Q3": "C", "Q3R": reason, **rest})
    assert response.unit_id == survey.unit_ids[0] and response.unit_name_given is None
    assert response.source == "web"
    # Answered in a few seconds by a robot: screened on arrival and flagged (never excluded) as too fast.
    assert response.duration_seconds is not None and response.duration_seconds < 30
    assert response.status == "flagged" and [f["code"] for f in response.flags] == ["min_duration"]
    assert "Chrome" in (response.user_agent or "")  # stored from the real browser

    # The thank-you page cleared the draft; the link now says "already submitted", and the
    # button for a colleague opens an empty form.
    phone.wait_for_function("k => localStorage.getItem(k) === null", arg=key, timeout=5_000)
    phone.goto(url)
    expect(phone.locator("#already")).to_contain_text("您已提交过本问卷（")
    phone.get_by_role("link", name="为本单位其他人员再填写一份").tap()
    expect(progress).to_have_text("已答 0 / 14 题")
    expect(phone.locator("#draft-note")).to_be_hidden()
    expect(phone.locator("#survey-form input:checked")).to_have_count(0)
    expect(phone.locator('#q-S1 textarea')).to_have_value("")
    expect(followup).to_be_hidden()

    assert outside_requests == []
    assert page_errors == []


def test_changed_mind_leaves_no_stray_followup(live_server, phone, survey, industrial, outside_requests, page_errors):
    """Q1 不满意 + a reason, then Q1 changed to 非常满意: the reason hides and is not stored."""
    url = f"{live_server}/s/{survey.unit_tokens[1]}"
    phone.goto(url)
    answer(phone, industrial, {"Q1": "D"})
    expect(phone.locator("#q-Q1R")).to_be_visible()
    phone.locator("#q-Q1R textarea").fill("不清楚政策")
    answer(phone, industrial, {"Q1": "A"})
    expect(phone.locator("#q-Q1R")).to_be_hidden()
    answer(phone, industrial, {k: v for k, v in BASE_ANSWERS.items() if k != "Q1"} | {"Q3": "A"})
    expect(phone.locator("#progress")).to_have_text("已答 13 / 14 题")  # S1 (optional) left empty
    submit(phone)
    phone.wait_for_url(f"{url}/done")
    expect(phone.get_by_role("heading", level=1)).to_have_text("提交成功")

    [(response, rows)] = stored()
    assert "Q1R" not in rows and rows["Q1"] == ["A"]
    assert response.unit_id == survey.unit_ids[1]
    assert outside_requests == [] and page_errors == []


def test_answer_with_javascript_off(live_server, phone_nojs, survey, industrial, screenshot, outside_requests):
    page = phone_nojs
    url = f"{live_server}/s/{survey.unit_tokens[0]}"
    page.goto(url)
    expect(page.locator("p.unit")).to_have_text("填写单位：甲公司")
    expect(page.locator("#progress")).to_have_text("")
    expect(page.locator("#unit-filter")).to_have_count(0)  # unit links have no unit picker

    # Without JS every follow-up is on the page, with its "when to fill this" hint.
    followups = page.locator("fieldset.followup")
    expect(followups).to_have_count(10)
    for i in range(10):
        box = followups.nth(i)
        expect(box).to_be_visible()
        expect(box.locator("legend")).to_have_text(FOLLOWUP_TEXT)
        expect(box.locator("p.hint.nojs")).to_have_text(FOLLOWUP_HINT)

    # Q2 forgotten; Q3 不太满意 with a reason; a comment in S1.
    given = {k: v for k, v in BASE_ANSWERS.items() if k != "Q2"} | {"Q3": "C", "Q3R": "材料多", "S1": "希望<b>简化</b>流程"}
    answer(page, industrial, given)
    with page.expect_response(lambda r: r.request.method == "POST") as posted:
        submit(page)
    assert posted.value.status == 422
    summary = page.locator("#error-summary")
    expect(summary).to_be_visible()
    expect(summary).to_contain_text("还有 1 处需要填写或修改")
    expect(summary.locator("a")).to_have_attribute("href", "#q-Q2")
    expect(page.locator("#q-Q2")).to_have_class(re.compile(r"\bhas-error\b"))
    expect(page.locator("#q-Q2 p.error")).to_be_visible()
    expect_answers_shown(page, industrial, given)  # everything else kept, text escaped not interpreted
    expect(page.locator("#q-S1 b")).to_have_count(0)
    screenshot(page, "error")

    answer(page, industrial, {"Q2": "B"})
    submit(page)
    page.wait_for_url(f"{url}/done")
    expect(page.get_by_role("heading", level=1)).to_have_text("提交成功")

    [(response, rows)] = stored()
    assert rows == expected_rows(given | {"Q2": "B"})
    assert response.unit_id == survey.unit_ids[0]
    assert outside_requests == []


def test_open_link_unit_filter_and_pick(live_server, phone, ctx, industrial, outside_requests, page_errors):
    made = new_survey(industrial, units=("甲公司", "乙公司", "丙机械厂", "丁机械有限公司"))
    url = f"{live_server}/o/{made.open_token}"
    phone.goto(url)
    unit_filter, select = phone.locator("#unit-filter"), phone.locator("#unit-select")
    expect(phone.locator("p.unit")).to_have_count(0)
    expect(unit_filter).to_be_visible()
    expect(select.locator("option")).to_have_count(6)  # placeholder + 4 units + 其他
    expect(phone.locator("#progress")).to_have_text("已答 0 / 15 题")  # the unit counts as a question

    unit_filter.fill("机械")
    expect(select.locator("option")).to_have_text(
        ["请选择单位", "丙机械厂（城区）", "丁机械有限公司（城区）", "其他（名单中没有我的单位）"])
    unit_filter.fill("丙")
    expect(select.locator("option")).to_have_text(["请选择单位", "丙机械厂（城区）", "其他（名单中没有我的单位）"])
    picked = made.unit_ids[made.unit_names.index("丙机械厂")]
    select.select_option(value=str(picked))
    expect(phone.locator("#progress")).to_have_text("已答 1 / 15 题")
    unit_filter.fill("")  # clearing the filter brings every unit back and keeps the choice
    expect(select.locator("option")).to_have_count(6)
    expect(select).to_have_value(str(picked))

    answer(phone, industrial, BASE_ANSWERS | {"Q3": "A"})
    expect(phone.locator("#progress")).to_have_text("已答 14 / 15 题")
    submit(phone)
    phone.wait_for_url(f"{url}/done")
    expect(phone.get_by_role("heading", level=1)).to_have_text("提交成功")

    [(response, rows)] = stored()
    assert response.unit_id == picked and response.unit_name_given is None
    assert rows == expected_rows(BASE_ANSWERS | {"Q3": "A"})
    assert outside_requests == [] and page_errors == []


@pytest.mark.parametrize("js", [True, False], ids=["js", "nojs"])
def test_touch_targets_are_thumb_sized(live_server, new_phone, survey, js, screenshot):
    page = new_phone(java_script_enabled=js)
    page.goto(f"{live_server}/s/{survey.unit_tokens[0]}")
    labels = page.locator("label.opt")
    expect(labels.first).to_be_visible()
    boxes = labels.evaluate_all(
        "els => els.map(e => { const r = e.getBoundingClientRect(); return {x: r.x, width: r.width, height: r.height}; })"
    )
    assert len(boxes) == 3 + 4 + 5 + 10 * 4  # I1, I2, I3 and ten 4-level questions
    small = [(i, box) for i, box in enumerate(boxes) if box["height"] < 44]
    assert small == [], f"option labels shorter than 44 px: {small}"
    narrow_or_off = [(i, box) for i, box in enumerate(boxes) if box["x"] < 0 or box["x"] + box["width"] > 390]
    assert narrow_or_off == [], f"option labels outside the 390 px viewport: {narrow_or_off}"
    button = page.get_by_role("button", name="提交问卷").bounding_box()
    assert button["height"] >= 44
    # Nothing forces sideways scrolling on a 390 px phone.
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    if not js:
        screenshot(page, "nojs-form")


def test_draft_clear_button_empties_the_form(live_server, phone, survey, industrial, page_errors):
    url = f"{live_server}/s/{survey.unit_tokens[0]}"
    key = draft_key("s", survey.unit_tokens[0])
    phone.goto(url)
    answer(phone, industrial, {"I1": "2", "Q1": "C", "Q1R": "宣传不够"})
    wait_for_draft(phone, key, "宣传不够")
    phone.reload()
    expect(phone.locator("#draft-note")).to_be_visible()
    expect(phone.locator("#progress")).to_have_text("已答 3 / 15 题")

    phone.get_by_role("button", name="清空重填").tap()
    expect(phone.locator("#draft-note")).to_be_hidden()
    expect(phone.locator("#survey-form input:checked")).to_have_count(0)
    expect(phone.locator("#q-Q1R")).to_be_hidden()
    expect(phone.locator("#progress")).to_have_text("已答 0 / 14 题")
    assert phone.evaluate("k => localStorage.getItem(k)", key) is None
    phone.reload()
    expect(phone.locator("#draft-note")).to_be_hidden()
    expect(phone.locator("#q-Q1R textarea")).to_have_value("")
    assert page_errors == []


def test_offline_submit_is_held_until_the_connection_returns(live_server, phone, survey, industrial, page_errors):
    """Chromium's own network emulation (DevTools protocol) takes the phone offline and back."""
    url = f"{live_server}/s/{survey.unit_tokens[0]}"
    posts = []
    phone.on("request", lambda r: posts.append(r.url) if r.method == "POST" else None)
    phone.goto(url)
    answer(phone, industrial, BASE_ANSWERS | {"Q3": "B"})

    devtools = phone.context.new_cdp_session(phone)
    devtools.send("Network.enable")
    network = {"latency": 0, "downloadThroughput": -1, "uploadThroughput": -1}
    devtools.send("Network.emulateNetworkConditions", {"offline": True, **network})
    phone.wait_for_function("() => navigator.onLine === false")
    submit(phone)
    expect(phone.locator("#offline-note")).to_be_visible()
    expect(phone.locator("#offline-note")).to_contain_text("恢复网络后将自动提交")
    expect_answers_shown(phone, industrial, BASE_ANSWERS | {"Q3": "B"})  # the answers stay
    assert posts == [] and phone.url == url and stored() == []

    # Back online: sent by itself, no second tap, stored once.
    devtools.send("Network.emulateNetworkConditions", {"offline": False, **network})
    phone.wait_for_url(f"{url}/done")
    expect(phone.get_by_role("heading", level=1)).to_have_text("提交成功")
    assert len(posts) == 1
    [(_, rows)] = stored()
    assert rows == expected_rows(BASE_ANSWERS | {"Q3": "B"})
    assert page_errors == []

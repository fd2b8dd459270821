"""The live dashboard in Chromium (laptop) while a phone answers (acceptance test).

The dashboard is opened and signed in on a 1366×900 laptop context; a second context on a
phone viewport answers a unit link over HTTP against the same live server; the chart data
read back from the plotly graph div must show the new answer without a reload.  How fast it
arrives is a benchmark figure, not an assertion here (bench/dashboard_bench.py ``--browser``,
bench/README.md): a loaded CI machine must not turn a latency goal into a flaky test.
"""

from __future__ import annotations

import urllib.request
from urllib.parse import urlencode, urlsplit

import pytest
from support import HIDDEN, all_satisfied, make_survey, sign_in_browser

from survey_app.domain.vocabulary import Availability, ResponseStatus
from survey_app.extensions import db
from survey_app.services.accounts import create_user
from survey_app.texts_zh.labels import AVAILABILITY, STATUS

sync_api = pytest.importorskip(
    "playwright.sync_api",
    reason="browser tests need the 'playwright' Python package: pip install -r tests/requirements.txt",
    exc_type=ImportError,
)
expect = sync_api.expect

LAPTOP = {"viewport": {"width": 1366, "height": 900}, "locale": "zh-CN", "timezone_id": "Asia/Shanghai"}
PASSWORD = "password-123456"
#: Generous: the page's polling fallback (every 3 s) alone would deliver well within it.
ARRIVES_WITHIN_MS = 20_000
#: Q1's counts as drawn: the plotly traces' customdata (one trace per option, in scale order).
Q1_COUNTS = ("() => { const d = document.getElementById('chart-Q1');"
             " return d && d.data ? d.data.map(t => t.customdata[0]) : null; }")


@pytest.fixture
def made(ctx, industrial):
    """An open survey owned by "eva" (committed before the browser loads it): plain values only."""
    survey = make_survey(industrial, units=("甲公司", "乙公司"))
    survey.owner_id = create_user(db.session, "eva", PASSWORD, "evaluator").id
    db.session.commit()
    values = {"id": survey.id, "token": survey.units[0].token, "answers": all_satisfied(industrial)}
    db.session.remove()
    return values


@pytest.fixture
def laptop(browser, outside_requests, page_errors):
    """A page on a laptop-sized desktop context, recording foreign requests and script errors."""
    context = browser.new_context(**LAPTOP)
    context.set_default_timeout(10_000)
    context.on("request", lambda req: urlsplit(req.url).hostname not in (None, "127.0.0.1")
               and urlsplit(req.url).scheme not in ("data", "blob", "about") and outside_requests.append(req.url))
    page = context.new_page()
    page.on("pageerror", lambda exc: page_errors.append(str(exc)))
    yield page
    context.close()


def answer_on_phone(phone, base: str, token: str, answers: dict) -> None:
    """Tap every answer like a respondent; stop just before submitting."""
    phone.goto(f"{base}/s/{token}")
    for qid, value in answers.items():
        choice = phone.locator(f'#q-{qid} label:has(input[value="{value}"])')
        if choice.count():
            choice.first.tap()
        else:
            phone.locator(f"#q-{qid} textarea, #q-{qid} input[type=text], #q-{qid} input[type=number]").first.fill(value)


def test_answer_on_phone_appears_on_the_open_dashboard(
    live_server, laptop, phone, made, screenshot, outside_requests, page_errors
):
    path = f"/manage/surveys/{made['id']}/dashboard"
    sign_in_browser(laptop, live_server, path)
    laptop.wait_for_function(Q1_COUNTS)
    assert laptop.evaluate(Q1_COUNTS) == [0, 0, 0, 0]
    expect(laptop.locator("#h-answers")).to_have_text("0 / 0")
    # The script's words are the catalogue's, handed over by the page.
    flagged, excluded = STATUS[ResponseStatus.FLAGGED], STATUS[ResponseStatus.EXCLUDED]
    expect(laptop.locator("#h-answers-note")).to_have_text(f"纳入统计 0 份；{flagged} 0，{excluded} 0")
    expect(laptop.locator("#h-status")).to_have_text(AVAILABILITY[Availability.OPEN])
    expect(laptop.locator("#live-status")).to_contain_text("实时更新中")
    expect(laptop.locator("#coverage tbody tr")).to_have_count(2)

    answer_on_phone(phone, live_server, made["token"], made["answers"])
    phone.get_by_role("button", name="提交问卷").tap()
    phone.wait_for_url("**/done")

    laptop.wait_for_function(f"() => ({Q1_COUNTS})()?.[0] === 1", timeout=ARRIVES_WITHIN_MS)
    assert laptop.evaluate(Q1_COUNTS) == [1, 0, 0, 0]
    expect(laptop.locator("#h-answers")).to_have_text("1 / 1")
    expect(laptop.locator("#h-composite")).to_have_text("100.00%")
    expect(laptop.locator("#coverage tbody tr").first).to_contain_text("乙公司")  # still short: listed first
    expect(laptop.locator("#q-Q1 tbody tr").first).to_contain_text("1")
    screenshot(laptop, "dashboard-after-answer")
    screenshot(phone, "phone-done")
    assert outside_requests == [] and page_errors == []


def test_dashboard_recovers_when_the_event_stream_drops(live_server, laptop, made, page_errors):
    """Blocking /events makes the page poll /data; an answer still shows up, then the stream resumes."""
    path = f"/manage/surveys/{made['id']}/dashboard"
    sign_in_browser(laptop, live_server, path)
    laptop.wait_for_function(Q1_COUNTS)
    # The open stream is not affected by a new route: reload so that every (re)connection fails.
    laptop.route("**/dashboard/events", lambda route: route.abort("connectionreset"))
    laptop.reload()
    laptop.wait_for_function(Q1_COUNTS)
    expect(laptop.locator("#live-status")).to_contain_text("连接中断")
    submit_over_http(live_server, made["token"], made["answers"])
    laptop.wait_for_function(f"() => ({Q1_COUNTS})()?.[0] === 1", timeout=6_000)
    laptop.unroute("**/dashboard/events")
    expect(laptop.locator("#live-status")).to_contain_text("实时更新中", timeout=10_000)
    assert page_errors == []


def submit_over_http(base: str, token: str, answers: dict) -> None:
    """Answer a unit link with plain urllib: GET the form (tokens, session cookie), POST the answers."""
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor())
    form = opener.open(f"{base}/s/{token}").read().decode()
    body = {**dict(HIDDEN.findall(form)), **{f"q_{k}": v for k, v in answers.items()}}
    assert opener.open(f"{base}/s/{token}", data=urlencode(body).encode()).geturl().endswith("/done")

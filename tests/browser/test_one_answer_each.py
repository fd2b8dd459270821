"""Every answer counted once: the back button after submitting, and a colleague on the same phone.

A respondent unsure whether the answer arrived presses back and submits again; that must
not add to the unit's count.  A colleague sharing the phone uses the explicit button and is
stored as another person — even with the very same answers.
"""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from support import make_survey

from survey_app.extensions import db
from survey_app.models import Response

sync_api = pytest.importorskip("playwright.sync_api", reason="browser tests need the 'playwright' Python package",
                               exc_type=ImportError)
expect = sync_api.expect

#: Every required question (option keys); the same "all 非常满意" two colleagues might give.
ANSWERS = {"I1": "1", "I2": "2", "I3": "1", **{f"Q{i}": "A" for i in (1, 2, 3, 4, 5, 6, 7, 8, 9, 10)}}


@pytest.fixture
def unit_url(ctx, industrial, live_server):
    made = make_survey(industrial, units=("甲公司", "乙公司"))
    token = made.units[0].token
    db.session.commit()
    db.session.remove()
    return f"{live_server}/s/{token}"


def fill(page) -> None:
    for qid, key in ANSWERS.items():
        page.locator(f'#q-{qid} label.opt:has(input[value="{key}"])').tap()


def responses() -> list[Response]:
    db.session.remove()  # the live server committed in another thread
    return list(db.session.scalars(sa.select(Response).order_by(Response.id)))


def test_back_after_submitting_does_not_store_a_second_answer(unit_url, phone, page_errors):
    phone.goto(unit_url)
    fill(phone)
    phone.get_by_role("button", name="提交问卷").tap()
    phone.wait_for_url(f"{unit_url}/done")
    expect(phone.get_by_role("heading", level=1)).to_have_text("提交成功")

    phone.go_back()
    expect(phone.locator("#already")).to_contain_text("您已提交过本问卷（")
    expect(phone.locator("#survey-form")).to_have_count(0)  # no form to send again
    # Reloading or opening the link again says the same.
    phone.goto(unit_url)
    expect(phone.locator("#already")).to_be_visible()
    assert len(responses()) == 1
    assert page_errors == []


def test_the_button_for_a_colleague_stores_a_second_answer_even_when_identical(unit_url, phone, page_errors):
    phone.goto(unit_url)
    fill(phone)
    phone.get_by_role("button", name="提交问卷").tap()
    phone.wait_for_url(f"{unit_url}/done")
    phone.go_back()

    phone.get_by_role("link", name="为本单位其他人员再填写一份").tap()
    expect(phone.locator("#another-note")).to_be_visible()
    fill(phone)
    phone.get_by_role("button", name="提交问卷").tap()
    phone.wait_for_url(f"{unit_url}/done")
    expect(phone.get_by_role("heading", level=1)).to_have_text("提交成功")
    # The unit is still short of its 5: the page asks to pass the link on.
    expect(phone.locator("#unit-short")).to_contain_text("本单位目前已收到")

    first, second = responses()
    assert (first.another_person, second.another_person) == (False, True)
    assert [f["action"] for f in second.flags if f["code"] == "duplicate_device"] == ["note"]
    assert page_errors == []

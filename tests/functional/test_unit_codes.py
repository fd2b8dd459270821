"""Short unit codes: every unit gets one, the open link takes it, the cards print it.

A code is what a respondent types when a long link came on paper: six characters without
look-alikes, unique in the survey; typed at the open link (any case, spaces or a dash
forgiven) it leads to the unit's own link, and a wrong code says so with a 404.
"""

from __future__ import annotations

import io
import re

import docx
import pytest
from support import login, make_survey, make_user

from survey_app.domain.unit_codes import ALPHABET, LENGTH, new_codes, normalise_code
from survey_app.extensions import db
from survey_app.services.access import grant
from survey_app.services.distribution import sheet_docx
from survey_app.services.unit_changes import add_unit


def test_codes_avoid_look_alikes_and_are_distinct():
    codes = new_codes(2000, taken={"222222"})
    assert len(set(codes)) == 2000 and "222222" not in codes
    assert all(len(c) == LENGTH and set(c) <= set(ALPHABET) for c in codes)
    assert not set("01OIL-") & set(ALPHABET)
    assert normalise_code(" 7kq-4mz ") == "7KQ4MZ" and normalise_code("７KQ４MZ") == "7KQ4MZ"
    assert normalise_code("7KQ4M0") is None and normalise_code("7KQ4M") is None


@pytest.fixture
def survey(ctx, industrial):
    return make_survey(industrial, units=("甲公司", "乙公司", "丙公司"))


def test_every_unit_has_a_code_unique_in_its_survey(survey):
    unit = add_unit(db.session, survey, {"name": "丁公司", "category": "", "county": "", "credit_code": None,
                                         "attributes": {}, "min_valid": 5, "seq": None}, "test")
    db.session.commit()
    codes = [u.short_code for u in survey.units]
    assert unit.short_code and len(set(codes)) == 4 and all(normalise_code(c) == c for c in codes)


def test_the_open_link_takes_a_typed_code_to_the_units_own_link(survey, client):
    unit = survey.units[1]
    page = client.get(f"/o/{survey.open_token}").get_data(as_text=True)
    assert 'name="code"' in page and "单位代码" in page
    typed = f"{unit.short_code[:3].lower()}-{unit.short_code[3:]}"
    reply = client.get(f"/o/{survey.open_token}", query_string={"code": typed})
    assert reply.status_code == 303 and reply.headers["Location"].endswith(f"/s/{unit.token}")
    wrong = client.get(f"/o/{survey.open_token}", query_string={"code": "ZZZZZZ" if unit.short_code != "ZZZZZZ"
                                                                else "YYYYYY"})
    assert wrong.status_code == 404 and "没有找到单位代码" in wrong.get_data(as_text=True)


def test_a_code_of_another_survey_does_not_open_this_one(survey, client, industrial):
    other = make_survey(industrial, units=("外单位",), name="另一个调查")
    code = other.units[0].short_code
    if code in {u.short_code for u in survey.units}:
        pytest.skip("the random codes of two surveys collided (1 in 10⁸)")
    assert client.get(f"/o/{survey.open_token}", query_string={"code": code}).status_code == 404


def test_the_cards_print_the_open_link_and_the_code(survey, client):
    user = make_user("dist")
    grant(db.session, survey, user, "owner")
    db.session.commit()
    data = sheet_docx(db.session, survey, "http://10.0.0.8:8000", "test")
    text = "\n".join(p.text for t in docx.Document(io.BytesIO(data)).tables for row in t.rows
                     for cell in row.cells for p in cell.paragraphs)
    for unit in survey.units:
        assert f"也可打开 http://10.0.0.8:8000/o/{survey.open_token} 输入单位代码 {unit.short_code}" in text
    login(client, "dist")
    html = client.get(f"/manage/surveys/{survey.id}/distribution/sheet").get_data(as_text=True)
    assert all(re.search(f"输入单位代码 {u.short_code}", html) for u in survey.units)
    page = client.get(f"/manage/surveys/{survey.id}/distribution").get_data(as_text=True)
    assert all(f"<code>{u.short_code}</code>" in page for u in survey.units)

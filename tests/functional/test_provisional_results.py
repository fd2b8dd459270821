"""Coverage at the point of use: a score is called provisional (暂定) while units are short of their
minimum, an empty dashboard says what to do first, and the thank-you page asks to pass the link on."""

from __future__ import annotations

import pytest
from functional.test_dashboard_data import PASSWORD, login
from support import add_response, all_satisfied, make_survey

from survey_app.extensions import db
from survey_app.services.accounts import create_user


@pytest.fixture
def owned(ctx, industrial):
    survey = make_survey(industrial, units=tuple(f"单位{i}" for i in range(1, 29)))
    survey.owner_id = create_user(db.session, "eva", PASSWORD, "evaluator").id
    db.session.commit()
    return survey


def test_two_answers_and_no_unit_at_its_minimum_give_a_provisional_score(client, owned):
    for unit in owned.units[:2]:
        add_response(owned, unit, "A")
    db.session.commit()
    login(client, "eva")
    header = client.get(f"/manage/surveys/{owned.id}/dashboard/data").get_json()["header"]
    assert header["points"] == 6 and header["units_met"] == 0 and header["units"] == 28
    assert header["provisional"] is True
    assert header["provisional_zh"] == "暂定结果：28个单位中0个达到最少有效份数，得分将随后续答卷变化。"
    overview = client.get(f"/manage/surveys/{owned.id}").get_data(as_text=True)
    assert "暂定 6 / 6 分" in overview


def test_once_every_unit_has_its_minimum_the_score_is_no_longer_provisional(client, ctx, industrial):
    survey = make_survey(industrial, units=("甲公司",))
    survey.units[0].min_valid = 2
    survey.owner_id = create_user(db.session, "eva", PASSWORD, "evaluator").id
    add_response(survey, survey.units[0], "A")
    add_response(survey, survey.units[0], "B")
    db.session.commit()
    login(client, "eva")
    header = client.get(f"/manage/surveys/{survey.id}/dashboard/data").get_json()["header"]
    assert header["provisional"] is False and header["provisional_zh"] == ""
    assert "暂定" not in client.get(f"/manage/surveys/{survey.id}").get_data(as_text=True)


def test_an_empty_dashboard_says_distribute_first(client, owned):
    login(client, "eva")
    html = client.get(f"/manage/surveys/{owned.id}/dashboard").get_data(as_text=True)
    assert 'id="dash-empty"' in html and "分发问卷" in html
    assert f'href="/manage/surveys/{owned.id}/distribution"' in html
    assert client.get(f"/manage/surveys/{owned.id}/dashboard/data").get_json()["header"]["total"] == 0


def test_the_thank_you_page_asks_for_colleagues_while_the_unit_is_short(respondent, ctx, industrial):
    survey = make_survey(industrial, units=("甲公司",))
    survey.units[0].min_valid = 2
    db.session.commit()
    path = f"/s/{survey.units[0].token}"
    done = respondent.answer(path, all_satisfied(industrial), follow=True).get_data(as_text=True)
    assert "本单位目前已收到1份答卷，至少需要2份" in done and path in done
    done = respondent.answer(path, all_satisfied(industrial, key="B"), follow=True, another=True).get_data(as_text=True)
    assert "达到最低份数要求" in done and "本单位目前已收到" not in done


def test_on_the_open_link_the_page_shares_the_open_link_never_a_unit_link(respondent, ctx, industrial):
    survey = make_survey(industrial, units=("甲公司",))
    db.session.commit()
    path = f"/o/{survey.open_token}"
    done = respondent.answer(path, all_satisfied(industrial) | {"unit": str(survey.units[0].id)},
                             follow=True).get_data(as_text=True)
    assert "本单位目前已收到1份答卷，至少需要5份" in done
    assert path in done and survey.units[0].token not in done


def test_the_scoring_preview_works_the_surveys_own_answers(client, owned):
    login(client, "eva")
    empty = client.get(f"/manage/surveys/{owned.id}/scoring").get_data(as_text=True)
    assert "示例：虚构的50份答卷，仅用于说明计算方法" in empty and "尚无答卷" in empty
    add_response(owned, owned.units[0], "A")
    add_response(owned, owned.units[1], "B")
    add_response(owned, owned.units[2], "B", keys={"Q1": "A"})
    db.session.commit()
    page = client.get(f"/manage/surveys/{owned.id}/scoring").get_data(as_text=True)
    assert "虚构" not in page and "本调查实际答卷" in page and "，3份答卷" in page
    assert "非常满意 2份（66.67%" in page and "比较满意 1份（33.33%" in page
    assert "按当前答卷（暂定）：</strong>暂定结果：28个单位中0个达到最少有效份数" in page

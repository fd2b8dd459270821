"""Review at scale through the test client: bulk decisions, restoring the automatic status, the next to review."""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa
from functional.test_review_pages import Evaluator, base
from support import add_response, make_survey

from survey_app.extensions import db
from survey_app.models import AuditEvent, Response

FAST = {"code": "min_duration", "action": "flag", "reason_zh": "答题用时10秒，少于30秒"}
OUTSIDE = {"code": "not_in_frame", "action": "flag", "reason_zh": "答题单位不在调查单位名单中"}


@pytest.fixture
def flagged_survey(app, ctx, industrial):
    """Four responses flagged as too fast, one flagged as outside the list, two valid; newest last."""
    eva = Evaluator(app, "eva")
    survey = make_survey(industrial)
    survey.owner_id = eva.user.id
    made = []
    for i, flags in enumerate([[FAST], [FAST], [], [FAST], [OUTSIDE], [], [FAST]]):
        response = add_response(survey, survey.units[i % 2], "A", keys={"Q1": "B"},
                                status="flagged" if flags else "valid")
        response.flags = flags
        response.submitted_at = response.submitted_at + timedelta(minutes=i)
        made.append(response)
    db.session.commit()
    return eva, survey, made


def statuses(made) -> list[str]:
    db.session.expire_all()
    return [db.session.get(Response, r.id).status for r in made]


def test_one_reason_excludes_every_response_of_the_filtered_list(flagged_survey):
    eva, survey, made = flagged_survey
    query = "status=flagged&flag=min_duration"
    page = eva.get(f"{base(survey)}?{query}").get_data(as_text=True)
    assert "当前筛选的全部 4 份答卷" in page
    reply = eva.post(f"{base(survey)}/bulk?{query}", {"scope": "filter", "shown": "4", "choice": "excluded",
                                                      "reason": "答题过快，经回访确认未认真作答"}, token_from=base(survey))
    assert reply.status_code == 303 and reply.headers["Location"].endswith("/responses?status=flagged&flag=min_duration")
    assert statuses(made) == ["excluded", "excluded", "valid", "excluded", "flagged", "valid", "excluded"]
    events = db.session.scalars(sa.select(AuditEvent).where(AuditEvent.action == "response.exclude")).all()
    assert sorted(e.after["response_id"] for e in events) == sorted(made[i].id for i in (0, 1, 3, 6))
    assert {(e.actor, e.after["reason"], e.after["bulk"]) for e in events} == {("user:eva", "答题过快，经回访确认未认真作答", 4)}
    assert "已剔除4份答卷" in eva.get(base(survey)).get_data(as_text=True)


def test_a_filtered_list_that_changed_since_it_was_shown_is_not_decided(flagged_survey):
    eva, survey, made = flagged_survey
    reply = eva.post(f"{base(survey)}/bulk?status=flagged", {"scope": "filter", "shown": "4", "choice": "excluded",
                                                              "reason": "批量剔除"}, token_from=base(survey))
    assert reply.status_code == 303
    assert "筛选结果已变化（现有5份，页面显示4份）" in eva.get(base(survey)).get_data(as_text=True)
    assert "excluded" not in statuses(made)


def test_selected_rows_are_decided_and_a_reason_is_required(flagged_survey, industrial):
    eva, survey, made = flagged_survey
    other = make_survey(industrial, name="另一项调查", units=("丙公司",))
    stranger = add_response(other, other.units[0], "A")
    db.session.commit()
    ids = [str(made[0].id), str(made[4].id), str(stranger.id)]
    refused = eva.post(f"{base(survey)}/bulk", {"ids": ids, "choice": "valid", "reason": " "}, token_from=base(survey))
    assert refused.status_code == 303 and "请填写理由" in eva.get(base(survey)).get_data(as_text=True)
    assert statuses(made)[0] == "flagged"
    assert eva.post(f"{base(survey)}/bulk", {"ids": ids, "choice": "valid", "reason": "电话回访确认"},
                    token_from=base(survey)).status_code == 303
    assert statuses(made)[0] == statuses(made)[4] == "valid"
    assert db.session.get(Response, stranger.id).decision is None  # another survey's id is ignored


def test_restoring_the_automatic_status_forgets_the_decision_and_is_audited(flagged_survey):
    eva, survey, made = flagged_survey
    target = made[0]
    path = f"{base(survey)}/{target.id}"
    eva.post(f"{base(survey)}/bulk", {"ids": [str(target.id)], "choice": "excluded", "reason": "误判"},
             token_from=base(survey))
    assert "恢复自动判定" in eva.get(path).get_data(as_text=True)
    assert eva.post(f"{path}/automatic", {"reason": "撤回剔除，按规则处理"}, token_from=path).status_code == 303
    db.session.expire_all()
    response = db.session.get(Response, target.id)
    assert (response.status, response.decision, response.status_reason) == ("flagged", None, "答题用时10秒，少于30秒")
    event = db.session.scalars(sa.select(AuditEvent).where(AuditEvent.action == "response.automatic")).one()
    assert (event.before["status"], event.after["status"], event.after["reason"]) == ("excluded", "flagged",
                                                                                       "撤回剔除，按规则处理")
    # In bulk too: only responses with a decision change.
    eva.post(f"{base(survey)}/bulk", {"ids": [str(made[1].id)], "choice": "excluded", "reason": "重复"},
             token_from=base(survey))
    eva.post(f"{base(survey)}/bulk?status=excluded", {"scope": "filter", "shown": "1", "choice": "automatic",
                                                       "reason": "复核"}, token_from=base(survey))
    assert statuses(made)[:2] == ["flagged", "flagged"]


def test_the_detail_page_links_the_next_flagged_response_in_list_order(flagged_survey):
    eva, survey, made = flagged_survey
    # Newest first: 6, 4, 3, 1, 0 are flagged; from 4 the next is 3, from 0 it wraps to 6.
    html = eva.get(f"{base(survey)}/{made[4].id}").get_data(as_text=True)
    assert f'id="next-to-review" href="{base(survey)}/{made[3].id}"' in html
    html = eva.get(f"{base(survey)}/{made[0].id}?flag=min_duration").get_data(as_text=True)
    assert f'id="next-to-review" href="{base(survey)}/{made[6].id}?flag=min_duration"' in html
    for r in made:
        if r.status == "flagged" and r.id != made[0].id:
            db.session.get(Response, r.id).status = "excluded"
    db.session.commit()
    assert "没有其他待复核的答卷" in eva.get(f"{base(survey)}/{made[0].id}").get_data(as_text=True)

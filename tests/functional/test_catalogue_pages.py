"""Pages show the text catalogue's labels (texts_zh.labels), one word per concept."""

from __future__ import annotations

import html as html_lib
import json
import re

from support import add_response, login, make_survey, make_user

from survey_app.domain.vocabulary import (
    FlagAction,
    FlagCode,
    ResponseStatus,
    Source,
    SurveyState,
)
from survey_app.extensions import db
from survey_app.services import review
from survey_app.services.surveys import close_survey, open_survey
from survey_app.texts_zh import labels


def _page(client, path: str) -> str:
    reply = client.get(path)
    assert reply.status_code == 200, path
    return reply.get_data(as_text=True)


def _owned_by_eva(client, industrial):
    """A survey owned by the evaluator "eva", signed in on ``client``."""
    eva = make_user("eva")
    survey = make_survey(industrial)
    survey.owner_id = eva.id
    db.session.commit()
    login(client, "eva")
    return survey


def _screened(survey, unit, status: ResponseStatus, source: Source, codes=()):
    response = add_response(survey, unit, "A", status=str(status))
    response.source = str(source)
    response.flags = [{"code": str(c), "action": "flag", "reason_zh": f"理由{c}"} for c in codes]
    return response


def test_review_list_and_detail_use_the_catalogue(client, ctx, industrial):
    eva = make_user("eva")
    survey = make_survey(industrial)
    survey.owner_id = eva.id
    _screened(survey, survey.units[0], ResponseStatus.VALID, Source.WEB)
    flagged = _screened(survey, survey.units[0], ResponseStatus.FLAGGED, Source.PAPER, [FlagCode.MIN_DURATION])
    _screened(survey, survey.units[1], ResponseStatus.EXCLUDED, Source.IMPORT, [FlagCode.NOT_IN_FRAME])
    db.session.commit()
    login(client, "eva")

    page = _page(client, f"/manage/surveys/{survey.id}/responses")
    for status in ResponseStatus:  # the status tabs and the status filter
        assert f"{labels.STATUS[status]} 1</a>" in page
        assert f'<option value="{status}">{labels.STATUS[status]}</option>' in page
    for source in Source:  # the source filter and one row per source
        assert f'<option value="{source}">{labels.SOURCE[source]}</option>' in page
        assert f'<td class="nw">{labels.SOURCE[source]}</td>' in page
    for code in FlagCode:
        assert f'<option value="{code}">{labels.FLAG[code]}</option>' in page
    assert page.count(labels.FLAGS_FIELD) == 2  # the filter and the column
    assert f'<span class="status-flagged">{labels.STATUS[ResponseStatus.FLAGGED]}</span>' in page

    review.exclude(db.session, survey, flagged, "电话回访确认非本单位人员", "user:eva")
    db.session.commit()
    detail = _page(client, f"/manage/surveys/{survey.id}/responses/{flagged.id}")
    assert f"<th>{labels.FLAGS_FIELD}</th>" in detail and f"<td>{labels.SOURCE[Source.PAPER]}</td>" in detail
    assert f"{labels.DECISION[ResponseStatus.EXCLUDED]}：电话回访确认非本单位人员" in detail
    assert labels.AUDIT_ACTION["response.exclude"] in detail
    flagged_zh, excluded_zh = labels.STATUS[ResponseStatus.FLAGGED], labels.STATUS[ResponseStatus.EXCLUDED]
    assert f"（{flagged_zh} → {excluded_zh}）" in detail
    # The survey's audit log names the same action with the same words.
    log = _page(client, f"/manage/surveys/{survey.id}/audit")
    exclude_zh = labels.AUDIT_ACTION["response.exclude"]
    assert f'<span class="sentence">{exclude_zh}：答卷{flagged.id}（{flagged_zh}→{excluded_zh}）' in log


def test_survey_list_and_survey_header_show_the_state_labels(client, ctx, industrial):
    eva = make_user("eva")
    surveys = {state: make_survey(industrial, name=f"调查{state}", status="draft") for state in SurveyState}
    open_survey(db.session, surveys[SurveyState.OPEN])
    open_survey(db.session, surveys[SurveyState.CLOSED])
    close_survey(db.session, surveys[SurveyState.CLOSED])
    for survey in surveys.values():
        survey.owner_id = eva.id
    db.session.commit()
    login(client, "eva")

    page = _page(client, "/manage/")
    for state, survey in surveys.items():
        assert f'<span class="badge badge-{state}">{labels.SURVEY_STATE[state]}</span>' in page
        header = _page(client, f"/manage/surveys/{survey.id}/dashboard")
        assert f'<span class="badge badge-{state}">{labels.SURVEY_STATE[state]}</span>' in header
    assert f"（{labels.ROLE['evaluator']}）" in page  # the account's role in the top bar


def test_dashboard_hands_its_script_the_catalogue_labels(client, ctx, industrial):
    survey = _owned_by_eva(client, industrial)
    page = _page(client, f"/manage/surveys/{survey.id}/dashboard")
    handed = json.loads(html_lib.unescape(re.search(r"data-labels='([^']*)'", page).group(1)))
    assert handed["status"] == {str(k): v for k, v in labels.STATUS.items()}
    assert handed["availability"] == {str(k): v for k, v in labels.AVAILABILITY.items()}
    assert f"含{labels.STATUS[ResponseStatus.FLAGGED]}答卷" in page
    assert f"含{labels.STATUS[ResponseStatus.EXCLUDED]}答卷" in page


def test_scoring_page_names_rules_and_actions_from_the_catalogue(client, ctx, industrial):
    survey = _owned_by_eva(client, industrial)
    page = _page(client, f"/manage/surveys/{survey.id}/scoring")
    for code in FlagCode:
        assert f"<tr><td>{labels.FLAG[code]}</td>" in page
    for action in FlagAction:
        assert f">{labels.FLAG_ACTION[action]}</option>" in page
    assert f"“{labels.FLAG_ACTION[FlagAction.FLAG]}”的答卷仍计入统计" in page

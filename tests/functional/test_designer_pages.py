"""The designer and wording pages over HTTP, posted as a browser without JavaScript would.

Each button posts the whole form; the questionnaire is stored only when the whole result
validates (a redirect), otherwise the page comes back (422) with the messages beside the
fields and the stored questionnaire unchanged.  After opening: structure refused with the
reason, wording fixes audited with before and after.  The preview never stores anything.
"""

from __future__ import annotations

import sqlalchemy as sa
from designer_support import form_fields, press
from support import add_response, count, csrf_token, login, make_survey, make_user

from survey_app.domain.wording import structure_hash
from survey_app.extensions import db
from survey_app.models import AuditEvent, Response, Survey
from survey_app.services.access import grant
from survey_app.texts_zh import banks as bank_zh
from survey_app.texts_zh import designer as zh


def own_survey(client, industrial, status="draft", username="eva"):
    user = make_user(username)
    survey = make_survey(industrial, status=status)
    survey.owner_id = user.id
    db.session.commit()
    login(client, username)
    return survey.id


def stored(survey_id):
    db.session.expire_all()
    return db.session.get(Survey, survey_id)


def test_the_page_shows_every_question_and_an_untouched_save_stores_nothing_new(client, ctx, industrial):
    sid = own_survey(client, industrial)
    url = f"/manage/surveys/{sid}/designer"
    page = client.get(url)
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and "问卷设计" in html
    fields = form_fields(html)
    assert fields["s1.q0.text"] == [industrial.question("Q1").text] and "draft" in fields
    before = count(AuditEvent)
    assert press(client, url, html=html).status_code == 302
    assert count(AuditEvent) == before  # nothing changed, nothing recorded
    assert stored(sid).questionnaire_hash == industrial.content_hash()


def test_adding_a_question_is_kept_only_once_the_whole_questionnaire_validates(client, ctx, industrial):
    sid = own_survey(client, industrial)
    url = f"/manage/surveys/{sid}/designer"
    reply = press(client, url, "add_question:1", s1__new_type="single")
    html = reply.get_data(as_text=True)
    assert reply.status_code == 422
    assert bank_zh.TEXT_REQUIRED in html and bank_zh.SCORED_NEEDS_TOPIC in html
    assert stored(sid).questionnaire_hash == industrial.content_hash()  # nothing stored
    p = f"s1__q{len(industrial.sections[1].questions)}__"  # the added question, last of its section
    assert p.replace("__", ".") + "text" in form_fields(html)
    name = p.replace("__", ".") + "text"
    assert f'name="{name}" id="{name}" rows="2" autofocus' in html  # the keyboard lands on the new question
    done = press(client, url, html=html, **{p + "text": "您对服务热线是否满意？", p + "topic": "服务热线"})
    assert done.status_code == 302
    q = stored(sid).questionnaire
    added = q.sections[1].questions[-1]
    assert (added.text, added.topic, added.scored) == ("您对服务热线是否满意？", "服务热线", True)
    assert db.session.scalars(sa.select(AuditEvent.action)).all() == ["survey.questionnaire"]


def test_deleting_a_question_with_a_follow_up_is_refused_on_the_page(client, ctx, industrial):
    sid = own_survey(client, industrial)
    url = f"/manage/surveys/{sid}/designer"
    reply = press(client, url, "del_question:1.0")  # Q1, followed up by Q1R
    assert reply.status_code == 422
    assert zh.DELETE_REFERENCED.format(followups="Q1R", target=zh.THIS_QUESTION) in reply.get_data(as_text=True)
    assert stored(sid).questionnaire.question("Q1") is not None


def test_moving_and_a_scale_preset_are_stored(client, ctx, industrial):
    sid = own_survey(client, industrial)
    url = f"/manage/surveys/{sid}/designer"
    order = [q.id for q in industrial.sections[1].questions]
    # Q3 moved below its follow-up Q3R: the validator refuses, nothing is stored.
    refused = press(client, url, f"down_question:1.{order.index('Q3')}")
    assert refused.status_code == 422 and bank_zh.SHOW_IF_UNKNOWN.format(target="Q3") in refused.get_data(as_text=True)
    assert [q.id for q in stored(sid).questionnaire.sections[1].questions] == order
    assert press(client, url, f"up_question:1.{order.index('Q4')}").status_code == 302
    moved = [q.id for q in stored(sid).questionnaire.sections[1].questions]
    assert moved.index("Q4") == order.index("Q4") - 1 and moved.index("Q3R") == order.index("Q3R") + 1
    j = moved.index("Q4")
    assert press(client, url, **{f"s1__q{j}__scale": "likert"}).status_code == 302
    assert [o.value for o in stored(sid).questionnaire.question("Q4").options] == [5, 4, 3, 2, 1]


def test_a_matrix_and_a_follow_up_on_one_of_its_rows(client, ctx, industrial):
    sid = own_survey(client, industrial)
    url = f"/manage/surveys/{sid}/designer"
    html = press(client, url, "add_question:1", s1__new_type="matrix").get_data(as_text=True)
    j = len(industrial.sections[1].questions)
    p = f"s1__q{j}__"
    for _ in range(2):
        html = press(client, url, f"add_row:1.{j}", html=html).get_data(as_text=True)
    rows = {p + "text": "您对以下各项是否满意？"}
    for k, topic in enumerate(("发放时间", "申报流程", "服务态度")):
        rows |= {f"{p}r{k}__text": topic, f"{p}r{k}__topic": topic}
    assert press(client, url, html=html, **rows).status_code == 302
    matrix = stored(sid).questionnaire.sections[1].questions[-1]
    assert matrix.type == "matrix" and [r.topic for r in matrix.rows] == ["发放时间", "申报流程", "服务态度"]
    # A text follow-up on the second row, shown for 不太满意/不满意.
    html = press(client, url, "add_question:1", s1__new_type="text").get_data(as_text=True)
    f = f"s1__q{j + 1}__"
    html = press(client, url, html=html, **{f + "text": "请说明原因", f + "show_if": matrix.rows[1].id}).get_data(
        as_text=True)
    assert bank_zh.SHOW_IF_EMPTY in html
    assert press(client, url, html=html, **{f + "any_of": ["C", "D"]}).status_code == 302
    follow = stored(sid).questionnaire.sections[1].questions[-1]
    assert (follow.show_if.question, follow.show_if.any_of) == (matrix.rows[1].id, ("C", "D"))
    refused = press(client, url, f"del_row:1.{j}.1")
    assert refused.status_code == 422 and follow.id in refused.get_data(as_text=True)


def test_after_opening_structure_is_refused_and_wording_fixes_are_audited(client, ctx, industrial):
    sid = own_survey(client, industrial, status="open")
    survey = stored(sid)
    add_response(survey, survey.units[0], "A")
    db.session.commit()
    url = f"/manage/surveys/{sid}/designer"
    page = client.get(url).get_data(as_text=True)
    assert "问卷结构已固定" in page and "已有 1 份答卷" in page
    reply = client.post(url, data={"csrf_token": csrf_token(client), "op": "add_section", "draft": "{}"})
    assert reply.status_code == 409 and "问卷结构已固定" in reply.get_data(as_text=True)
    hash_before = stored(sid).questionnaire_hash
    assert stored(sid).questionnaire_hash == hash_before
    # Wording: Q1's text and topic; the audit log keeps both sides.
    wording = f"/manage/surveys/{sid}/questions"
    reply = client.post(wording, data={"csrf_token": csrf_token(client), "text_Q1": "您对政策宣传是否满意？",
                                       "topic_Q1": "政策宣传", "help_Q2": "按实际情况填写"})
    assert reply.status_code == 302
    fixed = stored(sid).questionnaire
    assert (fixed.question("Q1").text, fixed.question("Q1").topic) == ("您对政策宣传是否满意？", "政策宣传")
    assert structure_hash(fixed) == structure_hash(industrial)
    event = db.session.scalars(sa.select(AuditEvent).where(AuditEvent.action == "survey.wording")).one()
    assert event.before == {"Q1.text": industrial.question("Q1").text, "Q1.topic": industrial.question("Q1").topic,
                            "Q2.help": "", "questionnaire_hash": hash_before}
    assert event.after == {"Q1.text": "您对政策宣传是否满意？", "Q1.topic": "政策宣传", "Q2.help": "按实际情况填写",
                           "questionnaire_hash": fixed.content_hash()}
    # A value is structure: refused with the reason, nothing stored.
    refused = client.post(wording, data={"csrf_token": csrf_token(client), "value_Q1_C": "50"})
    assert refused.status_code == 400 and zh.STRUCTURE_CHANGED in refused.get_data(as_text=True)
    assert stored(sid).questionnaire.question("Q1").option("C").value == 30


def test_the_preview_renders_the_draft_at_phone_width_and_stores_nothing(client, ctx, industrial):
    sid = own_survey(client, industrial)
    url = f"/manage/surveys/{sid}/designer/preview"
    page = client.get(url)
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and "预览" in html and 'id="preview-banner"' in html
    assert industrial.question("Q1").text in html and "max-width:24.375rem" in html
    hidden = form_fields(html, form_class=None)
    answers = {f"q_{q.id}": q.options[0].key for q in industrial.questions if q.options and not q.show_if}
    reply = client.post(url, data={**{k: v[0] for k, v in hidden.items()}, **answers})
    assert reply.status_code == 200 and zh.PREVIEW_CHECKED in reply.get_data(as_text=True)
    missing = client.post(url, data={k: v[0] for k, v in hidden.items()})
    assert missing.status_code == 422 and "请回答此题" in missing.get_data(as_text=True)
    assert count(Response) == 0 and count(AuditEvent) == 0


def test_a_viewer_sees_the_designer_without_controls_and_may_not_post(client, ctx, industrial):
    owner = make_user("eva")
    survey = make_survey(industrial, status="draft")
    survey.owner_id = owner.id
    grant(db.session, survey, make_user("vic", "viewer"), "viewer")
    db.session.commit()
    login(client, "vic")
    html = client.get(f"/manage/surveys/{survey.id}/designer").get_data(as_text=True)
    assert "<fieldset disabled>" in html and "没有修改权限" in html
    assert form_fields(html).keys() <= {"csrf_token", "draft"}
    reply = client.post(f"/manage/surveys/{survey.id}/designer", data={"csrf_token": csrf_token(client)})
    assert reply.status_code == 403


def test_a_tampered_or_stale_page_is_refused_without_a_server_error(client, ctx, industrial):
    sid = own_survey(client, industrial)
    url = f"/manage/surveys/{sid}/designer"
    token = csrf_token(client)
    sections = '"sections":[{"id":"S","title":"t","questions":[{"id":"Q1","type":"single","text":"x","options":"ab"}]}]'
    for draft, op in (("", "save"), ("[1]", "save"), ('{"sections":"x"}', "save"), ("[" * 5000, "save"),
                      ('{"sections":[{"questions":[1]}]}', "save"), ('{"scales":{"a":1},"sections":[]}', "save"),
                      ("{" + sections + "}", "add_option:0.0"), ('{"sections":[]}', "del_question:9.9"),
                      ('{"sections":[]}', "nonsense:1"), ('{"sections":[]}', "up_question:x")):
        reply = client.post(url, data={"csrf_token": token, "draft": draft, "op": op})
        assert reply.status_code in (400, 422), (draft[:40], op, reply.status_code)
    assert stored(sid).questionnaire_hash == industrial.content_hash()

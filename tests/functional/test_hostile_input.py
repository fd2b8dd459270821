"""Text no database column can hold (NUL, lone surrogates) and HEAD requests, on both databases.

PostgreSQL refuses NUL in text where SQLite stores it, so each test asserts what is *stored*
(or the 4xx), not merely "no 500": the same assertions then fail on SQLite too when the
cleaning is missing.
"""

from __future__ import annotations

import sqlalchemy as sa
from support import HIDDEN_CSRF, Respondent, all_satisfied, count, make_user

from survey_app.extensions import db
from survey_app.models import Answer, LoginThrottle, Response, Survey, Unit
from survey_app.services.surveys import survey_by_open_token, unit_by_token


def _survey() -> Survey:
    return db.session.scalars(sa.select(Survey)).one()


def test_nul_in_a_link_is_a_chinese_400(client, ctx, open_survey_ids):
    _, tokens = open_survey_ids
    open_token = _survey().open_token
    for path in ("/s/%00", f"/s/{tokens[0]}%00", f"/o/{open_token}%00", f"/o/{open_token}%00/done",
                 f"/s/{tokens[0]}?from=%00", "/manage/login?next=/%00", "/api/v1/surveys?status=%00"):
        reply = client.get(path)
        assert reply.status_code == 400, path
        assert "无法识别的字符" in reply.get_data(as_text=True), path


def test_token_lookups_accept_only_the_token_alphabet(ctx, open_survey_ids):
    _, tokens = open_survey_ids
    open_token = _survey().open_token
    assert unit_by_token(db.session, tokens[0]).token == tokens[0]
    assert survey_by_open_token(db.session, open_token).open_token == open_token
    for bad in ("", tokens[0] + "\x00", tokens[0][:-1] + "\udcff", tokens[0] + " ", "x" * 65, "甲" * 10, "a%00"):
        assert unit_by_token(db.session, bad) is None, repr(bad)
        assert survey_by_open_token(db.session, bad) is None, repr(bad)


def test_login_name_with_nul_is_refused_without_an_error(client, ctx):
    make_user("alice")
    page = client.get("/manage/login")
    token = dict(HIDDEN_CSRF.findall(page.get_data(as_text=True)))["csrf_token"]
    reply = client.post("/manage/login", data={"username": "ali\x00ce", "password": "password-123456",
                                                "csrf_token": token})
    assert reply.status_code == 400
    assert "无法识别的字符" in reply.get_data(as_text=True)
    assert count(LoginThrottle) == 0


def test_nul_in_answers_and_unit_other_is_stripped_and_the_answer_kept(client, ctx, open_survey_ids, industrial):
    """The respondent's form is cleaned, not refused: a 400 would lose the whole questionnaire."""
    path = f"/o/{_survey().open_token}"
    respondent = Respondent(client)
    respondent.open(path)
    answers = all_satisfied(industrial) | {"unit": "other", "unit_other": " 某\x00科技\x01有限公司 ",
                                           "Q3": "C", "Q3R": "材料\x00较多"}
    client.environ_base["HTTP_USER_AGENT"] = "Mozilla/5.0\x00 (phone)"
    try:
        reply = respondent.submit(path, answers)
    finally:
        client.environ_base.pop("HTTP_USER_AGENT")
    assert reply.status_code == 303
    response = db.session.scalars(sa.select(Response)).one()
    assert response.unit_id is None and response.unit_name_given == "某科技有限公司"
    assert response.user_agent == "Mozilla/5.0 (phone)"
    texts = db.session.scalars(sa.select(Answer.text_value).where(Answer.question_id == "Q3R")).all()
    assert texts == ["材料较多"]


def test_nul_in_a_choice_is_an_invalid_answer_with_everything_kept(respondent, open_survey_ids, industrial):
    _, tokens = open_survey_ids
    reply = respondent.answer(f"/s/{tokens[0]}", all_satisfied(industrial) | {"Q1": "A\x00B", "Q3": "C",
                                                                            "Q3R": "保留\x00的文字"})
    assert reply.status_code == 422
    assert "保留的文字" in reply.get_data(as_text=True)
    assert count(Response) == 0


def test_nul_in_an_upload_file_name_is_refused(client, ctx, open_survey_ids):
    import io

    from support import csrf_token, login

    make_user("alice", role="admin")
    login(client, "alice")
    survey_id = _survey().id
    reply = client.post(f"/manage/surveys/{survey_id}/units/import",
                        data={"file": (io.BytesIO("单位名称\n甲\n".encode()), "名单\x00.csv"),
                              "csrf_token": csrf_token(client)})
    assert reply.status_code == 400
    assert count(Unit) == 2


def _full_form(client, path: str, industrial) -> dict:
    """A complete, valid submission (fresh ticket and CSRF token) for ``path``."""
    hidden = dict(HIDDEN_CSRF.findall(client.get(path).get_data(as_text=True)))
    respondent = Respondent(client)
    respondent.open(path)
    data = dict(respondent.hidden) | hidden
    for key, value in all_satisfied(industrial).items():
        data[f"q_{key}"] = value
    return data


def test_head_with_a_complete_form_never_stores_a_response(client, ctx, open_survey_ids, industrial):
    """Link previewers send HEAD; it is answered as GET, whatever its body."""
    _, tokens = open_survey_ids
    survey = _survey()
    links = ((f"/s/{tokens[0]}", {}), (f"/o/{survey.open_token}", {"unit": str(survey.units[0].id)}))
    for stored, (path, extra) in enumerate(links):
        data = _full_form(client, f"{path}?another=1", industrial) | extra
        reply = client.head(path, data=data)
        assert reply.status_code == 200, path
        assert reply.get_data() == b""
        assert count(Response) == stored, path
        # The very same body as a POST is a valid submission: only the method made the difference.
        assert client.post(path, data=data).status_code == 303
    assert count(Response) == 2


def test_head_on_a_closed_survey_answers_like_get(client, ctx, open_survey_ids):
    from survey_app.services.surveys import close_survey

    _, tokens = open_survey_ids
    close_survey(db.session, _survey())
    db.session.commit()
    assert client.head(f"/s/{tokens[0]}").status_code == client.get(f"/s/{tokens[0]}").status_code == 200

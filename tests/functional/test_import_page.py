"""The answer-import upload page: check (dry run) → confirm; refusals; nothing written early."""

from __future__ import annotations

import io

import sqlalchemy as sa
from fixtures.imports.wjx_files import wjx_rows, write_csv
from support import count, csrf_token, login, make_survey, make_user

from survey_app.extensions import db
from survey_app.models import AuditEvent, Response


def upload(client, survey_id, data: bytes, name="问卷星导出.csv", **extra):
    return client.post(f"/manage/surveys/{survey_id}/responses/import", content_type="multipart/form-data",
                       data={"csrf_token": csrf_token(client), "file": (io.BytesIO(data), name), **extra})


def confirm_action(html: str) -> str:
    """The confirm form's URL (the mapping form's ends in /map)."""
    actions = [part.split('"')[0] for part in html.split('action="')[1:]]
    return next(a for a in actions if "/responses/import/" in a and not a.endswith("/map"))


def test_check_then_confirm_imports_all_rows_once(client, ctx, industrial, tmp_path):
    eva = make_user("eva")
    survey = make_survey(industrial)
    survey.owner_id = eva.id
    db.session.commit()
    data = write_csv(tmp_path / "wjx.csv", wjx_rows(industrial, ["甲公司", "乙公司"], 12, seed=3)).read_bytes()
    login(client, "eva")
    checked = upload(client, survey.id, data)
    html = checked.get_data(as_text=True)
    assert checked.status_code == 200 and "可以导入" in html and count(Response) == 0
    confirm = confirm_action(html)
    done = client.post(confirm, data={"csrf_token": csrf_token(client)})
    assert done.status_code == 302 and count(Response) == 12
    assert db.session.scalars(sa.select(Response.source).distinct()).all() == ["import"]
    assert db.session.scalars(sa.select(AuditEvent.action).where(AuditEvent.action == "responses.import")).one()
    used_up = client.post(confirm, data={"csrf_token": csrf_token(client)})
    assert used_up.status_code == 302 and count(Response) == 12  # the stored upload is gone after importing
    again = upload(client, survey.id, data)
    assert again.status_code == 422 and count(Response) == 12  # the same file twice is refused


def test_bad_files_get_a_chinese_message(client, ctx, industrial):
    eva = make_user("eva")
    survey = make_survey(industrial)
    survey.owner_id = eva.id
    db.session.commit()
    login(client, "eva")
    empty = upload(client, survey.id, b"")
    assert empty.status_code == 400 and "文件是空的" in empty.get_data(as_text=True)
    nonsense = upload(client, survey.id, "列一,列二\n甲,乙\n".encode())
    assert nonsense.status_code == 422 and count(Response) == 0

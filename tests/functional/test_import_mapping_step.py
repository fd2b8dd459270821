"""The answer-import page's mapping step: change a column's role, map an unknown value, accept a
suggested unit, skip another; nothing is written before the confirm; the next file reuses the choices."""

from __future__ import annotations

import io
import re

import sqlalchemy as sa
from fixtures.imports.wjx_files import wjx_rows, write_csv
from support import count, csrf_token, login, make_survey, make_user

from survey_app.extensions import db
from survey_app.models import AuditEvent, Response

HIDDEN_IDS = ("seq", "submitted_at", "duration", "source_detail", "unit_code", "text_order", "option_label")


def upload(client, survey_id, data: bytes, name="问卷星导出_按文本.csv"):
    return client.post(f"/manage/surveys/{survey_id}/responses/import", content_type="multipart/form-data",
                       data={"csrf_token": csrf_token(client), "file": (io.BytesIO(data), name)})


def action(html: str, ending: str) -> str:
    actions = [part.split('"')[0] for part in html.split('action="')[1:]]
    return next(a for a in actions if "/responses/import/" in a and a.endswith("/map") == (ending == "map"))


def visible(html: str) -> str:
    body = re.sub(r"<(script|style)[^>]*>.*?</\1>", "", html, flags=re.DOTALL)
    return re.sub(r"<[^>]+>", " ", body)


def test_mapping_step_then_confirm_then_the_next_file_needs_no_choices(client, ctx, industrial, tmp_path):
    eva = make_user("eva")
    survey = make_survey(industrial)
    survey.owner_id = eva.id
    db.session.commit()
    jia = next(u.id for u in survey.units if u.name == "甲公司")
    rows = wjx_rows(industrial, ["甲公司", "乙公司"], 10, unit_header="1、您所在的单位名称：")
    q1 = next(i for i, h in enumerate(rows[0]) if h.endswith(industrial.question("Q1").text))
    rows[0][q1] = "4、宣传解读"  # not recognisable: the evaluator maps it
    rows[2][6] = rows[4][6] = "甲工司"
    rows[3][6] = "丙公司"
    q2 = next(i for i, h in enumerate(rows[0]) if h.endswith(industrial.question("Q2").text))
    rows[5][q2] = "很满意"
    login(client, "eva")
    checked = upload(client, survey.id, write_csv(tmp_path / "a.csv", rows).read_bytes())
    html = checked.get_data(as_text=True)
    assert checked.status_code == 422 and count(Response) == 0
    assert f'name="col_{q1}"' in html and "未识别" in html and "缺少必答题的列：Q1" in html
    assert "是否为：甲公司？" in html and "跳过这些行" in html and "很满意" in html
    assert not any(word in visible(html) for word in HIDDEN_IDS)
    assert 'id="confirm"' not in html

    remap = client.post(action(html, "map"), data={"csrf_token": csrf_token(client), f"col_{q1}": "q:Q1",
                                                   "unit_0": str(jia), "unit_1": "skip", "val_0": "A",
                                                   "unit_mode": "column"})
    html = remap.get_data(as_text=True)
    assert remap.status_code == 200 and "检查结果：可以导入" in html and count(Response) == 0
    assert "按选择跳过的行" in html and "第4行" in html and "确认导入 9 份答卷" in html
    done = client.post(action(html, "confirm"), data={"csrf_token": csrf_token(client)})
    assert done.status_code == 302 and count(Response) == 9
    assert db.session.scalar(sa.select(sa.func.count()).where(Response.unit_id == jia)) == 5 + 1
    audit = db.session.scalars(sa.select(AuditEvent).where(AuditEvent.action == "responses.import")).one()
    assert audit.after["skipped_units"]["丙公司"]["rows"] == 1

    later = wjx_rows(industrial, ["甲公司"], 14, unit_header="1、您所在的单位名称：")
    later[0][q1] = "4、宣传解读"
    again = upload(client, survey.id, write_csv(tmp_path / "b.csv", later).read_bytes())
    html = again.get_data(as_text=True)
    assert again.status_code == 200 and "沿用本调查上次导入时的选择" in html
    # the 9 answers imported are recognised by 序号 + 提交答卷时间; the skipped one (丙公司) was never imported
    assert "已导入过 9 份，跳过" in html and "确认导入 5 份答卷" in html


def test_an_open_link_sheet_can_be_imported_outside_the_unit_list(client, ctx, industrial, tmp_path):
    eva = make_user("eva")
    survey = make_survey(industrial)
    survey.owner_id = eva.id
    db.session.commit()
    login(client, "eva")
    checked = upload(client, survey.id, write_csv(tmp_path / "o.csv", wjx_rows(industrial, [], 4, unit_header=None))
                     .read_bytes())
    html = checked.get_data(as_text=True)
    assert checked.status_code == 422 and "找不到单位列。可以：" in html and "先解决上面的问题后才逐行检查" in html
    assert "可导入 0" not in visible(html)
    outside = client.post(action(html, "map"), data={"csrf_token": csrf_token(client), "unit_mode": "none"})
    html = outside.get_data(as_text=True)
    assert outside.status_code == 200 and "确认导入 4 份答卷" in html
    fixed = client.post(action(html, "map"), data={"csrf_token": csrf_token(client), "unit_mode": "fixed",
                                                   "fixed_unit": str(survey.units[1].id)})
    html = fixed.get_data(as_text=True)
    assert fixed.status_code == 200 and f"全部归属一个单位：{survey.units[1].name}" in html
    client.post(action(html, "confirm"), data={"csrf_token": csrf_token(client)})
    assert db.session.scalars(sa.select(Response.unit_id).distinct()).all() == [survey.units[1].id]


def test_the_stash_belongs_to_its_survey_and_user(client, ctx, industrial, tmp_path):
    eva, bob = make_user("eva"), make_user("bob")
    survey = make_survey(industrial)
    survey.owner_id = eva.id
    db.session.commit()
    from survey_app.services.access import grant

    grant(db.session, survey, bob, "evaluator")
    db.session.commit()
    login(client, "eva")
    html = upload(client, survey.id, write_csv(tmp_path / "a.csv", wjx_rows(industrial, ["甲公司"], 3)).read_bytes()) \
        .get_data(as_text=True)
    confirm = action(html, "confirm")
    client.post("/manage/logout", data={"csrf_token": csrf_token(client)})
    login(client, "bob")
    stolen = client.post(confirm, data={"csrf_token": csrf_token(client)})
    assert stolen.status_code == 302 and count(Response) == 0

"""Downloads from the workspace: any survey reader may export; each export is audited."""

from __future__ import annotations

import io

import pandas as pd
import sqlalchemy as sa
from docx import Document
from support import add_response, login, make_survey, make_user

from survey_app.extensions import db
from survey_app.models import AuditEvent
from survey_app.services.access import grant


def test_viewer_downloads_the_appendix_and_the_workbook(client, ctx, industrial):
    owner, fin = make_user("eva"), make_user("fin", "viewer")
    survey = make_survey(industrial, project_name="某专项资金项目", indicator_code="D41", indicator_weight=6.0)
    survey.owner_id = owner.id
    grant(db.session, survey, fin, "viewer")
    for key in "AAAAC":
        add_response(survey, survey.units[0], key)
    db.session.commit()
    login(client, "fin")
    page = client.get(f"/manage/surveys/{survey.id}/exports?include=valid")
    assert page.status_code == 200 and "下载 Word 报告" in page.get_data(as_text=True)
    docx = client.get(f"/manage/surveys/{survey.id}/exports/docx?include=valid&sections_given=1&section=groups")
    assert docx.status_code == 200 and "attachment" in docx.headers["Content-Disposition"]
    text = "\n".join(p.text for p in Document(io.BytesIO(docx.data)).paragraphs)
    assert "某专项资金项目\n受益对象问卷调查分析报告" in text  # the title, on two lines
    # 4×非常满意 + 1×不太满意 of 5: (400 + 30) / 5 = 86.00 on every question
    assert "满意程度为86.00%" in text
    xlsx = client.get(f"/manage/surveys/{survey.id}/exports/xlsx")
    sheets = pd.read_excel(io.BytesIO(xlsx.data), sheet_name=None)
    assert "原始数据" in sheets and len(sheets["原始数据"]) == 5
    actions = db.session.scalars(sa.select(AuditEvent.actor).where(AuditEvent.action == "export")).all()
    assert actions == ["user:fin", "user:fin"]
    assert client.get(f"/manage/surveys/{survey.id}/exports/pptx").status_code == 404
    assert client.get(f"/manage/surveys/{survey.id}/exports?include=maybe").status_code == 400


def test_pdf_button_converts_the_appendix_or_says_why_not(client, ctx, industrial, monkeypatch):
    from survey_app.services import pdf

    owner = make_user("eva")
    survey = make_survey(industrial, project_name="某专项资金项目")
    survey.owner_id = owner.id
    add_response(survey, survey.units[0], "A")
    db.session.commit()
    login(client, "eva")
    assert "下载PDF" in client.get(f"/manage/surveys/{survey.id}/exports").get_data(as_text=True)
    if pdf.converter() is not None:
        reply = client.get(f"/manage/surveys/{survey.id}/exports/pdf")
        assert reply.status_code == 200 and reply.mimetype == "application/pdf" and reply.data[:5] == b"%PDF-"
        assert ".pdf" in reply.headers["Content-Disposition"]
    monkeypatch.setattr(pdf.shutil, "which", lambda name: None)  # a machine without LibreOffice
    page = client.get(f"/manage/surveys/{survey.id}/exports")
    assert "暂不能生成PDF" in page.get_data(as_text=True)
    refused = client.get(f"/manage/surveys/{survey.id}/exports/pdf", follow_redirects=True)
    assert "本机未安装 LibreOffice" in refused.get_data(as_text=True)

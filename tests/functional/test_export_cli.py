"""``flask survey export`` through the CLI runner: files written, audited, bad input refused."""

from __future__ import annotations

import docx
import openpyxl
import pytest
import sqlalchemy as sa
from support import add_response, make_survey

from survey_app.extensions import db
from survey_app.models import AuditEvent


@pytest.fixture
def survey_id(ctx, industrial):
    survey = make_survey(industrial, indicator_weight=6.0)
    for _ in range(4):
        add_response(survey, survey.units[0], "A")
    add_response(survey, survey.units[1], "C", status="flagged")
    db.session.commit()
    return survey.id


@pytest.mark.parametrize("fmt", ["docx", "xlsx", "csv"])
def test_export_writes_the_file_and_audits(runner, survey_id, tmp_path, fmt):
    target = tmp_path / f"out.{fmt}"
    result = runner.invoke(args=["survey", "export", str(survey_id), "--format", fmt, "-o", str(target)])
    assert result.exit_code == 0, result.output
    assert target.exists() and not (tmp_path / f"out.{fmt}.part").exists()
    assert "fingerprint" in result.output
    event = db.session.scalars(sa.select(AuditEvent).where(AuditEvent.action == "export")).one()
    assert event.actor.startswith("cli:") and event.after["format"] == fmt
    if fmt == "docx":
        assert docx.Document(target).paragraphs[0].style.name == "Title"
    if fmt == "xlsx":
        assert openpyxl.load_workbook(target, read_only=True).sheetnames[0] == "原始数据"
    if fmt == "csv":
        assert target.read_bytes().startswith(b"\xef\xbb\xbf")


def test_valid_only_and_sections(runner, survey_id, tmp_path):
    target = tmp_path / "a.docx"
    result = runner.invoke(args=["survey", "export", str(survey_id), "--format", "docx", "-o", str(target),
                                 "--valid-only", "--sections", "all"])
    assert result.exit_code == 0, result.output
    text = [p.text for p in docx.Document(target).paragraphs]
    assert "（五）信度检验" in text
    assert "评分结果：综合满意度为100.00%，位于95%（含）—100%区间，该项指标分值为6分，得6分。" in text
    event = db.session.scalars(sa.select(AuditEvent).where(AuditEvent.action == "export")).one()
    assert event.after["filter"]["statuses"] == ["valid"]
    assert event.after["sections"] == ["alpha", "ci", "data_note", "groups", "opinions", "questionnaire", "sample"]


def test_refusals(runner, survey_id, tmp_path):
    target = tmp_path / "x.docx"
    bad = runner.invoke(args=["survey", "export", str(survey_id), "--format", "docx", "-o", str(target),
                              "--sections", "sample,bogus"])
    assert bad.exit_code == 2 and "bogus" in bad.output and not target.exists()
    assert runner.invoke(args=["survey", "export", "999", "--format", "csv", "-o", str(target)]).exit_code == 2
    assert runner.invoke(args=["survey", "export", str(survey_id), "--format", "pptx", "-o", str(target)]).exit_code == 2
    assert db.session.scalar(sa.select(sa.func.count()).where(AuditEvent.action == "export")) == 0


def test_pdf_through_libreoffice_or_a_clear_refusal(runner, survey_id, tmp_path, monkeypatch):
    from survey_app.services import pdf

    target = tmp_path / "a.pdf"
    if pdf.converter() is not None:
        done = runner.invoke(args=["survey", "export", str(survey_id), "--format", "pdf", "-o", str(target)])
        assert done.exit_code == 0, done.output
        assert target.read_bytes()[:5] == b"%PDF-"
        event = db.session.scalars(sa.select(AuditEvent).where(AuditEvent.action == "export")).one()
        assert event.after["format"] == "pdf"
        target.unlink()
    monkeypatch.setattr(pdf.shutil, "which", lambda name: None)
    refused = runner.invoke(args=["survey", "export", str(survey_id), "--format", "pdf", "-o", str(target)])
    assert refused.exit_code == 3 and "本机未安装 LibreOffice" in refused.output
    assert not target.exists() and not target.with_name("a.pdf.part").exists()

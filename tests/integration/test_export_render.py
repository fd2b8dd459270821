"""The appendix rendered by LibreOffice (the PDF export itself): sentences, settings, numbering, pages.

Needs ``soffice`` (libreoffice-writer-nogui) and ``pdftotext``/``pdftoppm`` (poppler-utils).
Skipped with the reason when they are missing, unless ``REQUIRE_RENDER=1`` (CI), where a
missing tool fails.  Keeps a PNG of the first results page in ``test-artifacts/exports/``.
"""

from __future__ import annotations

import io
import os
import re
import shutil
import subprocess
import uuid
from pathlib import Path

import pytest
from support import add_response, make_survey

from survey_app.extensions import db
from survey_app.services.exports import export_survey
from survey_app.services.report_settings import update_report_settings

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "exports"
TOOLS = ("soffice", "pdftotext", "pdftoppm", "pdffonts")


def require_tools() -> None:
    missing = [tool for tool in TOOLS if shutil.which(tool) is None]
    if missing:
        message = f"rendering needs {', '.join(missing)} (apt-get install libreoffice-writer-nogui poppler-utils)"
        if os.environ.get("REQUIRE_RENDER") == "1":
            pytest.fail(message + " — REQUIRE_RENDER=1")
        pytest.skip(message)


def render(docx_bytes: bytes, workdir: Path) -> Path:
    source = workdir / "appendix.docx"
    source.write_bytes(docx_bytes)
    profile = f"file:///tmp/lo_{uuid.uuid4().hex}"
    try:
        subprocess.run(["soffice", f"-env:UserInstallation={profile}", "--headless", "--convert-to", "pdf",
                        "--outdir", str(workdir), str(source)], check=True, capture_output=True, timeout=240)
    finally:
        shutil.rmtree(profile.removeprefix("file://"), ignore_errors=True)
    return workdir / "appendix.pdf"


def page_texts(pdf: Path) -> list[str]:
    text = subprocess.run(["pdftotext", "-enc", "UTF-8", str(pdf), "-"], check=True, capture_output=True).stdout
    return text.decode("utf-8").split("\f")


def squash(text: str) -> str:
    """Drop the line breaks and spaces the PDF layout inserts (Latin/CJK spacing, wrapped lines)."""
    return re.sub(r"\s+", "", text)


def add_with_advice(survey, unit, key: str, advice: str):
    """A response answering every scored question with ``key`` and the open question S1 with ``advice``."""
    from survey_app.domain.answers import Answer
    from survey_app.models._types import utcnow
    from survey_app.services.responses import SubmissionMeta, store_response

    answers = {q.id: Answer(q.id, option_keys=(key,)) for q in survey.questionnaire.scored_questions}
    answers["S1"] = Answer("S1", text=advice)
    store_response(db.session, survey, unit, answers, SubmissionMeta(submitted_at=utcnow(), source="paper"))


@pytest.fixture
def rendered(ctx, industrial, tmp_path):
    """A survey built here: 2 企业 + 1 专业镇 (one without answers), 50 answers, report settings set."""
    require_tools()
    survey = make_survey(industrial, units=("晋城市甲科技有限公司", "晋城市乙材料有限公司", "高平市丙专业镇"),
                         project_name="渲染测试专项资金项目", indicator_code="D41", indicator_name="奖补对象满意度",
                         indicator_weight=6.0)
    jia, yi, bing = survey.units
    bing.category = "专业镇"
    for key, n in (("A", 39), ("B", 8), ("C", 2)):
        for _ in range(n):
            add_response(survey, jia if key != "C" else yi, key)
    add_with_advice(survey, jia, "A", "希望简化申报材料")
    update_report_settings(db.session, survey, {"issued": 60, "sampling_population": 3,
                                                "sections": ["sample", "groups", "opinions", "questionnaire",
                                                             "data_note"]}, "test")
    db.session.commit()
    out = io.BytesIO()
    result = export_survey(db.session, survey, "pdf", out, actor="test")
    assert result.content_type == "application/pdf" and result.filename.endswith(".pdf")
    pdf = tmp_path / "appendix.pdf"
    pdf.write_bytes(out.getvalue())
    return pdf, result.fingerprint


def test_key_sentences_render_with_every_glyph(rendered, tmp_path):
    rendered, fingerprint = rendered
    pages = page_texts(rendered)
    text = squash("".join(pages))
    assert "\ufffd" not in text
    expected = [
        "渲染测试专项资金项目受益对象问卷调查分析报告",
        "一、调查目的", "四、问卷的发放和回收", "五、调查结果及问卷分析", "附：调查问卷",
        ("调查结果显示，80.00%的受益对象对奖补资金拨付及时性非常满意；16.00%的受益对象比较满意；4.00%的受益对象不太满意；"
         "0.00%的受益对象不满意。综上，反映出受益对象对奖补资金拨付及时性满意程度为94.00%。"),
        "图6对奖补资金拨付及时性满意程度调查数据统计图",
        "综合满意度为94.00%，位于90%（含）—95%区间，该项指标分值为6分，得5分。",
        "□非常满意□比较满意□不太满意□不满意",
    ]
    for sentence in expected:
        assert squash(sentence) in text, sentence
    # Chart labels are real text in the PDF (a native chart, not a picture).
    results_page = next(i for i, page in enumerate(pages, start=1) if "调查结果显示" in page)
    assert "非常满意" in pages[results_page - 1] and "80.00%" in pages[results_page - 1]
    fonts = subprocess.run(["pdffonts", str(rendered)], check=True, capture_output=True, text=True).stdout
    assert all(line.split()[-5] == "yes" for line in fonts.splitlines()[2:]), fonts  # every font embedded
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    subprocess.run(["pdftoppm", "-png", "-r", "80", "-f", str(results_page), "-l", str(results_page), "-singlefile",
                    str(rendered), str(ARTIFACTS / "appendix_first_results_page")], check=True)
    assert (ARTIFACTS / "appendix_first_results_page.png").stat().st_size > 10_000


def test_settings_and_data_decide_what_the_pdf_says(rendered):
    rendered, fingerprint = rendered
    pages = [squash(p) for p in page_texts(rendered) if p.strip()]
    text = "".join(pages)
    # 调查对象 counted from the unit list's categories; 发放数 and N from the report settings.
    assert "本次调查对象为渲染测试专项资金项目的2家企业和1个专业镇，分布于1个县（市、区）。" in text
    assert "发放问卷60份，实际回收50份，回收率为83.33%；有效问卷50份，有效率为100.00%。" in text
    assert "按总体规模N=3（评价设定）" in text
    assert "发放纸质问卷，回收后由评价人员录入本系统" in text  # the platform: where these answers came from
    assert "本次调查内容包括基本情况（3题）、满意度评价（10题）、意见和建议（1题）三个部分，问卷共14题。" in text
    # Sections as the settings say: chosen ones with content present, the others absent.
    for present in ("（一）样本结构", "（四）分组分析", "七、意见建议汇总", "希望简化申报材料", "附：调查问卷", "数据说明："):
        assert present in text, present
    for absent in ("信度检验", "置信区间", "未收到"):
        assert absent not in text, absent
    # One numbering: a question has the same number in the results, the tables and the blank questionnaire.
    assert text.count("9.您对奖补资金拨付的及时性是否满意？") == 2
    assert "适用于第4—13题，共10题" in text and "Q6" not in text
    assert "（第9题选择“不太满意”或“不满意”时填写）" in text
    # Unit tables numbered 1…n in list order; the unit without answers is listed with 0.
    assert "3高平市丙专业镇0暂无答卷" in text
    # Page numbers "— N —" at the foot of each page; no generation time or fingerprint in any footer.
    for number, page in enumerate(pages, start=1):  # (a merged table cell may be extracted after the footer)
        assert f"—{number}—" in page[-30:], (number, page[-40:])
    assert text.count(fingerprint) == 1 and "生成时间" not in text
    # Formulas only in characters the GB2312 fonts have (no ᵢ ₜ ² −).
    assert not set("ᵢₜ²−") & set(text)

"""The appendix rendered by LibreOffice: the key sentences come out with every glyph.

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


@pytest.fixture
def rendered(ctx, industrial, tmp_path):
    require_tools()
    survey = make_survey(industrial, units=("晋城市甲科技有限公司", "高平市乙专业镇"), project_name="渲染测试专项资金项目",
                         indicator_code="D41", indicator_name="奖补对象满意度", indicator_weight=6.0)
    jia, yi = survey.units
    for key, n in (("A", 40), ("B", 8), ("C", 2)):
        for _ in range(n):
            add_response(survey, jia if key != "C" else yi, key)
    db.session.commit()
    out = io.BytesIO()
    export_survey(db.session, survey, "docx", out, actor="test",
                  sections=frozenset({"sample", "groups", "alpha", "ci"}))
    return render(out.getvalue(), tmp_path)


def test_key_sentences_render_with_every_glyph(rendered, tmp_path):
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

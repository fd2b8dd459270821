"""The Word appendix read back with python-docx, on hand-computed examples.

Example A (tests/integration/test_summary.py): units 甲公司 / 乙公司; 甲 answers 非常满意 on
every scored question four times, 乙 不太满意 once → every question 80.00 / 0.00 / 20.00 / 0.00,
satisfaction (4·100 + 1·30) / 5 = 86.00, composite 86.00 → band 80–90 → 4 of 6 points.

Example B (METHOD.md §2): one unit, 40 × 非常满意, 8 × 比较满意, 2 × 不太满意 on every scored
question → 80.00 / 16.00 / 4.00 / 0.00 → 80 + 12.8 + 1.2 = 94.00 → band 90–95 → 5 of 6.
"""

from __future__ import annotations

import io
import zipfile

import docx
import pytest
import sqlalchemy as sa
from support import add_response, make_survey

from survey_app.extensions import db
from survey_app.models import AuditEvent, Response
from survey_app.services.exports import export_survey
from survey_app.services.summary import build_summary


@pytest.fixture
def example(ctx, industrial):
    survey = make_survey(industrial, project_name="测试专项资金项目", indicator_code="D41",
                         indicator_name="奖补对象满意度", indicator_weight=6.0)
    jia, yi = survey.units
    for _ in range(4):
        add_response(survey, jia, "A")
    add_response(survey, yi, "C")
    db.session.commit()
    return survey


@pytest.fixture
def method_example(ctx, industrial):
    survey = make_survey(industrial, units=("丙公司",), project_name="示例项目", indicator_weight=6.0)
    for key, n in (("A", 40), ("B", 8), ("C", 2)):
        for _ in range(n):
            add_response(survey, survey.units[0], key)
    db.session.commit()
    return survey


def export_docx(survey, **kwargs) -> tuple[bytes, docx.document.Document]:
    out = io.BytesIO()
    export_survey(db.session, survey, "docx", out, actor="test", **kwargs)
    return out.getvalue(), docx.Document(io.BytesIO(out.getvalue()))


def paragraphs(document) -> list[str]:
    return [p.text for p in document.paragraphs]


def test_headings_are_real_heading_styles(example):
    _, document = export_docx(example)
    level1 = [p.text for p in document.paragraphs if p.style.name == "Heading 1"]
    assert level1 == ["一、调查目的", "二、调查对象与范围", "三、调查内容", "四、问卷的发放和回收",
                      "五、调查结果及问卷分析", "六、综合满意度及指标得分", "附：调查问卷"]  # no opinions: left out
    title = next(p for p in document.paragraphs if p.style.name == "Title")
    assert title.text == "测试专项资金项目\n受益对象问卷调查分析报告"
    level3 = [p.text for p in document.paragraphs if p.style.name == "Heading 3"]
    assert "4. 您对专项资金政策的宣传和解读是否满意？" in level3


def test_sentences_equal_the_summary_by_hand(example):
    summary = build_summary(db.session, example, statistics=False).to_json()
    _, document = export_docx(example)
    text = paragraphs(document)
    q1 = ("调查结果显示，80.00%的受益对象对专项资金政策宣传解读非常满意；0.00%的受益对象比较满意；"
          "20.00%的受益对象不太满意；0.00%的受益对象不满意。综上，反映出受益对象对专项资金政策宣传解读满意程度为86.00%。")
    assert q1 in text
    for q in summary["questions"]:
        if q["scored"]:
            assert q["satisfaction"] == 86.00
            assert f"综上，反映出受益对象对{q['topic']}满意程度为86.00%。" in "".join(text)
    assert "评分结果：综合满意度为86.00%，位于80%（含）—90%区间，该项指标分值为6分，得4分。" in text
    assert "综合满意度 =（" + " + ".join(["86.00%"] * 10) + "）÷ 10 = 86.00%（按未修约的数值计算，结果保留两位小数）。" in text
    issued = next(t for t in text if t.startswith("计划发放问卷"))
    assert "计划发放问卷（各单位最少有效份数之和）10份，实际回收5份，回收率为50.00%；有效问卷5份，有效率为100.00%。" in issued
    assert "乙公司（有效1份，差4份）" in issued


def test_method_md_example_sentence_and_table(method_example):
    _, document = export_docx(method_example)
    assert ("调查结果显示，80.00%的受益对象对奖补资金拨付及时性非常满意；16.00%的受益对象比较满意；4.00%的受益对象不太满意；"
            "0.00%的受益对象不满意。综上，反映出受益对象对奖补资金拨付及时性满意程度为94.00%。") in paragraphs(document)
    table = next(t for t in document.tables if t.rows[0].cells[0].text == "选项" and len(t.rows) == 7)
    rows = [[c.text for c in row.cells] for row in table.rows]
    assert rows[1:5] == [["非常满意", "100", "40", "80.00"], ["比较满意", "80", "8", "16.00"],
                         ["不太满意", "30", "2", "4.00"], ["不满意", "0", "0", "0.00"]]
    assert rows[-1][-1] == "94.00"


def test_native_charts_captions_and_footer(example):
    data, document = export_docx(example)
    names = zipfile.ZipFile(io.BytesIO(data)).namelist()
    charts = [n for n in names if n.startswith("word/charts/chart")]
    assert len(charts) == 10 and len([n for n in names if n.startswith("word/embeddings/")]) == 10
    chart = zipfile.ZipFile(io.BytesIO(data)).read(charts[0]).decode()
    assert "非常满意" in chart and "<c:externalData" in chart and 'typeface="宋体"' in chart
    captions = [p.text for p in document.paragraphs if p.style.name == "Caption"]
    assert "图1 对专项资金政策宣传解读满意程度调查数据统计图" in captions
    assert next(c for c in captions if c.startswith("表")) == "表1 调查单位名单"
    fingerprint = build_summary(db.session, example, statistics=False).to_json()["fingerprint"]
    section = document.sections[0]
    footers = [section.footer.paragraphs, section.even_page_footer.paragraphs]
    assert [[p.text for p in f] for f in footers] == [["— 1 —"], ["— 1 —"]]  # the PAGE field's cached number
    assert [f[0].alignment for f in footers] == [2, 0]  # outer edge: right on odd pages, left on even
    note = next(p for p in document.paragraphs if p.text.startswith("数据说明："))
    assert fingerprint in note.text and note.style.name == "正文左对齐"
    assert sum(fingerprint in p.text for p in document.paragraphs) == 1
    assert "thumbnail" not in " ".join(names)
    styles = zipfile.ZipFile(io.BytesIO(data)).read("word/styles.xml").decode()
    assert 'w:eastAsia="仿宋_GB2312"' in styles and 'w:eastAsia="zh-CN"' in styles


def test_optional_sections_switch(example):
    _, default = export_docx(example)
    assert not any(p.text.endswith("信度检验") for p in default.paragraphs)
    assert any(p.text == "（一）样本结构" for p in default.paragraphs)
    _, everything = export_docx(example, sections=frozenset({"sample", "groups", "alpha", "ci"}))
    text = paragraphs(everything)
    assert "（五）信度检验" in text and "（六）置信区间" in text
    assert any("本次未计算α系数" in t for t in text)  # 5 answers < 30
    _, bare = export_docx(example, sections=frozenset())
    assert "（一）样本结构" not in paragraphs(bare) and "（四）分组分析" not in paragraphs(bare)


def test_exclusions_are_listed_with_reasons_and_export_is_audited(example):
    response = db.session.scalars(sa.select(Response).where(Response.unit_id == example.units[1].id)).one()
    response.status, response.decision, response.decision_reason = "excluded", "excluded", "非受益单位人员填写"
    db.session.commit()
    _, document = export_docx(example)
    excluded = next(t for t in document.tables if t.rows[0].cells[-1].text == "剔除原因")
    assert excluded.rows[1].cells[-1].text == "评价人员复核剔除：非受益单位人员填写"
    assert "剔除无效答卷1份" in "".join(paragraphs(document))
    event = db.session.scalars(sa.select(AuditEvent).where(AuditEvent.action == "export")).all()[-1]
    assert event.actor == "test" and event.after["format"] == "docx"
    assert event.after["fingerprint"] == build_summary(db.session, example, statistics=False).to_json()["fingerprint"]
    assert event.after["filter"]["statuses"] == ["valid", "flagged"]


def test_empty_survey_reads_sensibly(ctx, industrial):
    survey = make_survey(industrial)
    _, document = export_docx(survey)
    text = paragraphs(document)
    assert "本题暂无有效作答，未能统计受益对象对专项资金政策宣传解读的满意程度。" in text
    assert "暂无计分答卷，无法计算综合满意度和指标得分。" in text
    assert not any("意见建议汇总" in t for t in text)  # nothing to show: the part is left out, not "未收到"


@pytest.mark.parametrize("convention", ["largest_remainder", "independent"])
def test_share_rounding_is_named_and_an_unsplit_tie_is_noted(ctx, industrial, convention):
    from survey_app.services.settings import update_settings

    # 1 × 非常满意, 1 × 比较满意, 1 × 不太满意 on every scored question: 1/3 each.
    # Largest remainder: one hundredth missing for three equal remainders → 33.33 each, total
    # 99.99 (equal counts, equal shares); independent half-up: also 33.33 each.
    survey = make_survey(industrial)
    for key in "ABC":
        add_response(survey, survey.units[0], key)
    update_settings(db.session, survey, {"scoring": {"share_rounding": convention}}, "test")
    db.session.commit()
    out = io.BytesIO()
    export_survey(db.session, survey, "docx", out, actor="test")
    document = docx.Document(io.BytesIO(out.getvalue()))
    text = "\n".join(p.text for p in document.paragraphs)
    q1 = next(t for t in document.tables if t.rows[1].cells[0].text == "非常满意")
    assert [row.cells[-1].text for row in q1.rows[1:6]] == ["33.33", "33.33", "33.33", "0.00", "99.99"]
    if convention == "largest_remainder":
        assert "各选项占比采用最大余数法修约至两位小数" in text
        assert "注：为使选择人数相同的选项占比相同，本题各选项占比合计为99.99%。" in text
    else:
        assert "各选项占比分别四舍五入保留两位小数。因四舍五入，各项比例之和可能不等于100%。" in text
        assert "注：因四舍五入，各项比例之和可能不等于100%（本题合计为99.99%）。" in text

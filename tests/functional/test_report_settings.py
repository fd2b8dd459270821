"""报告设置: defaults derived from the data with their source, saved and audited, used by the appendix."""

from __future__ import annotations

import io

import docx
import pytest
import sqlalchemy as sa
from support import add_response, csrf_token, login, make_survey, make_user

from survey_app.domain.report_settings import ReportFacts, ReportSettings, field_choices, population_phrase, resolve
from survey_app.domain.scoring import SettingsError
from survey_app.domain.vocabulary import Source
from survey_app.extensions import db
from survey_app.models import AuditEvent, Unit
from survey_app.services.exports import export_survey
from survey_app.services.report_settings import update_report_settings
from survey_app.services.summary import build_summary


def units(*rows):
    return [{"category": c, "county": "城区", "attributes": a, "min_valid": 5} for c, a in rows]


def test_population_is_counted_from_the_categories_in_list_order():
    frame = units(*[("企业", {})] * 19, *[("专业镇", {})] * 10)
    assert population_phrase(frame) == "19家企业和10个专业镇"
    assert population_phrase(units(("", {}), ("", {}))) == "2个受益单位"


def test_numeric_fields_are_never_groups_and_joined_values_split():
    frame = units(("企业", {"专项": "技改；研发", "奖励金额": "20"}), ("企业", {"专项": "技改", "奖励金额": "30"}),
                  ("专业镇", {"专项": "研发", "奖励金额": "1,200"}))
    choices = {c.key: c for c in field_choices(frame)}
    assert choices["attribute:专项"].groups == 2 and choices["attribute:专项"].groupable  # 技改, 研发: not "技改；研发"
    assert choices["attribute:奖励金额"].numeric and not choices["attribute:奖励金额"].groupable
    assert not choices["county"].groupable  # one county is no grouping


def test_defaults_name_their_source_and_settings_override_them():
    facts = ReportFacts(units(("企业", {}), ("企业", {})), ["政策与申报"], True, {Source.IMPORT: 158}, "受益对象")
    resolved = resolve(ReportSettings(), facts)
    assert resolved["platform"].value.startswith("通过线上问卷平台（问卷星等）发放问卷")
    assert resolved["platform"].source == "按答卷来源统计（外部数据导入158份）"
    assert resolved["issued"].value == 10 and resolved["issued"].source == "各单位最少有效份数之和"
    assert resolved["purpose"].value[-1] == "受益对象对项目管理和资金使用的意见和建议。"
    chosen = resolve(ReportSettings.from_dict({"issued": "140", "platform": "由主管部门转发问卷链接"}), facts)
    assert (chosen["issued"].value, chosen["issued"].set, chosen["issued"].source) == (140, True, "评价人员设定")
    assert chosen["platform"].value == "由主管部门转发问卷链接"
    for bad in ({"issued": "0"}, {"issued": "很多"}, {"sections": ["nope"]}, {"breakdowns": ["amount"]}):
        with pytest.raises(SettingsError):
            ReportSettings.from_dict(bad)


@pytest.fixture
def owned(client, ctx, industrial):
    eva = make_user("eva")
    survey = make_survey(industrial, units=("甲公司", "乙镇", "丙公司"), project_name="测试专项资金项目")
    survey.owner_id = eva.id
    for unit, category, amount in zip(survey.units, ("企业", "专业镇", "企业"), ("20", "30", "20；30"), strict=True):
        unit.category, unit.attributes = category, {"专项": "技改" if category == "企业" else "镇域", "奖励金额": amount}
    for _ in range(3):
        add_response(survey, survey.units[0], "A")
    add_response(survey, survey.units[1], "B")
    db.session.commit()
    login(client, "eva")
    return survey


def test_page_shows_defaults_with_sources_then_saves_and_audits(client, owned):
    url = f"/manage/surveys/{owned.id}/report-settings"
    page = client.get(url).get_data(as_text=True)
    assert "2家企业和1个专业镇" in page and "按单位名单“类别”列统计（3个单位）" in page
    assert "各单位最少有效份数之和" in page and "数值字段，不分组" in page
    form = {"csrf_token": csrf_token(client), "purpose": "", "population": "", "platform": "", "contact": "张三 0356-1234567",
            "issued": "12", "sampling_population": "3", "section": ["sample", "groups", "questionnaire"],
            "breakdown": ["category"]}
    assert client.post(url, data=form | {"issued": "十二"}).status_code == 400
    assert client.post(url, data=form).status_code == 302
    db.session.refresh(owned)
    assert owned.settings["report"] == {"issued": 12, "contact": "张三 0356-1234567",
                                        "sections": ["sample", "groups", "questionnaire"], "breakdowns": ["category"]}
    assert owned.settings["sampling"] == {"population": 3}
    event = db.session.scalars(sa.select(AuditEvent).where(AuditEvent.action == "settings.report")).one()
    assert event.before == {} and event.after["issued"] == 12
    summary = build_summary(db.session, owned, statistics=False)
    assert (summary.coverage.issued, summary.coverage.issued_explicit, str(summary.coverage.return_rate)) == (12, True,
                                                                                                            "33.33")
    assert [b.by for b in summary.breakdowns.groupings] == ["category"]


def test_closed_survey_keeps_its_report_settings_editable(ctx, industrial):
    from survey_app.services.surveys import close_survey

    survey = make_survey(industrial)
    close_survey(db.session, survey)
    update_report_settings(db.session, survey, {"platform": "发放纸质问卷"}, "test")
    assert survey.settings["report"] == {"platform": "发放纸质问卷"}


def test_breakdowns_keep_unit_list_order_every_unit_and_joined_values(owned):
    last = db.session.scalars(sa.select(Unit).where(Unit.survey_id == owned.id).order_by(Unit.seq.desc())).first()
    update_report_settings(db.session, owned, {"breakdowns": ["attribute:专项", "attribute:奖励金额"]}, "test")
    last.attributes = {"专项": "技改；镇域", "奖励金额": "20"}
    db.session.commit()
    summary = build_summary(db.session, owned, statistics=False)
    assert [g.group for g in summary.breakdowns.units] == [u.id for u in owned.units]  # list order, 丙 without answers
    assert summary.breakdowns.units[-1].composite is None
    by_special = summary.breakdowns.get("attribute:专项")
    assert [(g.group, len(g.units)) for g in by_special.rows] == [("技改", 2), ("镇域", 2)]  # 丙 in both groups
    assert summary.breakdowns.get("attribute:奖励金额") is None  # numbers are not categories
    out = io.BytesIO()
    export_survey(db.session, owned, "docx", out, actor="test", sections=frozenset({"groups"}))
    document = docx.Document(io.BytesIO(out.getvalue()))
    table = next(t for t in document.tables if [c.text for c in t.rows[0].cells][-2:] == ["有效答卷（份）",
                                                                                        "综合满意度（%）"])
    assert [[c.text for c in r.cells] for r in table.rows[1:]] == [["1", "甲公司", "3", "100.00"],
                                                                   ["2", "乙镇", "1", "80.00"],
                                                                   ["3", "丙公司", "0", "暂无答卷"]]
    text = "\n".join(p.text for p in document.paragraphs)
    assert "同时属于多个组的单位" in text


def test_command_shows_sources_and_sets_values(runner, ctx, industrial):
    survey = make_survey(industrial)
    shown = runner.invoke(args=["survey", "report-settings", str(survey.id)])
    assert shown.exit_code == 0, shown.output
    assert "issued: 10  〔各单位最少有效份数之和〕" in shown.output and "population: 2家企业" in shown.output
    changed = runner.invoke(args=["survey", "report-settings", str(survey.id), "--set", "issued=28",
                                  "--set", "sections=sample,questionnaire", "--set", "platform=由主管部门转发问卷链接"])
    assert changed.exit_code == 0, changed.output
    assert "issued: 28  〔评价人员设定〕" in changed.output and "sections: sample；questionnaire" in changed.output
    refused = runner.invoke(args=["survey", "report-settings", str(survey.id), "--set", "sections=everything"])
    assert refused.exit_code == 1 and "未知的报告部分" in refused.output
    db.session.expire_all()
    assert survey.settings["report"] == {"issued": 28, "platform": "由主管部门转发问卷链接",
                                         "sections": ["sample", "questionnaire"]}

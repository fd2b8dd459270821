"""The population N of the sample-size check: default, CLI, scoring page, summary and report."""

from __future__ import annotations

import pytest
from support import csrf_token, login, make_survey, make_user

from survey_app.cli.summary import summary_lines
from survey_app.domain.scoring import SamplingSettings, SettingsError, sample_size
from survey_app.extensions import db
from survey_app.reports.text_zh import sample_size_zh
from survey_app.services.summary import build_summary


def test_cochran_and_yamane_for_n_158():
    # n₀ = 1.96²·0.25/0.05² = 384.16; with N = 158: 384.16 / (1 + 383.16/158) = 112.16 → 113.
    # Yamane: 158 / (1 + 158·0.0025) = 158 / 1.395 = 113.26 → 114.
    size = sample_size(120, 158)
    assert (size.cochran, size.yamane, size.cochran_met, size.yamane_met) == (113, 114, True, True)
    assert sample_size_zh(size) == (
        "按总体规模N=158（评价设定）、95%置信水平、5%允许误差计算，Cochran公式（有限总体校正）所需样本量为113份，"
        "Yamane公式为114份；实际纳入统计120份，达到Cochran要求，达到Yamane要求。")
    assert sample_size(113, 158).yamane_met is False


def test_sampling_settings_refuse_nonsense():
    assert SamplingSettings.from_dict({"population": "158"}).population == 158
    assert SamplingSettings.from_dict({"population": ""}).population is None
    for bad in ({"population": 0}, {"population": "很多"}, {"size": 3}):
        with pytest.raises(SettingsError):
            SamplingSettings.from_dict(bad)


def test_default_population_is_the_quota_and_the_cli_sets_it(runner, ctx, industrial):
    survey = make_survey(industrial)  # two units, minimum 5 each → N = 10 by default
    size = build_summary(db.session, survey, statistics=False).statistics.sample_size
    # Cochran: 384.16 / (1 + 383.16/10) = 9.77 → 10; Yamane: 10 / 1.025 = 9.76 → 10.
    assert (size.population, size.population_source, size.cochran, size.yamane) == (10, "quota", 10, 10)

    result = runner.invoke(args=["survey", "settings", str(survey.id), "--set", "sampling.population=158"])
    assert result.exit_code == 0, result.output
    db.session.expire_all()
    summary = build_summary(db.session, survey, statistics=False)
    size = summary.statistics.sample_size
    assert (size.population, size.population_source, size.cochran, size.yamane) == (158, "setting", 113, 114)
    assert summary.to_json()["statistics"]["sample_size"]["population"] == 158
    assert any("N = 158（设定值）" in line and "需 113" in line and "需 114" in line for line in summary_lines(summary))

    back = runner.invoke(args=["survey", "settings", str(survey.id), "--set", "sampling.population=default"])
    assert back.exit_code == 0, back.output
    db.session.expire_all()
    assert build_summary(db.session, survey, statistics=False).statistics.sample_size.population == 10
    refused = runner.invoke(args=["survey", "settings", str(survey.id), "--set", "sampling.population=-3"])
    assert refused.exit_code == 1 and "总体规模必须为正整数" in refused.output
    # The share rounding convention is a scoring setting like the others.
    shares = runner.invoke(args=["survey", "settings", str(survey.id), "--set", "scoring.share_rounding=independent"])
    assert shares.exit_code == 0, shares.output
    db.session.expire_all()
    assert build_summary(db.session, survey, statistics=False).settings.scoring.share_rounding == "independent"


def test_scoring_page_saves_the_population(client, ctx, industrial):
    eva = make_user("eva")
    survey = make_survey(industrial)
    survey.owner_id = eva.id
    db.session.commit()
    login(client, "eva")
    page = client.get(f"/manage/surveys/{survey.id}/scoring").get_data(as_text=True)
    assert 'name="population"' in page and "总体规模N" in page
    form = {"csrf_token": csrf_token(client), "method": "weighted", "not_scored": "exclude", "rounding": "exact",
            "share_rounding": "independent", "aggregation": "respondent", "composite": "mean", "rule_type": "band",
            "rule_weight": "6", "bands": "95 6\n90 5\n80 4\n70 3\n60 2\n0 0", "min_duration_action": "flag",
            "min_duration_seconds": "30", "straight_line_action": "flag", "straight_line_min_items": "5",
            "duplicate_device_action": "flag", "duplicate_device_window_minutes": "10", "not_in_frame_action": "flag",
            "population": "158", "save": "1"}
    bad = client.post(f"/manage/surveys/{survey.id}/scoring", data=form | {"population": "一百"})
    assert bad.status_code == 400 and "总体规模必须为正整数" in bad.get_data(as_text=True)
    assert client.post(f"/manage/surveys/{survey.id}/scoring", data=form).status_code == 302
    db.session.refresh(survey)
    assert survey.settings["sampling"] == {"population": 158}
    assert survey.settings["scoring"]["share_rounding"] == "independent"

"""``flask survey summary | settings | screen``: the scoring engine from the command line."""

from __future__ import annotations

import json
import sys

import click

from ..domain.scoring import AlphaResult, ConfidenceInterval, ScoringError
from ..domain.scoring.numbers import round2
from ..domain.summary_result import SummaryResult
from ..domain.vocabulary import ResponseStatus
from ..extensions import db
from ..services.screening import screen_survey
from ..services.settings import survey_settings, update_settings
from ..services.summary import build_summary
from ..services.surveys import SurveyStateError
from ..texts_zh import labels
from ..transaction import command_transaction
from .common import cli_actor, survey_or_exit
from .survey import survey_group


@survey_group.command("summary")
@click.argument("survey_ref")
@click.option("--json", "as_json", is_flag=True, help="Print the API's JSON instead of a table.")
@click.option("--statistics/--no-statistics", default=True, show_default=True, help="Cronbach's α and the bootstrap CI.")
def summary_command(survey_ref: str, as_json: bool, statistics: bool) -> None:
    """Print a survey's distributions, satisfaction, composite, score, coverage and statistics."""
    summary = build_summary(db.session, survey_or_exit(survey_ref), statistics=statistics)
    if as_json:
        click.echo(json.dumps(summary.to_json(), ensure_ascii=False, indent=2))
        return
    for line in summary_lines(summary):
        click.echo(line)


def summary_lines(s: SummaryResult) -> list[str]:
    """Render the summary as a readable table (Chinese labels, 2-decimal percentages)."""
    info, r = s.survey, s.responses
    ind = info.indicator
    status = labels.STATUS
    lines = [
        f"{info.name}  [{info.status}]",
        f"指标 {ind.code} {ind.name}（{ind.weight:g}分）" if ind.weight else "指标：未设置",
        f"答卷：纳入 {r.used} 份（{status[ResponseStatus.VALID]} {r.valid}，{status[ResponseStatus.FLAGGED]} {r.flagged}，"
        f"{status[ResponseStatus.EXCLUDED]} {r.excluded}，共 {r.total}）",
        f"设置：{json.dumps(s.settings.scoring.to_dict(), ensure_ascii=False)}",
        "",
    ]
    for q in s.questions:
        parts = "  ".join(f"{o.label} {o.count}（{o.share:.2f}%）" for o in q.options)
        sat = f"满意度 {q.satisfaction:.2f}%" if q.satisfaction is not None else ("不计分" if not q.scored else "无答卷")
        base = f"（多选：作答 {q.n} 人，合计选择 {q.mentions} 人次；比例为占作答人数）" if q.multiple else ""
        lines.append(f"{q.id:<4} {q.topic or q.text}{base}")
        lines.append(f"     {parts}  →  {sat}")
    lines.append("")
    for d in s.dimensions:
        if d.value is not None:
            lines.append(f"维度 {d.label}：{d.value:.2f}%")
    if s.composite is None:
        lines.append("综合满意度：暂无计分答卷")
    else:
        lines.append(f"综合满意度：{s.composite:.2f}%")
        lines.append(f"评分规则：{s.rule_zh}")
        lines.append(f"计算过程：{s.score.working_zh}")
    cov = s.coverage
    met = sum(1 for u in cov.units if u.met)
    lines.append(f"覆盖：{met} / {len(cov.units)} 个单位达到最少有效份数；"
                 f"发放 {cov.issued}，回收 {cov.returned}，有效 {cov.valid}")
    for u in cov.units:
        if not u.met:
            lines.append(f"  未达标：{u.name}（{u.valid} / {u.minimum}，差 {u.short_by} 份）")
    stats = s.statistics
    size = stats.sample_size
    lines.append(sample_size_line(size))
    if stats.reliability is not None and stats.confidence_interval is not None:
        lines.extend(statistics_lines(stats.reliability, stats.confidence_interval))
        if stats.score_chances is not None and stats.score_chances.sentence_zh:
            lines.append(f"得分概率：{stats.score_chances.sentence_zh}")
    lines.append(f"数据指纹：{s.fingerprint}")
    return lines


def sample_size_line(size) -> str:
    """Required vs achieved sample size, naming the population N and where it came from."""
    met = {True: "达到", False: "未达到"}
    if size.population is None:
        return f"样本量：总体规模未设定（按无限总体）；Cochran 需 {size.cochran}，实际 {size.achieved}，{met[size.cochran_met]}"
    source = "设定值" if size.population_source == "setting" else "默认：各单位最少有效份数之和"
    return (f"样本量：总体规模 N = {size.population}（{source}）；Cochran（有限总体校正）需 {size.cochran}，"
            f"{met[size.cochran_met]}；Yamane 需 {size.yamane}，{met[size.yamane_met]}；实际 {size.achieved}")


def statistics_lines(alpha: AlphaResult, ci: ConfidenceInterval) -> list[str]:
    """Cronbach's α and the bootstrap interval in one line each, or why they were skipped."""
    if alpha.alpha is None:
        first = f"信度：未计算（{alpha.skipped_reason_zh or alpha.skipped_reason}）"
    else:
        first = f"信度：Cronbach's α = {alpha.shown:.3f}（{alpha.level_zh}），题目数 {alpha.k}，有效样本 {alpha.n}"
    if ci.low is None:
        second = f"置信区间：未计算（{ci.skipped_reason_zh or ci.skipped_reason}）"
    else:
        unit = {"unit": "单位两阶段（单位，再单位内答卷）", "units_only": "单位（保留单位内答卷）"}.get(ci.resampled, "受访者")
        second = (f"{ci.level * 100:g}%置信区间：{ci.low_shown:.2f}% – {ci.high_shown:.2f}%"
                  f"（自助法{ci.resamples}次，按{unit}重抽样，随机种子{ci.seed}）")
        if ci.design_effect is not None and ci.srs_low is not None and ci.srs_high is not None:
            second += (f"；设计效应 {ci.design_effect:.2f}，按受访者简单重抽样为 "
                       f"{round2(ci.srs_low):.2f}% – {round2(ci.srs_high):.2f}%")
    return [first, second]


@survey_group.command("settings")
@click.argument("survey_ref")
@click.option("--set", "assignments", multiple=True, metavar="PART.KEY=VALUE",
              help="e.g. scoring.method=top2_share, scoring.share_rounding=independent, sampling.population=158 "
                   "(default: Σ unit minimums), validity.min_duration.action=exclude (repeatable).")
@click.option("--rule", "rule_json", help='Score rule as JSON, e.g. \'{"type":"threshold","weight":6,"target":90}\'.')
@command_transaction()
def settings_command(survey_ref: str, assignments: tuple[str, ...], rule_json: str | None) -> None:
    """Show or change scoring, score-rule, sampling and validity settings (each change is audited)."""
    survey = survey_or_exit(survey_ref)
    if not assignments and not rule_json:
        click.echo(json.dumps(survey_settings(survey).to_dict(), ensure_ascii=False, indent=2))
        return
    try:
        changes = parse_assignments(assignments)
        if rule_json:
            changes["score_rule"] = json.loads(rule_json)
        update_settings(db.session, survey, changes, cli_actor())
        if "validity" in changes:
            click.echo(f"Re-screened: {screen_survey(db.session, survey)}")
    except (ScoringError, SurveyStateError, ValueError) as exc:
        click.echo(f"Not changed: {getattr(exc, 'message_zh', None) or exc}", err=True)
        sys.exit(1)
    click.echo(json.dumps(survey_settings(survey).to_dict(), ensure_ascii=False, indent=2))


def parse_assignments(assignments: tuple[str, ...]) -> dict:
    """Turn ``scoring.method=mean`` / ``validity.min_duration.seconds=20`` into a changes dict."""
    changes: dict = {}
    for item in assignments:
        path, sep, raw = item.partition("=")
        keys = path.split(".")
        depth = {"scoring": 2, "sampling": 2, "validity": 3}
        if not sep or keys[0] not in depth or len(keys) != depth[keys[0]]:
            raise ValueError(f"cannot read {item!r}: use scoring.KEY=VALUE, sampling.population=N "
                             "or validity.RULE.KEY=VALUE")
        value: object = raw
        if keys[0] == "sampling" and raw.strip().lower() in ("", "none", "null", "default"):
            value = None  # back to the default N (Σ unit minimums)
            raw = "null"
        try:
            value = json.loads(raw)
        except json.JSONDecodeError:
            pass  # plain words such as top2_share stay strings
        target = changes.setdefault(keys[0], {})
        for key in keys[1:-1]:
            target = target.setdefault(key, {})
        target[keys[-1]] = value
    return changes


@survey_group.command("screen")
@click.argument("survey_ref")
@command_transaction()
def screen_command(survey_ref: str) -> None:
    """Re-run validity screening over every response of a survey."""
    totals = screen_survey(db.session, survey_or_exit(survey_ref))
    click.echo(f"Screened: {totals}")

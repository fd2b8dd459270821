"""The appendix's Chinese sentences, assembled from the summary (pure functions, unit-tested).

The sentence templates live in :mod:`survey_app.texts_zh.report`; this module only picks
and fills them.  Percentages are printed with two decimals exactly as the summary rounded
them; nothing is re-rounded here, so the sentence, the chart, the table and the workbook
always agree.
"""

from __future__ import annotations

import re
from datetime import datetime
from decimal import Decimal

from ..domain.scoring import SampleSize, ScoringSettings, ValidityRules
from ..domain.summary_parts import QuestionSummary
from ..domain.summary_result import ResponseFilter
from ..domain.vocabulary import BEIJING, COUNTED, FlagAction
from ..texts_zh import labels
from ..texts_zh import report as zh

#: Option labels that read as a predicate after "X%的受益对象…" (非常满意, 不了解 …).
_PREDICATES = ("满意", "不了解", "不清楚", "说不清", "不知道", "了解", "部分了解")
_QUESTION_TAIL = re.compile(r"(是否满意|满意吗|如何|怎么样)?[？?。]*$")

Percent = float | Decimal


def pct(value: Percent | None) -> str:
    """Format a percentage already rounded by the summary: 2 decimals, no % sign."""
    return zh.DASH if value is None else f"{value:.2f}"


def num(value: Percent | None) -> str:
    """Print a rule number without trailing zeros (6, 5.5, 0.25)."""
    if value is None:
        return zh.DASH
    return f"{value:.2f}".rstrip("0").rstrip(".")


def topic_of(question: QuestionSummary) -> str:
    """The noun phrase of a question: its ``topic``, else its text without "您对…是否满意？"."""
    if question.topic:
        return question.topic
    text = (question.text or "").strip()
    text = text.removeprefix("您对")
    return _QUESTION_TAIL.sub("", text) or question.id


def _plain_text(question: QuestionSummary) -> str:
    return (question.text or "").rstrip("？?")


def _predicate(label: str) -> bool:
    return label.endswith(_PREDICATES) or label in _PREDICATES


def _clause(share: Percent, subject: str, label: str, topic: str | None) -> str:
    about = zh.SENTENCE_ABOUT.format(topic=topic) if topic else ""
    if _predicate(label):
        return zh.SENTENCE_PREDICATE.format(pct=pct(share), subject=subject, about=about, label=label)
    if topic:
        return zh.SENTENCE_RATED_ABOUT.format(pct=pct(share), subject=subject, about=about, label=label)
    return zh.SENTENCE_RATED.format(pct=pct(share), subject=subject, label=label)


def satisfaction_sentence(question: QuestionSummary, subject: str = zh.SUBJECT, not_scored: str = "exclude") -> str:
    """METHOD.md §5's standard sentence for a scored question, one clause per option in scale order.

    "调查结果显示，A%的受益对象对{topic}非常满意；B%的受益对象比较满意；…。综上，反映出受益对象对
    {topic}满意程度为S%。"  Without answers, or with only not-scored answers, says so instead.
    """
    topic = topic_of(question)
    if not question.n:
        return zh.SENTENCE_NO_ANSWERS.format(subject=subject, topic=topic)
    options = question.options
    clauses = [_clause(o.share, subject, o.label, topic if i == 0 else None) for i, o in enumerate(options)]
    text = zh.SENTENCE_OPEN.format(clauses="；".join(clauses))
    skipped = [o for o in options if not o.scored and o.count]
    if skipped:
        names = "、".join(zh.SENTENCE_LABEL.format(label=o.label) for o in skipped)
        template = zh.SENTENCE_NOT_SCORED_EXCLUDED if not_scored == "exclude" else zh.SENTENCE_NOT_SCORED_ZERO
        text += template.format(labels=names, n=sum(o.count for o in skipped))
    if question.satisfaction is None:
        return text + zh.SENTENCE_ONLY_NOT_SCORED
    return text + zh.SENTENCE_CONCLUSION.format(subject=subject, topic=topic, pct=pct(question.satisfaction))


def distribution_sentence(question: QuestionSummary, subject: str = zh.SUBJECT) -> str:
    """Sentence for an unscored choice question (unit information, 是/否 …); multiple choice per respondent."""
    text = _plain_text(question)
    if not question.n:
        return zh.DISTRIBUTION_NO_ANSWERS.format(text=text)
    if question.multiple:
        parts = [zh.DISTRIBUTION_MULTIPLE_PART.format(label=o.label, count=o.count, subject=subject,
                                                      ratio=pct(o.share))
                 for o in question.options if o.count]
        return zh.DISTRIBUTION_MULTIPLE.format(text=text, base=question.n, subject=subject, parts="；".join(parts),
                                               mentions=question.mentions)
    parts = [zh.DISTRIBUTION_SINGLE_PART.format(pct=pct(o.share), subject=subject, label=o.label)
             for o in question.options]
    return zh.DISTRIBUTION_SINGLE.format(text=text, parts="；".join(parts))


def chart_caption(question: QuestionSummary) -> str:
    """"对{topic}满意程度调查数据统计图" (scored) or "“{text}”调查数据统计图" (unscored)."""
    if question.scored:
        return zh.CHART_SCORED.format(topic=topic_of(question))
    return zh.CHART_UNSCORED.format(text=_plain_text(question))


def table_caption(question: QuestionSummary) -> str:
    if question.scored:
        return zh.TABLE_SCORED.format(topic=topic_of(question))
    return zh.TABLE_UNSCORED.format(text=_plain_text(question))


def option_values_zh(questions: tuple[QuestionSummary, ...] | list[QuestionSummary],
                     numbers: dict[str, str] | None = None) -> list[str]:
    """One line per distinct scale of the scored questions: "非常满意100分、…（适用于第1—10题）".

    ``numbers`` are the respondents' question numbers; without them the ids are named.
    """
    scales: dict[tuple, list[str]] = {}
    for q in questions:
        if q.scored:
            key = tuple((o.label, o.value) for o in q.options)
            scales.setdefault(key, []).append(numbers.get(q.id, q.id) if numbers else q.id)
    lines = []
    for scale, ids in scales.items():
        values = "、".join(zh.OPTION_VALUE.format(label=label, value=num(value)) if value is not None
                          else zh.OPTION_NOT_SCORED.format(label=label) for label, value in scale)
        where = f"{ids[0]}—{ids[-1]}" if len(ids) > 2 else "、".join(ids)
        where = zh.QUESTION_NUMBERS.format(where=where) if numbers else where
        lines.append(zh.OPTION_VALUES.format(values=values, where=where, n=len(ids)))
    return lines


def method_zh(scoring: ScoringSettings) -> dict[str, str]:
    """Say in words how satisfaction was computed (method, not-scored options, rounding, aggregation)."""
    return {"method": zh.METHOD_TEXT[scoring.method], "not_scored": zh.NOT_SCORED_TEXT[scoring.not_scored],
            "rounding": zh.ROUNDING_TEXT[scoring.rounding] + zh.SHARE_ROUNDING_TEXT[scoring.share_rounding],
            "aggregation": zh.AGGREGATION_TEXT[scoring.aggregation],
            "composite": zh.COMPOSITE_TEXT[scoring.composite]}


def sample_size_zh(size: SampleSize) -> str:
    """Required vs achieved sample size in one sentence, naming N and where it came from."""
    met = zh.SAMPLE_SIZE_MET
    if size.population is None:
        return zh.SAMPLE_SIZE_INFINITE.format(cochran=size.cochran, achieved=size.achieved,
                                              cochran_met=met[size.cochran_met])
    return zh.SAMPLE_SIZE.format(population=size.population, source=zh.SAMPLE_SIZE_SOURCE[size.population_source],
                                 cochran=size.cochran, yamane=size.yamane, achieved=size.achieved,
                                 cochran_met=met[size.cochran_met], yamane_met=met[size.yamane_met])


def validity_rules_zh(validity: ValidityRules) -> list[str]:
    """One sentence per enabled validity rule, with its action (a note says it changes nothing); "off" rules are left out."""
    lines = []
    for code, describe in zh.VALIDITY_RULES.items():
        rule = getattr(validity, code)
        if rule.action in (FlagAction.FLAG, FlagAction.EXCLUDE, FlagAction.NOTE):
            text = describe.format(**vars(rule))
            lines.append(zh.VALIDITY_RULE.format(rule=text, action=zh.VALIDITY_ACTIONS[rule.action]))
    return lines


def filter_zh(flt: ResponseFilter, unit_names: list[str] | None = None, *, label: bool = True) -> str:
    """Describe which responses the figures use ("统计口径：…。"; ``label=False``: without the "统计口径：")."""
    statuses = tuple(flt.statuses or ())
    if set(statuses) == set(COUNTED):
        text = zh.FILTER_COUNTED
    else:
        text = zh.FILTER_STATUSES.format(statuses="、".join(labels.status(s) for s in statuses))
    if flt.unit_ids is not None:
        names = "、".join(unit_names or [])
        text += zh.FILTER_UNITS.format(n=len(flt.unit_ids))
        text += zh.FILTER_UNIT_NAMES.format(names=names) if names else ""
    if flt.since or flt.until:
        text += zh.FILTER_TIMES.format(since=_beijing(flt.since) or zh.FILTER_UNBOUNDED,
                                       until=_beijing(flt.until) or zh.FILTER_UNBOUNDED)
    return (zh.FILTER_LABEL.format(text=text) if label else text) + "。"


def _beijing(value: datetime | None) -> str | None:
    return None if value is None else zh.DATE_TIME.format(d=value + BEIJING)


def zh_date(value: datetime) -> str:
    """A date as the report writes it: "2025年3月10日" (no leading zeros)."""
    return zh.DATE.format(d=value)

"""A survey's summary: SQL aggregation first, then the pure scoring core.

The database does the heavy part — ``COUNT(*) … GROUP BY unit, question, option`` over
the answers of the responses that pass the filter — and the domain turns those few
hundred numbers into shares, satisfaction, the composite, the score and breakdowns.  The
result is a typed ``SummaryResult`` (domain/summary_result.py); its ``to_json()`` is the
API's JSON.  Statistics that need respondent-level data (Cronbach's α, the bootstrap interval) are
computed from one more query and cached under the dataset fingerprint, which changes
whenever the set of responses used changes.

Rules (see docs/scoring.md): responses count when their status is in the filter
(default: valid and flagged — flagged ones are shown to the evaluator but still count);
answers to follow-ups and open questions never enter the scores; a respondent who
skipped a question simply has no answer row for it.
"""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import Session

from ..domain import question_types
from ..domain.questionnaire import Questionnaire
from ..domain.report_settings import ReportSettings, field_choices, field_values
from ..domain.scoring import (
    CompositeResult,
    Coverage,
    OptionSpec,
    QuestionSpec,
    ScoringSettings,
    breakdown,
    breakdown_by_unit,
    coverage,
    sample_size,
)
from ..domain.summary_parts import (
    UNIT,
    Breakdown,
    Breakdowns,
    GroupRow,
    QuestionSummary,
)
from ..domain.summary_result import (
    Indicator,
    ResponseCounts,
    Statistics,
    SummaryResult,
    SurveyInfo,
)
from ..domain.vocabulary import ResponseStatus
from ..models import Survey, Unit
from .composite_cache import cached_composite
from .settings import survey_settings
from .statistics import chances_of, respondent_statistics
from .summary_sql import (  # noqa: F401 - re-exported: callers import these from here
    SummaryFilter,
    count_answers,
    dataset_fingerprint,
    question_respondents,
    response_facts,
    status_counts,
)


def question_specs(questionnaire: Questionnaire) -> list[QuestionSpec]:
    """Every choice question in questionnaire order; only scored ones enter the composite."""
    return [
        QuestionSpec(
            id=q.id,
            topic=q.topic or q.text,
            options=tuple(OptionSpec(o.key, o.label, o.value if q.scored else None) for o in q.options),
            weight=q.weight,
            dimension=q.dimension or None,
            scored=q.scored,
        )
        for q in questionnaire.questions
        if question_types.is_choice(q)
    ]


def build_summary(session: Session, survey: Survey, flt: SummaryFilter | None = None, *,
                  statistics: bool = True) -> SummaryResult:
    """Compute the whole summary of ``survey``; ``.to_json()`` gives the API's JSON (docs/api.md)."""
    flt = flt or SummaryFilter()
    settings = survey_settings(survey)
    questionnaire = survey.questionnaire
    specs = question_specs(questionnaire)
    counts = count_answers(session, survey, flt, [s.id for s in specs])
    result = cached_composite(counts, specs, settings.scoring)
    units = session.scalars(sa.select(Unit).where(Unit.survey_id == survey.id).order_by(Unit.seq, Unit.id)).all()
    (by_status, valid_by_unit), (fingerprint, used) = response_facts(session, survey, flt)
    score = settings.score_rule.evaluate(result.composite.value) if result.composite.value is not None else None
    report = ReportSettings.from_dict((survey.settings or {}).get("report"))
    cover = _coverage(units, valid_by_unit, by_status, report.issued)
    population, source = settings.sampling.effective(cover.issued)
    alpha = ci = None
    if statistics:
        alpha, ci = respondent_statistics(session, survey, flt, specs, settings.scoring, fingerprint)
    return SummaryResult(
        survey=_survey_info(survey),
        filter=flt,
        settings=settings,
        responses=ResponseCounts(used, valid=by_status[ResponseStatus.VALID],
                                 flagged=by_status[ResponseStatus.FLAGGED], excluded=by_status[ResponseStatus.EXCLUDED]),
        questions=_questions(questionnaire, result, question_respondents(
            session, survey, flt, [q.id for q in questionnaire.questions if question_types.of(q).several])),
        satisfaction=result,
        score=score,
        rule_zh=settings.score_rule.describe_zh(),
        breakdowns=_breakdowns(counts, specs, settings.scoring, units, report.breakdowns),
        coverage=cover,
        statistics=Statistics(sample_size(used, population, source=source), alpha, ci,
                              chances_of(ci, settings.score_rule) if ci is not None else None),
        fingerprint=fingerprint,
    )


def _survey_info(survey: Survey) -> SurveyInfo:
    return SurveyInfo(
        id=survey.id,
        name=survey.name,
        project_name=survey.project_name,
        department=survey.department,
        eval_year=survey.eval_year,
        indicator=Indicator(survey.indicator_code, survey.indicator_name, survey.indicator_weight),
        status=survey.status,
        questionnaire_hash=survey.questionnaire_hash,
    )


def _questions(questionnaire: Questionnaire, result: CompositeResult,
               respondents: dict[str, int]) -> tuple[QuestionSummary, ...]:
    out = []
    for item in result.questions:
        q = questionnaire.question(item.question_id)
        base = respondents.get(q.id, 0) if question_types.of(q).several else None
        out.append(QuestionSummary(q.id, q.text, q.topic, q.type, q.scored, q.dimension, q.weight, item, base))
    return tuple(out)


def _breakdowns(counts, specs, scoring: ScoringSettings, units: list[Unit], chosen: tuple[str, ...] | None) -> Breakdowns:
    """Composite per unit (unit-list order, every unit) and per chosen unit field.

    ``chosen``: the report settings' fields (None: text fields with 2–``MAX_GROUPS`` groups).
    Numeric fields (奖励金额) are never groups; a merged unit's joined values ("A；B")
    put it in each of those groups.
    """
    names = {u.id: u.name for u in units}
    found = [Breakdown(UNIT, tuple(GroupRow(group, names.get(group.group))
                                   for group in breakdown_by_unit(counts, specs, scoring, list(names), cached_composite)))]
    rows = [{"county": u.county, "category": u.category, "attributes": u.attributes or {}} for u in units]
    choices = {c.key: c for c in field_choices(rows)}
    keys = [c.key for c in choices.values() if c.groupable] if chosen is None else list(chosen)
    for key in keys:
        choice = choices.get(key)
        if choice is None or choice.numeric:
            continue
        mapping = {u.id: tuple(values) for u, row in zip(units, rows, strict=True)
                   if (values := field_values(row, key))}
        found.append(Breakdown(key, tuple(GroupRow(g) for g in breakdown(counts, specs, scoring, mapping, cached_composite))))
    return Breakdowns(tuple(found))


def _coverage(units: list[Unit], valid_by_unit: dict[int, int], by_status: dict[str, int],
              issued: int | None) -> Coverage:
    return coverage(
        {u.id: u.min_valid for u in units},
        valid_by_unit,
        returned=sum(by_status.values()),
        valid=by_status[ResponseStatus.VALID] + by_status[ResponseStatus.FLAGGED],
        names={u.id: u.name for u in units},
        issued=issued,
    )

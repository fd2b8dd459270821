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

from collections import OrderedDict

import sqlalchemy as sa
from sqlalchemy.orm import Session

from ..domain.questionnaire import CHOICE_TYPES, MULTIPLE, Questionnaire
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

#: Unit attributes with more distinct values than this are identifiers, not groups.
MAX_GROUPS = 15


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
        if q.type in CHOICE_TYPES
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
    cover = _coverage(units, valid_by_unit, by_status)
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
            session, survey, flt, [q.id for q in questionnaire.questions if q.type == MULTIPLE])),
        satisfaction=result,
        score=score,
        rule_zh=settings.score_rule.describe_zh(),
        breakdowns=_breakdowns(counts, specs, settings.scoring, units),
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
        base = respondents.get(q.id, 0) if q.type == MULTIPLE else None
        out.append(QuestionSummary(q.id, q.text, q.topic, q.type, q.scored, q.dimension, q.weight, item, base))
    return tuple(out)


def _breakdowns(counts, specs, scoring: ScoringSettings, units: list[Unit]) -> Breakdowns:
    """Composite by unit, by county, by category and by each low-cardinality unit attribute."""
    names = {u.id: u.name for u in units}
    found = [Breakdown(UNIT, tuple(GroupRow(group, names.get(group.group))
                                   for group in breakdown_by_unit(counts, specs, scoring, cached_composite)))]
    groupings: OrderedDict[str, dict[int, str]] = OrderedDict(
        county={u.id: u.county for u in units if u.county},
        category={u.id: u.category for u in units if u.category},
    )
    for key in dict.fromkeys(k for u in units for k in (u.attributes or {})):
        groupings[f"attribute:{key}"] = {u.id: str(u.attributes[key]) for u in units if u.attributes.get(key)}
    for name, mapping in groupings.items():
        distinct = set(mapping.values())
        if 1 < len(distinct) <= MAX_GROUPS:
            rows = breakdown(counts, specs, scoring, mapping, cached_composite)
            found.append(Breakdown(name, tuple(GroupRow(g) for g in rows)))
    return Breakdowns(tuple(found))


def _coverage(units: list[Unit], valid_by_unit: dict[int, int], by_status: dict[str, int]) -> Coverage:
    return coverage(
        {u.id: u.min_valid for u in units},
        valid_by_unit,
        returned=sum(by_status.values()),
        valid=by_status[ResponseStatus.VALID] + by_status[ResponseStatus.FLAGGED],
        names={u.id: u.name for u in units},
    )

"""A survey's summary: SQL aggregation first, then the pure scoring core.

The database does the heavy part — ``COUNT(*) … GROUP BY unit, question, option`` over
the answers of the responses that pass the filter — and the domain turns those few
hundred numbers into shares, satisfaction, the composite, the score and breakdowns.
Statistics that need respondent-level data (Cronbach's α, the bootstrap interval) are
computed from one more query and cached under the dataset fingerprint, which changes
whenever the set of responses used changes.

Rules (see docs/scoring.md): responses count when their status is in the filter
(default: valid and flagged — flagged ones are shown to the evaluator but still count);
answers to follow-ups and open questions never enter the scores; a respondent who
skipped a question simply has no answer row for it.
"""

from __future__ import annotations

from collections import OrderedDict
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from ..domain.questionnaire import CHOICE_TYPES, Questionnaire
from ..domain.scoring import (
    OptionSpec,
    QuestionSpec,
    breakdown,
    breakdown_by_unit,
    compute_composite,
    coverage,
    sample_size,
)
from ..models import Survey, Unit
from .settings import SurveySettings, survey_settings
from .statistics import respondent_statistics
from .summary_sql import (  # noqa: F401 - re-exported: callers import these from here
    SummaryFilter,
    count_answers,
    dataset_fingerprint,
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


def build_summary(session: Session, survey: Survey, flt: SummaryFilter | None = None, *, statistics: bool = True) -> dict[str, Any]:
    """Compute the whole summary of ``survey`` as JSON-ready data (see docs/api.md)."""
    flt = flt or SummaryFilter()
    settings = survey_settings(survey)
    questionnaire = survey.questionnaire
    specs = question_specs(questionnaire)
    counts = count_answers(session, survey, flt, [s.id for s in specs])
    result = compute_composite(counts, specs, settings.scoring)
    units = session.scalars(sa.select(Unit).where(Unit.survey_id == survey.id).order_by(Unit.seq, Unit.id)).all()
    (by_status, valid_by_unit), (fingerprint, used) = response_facts(session, survey, flt)
    score = settings.score_rule.evaluate(result.composite.value) if result.composite.value is not None else None
    summary = {
        "survey": _survey_info(survey),
        "filter": flt.to_dict(),
        "settings": settings.to_dict(),
        "responses": {"used": used, **by_status, "total": sum(by_status.values())},
        "questions": _questions(questionnaire, result),
        "composite": _float(result.composite.value),
        "composite_exact": _float(result.composite.exact),
        "dimensions": [level.to_dict("dimension") for level in result.dimensions],
        "score": score.to_dict() if score else None,
        "rule_zh": settings.score_rule.describe_zh(),
        "breakdowns": _breakdowns(counts, specs, settings, units),
        "coverage": _coverage(units, valid_by_unit, by_status),
        "statistics": {"sample_size": sample_size(used, (survey.settings or {}).get("population")).to_dict()},
        "fingerprint": fingerprint,
    }
    if result.units_without_answers or result.unassigned_answers:
        summary["unit_level_notes"] = {
            "units_without_answers": list(result.units_without_answers),
            "unassigned_answers": result.unassigned_answers,
        }
    if statistics:
        summary["statistics"].update(
            respondent_statistics(session, survey, flt, specs, settings.scoring, fingerprint)
        )
    return summary


def _float(value) -> float | None:
    return None if value is None else float(value)


def _survey_info(survey: Survey) -> dict[str, Any]:
    return {
        "id": survey.id,
        "name": survey.name,
        "project_name": survey.project_name,
        "department": survey.department,
        "eval_year": survey.eval_year,
        "indicator": {"code": survey.indicator_code, "name": survey.indicator_name, "weight": survey.indicator_weight},
        "status": survey.status,
        "questionnaire_hash": survey.questionnaire_hash,
    }


def _questions(questionnaire: Questionnaire, result) -> list[dict[str, Any]]:
    out = []
    for item in result.questions:
        question = questionnaire.question(item.question_id)
        out.append({
            "id": question.id,
            "text": question.text,
            "topic": question.topic,
            "type": question.type,
            "scored": question.scored,
            "dimension": question.dimension,
            "weight": question.weight,
            **{k: v for k, v in item.to_dict().items() if k != "question_id"},
        })
    return out


def _breakdowns(counts, specs, settings: SurveySettings, units: list[Unit]) -> dict[str, list[dict[str, Any]]]:
    """Composite by unit, by county, by category and by each low-cardinality unit attribute."""
    names = {u.id: u.name for u in units}
    result = {"unit": []}
    for group in breakdown_by_unit(counts, specs, settings.scoring):
        result["unit"].append({**group.to_dict(), "name": names.get(group.group)})
    groupings: OrderedDict[str, dict[int, str]] = OrderedDict(
        county={u.id: u.county for u in units if u.county},
        category={u.id: u.category for u in units if u.category},
    )
    for key in dict.fromkeys(k for u in units for k in (u.attributes or {})):
        groupings[f"attribute:{key}"] = {u.id: str(u.attributes[key]) for u in units if u.attributes.get(key)}
    for name, mapping in groupings.items():
        distinct = set(mapping.values())
        if 1 < len(distinct) <= MAX_GROUPS:
            result[name] = [g.to_dict() for g in breakdown(counts, specs, settings.scoring, mapping)]
    return result


def _coverage(units: list[Unit], valid_by_unit: dict[int, int], by_status: dict[str, int]) -> dict[str, Any]:
    data = coverage(
        {u.id: u.min_valid for u in units},
        valid_by_unit,
        returned=sum(by_status.values()),
        valid=by_status["valid"] + by_status["flagged"],
    ).to_dict()
    names = {u.id: u.name for u in units}
    for row in data.get("units", []):
        row["name"] = names.get(row.get("unit"))
    return data

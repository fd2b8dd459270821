"""Surveys for the API: the caller's list, one survey with its settings and state, its units with coverage.

JSON-ready dicts.  Response and unit counts take one ``GROUP BY`` each whatever the number of
surveys or units; the caller's access is asked per survey through ``services.access`` (the one
place that states the rule — a user sees tens of surveys, not thousands).  Unit link tokens never appear here:
holding one lets its holder answer as the unit, and the API is read-only.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from ..domain.scoring import coverage
from ..domain.vocabulary import ALL_STATUSES, COUNTED
from ..models import Response, Survey, Unit, User
from .access import access_level, visible_surveys
from .api_rows import bj_iso
from .settings import survey_settings
from .summary import SummaryFilter


def _counts(session: Session, survey_ids: list[int]) -> dict[int, dict[str, int]]:
    found: dict[int, dict[str, int]] = defaultdict(lambda: dict.fromkeys(ALL_STATUSES, 0))
    if survey_ids:
        for survey_id, status, n in session.execute(
            sa.select(Response.survey_id, Response.status, sa.func.count())
            .where(Response.survey_id.in_(survey_ids)).group_by(Response.survey_id, Response.status)
        ):
            found[survey_id][status] = n
    return found


def _unit_counts(session: Session, survey_ids: list[int]) -> dict[int, int]:
    if not survey_ids:
        return {}
    return dict(session.execute(sa.select(Unit.survey_id, sa.func.count()).where(Unit.survey_id.in_(survey_ids))
                                .group_by(Unit.survey_id)).all())


def _responses(counts: dict[str, int]) -> dict[str, int]:
    return {**{str(s): counts[s] for s in ALL_STATUSES}, "total": sum(counts.values())}


def _brief(survey: Survey, access: str, counts: dict[str, int], units: int, now: datetime) -> dict[str, Any]:
    return {
        "id": survey.id, "name": survey.name, "project_name": survey.project_name, "department": survey.department,
        "eval_year": survey.eval_year, "status": survey.status, "availability": survey.availability(now),
        "access": access, "created_at": bj_iso(survey.created_at), "units": units, "responses": _responses(counts),
    }


def survey_list(session: Session, user: User, now: datetime) -> list[dict[str, Any]]:
    """The surveys ``user`` may see, newest first, each with its response counts."""
    surveys = visible_surveys(session, user)
    ids = [s.id for s in surveys]
    counts, units = _counts(session, ids), _unit_counts(session, ids)
    return [_brief(s, access_level(session, user, s), counts[s.id], units.get(s.id, 0), now) for s in surveys]


def survey_detail(session: Session, user: User, survey: Survey, now: datetime) -> dict[str, Any]:
    """One survey: context, state and planned window, effective settings, counts and questionnaire."""
    counts = _counts(session, [survey.id])[survey.id]
    units = _unit_counts(session, [survey.id]).get(survey.id, 0)
    questionnaire = survey.questionnaire
    return {
        **_brief(survey, access_level(session, user, survey), counts, units, now),
        "indicator": {"code": survey.indicator_code, "name": survey.indicator_name, "weight": survey.indicator_weight},
        "opens_at": bj_iso(survey.opens_at), "closes_at": bj_iso(survey.closes_at),
        "opened_at": bj_iso(survey.opened_at), "closed_at": bj_iso(survey.closed_at),
        "bank_id": survey.bank_id, "questionnaire_hash": survey.questionnaire_hash,
        "default_min_valid": survey.default_min_valid, "population": (survey.settings or {}).get("population"),
        "settings": survey_settings(survey).to_dict(),
        "questions": [{
            "id": q.id, "type": q.type, "text": q.text, "topic": q.topic, "scored": q.scored,
            "dimension": q.dimension, "weight": q.weight, "required": q.required,
            "show_if": {"question": q.show_if.question, "any_of": list(q.show_if.any_of)} if q.show_if else None,
            "options": [{"key": o.key, "label": o.label, "value": o.value} for o in q.options],
        } for q in questionnaire.questions],
    }


def unit_coverage(session: Session, survey: Survey, flt: SummaryFilter) -> dict[str, Any]:
    """The unit list in frame order, each unit's responses per status and whether it met its minimum.

    Counts use the filter's time window and units (every status); ``valid`` counts valid and
    flagged responses, as the summary's coverage does.
    """
    window = SummaryFilter(ALL_STATUSES, flt.unit_ids, flt.since, flt.until)
    per_unit: dict[int | None, dict[str, int]] = defaultdict(lambda: dict.fromkeys(ALL_STATUSES, 0))
    for unit_id, status, n in session.execute(
        sa.select(Response.unit_id, Response.status, sa.func.count()).where(*window.where(survey.id))
        .group_by(Response.unit_id, Response.status)
    ):
        per_unit[unit_id][status] = n
    units = session.scalars(sa.select(Unit).where(Unit.survey_id == survey.id).order_by(Unit.seq, Unit.id)).all()
    if flt.unit_ids is not None:
        units = [u for u in units if u.id in set(flt.unit_ids)]
    totals = dict.fromkeys(ALL_STATUSES, 0)
    for counts in per_unit.values():
        for status, n in counts.items():
            totals[status] += n
    result = coverage({u.id: u.min_valid for u in units},
                      {unit_id: sum(c[s] for s in COUNTED) for unit_id, c in per_unit.items()},
                      returned=sum(totals.values()), valid=sum(totals[s] for s in COUNTED))
    rows = []
    for unit, row in zip(units, result.units, strict=True):
        rows.append({
            "id": unit.id, "seq": unit.seq, "name": unit.name, "county": unit.county, "category": unit.category,
            "credit_code": unit.credit_code, "attributes": dict(unit.attributes or {}), "minimum": row.minimum,
            "valid": row.valid, "met": row.met, "short_by": row.short_by, "responses": _responses(per_unit[unit.id]),
        })
    summary = result.to_dict()
    summary.pop("units")
    return {"survey": survey.id, "filter": window.to_dict(), "units": rows,
            "outside_list": _responses(per_unit[None]), "totals": summary}

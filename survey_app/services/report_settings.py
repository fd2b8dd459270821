"""Report settings (报告设置): stored as the ``report`` part of the survey's settings document, audited.

Unlike the scoring settings they may change after the survey has closed — the report is
written then — and each change is logged as ``settings.report`` with the values before and
after.  The population N of the sample-size check stays a sampling setting
(``services.settings``); the report settings page edits it too, through that service.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from ..domain import question_types
from ..domain.report_settings import ReportFacts, ReportSettings, Resolved, field_choices, resolve
from ..domain.vocabulary import Source
from ..models import Response, Survey, Unit
from ..texts_zh import report as zh
from . import audit
from .settings import survey_settings, update_settings


def report_settings(survey: Survey) -> ReportSettings:
    """The report settings the evaluator set (None fields: derived defaults)."""
    return ReportSettings.from_dict((survey.settings or {}).get("report"))


def unit_rows(session: Session, survey: Survey) -> list[dict[str, Any]]:
    """The unit list in list order, as plain dicts (the reports' shape)."""
    units = session.scalars(sa.select(Unit).where(Unit.survey_id == survey.id).order_by(Unit.seq, Unit.id))
    return [{"id": u.id, "seq": u.seq, "name": u.name, "county": u.county, "category": u.category,
             "credit_code": u.credit_code, "attributes": dict(u.attributes or {}), "min_valid": u.min_valid}
            for u in units]


def source_counts(session: Session, survey: Survey, where=None) -> dict[str, int]:
    """Responses per source (web / paper / import), every source present."""
    found = dict(session.execute(sa.select(Response.source, sa.func.count())
                                 .where(*(where if where is not None else [Response.survey_id == survey.id]))
                                 .group_by(Response.source)).all())
    return {k: found.get(k, 0) for k in Source}


def report_facts(session: Session, survey: Survey, *, units: list[dict[str, Any]] | None = None,
                 sources: dict[str, int] | None = None) -> ReportFacts:
    q = survey.questionnaire
    return ReportFacts(
        units=units if units is not None else unit_rows(session, survey),
        dimensions=[x.dimension for x in q.scored_questions if x.dimension],
        has_open=any(not question_types.is_choice(x) for x in q.questions),
        sources=sources if sources is not None else source_counts(session, survey),
        subject=zh.SUBJECT,
        population_n=survey_settings(survey).sampling.population,
    )


def resolved_report(session: Session, survey: Survey, **facts) -> dict[str, Resolved]:
    """Every report setting's effective value and where it came from."""
    return resolve(report_settings(survey), report_facts(session, survey, **facts))


def breakdown_choices(session: Session, survey: Survey):
    return field_choices(unit_rows(session, survey))


def update_report_settings(session: Session, survey: Survey, changes: dict[str, Any], actor: str) -> ReportSettings:
    """Validate and store the report settings; audit and flush when something changed.

    ``sampling_population`` (N) is handed to the scoring settings' service, which refuses
    it once the survey is closed.
    :raises SettingsError: a value is invalid (nothing is changed).
    """
    changes = dict(changes)
    if "sampling_population" in changes:
        n = changes.pop("sampling_population")
        if n != survey_settings(survey).sampling.population:
            update_settings(session, survey, {"sampling": {"population": n}}, actor)
    before = report_settings(survey)
    after = ReportSettings.from_dict({**before.to_dict(), **changes})
    if after != before:
        survey.settings = {**(survey.settings or {}), "report": after.to_dict()}
        audit.record(session, survey, actor, "settings.report", before.to_dict(), after.to_dict())
        session.flush()
    return after

"""Add, edit and remove single units of a survey, each change audited (who, before, after).

A unit that already has responses is never removed: ``responses.unit_id`` is ON DELETE SET
NULL, so removing it would silently turn its answers into answers of no unit and change the
unit coverage and unit-level results.  The evaluator replaces its link instead (see
``services.distribution.replace_token``) to stop further answers.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from ..models import Response, Survey, Unit
from . import audit
from .units import assign_codes

#: The fields an evaluator edits, in the order the audit log shows them.
EDITABLE = ("seq", "name", "category", "county", "credit_code", "min_valid", "attributes")


class UnitInUse(ValueError):
    """The unit has responses and cannot be removed."""

    def __init__(self, responses: int):
        super().__init__(f"unit has {responses} responses")
        self.responses = responses


def unit_values(unit: Unit) -> dict[str, Any]:
    """The audited view of a unit: everything but its token (tokens never enter the log)."""
    return {name: getattr(unit, name) for name in EDITABLE}


def response_counts(session: Session, survey: Survey) -> dict[int, int]:
    """Responses per unit id (every status: excluded answers also belong to their unit)."""
    rows = session.execute(
        sa.select(Response.unit_id, sa.func.count()).where(Response.survey_id == survey.id, Response.unit_id.is_not(None))
        .group_by(Response.unit_id)
    )
    return {unit_id: n for unit_id, n in rows}


def get_unit(session: Session, survey: Survey, unit_id: int) -> Unit | None:
    """The unit if it belongs to ``survey`` (ids of other surveys' units must not work here)."""
    unit = session.get(Unit, unit_id)
    return unit if unit is not None and unit.survey_id == survey.id else None


def add_unit(session: Session, survey: Survey, values: dict[str, Any], actor: str) -> Unit:
    """Add one unit (with a fresh token) from form values and audit ``unit.add``; flush."""
    if values.get("seq") is None:
        last = session.scalar(sa.select(sa.func.max(Unit.seq)).where(Unit.survey_id == survey.id))
        values = {**values, "seq": (last or 0) + 1}
    unit = Unit(survey_id=survey.id, **{name: values[name] for name in EDITABLE})
    session.add(unit)
    session.flush()
    assign_codes(session, survey, [unit])
    audit.record(session, survey, actor, "unit.add", None, {"id": unit.id, **unit_values(unit)})
    return unit


def update_unit(session: Session, unit: Unit, values: dict[str, Any], actor: str) -> bool:
    """Apply changed values and audit ``unit.edit`` with only what changed; flush.

    :returns: whether anything changed (nothing is recorded otherwise).
    """
    before = unit_values(unit)
    if values.get("seq") is None:
        values = {**values, "seq": unit.seq}
    changed = {name for name in EDITABLE if values[name] != before[name]}
    if not changed:
        return False
    for name in changed:
        setattr(unit, name, values[name])
    session.flush()
    audit.record(session, unit.survey, actor, "unit.edit", {"id": unit.id, **{n: before[n] for n in EDITABLE if n in changed}},
                 {"id": unit.id, **{n: values[n] for n in EDITABLE if n in changed}})
    return True


def delete_unit(session: Session, unit: Unit, actor: str) -> None:
    """Remove a unit without responses and audit ``unit.delete``; flush.

    :raises UnitInUse: when any response (of any status) belongs to the unit.
    """
    responses = session.scalar(sa.select(sa.func.count()).select_from(Response).where(Response.unit_id == unit.id))
    if responses:
        raise UnitInUse(responses)
    survey = unit.survey
    audit.record(session, survey, actor, "unit.delete", {"id": unit.id, **unit_values(unit)}, None)
    session.delete(unit)
    session.flush()

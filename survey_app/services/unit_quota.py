"""How far units are from their minimum number of answers, read where the answer is given.

The thank-you page asks the respondent to pass the link on while their unit is short, and
the dashboard and the score sentence call the result provisional (暂定) while any unit is.
Counted answers are the ones every figure uses (``vocabulary.COUNTED``: valid and flagged).
"""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.orm import Session

from ..domain.vocabulary import COUNTED
from ..models import Response, Survey, Unit


@dataclass(frozen=True)
class Quota:
    counted: int
    minimum: int

    @property
    def short(self) -> bool:
        return self.counted < self.minimum


@dataclass(frozen=True)
class SurveyQuota:
    """Units at their minimum out of all units (a survey without units is never short)."""

    met: int
    units: int

    @property
    def short(self) -> bool:
        return self.met < self.units


def unit_quota(session: Session, unit: Unit) -> Quota:
    counted = session.scalar(sa.select(sa.func.count()).where(
        Response.survey_id == unit.survey_id, Response.unit_id == unit.id, Response.status.in_(COUNTED)))
    return Quota(int(counted or 0), unit.min_valid)


def survey_quota(session: Session, survey: Survey) -> SurveyQuota:
    counts = dict(session.execute(
        sa.select(Response.unit_id, sa.func.count()).where(
            Response.survey_id == survey.id, Response.unit_id.is_not(None), Response.status.in_(COUNTED))
        .group_by(Response.unit_id)).all())
    units = list(survey.units)
    return SurveyQuota(sum(1 for u in units if counts.get(u.id, 0) >= u.min_valid), len(units))

"""The demo survey: the industrial bank and the 2024 Jincheng unit list (shared/examples)."""

from __future__ import annotations

from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.orm import Session

from ..domain.banks import load_bank
from ..domain.unit_table import merge_duplicates
from ..models import Survey
from .surveys import create_survey, open_survey
from .units import add_units, read_unit_file

DEMO_NAME = "晋城市工业转型专项资金项目受益对象满意度调查（演示）"
DEMO_UNITS = Path(__file__).resolve().parent.parent / "demo_data" / "units_jincheng_2024.csv"


def bank_dir() -> Path:
    return Path(__file__).resolve().parents[2] / "question_banks"


def ensure_demo(session: Session) -> tuple[Survey, bool, list[list[int]]]:
    """Return the demo survey, creating and opening it on first call (idempotent).

    The unit file names one enterprise twice (two awards); the demo merges such rows so
    the enterprise gets one link and one minimum, and returns the merged line groups.
    """
    existing = session.scalars(sa.select(Survey).where(Survey.name == DEMO_NAME)).first()
    if existing is not None:
        return existing, False, []
    questionnaire = load_bank(bank_dir() / "industrial_fund.yaml")
    survey = create_survey(
        session,
        questionnaire,
        name=DEMO_NAME,
        project_name="2024年度晋城市工业转型专项资金项目",
        department="晋城市工业和信息化局",
        eval_year=2024,
        indicator_code="D41",
        indicator_name="奖补对象满意度",
        indicator_weight=6.0,
        default_min_valid=5,
    )
    table = read_unit_file(DEMO_UNITS, default_min=5)
    add_units(session, survey, merge_duplicates(table.rows))
    open_survey(session, survey)
    return survey, True, table.duplicates

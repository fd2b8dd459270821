"""The demo survey: the industrial bank and the 2024 Jincheng unit list (survey_app/demo_data)."""

from __future__ import annotations

from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.orm import Session

from ..domain.banks import load_bank
from ..domain.unit_table import merge_duplicates
from ..domain.vocabulary import AccountRole, Source
from ..models import Survey
from .surveys import create_survey, open_survey
from .units import add_units, read_unit_file

DEMO_NAME = "晋城市工业转型专项资金项目受益对象满意度调查（演示）"
DEMO_UNITS = Path(__file__).resolve().parent.parent / "demo_data" / "units_jincheng_2024.csv"


DEMO_USER = "demo"


def ensure_demo_account(session: Session, instance: Path, survey: Survey) -> tuple[str, str]:
    """Create (once) the development admin ``demo``; its password lives in instance/demo_password."""
    import secrets

    from ..models import User
    from .accounts import create_user

    secret_file = instance / "demo_password"
    if not secret_file.exists():
        secret_file.write_text(secrets.token_urlsafe(12))
        secret_file.chmod(0o600)
    password = secret_file.read_text().strip()
    user = session.scalars(sa.select(User).where(User.username == DEMO_USER)).first()
    if user is None:
        user = create_user(session, DEMO_USER, password, AccountRole.ADMIN, "演示管理员")
    if survey.owner_id is None:
        survey.owner_id = user.id
    session.flush()
    return DEMO_USER, password


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


#: Synthetic respondents come in three moods (share, option weights for A/B/C/D), so that
#: their answers correlate across questions as real ones do (Cronbach's α is meaningful).
DEMO_MOODS = ((0.80, (0.92, 0.08, 0.00, 0.00)), (0.17, (0.30, 0.62, 0.07, 0.01)), (0.03, (0.05, 0.40, 0.40, 0.15)))
DEMO_REASONS = ("资金拨付周期较长", "申报材料要求较多", "希望加强政策解读")
DEMO_ADVICE = ("建议简化申报流程，缩短资金拨付时间。", "希望主管部门多组织政策培训。", "")


def add_sample_answers(session: Session, survey: Survey, count: int, seed: int = 2024) -> int:
    """Add ``count`` synthetic answers (source "import", marked as demo data) and screen them.

    Deterministic for a seed.  Two units are left below their minimum so the coverage
    view has something to show.  Never used outside the demo survey.
    """
    import random
    from datetime import timedelta

    from ..domain.answers import Answer as Checked
    from ..models._types import utcnow
    from .responses import SubmissionMeta, store_response
    from .screening import screen_survey

    rng = random.Random(seed)
    questionnaire = survey.questionnaire
    units = list(survey.units)
    eligible = units[:-2] or units
    start = utcnow() - timedelta(days=7)
    for i in range(count):
        unit = eligible[i % len(eligible)] if i < 5 * len(eligible) else rng.choice(eligible)
        answers = {}
        mood = rng.choices([weights for _, weights in DEMO_MOODS], [share for share, _ in DEMO_MOODS])[0]
        for q in questionnaire.questions:
            if q.scored:
                key = rng.choices("ABCD", mood)[0]
                answers[q.id] = Checked(q.id, option_keys=(key,))
                if key in ("C", "D"):
                    follow = next((f for f in questionnaire.questions if f.show_if and f.show_if.question == q.id), None)
                    if follow:
                        answers[follow.id] = Checked(follow.id, text=rng.choice(DEMO_REASONS))
            elif q.type == "single" and not q.show_if:
                answers[q.id] = Checked(q.id, option_keys=(rng.choice(q.options).key,))
            elif q.type == "multiple":
                answers[q.id] = Checked(q.id, option_keys=tuple(o.key for o in q.options[: rng.randint(1, 2)]))
            elif q.type == "text" and not q.show_if and (advice := rng.choice(DEMO_ADVICE)):
                answers[q.id] = Checked(q.id, text=advice)
        submitted = start + timedelta(minutes=37 * i + rng.randint(0, 30))
        meta = SubmissionMeta(submitted_at=submitted, started_at=submitted - timedelta(seconds=rng.randint(45, 400)),
                              source=Source.IMPORT, user_agent="演示数据")
        store_response(session, survey, unit, answers, meta)
    screen_survey(session, survey)
    return count

"""Who may see and who may change a survey.

* admin: every survey;
* evaluator: surveys they own, or where they are a member as owner/evaluator (manage) or
  viewer (read);
* viewer: surveys they were granted (read only), never management.
"""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import Session

from ..domain.vocabulary import AccountRole, MemberRole
from ..models import Survey, SurveyMember, User
from .audit import record

VIEW, MANAGE = "view", "manage"
#: Account roles that may create surveys (a viewer only reads what it was granted).
CREATOR_ROLES = (AccountRole.ADMIN, AccountRole.EVALUATOR)


def can_create_surveys(user: User) -> bool:
    return user.role in CREATOR_ROLES


def can_manage_accounts(user: User) -> bool:
    """Only admins create, enable and disable accounts."""
    return user.role == AccountRole.ADMIN


def member_role(session: Session, user: User, survey: Survey) -> str | None:
    return session.scalar(
        sa.select(SurveyMember.role).where(SurveyMember.survey_id == survey.id, SurveyMember.user_id == user.id)
    )


def access_level(session: Session, user: User, survey: Survey) -> str | None:
    """Return MANAGE, VIEW or None for ``user`` on ``survey``."""
    if user.role == AccountRole.ADMIN:
        return MANAGE
    role = member_role(session, user, survey)
    if user.role == AccountRole.EVALUATOR and (survey.owner_id == user.id or role in (MemberRole.OWNER, MemberRole.EVALUATOR)):
        return MANAGE
    if role is not None:
        return VIEW
    return None


def visible_surveys(session: Session, user: User) -> list[Survey]:
    """Surveys the user may at least view, newest first."""
    query = sa.select(Survey).order_by(Survey.created_at.desc(), Survey.id.desc())
    if user.role != AccountRole.ADMIN:
        member = sa.select(SurveyMember.survey_id).where(SurveyMember.user_id == user.id)
        query = query.where(sa.or_(Survey.owner_id == user.id, Survey.id.in_(member)))
    return list(session.scalars(query))


def grant(session: Session, survey: Survey, user: User, role: str) -> None:
    """Make ``user`` a member of ``survey`` with ``role`` (owner/evaluator/viewer); flush."""
    if user.role == AccountRole.VIEWER and role != MemberRole.VIEWER:
        role = MemberRole.VIEWER  # a viewer account never manages, whatever it is granted
    existing = session.get(SurveyMember, (survey.id, user.id))
    if existing is None:
        session.add(SurveyMember(survey_id=survey.id, user_id=user.id, role=role))
    else:
        existing.role = role
    session.flush()


def add_member(session: Session, survey: Survey, username: str, role: str, actor: str) -> User | None:
    """Grant ``username`` ``role`` on ``survey``, audited; flush; None when there is no such user."""
    user = session.scalars(sa.select(User).where(User.username == username.strip())).first()
    if user is None:
        return None
    grant(session, survey, user, role)
    record(session, survey, actor, "survey.member", None, {"user": user.username, "role": role})
    session.flush()
    return user

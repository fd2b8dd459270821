"""``services.access``: who may create surveys and accounts, and adding a member (audited)."""

from __future__ import annotations

import sqlalchemy as sa
from support import make_survey, make_user

from survey_app.extensions import db
from survey_app.models import AuditEvent, SurveyMember
from survey_app.services.access import (
    MANAGE,
    VIEW,
    access_level,
    add_member,
    can_create_surveys,
    can_manage_accounts,
)


def test_roles_that_create_surveys_and_manage_accounts(ctx):
    admin, evaluator, viewer = make_user("root", "admin"), make_user("eva"), make_user("fin", "viewer")
    assert [can_create_surveys(u) for u in (admin, evaluator, viewer)] == [True, True, False]
    assert [can_manage_accounts(u) for u in (admin, evaluator, viewer)] == [True, False, False]


def test_add_member_grants_and_audits(ctx, industrial):
    survey = make_survey(industrial)
    eva, fin = make_user("eva"), make_user("fin", "viewer")
    assert add_member(db.session, survey, " eva ", "evaluator", "user:root") == eva
    # a viewer account is recorded as asked, but never manages
    assert add_member(db.session, survey, "fin", "evaluator", "user:root") == fin
    assert add_member(db.session, survey, "ghost", "viewer", "user:root") is None
    db.session.commit()
    assert access_level(db.session, eva, survey) == MANAGE and access_level(db.session, fin, survey) == VIEW
    assert db.session.get(SurveyMember, (survey.id, fin.id)).role == "viewer"
    events = db.session.scalars(sa.select(AuditEvent).where(AuditEvent.action == "survey.member")
                                .order_by(AuditEvent.id)).all()
    assert [(e.actor, e.after) for e in events] == [("user:root", {"user": "eva", "role": "evaluator"}),
                                                    ("user:root", {"user": "fin", "role": "evaluator"})]

"""``services.accounts.set_active``: enabling and disabling accounts, audited."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from support import make_user

from survey_app.extensions import db
from survey_app.models import AuditEvent
from survey_app.services.accounts import AccountError, set_active


def test_set_active_writes_an_audit_entry(ctx):
    root, fin = make_user("root", "admin"), make_user("fin", "viewer")
    assert set_active(db.session, fin, False, root, "cli:ops") is True
    assert set_active(db.session, fin, False, root, "cli:ops") is False  # already off: nothing to record
    db.session.commit()
    assert not fin.active
    event = db.session.scalars(sa.select(AuditEvent)).one()
    assert (event.action, event.actor, event.survey_id) == ("account.deactivate", "cli:ops", None)
    assert (event.before, event.after) == ({"user": "fin", "active": True}, {"user": "fin", "active": False})


def test_nobody_disables_their_own_account(ctx):
    root = make_user("root", "admin")
    with pytest.raises(AccountError, match="不能停用自己的账号"):
        set_active(db.session, root, False, root, "user:root")
    assert root.active and db.session.scalars(sa.select(AuditEvent)).all() == []

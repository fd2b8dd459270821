"""The transaction boundary: ``transactional`` for views, ``command_transaction`` for commands."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from flask import abort
from sqlalchemy.exc import IntegrityError

from survey_app.extensions import db
from survey_app.models import AuditEvent, User
from survey_app.transaction import (
    after_commit,
    command_transaction,
    keep_on_error,
    transactional,
)


def stored_actions(app) -> list[str]:
    """What another connection sees: only committed rows."""
    with app.app_context(), db.engine.connect() as conn:
        return list(conn.scalars(sa.select(AuditEvent.action).order_by(AuditEvent.id)))


def write(action: str = "test.write") -> None:
    db.session.add(AuditEvent(actor="test", action=action))
    db.session.flush()


def call(app, view, method: str = "POST"):
    with app.test_request_context("/", method=method):
        return view()


def test_a_successful_view_commits_once(app):
    done = []

    @transactional
    def view():
        write()
        after_commit(lambda: done.append(stored_actions(app)))
        return "ok"

    response = call(app, view)
    assert response.status_code == 200
    assert stored_actions(app) == ["test.write"]
    assert done == [["test.write"]]  # the callback ran after the commit, and saw it


def test_a_redirect_commits(app):
    from flask import redirect

    @transactional
    def view():
        write()
        return redirect("/next")

    assert call(app, view).status_code == 302
    assert stored_actions(app) == ["test.write"]


def test_an_exception_rolls_back_and_is_raised(app):
    done = []

    @transactional
    def view():
        write()
        after_commit(lambda: done.append(1))
        raise RuntimeError("boom")

    with pytest.raises(RuntimeError):
        call(app, view)
    assert stored_actions(app) == [] and done == []


def test_abort_rolls_back(app):
    @transactional
    def view():
        write()
        abort(404)

    with pytest.raises(Exception) as info:
        call(app, view)
    assert getattr(info.value, "code", None) == 404
    assert stored_actions(app) == []


@pytest.mark.parametrize("status", [400, 409, 422, 500])
def test_an_error_response_rolls_back_partial_work(app, status):
    """A form re-rendered with its problems must not keep what a service flushed before failing."""
    done = []

    @transactional
    def view():
        write()
        after_commit(lambda: done.append(1))
        return "<form>…</form>", status

    response = call(app, view)
    assert response.status_code == status
    assert stored_actions(app) == [] and done == []


def test_keep_on_error_commits_despite_the_error_status(app):
    """A failed login answers 401 but keeps its attempt row (it feeds the rate limit)."""

    @transactional
    def view():
        write("login.failed")
        keep_on_error()
        return "wrong password", 401

    assert call(app, view).status_code == 401
    assert stored_actions(app) == ["login.failed"]


def test_keep_on_error_does_not_leak_into_the_next_request(app):
    @transactional
    def keeps():
        keep_on_error()
        return "ok"

    @transactional
    def fails():
        write()
        return "bad", 400

    with app.test_request_context("/", method="POST"):
        keeps()
        fails()  # same request context (g): the flag was consumed by the first view
    assert stored_actions(app) == []


def test_a_dry_run_never_commits(app):
    @transactional(dry_run=True)
    def view():
        write()
        return "preview"

    assert call(app, view).status_code == 200
    assert stored_actions(app) == []


def test_a_failing_commit_rolls_back_and_raises(app):
    done = []

    @transactional
    def view():
        db.session.add_all([User(username="twin", password_hash="x"), User(username="twin", password_hash="x")])
        after_commit(lambda: done.append(1))
        return "ok"

    with pytest.raises(IntegrityError):
        call(app, view)
    assert done == []
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(User)) == 0
        write("after")  # the session is usable again
        db.session.commit()
    assert stored_actions(app) == ["after"]


def test_views_without_the_decorator_never_commit(app):
    def view():
        write()
        return "ok"

    assert call(app, view, "GET") == "ok"
    assert stored_actions(app) == []  # the request's session was rolled back at teardown


def test_command_transaction_commits_at_the_end(app):
    with app.app_context():
        with command_transaction():
            write()
            assert stored_actions(app) == []
    assert stored_actions(app) == ["test.write"]


@pytest.mark.parametrize("error", [RuntimeError("boom"), SystemExit(1), SystemExit(0), KeyboardInterrupt()])
def test_command_transaction_rolls_back_on_any_exit(app, error):
    """An early ``sys.exit`` — even with status 0, after a dry run — writes nothing."""
    with app.app_context():
        with pytest.raises(type(error)):
            with command_transaction():
                write()
                raise error
    assert stored_actions(app) == []


def test_command_transaction_as_a_decorator_and_dry_run(app):
    @command_transaction()
    def command():
        write("decorated")

    @command_transaction(dry_run=True)
    def dry():
        write("dry")

    with app.app_context():
        command()
        dry()
    assert stored_actions(app) == ["decorated"]


def test_every_view_that_writes_is_wrapped(app):
    """Views accepting POST, and the GET downloads that write an audit entry, carry the decorator.

    The respondent's form is the one exception: it commits itself to catch the nonce race.
    """
    audited_gets = {"evaluate.distribution_sheet", "evaluate.distribution_docx", "evaluate.distribution_csv",
                    "evaluate.export_download"}
    unwrapped = []
    for rule in app.url_map.iter_rules():
        if rule.endpoint.startswith("respond.") or rule.endpoint == "static":
            continue
        if "POST" in rule.methods or rule.endpoint in audited_gets:
            if not getattr(app.view_functions[rule.endpoint], "transactional", False):
                unwrapped.append(rule.endpoint)
    assert unwrapped == []
    assert audited_gets <= {rule.endpoint for rule in app.url_map.iter_rules()}

"""The one transaction boundary: a view decorator and a command context manager.

Services only ``flush``; whether their work is kept is decided once, here, for the whole
request or command (as Indico's ``RH.process`` does), instead of by commit/rollback calls
scattered over every view and command.  That keeps partial work from leaking: a view
that re-renders a form with an error, or a command that stops early, leaves nothing
behind however many services it called before it noticed the problem.

``transactional`` (views) — its contract:

* the view raises (``abort`` included) → roll back, re-raise;
* the view answers with status ≥ 400 (a form re-rendered with its problems, a 409 …)
  → roll back, unless it called ``keep_on_error()`` (a failed login must stay recorded:
  it feeds the rate limit);
* otherwise → commit once, then run the ``after_commit`` callbacks (e.g. delete an
  upload that has now been imported); a failing commit rolls back and raises (→ 500);
* ``transactional(dry_run=True)`` always rolls back: a preview never writes.

The decision is taken on the finished response, so an error page is rendered *before* the
rollback: services check first and change afterwards, or that page would show their
partial work (it is still never stored).

Views without the decorator never commit: Flask-SQLAlchemy rolls their session back at
the end of the request.  A GET that must write (the audit entry of a download) is
therefore wrapped explicitly, and the helpers it calls only flush.

``command_transaction`` (flask commands) commits when the block ends normally and rolls
back on any exception, ``SystemExit`` included: a command that exits early, even with
status 0 after a dry run, writes nothing.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from flask import current_app, g

from .extensions import db

_KEEP = "_transaction_keep_on_error"
_AFTER_COMMIT = "transaction_after_commit"


def transactional(view: Callable | None = None, *, dry_run: bool = False):
    """Decorate a view so that it commits once on success and rolls back otherwise (see module doc)."""
    if view is None:
        return functools.partial(transactional, dry_run=dry_run)

    @functools.wraps(view)
    def wrapper(*args: Any, **kwargs: Any):
        g.pop(_KEEP, None)
        try:
            response = current_app.make_response(view(*args, **kwargs))
        except BaseException:
            g.pop(_KEEP, None)
            _rollback()
            raise
        keep = g.pop(_KEEP, False)
        if dry_run or (response.status_code >= 400 and not keep):
            _rollback()
        else:
            _commit()
        return response

    wrapper.transactional = "dry_run" if dry_run else True
    return wrapper


def keep_on_error() -> None:
    """Commit this request's work even though the view answers with an error status."""
    setattr(g, _KEEP, True)


@contextmanager
def command_transaction(dry_run: bool = False) -> Iterator[None]:
    """Commit when the block ends normally, roll back on any exception (``SystemExit`` too)."""
    try:
        yield
    except BaseException:
        _rollback()
        raise
    if dry_run:
        _rollback()
    else:
        _commit()


def after_commit(callback: Callable[[], Any]) -> None:
    """Run ``callback`` once the current transaction has been committed; dropped on rollback."""
    db.session.info.setdefault(_AFTER_COMMIT, []).append(callback)


def _commit() -> None:
    try:
        db.session.commit()
    except BaseException:
        _rollback()
        raise
    for callback in db.session.info.pop(_AFTER_COMMIT, []):
        callback()


def _rollback() -> None:
    db.session.info.pop(_AFTER_COMMIT, None)
    db.session.rollback()

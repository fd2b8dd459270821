"""The respond form: CSRF plus a signed ticket; the answers themselves are checked by the domain.

The questions are defined by the survey's frozen questionnaire, not by a fixed form
class, so Flask-WTF carries only CSRF here (``HiddenFields``) and ``domain.answers.check_answers`` does
the per-question validation (the same code paper entry and imports use).
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import UTC, datetime

from flask import current_app
from flask_wtf.csrf import generate_csrf
from itsdangerous import BadSignature, URLSafeSerializer
from markupsafe import Markup


@dataclass(frozen=True)
class HiddenFields:
    """The form's two hidden inputs, written out directly.

    No WTForms form object per page view: building and rendering one was a tenth of a
    questionnaire GET, and the CSRF token is checked by hand in the view anyway (a stale
    token re-renders the answers instead of a bare 400).  The markup is what WTForms wrote.
    """

    ticket_value: str

    @property
    def csrf_token(self) -> Markup:
        return Markup('<input id="csrf_token" name="csrf_token" type="hidden" value="%s">') % generate_csrf()

    @property
    def ticket(self) -> Markup:
        return Markup('<input id="ticket" name="ticket" type="hidden" value="%s">') % self.ticket_value


@dataclass(frozen=True)
class Ticket:
    """Issued with the form: a one-time nonce, when the form was served, and for which link."""

    nonce: str
    started_at: datetime
    link: str
    #: Served by "为本单位其他人员再填写一份": another person of the unit on a device that answered.
    another: bool = False


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt="respond-ticket")


def issue_ticket(link: str, now: datetime, another: bool = False) -> str:
    """Sign a new ticket for a form served now (naive UTC)."""
    data = {"n": secrets.token_urlsafe(16), "t": int(now.replace(tzinfo=UTC).timestamp()), "l": link}
    if another:
        data["a"] = 1
    return _serializer().dumps(data)


def read_ticket(raw: str | None, link: str) -> Ticket | None:
    """Return the ticket if its signature is good and it was issued for this link."""
    try:
        data = _serializer().loads(raw or "")
        if data.get("l") != link:
            return None
        started = datetime.fromtimestamp(int(data["t"]), UTC).replace(tzinfo=None)
        return Ticket(nonce=str(data["n"]), started_at=started, link=link, another=data.get("a") == 1)
    except (BadSignature, KeyError, TypeError, ValueError, OverflowError):
        return None

"""The per-survey "this device has answered" cookie: when, and for which unit — nothing personal.

After a submission the answering page shows "您已提交过本问卷" instead of a form that the
back button would fill with the same answers again; a colleague sharing the phone starts a
new form with "为本单位其他人员再填写一份".  Signed so that a page never shows a time that
was not ours; losing the cookie only loses that screen (the server still refuses identical
answers from the same device, ``services.arrival``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from flask import current_app, request
from itsdangerous import BadSignature, URLSafeSerializer

#: Long enough for any survey period; the cookie holds no personal data.
MAX_AGE_SECONDS = 180 * 86400


@dataclass(frozen=True)
class LastAnswer:
    """The device's latest submission to a survey: when (naive UTC) and for which unit (None: not listed)."""

    submitted_at: datetime
    unit_id: int | None


def _name(survey_id: int) -> str:
    return f"answered_{survey_id}"


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt="respond-device")


def last_answer(survey_id: int) -> LastAnswer | None:
    """Read this request's cookie for the survey; None when absent or not ours."""
    try:
        data = _serializer().loads(request.cookies.get(_name(survey_id), ""))
        unit = data.get("u")
        return LastAnswer(datetime.fromtimestamp(int(data["t"]), UTC).replace(tzinfo=None),
                          int(unit) if unit is not None else None)
    except (BadSignature, KeyError, TypeError, ValueError, OverflowError, AttributeError):
        return None


def remember(reply, survey_id: int, submitted_at: datetime, unit_id: int | None):
    """Set the cookie on ``reply`` (the redirect to the thank-you page) and return it."""
    value = _serializer().dumps({"t": int(submitted_at.replace(tzinfo=UTC).timestamp()), "u": unit_id})
    reply.set_cookie(_name(survey_id), value, max_age=MAX_AGE_SECONDS, httponly=True, samesite="Lax",
                     secure=current_app.config["SESSION_COOKIE_SECURE"])
    return reply

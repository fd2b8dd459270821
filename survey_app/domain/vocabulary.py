"""The product's words, defined once: states, statuses, sources, flag codes, Beijing time.

Every layer (domain, models, services, views, reports, templates) spells these through
this module; the database stores the enum values (plain strings), and the Chinese labels
for them live in ``texts_zh.labels``.  The members are ``StrEnum``s, so they compare equal
to the stored strings and serialise as them in JSON.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from enum import StrEnum

#: Beijing time (UTC+8, no daylight saving).  Datetimes are stored as naive UTC; pages,
#: reports and date inputs show and read Beijing time.
BEIJING = timedelta(hours=8)


def to_beijing(utc: datetime) -> datetime:
    """Turn a stored naive-UTC datetime into naive Beijing time."""
    return utc + BEIJING


def from_beijing(local: datetime) -> datetime:
    """Turn a naive Beijing-time datetime (typed by a user, read from a file) into naive UTC."""
    return local - BEIJING


class SurveyState(StrEnum):
    """The life of a survey: a draft can be edited, an open one takes answers, a closed one is final."""

    DRAFT = "draft"
    OPEN = "open"
    CLOSED = "closed"

    def can_become(self, target: SurveyState) -> bool:
        """Say whether the survey may move from this state to ``target`` (never backwards)."""
        return target in _TRANSITIONS[self]


_TRANSITIONS: dict[SurveyState, frozenset[SurveyState]] = {
    # A draft nobody needs any more may be closed without ever opening.
    SurveyState.DRAFT: frozenset({SurveyState.OPEN, SurveyState.CLOSED}),
    SurveyState.OPEN: frozenset({SurveyState.CLOSED}),
    SurveyState.CLOSED: frozenset(),
}


class Availability(StrEnum):
    """Whether a respondent may answer right now (state plus the planned window)."""

    OPEN = "open"
    NOT_YET = "not_yet"
    CLOSED = "closed"


class AccountRole(StrEnum):
    """What an account may do across the service."""

    #: Manages accounts and every survey.
    ADMIN = "admin"
    #: Creates surveys and runs the ones they own or were made evaluator-members of.
    EVALUATOR = "evaluator"
    #: Reads the surveys it was granted (e.g. the finance bureau); never changes anything.
    VIEWER = "viewer"


class MemberRole(StrEnum):
    """An account's role within one survey."""

    OWNER = "owner"
    EVALUATOR = "evaluator"
    VIEWER = "viewer"


class BankSource(StrEnum):
    """Where a question bank in the library comes from."""

    #: A file in ``question_banks/``, shipped with the service: read-only in the workspace.
    BUILTIN = "builtin"
    #: Saved from a survey or uploaded in the workspace (``question_banks`` table).
    STORED = "stored"


class ResponseStatus(StrEnum):
    """Where a response stands after screening and the evaluator's decision."""

    VALID = "valid"
    #: A validity rule fired with the action "flag": counted, waiting for review.
    FLAGGED = "flagged"
    #: Left out of every figure (an "exclude" rule or an evaluator's decision).
    EXCLUDED = "excluded"


#: Statuses counted by default in every figure: valid and flagged (flagging never drops an answer).
COUNTED: tuple[ResponseStatus, ...] = (ResponseStatus.VALID, ResponseStatus.FLAGGED)
#: Every status, in display order.
ALL_STATUSES: tuple[ResponseStatus, ...] = tuple(ResponseStatus)
#: The decisions an evaluator can take on one response (they override screening).
DECISIONS: tuple[ResponseStatus, ...] = (ResponseStatus.VALID, ResponseStatus.EXCLUDED)


class Source(StrEnum):
    """How an answer reached us."""

    WEB = "web"
    PAPER = "paper"
    IMPORT = "import"


class FlagCode(StrEnum):
    """The validity rules; a fired rule is stored on the response as a flag with this code."""

    MIN_DURATION = "min_duration"
    STRAIGHT_LINE = "straight_line"
    DUPLICATE_DEVICE = "duplicate_device"
    NOT_IN_FRAME = "not_in_frame"
    #: Straight-lining answered faster than a reader can read the items.
    STRAIGHT_LINE_FAST = "straight_line_fast"


class FlagAction(StrEnum):
    """What a fired validity rule does to its response."""

    FLAG = "flag"
    EXCLUDE = "exclude"
    OFF = "off"
    #: Shown with the response, which stays valid: worth a look, not a review.
    NOTE = "note"


class AnswerProblem(StrEnum):
    """What can be wrong with one answer (``domain.answers.check_answers``)."""

    REQUIRED = "required"
    INVALID_OPTION = "invalid_option"
    TOO_MANY = "too_many"
    TOO_LONG = "too_long"
    NOT_A_NUMBER = "not_a_number"
    BELOW_MIN = "below_min"
    ABOVE_MAX = "above_max"


def sql_in(column: str, values) -> str:
    """Render ``column IN ('a', 'b')`` for a CHECK constraint over an enum's values."""
    return f"{column} IN ({', '.join(repr(str(v)) for v in values)})"

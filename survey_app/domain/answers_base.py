"""One stored answer and text cleaning: what the question types and ``answers`` share.

Kept apart from ``answers`` so the question types can build answers without importing the
module that dispatches to them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

#: Control characters other than tab/newline, and lone surrogates: PostgreSQL refuses NUL
#: in text, psycopg cannot encode a surrogate, and the others only ever arrive by accident
#: (pasted from Word, say).
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff]")


@dataclass(frozen=True)
class Answer:
    """One stored answer; choice questions keep their option keys in scale order."""

    question_id: str
    option_keys: tuple[str, ...] = ()
    text: str | None = None
    number: float | None = None


def clean_text(value: str) -> str:
    """Strip surrounding space and control characters; keep Chinese punctuation as typed."""
    return strip_control(value).strip()


def strip_control(value: str) -> str:
    """Remove control characters (NUL included) and lone surrogates; keep tabs, newlines and spaces."""
    return _CONTROL.sub("", value)

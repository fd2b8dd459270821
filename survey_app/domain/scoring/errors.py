"""Named domain exceptions raised by the scoring core.

Each carries an English message for developers (``str(exc)``) and a Chinese
message for evaluators (``exc.message_zh``), so a view can show the latter
without the domain knowing about HTTP or templates.
"""

from __future__ import annotations


class ScoringError(ValueError):
    """Base class: a value the scoring core cannot work with."""

    def __init__(self, message: str, message_zh: str) -> None:
        super().__init__(message)
        #: User-facing explanation in Chinese.
        self.message_zh = message_zh


class SettingsError(ScoringError):
    """A survey setting (method, rounding, rule, validity rule …) is invalid."""


class RuleError(SettingsError):
    """A score rule is malformed (gaps, overlaps, bad target …)."""


class ScoringInputError(ScoringError):
    """Counts or answers do not match the questionnaire (unknown option, negative count …)."""

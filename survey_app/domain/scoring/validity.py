"""Validity screening of responses: flags with reasons, then a status.

Each rule has an action: ``note`` (show the reason, the response stays valid),
``flag`` (show the reason, keep the response, send it to review),
``exclude`` (leave it out automatically) or ``off``.  A response is
``excluded`` when a rule set to ``exclude`` fires, ``flagged`` when ``flag``
rules fire, else ``valid`` (notes or not); flagged responses are still counted.
An evaluator's decision (response id → "valid" | "excluded") overrides the
automatic status; decisions for unknown ids are ignored (the response may
have been deleted since).  METHOD.md §4: evaluators confirm exclusions, so
no rule excludes by default, and straight-lining alone is only a note.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from ...texts_zh import scoring as zh
from ..vocabulary import DECISIONS, FlagAction, FlagCode, ResponseStatus
from .errors import ScoringInputError
from .numbers import plain
from .validity_rules import ValidityRules


@dataclass(frozen=True)
class ResponseRecord:
    """One submitted response as the screening sees it."""

    id: Hashable
    unit: Hashable | None
    duration_seconds: float | None
    submitted_at: datetime
    #: Hash of e.g. IP + user agent; None when unknown.
    device: str | None
    #: Scored items only: question id → option key (or keys).
    answers: Mapping[str, str | Sequence[str]] = field(default_factory=dict)
    in_frame: bool = True
    #: The respondent said they are another person of the unit on a shared device, so a
    #: same-device duplicate is only a note (colleagues often give the same answers).
    another_person: bool = False


@dataclass(frozen=True)
class Flag:
    """A rule that fired on a response."""

    code: str
    action: str
    reason_zh: str

    def to_dict(self) -> dict[str, str]:
        """Return JSON-ready data."""
        return {"code": self.code, "action": self.action, "reason_zh": self.reason_zh}


@dataclass(frozen=True)
class ValidityResult:
    """Screening outcome of one response."""

    response_id: Hashable
    flags: tuple[Flag, ...]
    automatic_status: str
    status: str
    decided_by_evaluator: bool

    def to_dict(self) -> dict[str, Any]:
        """Return JSON-ready data."""
        return {
            "response_id": self.response_id,
            "flags": [flag.to_dict() for flag in self.flags],
            "automatic_status": self.automatic_status,
            "status": self.status,
            "decided_by_evaluator": self.decided_by_evaluator,
        }


def _answer_key(answer: str | Sequence[str]) -> str | tuple[str, ...]:
    return answer if isinstance(answer, str) else tuple(answer)


def duplicate_of(
    records: Sequence[ResponseRecord], window_seconds: float
) -> dict[int, tuple[Hashable, float]]:
    """Find later responses from one device with identical answers within the window.

    Responses are taken in order of submission (ties: input order); each one is
    compared with the closest earlier response from the same device with the
    same answers, flagged or not.  A gap equal to the window still counts.

    :returns: record index → (id of the earlier response, gap in seconds).
    """
    order = sorted(range(len(records)), key=lambda i: (records[i].submitted_at, i))
    last_seen: dict[tuple[str, frozenset[Any]], int] = {}
    found: dict[int, tuple[Hashable, float]] = {}
    for index in order:
        record = records[index]
        if record.device is None:
            continue
        key = (
            record.device,
            frozenset((q, _answer_key(a)) for q, a in record.answers.items()),
        )
        if key in last_seen:
            earlier = records[last_seen[key]]
            gap = (record.submitted_at - earlier.submitted_at).total_seconds()
            if gap <= window_seconds:
                found[index] = (earlier.id, gap)
        last_seen[key] = index
    return found


def _flags(
    record: ResponseRecord,
    rules: ValidityRules,
    duplicate: tuple[Hashable, float] | None,
) -> list[Flag]:
    flags = []
    rule = rules.min_duration
    if (
        rule.action != FlagAction.OFF
        and record.duration_seconds is not None
        and record.duration_seconds < rule.seconds
    ):
        reason = zh.REASON_MIN_DURATION.format(
            seconds=plain(record.duration_seconds), minimum=plain(rule.seconds)
        )
        flags.append(Flag(FlagCode.MIN_DURATION, rule.action, reason))
    flags.extend(_straight_line_flags(record, rules))
    rule = rules.duplicate_device
    if rule.action != FlagAction.OFF and duplicate is not None:
        other, gap = duplicate
        reason = zh.REASON_DUPLICATE_DEVICE.format(
            other=other, seconds=plain(round(gap)), minutes=plain(rule.window_minutes)
        )
        action = rule.action
        if record.another_person and action == FlagAction.FLAG:
            action, reason = FlagAction.NOTE, reason + zh.REASON_ANOTHER_PERSON
        flags.append(Flag(FlagCode.DUPLICATE_DEVICE, action, reason))
    rule = rules.not_in_frame
    if rule.action != FlagAction.OFF and not record.in_frame:
        flags.append(Flag(FlagCode.NOT_IN_FRAME, rule.action, zh.REASON_NOT_IN_FRAME))
    return flags


def _straight_line_flags(record: ResponseRecord, rules: ValidityRules) -> list[Flag]:
    """The straight-line note, or the straight-line-too-fast flag that replaces it."""
    keys = {_answer_key(answer) for answer in record.answers.values()}
    items = len(record.answers)
    if items < rules.straight_line.min_items or len(keys) != 1:
        return []
    (key,) = keys
    shown = key if isinstance(key, str) else "、".join(key)
    fast = rules.straight_line_fast
    minimum = float(fast.seconds_per_item) * items
    if fast.action != FlagAction.OFF and record.duration_seconds is not None and record.duration_seconds < minimum:
        reason = zh.REASON_STRAIGHT_LINE_FAST.format(
            items=items, key=shown, seconds=plain(record.duration_seconds),
            minimum=plain(minimum), per_item=plain(fast.seconds_per_item),
        )
        return [Flag(FlagCode.STRAIGHT_LINE_FAST, fast.action, reason)]
    if rules.straight_line.action == FlagAction.OFF:
        return []
    reason = zh.REASON_STRAIGHT_LINE.format(items=items, key=shown)
    return [Flag(FlagCode.STRAIGHT_LINE, rules.straight_line.action, reason)]


def automatic_status(flags: Iterable[Mapping[str, str]]) -> str:
    """The status the rules gave, read back from stored flags (``Flag.to_dict`` form).

    Flags do not depend on decisions, so dropping a decision needs no new screening.
    """
    actions = {flag.get("action") for flag in flags}
    if FlagAction.EXCLUDE in actions:
        return ResponseStatus.EXCLUDED
    return ResponseStatus.FLAGGED if FlagAction.FLAG in actions else ResponseStatus.VALID


def screen(
    records: Iterable[ResponseRecord],
    rules: ValidityRules | None = None,
    decisions: Mapping[Hashable, str] | None = None,
) -> tuple[ValidityResult, ...]:
    """Screen responses and return one result per record, in input order.

    :param decisions: evaluator decisions, response id → "valid" | "excluded".
    :raises ScoringInputError: on a decision other than "valid" or "excluded".
    """
    records = list(records)
    rules = rules or ValidityRules()
    decisions = decisions or {}
    for response_id, decision in decisions.items():
        if decision not in DECISIONS:
            raise ScoringInputError(
                f"decision for response {response_id!r} must be 'valid' or 'excluded'; "
                f"got {decision!r}",
                f"答卷{response_id}的审核结论无效：{decision}",
            )
    duplicates = duplicate_of(
        records, float(rules.duplicate_device.window_minutes) * 60
    )
    results = []
    for index, record in enumerate(records):
        flags = _flags(record, rules, duplicates.get(index))
        automatic = automatic_status(f.to_dict() for f in flags)
        decided = record.id in decisions
        status = decisions[record.id] if decided else automatic
        results.append(
            ValidityResult(record.id, tuple(flags), automatic, status, decided)
        )
    return tuple(results)

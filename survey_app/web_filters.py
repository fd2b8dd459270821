"""Query-string filters shared by the API and the evaluators' pages (dashboard, exports).

They live outside every blueprint so that blueprints never import one another, and they
take the query ``args`` as a parameter instead of reading Flask's ``request``: what they
parse is plain data, and a caller can hand in any mapping with ``get``/``getlist``.
"""

from __future__ import annotations

from datetime import UTC, datetime

from .domain.vocabulary import ALL_STATUSES, COUNTED, from_beijing
from .services.summary import SummaryFilter


class BadQuery(ValueError):
    """A query parameter is malformed; the message says which and why."""


def parse_filter(args) -> SummaryFilter:
    """Read include=valid,flagged · unit=ID (repeatable) · since/until=YYYY-MM-DD[THH:MM] (Beijing time)."""
    statuses = tuple(s for s in args.get("include", ",".join(COUNTED)).split(",") if s)
    if not statuses or any(s not in ALL_STATUSES for s in statuses):
        raise BadQuery(f"include must list statuses among {', '.join(ALL_STATUSES)}")
    try:
        unit_ids = tuple(int(u) for u in args.getlist("unit")) or None
    except ValueError as exc:
        raise BadQuery("unit must be a numeric unit id") from exc
    return SummaryFilter(statuses, unit_ids, parse_time(args, "since"), parse_time(args, "until"))


def parse_time(args, name: str) -> datetime | None:
    """An ISO date or date-time in Beijing time, as naive UTC; None when absent."""
    raw = args.get(name)
    if not raw:
        return None
    try:
        value = datetime.fromisoformat(raw)
        if value.tzinfo is not None:  # an explicit offset wins over "Beijing time"
            return value.astimezone(UTC).replace(tzinfo=None)
        return from_beijing(value)
    except (ValueError, OverflowError) as exc:  # OverflowError: 0001-01-01 has no UTC before it
        raise BadQuery(f"{name} must be an ISO date or date-time in Beijing time, e.g. 2025-03-01T09:00") from exc


def parse_bool(args, name: str, default: bool) -> bool:
    """1/true/yes or 0/false/no; ``default`` when absent."""
    raw = args.get(name)
    if raw is None:
        return default
    if raw.lower() in ("1", "true", "yes"):
        return True
    if raw.lower() in ("0", "false", "no"):
        return False
    raise BadQuery(f"{name} must be 1 or 0")

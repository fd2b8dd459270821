"""The live dashboard's data: a cheap change marker, and the summary shaped for charts and tables.

Live updates work by polling the database, not by passing messages between processes:
every gunicorn worker (and every restarted one) sees the same ``data_version``, so a
dashboard connected to any worker learns of an answer stored by any other.  The version
is a handful of aggregates that change whenever the result could change — a new or
deleted response, a status change (exclude / restore / re-screen), or any audited
change to the survey (settings, units, open / close).  All numbers themselves come from
``build_summary``; this module only reorders and labels them for the page.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from ..domain.scoring import as_float, json_number
from ..domain.summary_parts import QuestionSummary
from ..domain.summary_result import SummaryResult
from ..domain.vocabulary import ALL_STATUSES, ResponseStatus
from ..models import AuditEvent, Response, Survey, Unit
from ..texts_zh import scoring as zh_scoring
from .statistics import Latest, chances_of, latest_statistics
from .summary import SummaryFilter, build_summary, question_specs


def data_version(conn: sa.Connection | Session, survey_id: int) -> str:
    """Return a marker that changes whenever the survey's results may have changed.

    One statement: response count, highest response id, flagged and excluded counts (a
    status change moves one of them), and the survey's highest audit-event id (settings,
    units, open/close and reviewers' decisions are audited).  The first four read the
    ``(survey_id, status)`` index only; the audit part reads a few rows.
    """
    audit = sa.select(sa.func.max(AuditEvent.id)).where(AuditEvent.survey_id == survey_id).scalar_subquery()
    row = conn.execute(
        sa.select(
            sa.func.count(),
            sa.func.max(Response.id),
            sa.func.sum(sa.case((Response.status == ResponseStatus.FLAGGED, 1), else_=0)),
            sa.func.sum(sa.case((Response.status == ResponseStatus.EXCLUDED, 1), else_=0)),
            audit,
        ).where(Response.survey_id == survey_id)
    ).one()
    return ".".join("0" if v is None else str(v) for v in row)


class VersionCache:
    """Share one version query per survey among all live streams of this process.

    Without it, N open dashboards cost N queries a second; with it, at most one per
    ``ttl`` per worker.  It holds only a copy of what the database said less than
    ``ttl`` seconds ago, so workers never depend on each other's memory.
    """

    def __init__(self, ttl: float = 0.5, clock: Callable[[], float] = time.monotonic):
        self.ttl, self.clock = ttl, clock
        self._lock = threading.Lock()
        self._values: dict[int, tuple[float, str]] = {}

    def get(self, survey_id: int, fetch: Callable[[int], str]) -> str:
        """Return the survey's version, asking ``fetch`` when the copy is older than ``ttl``."""
        with self._lock:  # one thread queries; the others wait a few ms and reuse its answer
            now = self.clock()
            seen = self._values.get(survey_id)
            if seen is None or now - seen[0] >= self.ttl:
                seen = self._values[survey_id] = (now, fetch(survey_id))
            return seen[1]


class ResultCache:
    """Keep recent dashboard payloads of this process, keyed by data version and view.

    Ten dashboards open on the same view all refetch when an answer arrives; this makes
    that one build per worker instead of ten (the others wait for it).  The key holds the
    database's version, so an entry is never served for other data; ``ttl`` bounds how
    long a change the version does not see (e.g. an unaudited rename) can stay hidden.
    """

    def __init__(self, size: int = 32, ttl: float = 30.0, clock: Callable[[], float] = time.monotonic):
        self.size, self.ttl, self.clock = size, ttl, clock
        self._lock = threading.Lock()
        self._items: OrderedDict[Hashable, tuple[float, Any]] = OrderedDict()
        self._building: dict[Hashable, threading.Lock] = {}

    def _fresh(self, key: Hashable):
        hit = self._items.get(key)
        if hit is not None and self.clock() - hit[0] < self.ttl:
            self._items.move_to_end(key)
            return hit
        return None

    def discard(self, key: Hashable) -> None:
        """Forget ``key`` (a value that must not be served again, e.g. built with provisional parts)."""
        with self._lock:
            self._items.pop(key, None)

    def get(self, key: Hashable, build: Callable[[], Any]) -> Any:
        """Return the cached value for ``key`` or build it (one builder per key at a time)."""
        with self._lock:
            hit = self._fresh(key)
            if hit is not None:
                return hit[1]
            building = self._building.setdefault(key, threading.Lock())
        with building:
            with self._lock:
                hit = self._fresh(key)
            if hit is not None:
                return hit[1]
            try:
                value = build()
                with self._lock:
                    self._items[key] = (self.clock(), value)
                    while len(self._items) > self.size:
                        self._items.popitem(last=False)
                return value
            finally:
                with self._lock:
                    self._building.pop(key, None)


def unit_activity(session: Session, survey: Survey, flt: SummaryFilter) -> dict[int | None, tuple[int, datetime | None]]:
    """Return unit id → (responses counted under the filter, time of the last answer of any status).

    One ``GROUP BY unit_id`` over the responses in the filter's time window and units;
    the last answer time ignores the status filter, because it answers "is this unit
    still answering?", not "what counts".
    """
    window = SummaryFilter(ALL_STATUSES, flt.unit_ids, flt.since, flt.until)
    counted = sa.func.sum(sa.case((Response.status.in_(flt.statuses), 1), else_=0))
    rows = session.execute(
        sa.select(Response.unit_id, counted, sa.func.max(Response.submitted_at))
        .where(*window.where(survey.id))
        .group_by(Response.unit_id)
    )
    return {unit_id: (int(n or 0), last) for unit_id, n, last in rows}


def dashboard_data(session: Session, survey: Survey, flt: SummaryFilter, *, group_by: str | None,
                   statistics: bool, now: datetime, stats_wait: float | None = None) -> dict[str, Any]:
    """Compute the summary under ``flt`` and shape it for the dashboard (see docs/api.md for the numbers).

    :param group_by: a grouping of ``summary.breakdowns`` (``county``, ``category``,
        ``attribute:…``); an unknown or missing one falls back to the first available.
    :param statistics: include the bootstrap interval: the current one if it is ready within
        ``stats_wait`` seconds (None: however long it takes), else the last one computed for this view (``ci.current``
        false, ``ci.fingerprint`` its data), else none yet (``ci_pending``).
    """
    summary = build_summary(session, survey, flt, statistics=False)
    latest = None
    if statistics:
        latest = latest_statistics(session, survey, flt, question_specs(survey.questionnaire),
                                   summary.settings.scoring, summary.fingerprint, wait=stats_wait)
    units = session.scalars(sa.select(Unit).where(Unit.survey_id == survey.id).order_by(Unit.seq, Unit.id)).all()
    activity = unit_activity(session, survey, flt)
    rows = _coverage(summary, units, activity, flt)
    met = sum(1 for r in rows if r["met"])
    # While a unit is short, the score is what today's answers give, not the result: say so.
    provisional = met < len(rows)
    numbers = survey.questionnaire.numbers()
    return {
        "fingerprint": summary.fingerprint,
        "survey": {**summary.survey.to_dict(), "availability": survey.availability(now)},
        "filter": summary.filter.to_dict(),
        "header": {**_header(summary, statistics, latest), "units_met": met, "units": len(rows),
                   "provisional": provisional,
                   "provisional_zh": zh_scoring.PROVISIONAL.format(units=len(rows), met=met) if provisional else ""},
        "questions": [_question(q, numbers.get(q.id)) for q in summary.questions],
        "coverage": rows,
        "breakdown": _breakdown(summary, activity, group_by),
    }


def _header(summary: SummaryResult, statistics: bool, latest: Latest | None) -> dict[str, Any]:
    responses, score = summary.responses, summary.score
    band = score.band if score else None
    header = {
        "used": responses.used, "valid": responses.valid, "flagged": responses.flagged,
        "excluded": responses.excluded, "total": responses.total,
        "composite": as_float(summary.composite),
        "points": as_float(score.points) if score else None,
        "weight": json_number(score.weight) if score else None,
        # Band rules only: the band the composite falls in (domain: BandRule.band_for).
        "band": {"min": json_number(band.min), "max": json_number(band.max)} if band else None,
        "working_zh": score.working_zh if score else None,
        "rule_zh": summary.rule_zh,
    }
    if statistics and latest is None:
        header["ci_pending"] = True
    elif statistics:
        ci = latest.ci
        chances = chances_of(ci, summary.settings.score_rule)
        header["ci"] = {"low": as_float(ci.low_shown), "high": as_float(ci.high_shown), "level": ci.level,
                        "used": ci.used, "skipped_reason_zh": ci.skipped_reason_zh, "resampled": ci.resampled,
                        "design_effect": ci.to_dict()["design_effect"],
                        "score_chances": chances.to_dict()["chances"] if chances else [],
                        "score_chances_zh": chances.sentence_zh if chances else "",
                        "fingerprint": latest.fingerprint, "current": latest.current,
                        "n": ci.n}
        header["ci_pending"] = not latest.current
    return header


def _question(q: QuestionSummary, number: str | None) -> dict[str, Any]:
    """One question's chart data; ``number`` is the one respondents saw ("4", a matrix row "2.1")."""
    return {"id": q.id, "number": number, "text": q.text, "topic": q.topic, "type": q.type, "scored": q.scored,
            "dimension": q.dimension, "n": q.n, "mentions": q.mentions, "satisfaction": as_float(q.satisfaction),
            "options": [{"key": o.key, "label": o.label, "count": o.count, "share": float(o.share)}
                        for o in q.options]}


def _coverage(summary: SummaryResult, units: list[Unit], activity, flt: SummaryFilter) -> list[dict[str, Any]]:
    """Units of the filter, those below their minimum first (most missing first), then frame order."""
    by_id = {u.id: u for u in units}
    rows = []
    for position, row in enumerate(summary.coverage.units):
        unit = by_id.get(row.unit)
        if unit is None or (flt.unit_ids is not None and unit.id not in flt.unit_ids):
            continue
        used, last = activity.get(unit.id, (0, None))
        rows.append({
            "unit": row.unit, "minimum": row.minimum, "valid": row.valid, "met": row.met, "short_by": row.short_by,
            "name": row.name, "county": unit.county, "category": unit.category, "used": used,
            "last_at": last.isoformat() if last else None, "_order": (row.met, -row.short_by, position),
        })
    rows.sort(key=lambda r: r.pop("_order"))
    return rows


def _breakdown(summary: SummaryResult, activity, group_by: str | None) -> dict[str, Any]:
    groupings = [b.by for b in summary.breakdowns.groupings]
    chosen = summary.breakdowns.get(group_by if group_by in groupings else (groupings[0] if groupings else None))
    rows = [{"group": g.group, "composite": as_float(g.composite), "units": len(g.units),
             "used": sum(activity.get(u, (0, None))[0] for u in g.units)}
            for g in (chosen.rows if chosen else ())]
    return {"by": chosen.by if chosen else None, "options": groupings, "rows": rows}


def units_in_group(session: Session, survey: Survey, county: str | None, category: str | None) -> tuple[int, ...] | None:
    """Return the ids of the survey's units in ``county`` and ``category`` (None when neither is given)."""
    if not county and not category:
        return None
    query = sa.select(Unit.id).where(Unit.survey_id == survey.id).order_by(Unit.id)
    if county:
        query = query.where(Unit.county == county)
    if category:
        query = query.where(Unit.category == category)
    return tuple(session.scalars(query))


def group_choices(session: Session, survey: Survey) -> dict[str, list[str]]:
    """Distinct counties and categories of the survey's units, for the filter menus."""
    rows = session.execute(sa.select(Unit.county, Unit.category).where(Unit.survey_id == survey.id)).all()
    return {
        "county": sorted({c for c, _ in rows if c}),
        "category": sorted({c for _, c in rows if c}),
    }

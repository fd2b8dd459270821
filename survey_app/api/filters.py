"""The dashboard's filters, read from the query string: include · unit · since/until · county/category."""

from __future__ import annotations

from flask import request

from ..extensions import db
from ..services.live import units_in_group
from ..services.summary import SummaryFilter
from ..web_filters import BadQuery, parse_filter

#: Query parameters every filtered endpoint accepts, besides its own.
FILTER_PARAMS = ("include", "unit", "since", "until", "county", "category")
#: Largest id a database integer column holds (a larger one would be a database error, not "none found").
MAX_ID = 2**31 - 1


def api_filter(survey) -> SummaryFilter:
    """``parse_filter`` narrowed to the units of ``county``/``category``, as on the dashboard."""
    flt = parse_filter(request.args)
    if flt.unit_ids is not None and not all(0 <= u <= MAX_ID for u in flt.unit_ids):
        raise BadQuery(f"unit must be a unit id from 0 to {MAX_ID}")
    group = units_in_group(db.session, survey, request.args.get("county"), request.args.get("category"))
    if group is None:
        return flt
    unit_ids = group if flt.unit_ids is None else tuple(u for u in flt.unit_ids if u in set(group))
    return SummaryFilter(flt.statuses, unit_ids, flt.since, flt.until)


def limit_arg(default: int, maximum: int) -> int:
    raw = request.args.get("limit")
    if raw is None:
        return default
    if not raw.isdigit() or not 1 <= int(raw) <= maximum:
        raise BadQuery(f"limit must be an integer from 1 to {maximum}")
    return int(raw)

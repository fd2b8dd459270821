"""Query-string filters shared by the API, the dashboard and the exports."""

from __future__ import annotations

from datetime import datetime

import pytest
from werkzeug.datastructures import MultiDict

from survey_app.domain.vocabulary import COUNTED, ResponseStatus
from survey_app.web_filters import BadQuery, parse_bool, parse_filter, parse_time


def test_defaults():
    flt = parse_filter(MultiDict())
    assert (flt.statuses, flt.unit_ids, flt.since, flt.until) == (COUNTED, None, None, None)


def test_every_part_is_read_and_times_are_beijing():
    flt = parse_filter(MultiDict([("include", "valid"), ("unit", "3"), ("unit", "5"),
                                  ("since", "2025-03-01T09:00"), ("until", "2025-03-02")]))
    assert flt.statuses == (ResponseStatus.VALID,) and flt.unit_ids == (3, 5)
    assert flt.since == datetime(2025, 3, 1, 1, 0) and flt.until == datetime(2025, 3, 1, 16, 0)


@pytest.mark.parametrize("args", [{"include": "valid,lost"}, {"include": ","}, {"unit": "x"}, {"since": "yesterday"}])
def test_malformed_parts_are_bad_queries(args):
    with pytest.raises(BadQuery):
        parse_filter(MultiDict(args))


def test_parse_time_and_bool():
    assert parse_time(MultiDict(), "since") is None
    assert parse_bool(MultiDict(), "statistics", True) is True
    assert parse_bool(MultiDict({"statistics": "0"}), "statistics", True) is False
    assert parse_bool(MultiDict({"statistics": "Yes"}), "statistics", False) is True
    with pytest.raises(BadQuery, match="statistics must be 1 or 0"):
        parse_bool(MultiDict({"statistics": "maybe"}), "statistics", True)

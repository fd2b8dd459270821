"""Every unit's link as CSV, through the exports' CSV writer (UTF-8 with BOM, formulas neutralised).

Unit names come from uploaded files: a name like ``=cmd|' /C calc'!A0`` must reach Excel as
text, exactly as in the data export.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, BinaryIO

from .cells import NUMBER, Column
from .table_csv import write_csv

COLUMNS = (Column("序号", NUMBER), Column("单位名称"), Column("县（市、区）"), Column("类别"),
           Column("最少有效份数", NUMBER), Column("链接"))


def write_links(out: BinaryIO, cards: Iterable[Any]) -> int:
    """Write one row per distribution card (``seq, name, county, category, min_valid, url``)."""
    return write_csv(out, COLUMNS, ((c.seq, c.name, c.county, c.category, c.min_valid, c.url) for c in cards))

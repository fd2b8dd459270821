"""Reading .xlsx uploads without trusting them: bombs refused from the zip directory, rows streamed."""

from __future__ import annotations

import time
import tracemalloc
from datetime import datetime

import pytest
from fixtures.xlsx_bombs import SHEET, bomb, declaring, sheet_xml, workbook

from survey_app.domain.spreadsheet import (
    SheetLimits,
    SheetRefused,
    check_archive,
    read_first_sheet,
)

LIMITS = SheetLimits(max_lines=100, max_columns=10, max_unpacked=32 * 1024 * 1024)
#: Archive checks off: only the streaming limits apply.
STREAM_ONLY = SheetLimits(max_lines=100, max_columns=10, max_unpacked=2**40, max_ratio=10**9)


@pytest.fixture(scope="module")
def big_bomb() -> bytes:
    return bomb(100)  # 100 MB of sheet XML, 1.3 million rows, in about 360 KB


def _timed_refusal(data: bytes, limits: SheetLimits) -> tuple[SheetRefused, float, float]:
    tracemalloc.start()
    started = time.perf_counter()
    try:
        with pytest.raises(SheetRefused) as refused:
            read_first_sheet(data, limits)
        seconds = time.perf_counter() - started
        peak = tracemalloc.get_traced_memory()[1] / 1e6
    finally:
        tracemalloc.stop()
    print(f"\n{len(data) / 1024:.0f} KB bomb refused in {seconds * 1000:.0f} ms, Python peak {peak:.1f} MB")
    return refused.value, seconds, peak


def test_a_decompression_bomb_is_refused_by_its_unpacked_size(big_bomb):
    assert len(big_bomb) < 1024 * 1024
    refused, seconds, peak = _timed_refusal(big_bomb, LIMITS)
    assert refused.kind == "archive" and "解压后约 100 MB，超过 32 MB 的上限" in refused.message_zh
    assert seconds < 5 and peak < 100  # generous: a refusal reads the zip directory only


def test_a_bomb_under_the_size_cap_is_refused_by_its_ratio(big_bomb):
    roomy = SheetLimits(max_lines=300_000, max_columns=2000, max_unpacked=512 * 1024 * 1024)
    refused, seconds, peak = _timed_refusal(big_bomb, roomy)
    assert refused.kind == "archive" and "压缩比异常" in refused.message_zh and SHEET in refused.message_zh
    assert seconds < 5 and peak < 100


def test_a_lying_size_in_the_zip_directory_is_refused():
    data = declaring(workbook([["单位名称"], ["甲公司"]]), SHEET, 0xFFFFFF00)
    with pytest.raises(SheetRefused, match="解压后约 409[56] MB"):
        check_archive(data, LIMITS)


def test_rows_are_streamed_and_the_row_limit_stops_the_read():
    """With the archive checks off, the bomb is still refused after 100 rows, not 1.3 million.

    The bomb declares its used range as Excel does: without ``<dimension>``, openpyxl scans the
    whole sheet once when it opens it — bounded by the archive checks, which are off here.
    """
    refused, seconds, peak = _timed_refusal(bomb(100, dimension=True), STREAM_ONLY)
    assert refused.kind == "rows" and "超过 100 行" in refused.message_zh
    assert seconds < 5 and peak < 100


def test_a_far_column_is_refused_without_building_wide_rows():
    row = '<row r="{n}"><c r="A{n}" t="inlineStr"><is><t>甲</t></is></c><c r="XFD{n}"><v>1</v></c></row>'
    data = sheet_xml("".join(row.format(n=n) for n in range(1, 50)))
    with pytest.raises(SheetRefused, match="超过 10 列的上限") as refused:
        read_first_sheet(data, LIMITS)
    assert refused.value.kind == "columns"


def test_empty_cells_past_the_column_limit_and_past_the_last_row_are_ignored():
    data = sheet_xml('<row r="1"><c r="A1" t="inlineStr"><is><t>单位名称</t></is></c><c r="XFD1"/></row>'
                     '<row r="3"><c r="A3" t="inlineStr"><is><t>甲</t></is></c></row>'
                     '<row r="1048576"><c r="B1048576"/></row>')
    assert read_first_sheet(data, LIMITS) == [["单位名称"], [], ["甲"]]


def test_cells_read_as_read_excel_with_dtype_str_showed_them():
    data = workbook([["名称", "数", "小数", "是否", "时间", "错误"],
                     ["甲公司 ", 30.0, 1.5, True, datetime(2024, 5, 1, 10, 0), "#N/A"], [], [None, 7]])
    assert read_first_sheet(data, LIMITS) == [
        ["名称", "数", "小数", "是否", "时间", "错误"],
        ["甲公司 ", "30", "1.5", "True", "2024-05-01 10:00:00"],
        [],
        ["", "7"],
    ]


def test_the_limits_count_rows_up_to_the_last_non_blank_one():
    rows = [["单位名称"]] + [[f"单位{i}"] for i in range(99)]
    assert len(read_first_sheet(workbook(rows + [[None]] * 50), LIMITS)) == 100
    with pytest.raises(SheetRefused):
        read_first_sheet(workbook(rows + [[None], ["多一行"]]), LIMITS)

"""One upload pipeline: bytes → cells (encodings, delimiters, formats), unit headers as 问卷星 words
them, and the stash every upload waits in (bound to survey and user, pruned after a day)."""

from __future__ import annotations

import os
import time

import pytest

from survey_app.domain.cells import CellsRefused, read_cells, read_frame
from survey_app.domain.imports.headers import unit_header
from survey_app.domain.unit_table import SHEET_LIMITS
from survey_app.services import uploads

TABLE = "附件1：受益单位名单\n序号,企业名称\n1,甲公司\n"


@pytest.mark.parametrize("data", [TABLE.encode("utf-8"), TABLE.encode("utf-8-sig"), TABLE.encode("gb18030"),
                                  TABLE.replace(",", "\t").encode("gbk")])
def test_every_encoding_and_delimiter_gives_the_same_cells(data):
    assert read_cells(data, SHEET_LIMITS) == [["附件1：受益单位名单"], ["序号", "企业名称"], ["1", "甲公司"]]
    frame = read_frame(data, SHEET_LIMITS)  # ragged (a title row): squared, nothing lost
    assert frame.shape == (3, 2) and frame.iloc[2].tolist() == ["1", "甲公司"]


def test_other_files_are_refused_in_chinese():
    with pytest.raises(CellsRefused, match="旧版 Excel"):
        read_cells(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100, SHEET_LIMITS)
    with pytest.raises(CellsRefused, match="不是表格文件"):
        read_cells(b"\x89PNG\r\n\x1a\n" + b"\0" * 64, SHEET_LIMITS)
    with pytest.raises(CellsRefused, match=".xlsx"):
        read_cells(b"PK\x03\x04 damaged", SHEET_LIMITS)


@pytest.mark.parametrize(("header", "field"), [
    ("1、您所在的单位名称：", "unit"), ("1、企业（专业镇）名称", "unit"), ("贵单位名称", "unit"), ("企业名称", "unit"),
    ("公司名称", "unit"), ("填写单位", "unit"), ("Q3. 您的单位是", "unit"), ("企业名称（盖章）", "unit"),
    ("2、统一社会信用代码（18位）", "unit_code"), ("信用代码", "unit_code"),
    ("1、您对宣传是否满意？", None), ("您单位获得的补助金额", None), ("单位性质", None),
])
def test_unit_headers_are_recognised_whatever_the_wording(header, field):
    assert unit_header(header) == field


def test_the_stash_is_bound_to_survey_and_user_and_pruned(tmp_path):
    upload_id = uploads.save(tmp_path, "answers", 1, 7, {"filename": "a.csv"}, {"file": b"x"})
    assert uploads.load(tmp_path, "answers", upload_id, 1, 7) == ({"filename": "a.csv"}, {"file": b"x"})
    assert uploads.load(tmp_path, "answers", upload_id, 1, 8) is None  # another user
    assert uploads.load(tmp_path, "answers", upload_id, 2, 7) is None  # another survey
    assert uploads.load(tmp_path, "units", upload_id, 1, 7) is None  # another kind
    assert uploads.load(tmp_path, "answers", "../../etc/passwd", 1, 7) is None
    uploads.update(tmp_path, "answers", upload_id, {"filename": "a.csv", "mapping": {"columns": {}}})
    assert uploads.load(tmp_path, "answers", upload_id, 1, 7)[0]["mapping"] == {"columns": {}}
    old = time.time() - uploads.MAX_AGE_SECONDS - 60
    for path in tmp_path.iterdir():
        os.utime(path, (old, old))
    fresh = uploads.save(tmp_path, "units", 1, 7, {"rows": []})
    assert uploads.load(tmp_path, "answers", upload_id, 1, 7) is None
    assert sorted(p.name.split(".")[0] for p in tmp_path.iterdir()) == [f"units-{fresh}"]
    uploads.discard(tmp_path, "units", fresh)
    assert not list(tmp_path.iterdir())

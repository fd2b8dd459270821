"""The mapping step's form → a mapping: only changed columns, values and unit decisions kept."""

from __future__ import annotations

from survey_app.domain.imports import ColumnUse, ImportReport, Unmapped
from survey_app.domain.imports.report import UnitProblem, UnknownValue
from survey_app.evaluate.import_mapping import apply_choices, column_rows


def report(**extra) -> ImportReport:
    return ImportReport(
        columns=[ColumnUse(0, "序号", "meta", "seq", None, "meta"), ColumnUse(1, "1、宣传", "question", "Q1", None, "text"),
                 ColumnUse(2, "3、渠道:报纸", "option", "I3", "2", "option_label")],
        unmapped=[Unmapped(3, "4、宣传解读", "Q2")],
        unknown_values={(1, "很满意"): UnknownValue("1、宣传", "Q1", "很满意", 2, [3, 4])},
        unit_problems={"甲工司": UnitProblem("甲工司", "unknown", 1, [5], [{"id": 7, "name": "甲公司"}]),
                       "丙公司": UnitProblem("丙公司", "unknown", 1, [6], [])}, **extra)


def test_rows_list_every_column_in_file_order_with_its_choice():
    rows = column_rows(report())
    assert [(r["index"], r["value"]) for r in rows] == [(0, "meta:seq"), (1, "q:Q1"), (2, "opt:I3:2"), (3, "ignore")]
    assert rows[3]["suggestion"] == "Q2"


def test_only_what_changed_goes_into_the_mapping_and_earlier_choices_stay():
    form = {"col_0": "meta:seq", "col_1": "q:Q1", "col_2": "opt:I3:2", "col_3": "q:Q2", "val_0": "A",
            "unit_0": "7", "unit_1": "skip", "unit_mode": "column"}
    mapping = apply_choices({"values": {"Q5": {"一般": "C"}}, "unknown_units": "other"}, report(), form)
    assert mapping == {"columns": {"4、宣传解读": "Q2"}, "values": {"Q5": {"一般": "C"}, "Q1": {"很满意": "A"}},
                       "unit_choices": {"甲工司": 7}, "skip_units": ["丙公司"], "unknown_units": "other"}
    ignored = apply_choices(None, report(), {"col_1": "ignore", "col_0": "meta:unit"})
    assert ignored == {"columns": {"1、宣传": "ignore", "序号": "unit"}}


def test_the_unit_mode_switches_outside_the_list_on_and_off():
    assert apply_choices(None, report(), {"unit_mode": "none"}) == {"unknown_units": "other"}
    back = apply_choices({"unknown_units": "other"}, report(unit_mode="none"), {"unit_mode": "column"})
    assert back == {}

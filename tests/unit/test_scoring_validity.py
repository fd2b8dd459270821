"""Validity screening: each rule at its boundary, actions, evaluator overrides, dicts."""

from datetime import datetime, timedelta

import pytest

from survey_app.domain.scoring import (
    DuplicateDevice,
    MinDuration,
    ResponseRecord,
    ScoringInputError,
    SettingsError,
    StraightLine,
    ValidityRules,
    screen,
)

T0 = datetime(2024, 6, 1, 9, 0, 0)
VARIED = {"q1": "A", "q2": "B", "q3": "A", "q4": "A", "q5": "A"}


def record(
    rid, *, duration=120, at=T0, device=None, answers=VARIED, in_frame=True, unit="U1"
):
    return ResponseRecord(rid, unit, duration, at, device, answers, in_frame)


def codes(result):
    return [flag.code for flag in result.flags]


def test_min_duration_boundary_29_vs_30_seconds():
    fast, ok, unknown = screen(
        [record(1, duration=29), record(2, duration=30), record(3, duration=None)]
    )
    assert codes(fast) == ["min_duration"] and fast.status == "flagged"
    assert fast.flags[0].reason_zh == "答题用时29秒，少于30秒"
    assert codes(ok) == [] and ok.status == "valid"
    assert codes(unknown) == []  # an unknown duration cannot be judged


def test_straight_lining_needs_five_identical_answers_and_is_only_a_note_by_default():
    five = {f"q{i}": "A" for i in range(1, 6)}
    four = {f"q{i}": "A" for i in range(1, 5)}
    same, short, varied = screen(
        [record(1, answers=five), record(2, answers=four), record(3)]
    )
    assert codes(same) == ["straight_line"] and same.status == "valid" and same.flags[0].action == "note"
    assert same.flags[0].reason_zh == "全部5道计分题均选择同一选项（A）"
    assert codes(short) == [] and codes(varied) == []


def test_duplicate_device_within_and_beyond_ten_minutes():
    records = [
        record(1, device="d1", at=T0),
        record(
            2, device="d1", at=T0 + timedelta(minutes=10)
        ),  # exactly 10 min after 1: duplicate
        record(
            3, device="d1", at=T0 + timedelta(minutes=20, seconds=1)
        ),  # 10 min 1 s after 2: not
        record(4, device="d2", at=T0 + timedelta(minutes=1)),  # other device
        record(
            5, device="d1", at=T0 + timedelta(minutes=2), answers={**VARIED, "q1": "C"}
        ),  # other answers
    ]
    results = screen(records)
    assert [codes(r) for r in results] == [[], ["duplicate_device"], [], [], []]
    assert (
        results[1].flags[0].reason_zh
        == "与答卷1来自同一设备且答案完全相同，提交间隔600秒（10分钟内）"
    )


def test_the_later_duplicate_is_flagged_whatever_the_input_order():
    late, early = screen(
        [
            record("b", device="d1", at=T0 + timedelta(minutes=3)),
            record("a", device="d1"),
        ]
    )
    assert codes(late) == ["duplicate_device"] and codes(early) == []


def test_not_in_frame():
    outside, inside = screen([record(1, in_frame=False, unit=None), record(2)])
    assert (
        codes(outside) == ["not_in_frame"]
        and outside.flags[0].reason_zh == "答题单位不在调查单位名单中"
    )
    assert codes(inside) == []


def test_only_exclude_rules_exclude_and_off_rules_are_silent():
    rules = ValidityRules(
        min_duration=MinDuration(action="exclude"),
        straight_line=StraightLine(action="off"),
    )
    five = {f"q{i}": "A" for i in range(1, 6)}
    fast, lined, both = screen(
        [
            record(1, duration=10),
            record(2, answers=five),
            record(3, duration=10, in_frame=False),
        ],
        rules,
    )
    assert fast.status == "excluded" and fast.flags[0].action == "exclude"
    assert lined.status == "valid" and codes(lined) == []
    assert both.status == "excluded" and codes(both) == ["min_duration", "not_in_frame"]


def test_evaluator_decision_overrides():
    rules = ValidityRules(min_duration=MinDuration(action="exclude"))
    fast, flagged, clean = screen(
        [record(1, duration=10), record(2, in_frame=False), record(3)],
        rules,
        decisions={1: "valid", 2: "excluded", 99: "excluded"},
    )
    assert (fast.automatic_status, fast.status, fast.decided_by_evaluator) == (
        "excluded",
        "valid",
        True,
    )
    assert (flagged.automatic_status, flagged.status) == ("flagged", "excluded")
    assert (clean.status, clean.decided_by_evaluator) == ("valid", False)
    with pytest.raises(ScoringInputError):
        screen([record(1)], decisions={1: "maybe"})


def test_rules_from_and_to_dict():
    rules = ValidityRules.from_dict(
        {
            "min_duration": {"action": "exclude", "seconds": 20},
            "duplicate_device": {"window_minutes": 5},
        }
    )
    assert rules.min_duration == MinDuration("exclude", 20)
    assert rules.duplicate_device == DuplicateDevice("flag", 5)
    assert ValidityRules.from_dict(rules.to_dict()) == rules
    assert ValidityRules().to_dict() == {
        "min_duration": {"action": "flag", "seconds": 30},
        "straight_line": {"action": "note", "min_items": 5},
        "straight_line_fast": {"action": "flag", "seconds_per_item": 5},
        "duplicate_device": {"action": "flag", "window_minutes": 10},
        "not_in_frame": {"action": "flag"},
    }


@pytest.mark.parametrize(
    "data",
    [
        {"speeding": {}},
        {"min_duration": {"action": "drop"}},
        {"min_duration": {"secs": 3}},
        {"straight_line": {"min_items": 0}},
        {"straight_line_fast": {"seconds_per_item": -1}},
    ],
)
def test_bad_rule_dicts_are_refused(data):
    with pytest.raises(SettingsError) as info:
        ValidityRules.from_dict(data)
    assert info.value.message_zh


def test_to_dict():
    (result,) = screen([record("r1", duration=12)])
    assert result.to_dict() == {
        "response_id": "r1",
        "flags": [
            {
                "code": "min_duration",
                "action": "flag",
                "reason_zh": "答题用时12秒，少于30秒",
            }
        ],
        "automatic_status": "flagged",
        "status": "flagged",
        "decided_by_evaluator": False,
    }

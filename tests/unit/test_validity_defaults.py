"""The default validity rules against hand-made answer sets: who goes to review, who only gets a note.

The defaults must leave ordinary satisfaction answers alone (all 非常满意 is common and
honest) and send to review only what is suspicious: straight-lining faster than the
items can be read, a too-short time, a same-device duplicate, a unit outside the list.
"""

from datetime import datetime, timedelta

from survey_app.domain.scoring import ResponseRecord, ValidityRules, screen

T0 = datetime(2025, 3, 1, 9, 0, 0)
ALL_A = {f"Q{i}": "A" for i in range(1, 11)}  # ten scored items, all 非常满意
MIXED = {**ALL_A, "Q3": "B", "Q7": "B"}


def rec(rid, answers, duration, *, device=None, at=T0, another=False, in_frame=True):
    return ResponseRecord(rid, "U1", duration, at, device, answers, in_frame, another_person=another)


def by_id(results):
    return {r.response_id: r for r in results}


def test_a_content_respondent_answering_all_top_marks_at_reading_speed_is_valid_with_a_note():
    (result,) = screen([rec(1, ALL_A, 95)])
    assert result.status == "valid"
    assert [(f.code, f.action) for f in result.flags] == [("straight_line", "note")]
    assert result.flags[0].reason_zh == "全部10道计分题均选择同一选项（A）"


def test_straight_lining_faster_than_five_seconds_per_item_goes_to_review():
    results = by_id(screen([rec("fast", ALL_A, 49), rec("edge", ALL_A, 50), rec("mixed", MIXED, 35)]))
    fast = results["fast"]
    assert fast.status == "flagged"
    # The fast flag replaces the note: one reason, with both facts and the threshold.
    assert [(f.code, f.action) for f in fast.flags] == [("straight_line_fast", "flag")]
    assert fast.flags[0].reason_zh == "全部10道计分题均选择同一选项（A），且答题用时49秒，少于50秒（每题5秒）"
    assert results["edge"].status == "valid"  # 50 s for 10 items is not below 5 s per item
    assert results["mixed"].status == "valid" and results["mixed"].flags == ()  # fast but varied: not suspicious


def test_the_fast_threshold_scales_with_the_number_of_items():
    seven = {f"Q{i}": "C" for i in range(1, 8)}  # 7 items: 35 s
    slow_enough, too_fast = screen([rec(1, seven, 35), rec(2, seven, 34)])
    assert slow_enough.status == "valid"
    assert too_fast.status == "flagged" and [f.code for f in too_fast.flags] == ["straight_line_fast"]


def test_a_too_short_time_alone_still_goes_to_review_and_unknown_times_never_do():
    short, unknown = screen([rec(1, MIXED, 20), rec(2, ALL_A, None)])
    assert short.status == "flagged" and [f.code for f in short.flags] == ["min_duration"]
    assert unknown.status == "valid" and [f.code for f in unknown.flags] == ["straight_line"]


def test_a_same_device_duplicate_is_reviewed_unless_declared_as_another_person():
    later = T0 + timedelta(minutes=3)
    first, again, colleague = screen([
        rec(1, ALL_A, 120, device="d1"),
        rec(2, ALL_A, 110, device="d1", at=later),
        rec(3, ALL_A, 100, device="d1", at=later + timedelta(minutes=1), another=True),
    ])
    assert first.status == "valid"
    assert again.status == "flagged" and "duplicate_device" in [f.code for f in again.flags]
    assert colleague.status == "valid"
    note = next(f for f in colleague.flags if f.code == "duplicate_device")
    assert note.action == "note" and note.reason_zh.endswith("；填写人声明为本单位其他人员")


def test_an_explicit_exclude_on_duplicates_is_not_softened_by_the_declaration():
    rules = ValidityRules.from_dict({"duplicate_device": {"action": "exclude"}})
    _, colleague = screen([rec(1, MIXED, 120, device="d"), rec(2, MIXED, 120, device="d", another=True,
                                                                at=T0 + timedelta(minutes=1))], rules)
    assert colleague.status == "excluded"


def test_a_hand_made_sample_sends_only_the_suspicious_to_review():
    sample = [rec(i, ALL_A, 60 + 7 * i) for i in range(40)]          # satisfied, ordinary speed
    sample += [rec(100 + i, MIXED, 45 + 11 * i) for i in range(50)]  # varied answers
    sample += [rec(200, ALL_A, 31), rec(201, MIXED, 12), rec(202, ALL_A, 30, in_frame=False)]
    results = by_id(screen(sample))
    flagged = sorted(rid for rid, r in results.items() if r.status == "flagged")
    assert flagged == [200, 201, 202]
    assert sum(1 for r in results.values() if any(f.action == "note" for f in r.flags)) == 40


def test_straight_line_set_back_to_flag_reviews_every_straight_liner():
    rules = ValidityRules.from_dict({"straight_line": {"action": "flag"}})
    (result,) = screen([rec(1, ALL_A, 300)], rules)
    assert result.status == "flagged"

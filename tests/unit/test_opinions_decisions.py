"""The evaluator's decisions over the grouping, and how they survive new answers."""

from __future__ import annotations

from pathlib import Path

import pytest

from survey_app.domain.banks import load_bank
from survey_app.domain.opinions import Decisions, OpinionError, build_board, summarise
from survey_app.domain.opinions import decide as ops

BANKS = Path(__file__).resolve().parents[2] / "question_banks"
ROWS = [("S1", "拨付太慢", 3), ("Q6R", "资金迟迟不到位", 2), ("S1", "申报材料太多", 2), ("S1", "手续繁琐", 1),
        ("S1", "评审不透明", 1)]
PAY, APPLY, REVIEW = "q:Q6", "q:Q3", "q:Q4"


@pytest.fixture(scope="module")
def industrial():
    return load_bank(BANKS / "industrial_fund.yaml")


def roundtrip(d: Decisions) -> Decisions:
    """What the database gives back."""
    return Decisions.from_json(d.to_json())


def names(board) -> dict[str, str]:
    return {t.id: t.name for t in board.themes()}


def test_a_rename_survives_a_new_answer(industrial):
    saved = roundtrip(ops.rename(build_board(industrial, ROWS), None, PAY, "资金拨付进度"))
    board = build_board(industrial, [*ROWS, ("S1", "到账太晚", 1)], saved)
    pay = next(t for t in board.themes() if t.id == PAY)
    assert pay.name == "资金拨付进度"
    assert {a.text for a in pay.items} == {"拨付太慢", "资金迟迟不到位", "到账太晚"}
    assert board.new == {"到账太晚"}


def test_a_merge_survives_a_new_answer_and_takes_what_would_have_gone_to_the_merged_theme(industrial):
    saved = roundtrip(ops.merge(build_board(industrial, ROWS), None, REVIEW, APPLY))
    board = build_board(industrial, [*ROWS, ("S1", "专家打分标准不公开", 1)], saved)
    themes = {t.id: {a.text for a in t.items} for t in board.themes()}
    assert REVIEW not in themes
    assert themes[APPLY] == {"申报材料太多", "手续繁琐", "评审不透明", "专家打分标准不公开"}
    assert board.new == {"专家打分标准不公开"}


def test_split_makes_a_new_theme_of_the_chosen_answers(industrial):
    board = build_board(industrial, ROWS)
    saved, new_id = ops.split(board, None, APPLY, ["手续繁琐"], "审批手续")
    board = build_board(industrial, ROWS, roundtrip(saved))
    themes = {t.id: (t.name, {a.text for a in t.items}) for t in board.themes()}
    assert themes[new_id] == ("审批手续", {"手续繁琐"}) and themes[APPLY][1] == {"申报材料太多"}
    with pytest.raises(OpinionError):  # all of a theme is a rename, not a split
        ops.split(board, None, PAY, ["拨付太慢", "资金迟迟不到位"], "别的")


def test_move_and_hide_keep_the_answer_in_the_data_but_out_of_the_report(industrial):
    board = build_board(industrial, ROWS)
    saved = roundtrip(ops.move(board, None, "评审不透明", REVIEW, APPLY))
    board = build_board(industrial, ROWS, saved)
    assert "评审不透明" in {a.text for t in board.themes() if t.id == APPLY for a in t.items}
    saved = roundtrip(ops.hide(board, saved, "拨付太慢", True))
    board = build_board(industrial, ROWS, saved)
    pay = next(t for t in board.themes() if t.id == PAY)
    assert "拨付太慢" in {a.text for a in pay.items} and pay.count == 2
    summary = summarise(board, industrial)
    assert summary.hidden == 3 and "拨付太慢" not in str(summary.to_json())
    board = build_board(industrial, ROWS, roundtrip(ops.hide(board, saved, "拨付太慢", False)))
    assert next(t for t in board.themes() if t.id == PAY).count == 5


def test_new_answers_stay_new_until_confirmed(industrial):
    saved = roundtrip(ops.rename(build_board(industrial, ROWS), None, PAY, "资金拨付进度"))
    board = build_board(industrial, [*ROWS, ("S1", "希望多培训", 1)], saved)
    saved = roundtrip(ops.rename(board, saved, APPLY, "申报手续"))
    assert build_board(industrial, [*ROWS, ("S1", "希望多培训", 1)], saved).new == {"希望多培训"}
    saved = roundtrip(ops.acknowledge(build_board(industrial, [*ROWS, ("S1", "希望多培训", 1)], saved), saved))
    assert build_board(industrial, [*ROWS, ("S1", "希望多培训", 1)], saved).new == set()


@pytest.mark.parametrize(("call", "code"), [
    (lambda b: ops.rename(b, None, PAY, "  "), "name"),
    (lambda b: ops.rename(b, None, PAY, "申报流程便捷性"), "name_taken"),
    (lambda b: ops.rename(b, None, "q:nope", "某主题"), "theme"),
    (lambda b: ops.merge(b, None, PAY, PAY), "same"),
    (lambda b: ops.move(b, None, "不存在的意见", PAY, APPLY), "answer"),
    (lambda b: ops.set_examples(b, None, 99), "examples"),
])
def test_decisions_that_do_not_apply_are_refused_by_name(industrial, call, code):
    with pytest.raises(OpinionError) as e:
        call(build_board(industrial, ROWS))
    assert e.value.code == code


def test_the_report_quotes_as_many_examples_as_chosen(industrial):
    board = build_board(industrial, ROWS)
    assert [len(t.examples) for t in summarise(board, industrial, examples=1).themes][:1] == [1]
    saved = roundtrip(ops.set_examples(board, None, -1))
    summary = summarise(build_board(industrial, ROWS, saved), industrial)
    assert all(t.more == 0 and len(t.examples) == t.opinions for t in summary.themes)

"""The designer's actions on a working copy (a bank dict), each followed by the one bank validator.

No pages here: ``read_fields`` + ``apply_op`` + ``check`` are what every designer request runs
before deciding to store (nothing is stored while ``check`` finds a problem).
"""

from __future__ import annotations

from werkzeug.datastructures import MultiDict

from survey_app.domain import scale_presets
from survey_app.domain.bank_dump import to_bank
from survey_app.domain.banks import ID_PATTERN, parse_bank_data
from survey_app.services.designer import check
from survey_app.services.designer_draft import prune_scales
from survey_app.services.designer_form import read_fields
from survey_app.services.designer_ops import apply_op
from survey_app.texts_zh import banks as bank_zh
from survey_app.texts_zh import designer as zh


def run(draft, op="save", **fields):
    """One designer request without a page: fields (dots as ``__``), the button, then validation."""
    form = MultiDict([(k.replace("__", "."), v) for k, vs in fields.items() for v in (vs if isinstance(vs, list) else [vs])])
    draft = read_fields(draft, form)
    refusals, _ = apply_op(draft, op, form)
    prune_scales(draft)
    return draft, refusals + check(draft)


def position(draft, qid):
    for i, s in enumerate(draft["sections"]):
        for j, q in enumerate(s["questions"]):
            if q["id"] == qid:
                return i, j
    raise KeyError(qid)


def messages(problems, qid=None):
    return [p.message for p in problems if qid is None or p.question == qid]


def test_an_untouched_working_copy_validates_and_rebuilds_the_same_questionnaire(industrial):
    draft, problems = run(to_bank(industrial))
    assert problems == []
    assert parse_bank_data(draft).content_hash() == industrial.content_hash()


def test_a_new_question_gets_a_fresh_id_and_is_refused_until_its_text_and_topic_are_given(industrial):
    draft, problems = run(to_bank(industrial), "add_question:1", s1__new_type="single")
    new = draft["sections"][1]["questions"][-1]
    assert ID_PATTERN.fullmatch(new["id"]) and new["id"] not in {q.id for q in industrial.questions}
    assert new["scale"] in draft["scales"]  # a scored single choice starts on the default preset
    assert set(messages(problems, new["id"])) == {bank_zh.TEXT_REQUIRED, bank_zh.SCORED_NEEDS_TOPIC}
    i, j = position(draft, new["id"])
    draft, problems = run(draft, **{f"s{i}__q{j}__text": "您对服务热线是否满意？", f"s{i}__q{j}__topic": "服务热线",
                                    f"s{i}__q{j}__required": "1"})
    assert problems == []
    assert parse_bank_data(draft).question(new["id"]).scored


def test_deleting_a_question_a_follow_up_refers_to_is_refused_with_the_reason(industrial):
    draft = to_bank(industrial)
    i, j = position(draft, "Q1")
    after, problems = run(draft, f"del_question:{i}.{j}")
    assert messages(problems, "Q1") == [zh.DELETE_REFERENCED.format(followups="Q1R", target=zh.THIS_QUESTION)]
    assert position(after, "Q1") == (i, j)  # still there
    # Deleting the follow-up first, then the question, works.
    after, problems = run(after, f"del_question:{i}.{j + 1}")
    assert problems == [] and "Q1R" not in {q["id"] for s in after["sections"] for q in s["questions"]}
    after, problems = run(after, f"del_question:{i}.{j}")
    assert problems == []


def test_deleting_a_section_holding_a_referred_question_is_refused(industrial):
    draft = to_bank(industrial)
    draft["sections"].append({"id": "more", "title": "三", "questions": [
        {"id": "F1", "type": "text", "text": "原因？", "show_if": {"question": "Q1", "any_of": ["D"]}}]})
    i, _ = position(draft, "Q1")
    _, problems = run(draft, f"del_section:{i}")
    assert [p.message for p in problems] == [zh.DELETE_REFERENCED.format(followups="F1", target=zh.THIS_SECTION)]


def test_moving_reorders_and_a_follow_up_above_its_question_is_refused_by_the_validator(industrial):
    draft = to_bank(industrial)
    i, j = position(draft, "Q2")
    moved, problems = run(draft, f"up_question:{i}.{j}")
    order = [q["id"] for q in moved["sections"][i]["questions"]]
    assert problems == [] and order[order.index("Q1"):][:3] == ["Q1", "Q2", "Q1R"]
    # Q1R (follow-up of Q1) moved above Q1: the validator names the broken reference.
    i, j = position(draft, "Q1R")
    _, problems = run(draft, f"up_question:{i}.{j}")
    assert messages(problems, "Q1R") == [bank_zh.SHOW_IF_UNKNOWN.format(target="Q1")]


def test_moving_past_the_first_question_of_a_section_moves_into_the_previous_section(industrial):
    draft = to_bank(industrial)
    i, j = position(draft, "Q1")
    assert j == 0
    moved, _ = run(draft, f"up_question:{i}.0")
    assert moved["sections"][i - 1]["questions"][-1]["id"] == "Q1"


def test_changing_the_scale_to_a_preset_adds_the_preset_with_its_not_scored_option(industrial):
    draft = to_bank(industrial)
    i, j = position(draft, "Q2")
    after, problems = run(draft, **{f"s{i}__q{j}__scale": "five+unknown"})
    assert problems == []
    q2 = parse_bank_data(after).question("Q2")
    assert [o.value for o in q2.options] == [100, 80, 60, 30, 0, None]
    assert q2.options[-1].label == zh.UNKNOWN and not q2.options[-1].scored
    assert parse_bank_data(after).question("Q3").options == industrial.question("Q3").options
    # Choosing the same preset elsewhere reuses the scale instead of adding a copy.
    i3, j3 = position(after, "Q3")
    again, _ = run(after, **{f"s{i3}__q{j3}__scale": "five+unknown"})
    assert len(again["scales"]) == len(after["scales"])


def test_the_presets_are_the_agreed_scales():
    values = {name: [v for _, _, v in preset.options] for name, preset in scale_presets.PRESETS.items()}
    assert values == {"four": [100, 80, 30, 0], "five": [100, 80, 60, 30, 0], "likert": [5, 4, 3, 2, 1]}


def test_custom_options_get_their_own_scale_and_bad_values_are_the_validators_words(industrial):
    draft = to_bank(industrial)
    i, j = position(draft, "Q2")
    custom, problems = run(draft, **{f"s{i}__q{j}__scale": "custom"})
    assert problems == [] and custom["sections"][i]["questions"][j]["scale"] == "Q2_scale"
    m = list(custom["scales"]).index("Q2_scale")
    valued, problems = run(custom, **{f"sc{m}__o2__key": "C", f"sc{m}__o2__label": "不太满意", f"sc{m}__o2__value": "40"})
    assert problems == []
    built = parse_bank_data(valued)
    assert built.question("Q2").option("C").value == 40 and built.question("Q3").option("C").value == 30
    _, problems = run(custom, **{f"sc{m}__o2__key": "C", f"sc{m}__o2__label": "不太满意", f"sc{m}__o2__value": "140"})
    assert [p.message for p in problems] == [bank_zh.OPTION_VALUE.format(key="C")]
    # A not-scored option (不了解) is added by its button and carries no value.
    unknown, problems = run(custom, f"add_unknown:{m}")
    assert problems == [] and not parse_bank_data(unknown).question("Q2").options[-1].scored


def test_inline_options_make_an_unscored_choice_question(industrial):
    draft = to_bank(industrial)
    draft, _ = run(draft, "add_question:0", s0__new_type="single")
    i, j = position(draft, draft["sections"][0]["questions"][-1]["id"])
    p = f"s{i}__q{j}__"
    draft, problems = run(draft, **{p + "text": "您单位的规模？", p + "scale": "inline"})
    q = draft["sections"][i]["questions"][j]
    assert problems == [] and "scale" not in q  # the scale's options, now without values
    assert [o["label"] for o in q["options"]] == [label for _, label, _ in scale_presets.PRESETS["four"].options]
    draft, problems = run(draft, f"del_option:{i}.{j}.3", **{p + "o0__label": "大型", p + "o1__label": "中型",
                                                            p + "o2__label": "小型"})
    assert problems == []
    built = parse_bank_data(draft).displayed_question(q["id"])
    assert [o.label for o in built.options] == ["大型", "中型", "小型"] and not built.scored
    _, problems = run(draft, **{p + "o0__key": "", p + "o0__label": ""})
    assert messages(problems) == [bank_zh.OPTION_NEEDS_KEY.format(n=1)]


def test_show_if_needs_an_earlier_choice_question_and_ticked_options(industrial):
    draft = to_bank(industrial)
    draft, _ = run(draft, "add_question:1", s1__new_type="text")
    i, j = position(draft, draft["sections"][1]["questions"][-1]["id"])
    p = f"s{i}__q{j}__"
    picked, problems = run(draft, **{p + "text": "请说明原因", p + "show_if": "Q2"})
    assert [p_.message for p_ in problems] == [bank_zh.SHOW_IF_EMPTY]
    ticked, problems = run(picked, **{p + "text": "请说明原因", p + "show_if": "Q2", p + "any_of": ["C", "D"]})
    assert problems == []
    follow = parse_bank_data(ticked).displayed_question(draft["sections"][i]["questions"][j]["id"])
    assert (follow.show_if.question, follow.show_if.any_of) == ("Q2", ("C", "D"))
    # The target turned into a text question: the validator refuses the follow-up.
    i2, j2 = position(ticked, "Q2")
    _, problems = run(ticked, **{f"s{i2}__q{j2}__type": "text"})
    assert bank_zh.SHOW_IF_NOT_CHOICE.format(target="Q2") in messages(problems)


def test_matrix_rows_are_added_reordered_and_guarded(industrial):
    draft = to_bank(industrial)
    draft, _ = run(draft, "add_question:1", s1__new_type="matrix")
    mid = draft["sections"][1]["questions"][-1]["id"]
    i, j = position(draft, mid)
    p = f"s{i}__q{j}__"
    draft, _ = run(draft, f"add_row:{i}.{j}")
    draft, problems = run(draft, f"add_row:{i}.{j}")
    rows = draft["sections"][i]["questions"][j]["rows"]
    assert len(rows) == 3 and len({r["id"] for r in rows}) == 3
    assert bank_zh.ROW_NEEDS_TOPIC in messages(problems, mid)
    named = {p + "text": "您对下列各项是否满意？"}
    for k, topic in enumerate(("资金发放时间", "申报流程", "服务态度")):
        named |= {f"{p}r{k}__text": f"{topic}如何？", f"{p}r{k}__topic": topic}
    draft, problems = run(draft, **named)
    assert problems == []
    built = parse_bank_data(draft)
    assert [r.topic for r in built.displayed_question(mid).rows] == ["资金发放时间", "申报流程", "服务态度"]
    assert all(r.scored for r in built.displayed_question(mid).rows)
    draft, _ = run(draft, f"down_row:{i}.{j}.0")
    assert [r["topic"] for r in draft["sections"][i]["questions"][j]["rows"]][:2] == ["申报流程", "资金发放时间"]
    # A follow-up on a row: that row may not be deleted.
    row_id = draft["sections"][i]["questions"][j]["rows"][1]["id"]
    draft["sections"][i]["questions"].append(
        {"id": "F9", "type": "text", "text": "原因？", "show_if": {"question": row_id, "any_of": ["D"]}})
    assert check(draft) == []
    _, problems = run(draft, f"del_row:{i}.{j}.1")
    assert messages(problems, mid) == [zh.DELETE_REFERENCED.format(followups="F9", target=zh.THIS_ROW.format(row=row_id))]


def test_changing_the_type_rebuilds_the_type_keys(industrial):
    draft = to_bank(industrial)
    i, j = position(draft, "Q2")
    matrix, problems = run(draft, **{f"s{i}__q{j}__type": "matrix"})
    q = matrix["sections"][i]["questions"][j]
    assert q["type"] == "matrix" and q["scale"] and len(q["rows"]) == 1
    assert bank_zh.ROW_NEEDS_TOPIC in messages(problems, "Q2")
    number, problems = run(draft, **{f"s{i}__q{j}__type": "number", f"s{i}__q{j}__topic": ""})
    assert "scale" not in number["sections"][i]["questions"][j]
    assert messages(problems) == [bank_zh.SHOW_IF_NOT_CHOICE.format(target="Q2")]  # Q2R follows Q2 up


def test_typed_values_that_do_not_parse_reach_the_validator(industrial):
    draft = to_bank(industrial)
    i, j = position(draft, "Q2")
    _, problems = run(draft, **{f"s{i}__q{j}__weight": "一"})
    assert [(p.question, p.key) for p in problems] == [("Q2", "weight")]
    i, j = position(draft, "I3")
    _, problems = run(draft, **{f"s{i}__q{j}__max_choices": "0"})
    assert [(p.question, p.key, p.message) for p in problems] == [("I3", "max_choices", bank_zh.MAX_CHOICES)]

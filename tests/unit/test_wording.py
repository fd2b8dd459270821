"""``domain.wording``: what a wording fix may change once a survey is open, and what it may not."""

from __future__ import annotations

from dataclasses import replace

from survey_app.domain.banks import parse_bank_data
from survey_app.domain.wording import changes, structure_hash

MATRIX = {"id": "m", "title": "t", "intro": {"title": "问卷"},
          "scales": {"s": {"options": [{"key": "A", "label": "满意", "value": 100},
                                       {"key": "B", "label": "不满意", "value": 0}]}},
          "sections": [{"id": "S", "title": "一", "questions": [
              {"id": "M", "type": "matrix", "text": "各项满意吗", "scale": "s",
               "rows": [{"id": "M_1", "text": "时间", "topic": "发放时间"},
                        {"id": "M_2", "text": "流程", "topic": "申报流程"}]}]}]}


def edit_question(questionnaire, qid, **fields):
    sections = tuple(replace(s, questions=tuple(replace(q, **fields) if q.id == qid else q for q in s.questions))
                     for s in questionnaire.sections)
    return replace(questionnaire, sections=sections)


def test_texts_topics_help_and_intro_keep_the_structure_hash(industrial):
    fixed = edit_question(industrial, "Q1", text="新的题目", topic="新主题", help="请如实填写")
    fixed = replace(fixed, intro=replace(fixed.intro, purpose="新的目的"))
    assert structure_hash(fixed) == structure_hash(industrial)
    assert fixed.content_hash() != industrial.content_hash()
    before, after = changes(industrial, fixed)
    assert set(before) == {"Q1.text", "Q1.topic", "Q1.help", "intro.purpose"}
    assert after["Q1.text"] == "新的题目" and before["Q1.text"] == industrial.question("Q1").text


def test_a_matrix_row_text_is_wording_its_weight_is_structure():
    q = parse_bank_data(MATRIX)
    matrix = q.displayed[0]
    worded = edit_question(q, "M", rows=(replace(matrix.rows[0], text="资金发放时间"), matrix.rows[1]))
    assert structure_hash(worded) == structure_hash(q)
    assert changes(q, worded) == ({"M_1.text": "时间"}, {"M_1.text": "资金发放时间"})
    weighted = edit_question(q, "M", rows=(replace(matrix.rows[0], weight=2.0), matrix.rows[1]))
    assert structure_hash(weighted) != structure_hash(q)


def test_values_types_order_and_follow_ups_are_structure(industrial):
    q1 = industrial.question("Q1")
    revalued = edit_question(industrial, "Q1", options=tuple(replace(o, value=50) if o.key == "C" else o
                                                             for o in q1.options))
    assert structure_hash(revalued) != structure_hash(industrial)
    unfollowed = edit_question(industrial, "Q1R", show_if=None)
    assert structure_hash(unfollowed) != structure_hash(industrial)
    section = industrial.sections[1]
    reordered = replace(industrial, sections=(industrial.sections[0],
                                              replace(section, questions=section.questions[::-1]),
                                              *industrial.sections[2:]))
    assert structure_hash(reordered) != structure_hash(industrial)

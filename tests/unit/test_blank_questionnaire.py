"""A blank questionnaire is the smallest valid bank: the designer can load it, nothing can score it."""

from __future__ import annotations

from survey_app.domain.bank_dump import dump_yaml, to_bank
from survey_app.domain.banks import parse_bank, parse_bank_data
from survey_app.domain.blank import BLANK_ID, blank_questionnaire


def test_a_blank_questionnaire_has_one_empty_section_and_round_trips_through_the_validator():
    q = blank_questionnaire("  乡镇满意度调查 ")
    assert (q.id, q.title, q.intro.title, q.version) == (BLANK_ID, "乡镇满意度调查", "乡镇满意度调查", "1")
    assert len(q.sections) == 1 and q.sections[0].questions == () and q.sections[0].kind == "main"
    assert q.questions == () and q.scored_questions == ()
    assert parse_bank_data(to_bank(q)) == q
    assert parse_bank(dump_yaml(q)) == q

"""Edits an evaluator makes to a draft survey's questionnaire: intro, question texts, topics, option values.

The rules (texts may not be empty, a scored question needs a report topic, an option's
value lies in 0–100) are checked here, so the page and any other caller apply the same
ones; storing the result is ``surveys.update_questionnaire`` (draft surveys only).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace

from ..domain.questionnaire import Option, Questionnaire

#: Intro fields the page edits (form names ``intro_<field>``).
INTRO_FIELDS = ("title", "greeting", "purpose", "confidentiality", "organisation", "closing")
MIN_VALUE, MAX_VALUE = 0, 100


def edited(questionnaire: Questionnaire, fields: Mapping[str, str]) -> tuple[Questionnaire, dict[str, str]]:
    """Apply ``fields`` to a copy of the questionnaire; return it and the problems by field name.

    Field names: ``intro_<field>``, ``text_<qid>``, ``topic_<qid>``, ``value_<qid>_<option key>``;
    a missing field keeps the current value.  The messages are shown to evaluators as they are.
    """
    problems: dict[str, str] = {}
    intro = replace(questionnaire.intro, **{k: fields.get(f"intro_{k}", getattr(questionnaire.intro, k)).strip()
                                            for k in INTRO_FIELDS})
    sections = []
    for section in questionnaire.sections:
        questions = []
        for q in section.questions:
            text = fields.get(f"text_{q.id}", q.text).strip()
            topic = fields.get(f"topic_{q.id}", q.topic).strip()
            if not text:
                problems[f"text_{q.id}"] = "题目文字不能为空"
            if q.scored and not topic:
                problems[f"topic_{q.id}"] = "计分题需要报告用的主题词"
            options = tuple(_option(q.id, o, fields, problems) if q.scored else o for o in q.options)
            questions.append(replace(q, text=text or q.text, topic=topic, options=options))
        sections.append(replace(section, questions=tuple(questions)))
    return replace(questionnaire, intro=intro, sections=tuple(sections)), problems


def _option(qid: str, option: Option, fields: Mapping[str, str], problems: dict[str, str]) -> Option:
    if not option.scored:
        return option
    name = f"value_{qid}_{option.key}"
    raw = fields.get(name, str(option.value)).strip()
    try:
        value = float(raw)
        if not MIN_VALUE <= value <= MAX_VALUE:
            raise ValueError
    except ValueError:
        problems[name] = "赋值应为0至100之间的数"
        return option
    return replace(option, value=value)

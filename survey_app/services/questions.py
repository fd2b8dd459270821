"""Wording edits of a survey's questionnaire: intro, question and row texts, help, topics (and values in draft).

Before the survey opens this page also edits option values (the designer edits everything
else).  After it opens the structure is frozen and only wording may be fixed: the edit must
leave ``wording.structure_hash`` unchanged, and each fix is written to the audit log with
its before and after texts (``fix_wording``).  The rules (texts may not be empty, a scored
item needs a report topic, an option's value lies in 0–100) are checked here, so the page
and any other caller apply the same ones.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace

from sqlalchemy.orm import Session

from ..domain.questionnaire import Option, Question, Questionnaire
from ..domain.vocabulary import SurveyState
from ..domain.wording import changes, structure_hash
from ..models import Survey
from ..texts_zh import designer as zh
from .audit import record
from .surveys import SurveyStateError

#: Intro fields the page edits (form names ``intro_<field>``).
INTRO_FIELDS = ("title", "greeting", "purpose", "confidentiality", "organisation", "closing")
MIN_VALUE, MAX_VALUE = 0, 100


def edited(questionnaire: Questionnaire, fields: Mapping[str, str]) -> tuple[Questionnaire, dict[str, str]]:
    """Apply ``fields`` to a copy of the questionnaire; return it and the problems by field name.

    Field names: ``intro_<field>``, ``text_<id>``, ``topic_<id>``, ``help_<id>`` (a matrix row's
    id for its text and topic), ``value_<id>_<option key>``; a missing field keeps the current
    value.  Whether the result may be stored is the caller's question (``fix_wording`` refuses
    a changed value once the survey is open).  The messages are shown to evaluators as they are.
    """
    problems: dict[str, str] = {}
    intro = replace(questionnaire.intro, **{k: fields.get(f"intro_{k}", getattr(questionnaire.intro, k)).strip()
                                            for k in INTRO_FIELDS})
    sections = []
    for section in questionnaire.sections:
        questions = []
        for q in section.questions:
            q = _worded(q, fields, problems, frozen=False)
            if q.rows:
                q = replace(q, rows=tuple(_worded(r, fields, problems, frozen=True) for r in q.rows))
            questions.append(q)
        sections.append(replace(section, questions=tuple(questions)))
    return replace(questionnaire, intro=intro, sections=tuple(sections)), problems


def _worded(q: Question, fields: Mapping[str, str], problems: dict[str, str], frozen: bool) -> Question:
    """``frozen``: leave the options alone (a matrix row's are its matrix's)."""
    text = fields.get(f"text_{q.id}", q.text).strip()
    topic = fields.get(f"topic_{q.id}", q.topic).strip()
    help_ = fields.get(f"help_{q.id}", q.help).strip() if q.parent is None else q.help
    if not text:
        problems[f"text_{q.id}"] = "题目文字不能为空"
    if q.scored and not topic:
        problems[f"topic_{q.id}"] = "计分题需要报告用的主题词"
    options = q.options if frozen else tuple(_option(q.id, o, fields, problems) if q.scored else o for o in q.options)
    return replace(q, text=text or q.text, topic=topic, help=help_, options=options)


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


def fix_wording(session: Session, survey: Survey, questionnaire: Questionnaire, actor: str) -> bool:
    """Store wording fixes to an opened survey's questionnaire, audited with before and after; flush.

    The content hash follows the new texts (caches and reports key on it); the structure
    hash — what answers refer to — must stay, or nothing is stored.  Return whether anything changed.

    :raises SurveyStateError: the survey is still a draft (use the designer), or the change
        is not wording only (the message says why, in Chinese).
    """
    if survey.state is SurveyState.DRAFT:
        raise SurveyStateError("a draft survey's questionnaire is changed with update_questionnaire")
    current = survey.questionnaire
    if structure_hash(questionnaire) != structure_hash(current):
        raise SurveyStateError(zh.STRUCTURE_CHANGED)
    before, after = changes(current, questionnaire)
    if not before:
        return False
    before["questionnaire_hash"] = survey.questionnaire_hash
    survey.questionnaire_json = questionnaire.to_dict()
    survey.questionnaire_hash = questionnaire.content_hash()
    after["questionnaire_hash"] = survey.questionnaire_hash
    record(session, survey, actor, "survey.wording", before, after)
    session.flush()
    return True

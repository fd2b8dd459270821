"""The questionnaire a survey started "blank" holds until the designer fills it.

It must survive the same round trip as any questionnaire (``bank_dump.to_bank`` then
``banks.parse_bank_data``), so the designer can load it: hence an intro title (the bank
format requires one) and one empty section, the smallest shape the format accepts.
It has no scored item, so such a survey cannot be opened until questions are added
(``services.surveys.open_survey`` refuses it).
"""

from __future__ import annotations

from ..texts_zh import bank_library as zh
from .questionnaire import Intro, Questionnaire, Section

#: The bank id of a questionnaire started blank (``surveys.bank_id`` shows where it came from).
BLANK_ID = "blank"


def blank_questionnaire(title: str) -> Questionnaire:
    """Return a questionnaire titled ``title`` with one empty main section and nothing else."""
    title = title.strip()
    return Questionnaire(
        id=BLANK_ID,
        title=title,
        version="1",
        intro=Intro(title=title),
        sections=(Section(id="S1", title=zh.BLANK_SECTION_TITLE, questions=()),),
    )

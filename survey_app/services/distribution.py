"""Getting links to respondents: QR codes, the distribution sheet's cards, replacing a unit's link.

Links are absolute (``PUBLIC_BASE_URL``) because they leave the app: printed on paper, sent
by WeChat, scanned from a QR code.  Callers pass the base URL in, so this module does not
depend on a request.  QR codes use error-correction level M: they survive a crumpled
printout while staying small enough (version 4 for our 60-character links) to scan easily.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

import segno
from sqlalchemy.orm import Session

from ..domain.vocabulary import BEIJING, SurveyState
from ..models import Survey, Unit
from ..models.unit import new_token
from ..reports.distribution_sheet import write_distribution_sheet
from ..texts_zh import distribution as zh
from . import audit

#: Characters of a token kept in the audit log: enough to tell links apart, useless to answer.
TOKEN_PREFIX = 6


@dataclass(frozen=True)
class Card:
    """One unit on the distribution sheet."""

    unit_id: int
    seq: int
    name: str
    county: str
    category: str
    min_valid: int
    url: str
    #: Short code to type at the open link when the long URL came on paper (``domain.unit_codes``).
    code: str = ""
    #: The card's line saying where to type the code ("也可打开 … 输入单位代码 …"); empty without a code.
    code_line: str = ""


def unit_url(base_url: str, token: str) -> str:
    """A unit's own link: answers through it belong to that unit."""
    return f"{base_url}/s/{token}"


def open_url(base_url: str, token: str) -> str:
    """The survey's open link: the respondent picks their unit from the list."""
    return f"{base_url}/o/{token}"


def qr_svg(url: str, *, scale: int = 4, inline: bool = False) -> str:
    """Return the QR code of ``url`` as SVG markup.

    ``inline`` drops the XML declaration and fixed size (a viewBox scales with CSS), for
    embedding in HTML; the downloadable file keeps its pixel size.
    """
    out = io.BytesIO()
    segno.make(url, error="m", micro=False).save(
        out, kind="svg", scale=scale, border=4 if not inline else 2, xmldecl=not inline, omitsize=inline,
        svgclass="qr", lineclass=None, nl=False)
    return out.getvalue().decode("utf-8")


def qr_png(url: str, *, scale: int = 8) -> bytes:
    """Return the QR code of ``url`` as PNG bytes (8 px per module: sharp when printed at 4 cm)."""
    out = io.BytesIO()
    segno.make(url, error="m", micro=False).save(out, kind="png", scale=scale, border=4)
    return out.getvalue()


def cards(survey: Survey, base_url: str) -> list[Card]:
    """One card per unit, in the list's order (序号)."""
    entry = open_url(base_url, survey.open_token)
    return [Card(u.id, u.seq, u.name, u.county, u.category, u.min_valid, unit_url(base_url, u.token),
                 u.short_code or "", zh.CARD_CODE.format(url=entry, code=u.short_code) if u.short_code else "")
            for u in survey.units]


def sheet_details(survey: Survey) -> dict[str, str]:
    """What every card repeats besides the unit: the deadline (Beijing) and the report settings' contact."""
    deadline = zh.DEADLINE.format(d=survey.closes_at + BEIJING) if survey.closes_at else ""
    contact = ((survey.settings or {}).get("report") or {}).get("contact") or ""
    return {"deadline": deadline, "contact": contact}



def sheet_docx(session: Session, survey: Survey, base_url: str, actor: str) -> bytes:
    """The distribution sheet as .docx (cards with QR codes); audited as an export of every unit link."""
    note = "" if survey.state is SurveyState.OPEN else zh.NOT_OPEN_NOTE
    data = write_distribution_sheet(survey.name, cards(survey, base_url), qr_png, note=note, **sheet_details(survey))
    audit.record(session, survey, actor, "export", None, {"what": "unit_links", "format": "docx",
                                                          "units": len(survey.units)})
    session.flush()
    return data


def replace_token(session: Session, unit: Unit, actor: str) -> str:
    """Give the unit a new link token (the old link stops working) and audit ``unit.token``; flush.

    Responses already given through the old link keep their unit.  Only the first
    ``TOKEN_PREFIX`` characters of either token are logged: a full token would let anyone
    reading the log answer as the unit.
    """
    old, unit.token = unit.token, new_token()
    session.flush()
    audit.record(session, unit.survey, actor, "unit.token", {"id": unit.id, "name": unit.name, "token": old[:TOKEN_PREFIX]},
                 {"id": unit.id, "name": unit.name, "token": unit.token[:TOKEN_PREFIX]})
    return unit.token

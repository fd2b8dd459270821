"""Respondent pages: the questionnaire, its POST, thank-you and unavailable pages.

Two ways in: ``/s/<token>`` is a unit's private link (the unit is known), ``/o/<token>``
is the survey's open link (the respondent picks the unit).  Both share ``answer_page``.
Every POST either stores the whole response and redirects to the thank-you page, or
re-renders the form with every answer kept and a message beside each faulty question.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from flask import abort, current_app, make_response, redirect, render_template, request, url_for
from markupsafe import Markup
from sqlalchemy.exc import IntegrityError

from ..domain.answers import (
    check_answers,
    clean_text,
    field_name,
    strip_control,
    visible_questions,
)
from ..domain.privacy import hash_ip
from ..domain.vocabulary import Availability
from ..extensions import csrf, db
from ..models import Survey, Unit
from ..models._types import utcnow
from ..services.arrival import (
    answer_rows,
    device_neighbours,
    device_of,
    identical_neighbour,
    screen_arrival,
    stored_user_agent,
)
from ..services.responses import SubmissionMeta, duration_of, find_by_nonce, store_response
from ..services.settings import validity_rules
from ..services.surveys import survey_by_open_token, unit_by_token
from ..services.units import unit_by_code
from ..texts_zh.respond import message_for
from ..web import csrf_token_valid
from . import bp
from .device import last_answer, remember
from .forms import HiddenFields, issue_ticket, read_ticket

UNIT_FIELD, UNIT_OTHER_FIELD, UNIT_ERROR_KEY = "unit", "unit_other", "_unit"
OTHER_UNIT = "other"


@dataclass(frozen=True)
class Link:
    """Which link the respondent came through; ``unit`` is None on the open link."""

    survey: Survey
    unit: Unit | None
    token: str
    kind: str  # "s" (unit link) or "o" (open link)
    #: Kept apart from ``survey``: after the commit the survey row is expired, and reading
    #: ``survey.id`` for the thank-you redirect would load it again.
    survey_id: int

    @property
    def ticket_scope(self) -> str:
        return f"{self.kind}:{self.token}"

    @property
    def draft_key(self) -> str:
        """localStorage key for the draft: per link, so two units never share a draft."""
        return f"survey-draft:{self.kind}:{self.token[:12]}"


def unit_link(token: str) -> Link:
    unit = unit_by_token(db.session, token)
    if unit is None:
        abort(404)
    return Link(unit.survey, unit, token, "s", unit.survey_id)


def open_link(token: str) -> Link:
    survey = survey_by_open_token(db.session, token)
    if survey is None:
        abort(404)
    return Link(survey, None, token, "o", survey.id)


@bp.get("/")
def index():
    return render_template("respond/index.html")


@bp.get("/healthz")
def healthz():
    return {"status": "ok"}


# CSRF is checked inside ``accept`` so that a stale token re-renders the answers (kept)
# instead of the global handler's error page.
@bp.route("/s/<token>", methods=["GET", "POST"])
@csrf.exempt
def unit_form(token: str):
    return no_store(answer_page(unit_link(token)))


@bp.route("/o/<token>", methods=["GET", "POST"])
@csrf.exempt
def open_form(token: str):
    link = open_link(token)
    if request.method == "GET" and "code" in request.args:
        # A unit code read off a printed card: straight to that unit's own link.
        unit = unit_by_code(db.session, link.survey, request.args["code"])
        if unit is not None:
            return redirect(url_for("respond.unit_form", token=unit.token), code=303)
        return no_store(render_template("respond/code_wrong.html", link=link, survey=link.survey,
                                        typed=request.args["code"][:20])), 404
    return no_store(answer_page(link))


def no_store(reply):
    """Never keep the answering page: the back button must ask the server again, which then
    shows "already submitted" instead of a form filled with the answers just sent."""
    reply = make_response(reply)
    reply.headers["Cache-Control"] = "no-store"
    return reply


def answer_page(link: Link):
    """Serve or accept the questionnaire for ``link``."""
    now = utcnow()
    availability = link.survey.availability(now)
    # Only a POST submits: HEAD (link previewers) is a GET, whatever body it carries.
    submitting = request.method == "POST"
    if availability is not Availability.OPEN:
        status = 403 if submitting else 200
        return render_template("respond/unavailable.html", link=link, availability=availability), status
    if not submitting:
        another = request.args.get("another") == "1"
        last = last_answer(link.survey.id)
        if last is not None and not another:
            return render_template("respond/already.html", link=link, last=last)
        return render_form(link, values={}, errors={}, ticket=issue_ticket(link.ticket_scope, now, another),
                           fresh=True)
    return accept(link, now)


def posted_values() -> dict[str, list[str]]:
    """The answer fields as posted, control characters (NUL included) removed from every value.

    Stripped rather than refused: a 400 would lose the typed questionnaire, and no answer
    needs a control character (``clean_text`` removes them from stored text anyway).
    """
    keys = [key for key in request.form if key.startswith("q_")] + [UNIT_FIELD, UNIT_OTHER_FIELD]
    return {strip_control(key): [strip_control(v) for v in request.form.getlist(key)] for key in keys}


def accept(link: Link, now):
    values = posted_values()
    raw_ticket = request.form.get("ticket")
    ticket = read_ticket(raw_ticket, link.ticket_scope)
    if ticket is None or not csrf_token_valid():
        # Stale page (or a lost session cookie): keep the answers, hand out fresh tokens.
        fresh_ticket = raw_ticket if ticket else issue_ticket(
            link.ticket_scope, now, another=request.args.get("another") == "1")
        return render_form(link, values, {}, fresh_ticket, notice="stale"), 400
    if stored := find_by_nonce(db.session, ticket.nonce):
        return redirect_done(link, stored.submitted_at, stored.unit_id)
    sheet = check_answers(link.survey.questionnaire, values)
    unit, unit_name_given, unit_error = chosen_unit(link, values)
    errors = {qid: message_for(code, link.survey.questionnaire.question(qid)) for qid, code in sheet.errors.items()}
    if unit_error:
        errors = {UNIT_ERROR_KEY: unit_error, **errors}
    if errors:
        return render_form(link, values, errors, raw_ticket), 422
    meta = SubmissionMeta(
        submitted_at=now,
        started_at=ticket.started_at,
        nonce=ticket.nonce,
        user_agent=strip_control(request.user_agent.string),
        ip_hash=hash_ip(current_app.config["SECRET_KEY"], request.remote_addr),
        another_person=ticket.another,
    )
    survey = link.survey
    rules = validity_rules(survey)
    unit_id = unit.id if unit else None
    neighbours = device_neighbours(db.session, survey.id, meta.ip_hash, meta.user_agent, now,
                                   timedelta(minutes=float(rules.duplicate_device.window_minutes)))
    if not ticket.another:
        # The same answers again from this device (back button, unsure whether it arrived):
        # the respondent gets the thank-you page, the unit's count does not grow.
        same = identical_neighbour(neighbours, unit_id, unit_name_given, sheet.answers)
        if same is not None:
            return redirect_done(link, same.submitted_at, same.unit_id)
    screened = screen_arrival(
        survey, rules, neighbours, unit_id=unit_id, duration_seconds=duration_of(meta), submitted_at=now,
        device=device_of(meta.ip_hash, stored_user_agent(meta.user_agent)), rows=answer_rows(sheet.answers.values()),
        another_person=meta.another_person)
    # The one explicit commit outside ``transaction``: the unique nonce is checked by the
    # database at commit time, and a double tap that raced us to it must end on the thank-you
    # page (the first request stored the response), not on an error page — so the commit
    # has to happen here, inside this ``try``, where the IntegrityError can be told apart.
    try:
        store_response(db.session, survey, unit, sheet.answers, meta, unit_name_given, screened)
        db.session.commit()
    except IntegrityError:
        # A double tap raced us to the same nonce: the first one stored the response.
        db.session.rollback()
        stored = find_by_nonce(db.session, ticket.nonce)
        if stored is None:
            raise
        return redirect_done(link, stored.submitted_at, stored.unit_id)
    # Values known before the commit: reading them from ``response`` would reload the row.
    return redirect_done(link, now, unit_id)


def chosen_unit(link: Link, values: dict) -> tuple[Unit | None, str | None, str | None]:
    """Resolve the unit: fixed by a unit link, picked from the list on the open link."""
    if link.unit is not None:
        return link.unit, None, None
    picked = (values.get(UNIT_FIELD) or [""])[0].strip()
    if picked == OTHER_UNIT:
        name = clean_text((values.get(UNIT_OTHER_FIELD) or [""])[0])
        if not name:
            return None, None, "请填写您所在单位的名称"
        if len(name) > 200:
            return None, None, "单位名称过长，请控制在200字以内"
        return None, name, None
    unit = next((u for u in link.survey.units if str(u.id) == picked), None)
    if unit is None:
        return None, None, "请选择您所在的单位"
    return unit, None, None


def redirect_done(link: Link, submitted_at, unit_id: int | None):
    """To the thank-you page, remembering on this device that (and when) it answered."""
    endpoint = "respond.unit_done" if link.kind == "s" else "respond.open_done"
    reply = redirect(url_for(endpoint, token=link.token), code=303)
    return remember(reply, link.survey_id, submitted_at, unit_id)


#: Rendered blank questionnaires by content hash (the same HTML for every respondent of a version).
_BLANK: dict[str, Markup] = {}


def blank_questions(content_hash: str, questionnaire, shown: set[str]) -> Markup:
    """The questions of a fresh form, rendered once per questionnaire version.

    A first visit shows no answers and no messages, so the questions' HTML depends on the
    questionnaire alone; rendering it through the per-type macros was most of a GET.
    """
    html = _BLANK.get(content_hash)
    if html is None:
        if len(_BLANK) > 64:
            _BLANK.clear()
        html = _BLANK[content_hash] = Markup(render_template(
            "respond/_questions.html", questionnaire=questionnaire, values={}, errors={}, shown=shown))
    return html


def render_form(link: Link, values: dict, errors: dict, ticket: str, notice: str | None = None, fresh: bool = False):
    """Render the questionnaire with the given values and per-question messages."""
    form = HiddenFields(ticket)
    questionnaire = link.survey.questionnaire
    sheet = check_answers(questionnaire, values)
    shown = {q.id for q in visible_questions(questionnaire, sheet.answers)}
    blank = not values and not errors
    return render_template(
        "respond/form.html",
        questions_html=blank_questions(link.survey.questionnaire_hash, questionnaire, shown) if blank else None,
        link=link,
        survey=link.survey,
        questionnaire=questionnaire,
        form=form,
        values=values,
        errors=errors,
        shown=shown,
        notice=notice,
        fresh=fresh,
        another=request.args.get("another") == "1",
        field_name=field_name,
        units=link.survey.units if link.unit is None else [],
    )

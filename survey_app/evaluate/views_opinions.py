"""意见建议: the grouped open answers, and the evaluator's decisions over them.

GET shows the board (automatic grouping with the saved decisions laid over it); POST
applies one decision (``action``: rename, merge, split, move, hide, show, acknowledge,
examples) through ``services.opinions.decide`` and redirects back.  Every form carries
the revision it was built from, so a decision made on a stale page is refused.
"""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_login import login_required

from ..domain.opinions import OpinionError, summarise
from ..domain.opinions.board import MAX_EXAMPLES
from ..extensions import db
from ..services.access import MANAGE
from ..services.opinions import decide, opinion_board
from ..texts_zh import opinions as zh
from ..transaction import transactional
from . import bp
from .access import can_manage, load_survey
from .views_surveys import actor

#: Opinions listed per theme on the page (the rest are counted); the workbook lists all.
SHOWN_PER_THEME = 100


@bp.get("/surveys/<int:survey_id>/opinions")
@login_required
def opinions(survey_id: int):
    survey = load_survey(survey_id)
    board, revision = opinion_board(db.session, survey)
    summary = summarise(board, survey.questionnaire)
    return render_template("evaluate/opinions.html", survey=survey, board=board, themes=board.themes(),
                           summary=summary, refs={t.id: t.questions for t in summary.themes}, revision=revision,
                           manage=can_manage(survey), shown=SHOWN_PER_THEME, zh=zh)


@bp.post("/surveys/<int:survey_id>/opinions")
@login_required
@transactional
def opinions_decide(survey_id: int):
    survey = load_survey(survey_id, MANAGE)
    form = request.form
    action = form.get("action", "")
    params = {"theme": form.get("theme", ""), "target": form.get("target", ""), "name": form.get("name", ""),
              "key": form.get("key", ""), "keys": form.getlist("keys"), "n": form.get("n", "")}
    try:
        revision = int(form.get("revision", ""))
        if action == "examples":
            params["n"] = int(params["n"])
    except ValueError:
        flash(zh.ERR_STALE if action != "examples" else zh.ERR_EXAMPLES.format(n=MAX_EXAMPLES))
        return redirect(url_for("evaluate.opinions", survey_id=survey.id))
    try:
        after = decide(db.session, survey, actor(), action, revision, params)
    except OpinionError as e:
        flash(zh.ERRORS.get(e.code, zh.ERR_THEME).format(**e.params))
        return redirect(url_for("evaluate.opinions", survey_id=survey.id))
    flash(_done(action, after, params))
    return redirect(url_for("evaluate.opinions", survey_id=survey.id, _anchor=_anchor(action, params)))


def _done(action: str, after: dict, params: dict) -> str:
    if action == "rename":
        return zh.RENAMED.format(name=after["theme"])
    if action == "merge":
        return zh.MERGED.format(source=after["merged"], target=after["into"])
    if action == "split":
        return zh.SPLIT.format(n=after["count"], name=after["theme"])
    if action == "move":
        return zh.MOVED.format(target=after["theme"])
    if action in ("hide", "show"):
        return zh.HIDDEN_DONE if action == "hide" else zh.SHOWN_DONE
    if action == "examples":
        return zh.EXAMPLES_SET.format(n=dict(zh.EXAMPLE_CHOICES).get(after["examples"], after["examples"]))
    return zh.ACKNOWLEDGED


def _anchor(action: str, params: dict) -> str | None:
    theme = params.get("target") if action in ("merge", "move") else params.get("theme")
    return f"theme-{theme}" if theme else None

"""The thank-you page: the answer is saved, and — while the unit is short — please pass the link on.

Units need several answers (usually 5); the respondent who just answered is the one most
likely to reach the colleagues, so the page says how many the unit has and shows the link.
On the open link the unit is the one picked in the form (remembered by the device cookie);
the open link itself is shown then, never a unit's private link.
"""

from __future__ import annotations

from flask import current_app, render_template, url_for

from ..extensions import db
from ..services.unit_quota import unit_quota
from . import bp
from .device import last_answer
from .views import no_store, open_link, unit_link


@bp.get("/s/<token>/done")
def unit_done(token: str):
    return no_store(done_page(unit_link(token)))


@bp.get("/o/<token>/done")
def open_done(token: str):
    return no_store(done_page(open_link(token)))


def done_page(link):
    unit = link.unit
    if unit is None and (last := last_answer(link.survey.id)) is not None and last.unit_id is not None:
        unit = next((u for u in link.survey.units if u.id == last.unit_id), None)
    quota = unit_quota(db.session, unit) if unit is not None else None
    endpoint = "respond.unit_form" if link.kind == "s" else "respond.open_form"
    share_url = current_app.config["PUBLIC_BASE_URL"].rstrip("/") + url_for(endpoint, token=link.token)
    another_url = url_for(endpoint, token=link.token, another=1)
    return render_template("respond/done.html", link=link, unit=unit, quota=quota, share_url=share_url,
                           another_url=another_url)

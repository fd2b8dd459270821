"""A survey's responses: keyset pages as JSON, or all of them (within the filter) as a streamed CSV."""

from __future__ import annotations

from urllib.parse import quote

from flask import Response, jsonify, request, stream_with_context, url_for

from ..domain.vocabulary import BEIJING
from ..extensions import db
from ..models._types import utcnow
from ..services.api_rows import DEFAULT_LIMIT, MAX_LIMIT, csv_chunks, response_page
from ..services.exports import export_filename
from ..transaction import transactional
from . import bp
from .auth import visible_survey
from .filters import FILTER_PARAMS, api_filter, limit_arg


@bp.get("/surveys/<int:survey_id>/responses")
@transactional  # keeps the token's last-used time
def responses(survey_id: int):
    survey = visible_survey(survey_id)
    flt = api_filter(survey)
    page = response_page(db.session, survey, flt, request.args.get("cursor"), limit_arg(DEFAULT_LIMIT, MAX_LIMIT))
    next_url = None
    if page.next:
        kept = {k: request.args.getlist(k) for k in (*FILTER_PARAMS, "limit") if k in request.args}
        next_url = url_for("api.responses", survey_id=survey.id, **kept, cursor=page.next, _external=True)
    return jsonify(survey=survey.id, filter=flt.to_dict(), responses=page.rows, next=page.next, next_url=next_url)


@bp.get("/surveys/<int:survey_id>/responses.csv")
@transactional
def responses_csv(survey_id: int):
    """Stream the 原始数据 CSV of the filtered responses; rows are read and sent chunk by chunk."""
    survey = visible_survey(survey_id)
    chunks = csv_chunks(db.session, survey, api_filter(survey))
    # The stream runs after the commit (and, behind a real server, after this request's session
    # is closed): detached, the survey keeps its loaded id instead of being expired by the commit.
    db.session.expunge(survey)
    reply = Response(stream_with_context(chunks), mimetype="text/csv")
    reply.headers["Content-Type"] = "text/csv; charset=utf-8"
    name = export_filename(survey, "csv", utcnow() + BEIJING)
    reply.headers["Content-Disposition"] = f"inline; filename*=UTF-8''{quote(name)}"
    return reply

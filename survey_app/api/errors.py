"""The API's own error codes (HTTP errors — 404, 405, 500 … — are answered in JSON by ``survey_app.errors``)."""

from __future__ import annotations

from ..domain.scoring import ScoringError
from ..services.api_rows import BadCursor
from ..services.exports import ExportError
from ..texts_zh import api as zh
from ..web import json_error
from ..web_filters import BadQuery
from . import bp


@bp.errorhandler(BadQuery)
def bad_query(error: BadQuery):
    code, message = zh.BAD_QUERY
    return json_error(400, code, message.format(detail=error), detail=str(error))


@bp.errorhandler(BadCursor)
def bad_cursor(error: BadCursor):
    code, message = zh.BAD_CURSOR
    return json_error(400, code, message)


@bp.errorhandler(ExportError)
def bad_export(error: ExportError):
    code, message = zh.BAD_EXPORT
    return json_error(400, code, message.format(detail=error), detail=str(error))


@bp.errorhandler(ScoringError)
def scoring_error(error: ScoringError):
    code, message = zh.INVALID_SETTINGS
    return json_error(422, code, message.format(detail=error.message_zh), detail=str(error))

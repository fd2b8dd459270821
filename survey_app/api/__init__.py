"""JSON API (``/api/v1``), authenticated by personal API tokens; see docs/api.md."""

from flask import Blueprint

bp = Blueprint("api", __name__, url_prefix="/api/v1")

from . import views  # noqa: F401 - routes register on import

"""JSON API (``/api/v1``), authenticated by personal API tokens or the web session; see docs/api.md.

The contract is ``openapi.json`` beside this file (OpenAPI 3.1, served at
``/api/v1/openapi.json``); tests/functional/test_api_*.py validate every answer against it.
"""

from flask import Blueprint

bp = Blueprint("api", __name__, url_prefix="/api/v1")

from . import auth, errors, exports, opinions, responses, spec, surveys, views  # noqa: E402,F401 - routes register on import

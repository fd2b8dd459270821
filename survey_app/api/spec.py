"""``GET /api/v1/openapi.json``: the OpenAPI 3.1 description kept beside the code (``openapi.json``).

Public (no token): it describes the API, not any survey.  The tests validate it against the
OpenAPI 3.1 schema, check that it lists exactly the routes of this blueprint, and validate
every answer of every endpoint against it.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

from flask import jsonify

from . import bp

SPEC_PATH = Path(__file__).with_name("openapi.json")


@cache
def openapi_document() -> dict[str, Any]:
    return json.loads(SPEC_PATH.read_text(encoding="utf-8"))


@bp.get("/openapi.json")
def openapi():
    reply = jsonify(openapi_document())
    reply.headers["Cache-Control"] = "public, max-age=300"
    return reply

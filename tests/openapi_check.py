"""Validate API answers against the OpenAPI description (survey_app/api/openapi.json).

``check(reply, "/api/v1/surveys/{survey_id}")`` finds the operation, the documented answer
for the reply's status and its media type, and validates a JSON body with the JSON Schema
2020-12 of that answer (OpenAPI 3.1 schemas are JSON Schema 2020-12; ``$ref`` into
``components`` resolve against the whole document).
"""

from __future__ import annotations

import json
from functools import cache

import jsonschema_rs

from survey_app.api.spec import SPEC_PATH

DIALECT = "https://json-schema.org/draft/2020-12/schema"


@cache
def spec() -> dict:
    return json.loads(SPEC_PATH.read_text(encoding="utf-8"))


def _resolve(node: dict) -> dict:
    while "$ref" in node:
        target = spec()
        for part in node["$ref"].removeprefix("#/").split("/"):
            target = target[part]
        node = target
    return node


@cache
def _validator(path: str, method: str, status: str, media: str):
    schema = spec()["paths"][path][method]["responses"][status]
    schema = _resolve(schema)["content"][media]["schema"]
    return jsonschema_rs.Draft202012Validator({"$schema": DIALECT, **schema, "components": spec()["components"]},
                                              validate_formats=True)


def check(reply, path: str, method: str = "get") -> None:
    """Fail unless the reply's status, media type and (JSON) body are what the description says."""
    operation = spec()["paths"].get(path, {}).get(method)
    assert operation is not None, f"{method.upper()} {path} is not in openapi.json"
    status = str(reply.status_code)
    assert status in operation["responses"], f"{method.upper()} {path}: status {status} is not documented"
    content = _resolve(operation["responses"][status]).get("content", {})
    assert reply.mimetype in content, f"{method.upper()} {path} {status}: {reply.mimetype} is not documented"
    if reply.mimetype == "application/json":
        errors = [f"{'/'.join(map(str, e.instance_path))}: {e.message}"
                  for e in _validator(path, method, status, reply.mimetype).iter_errors(reply.get_json())]
        assert not errors, f"{method.upper()} {path} {status} does not match openapi.json:\n" + "\n".join(errors[:20])

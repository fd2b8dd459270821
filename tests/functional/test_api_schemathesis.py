"""Property-based run of schemathesis against openapi.json, through the app's WSGI interface.

For every operation of the description, schemathesis generates requests — valid ones
(positive) and ones that break the description (negative: wrong types, unknown enum
values, patterns violated) — and checks each answer: never a 5xx, a documented status,
a documented media type, a body matching its schema.  Half of the cases aim at a survey
that exists and the caller may see, so the successful paths are exercised too; a few
responses exist so that pages, CSV rows and exports have something in them.

Bounded: ``EXAMPLES`` cases per operation and mode (the exports fewer, a Word appendix
costs ~0.1 s), no example database, no deadline (the machine is shared).  The whole run
takes about 10–20 s; the test fails above 60 s.
"""

from __future__ import annotations

import time

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis.checks import not_a_server_error
from schemathesis.core.failures import FailureGroup
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)
from support import add_response, make_survey, make_user

from survey_app.domain.vocabulary import ResponseStatus
from survey_app.extensions import db
from survey_app.services.api_tokens import create_token

EXAMPLES = 40
EXPORT_EXAMPLES = 8
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]
MODES = (schemathesis.GenerationMode.POSITIVE, schemathesis.GenerationMode.NEGATIVE)


@pytest.fixture
def target(ctx, industrial):
    eva = make_user("eva")
    survey = make_survey(industrial, units=("甲公司", "乙公司"))
    survey.owner_id = eva.id
    for i, key in enumerate("ABCABD"):
        add_response(survey, survey.units[i % 2], key, status=ResponseStatus.EXCLUDED if i == 5 else ResponseStatus.VALID)
    make_survey(industrial, units=("别人的单位",), name="别人的调查")  # exists, but eva may not see it
    _, token = create_token(db.session, eva, "schemathesis", "user:eva")
    db.session.commit()
    return survey.id, token


def exercise(operation, mode, examples: int, survey_id: int, headers: dict, failures: list[str]) -> int:
    """Run ``examples`` generated cases of one operation in one mode; return how many requests were sent."""
    sent = 0

    @settings(max_examples=examples, deadline=None, database=None, derandomize=True,
              suppress_health_check=list(HealthCheck))
    @given(case=operation.as_strategy(generation_mode=mode), aim=st.booleans())
    def run(case, aim):
        nonlocal sent
        if aim and mode is schemathesis.GenerationMode.POSITIVE and "survey_id" in (case.path_parameters or {}):
            case.path_parameters["survey_id"] = survey_id
        response = case.call(headers=headers)
        sent += 1
        try:
            case.validate_response(response, checks=CHECKS, headers=headers)
        except (AssertionError, FailureGroup) as exc:  # collect every distinct failure instead of stopping at the first
            failures.append(f"{operation.label} [{mode.value}] {case.path_parameters} {case.query} "
                            f"→ {response.status_code}: {str(exc)[:600]}")

    run()
    return sent


def test_schemathesis_finds_no_server_error_and_no_departure_from_the_description(app, target):
    survey_id, token = target
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
    # identity: schemathesis' WSGI client would not undo the app's gzip (HTTP clients do)
    headers = {"Authorization": f"Bearer {token}", "Accept-Encoding": "identity"}
    started, sent, failures = time.monotonic(), 0, []
    for result in schema.get_all_operations():
        operation = result.ok()
        examples = EXPORT_EXAMPLES if "/exports/" in operation.path else EXAMPLES
        for mode in MODES:
            sent += exercise(operation, mode, examples, survey_id, headers, failures)
    elapsed = time.monotonic() - started
    print(f"schemathesis: {sent} requests in {elapsed:.1f} s")
    assert not failures, f"{len(failures)} failing cases:\n" + "\n".join(dict.fromkeys(failures))
    assert sent >= 100, "too few cases ran: is the description loaded?"
    # The run is bounded by the number of examples, not by a clock: a loaded machine is slower,
    # not wrong (performance figures belong to bench/).

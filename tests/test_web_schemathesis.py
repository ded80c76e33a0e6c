"""Schemathesis against the app's own ``/openapi.json`` (bounded): no generated request gets a
server error, and every answer the schema describes matches it."""
from __future__ import annotations

from pathlib import Path

import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance

from parallax.web import create_app

# Generated requests per operation, drawn the same way on every run (derandomised: a CI run fails
# only on a change of the code, never on a new draw; `benchmarks/schemathesis_run.py` draws at scale).
EXAMPLES = 20


def test_no_server_error_and_answers_match_the_schema(hand_annotated_store: Path) -> None:
    """Every operation, a bounded number of generated requests each (the operations are walked
    here rather than by schemathesis's pytest plugin, which this pytest version does not load)."""
    schema = schemathesis.openapi.from_asgi("/openapi.json", create_app(str(hand_annotated_store)))
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 10
    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck), database=None,
                  derandomize=True)
        def check(case: schemathesis.Case) -> None:
            case.call_and_validate(checks=[not_a_server_error, response_schema_conformance])

        check()

"""API fuzzing: schemathesis generates requests from the app's own OpenAPI schema, valid and not.
Whatever it sends, the answer is never a 5xx and always matches the documented responses."""

from __future__ import annotations

import pytest

schemathesis = pytest.importorskip("schemathesis")
from hypothesis import HealthCheck, settings  # noqa: E402
from schemathesis.checks import positive_data_acceptance  # noqa: E402

from newsbrief.service import Settings, create_app  # noqa: E402

# Bounded so the suite stays fast: a few dozen cases per operation, both valid and invalid ones.
MAX_EXAMPLES = 100

# Schemathesis calls the app as "testserver": a host name the server must be told it has.
schema = schemathesis.openapi.from_asgi("/openapi.json", create_app(Settings(hosts="testserver")))


@schema.parametrize()
@settings(max_examples=MAX_EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck))
def test_api_never_fails_on_any_generated_request(case):
    # Not `positive_data_acceptance`: a schema-valid body can still be no article (whitespace, no
    # sentences, an unknown model name), and the right answer to that is a 422, not a 2xx.
    case.call_and_validate(excluded_checks=[positive_data_acceptance])

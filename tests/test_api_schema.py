"""The API does what its OpenAPI description says, and nothing else: schemathesis generates
requests from the description (a bounded number, always the same ones) and checks each answer
with all its checks (status codes, content types, schemas, refused and accepted input).
"""

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis import GenerationMode

from mediation.directory.demo import seed_demo

PATHS = ["/api/v1/communes", "/api/v1/services", "/api/v1/services/{service_id}",
         "/api/v1/services.geojson", "/api/v1/services.points", "/api/v1/services.csv",
         "/api/v1/services.xlsx",
         "/api/v1/datapackage.json", "/api/v1/openapi.json"]
EXAMPLES = 100  # per operation and mode; derandomized, so every run sends the same requests


@pytest.fixture
def api_schema(app):
    with app.app_context():
        seed_demo()
    return schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)


@pytest.mark.parametrize("path, mode", [
    *((path, GenerationMode.POSITIVE) for path in PATHS),
    *((path, GenerationMode.NEGATIVE) for path in PATHS
      if path not in ("/api/v1/openapi.json", "/api/v1/datapackage.json")),
])
def test_the_api_answers_as_described(api_schema, path, mode):
    """Valid requests are answered as described; invalid ones are refused with a 4xx."""
    operation = api_schema[path]["GET"]

    @given(case=operation.as_strategy(generation_mode=mode))
    @settings(max_examples=EXAMPLES, derandomize=True, deadline=None, database=None,
              suppress_health_check=list(HealthCheck))
    def check(case):
        # The test client does not undo gzip as an HTTP client would: ask for none.
        case.call_and_validate(headers={"Accept-Encoding": "identity"})

    check()

"""schemathesis against a real fx-bureau (SQLite, and PostgreSQL where it runs), from the OpenAPI document it
serves: every operation, valid and invalid input, with and without a real access token. No answer is a server
error, and every answer matches what the document declares for it (status, content type, body schema: errors are
{"code", "message"})."""
from __future__ import annotations

import uuid

import pytest
import requests
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (content_type_conformance, response_headers_conformance,
                                               response_schema_conformance, status_code_conformance)

from fx_bureau.mutations import MUTATIONS
from tests.support.bureau import PASSWORD, pg_available, standard

CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_headers_conformance,
          response_schema_conformance]
EXAMPLES = 25  # per operation, mode and login: about 1,300 requests per backend, ~40 s here
ON_POSTGRES = pytest.mark.skipif(not pg_available(), reason="PostgreSQL is not running here (.ci/run starts it)")


@pytest.fixture(scope="module", params=["sqlite", pytest.param("postgresql", marks=[pytest.mark.postgres,
                                                                                    ON_POSTGRES])])
def server(request, tmp_path_factory):
    """PostgreSQL too: it refuses data SQLite stores (a NUL character), which must be a 4xx, never a 503."""
    bureau = standard(request.param, tmp_path_factory.mktemp("fuzz")).start()
    yield bureau
    bureau.close()


class Login:
    """A logged-in client of the server; pushes carry its client id and the next mutation ids it expects, so the
    generated mutations reach the argument checks and the handlers instead of stopping at "not your client"."""

    def __init__(self, url: str):
        self.client_id = str(uuid.uuid4())
        answer = requests.post(url + "/auth/login", json={"username": "zhang", "password": PASSWORD,
                                                          "client_id": self.client_id}, timeout=30)
        answer.raise_for_status()
        self.headers = {"Authorization": f"Bearer {answer.json()['access_token']}"}
        self.last = 0

    def aim(self, case, names: list[str]) -> None:
        body = case.body
        if case.operation.path != "/sync/push" or not isinstance(body, dict):
            return
        body["client_id"] = self.client_id
        mutations = body.get("mutations")
        if isinstance(mutations, list):
            for i, m in enumerate(mutations):
                if isinstance(m, dict):
                    m["id"] = self.last + 1 + i
                    if names:
                        m["name"] = names[i % len(names)]

    def learn(self, case, response) -> None:
        if case.operation.path == "/sync/push" and response.status_code == 200:
            self.last = response.json()["last_mutation_id"]


def _operations(url: str):
    schema = schemathesis.openapi.from_url(url + "/openapi.json")
    schema.config.update(base_url=url)
    return [result.ok() for result in schema.get_all_operations()]


@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE], ids=lambda m: m.value)
@pytest.mark.parametrize("logged_in", [True, False], ids=["token", "no-token"])
def test_no_operation_answers_500_or_outside_its_schema(server, mode, logged_in):
    login = Login(server.url) if logged_in else None
    operations = _operations(server.url)
    assert {op.path for op in operations} >= {"/sync/push", "/sync/pull", "/auth/login", "/blobs/{sha256}"}
    seen: dict[int, int] = {}
    for operation in operations:

        @given(case=operation.as_strategy(generation_mode=mode),
               names=st.lists(st.sampled_from(sorted(MUTATIONS)), max_size=3))
        @settings(max_examples=EXAMPLES, deadline=None, database=None, suppress_health_check=list(HealthCheck))
        def run(case, names):
            if login is not None:
                login.aim(case, names)
            response = case.call(base_url=server.url, headers=login.headers if login else None, timeout=30)
            seen[response.status_code] = seen.get(response.status_code, 0) + 1
            case.validate_response(response, checks=CHECKS, headers=login.headers if login else None)
            if login is not None:
                login.learn(case, response)

        try:
            run()
        except Unsatisfiable:  # nothing to make invalid (no parameters, no body): only for invalid input
            assert mode == GenerationMode.NEGATIVE, operation.label
    assert not any(status >= 500 for status in seen), seen
    if logged_in and mode == GenerationMode.POSITIVE:
        assert login.last > 0, "no generated mutation reached the handlers"
        assert seen.get(200, 0) > 0
    else:
        assert seen.get(401, 0) + seen.get(422, 0) > 0

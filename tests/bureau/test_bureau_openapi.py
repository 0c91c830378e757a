"""The OpenAPI document in docs/ is the one the server serves."""
from __future__ import annotations

import json
from pathlib import Path

from tests.support.bureau import run_cli

DOC = Path(__file__).resolve().parents[2] / "docs" / "fx-bureau-openapi.json"


def test_checked_in_openapi_document_is_current():
    done = run_cli("openapi")
    assert done.returncode == 0, done.stderr
    served = json.loads(done.stdout)
    assert served == json.loads(DOC.read_text("utf-8")), "run: fx-bureau openapi --out docs/fx-bureau-openapi.json"
    for path in ("/auth/login", "/auth/refresh", "/sync/push", "/sync/pull", "/sync/digest", "/blobs/uploads",
                 "/health", "/limits"):
        assert path in served["paths"]


def test_the_document_declares_every_mutation_schema_and_the_error_shape():
    from fx_bureau.mutations import MUTATIONS

    doc = json.loads(DOC.read_text("utf-8"))
    schemas = doc["components"]["schemas"]
    assert set(doc["x-fx-mutations"]) == set(MUTATIONS)
    for name, ref in doc["x-fx-mutations"].items():
        declared = schemas[ref["$ref"].rsplit("/", 1)[1]]
        assert set(declared["required"]) <= set(declared["properties"]), name
    assert set(schemas["Problem"]["required"]) == {"code", "message"}
    for path, operations in doc["paths"].items():
        for method, operation in operations.items():
            for status in ("422", "503"):
                assert operation["responses"][status]["content"]["application/json"]["schema"] == {
                    "$ref": "#/components/schemas/Problem"}, (method, path, status)
    assert "HTTPValidationError" not in schemas

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

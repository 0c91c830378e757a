"""Server settings, declared once with their defaults."""
from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from pathlib import Path

from fx_desktop.domain.text_limits import MAX_REQUEST_BYTES


@dataclass(frozen=True)
class Settings:
    db_url: str
    blob_dir: Path
    access_ttl_s: float = 900.0  # access tokens live 15 minutes; the refresh token gets new ones
    max_blob_bytes: int = 2 * 1024**3  # published at /limits; the client checks it when a file is attached
    chunk_bytes: int = 16 * 1024**2  # the upload chunk size clients are asked to use (and the most one may carry)
    max_request_bytes: int = MAX_REQUEST_BYTES  # any other request body; published at /limits, larger ones get 413
    login_attempts: int = 5  # failed logins per user within login_window_s before further tries are refused
    login_window_s: float = 300.0
    push_batch_limit: int = 500
    pull_page_limit: int = 2000
    # Threads per worker process running request handlers (anyio's default is 40). Fewer threads contend less for
    # Python's GIL, so a push holding row locks gets its turn back sooner; waiting requests queue in the event loop.
    # Measured with bench.capacity on 2 cores and PostgreSQL (2 workers): 4 or 6 threads held 330 mutations/s with
    # push p95 ~100 ms, 8 held 300 (~324 with p95 235 ms), 16 did not hold 330, 40 did not hold 300. Blob bytes
    # are streamed on the event loop: a handler thread only checks the request.
    request_threads: int = 4

    def to_json(self) -> str:
        return json.dumps({**asdict(self), "blob_dir": str(self.blob_dir)})

    @classmethod
    def from_json(cls, text: str) -> "Settings":
        data = json.loads(text)
        return cls(**{**data, "blob_dir": Path(data["blob_dir"])})

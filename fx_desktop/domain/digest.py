"""The digest both sides compute over (id, version) pairs: fx-bureau answers GET /sync/digest with it and the
client compares its own, so the function lives here, once."""
from __future__ import annotations

import hashlib


def digest_of(rows: list[tuple[str, int]]) -> str:
    """sha256 over `id:version` lines in byte order of id: the same function on both sides."""
    return hashlib.sha256("".join(f"{case_id}:{version}\n" for case_id, version in rows).encode()).hexdigest()

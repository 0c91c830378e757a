"""The local side of the digest check: count and hash of (id, server version) of the cases the server knows."""
from __future__ import annotations

import hashlib

from sqlalchemy import text


def local_digest(session, town_code: str | None) -> dict:
    query = "SELECT id, server_version FROM cases WHERE server_version IS NOT NULL"
    params = {}
    if town_code:
        query += " AND town_code = :town"
        params["town"] = town_code
    rows = sorted(session.execute(text(query), params).all())  # byte order, as the server sorts
    h = hashlib.sha256()
    for case_id, version in rows:
        h.update(f"{case_id}:{version}\n".encode())
    return {"count": len(rows), "hash": h.hexdigest()}

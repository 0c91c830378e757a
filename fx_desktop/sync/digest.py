"""The local side of the digest check: count and hash of (id, server version) of the cases the server knows."""
from __future__ import annotations

from sqlalchemy import text

from ..domain.digest import digest_of


def local_digest(session, town_code: str | None) -> dict:
    query = "SELECT id, server_version FROM cases WHERE server_version IS NOT NULL"
    params = {}
    if town_code:
        query += " AND town_code = :town"
        params["town"] = town_code
    rows = sorted(tuple(r) for r in session.execute(text(query), params))  # plain tuples sort fast; byte order
    return {"count": len(rows), "hash": digest_of(rows)}


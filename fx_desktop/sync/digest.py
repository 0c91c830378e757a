"""The local side of the digest check: count and hash of (id, server version) of the cases the server knows."""
from __future__ import annotations

from sqlalchemy import text

from ..domain.digest import digest_of


def local_digest(session, towns: tuple[str, ...] | str | None) -> dict:
    """`towns`: the towns whose cases the user sees (Profile.case_towns): None all, () none (a department)."""
    query = "SELECT id, server_version FROM cases WHERE server_version IS NOT NULL"
    params = {}
    if isinstance(towns, str):
        towns = (towns,)
    if towns is not None:
        names = ", ".join(f":t{i}" for i in range(len(towns)))
        query += f" AND town_code IN ({names})" if names else " AND 0"
        params.update({f"t{i}": code for i, code in enumerate(towns)})
    rows = sorted(tuple(r) for r in session.execute(text(query), params))  # plain tuples sort fast; byte order
    return {"count": len(rows), "hash": digest_of(rows)}


"""The local side of the digest check: count and hash of (id, server version) of every record the server knows,
of every registered kind (cases of the account's town, every referral here: a department has no cases)."""
from __future__ import annotations

import hashlib

from sqlalchemy import text


def local_digest(session, towns: tuple[str, ...] | str | None) -> dict:
    """`towns`: the towns whose cases the user sees (Profile.case_towns): None all, () none (a department)."""
    from .kinds import KINDS

    if isinstance(towns, str):
        towns = (towns,)
    rows = []
    for kind in KINDS.values():
        query, params = f"SELECT id, server_version FROM {kind.table} WHERE server_version IS NOT NULL", {}
        scope, scope_params = kind.digest_scope(towns) if kind.digest_scope else ("", {})
        if scope:
            query += f" AND {scope}"
            params.update(scope_params)
        rows.extend(tuple(r) for r in session.execute(text(query), params))
    rows.sort()  # plain tuples sort fast; ids in byte order, as fx-bureau sorts them
    return {"count": len(rows), "hash": digest_of(rows)}


def digest_of(rows: list[tuple[str, int]]) -> str:
    """sha256 over `id:version` lines in byte order of id: the same function on both sides."""
    return hashlib.sha256("".join(f"{case_id}:{version}\n" for case_id, version in rows).encode()).hexdigest()

"""The local side of the digest check: count and hash of (id, server version) of every record the server knows,
of every registered kind (cases of the account's town, every referral here: a department has no cases)."""
from __future__ import annotations

from sqlalchemy import text

from ..domain.digest import digest_of


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


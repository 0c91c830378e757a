"""The local side of the digest check: count and hash of (id, server version) of every record the server knows,
of every registered kind (cases of the account's town, every referral here: a department has no cases)."""
from __future__ import annotations

from sqlalchemy import text

from ..domain.digest import digest_of


def local_digest(session, towns: tuple[str, ...] | str | None) -> dict:
    """`towns`: whose cases the user sees (a town code, a tuple of codes, () none, None all); referrals are not
    filtered: the server sent only those the user may see, and a full resync drops the others."""
    from .kinds import KINDS

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


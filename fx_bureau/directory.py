"""The directory of the organisations' people (issue 14): for every active user with a role, their organisation's
code, name and role, and nothing else (no username, no password). It travels to every client as reference data,
one Reference row with key "directory" (pull.py's `references` stream), rebuilt with a new sequence number
whenever a user is created, changed or deactivated (accounts.create_user, accounts.set_user) and by
`fx-bureau init`; a rebuild that changes nothing keeps the row (and its sequence number) as it is.

Compatibility: clients before the directory apply every reference change as the reference document
(store.reference.load), which first compares the document's "version" with the one they hold and does nothing
when it is not newer. The directory's data therefore carries "version": 0, never newer than any reference
document, so such a client ignores it instead of failing on a document without towns."""
from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from .models import Reference, User
from .schema import next_seq

KEY = "directory"


def people(session: Session) -> list[dict]:
    """{"org", "name", "role"} of every active user with a role, in a stable order."""
    rows = session.execute(select(User.org_code, User.name, User.role)
                           .where(User.active.is_(True), User.role.is_not(None))).all()
    return sorted(({"org": org, "name": name, "role": role} for org, name, role in rows),
                  key=lambda p: (p["org"] or "", p["name"], p["role"]))


def rebuild(session: Session) -> bool:
    """Make the directory row say what the users table says now; True when it changed (a new sequence number)."""
    session.flush()
    data = {"version": 0, "people": people(session)}
    row = session.get(Reference, KEY)
    if row is not None and row.data == data:
        return False
    seq = next_seq(session)
    if row is None:
        session.add(Reference(key=KEY, version=1, data=data, seq=seq))
    else:
        row.version, row.data, row.seq = row.version + 1, data, seq
    session.flush()
    return True

"""Small key/value facts about this database."""
from __future__ import annotations

import uuid

from sqlalchemy.orm import Session

from .models import Meta


def get(session: Session, key: str) -> str | None:
    row = session.get(Meta, key)
    return row.value if row else None


def put(session: Session, key: str, value: str) -> None:
    session.merge(Meta(key=key, value=value))


def client_id(session: Session) -> str:
    """This database's sync identity, made on first use (SYNC.md: a restored copy gets a new one at sync time)."""
    found = get(session, "client_id")
    if not found:
        found = str(uuid.uuid4())
        put(session, "client_id", found)
    return found

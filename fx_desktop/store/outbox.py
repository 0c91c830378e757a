"""The outbox: intent mutations waiting to be pushed, written in the same transaction as their effect."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from .models import OutboxEntry


def enqueue(session: Session, name: str, args: dict, *, at: datetime | None = None) -> OutboxEntry:
    entry = OutboxEntry(name=name, args=args, created_at=at or datetime.now(), state="pending")
    session.add(entry)
    return entry


def pending_count(session: Session) -> int:
    return session.execute(
        select(func.count()).select_from(OutboxEntry).where(OutboxEntry.state == "pending")
    ).scalar_one()


def pending(session: Session, limit: int = 500) -> list[OutboxEntry]:
    return list(session.execute(
        select(OutboxEntry).where(OutboxEntry.state == "pending").order_by(OutboxEntry.mutation_id).limit(limit)
    ).scalars())

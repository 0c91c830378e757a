"""What the services of every synced record kind share: the records of a kind with changes still waiting to be sent
(shown as 等待同步), and one record read by id with a Chinese message when this computer does not hold it."""
from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..domain.errors import DomainError
from ..store import outbox
from ..store.models import OutboxEntry


def waiting_ids(session: Session, kind: str) -> frozenset[str]:
    return frozenset(session.execute(select(OutboxEntry.record_id).where(
        OutboxEntry.state == outbox.PENDING, OutboxEntry.kind == kind)).scalars())


def load(session: Session, model, record_id: str, what: str, why: str = "可能尚未同步到本机"):
    """The `model` row `record_id`; a DomainError saying "找不到该{what}，{why}，请同步后再看。" when there is none."""
    row = session.get(model, record_id)
    if row is None:
        raise DomainError(f"找不到该{what}，{why}，请同步后再看。")
    return row

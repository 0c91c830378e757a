"""The outbox: intent mutations waiting to be pushed, written in the same transaction as their effect.

Each owner (the user who acted) numbers their mutations 1, 2, 3... without gaps: that number is the mutation id
the server checks against the owner's client id."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import Text, func, select, type_coerce, update
from sqlalchemy.orm import Session

from ..domain.errors import DomainError
from . import meta
from .models import OutboxEntry

PENDING, DONE, REJECTED, CONFLICT = "pending", "done", "rejected", "conflict"
HANDLED = "handled"  # a rejection the user has dealt with here (resent corrected, or its record discarded)
# Cases whose creation the server refused and nobody has resent or discarded yet ("c" names the cases table)
REFUSED_CREATION = ("SELECT o.reason FROM outbox o WHERE o.case_id = c.id AND o.name = 'create_case' "
                    "AND o.state = 'rejected' ORDER BY o.mutation_id DESC LIMIT 1")


def _next_seq(session: Session, owner: str) -> int:
    key = f"outbox_seq:{owner}"
    value = int(meta.get(session, key) or 0) + 1
    meta.put(session, key, str(value))
    return value


_UNSET = object()


def enqueue(session: Session, name: str, args: dict, *, owner: str, at: datetime | None = None, kind: str = "case",
            record_id: str | None = None, case_id=_UNSET) -> OutboxEntry:
    """`kind`/`record_id`: the record the mutation acts on (a case by default, its `case_id` argument);
    `case_id`: the case concerned, `args["case_id"]` unless given (None for a record without a local case).
    Nothing more is queued for a case whose creation the server refused: the server has no such case, so it would
    refuse each step too; the case is resent corrected first (services.refused_cases)."""
    case = args.get("case_id") if case_id is _UNSET else case_id
    if case is not None and name != "create_case" and creation_refused(session, case) is not None:
        raise DomainError("该案件的登记未被区局接受，暂不能继续办理：请先在案件详情中按原因修改后“重新提交”，"
                          "或放弃此草稿。")
    entry = OutboxEntry(name=name, args=args, created_at=at or datetime.now(), state=PENDING, owner=owner,
                        seq=_next_seq(session, owner), kind=kind,
                        record_id=record_id if record_id is not None else args.get("case_id"), case_id=case)
    session.add(entry)
    return entry


def pending_count(session: Session, owner: str | None = None) -> int:
    query = select(func.count()).select_from(OutboxEntry).where(OutboxEntry.state == PENDING)
    if owner is not None:
        query = query.where(OutboxEntry.owner == owner)
    return session.execute(query).scalar_one()


def pending(session: Session, limit: int = 500, *, owner: str | None = None) -> list[OutboxEntry]:
    query = select(OutboxEntry).where(OutboxEntry.state == PENDING)
    if owner is not None:
        query = query.where(OutboxEntry.owner == owner)
    return list(session.execute(query.order_by(OutboxEntry.seq if owner is not None else OutboxEntry.mutation_id)
                                .limit(limit)).scalars())


def pending_wire(session: Session, limit: int, *, owner: str) -> list[tuple]:
    """The owner's next pending mutations as (seq, name, args as the JSON text stored, created_at), for the push
    body: read without building ORM objects or decoding the arguments."""
    return [tuple(row) for row in session.execute(
        select(OutboxEntry.seq, OutboxEntry.name, type_coerce(OutboxEntry.args, Text), OutboxEntry.created_at)
        .where(OutboxEntry.state == PENDING, OutboxEntry.owner == owner).order_by(OutboxEntry.seq).limit(limit))]


def last_seq(session: Session, owner: str) -> int:
    return int(meta.get(session, f"outbox_seq:{owner}") or 0)


def adopt(session: Session, old_owners: list[str], new_owner: str) -> int:
    """Give never-pushed mutations of the local profile to the account that now logs in, renumbered after the
    account's own. Returns how many were adopted."""
    rows = list(session.execute(
        select(OutboxEntry).where(OutboxEntry.owner.in_(old_owners), OutboxEntry.state == PENDING)
        .order_by(OutboxEntry.mutation_id)).scalars())
    for row in rows:
        row.owner = new_owner
        row.seq = _next_seq(session, new_owner)
    return len(rows)


def renumber(session: Session, owner: str, start: int) -> None:
    """After a client reset (the server has seen ids past ours): pending mutations continue from `start`."""
    rows = pending(session, limit=10**9, owner=owner)
    for i, row in enumerate(rows):
        row.seq = start + i
    meta.put(session, f"outbox_seq:{owner}", str(start + len(rows) - 1 if rows else start - 1))


def mark(session: Session, owner: str, seq: int, state: str, reason: str | None = None,
         at: datetime | None = None) -> None:
    session.execute(update(OutboxEntry).where(OutboxEntry.owner == owner, OutboxEntry.seq == seq,
                                              OutboxEntry.state == PENDING)
                    .values(state=state, reason=reason, done_at=at or datetime.now()))


def mark_many(session: Session, owner: str, seqs: list[int], state: str, at: datetime | None = None) -> None:
    """mark() for many acknowledged mutations at once: one statement per 500, not one per mutation."""
    for start in range(0, len(seqs), 500):
        chunk = seqs[start:start + 500]
        session.execute(update(OutboxEntry)
                        .where(OutboxEntry.owner == owner, OutboxEntry.seq.in_(chunk), OutboxEntry.state == PENDING)
                        .values(state=state, done_at=at or datetime.now()))


def creation_refused(session: Session, case_id: str) -> OutboxEntry | None:
    """The rejected create_case of this case that nobody has resent or discarded yet."""
    return session.execute(select(OutboxEntry).where(
        OutboxEntry.case_id == case_id, OutboxEntry.name == "create_case", OutboxEntry.state == REJECTED)
        .order_by(OutboxEntry.mutation_id.desc()).limit(1)).scalar_one_or_none()


def settle(session: Session, mutation_ids: list[int]) -> None:
    """Rejections the user has dealt with: no longer listed as waiting for them (reason and arguments stay)."""
    if mutation_ids:
        session.execute(update(OutboxEntry).where(OutboxEntry.mutation_id.in_(mutation_ids),
                                                  OutboxEntry.state == REJECTED).values(state=HANDLED))

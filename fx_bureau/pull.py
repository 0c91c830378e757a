"""GET /sync/pull: changes after the cursor, ordered by the server-wide sequence, read in one snapshot together
with the client's last_mutation_id. The cursor is `epoch:seq`; an unknown epoch or a cursor from the future gets
a reset (a full snapshot from 0)."""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from fx_desktop.domain.digest import digest_of

from .models import Case, Client, Conflict, Counter, Reference, Tombstone
from .mutations import conflict_json
from .principal import Principal
from .schema import meta_value


@dataclass(frozen=True)
class Cursor:
    epoch: str
    seq: int

    @classmethod
    def parse(cls, raw: str | None) -> "Cursor | None":
        if not raw:
            return None
        epoch, _, seq = raw.rpartition(":")
        try:
            return cls(epoch, int(seq))
        except ValueError:
            return None

    def __str__(self) -> str:
        return f"{self.epoch}:{self.seq}"


def _d(value) -> str | None:
    return value.isoformat() if value is not None else None


def case_json(c) -> dict:
    return {"type": "case", "seq": c.seq, "id": c.id, "number": c.number, "town_code": c.town_code,
            "status": c.status, "version": c.version, "review_passed": c.review_passed, "opened_on": _d(c.opened_on),
            "filed_on": _d(c.filed_on), "decision_due": _d(c.decision_due), "decided_on": _d(c.decided_on),
            "created_by": c.created_by, "updated_at": _d(c.updated_at), "fields": c.fields, "officers": c.officers,
            "evidence": c.evidence, "reviews": c.reviews or []}


def _scoped(query, model, p: Principal):
    return query if p.town_code is None else query.where(model.town_code == p.town_code)


def pull(session: Session, p: Principal, raw_cursor: str | None, limit: int) -> dict:
    epoch = meta_value(session, "epoch")
    high = session.get(Counter, "seq").value
    cursor = Cursor.parse(raw_cursor)
    reset = cursor is None or cursor.epoch != epoch or cursor.seq > high
    since = 0 if reset else cursor.seq
    fetch = limit + 1
    streams = []
    cases = session.execute(_scoped(select(Case).where(Case.seq > since), Case, p).order_by(Case.seq).limit(fetch))
    streams.append([case_json(c) for c in cases.scalars()])
    conflicts = session.execute(
        _scoped(select(Conflict).where(Conflict.seq > since), Conflict, p).order_by(Conflict.seq).limit(fetch))
    streams.append([{"type": "conflict", "seq": c.seq, **conflict_json(c)} for c in conflicts.scalars()])
    tombs = session.execute(
        _scoped(select(Tombstone).where(Tombstone.seq > since), Tombstone, p).order_by(Tombstone.seq).limit(fetch))
    streams.append([{"type": "tombstone", "seq": t.seq, "entity": t.entity, "id": t.id} for t in tombs.scalars()])
    refs = session.execute(select(Reference).where(Reference.seq > since).order_by(Reference.seq))
    streams.append([{"type": "reference", "seq": r.seq, "key": r.key, "version": r.version, "data": r.data}
                    for r in refs.scalars()])
    changes = sorted((c for s in streams for c in s), key=lambda c: c["seq"])
    more = len(changes) > limit
    if more:
        cut = changes[limit]["seq"]  # rows sharing a sequence number never straddle two pages
        changes = [c for c in changes if c["seq"] < cut]
        next_seq = cut - 1
    else:
        next_seq = high
    client = session.get(Client, p.client_id)
    return {"cursor": str(Cursor(epoch, next_seq)), "reset": reset, "more": more, "changes": changes,
            "last_mutation_id": client.last_mutation_id if client else 0}


def digest(session: Session, p: Principal) -> dict:
    """Count and hash of (id, version) of every case the user can see, with the cursor it is valid at."""
    epoch = meta_value(session, "epoch")
    high = session.get(Counter, "seq").value
    rows = sorted(tuple(r) for r in session.execute(_scoped(select(Case.id, Case.version), Case, p)))  # byte order
    return {"cursor": str(Cursor(epoch, high)), "count": len(rows), "hash": digest_of(rows)}

"""GET /sync/pull: changes after the cursor, ordered by the server-wide sequence, read in one snapshot together
with the client's last_mutation_id. The cursor is `epoch:seq`, where epoch is the database's epoch followed by
`/N` once the user's sync generation N is above 0 (raised when their organisation changes, so what they may see
changed); an unknown epoch or a cursor from the future gets a reset (a full snapshot from 0)."""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from fx_desktop.domain.digest import digest_of

from .kinds import KINDS, RecordKind, case_json, visible, visible_about  # noqa: F401 - case_json: its old home
from .models import Client, Conflict, Counter, Reference, Tombstone
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


def _since(kind: RecordKind, since: int, fetch: int, p: Principal):
    model = kind.model
    query = visible(select(model).where(model.seq > since), kind, p).order_by(model.seq).limit(fetch)
    return query.options(*kind.load) if kind.load else query


def user_epoch(session: Session, p: Principal) -> str:
    """The epoch of this user's cursors: a cursor issued before their organisation changed is unknown."""
    epoch = meta_value(session, "epoch")
    return f"{epoch}/{p.sync_generation}" if p.sync_generation else epoch


def pull(session: Session, p: Principal, raw_cursor: str | None, limit: int) -> dict:
    epoch = user_epoch(session, p)
    high = session.get(Counter, "seq").value
    cursor = Cursor.parse(raw_cursor)
    reset = cursor is None or cursor.epoch != epoch or cursor.seq > high
    why = _reset_reason(cursor, epoch, high) if reset else None
    since = 0 if reset else cursor.seq
    fetch = limit + 1
    streams = [[kind.to_json(r) for r in session.execute(_since(kind, since, fetch, p)).scalars()]
               for kind in KINDS.values()]
    conflicts = session.execute(visible_about(select(Conflict).where(Conflict.seq > since), Conflict.town_code,
                                              Conflict.kind, Conflict.case_id, p).order_by(Conflict.seq).limit(fetch))
    streams.append([{"type": "conflict", "seq": c.seq, **conflict_json(c)} for c in conflicts.scalars()])
    tombs = session.execute(visible_about(select(Tombstone).where(Tombstone.seq > since), Tombstone.town_code,
                                          Tombstone.entity, Tombstone.id, p).order_by(Tombstone.seq).limit(fetch))
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
    page = {"cursor": str(Cursor(epoch, next_seq)), "reset": reset, "more": more, "changes": changes,
            "last_mutation_id": client.last_mutation_id if client else 0}
    if why:
        page["reset_reason"] = why
    return page


def _reset_reason(cursor: Cursor | None, epoch: str, high: int) -> str:
    """Why a pull starts over: `first` (no cursor), `organisation` (the user's organisation changed: records they
    may no longer see must go), `database` (another or a restored database), `ahead` (a cursor from the future)."""
    if cursor is None:
        return "first"
    if cursor.epoch != epoch:
        same_database = cursor.epoch.split("/")[0] == epoch.split("/")[0]
        return "organisation" if same_database else "database"
    return "ahead"


def digest(session: Session, p: Principal, kinds: list[str] | None = None) -> dict:
    """Count and hash of (id, version) of every record of the named kinds (those the client keeps; unknown names
    ignored; None: every kind) the user can see (ids are UUIDs, unique across kinds), with the cursor it is valid
    at."""
    epoch = user_epoch(session, p)
    high = session.get(Counter, "seq").value
    names = KINDS if kinds is None else kinds
    rows = sorted(tuple(r) for kind in (KINDS[n] for n in KINDS if n in names)  # byte order
                  for r in session.execute(visible(select(kind.model.id, kind.model.version), kind, p)))
    return {"cursor": str(Cursor(epoch, high)), "count": len(rows), "hash": digest_of(rows)}

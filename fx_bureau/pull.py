"""GET /sync/pull: changes after the cursor, ordered by the server-wide sequence, read in one snapshot together
with the client's last_mutation_id. The cursor is `epoch:seq`, where epoch is the database's epoch followed by
`/N` once the user's sync generation N is above 0 (raised when their organisation changes, so what they may see
changed); an unknown epoch or a cursor from the future gets a reset (a full snapshot from 0)."""
from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Callable

from sqlalchemy import select
from sqlalchemy.orm import Session

from fx_desktop.domain.digest import digest_of

from .kinds import KINDS, RecordKind, encode_json, visible, visible_about
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


def user_epoch(session: Session, p: Principal) -> str:
    """The epoch of this user's cursors: a cursor issued before their organisation changed is unknown."""
    epoch = meta_value(session, "epoch")
    return f"{epoch}/{p.sync_generation}" if p.sync_generation else epoch


@dataclass
class Page:
    """A pull page whose changes are JSON text already (RecordKind.wire_rows): encode() only joins them."""

    head: dict
    changes: list[str]

    def encode(self) -> bytes:
        head = encode_json(self.head)
        return f'{head[:-1]},"changes":[{",".join(self.changes)}]}}'.encode("utf-8")

    def as_dict(self) -> dict:
        return json.loads(self.encode())


@dataclass(frozen=True)
class _Stream:
    """One source of changes: `seqs` selects the sequence numbers of the rows the user may see, `read(since,
    upper)` their changes as (seq, JSON text), in sequence order."""

    seqs: object
    read: Callable[[int, int | None], list[tuple[int, str]]]
    bounded: bool = True  # at most limit + 1 of its rows are looked at per page (the reference: all of them)


def _between(query, model, since: int, upper: int | None):
    query = query.where(model.seq > since)
    return (query if upper is None else query.where(model.seq <= upper)).order_by(model.seq)


def _streams(session: Session, p: Principal) -> list[_Stream]:
    def kind_stream(kind: RecordKind) -> _Stream:
        def read(since, upper):
            rows = session.execute(_between(visible(select(*kind.columns()), kind, p), kind.model, since, upper))
            ids = _between(visible(select(kind.model.id), kind, p), kind.model, since, upper).order_by(None)
            return kind.wire_rows(session, rows.all(), ids)
        return _Stream(visible(select(kind.model.seq), kind, p), read)

    def about(model, kind_column, id_column, to_json) -> _Stream:
        def read(since, upper):
            query = visible_about(select(model), model.town_code, kind_column, id_column, p)
            return [(r.seq, encode_json({"seq": r.seq, **to_json(r)}))
                    for r in session.execute(_between(query, model, since, upper)).scalars()]
        return _Stream(visible_about(select(model.seq), model.town_code, kind_column, id_column, p), read)

    def references(since, upper):
        return [(r.seq, encode_json({"type": "reference", "seq": r.seq, "key": r.key, "version": r.version,
                                     "data": r.data}))
                for r in session.execute(_between(select(Reference), Reference, since, upper)).scalars()]

    return [*(kind_stream(k) for k in KINDS.values()),
            about(Conflict, Conflict.kind, Conflict.case_id, lambda c: {"type": "conflict", **conflict_json(c)}),
            about(Tombstone, Tombstone.entity, Tombstone.id,
                  lambda t: {"type": "tombstone", "entity": t.entity, "id": t.id}),
            _Stream(select(Reference.seq), references, bounded=False)]


def pull_page(session: Session, p: Principal, raw_cursor: str | None, limit: int) -> Page:
    """The changes after the cursor, at most `limit` (rows sharing a sequence number never straddle two pages).
    Which rows make the page is decided from the sequence numbers alone, read from the `seq` indexes (each
    stream's first limit + 1); only the rows of the page are then read, each kind's as the columns its wire row
    needs (fx_bureau.kinds), and no stream is read that has none in it."""
    epoch = user_epoch(session, p)
    high = session.get(Counter, "seq").value
    cursor = Cursor.parse(raw_cursor)
    reset = cursor is None or cursor.epoch != epoch or cursor.seq > high
    why = _reset_reason(cursor, epoch, high) if reset else None
    since = 0 if reset else cursor.seq
    streams = _streams(session, p)
    firsts = []
    for stream in streams:
        column = stream.seqs.selected_columns[0]
        query = stream.seqs.where(column > since).order_by(column)
        firsts.append(list(session.execute(query.limit(limit + 1) if stream.bounded else query).scalars()))
    ordered = sorted(s for seqs in firsts for s in seqs)
    more = len(ordered) > limit
    upper = ordered[limit] - 1 if more else None  # the first sequence number left out starts the next page
    changes = [c for stream, seqs in zip(streams, firsts) if seqs and (upper is None or seqs[0] <= upper)
               for c in stream.read(since, upper)]
    changes.sort(key=lambda c: c[0])  # stable: within one sequence number, in the order of the streams
    client = session.get(Client, p.client_id)
    head = {"cursor": str(Cursor(epoch, upper if more else high)), "reset": reset, "more": more,
            "last_mutation_id": client.last_mutation_id if client else 0}
    if why:
        head["reset_reason"] = why
    return Page(head, [text for _seq, text in changes])


def pull(session: Session, p: Principal, raw_cursor: str | None, limit: int) -> dict:
    """pull_page() as plain data."""
    return pull_page(session, p, raw_cursor, limit).as_dict()


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

"""GET /sync/pull: changes after the cursor, ordered by the server-wide sequence, read in one snapshot together
with the client's last_mutation_id. The cursor is `epoch:seq`, where epoch is the database's epoch followed by
`/N` once the user's sync generation N is above 0 (raised when their organisation changes, so what they may see
changed); an unknown epoch or a cursor from the future gets a reset (a full snapshot from 0)."""
from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Callable

from sqlalchemy import BigInteger, Integer, String, bindparam, literal_column, select, union_all
from sqlalchemy.orm import Session

from fx_desktop.domain.digest import digest_of

from .kinds import KINDS, RecordKind, encode_json, visible, visible_about_to, visible_to
from .models import Client, Conflict, Counter, Reference, Tombstone
from .mutations import conflict_json
from .principal import Principal
from .schema import reference_stamp


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
    """The epoch of this user's cursors: a cursor issued before their organisation changed is unknown. The
    database's epoch is read with the reference stamp (by the request's first query, accounts.principal)."""
    epoch = reference_stamp(session)[0]
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


_NO_UPPER = 2**62  # `upper` when a page takes every change after the cursor (no sequence number comes near it)


@dataclass(frozen=True)
class _Stream:
    """One source of changes: `seqs` selects the sequence numbers of the rows the user may see after :since, in
    order (at most :n of them when `bounded`), `reads` the statements of `read`, which turns their results (for
    the rows with since < seq <= :upper) into (seq, JSON text) in sequence order."""

    seqs: object
    reads: tuple
    read: Callable[[list], list[tuple[int, str]]]
    bounded: bool = True  # at most limit + 1 of its rows are looked at per page (the reference: all of them)


def _after(query, seq, bounded: bool = True):
    query = query.where(seq > _SINCE).order_by(seq)
    return query.limit(_N) if bounded else query


def _between(query, seq):
    return query.where(seq > _SINCE, seq <= _UPPER).order_by(seq)


_SINCE, _UPPER = bindparam("since", type_=BigInteger), bindparam("upper", type_=BigInteger)
_N, _ORG = bindparam("n", type_=Integer), bindparam("org", type_=String)


def _make_streams(org) -> list[_Stream]:
    """The streams of a user who sees what organisation `org` (a bind parameter) sees, or everything (None): made
    once per process for each of the two, as Core statements over plain columns that differ between requests only
    in their parameters (org, since, upper, n), so each is compiled once and never rebuilt."""
    def kind_stream(kind: RecordKind) -> _Stream:
        t = kind.table
        rows = _between(visible_to(select(*kind.columns()), kind, org), t.c.seq)
        ids = _between(visible_to(select(t.c.id), kind, org), t.c.seq).order_by(None)
        attached = [make(ids) for _key, make in kind.attached]

        def read(results):
            found = []
            for result in results[1:]:
                items: dict[str, list[str]] = {}
                for record_id, text in result:
                    items.setdefault(record_id, []).append(text)
                found.append(items)
            return kind.wire_rows(results[0], found)
        return _Stream(_after(visible_to(select(t.c.seq), kind, org), t.c.seq), (rows, *attached), read)

    def about(table, kind_column, id_column, to_json) -> _Stream:
        def read(results):
            return [(r.seq, encode_json({"seq": r.seq, **to_json(r)})) for r in results[0]]
        query = visible_about_to(select(*table.c), table, kind_column, id_column, org)
        return _Stream(_after(visible_about_to(select(table.c.seq), table, kind_column, id_column, org), table.c.seq),
                       (_between(query, table.c.seq),), read)

    reference = Reference.__table__

    def references(results):
        return [(r.seq, encode_json({"type": "reference", "seq": r.seq, "key": r.key, "version": r.version,
                                     "data": r.data})) for r in results[0]]

    return [*(kind_stream(k) for k in KINDS.values()),
            about(Conflict.__table__, "kind", "case_id", lambda c: {"type": "conflict", **conflict_json(c)}),
            about(Tombstone.__table__, "entity", "id",
                  lambda t: {"type": "tombstone", "entity": t.entity, "id": t.id}),
            _Stream(_after(select(reference.c.seq), reference.c.seq, bounded=False),
                    (_between(select(*reference.c), reference.c.seq),), references, bounded=False)]


_HIGH, _LAST = -1, -2  # the rows of the firsts query that carry the counter and the client's last_mutation_id
_counters, _clients = Counter.__table__, Client.__table__


def _make_firsts(streams: list[_Stream]):
    """One statement for the first sequence numbers of every stream: (stream index, seq) rows, and the counter
    (_HIGH) and the client's last_mutation_id (_LAST), read in the same snapshot."""
    parts = []
    for index, stream in enumerate(streams):
        inner = stream.seqs.add_columns(literal_column(str(index), Integer).label("stream")).subquery()
        parts.append(select(inner.c.stream, inner.c.seq))
    high = select(_counters.c.value).where(_counters.c.name == "seq").scalar_subquery()
    last = select(_clients.c.last_mutation_id).where(_clients.c.id == bindparam("client", type_=String))
    parts += [select(literal_column(str(_HIGH), Integer), high),
              select(literal_column(str(_LAST), Integer), last.scalar_subquery())]
    return union_all(*parts)


@dataclass(frozen=True)
class _Statements:
    streams: list[_Stream]
    firsts: object


_STATEMENTS: dict[bool, _Statements] = {}


def _statements(sees_all: bool) -> _Statements:
    found = _STATEMENTS.get(sees_all)
    if found is None:
        streams = _make_streams(None if sees_all else _ORG)
        found = _STATEMENTS[sees_all] = _Statements(streams, _make_firsts(streams))
    return found


def _firsts(session: Session, prepared: _Statements, params: dict) -> tuple[int, int, list[list[int]]]:
    """(the counter, the client's last_mutation_id, each stream's first sequence numbers after params["since"],
    in order)."""
    high = last = None
    firsts: list[list[int]] = [[] for _ in prepared.streams]
    for index, seq in session.connection().execute(prepared.firsts, params):
        if index == _HIGH:
            high = seq
        elif index == _LAST:
            last = seq
        else:
            firsts[index].append(seq)
    for seqs in firsts:
        seqs.sort()
    return high, last or 0, firsts


def pull_page(session: Session, p: Principal, raw_cursor: str | None, limit: int) -> Page:
    """The changes after the cursor, at most `limit` (rows sharing a sequence number never straddle two pages).
    Which rows make the page is decided from the sequence numbers alone, read from the `seq` indexes (each
    stream's first limit + 1, all in one query); only the rows of the page are then read, each kind's as the
    columns its wire row needs (fx_bureau.kinds), and no stream is read that has none in it. The counter and the
    client's last_mutation_id come with the first sequence numbers, the epoch with the caller (accounts.principal,
    the request's first query): all in the same snapshot."""
    epoch = user_epoch(session, p)
    cursor = Cursor.parse(raw_cursor)
    prepared = _statements(p.sees_all)
    since = cursor.seq if cursor is not None and cursor.epoch == epoch else 0
    params = {"org": p.org_code, "client": p.client_id, "since": since, "n": limit + 1}
    high, last_mutation_id, firsts = _firsts(session, prepared, params)
    reset = cursor is None or cursor.epoch != epoch or cursor.seq > high
    why = _reset_reason(cursor, epoch, high) if reset else None
    if reset and since != 0:  # a cursor from the future: read again from the start
        params["since"] = since = 0
        high, last_mutation_id, firsts = _firsts(session, prepared, params)
    conn = session.connection()
    ordered = sorted(s for seqs in firsts for s in seqs)
    more = len(ordered) > limit
    upper = ordered[limit] - 1 if more else None  # the first sequence number left out starts the next page
    params["upper"] = _NO_UPPER if upper is None else upper
    changes = [c for stream, seqs in zip(prepared.streams, firsts) if seqs and (upper is None or seqs[0] <= upper)
               for c in stream.read([conn.execute(statement, params).all() for statement in stream.reads])]
    changes.sort(key=lambda c: c[0])  # stable: within one sequence number, in the order of the streams
    head = {"cursor": str(Cursor(epoch, upper if more else high)), "reset": reset, "more": more,
            "last_mutation_id": last_mutation_id or 0}
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

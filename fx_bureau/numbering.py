"""Official document numbers (case numbers, referral numbers, review opinion numbers): gap-free per kind, owner
organisation and year, taken from a `serials` row locked until commit.

Outside a push a number is taken at once. Inside a push (`defer_numbers`) a handler gets a placeholder instead, and
`assign_numbers` gives the placeholders that survived the request their real numbers at its end: the serial rows
are then locked only for the last moments of the request, not from its first create_case until commit, which kept
every other push of the same town waiting. A placeholder lives only inside the request's transaction, wherever a
handler put it (a number column, a referral's JSON, the case snapshot inside it, a review round's opinion number,
the answer to the client); one a rejected mutation took and dropped is never numbered, so no serial is wasted."""
from __future__ import annotations

import json
import re
import uuid
from collections.abc import Callable

from sqlalchemy import Integer, String, Text, bindparam, cast, event, inspect, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session
from sqlalchemy.orm.util import identity_key

from fx_desktop.domain.docnumbers import DocNumberTemplate

from . import organisations
from .models import Case, CriminalReferral, LegalReview, Meeting, PoliceRequest, Referral, Serial, Supervision
from .schema import default_reference, from_reference, reference_data

_HELD = "fx_numbers_held"
_MARK = "~fxnum~"  # ASCII: it must look the same inside JSON text, escaped or not
PLACEHOLDER = re.compile(re.escape(_MARK) + r"[0-9a-f]{12}~(\d+)~")


class _Held:
    """The placeholders handed out in one request, in order: index -> (kind, scope, year)."""

    def __init__(self):
        self.tag = uuid.uuid4().hex[:12]  # unique per request: two pushes' placeholders never collide on a unique
        self.taken: list[tuple[str, str, int]] = []
        self.flushed = False  # whether a placeholder may have reached the database before the end

    def take(self, kind: str, scope: str, year: int) -> str:
        self.taken.append((kind, scope, year))
        return f"{_MARK}{self.tag}~{len(self.taken)}~"


@event.listens_for(Session, "after_flush")
def _note_flush(session: Session, _context) -> None:
    held = session.info.get(_HELD)
    if held is not None and held.taken:
        held.flushed = True


def defer_numbers(session: Session) -> None:
    session.info[_HELD] = _Held()


def official_number(session: Session, scope: str, year: int, kind: str = "case") -> str:
    """The next number of `kind` for organisation `scope` in `year` (a placeholder inside a push)."""
    held = session.info.get(_HELD)
    if held is not None:
        with session.no_autoflush:
            _format(session, kind, scope, year, 1)  # a number that cannot be made rejects the mutation, now
        return held.take(kind, scope, year)
    with session.no_autoflush:
        return _free_numbers(session, kind, scope, year, 1)[0]


def assign_numbers(session: Session, answer: object, flush: Callable[[], None]) -> object:
    """Write this request's pending changes with real numbers in place of the placeholders that survived it, and
    return `answer` with its placeholders replaced. Numbers go in the order the placeholders were taken; the serial
    rows are taken in (kind, scope, year) order, so two pushes never wait for each other in a circle.

    Most placeholders are still in objects waiting for the final flush (the fast path writes once, at the end):
    they are numbered in memory and written once. Rows flushed earlier (an autoflush, a savepoint) are found by
    their placeholder sequence number (seq < 0: written by this transaction) and rewritten after the flush."""
    held: _Held | None = session.info.pop(_HELD, None)
    if held is None or not held.taken:
        flush()
        return answer
    with session.no_autoflush:  # the final flush comes after the numbers are in
        flushed = _rows_holding(session, held.tag) if held.flushed else []
        pending = [obj for obj in (*session.new, *session.dirty) if isinstance(obj, NUMBERED)]
        used = {int(m.group(1)) for _model, _id, values in flushed for m in _placeholders(values)}
        used |= {int(m.group(1)) for obj in pending for m in _placeholders(_numbered_values(obj))}
        numbers: dict[str, str] = {}
        for key in sorted({held.taken[i - 1] for i in used}):
            mine = sorted(i for i in used if held.taken[i - 1] == key)
            for index, number in zip(mine, _free_numbers(session, *key, len(mine))):
                numbers[f"{_MARK}{held.tag}~{index}~"] = number
    for obj in pending:
        for attr, value in _numbered_values(obj).items():
            if (new := _replaced(value, numbers)) != value:
                setattr(obj, attr, new)
    flush()
    if flushed:
        with session.no_autoflush:
            for model, record_id, values in _rows_holding(session, held.tag):
                session.execute(update(model).where(model.id == record_id).values(**_replaced(values, numbers)),
                                execution_options={"synchronize_session": False})
                if (obj := session.identity_map.get(identity_key(model, record_id))) is not None:
                    session.expire(obj, list(values))
    return _replaced(answer, numbers)


NUMBERED = (Case, Referral, LegalReview, PoliceRequest, CriminalReferral, Meeting, Supervision)
_COLUMNS = {Case: ("number",), Referral: ("number", "data"), LegalReview: ("data",),
            PoliceRequest: ("number", "data"), CriminalReferral: ("number", "data"),
            Meeting: ("number", "data"), Supervision: ("number", "data")}


def _numbered_values(obj) -> dict:
    """The numbered columns of a pending object, as loaded (an expired one is read from the database instead)."""
    loaded = inspect(obj).dict
    return {c: loaded[c] for c in _COLUMNS[type(obj)] if c in loaded}


def _rows_holding(session: Session, tag: str) -> list[tuple[type, str, dict]]:
    """The rows this request wrote (placeholder sequence numbers: seq < 0) whose numbered columns hold one of its
    placeholders: (model, id, {column: value})."""
    like = f"%{_MARK}{tag}~%"
    found = []
    for model, columns in _COLUMNS.items():
        cols = [getattr(model, c) for c in columns]
        texts = [c if c.key == "number" else cast(c, Text) for c in cols]
        query = select(model.id, *cols).where(model.seq < 0, texts[0].like(like) if len(texts) == 1
                                              else texts[0].like(like) | texts[1].like(like))
        found += [(model, row[0], dict(zip(columns, row[1:]))) for row in session.execute(query)]
    return found


def _placeholders(value: object):
    return PLACEHOLDER.finditer(value if isinstance(value, str) else json.dumps(value, ensure_ascii=False))


def _replaced(value: object, numbers: dict[str, str]) -> object:
    """`value` (text or JSON-like data) with every placeholder of `numbers` replaced."""
    if isinstance(value, str):
        return PLACEHOLDER.sub(lambda m: numbers.get(m.group(0), m.group(0)), value)
    if isinstance(value, dict):
        return {k: _replaced(v, numbers) for k, v in value.items()}
    if isinstance(value, list):
        return [_replaced(v, numbers) for v in value]
    return value


def _free_numbers(session: Session, kind: str, scope: str, year: int, count: int) -> list[str]:
    """The next `count` numbers, skipping any a record already holds: a serial row restored from an older backup
    (or edited by hand) would otherwise hand out a number in use, and the database would refuse the whole push."""
    taken = _UNIQUE.get(kind)
    free: list[str] = []
    while len(free) < count:
        first = _reserve(session, kind, scope, year, count - len(free))
        candidates = [_format(session, kind, scope, year, first + k) for k in range(count - len(free))]
        held = set() if taken is None else set(
            session.connection().execute(taken, {"numbers": candidates}).scalars())
        free += [n for n in candidates if n not in held]
    return free


def _held_numbers(column):
    column = column.expression
    return select(column).where(column.in_(bindparam("numbers", expanding=True)))


# the kinds whose numbers the database keeps unique: which of some numbers are taken (prepared once)
_UNIQUE = {"case": _held_numbers(Case.number), "referral": _held_numbers(Referral.number),
           "criminal_referral": _held_numbers(CriminalReferral.number)}


def _reserve(session: Session, kind: str, scope: str, year: int, count: int) -> int:
    """The first of `count` consecutive serials, taken in one statement that locks the row until commit."""
    serials = Serial.__table__  # Core: no ORM bookkeeping for a row nothing else in the request reads
    take = {"the_kind": kind, "the_scope": scope, "the_year": year, "count": count}
    first = session.connection().execute(_TAKE, take).scalar_one_or_none()
    if first is None:  # the first number of its year: make the row (another request may be making it too)
        dialect_insert = pg_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
        session.connection().execute(dialect_insert(serials).values(kind=kind, scope=scope, year=year, next_serial=1)
                                     .on_conflict_do_nothing())
        first = session.connection().execute(_TAKE, take).scalar_one()
    return first


def _take():
    serials = Serial.__table__
    count = bindparam("count", type_=Integer)
    return (update(serials).where(serials.c.kind == bindparam("the_kind", type_=String),
                                  serials.c.scope == bindparam("the_scope", type_=String),
                                  serials.c.year == bindparam("the_year", type_=Integer))
            .values(next_serial=serials.c.next_serial + count).returning(serials.c.next_serial - count))


_TAKE = _take()  # prepared once


def _format(session: Session, kind: str, scope: str, year: int, value: int) -> str:
    """The template and the organisation's agency code follow from the reference alone (schema.from_reference)."""
    template = from_reference(session, ("template", kind), lambda s: _template(s, kind))
    agency = from_reference(session, ("agency", scope), lambda s: organisations.agency_code(s, scope))
    return template.format(agency, year, value)


def _template(session: Session, kind: str) -> DocNumberTemplate:
    spec = reference_data(session)["doc_templates"].get(kind) or default_reference()["doc_templates"][kind]
    return DocNumberTemplate(kind=kind, pattern=spec["pattern"], serial_width=spec.get("serial_width", 0))

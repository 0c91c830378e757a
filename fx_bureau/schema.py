"""Create or upgrade the server schema (Alembic) and load the reference data (towns, organisations, categories,
document-number templates, holiday calendars, referral deadlines) from a data file."""
from __future__ import annotations

import json
import secrets
import uuid
import weakref
from importlib import resources
from pathlib import Path
from typing import Callable

from sqlalchemy import BigInteger, Engine, bindparam, inspect, select, text, update
from sqlalchemy.orm import Session

from . import organisations
from .models import Base, Counter, Meta, Reference, Town

MIGRATIONS = Path(__file__).with_name("migrations")
HEAD = "0010"


def upgrade(engine: Engine, revision: str = "head") -> None:
    from alembic import command
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, revision)


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as conn:
        if not inspect(conn).has_table("alembic_version"):
            return None
        return conn.execute(text("SELECT version_num FROM alembic_version")).scalar()


def default_reference() -> dict:
    """The reference document shipped with fx-desktop, with the official holiday calendars added."""
    data = json.loads(resources.files("fx_desktop.resources").joinpath("reference.json").read_text("utf-8"))
    holidays = json.loads(resources.files("fx_desktop.domain").joinpath("data/holidays.json").read_text("utf-8"))
    return {**data, "holidays": holidays}


def next_seq(session: Session) -> int:
    """The next server-wide change number. Outside a push the counter row stays locked until this transaction
    commits. Inside a push (defer_sequence) the numbers handed out are placeholders (-1, -2, ...) that
    assign_sequence turns into real ones at the end, so the counter is locked only for the last moments."""
    held = session.info.get(_HELD)
    if held is not None:
        held[0] += 1
        return -held[0]
    return session.execute(
        update(Counter).where(Counter.name == "seq").values(value=Counter.value + 1).returning(Counter.value)
    ).scalar_one()


_HELD = "fx_seq_held"


def defer_sequence(session: Session) -> None:
    """Hand out placeholder sequence numbers until assign_sequence. Sequence order must be commit order (a pull
    never skips a row committed later with a lower number), so the counter row stays locked from the moment the
    numbers are taken until commit; taking them last keeps every other push waiting for that lock only while
    this one renumbers and commits, not while its handlers run."""
    session.info[_HELD] = [0]


def assign_sequence(session: Session) -> None:
    """Write everything with its placeholders (taking every row lock the push needs), then take the numbers in one
    statement, which locks the counter row until commit, and give each placeholder its number in the same order.
    The holder of the counter lock never waits for another lock, so pushes cannot deadlock on it."""
    held = session.info.pop(_HELD, None)
    if not held or not held[0]:
        return
    session.flush()
    count = held[0]
    if session.get_bind().dialect.name == "postgresql":
        _renumber_in_one_statement(session, count)  # the counter lock is then held for this and the commit only
    else:  # SQLite has one writer at a time anyway
        conn = session.connection()
        base = conn.execute(_statements().take, {"count": count}).scalar_one() - count
        for renumber in _statements().renumber:
            conn.execute(renumber, {"seq_base": base})
    for obj in session.identity_map.values():
        seq = inspect(obj).dict.get("seq")
        if isinstance(seq, int) and seq < 0:
            session.expire(obj, ["seq"])


def _renumber_in_one_statement(session: Session, count: int) -> None:
    """PostgreSQL: take `count` numbers and turn placeholder -k into base + k in every sequenced table, in one
    round trip (data-modifying CTEs). The rows other pushes are writing are not visible to these updates."""
    session.connection().execute(_statements().pg_renumber, {"n": count})


class _Renumbering:
    """The statements of assign_sequence, made once (the sequenced tables are known when the first is needed)."""

    def __init__(self):
        tables = [model.__table__ for model in _sequenced()]
        counters = Counter.__table__
        self.take = (update(counters).where(counters.c.name == "seq")
                     .values(value=counters.c.value + bindparam("count", type_=BigInteger))
                     .returning(counters.c.value))
        base = bindparam("seq_base", type_=BigInteger)  # not "base": conflicts has a column of that name
        self.renumber = [update(t).where(t.c.seq < 0).values(seq=base - t.c.seq) for t in tables]
        renumber = ",\n".join(f"renumber_{t.name} AS (UPDATE {t.name} SET seq = (SELECT base FROM taken) - seq "
                              "WHERE seq < 0)" for t in tables)
        self.pg_renumber = text(f"WITH taken AS (UPDATE counters SET value = value + :n WHERE name = 'seq' "
                                f"RETURNING value - :n AS base),\n{renumber}\nSELECT base FROM taken")


_RENUMBERING: list[_Renumbering] = []


def _statements() -> _Renumbering:
    if not _RENUMBERING:
        _RENUMBERING.append(_Renumbering())
    return _RENUMBERING[0]


def _sequenced() -> list[type]:
    """Every table with a `seq` column."""
    return [mapper.class_ for mapper in Base.registry.mappers if "seq" in mapper.columns]


def reference_data(session: Session) -> dict | None:
    """The reference document, decoded once per process for each reference stamp (from_reference). Read only:
    every request shares it."""
    return from_reference(session, _REFERENCE, _read_reference)


def _read_reference(session: Session) -> dict | None:
    row = session.get(Reference, "reference")
    return row.data if row is not None else None


_REFERENCE = "fx_reference"
_STAMP = "fx_reference_stamp"
_reference, _meta = Reference.__table__, Meta.__table__
# What tells one reference apart from another: the database's epoch, the document's version and its sequence
# number (a new one with every load, which is also the only way towns and organisations change). Scalar
# subqueries, so a query every request makes anyway can carry them (accounts.principal).
STAMP_COLUMNS = (select(_meta.c.value).where(_meta.c.key == "epoch").scalar_subquery(),
                 select(_reference.c.version).where(_reference.c.key == "reference").scalar_subquery(),
                 select(_reference.c.seq).where(_reference.c.key == "reference").scalar_subquery())
_STAMP_QUERY = select(*STAMP_COLUMNS)
_DERIVED: "weakref.WeakKeyDictionary[Engine, tuple[tuple, dict]]" = weakref.WeakKeyDictionary()


def note_reference_stamp(session: Session, stamp: tuple) -> None:
    """The stamp as read by a query of this request that carried STAMP_COLUMNS."""
    session.info[_STAMP] = tuple(stamp)


def reference_stamp(session: Session) -> tuple:
    """(epoch, version, seq) of the reference this request reads, read once per session."""
    stamp = session.info.get(_STAMP)
    if stamp is None:
        stamp = session.info[_STAMP] = tuple(session.connection().execute(_STAMP_QUERY).one())  # no autoflush
    return stamp


def from_reference(session: Session, key, make: Callable[[Session], object]):
    """make(session): something that follows from the reference document, the towns or the organisations alone,
    made once per process (and database) for as long as the reference stamp stays the same, since all three
    change only when `fx-bureau init --reference` loads a newer document, which takes a new sequence number.
    What is kept is shared by every request: it must never be changed."""
    stamp = reference_stamp(session)
    engine = session.get_bind()
    held = _DERIVED.get(engine)
    if held is None or held[0] != stamp:
        held = _DERIVED[engine] = (stamp, {})
    cache = held[1]
    if key not in cache:
        cache[key] = make(session)
    return cache[key]


def forget_reference(session: Session) -> None:
    """This session is changing the reference (or towns, organisations): read them again."""
    session.info.pop(_STAMP, None)
    _DERIVED.pop(session.get_bind(), None)


def meta_value(session: Session, key: str) -> str | None:
    row = session.get(Meta, key)
    return row.value if row else None


def meta_values(session: Session, *keys: str) -> dict[str, str]:
    """Several meta rows in one query (absent ones are missing from the answer)."""
    return dict(session.execute(select(Meta.key, Meta.value).where(Meta.key.in_(keys))).all())


def initialise(session: Session, reference: dict | None = None) -> dict:
    """Idempotent: epoch and token secret made once; the reference document replaced when its version is newer.
    Returns what was done, for the command's summary."""
    done = {}
    for key, make in (("epoch", lambda: str(uuid.uuid4())), ("token_secret", lambda: secrets.token_hex(32))):
        if meta_value(session, key) is None:
            session.add(Meta(key=key, value=make()))
            done[key] = "created"
    if session.get(Counter, "seq") is None:
        session.add(Counter(name="seq", value=0))
        session.flush()
    reference = reference or default_reference()
    done["reference"] = load_reference(session, reference)
    from . import directory  # not at the top: directory imports this module

    if directory.rebuild(session):
        done["directory"] = "rebuilt"
    return done


def validate_reference(data: dict) -> None:
    from fx_desktop.domain.docnumbers import DocNumberTemplate
    from fx_desktop.domain.legal_review import ReviewRules
    from fx_desktop.domain.organisations import organisations_from_reference
    from fx_desktop.domain.referral import ReferralRules
    from fx_desktop.domain.workdays import HolidayCalendar

    missing = [k for k in ("version", "towns", "departments", "doc_templates") if k not in data]
    if missing:
        raise ValueError(f"参考数据文件缺少：{'、'.join(missing)}")
    for kind, spec in data["doc_templates"].items():
        DocNumberTemplate(kind=kind, pattern=spec["pattern"], serial_width=spec.get("serial_width", 0))
    if "holidays" in data:
        HolidayCalendar(data["holidays"])
    ReviewRules.from_reference(data)
    organisations_from_reference(data)
    ReferralRules.from_reference(data)


def load_reference(session: Session, data: dict) -> str:
    validate_reference(data)
    forget_reference(session)
    row = session.get(Reference, "reference")
    if row is not None and row.version >= int(data["version"]):
        return f"unchanged (version {row.version})"
    for t in data["towns"]:
        session.merge(Town(code=t["code"], name=t["name"], kind=t["kind"], agency_code=t["agency_code"]))
    organisations.load(session, data)
    seq = next_seq(session)
    if row is None:
        session.add(Reference(key="reference", version=int(data["version"]), data=data, seq=seq))
    else:
        row.version, row.data, row.seq = int(data["version"]), data, seq
    session.flush()  # what this session reads from the reference next (unflushed) is the new one
    forget_reference(session)
    return f"loaded version {data['version']}"

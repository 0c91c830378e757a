"""Database engines for the server: PostgreSQL (psycopg 3) for a district, SQLite for a single office or a demo."""
from __future__ import annotations

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

from fx_desktop.domain import json_text

WRITE = "fx_write"  # execution option: on SQLite, begin with BEGIN IMMEDIATE so writers queue instead of failing


def normalise_url(url: str) -> str:
    """`postgresql://...` means psycopg 3 here; a bare path means a SQLite file."""
    if "://" not in url:
        return f"sqlite:///{url}"
    parsed = make_url(url)
    if parsed.drivername in ("postgresql", "postgres"):
        parsed = parsed.set(drivername="postgresql+psycopg")
    return parsed.render_as_string(hide_password=False)


def is_sqlite(engine: Engine) -> bool:
    return engine.dialect.name == "sqlite"


def make_engine(url: str) -> Engine:
    """JSON columns are written as compact UTF-8 text (domain.json_text): pull pages carry that text verbatim."""
    url = normalise_url(url)
    if url.startswith("sqlite"):
        engine = create_engine(url, isolation_level=None, connect_args={"check_same_thread": False, "timeout": 30},
                               json_serializer=json_text.encode)

        @event.listens_for(engine, "connect")
        def _pragmas(dbapi_conn, _record):
            cur = dbapi_conn.cursor()
            cur.execute("PRAGMA busy_timeout=30000")
            cur.execute("PRAGMA journal_mode=WAL")
            cur.execute("PRAGMA foreign_keys=ON")
            cur.execute("PRAGMA synchronous=NORMAL")
            cur.close()

        @event.listens_for(engine, "begin")
        def _begin(conn):
            conn.exec_driver_sql("BEGIN IMMEDIATE" if conn.get_execution_options().get(WRITE) else "BEGIN")

        return engine
    engine = create_engine(url, pool_size=20, max_overflow=20, pool_pre_ping=True, json_serializer=json_text.encode)
    # Several rows inserted at once (a push's cases, its mutation_log rows) go as one INSERT with many VALUES, as
    # SQLAlchemy does for psycopg2, rather than psycopg's executemany, whose pipeline costs more CPU than the
    # statement for the few rows of a push.
    engine.dialect.use_insertmanyvalues_wo_returning = True
    engine.dialect.do_executemany = _few_at_a_time(engine.dialect.do_executemany)
    return engine


SMALL_BATCH = 8


def _few_at_a_time(executemany):
    """psycopg's executemany sends the rows in a pipeline, which costs more CPU than one statement per row for the
    few rows of a push (the ORM updating two or three cases of one request): those go one by one, and their row
    counts are added up, as the ORM checks them."""
    def do_executemany(cursor, statement, parameters, context=None):
        if len(parameters) > SMALL_BATCH:
            return executemany(cursor, statement, parameters, context)
        total = 0
        for params in parameters:
            cursor.execute(statement, params)
            total += cursor.rowcount
        if context is not None:
            context._rowcount = total
    return do_executemany


def make_sessions(engine: Engine) -> tuple[sessionmaker[Session], sessionmaker[Session]]:
    """(reads, writes). Reads on PostgreSQL run at REPEATABLE READ so a pull page and its cursor come from one
    snapshot; on SQLite a deferred transaction in WAL mode already reads one snapshot."""
    if is_sqlite(engine):
        reads = sessionmaker(engine, expire_on_commit=False)
        writes = sessionmaker(engine.execution_options(**{WRITE: True}), expire_on_commit=False)
    else:
        reads = sessionmaker(engine.execution_options(isolation_level="REPEATABLE READ"), expire_on_commit=False)
        writes = sessionmaker(engine, expire_on_commit=False)
    return reads, writes

"""Opening the local SQLite database: WAL, foreign keys, the search function, and clear errors when it is damaged."""
from __future__ import annotations

import sqlite3
from pathlib import Path

from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.orm import Session, sessionmaker

from .search_text import bigrams, normalize


SQLITE_HEADER = b"SQLite format 3\x00"


class DatabaseDamaged(Exception):
    """The database file cannot be read as an fx-desktop database."""

    def __init__(self, path: Path, reason: str):
        super().__init__(f"数据库文件 {path} 已损坏或无法读取：{reason}")
        self.path = path
        self.reason = reason


def configure_connection(dbapi_conn: sqlite3.Connection) -> None:
    dbapi_conn.create_function("fx_bigrams", 1, bigrams, deterministic=True)
    dbapi_conn.create_function("fx_norm", 1, normalize, deterministic=True)
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.execute("PRAGMA busy_timeout=5000")
    cur.close()


def make_engine(path: Path) -> Engine:
    engine = create_engine(f"sqlite:///{path}", future=True)

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn, _record):  # noqa: ANN001 - SQLAlchemy callback
        configure_connection(dbapi_conn)

    return engine


def make_sessions(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(engine, expire_on_commit=False)


def probe(engine: Engine, path: Path) -> None:
    """Fail fast with DatabaseDamaged when the file is not a readable SQLite database. The header is checked before
    SQLite opens the file: opening a file that is not a database read-write makes SQLite delete its -wal file, which
    may hold the last committed changes."""
    if path.exists() and path.stat().st_size > 0:
        with path.open("rb") as f:
            if f.read(len(SQLITE_HEADER)) != SQLITE_HEADER:
                raise DatabaseDamaged(path, "文件头不是 SQLite 数据库格式")
    try:
        with engine.connect() as conn:
            conn.execute(text("SELECT count(*) FROM sqlite_master")).scalar_one()
    except Exception as exc:  # sqlite3.DatabaseError wrapped by SQLAlchemy
        raise DatabaseDamaged(path, str(getattr(exc, "orig", exc))) from exc

"""Opening the local SQLite database: WAL, foreign keys, the search function, and clear errors when it is damaged."""
from __future__ import annotations

import sqlite3
from pathlib import Path

from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.orm import Session, sessionmaker

from ..domain import json_text
from .search_text import bigrams, normalize

SQLITE_HEADER = b"SQLite format 3\x00"


class StoreProblem(Exception):
    """Why the database cannot be opened: a Chinese message naming the file, and the technical reason."""

    template = "数据库文件 {path} 无法打开：{reason}"

    def __init__(self, path: Path, reason: str):
        super().__init__(self.template.format(path=path, reason=reason))
        self.path = path
        self.reason = reason


class DatabaseDamaged(StoreProblem):
    """The file cannot be read as an fx-desktop database: only this one offers a restore."""

    template = "数据库文件 {path} 已损坏或无法读取：{reason}"


class DatabaseUnavailable(StoreProblem):
    """Healthy as far as we know, but unusable now (locked, read-only, no permission)."""

    template = ("数据库文件 {path} 暂时无法使用：{reason}。请关闭其他正在使用该文件的程序，"
                "并确认对数据目录有读写权限后重试。")


class NewerSchema(StoreProblem):
    """Made by a newer version of the application; `reason` is its schema revision."""

    template = "数据库 {path} 由更高版本的 fx-desktop 创建（结构版本 {reason}），请先将本软件升级到最新版本，再打开该数据目录。"


def configure_connection(dbapi_conn: sqlite3.Connection) -> None:
    dbapi_conn.create_function("fx_bigrams", 1, bigrams, deterministic=True)
    dbapi_conn.create_function("fx_norm", 1, normalize, deterministic=True)
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA busy_timeout=5000")  # first: the next pragma may already have to wait for a lock
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.close()


WRITE = "fx_write"  # execution option of the engine behind Store.writes


def make_engine(path: Path) -> Engine:
    """Transactions are begun by SQLAlchemy, not by the sqlite3 module (which only begins before the first write,
    so checks made by SELECT would run outside the transaction): reads get BEGIN, writes BEGIN IMMEDIATE, which
    takes the write lock before the first check, so two writers never act on the same stale read."""
    engine = create_engine(f"sqlite:///{path}", future=True, json_serializer=json_text.encode)  # pushed verbatim

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn, _record):  # noqa: ANN001 - SQLAlchemy callback
        dbapi_conn.isolation_level = None
        configure_connection(dbapi_conn)

    @event.listens_for(engine, "begin")
    def _on_begin(conn):  # noqa: ANN001
        conn.exec_driver_sql("BEGIN IMMEDIATE" if conn.get_execution_options().get(WRITE) else "BEGIN")

    return engine


def make_sessions(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(engine, expire_on_commit=False)


def make_write_sessions(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(engine.execution_options(**{WRITE: True}), expire_on_commit=False)


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
    except Exception as exc:  # sqlite3 errors wrapped by SQLAlchemy
        raise classify(exc, path) from exc


def is_corruption(exc: BaseException) -> bool:
    """Damage, as opposed to a lock or a permission problem (OperationalError), which a restore must not 'fix'."""
    orig = getattr(exc, "orig", exc)
    return isinstance(orig, sqlite3.DatabaseError) and not isinstance(orig, sqlite3.OperationalError)


def classify(exc: BaseException, path: Path) -> Exception:
    reason = str(getattr(exc, "orig", exc))
    return DatabaseDamaged(path, reason) if is_corruption(exc) else DatabaseUnavailable(path, reason)

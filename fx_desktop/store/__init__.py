"""Local store: one SQLite file per data directory, opened through open_store()."""
from __future__ import annotations

import sqlite3
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Iterator

from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from ..paths import DataPaths
from . import backups, bulk_load, migrate, reference, search_index
from .blobs import BlobStore
from .db import DatabaseDamaged, DatabaseUnavailable, NewerSchema, StoreProblem, classify, is_corruption
from .db import WRITE, make_engine, make_sessions, make_write_sessions, probe

BULK_CACHE_KIB = 64 * 1024  # SQLite's default is 2 MB; at a million cases 64 MB does as well as 256 MB (measured)

__all__ = ["Store", "open_store", "StoreProblem", "DatabaseDamaged", "DatabaseUnavailable", "NewerSchema"]


@dataclass
class Store:
    paths: DataPaths
    engine: Engine
    sessions: sessionmaker[Session]  # reads
    writes: sessionmaker[Session]  # BEGIN IMMEDIATE: use for every change
    blobs: BlobStore

    def close(self) -> None:
        self.engine.dispose()

    @contextmanager
    def bulk_writes(self, cache_kib: int = BULK_CACHE_KIB) -> Iterator[sessionmaker[Session]]:
        """Write sessions (like `writes`) that all use one connection whose page cache holds up to `cache_kib`
        KiB: a bulk load (the first pull of a million cases) keeps the indexes it inserts into in memory from one
        transaction to the next instead of reading them back from the file. The cache is given back after."""
        with self.engine.connect() as conn:
            raw = conn.connection.driver_connection  # autocommit: the pragma begins no transaction
            before = raw.execute("PRAGMA cache_size").fetchone()[0]
            raw.execute(f"PRAGMA cache_size = -{int(cache_kib)}")
            try:
                yield sessionmaker(conn.execution_options(**{WRITE: True}), expire_on_commit=False)
            finally:
                raw.execute(f"PRAGMA cache_size = {int(before)}")


def open_store(paths: DataPaths, *, now: datetime | None = None,
               progress: search_index.Progress | None = None) -> Store:
    """Open (creating or upgrading) the database in `paths`. A pending upgrade first copies the file to a dated
    backup. When the search indexes must be rebuilt (an upgrade that changes them, or a bulk pull that was
    interrupted) `progress(done, total)` hears how far that is (search_index.rebuild()), on the thread that
    opens the store. Raises DatabaseDamaged when the file cannot be read as a database (it is then left untouched),
    DatabaseUnavailable when it is locked, read-only or the folder is unusable, NewerSchema when a newer version
    of the application made it."""
    try:
        paths.ensure()
    except OSError as exc:
        raise DatabaseUnavailable(paths.database, exc.strerror or str(exc)) from exc
    existed = paths.database.exists() and paths.database.stat().st_size > 0
    engine = make_engine(paths.database)
    try:
        probe(engine, paths.database)
        writes = make_write_sessions(engine)
        bulk_load.repair(writes)  # a bulk load killed before it built the case indexes again: first of all
        revision = migrate.current_revision(engine)
        if revision is not None and not migrate.is_known(revision):
            raise NewerSchema(paths.database, revision)
        if revision != migrate.HEAD:
            if existed:
                backups.backup_database(paths.database, paths.backups, label=f"before-{migrate.HEAD}", now=now)
            migrate.upgrade(engine)
        with writes.begin() as session:
            reference.load(session)
            if search_index.paused(session):  # a bulk pull was interrupted: index what it brought
                search_index.rebuild(session, progress)
    except StoreProblem:
        engine.dispose()
        raise
    except OSError as exc:  # e.g. no room for the backup made before an upgrade
        engine.dispose()
        raise DatabaseUnavailable(paths.database, exc.strerror or str(exc)) from exc
    except Exception as exc:
        engine.dispose()
        if getattr(exc, "orig", None) is not None or is_corruption(exc):
            raise classify(exc, paths.database) from exc
        raise
    return Store(paths, engine, make_sessions(engine), writes, BlobStore(paths.blobs))


def checked_backup(paths: DataPaths, *, label: str = "", now: datetime | None = None) -> Path:
    """Check the database, then copy it (off the GUI thread). A damaged database is never copied, so its copies
    cannot push the good backups out of the ones kept."""
    verdict = backups.quick_check(paths.database)
    if verdict != "ok":
        raise DatabaseDamaged(paths.database, verdict)
    return backups.backup_database(paths.database, paths.backups, label=label, now=now)


def daily_backup(paths: DataPaths, now: datetime | None = None) -> Path | None:
    """checked_backup() once a day, then the search indexes' segments merged (off the GUI thread as well)."""
    now = now or datetime.now()
    if backups.has_backup_from(paths.backups, now):
        return None
    made = checked_backup(paths, now=now)
    conn = sqlite3.connect(paths.database, timeout=5)
    try:
        search_index.merge_segments(conn)
    finally:
        conn.close()
    return made

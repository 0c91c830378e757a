"""Local store: one SQLite file per data directory, opened through open_store()."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from ..paths import DataPaths
from . import backups, migrate, reference
from .blobs import BlobStore
from .db import DatabaseDamaged, make_engine, make_sessions, probe

__all__ = ["Store", "open_store", "DatabaseDamaged"]


@dataclass
class Store:
    paths: DataPaths
    engine: Engine
    sessions: sessionmaker[Session]
    blobs: BlobStore

    def close(self) -> None:
        self.engine.dispose()


def open_store(paths: DataPaths, *, now: datetime | None = None) -> Store:
    """Open (creating or upgrading) the database in `paths`. A pending upgrade first copies the file to a dated
    backup. Raises DatabaseDamaged when the file cannot be read; the file is then left untouched."""
    paths.ensure()
    existed = paths.database.exists() and paths.database.stat().st_size > 0
    engine = make_engine(paths.database)
    try:
        probe(engine, paths.database)
        revision = migrate.current_revision(engine)
        if revision != migrate.HEAD:
            if existed:
                backups.backup_database(paths.database, paths.backups, label=f"before-{migrate.HEAD}", now=now)
            migrate.upgrade(engine)
        sessions = make_sessions(engine)
        with sessions.begin() as session:
            reference.load(session)
    except DatabaseDamaged:
        engine.dispose()
        raise
    except Exception as exc:
        engine.dispose()
        if _is_corruption(exc):
            raise DatabaseDamaged(paths.database, str(getattr(exc, "orig", exc))) from exc
        raise
    return Store(paths, engine, sessions, BlobStore(paths.blobs))


def _is_corruption(exc: Exception) -> bool:
    import sqlite3

    orig = getattr(exc, "orig", exc)
    return isinstance(orig, sqlite3.DatabaseError) and not isinstance(orig, sqlite3.OperationalError)


def daily_backup(paths: DataPaths, now: datetime | None = None) -> Path | None:
    """Once a day (run off the GUI thread): check the database and copy it; a failed check keeps old backups."""
    now = now or datetime.now()
    if backups.has_backup_from(paths.backups, now):
        return None
    verdict = backups.quick_check(paths.database)
    if verdict != "ok":
        raise DatabaseDamaged(paths.database, verdict)
    return backups.backup_database(paths.database, paths.backups, now=now)

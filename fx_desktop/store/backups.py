"""Dated copies of the database, made with SQLite's online backup API (consistent even in WAL mode)."""
from __future__ import annotations

import os
import shutil
import sqlite3
from datetime import datetime
from pathlib import Path

KEEP = 10


def backup_database(db_path: Path, backups_dir: Path, *, label: str = "", now: datetime | None = None) -> Path:
    """Copy db_path into backups_dir as fx-desktop-YYYYmmdd-HHMMSS[-label].sqlite and prune old copies."""
    backups_dir.mkdir(parents=True, exist_ok=True)
    stamp = (now or datetime.now()).strftime("%Y%m%d-%H%M%S")
    target = backups_dir / f"fx-desktop-{stamp}{'-' + label if label else ''}.sqlite"
    partial = target.with_suffix(".partial")
    try:
        src = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
        try:
            dst = sqlite3.connect(partial)
            try:
                src.backup(dst)
            finally:
                dst.close()
        finally:
            src.close()
        partial.replace(target)
    except BaseException:
        partial.unlink(missing_ok=True)  # e.g. the disk filled up: leave no half copy behind
        raise
    prune(backups_dir)
    return target


def list_backups(backups_dir: Path) -> list[Path]:
    """Newest first."""
    if not backups_dir.is_dir():
        return []
    return sorted(backups_dir.glob("fx-desktop-*.sqlite"), key=lambda p: p.name, reverse=True)


def prune(backups_dir: Path, keep: int = KEEP) -> None:
    for old in list_backups(backups_dir)[keep:]:
        old.unlink(missing_ok=True)


def has_backup_from(backups_dir: Path, day: datetime) -> bool:
    prefix = f"fx-desktop-{day:%Y%m%d}-"
    return any(p.name.startswith(prefix) for p in list_backups(backups_dir))


def quick_check(db_path: Path) -> str:
    """'ok' or SQLite's first complaint."""
    conn = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
    try:
        return conn.execute("PRAGMA quick_check(1)").fetchone()[0]
    finally:
        conn.close()


def restore_backup(db_path: Path, backup: Path, *, now: datetime | None = None) -> Path:
    """Put `backup` in place of db_path; returns where the damaged file went. The copy is made and flushed first,
    so a failure (disk full) leaves the damaged file where it was; the damaged file is renamed aside under a name
    no earlier restore used, never overwritten."""
    tmp = db_path.with_suffix(".restoring")
    try:
        shutil.copyfile(backup, tmp)
        with open(tmp, "rb+") as f:
            os.fsync(f.fileno())
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    stamp = (now or datetime.now()).strftime("%Y%m%d-%H%M%S-%f")
    aside = db_path.with_name(f"{db_path.name}.damaged-{stamp}")
    n = 1
    while aside.exists():
        aside = db_path.with_name(f"{db_path.name}.damaged-{stamp}-{n}")
        n += 1
    if db_path.exists():
        db_path.replace(aside)
    for suffix in ("-wal", "-shm"):
        side = db_path.with_name(db_path.name + suffix)
        if side.exists():
            side.replace(aside.with_name(aside.name + suffix))
    tmp.replace(db_path)
    return aside


def usable_backups(backups_dir: Path) -> list[Path]:
    """Backups that pass SQLite's quick check, newest first."""
    good = []
    for b in list_backups(backups_dir):
        try:
            if quick_check(b) == "ok":
                good.append(b)
        except sqlite3.DatabaseError:
            continue
    return good

"""What open_store() says when the data folder or database cannot be used, and that only damage offers a restore."""
from __future__ import annotations

import sqlite3

import pytest
from sqlalchemy import text

from fx_desktop.paths import DataPaths
from fx_desktop.store import DatabaseDamaged, DatabaseUnavailable, NewerSchema, open_store
from fx_desktop.store.db import classify


def test_a_lock_or_permission_problem_is_not_called_damage(tmp_path):
    path = tmp_path / "x.sqlite"
    assert isinstance(classify(sqlite3.OperationalError("database is locked"), path), DatabaseUnavailable)
    assert isinstance(classify(sqlite3.OperationalError("attempt to write a readonly database"), path),
                      DatabaseUnavailable)
    assert isinstance(classify(sqlite3.DatabaseError("database disk image is malformed"), path), DatabaseDamaged)
    assert "请关闭其他正在使用该文件的程序" in str(classify(sqlite3.OperationalError("database is locked"), path))


def test_a_data_folder_that_is_a_file_is_explained(tmp_path):
    blocker = tmp_path / "data"
    blocker.write_text("not a folder")
    with pytest.raises(DatabaseUnavailable) as exc:
        open_store(DataPaths.at(blocker))
    assert str(blocker) in str(exc.value) and "读写权限" in str(exc.value)
    assert blocker.read_text() == "not a folder"


def test_a_database_from_a_newer_version_is_refused_untouched(data_paths):
    store = open_store(data_paths)
    with store.writes.begin() as session:
        session.execute(text("UPDATE alembic_version SET version_num = '0099'"))
    store.close()
    before = data_paths.database.read_bytes()
    with pytest.raises(NewerSchema) as exc:
        open_store(data_paths)
    assert "升级" in str(exc.value) and "0099" in str(exc.value)
    assert data_paths.database.read_bytes() == before


def test_writes_take_the_lock_before_their_first_read(store):
    """BEGIN IMMEDIATE: while one write transaction is open, another connection cannot start one."""
    with store.writes.begin() as session:
        session.execute(text("SELECT count(*) FROM cases")).scalar()
        other = sqlite3.connect(store.paths.database, timeout=0.1, isolation_level=None)
        try:
            with pytest.raises(sqlite3.OperationalError, match="locked"):
                other.execute("BEGIN IMMEDIATE")
            assert other.execute("SELECT count(*) FROM cases").fetchone() == (0,)  # readers still read
        finally:
            other.close()

"""A damaged database is reported, never overwritten; backups restore it; pruning and the daily copy behave."""
import os
import random
import sqlite3
from datetime import datetime, timedelta

import pytest

from fx_desktop.services import cases
from fx_desktop.store import DatabaseDamaged, backups, daily_backup, open_store

NOW = datetime(2026, 3, 10, 9, 0)


def _random_bytes(n: int) -> bytes:
    return random.Random(1234).randbytes(n)


def _page_of(db_path, table: str) -> tuple[int, int]:
    conn = sqlite3.connect(db_path)
    try:
        page_size = conn.execute("PRAGMA page_size").fetchone()[0]
        root = conn.execute("SELECT rootpage FROM sqlite_master WHERE name = ?", (table,)).fetchone()[0]
        return page_size, root
    finally:
        conn.close()


def _smash_table(db_path, table: str) -> None:
    """Overwrite the root page of `table` with garbage, as a failing disk might."""
    page_size, root = _page_of(db_path, table)
    with open(db_path, "r+b") as f:
        f.seek((root - 1) * page_size)
        f.write(_random_bytes(page_size))


@pytest.fixture
def filled(store, profile, make_draft):
    """A store with one case, closed (checkpointed) so the file on disk is complete."""
    rec = cases.create_case(store, profile, make_draft(), now=NOW)
    store.close()
    return rec


def test_random_bytes_are_reported_and_left_untouched(data_paths):
    data_paths.ensure()
    junk = _random_bytes(64 * 1024)
    data_paths.database.write_bytes(junk)
    wal = data_paths.database.with_name(data_paths.database.name + "-wal")
    wal.write_bytes(b"last changes, perhaps")  # sidecars are part of the evidence too
    with pytest.raises(DatabaseDamaged) as exc:
        open_store(data_paths)
    assert exc.value.path == data_paths.database
    assert str(data_paths.database) in str(exc.value) and "已损坏" in str(exc.value)
    assert data_paths.database.read_bytes() == junk
    assert wal.read_bytes() == b"last changes, perhaps"
    assert backups.list_backups(data_paths.backups) == []


@pytest.mark.parametrize("content", [b"hello", b"SQLite format 2\x00" + bytes(4080)])
def test_short_or_foreign_files_are_reported(data_paths, content):
    data_paths.ensure()
    data_paths.database.write_bytes(content)
    with pytest.raises(DatabaseDamaged):
        open_store(data_paths)
    assert data_paths.database.read_bytes() == content


def test_damaged_page_read_at_start_is_reported(data_paths, filled):
    _smash_table(data_paths.database, "meta")  # read by open_store when loading reference data
    damaged = data_paths.database.read_bytes()
    with pytest.raises(DatabaseDamaged) as exc:
        open_store(data_paths)
    assert exc.value.path == data_paths.database
    assert data_paths.database.read_bytes() == damaged


def test_restore_backup_puts_copy_in_place_and_keeps_damaged_file(data_paths, filled):
    backup = backups.backup_database(data_paths.database, data_paths.backups, now=NOW)
    data_paths.database.write_bytes(_random_bytes(8192))
    damaged = data_paths.database.read_bytes()
    # a stale WAL from the damaged file must not be replayed onto the restored copy
    wal = data_paths.database.with_name(data_paths.database.name + "-wal")
    wal.write_bytes(b"stale wal")
    with pytest.raises(DatabaseDamaged):
        open_store(data_paths)

    aside = backups.restore_backup(data_paths.database, backup, now=datetime(2026, 3, 11, 8, 30))
    assert aside.name == "fx-desktop.sqlite.damaged-20260311-083000-000000"
    assert aside.read_bytes() == damaged
    assert aside.with_name(aside.name + "-wal").read_bytes() == b"stale wal"
    assert not wal.exists()
    assert data_paths.database.read_bytes() == backup.read_bytes()
    assert backup.exists()

    store = open_store(data_paths)
    try:
        assert cases.get_case(store, filled.id).number == filled.number
    finally:
        store.close()


def test_backup_is_consistent_with_uncheckpointed_wal(store, profile, make_draft):
    """Rows still only in the WAL are in the backup (the online backup API, not a file copy)."""
    rec = cases.create_case(store, profile, make_draft(), now=NOW)
    backup = backups.backup_database(store.paths.database, store.paths.backups, now=NOW)
    conn = sqlite3.connect(backup)
    try:
        assert conn.execute("SELECT number FROM cases").fetchall() == [(rec.number,)]
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    finally:
        conn.close()


def test_pruning_keeps_the_ten_newest(data_paths, filled):
    made = [backups.backup_database(data_paths.database, data_paths.backups, now=NOW + timedelta(hours=i))
            for i in range(13)]
    kept = backups.list_backups(data_paths.backups)
    assert len(kept) == backups.KEEP == 10
    assert kept == list(reversed(made[3:]))
    assert not any(p.suffix == ".partial" for p in data_paths.backups.iterdir())
    labelled = backups.backup_database(data_paths.database, data_paths.backups, label="before-0002",
                                       now=NOW + timedelta(days=1))
    assert labelled.name == "fx-desktop-20260311-090000-before-0002.sqlite"
    assert backups.list_backups(data_paths.backups)[0] == labelled
    assert len(backups.list_backups(data_paths.backups)) == 10


def test_daily_backup_once_per_day(data_paths, filled):
    first = daily_backup(data_paths, now=datetime(2026, 3, 10, 8, 0))
    assert first is not None and first.name == "fx-desktop-20260310-080000.sqlite"
    assert daily_backup(data_paths, now=datetime(2026, 3, 10, 17, 59)) is None
    assert daily_backup(data_paths, now=datetime(2026, 3, 10, 23, 59, 59)) is None
    second = daily_backup(data_paths, now=datetime(2026, 3, 11, 0, 0, 1))
    assert second is not None and second.name == "fx-desktop-20260311-000001.sqlite"
    assert backups.list_backups(data_paths.backups) == [second, first]


def test_daily_backup_of_damaged_database_keeps_old_backups(data_paths, filled):
    old = daily_backup(data_paths, now=datetime(2026, 3, 9, 8, 0))
    _smash_table(data_paths.database, "cases")
    with pytest.raises(DatabaseDamaged):
        daily_backup(data_paths, now=datetime(2026, 3, 10, 8, 0))
    assert backups.list_backups(data_paths.backups) == [old]
    assert backups.quick_check(old) == "ok"


def test_quick_check(data_paths, filled):
    assert backups.quick_check(data_paths.database) == "ok"
    _smash_table(data_paths.database, "cases")
    assert backups.quick_check(data_paths.database) != "ok"


def test_paths_are_created_on_open_and_nothing_at_import(tmp_path):
    from fx_desktop.paths import DataPaths

    paths = DataPaths.at(tmp_path / "nested" / "data")
    assert not paths.root.exists()
    store = open_store(paths)
    store.close()
    assert paths.database.is_file() and paths.blobs.is_dir() and paths.backups.is_dir()
    assert paths.root == (tmp_path / "nested" / "data").resolve()
    assert os.path.isabs(DataPaths.at("~/x").root)


def test_a_second_restore_at_the_same_moment_keeps_both_damaged_files(data_paths, filled):
    backup = backups.backup_database(data_paths.database, data_paths.backups, now=NOW)
    moment = datetime(2026, 3, 11, 8, 30)
    data_paths.database.write_bytes(b"first damage" * 100)
    first = backups.restore_backup(data_paths.database, backup, now=moment)
    data_paths.database.write_bytes(b"second damage" * 100)
    second = backups.restore_backup(data_paths.database, backup, now=moment)
    assert first != second
    assert first.read_bytes() == b"first damage" * 100 and second.read_bytes() == b"second damage" * 100


def test_a_failed_restore_leaves_the_damaged_file_in_place(data_paths, filled, monkeypatch):
    import errno
    import shutil

    backup = backups.backup_database(data_paths.database, data_paths.backups, now=NOW)
    data_paths.database.write_bytes(b"damaged" * 100)

    def full(src, dst, *a, **k):  # a real full disk cannot be made here; the copy fails as it would then
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(shutil, "copyfile", full)
    with pytest.raises(OSError):
        backups.restore_backup(data_paths.database, backup)
    assert data_paths.database.read_bytes() == b"damaged" * 100
    assert not data_paths.database.with_suffix(".restoring").exists()


def test_usable_backups_skip_damaged_copies(data_paths, filled):
    good = backups.backup_database(data_paths.database, data_paths.backups, now=NOW)
    bad = data_paths.backups / "fx-desktop-20991231-000000.sqlite"
    bad.write_bytes(_random_bytes(4096))
    assert backups.list_backups(data_paths.backups)[0] == bad
    assert backups.usable_backups(data_paths.backups) == [good]

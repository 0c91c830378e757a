"""Demo data loaded without the case table's secondary indexes (store/bulk_load.py): they are dropped for the load
and built again from the DDL recorded in meta, identical, also when the load fails; a process killed in between
leaves a store that open_store() repairs before anything uses it."""
from __future__ import annotations

import logging
import sqlite3
from contextlib import closing

import pytest

from fx_desktop.services.demo import generate
from fx_desktop.store import bulk_load, open_store
from fx_desktop.store.case_queries import CaseFilter, CaseQueries
from tests.support.children import Lines, python, sigkill
from tests.support.store_schema import case_indexes, cases_digest, marker, status_filter_plan, uses_status_index

UNIQUE = ["sqlite_autoindex_cases_1", "sqlite_autoindex_cases_2"]  # UNIQUE (id), UNIQUE (number)


def _names_during(store, count: int, **kw) -> list[list[str]]:
    """Generate `count` demo cases; the names of the case indexes seen after each committed batch."""
    seen = []
    generate(store, count, progress=lambda *_: seen.append([n for n, _ in case_indexes(store.paths.database)]),
             **kw)
    return seen


def test_demo_data_builds_the_case_indexes_again_exactly_as_they_were(store):
    before = case_indexes(store.paths.database)
    assert [n for n, _ in before if n in UNIQUE] == UNIQUE and len(before) >= len(UNIQUE) + 5
    seen = _names_during(store, 4500)  # three batches
    assert seen[0] == UNIQUE  # during the load: only the unique ones
    assert case_indexes(store.paths.database) == before
    assert marker(store.paths.database) is None
    assert uses_status_index(status_filter_plan(store))


def test_a_store_that_holds_cases_keeps_its_indexes_for_a_small_load(store):
    generate(store, 3000, seed=1)
    before = case_indexes(store.paths.database)
    seen = _names_during(store, 2500, seed=2)
    assert seen and all(names == [n for n, _ in before] for names in seen)
    with store.sessions() as session:
        cur = session.connection().connection.cursor()
        assert not bulk_load.worth_it(cur, None) and not bulk_load.worth_it(cur, bulk_load.MIN_ROWS - 1)
        assert bulk_load.worth_it(cur, bulk_load.MIN_ROWS)  # at least as many as it holds (5,500)


def test_a_failed_load_builds_the_indexes_again_and_keeps_the_primary_key_and_unique_ones(store):
    before = case_indexes(store.paths.database)
    with pytest.raises(RuntimeError, match="断网"):
        with bulk_load.loading(store.writes) as dropped:
            assert dropped and marker(store.paths.database)
            with closing(sqlite3.connect(store.paths.database)) as conn:
                kept = [(row[1], row[2], row[3]) for row in conn.execute("PRAGMA index_list(cases)")]
            assert sorted(kept) == [(name, 1, "u") for name in UNIQUE]
            raise RuntimeError("断网")
    assert case_indexes(store.paths.database) == before and marker(store.paths.database) is None


@pytest.mark.parametrize("point", ["dropped", "loaded"])
def test_demo_data_killed_without_its_indexes_is_repaired_by_the_next_open_store(data_paths, point, caplog):
    """The child stops where bulk_load says (after the indexes were dropped, or after every case is in and before
    they are built again) and is killed there: the next open_store builds them again, first of all, from the
    record, and the cases are exactly those the child committed."""
    open_store(data_paths).close()
    before = case_indexes(data_paths.database)
    child = python("-m", "fx_desktop", "demo-data", "--data-dir", str(data_paths.root), "--cases", "2500",
                   stdin=True, env={bulk_load.HOLD: point})
    Lines(child.stdout).until(f"{bulk_load.HOLD} {point}")
    assert sigkill(child)
    assert [n for n, _ in case_indexes(data_paths.database)] == UNIQUE and marker(data_paths.database)
    committed = cases_digest(data_paths.database)
    assert committed[0] == (2500 if point == "loaded" else 0)

    with caplog.at_level(logging.WARNING, logger=bulk_load.__name__):
        store = open_store(data_paths)
    try:
        assert "正在重建案件表的索引" in caplog.text
        assert case_indexes(data_paths.database) == before and marker(data_paths.database) is None
        assert cases_digest(data_paths.database) == committed
        with store.sessions() as session:
            assert session.connection().exec_driver_sql("PRAGMA integrity_check").scalar() == "ok"
        assert uses_status_index(status_filter_plan(store))
        if point == "loaded":
            queries = CaseQueries(store.engine)
            _query, total = queries.prepare(CaseFilter(text="奉贤区"))
            queries.close()
            assert total == 2500  # the paused search index was built too
    finally:
        store.close()

"""A first pull into an empty store against a real fx-bureau loads the cases without the case table's secondary
indexes (store/bulk_load.py) and builds them again, identical, at its end; killed before that, the next start
builds them from the record, with every pulled case intact and the digest the server's."""
from __future__ import annotations

import pytest

from fx_desktop.services import cases
from fx_desktop.store import bulk_load
from tests.conftest import case_draft
from tests.support.bureau import PASSWORD
from tests.support.children import Lines, python, sigkill
from tests.support.store_schema import case_indexes, cases_digest, marker, status_filter_plan, uses_status_index

UNIQUE = ["sqlite_autoindex_cases_1", "sqlite_autoindex_cases_2"]
CASES = 24


@pytest.fixture(scope="module")
def server(bureau):
    """The bureau with CASES cases of two towns on it."""
    from tests.sync.conftest import Device

    for username in ("zhang", "wang"):
        writer = Device(bureau.root / f"writer-{username}", bureau.url, username)
        try:
            for i in range(CASES // 2):
                cases.create_case(writer.store, writer.profile, case_draft(party_name=f"批量{username}{i}号"))
            assert writer.sync().ok
        finally:
            writer.close()
    return bureau


def test_a_first_pull_builds_the_case_indexes_again_exactly_as_they_were(server, device):
    reader = device(server, "diao", "bulk-reader")
    database = reader.paths.database
    before = case_indexes(database)
    during = []

    def progress(_phase, done, _total):
        during.append((done, [n for n, _ in case_indexes(database)], marker(database) is not None))

    report = reader.engine(pull_page=5).run(progress)
    assert report.ok and report.digest_ok is True and report.pulled >= CASES
    assert len(during) > 2 and all(names == UNIQUE and marked for _done, names, marked in during)
    assert case_indexes(database) == before and marker(database) is None
    assert uses_status_index(status_filter_plan(reader.store))

    writer = device(server, "zhang", "bulk-writer")  # the next pulls keep the indexes
    cases.create_case(writer.store, writer.profile, case_draft(party_name="批量之后"))
    assert writer.sync().ok
    during.clear()
    report = reader.engine(pull_page=5).run(progress)
    assert report.ok and report.pulled == 1 and during
    assert all(names == [n for n, _ in before] for _done, names, _marked in during)


def test_a_first_pull_killed_before_it_built_the_indexes_again_is_repaired_at_the_next_start(server, device):
    killed = device(server, "diao", "bulk-killed")
    database = killed.paths.database
    before = case_indexes(database)
    killed.store.close()
    child = python("-m", "fx_desktop", "sync", "--data-dir", str(killed.paths.root), "--password-stdin",
                   stdin=True, env={bulk_load.HOLD: "loaded"})
    child.stdin.write(PASSWORD + "\n")
    child.stdin.flush()
    Lines(child.stdout).until(f"{bulk_load.HOLD} loaded")  # every page is in, the indexes not built yet
    assert sigkill(child)
    assert [n for n, _ in case_indexes(database)] == UNIQUE and marker(database)
    pulled = cases_digest(database)
    assert pulled[0] == server.sql("SELECT count(*) FROM cases")[0][0]

    killed.reopen()
    assert case_indexes(database) == before and marker(database) is None
    assert cases_digest(database) == pulled
    assert uses_status_index(status_filter_plan(killed.store))
    report = killed.sync()
    assert report.ok and report.pulled == 0 and report.digest_ok is True

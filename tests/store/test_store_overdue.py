"""The register's overdue filter (逾期) read through the partial index of open cases (migration 0011) lists exactly
what the query it replaced listed, in the same order, page by page: for every day over eight months (deadlines
moved past weekends and holidays by the official calendar, the last day itself still in time), alone and with the
filter bar's other filters, newest or oldest first."""
from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from sqlalchemy import text

from fx_desktop.services import cases
from fx_desktop.services.demo import generate
from fx_desktop.store import migrate, open_store
from fx_desktop.store.case_queries import (
    OPEN_BEFORE_DECISION,
    OPEN_STATUS_SQL,
    OVERDUE_INDEX,
    CaseFilter,
    CaseQueries,
)

PAGE = 60  # the register's page size


def old_overdue(conn, day: date, *, extra: str = "", params: dict | None = None, descending: bool = True) -> list:
    """The overdue list as the register read it before migration 0011 (statuses as bound parameters, SQLite's
    own plan), in its order: opening date, then row id."""
    names = ", ".join(f":st{i}" for i in range(len(OPEN_BEFORE_DECISION)))
    order = "DESC" if descending else "ASC"
    sql = (f"SELECT c.id FROM cases c WHERE c.decision_due < :today AND c.status IN ({names}){extra} "
           f"ORDER BY c.opened_on {order}, c.row_id {order}")
    bound = {"today": day.isoformat(), **{f"st{i}": s for i, s in enumerate(OPEN_BEFORE_DECISION)}, **(params or {})}
    return [r[0] for r in conn.execute(text(sql), bound)]


def listed(queries: CaseQueries, flt: CaseFilter, *, descending: bool = True) -> tuple[list, int]:
    """Every page of the list, as the register fetches them, and its count."""
    query = queries.plan(flt, descending=descending)
    ids, offset = [], 0
    while True:
        page = queries.page(query, offset=offset, limit=PAGE)
        ids += [row[0] for row in page]
        if len(page) < PAGE:
            return ids, queries.count(query)
        offset += PAGE


@pytest.fixture
def varied(store, profile, make_draft):
    """2,500 demo cases opened over two years up to 2026-07-31 (every status, deadlines from the official
    calendar), cases filed by the services so their 90th day falls on the Qingming, Labour Day and Dragon Boat
    holidays, and open cases without a deadline."""
    generate(store, 2500, seed=11, as_of=date(2026, 7, 31))
    for filed in (datetime(2026, 1, 5, 9), datetime(2026, 1, 31, 9), datetime(2026, 3, 21, 9),
                  datetime(2026, 1, 4, 9)):  # due 4-7 (Qingming), 5-6 (Labour Day), 6-22 (Dragon Boat), 4-7
        made = cases.create_case(store, profile, make_draft(), now=filed - timedelta(days=1))
        cases.change_status(store, profile, made.id, "file", expected_status=made.status, now=filed)
    with store.engine.begin() as conn:
        conn.execute(text("UPDATE cases SET decision_due = NULL WHERE row_id % 97 = 0"))
        assert conn.execute(text(f"SELECT count(*) FROM cases WHERE decision_due IS NULL AND status IN "
                                 f"{tuple(OPEN_BEFORE_DECISION)}")).scalar() > 0
    return store


def test_the_overdue_list_is_the_old_one_every_day(varied):
    queries = CaseQueries(varied.engine)
    try:
        with varied.engine.connect() as conn:
            dues = {r[0] for r in conn.execute(text("SELECT DISTINCT decision_due FROM cases"))}
            assert {"2026-04-07", "2026-05-06", "2026-06-22"} <= dues  # moved past the holidays
            day, seen = date(2025, 12, 1), set()
            while day <= date(2026, 7, 31):
                expected = old_overdue(conn, day)
                ids, count = listed(queries, CaseFilter(overdue_on=day))
                assert (ids, count) == (expected, len(expected)), day
                seen.add(len(expected))
                day += timedelta(days=1)
            assert len(seen) > 100 and max(seen) > 5 * PAGE  # the set grows day by day, over many pages
    finally:
        queries.close()


@pytest.mark.parametrize("descending", [True, False])
def test_the_overdue_list_with_other_filters_is_the_old_one(varied, descending):
    day = date(2026, 4, 8)
    combos = [
        (CaseFilter(overdue_on=day, town_code="nanqiao"), " AND c.town_code = :t", {"t": "nanqiao"}),
        (CaseFilter(overdue_on=day, owner_towns=("fengcheng", "nanqiao")),
         " AND c.town_code IN (:t, :u)", {"t": "fengcheng", "u": "nanqiao"}),
        (CaseFilter(overdue_on=day, status="investigating"), " AND c.status = :s", {"s": "investigating"}),
        (CaseFilter(overdue_on=day, status="closed"), " AND c.status = :s", {"s": "closed"}),
        (CaseFilter(overdue_on=day, category="违法建筑"), " AND c.category = :k", {"k": "违法建筑"}),
        (CaseFilter(overdue_on=day, opened_from=date(2025, 9, 1), opened_to=date(2025, 12, 31)),
         " AND c.opened_on >= :a AND c.opened_on <= :b", {"a": "2025-09-01", "b": "2025-12-31"}),
        (CaseFilter(overdue_on=day), "", {}),
    ]
    queries = CaseQueries(varied.engine)
    try:
        with varied.engine.connect() as conn:
            for flt, extra, params in combos:
                expected = old_overdue(conn, day, extra=extra, params=params, descending=descending)
                assert listed(queries, flt, descending=descending) == (expected, len(expected)), flt
                assert expected or flt.status == "closed", flt  # each combination lists some cases
    finally:
        queries.close()


def test_the_first_page_walks_the_index_in_order_and_stops(varied):
    queries = CaseQueries(varied.engine)
    try:
        for flt in (CaseFilter(overdue_on=date(2026, 4, 8)),
                    CaseFilter(overdue_on=date(2026, 4, 8), owner_towns=("nanqiao",))):
            sql, params = queries.page_sql(queries.plan(flt))
            plan = " / ".join(r[3] for r in queries._all(f"EXPLAIN QUERY PLAN {sql}",
                                                         {**params, "limit": PAGE, "offset": 0}))
            assert OVERDUE_INDEX in plan and "TEMP B-TREE" not in plan, plan
        searched = queries.plan(CaseFilter(overdue_on=date(2026, 4, 8), text="违建"))
        assert OVERDUE_INDEX not in queries.page_sql(searched)[0]  # a search walks the search index instead
    finally:
        queries.close()


def test_upgrade_from_0010_indexes_the_cases_already_there(data_paths, make_draft):
    store = open_store(data_paths)
    try:
        generate(store, 400, seed=5, as_of=date(2026, 7, 31))
        with store.engine.begin() as conn:
            conn.execute(text(f"DROP INDEX {OVERDUE_INDEX}"))
            conn.execute(text("UPDATE alembic_version SET version_num = '0010'"))
            before = conn.execute(text("SELECT * FROM cases ORDER BY row_id")).all()
    finally:
        store.close()
    store = open_store(data_paths)  # upgrades to 0011
    try:
        assert migrate.current_revision(store.engine) == migrate.HEAD == "0011"
        with store.engine.connect() as conn:
            assert conn.execute(text("SELECT * FROM cases ORDER BY row_id")).all() == before
            made = conn.execute(text("SELECT sql FROM sqlite_master WHERE name = :n"), {"n": OVERDUE_INDEX}).scalar()
            assert made.endswith(f"WHERE {OPEN_STATUS_SQL.removeprefix('c.')}")  # the query's condition, verbatim
            expected = old_overdue(conn, date(2026, 7, 31))
        queries = CaseQueries(store.engine)
        try:
            assert listed(queries, CaseFilter(overdue_on=date(2026, 7, 31))) == (expected, len(expected))
            assert len(expected) > PAGE
        finally:
            queries.close()
    finally:
        store.close()

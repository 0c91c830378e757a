"""Read side of the case register: filtering, sorting and paging done in SQL, rows returned as plain tuples."""
from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date

from sqlalchemy import Engine

from ..domain.lifecycle import CaseStatus
from .outbox import REFUSED_CREATION
from .search_index import row_id_of
from .search_text import SearchMatch, match_for

OPEN_BEFORE_DECISION = tuple(
    str(s) for s in (CaseStatus.FILED, CaseStatus.INVESTIGATING, CaseStatus.INVESTIGATION_CLOSED,
                     CaseStatus.NOTIFIED, CaseStatus.LEGAL_REVIEW, CaseStatus.COLLECTIVE_DISCUSSION)
)
# The overdue filter's status test as the partial index of those cases states it (store migration 0011), the
# statuses written out: SQLite uses a partial index only for a query that repeats its condition term for term.
OPEN_STATUS_SQL = "c.status IN ({})".format(", ".join(f"'{s}'" for s in OPEN_BEFORE_DECISION))
# (opened_on, row_id, decision_due, status, town_code, category) of the cases OPEN_STATUS_SQL selects
OVERDUE_INDEX = "ix_cases_overdue"

# (key, SQL expression) in display order; the view supplies headers.
COLUMNS: tuple[tuple[str, str], ...] = (
    ("number", "c.number"),
    ("status", "c.status"),
    ("town_code", "c.town_code"),
    ("cause", "c.cause"),
    ("category", "c.category"),
    ("party_name", "c.party_name"),
    ("party_id_number", "c.party_id_number"),
    ("place", "c.place"),
    ("opened_on", "c.opened_on"),
    ("decision_due", "c.decision_due"),
)
SORTABLE = {key for key, _ in COLUMNS}
# Read with every row after COLUMNS but not shown: the party kind decides whether the ID number is masked; the
# server's reason when it refused to register the case (None: not refused), which the list marks.
EXTRA: tuple[tuple[str, str], ...] = (("party_kind", "c.party_kind"), ("refused", f"({REFUSED_CREATION})"))


@dataclass(frozen=True)
class CaseFilter:
    text: str = ""
    status: str | None = None
    town_code: str | None = None
    category: str | None = None
    opened_from: date | None = None
    opened_to: date | None = None
    overdue_on: date | None = None  # when set: only cases past their decision deadline on that day
    # Whose cases the user may list (services.cases.register_towns): None every case here, () none at all.
    owner_towns: tuple[str, ...] | None = None

    @property
    def match(self) -> SearchMatch | None:
        return match_for(self.text) if self.text.strip() else None

    @property
    def text_only(self) -> bool:
        return self.owner_towns is None and not any((self.status, self.town_code, self.category, self.opened_from,
                                                     self.opened_to, self.overdue_on))

    def where(self, *, dense: bool = False, hit_ids: tuple[int, ...] | None = None,
              joined: bool = False) -> tuple[str, dict]:
        """SQL WHERE clause and parameters. `hit_ids`: the text matches already fetched from the index (few).
        `dense`: the text matches many cases, so let SQLite walk the sort index and test membership (the unary +
        keeps it from looking each hit up by row id and sorting them all). `joined`: the index table is joined
        (CaseQueries walks it in key order), so the text is matched on it directly."""
        clauses, params = [], {}
        if hit_ids is not None:
            clauses.append("c.row_id IN (SELECT value FROM json_each(:hit_ids))")
            params["hit_ids"] = json.dumps(hit_ids)
        elif self.match:
            table = self.match.table
            if joined:
                clauses.append(f"{table} MATCH :match")
            else:
                plus = "+" if dense else ""
                clauses.append(f"{plus}c.row_id IN (SELECT {row_id_of('rowid')} FROM {table} "
                               f"WHERE {table} MATCH :match)")
            params["match"] = self.match.expr
        if self.owner_towns is not None:
            names = ", ".join(f":own{i}" for i in range(len(self.owner_towns)))
            clauses.append(f"c.town_code IN ({names})" if names else "0")
            params.update({f"own{i}": code for i, code in enumerate(self.owner_towns)})
        for key, col in (("status", "c.status"), ("town_code", "c.town_code"), ("category", "c.category")):
            if getattr(self, key):
                clauses.append(f"{col} = :{key}")
                params[key] = getattr(self, key)
        if self.opened_from:
            clauses.append("c.opened_on >= :opened_from")
            params["opened_from"] = self.opened_from.isoformat()
        if self.opened_to:
            clauses.append("c.opened_on <= :opened_to")
            params["opened_to"] = self.opened_to.isoformat()
        if self.overdue_on:
            clauses.append(f"c.decision_due < :today AND {OPEN_STATUS_SQL}")
            params["today"] = self.overdue_on.isoformat()
        return (" WHERE " + " AND ".join(clauses)) if clauses else "", params


DENSE_HITS = 500  # above this, walking the sort index beats sorting the hits (measured at 100,000 cases)


@dataclass(frozen=True)
class ListQuery:
    """A filter with its sort order and the plan chosen for it; made by CaseQueries.plan()."""

    filter: CaseFilter
    sort: str = "opened_on"
    descending: bool = True
    dense: bool = False
    hit_ids: tuple[int, ...] | None = None
    in_key_order: bool = False  # a text search sorted by opening date: the index hands out matches in that order
    total: int | None = None  # known without counting: the few matches read while planning

    def joins_index(self) -> str | None:
        """The search index table walked in key order, if this plan does."""
        return self.filter.match.table if self.in_key_order else None

    @property
    def walks_overdue(self) -> bool:
        """The overdue filter in date order, without a text search: the cases are read from OVERDUE_INDEX newest
        first, each tested in the index (deadline, status, town, category), until the page is full; a count reads
        the index alone. Left to itself, SQLite (which keeps no statistics here) takes every case of the six
        statuses through ix_cases_status, reads each row and sorts them all: ~230 ms at 1,000,000 cases."""
        return bool(self.filter.overdue_on) and self.sort == "opened_on" and not self.filter.match


LIST_CACHE_KIB = 8192  # SQLite's page cache for the list's connection (its default is 2,000 KiB)


class CaseQueries:
    """Runs on one plain DB-API connection of the engine (configured like every other: search function, WAL):
    the list is read on every keystroke, and SQLAlchemy's statement layer would add a fifth to each query.
    The connection keeps LIST_CACHE_KIB of pages: at 1,000,000 cases a search read ~90 pages of the index and the
    register from the file (a system call each) with the default cache, none once the index's upper pages and the
    recent cases are held. Use it from one thread."""

    def __init__(self, engine: Engine):
        self._conn = engine.raw_connection()
        cur = self._conn.cursor()
        try:
            cur.execute(f"PRAGMA cache_size = -{LIST_CACHE_KIB}")
        finally:
            cur.close()

    def close(self) -> None:
        self._conn.close()

    def interrupt(self) -> None:
        """Stop the statement running on this connection (from any thread): it raises OperationalError."""
        self._conn.driver_connection.interrupt()

    def _all(self, sql: str, params: dict) -> list[tuple]:
        cur = self._conn.cursor()
        try:
            return cur.execute(sql, params).fetchall()
        finally:
            cur.close()

    def plan(self, flt: CaseFilter, *, sort: str = "opened_on", descending: bool = True) -> ListQuery:
        """Choose how to page a text search's matches, counting nothing. Sorted by opening date (the default), the
        matches are read from the index in its key order, a page at a time. Sorted by another column, up to
        DENSE_HITS + 1 matches are read first: few are kept and paged by row id (the count is then known); with
        many, SQLite tests each case against them while it walks the sort index."""
        if sort not in SORTABLE:
            raise ValueError(f"cannot sort by {sort!r}")
        match = flt.match
        if not match:
            return ListQuery(flt, sort, descending)
        if sort == "opened_on":
            return ListQuery(flt, sort, descending, in_key_order=True)
        table = match.table
        found = [r[0] for r in self._all(f"SELECT {row_id_of('rowid')} FROM {table} WHERE {table} MATCH :m LIMIT :n",
                                         {"m": match.expr, "n": DENSE_HITS + 1})]
        if len(found) <= DENSE_HITS:
            return ListQuery(flt, sort, descending, hit_ids=tuple(found), total=len(found) if flt.text_only else None)
        return ListQuery(flt, sort, descending, dense=True)

    def count(self, query: ListQuery) -> int:
        """How many cases the query lists (for a text search alone, counted on the index without touching cases)."""
        if query.total is not None:
            return query.total
        match = query.filter.match
        if match and query.filter.text_only:
            table = match.table
            return self._all(f"SELECT count(*) FROM {table} WHERE {table} MATCH :m", {"m": match.expr})[0][0]
        source, where, params = self._source(query)
        return self._all(f"SELECT count(*) FROM {source}{where}", params)[0][0]

    def prepare(self, flt: CaseFilter, *, sort: str = "opened_on", descending: bool = True) -> tuple[ListQuery, int]:
        """plan() and count() together."""
        query = self.plan(flt, sort=sort, descending=descending)
        return query, self.count(query)

    def page(self, query: ListQuery, *, offset: int = 0, limit: int = 100) -> list[tuple]:
        """Rows of (id, *COLUMNS values, *EXTRA values). Ties are broken by row_id so paging is stable (the index
        key orders by opening date, then row_id)."""
        sql, params = self.page_sql(query)
        return self._all(sql, {**params, "limit": limit, "offset": offset})

    def page_sql(self, query: ListQuery) -> tuple[str, dict]:
        source, where, params = self._source(query)
        table = query.joins_index()
        if table:  # the key ascends from the newest case
            by = f"{table}.rowid {'ASC' if query.descending else 'DESC'}"
        else:
            order = "DESC" if query.descending else "ASC"
            by = f"c.{query.sort} {order}, c.row_id {order}"
        cols = ", ".join(expr for _, expr in COLUMNS + EXTRA)
        return f"SELECT c.id, {cols} FROM {source}{where} ORDER BY {by} LIMIT :limit OFFSET :offset", params

    @staticmethod
    def _source(query: ListQuery) -> tuple[str, str, dict]:
        table = query.joins_index()
        where, params = query.filter.where(dense=query.dense, hit_ids=query.hit_ids, joined=bool(table))
        if table:
            source = f"{table} JOIN cases c ON c.row_id = {row_id_of(table + '.rowid')}"
        else:
            source = f"cases c INDEXED BY {OVERDUE_INDEX}" if query.walks_overdue else "cases c"
        return source, where, params

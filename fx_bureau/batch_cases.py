"""The cases a push names, read and locked in one query before its handlers run, instead of one query per
mutation (each of which also flushed the changes of the mutations before it: the ORM autoflushes before a query).

The handlers look a case up here first (fx_bureau.mutations) and keep it current: a case created or deleted by an
earlier mutation of the same push is found, or found gone, as a query would have found it. Only the fast path of a
push uses it (no savepoints: a mutation that fails writes nothing, or the request is redone with savepoints, where
a rolled-back mutation could leave this out of date; that path queries as before)."""
from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session

from .models import Case, Tombstone

_KEY = "fx_batch_cases"


class BatchCases:
    def __init__(self, ids: Iterable[str], cases: Iterable[Case], tombstones: Iterable):
        """`tombstones`: Tombstone objects or rows with their columns (read only)."""
        self._ids = set(ids)
        self._cases: dict[str, Case] = {c.id: c for c in cases}
        self._tombstones: dict[str, Tombstone] = {t.id: t for t in tombstones}

    def covers(self, case_id: str) -> bool:
        """Whether this push's read answered for `case_id` (the handlers query the others themselves)."""
        return case_id in self._ids

    def case(self, case_id: str) -> Case | None:
        return self._cases.get(case_id)

    def tombstone(self, case_id: str) -> Tombstone | None:
        return self._tombstones.get(case_id)

    def created(self, case: Case) -> None:
        self._ids.add(case.id)
        self._cases[case.id] = case

    def deleted(self, tombstone: Tombstone) -> None:
        self._ids.add(tombstone.id)
        self._cases.pop(tombstone.id, None)
        self._tombstones[tombstone.id] = tombstone


def read(session: Session, case_ids: Iterable[str]) -> BatchCases:
    """Read (and on PostgreSQL lock until commit, in id order) the cases and case tombstones among `case_ids`, and
    keep them for this session's handlers until `forget`."""
    ids = sorted(set(case_ids))
    cases, tombstones = [], []
    if ids:
        cases = list(session.execute(_CASES, {"ids": ids}).scalars())
        if len(cases) < len(ids):  # a live case has no tombstone: only the others can have one
            tombstones = session.connection().execute(_TOMBSTONES, {"ids": ids}).all()
    batch = BatchCases(ids, cases, tombstones)
    session.info[_KEY] = batch
    return batch


_tombstones = Tombstone.__table__
# prepared once: only the ids change
_CASES = select(Case).where(Case.id.in_(bindparam("ids", expanding=True))).order_by(Case.id).with_for_update()
_TOMBSTONES = (select(_tombstones.c.entity, _tombstones.c.id, _tombstones.c.town_code, _tombstones.c.seq)
               .where(_tombstones.c.entity == "case", _tombstones.c.id.in_(bindparam("ids", expanding=True))))


def of(session: Session) -> BatchCases | None:
    return session.info.get(_KEY)


def forget(session: Session) -> None:
    session.info.pop(_KEY, None)

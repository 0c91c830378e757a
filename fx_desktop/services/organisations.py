"""The organisations this client knows (towns, the bureau, departments, police, procuratorate), for lookups and
pick lists: read from the store's `organisations` table, which store/reference.load fills from the reference
data. Views and services use this instead of the towns list when any organisation may be meant."""
from __future__ import annotations

from sqlalchemy import select, text
from sqlalchemy.orm import Session

from ..domain.organisations import Organisation, OrgDirectory, OrgKind
from ..store import Store, reference
from ..store.models import Organisation as OrgRow

# The order of a pick list: the towns first (where most users work), then the bureau, departments, police and the
# procuratorate; within a kind, the order of the reference data.
KIND_ORDER = (OrgKind.TOWN, OrgKind.BUREAU, OrgKind.DEPARTMENT, OrgKind.POLICE_BUREAU, OrgKind.POLICE_STATION,
              OrgKind.PROCURATORATE)


def directory_in(session: Session) -> OrgDirectory:
    """The table in the order rows were loaded (the reference's order); the current reference document when the
    table is empty (a store made before it was filled)."""
    rows = session.execute(select(OrgRow).order_by(text("organisations.rowid"))).scalars().all()
    if not rows:
        return OrgDirectory.from_reference(reference.current(session))
    return OrgDirectory(Organisation(r.code, r.name, r.short_name, OrgKind(r.kind), r.parent) for r in rows)


def directory(store: Store) -> OrgDirectory:
    with store.sessions() as session:
        return directory_in(session)


def pick_list(orgs: OrgDirectory) -> list[Organisation]:
    """Every organisation grouped by kind in KIND_ORDER, for a combo box or a list."""
    return [o for kind in KIND_ORDER for o in orgs.of_kind(kind)]

"""The organisations table: loaded from the reference document like the towns, read as the domain's
`Organisation` (fx_desktop.domain.organisations) wherever a rule needs one."""
from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from fx_desktop.domain.organisations import Organisation, OrgDirectory, OrgKind, organisations_from_reference

from .models import Organisation as OrgRow
from .models import Town

_CACHE = "fx_organisations"


def load(session: Session, data: dict) -> None:
    """Add or update the reference's organisations; none is deleted (users and records point at them)."""
    for org in organisations_from_reference(data):
        session.merge(OrgRow(**org.to_json()))
    session.info.pop(_CACHE, None)


def _domain(row: OrgRow) -> Organisation:
    return Organisation(row.code, row.name, row.short_name, OrgKind(row.kind), row.parent)


def directory(session: Session) -> OrgDirectory:
    """Every organisation, read once per session (request)."""
    found = session.info.get(_CACHE)
    if found is None:
        found = session.info[_CACHE] = OrgDirectory(_domain(r) for r in session.execute(select(OrgRow)).scalars())
    return found


def get(session: Session, code: str | None) -> Organisation | None:
    row = session.get(OrgRow, code) if code else None
    return _domain(row) if row is not None else None


def agency_code(session: Session, code: str) -> str:
    """机关代字 for official numbers: the organisation's short name (a town's agency code, for a database whose
    organisations were derived from an older reference)."""
    org = session.get(OrgRow, code)
    if org is not None:
        return org.short_name
    return session.get(Town, code).agency_code

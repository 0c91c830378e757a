"""Document numbers: gap-free serials per kind, town and year, formatted by the configured template; the local
serial is reserved in the same transaction as the document that uses it, so a rolled-back save leaves no gap.

With a bureau server, official numbers come from the server only (one gap-free sequence per town and year, taken
under a row lock when the case arrives): a device that syncs issues visibly provisional numbers
(临时编号2026-ab12-0001), which the next pull replaces with the official one. Blocks of numbers reserved per
device would also avoid collisions, but leave gaps and put numbers out of date order, which a case register may
not have."""
from __future__ import annotations

from sqlalchemy.orm import Session

from ..domain.docnumbers import DocNumberTemplate
from ..store import meta, reference
from ..store.models import Organisation, Serial, Town


def template_for(session: Session, kind: str) -> DocNumberTemplate:
    spec = reference.current(session)["doc_templates"][kind]
    return DocNumberTemplate(kind=kind, pattern=spec["pattern"], serial_width=spec.get("serial_width", 0))


def next_number(session: Session, kind: str, town_code: str, year: int) -> str:
    raw_account = meta.get(session, "sync.account")
    serial = session.get(Serial, (kind, town_code, year))
    if serial is None:
        serial = Serial(kind=kind, scope=town_code, year=year, next_serial=1)
        session.add(serial)
    value = serial.next_serial
    serial.next_serial = value + 1
    if raw_account:  # this database syncs: the server gives the official number
        return f"临时编号{year}-{meta.client_id(session)[:4]}-{value:04d}"
    town = session.get(Town, town_code)
    if town is None:  # another organisation's document (the bureau's district police request): its short name
        org = session.get(Organisation, town_code)
        return template_for(session, kind).format(org.short_name if org else town_code, year, value)
    return template_for(session, kind).format(town.agency_code, year, value)

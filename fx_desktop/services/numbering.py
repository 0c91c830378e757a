"""Document numbers: gap-free serials per kind, town and year, formatted by the configured template.
Collision-free numbering across devices is the sync layer's job (SYNC.md); here the local serial is reserved in
the same transaction as the document that uses it, so a rolled-back save leaves no gap."""
from __future__ import annotations

from sqlalchemy.orm import Session

from ..domain.docnumbers import DocNumberTemplate
from ..store import reference
from ..store.models import Serial, Town


def template_for(session: Session, kind: str) -> DocNumberTemplate:
    spec = reference.current(session)["doc_templates"][kind]
    return DocNumberTemplate(kind=kind, pattern=spec["pattern"], serial_width=spec.get("serial_width", 0))


def next_number(session: Session, kind: str, town_code: str, year: int) -> str:
    serial = session.get(Serial, (kind, town_code, year))
    if serial is None:
        serial = Serial(kind=kind, scope=town_code, year=year, next_serial=1)
        session.add(serial)
    value = serial.next_serial
    serial.next_serial = value + 1
    town = session.get(Town, town_code)
    return template_for(session, kind).format(town.agency_code, year, value)

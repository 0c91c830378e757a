"""Reference data (towns, departments, categories, templates): shipped as JSON, later administered by the bureau
server and pulled by clients. Loaded into the store when the shipped version is newer than the stored one."""
from __future__ import annotations

import json
from importlib import resources

from sqlalchemy.orm import Session

from ..domain.organisations import organisations_from_reference
from . import meta
from .models import Department, Organisation, Town


def shipped() -> dict:
    return json.loads(resources.files("fx_desktop.resources").joinpath("reference.json").read_text("utf-8"))


def load(session: Session, data: dict | None = None) -> bool:
    """Upsert towns, departments and organisations and keep the whole document in meta; True when something changed. A newer
    document shipped with the application keeps what only the server distributes (the holiday calendars) from the
    stored one, until the server sends a newer document of its own."""
    if int(meta.get(session, "reference_version") or 0) >= (data or shipped())["version"]:
        return False
    if data is None:
        raw = meta.get(session, "reference")
        data = {**(json.loads(raw) if raw else {}), **shipped()}
    for t in data["towns"]:
        session.merge(Town(**t))
    for d in data["departments"]:
        session.merge(Department(**d))
    for o in organisations_from_reference(data):
        session.merge(Organisation(code=o.code, name=o.name, short_name=o.short_name, kind=str(o.kind),
                                   parent=o.parent))
    meta.put(session, "reference", json.dumps(data, ensure_ascii=False))
    meta.put(session, "reference_version", str(data["version"]))
    return True


def current(session: Session) -> dict:
    raw = meta.get(session, "reference")
    return json.loads(raw) if raw else shipped()


DIRECTORY = "directory"


def load_directory(session: Session, data: dict) -> None:
    """The directory of the organisations' people as the server last sent it (fx_bureau.directory): kept whole in
    meta, replacing the one before."""
    people = [{"org": p.get("org"), "name": p.get("name"), "role": p.get("role")}
              for p in (data or {}).get("people") or [] if isinstance(p, dict) and p.get("name")]
    meta.put(session, DIRECTORY, json.dumps(people, ensure_ascii=False))


def directory(session: Session) -> list[dict]:
    """[{"org", "name", "role"}] of the organisations' active users, empty before the first sync."""
    raw = meta.get(session, DIRECTORY)
    return json.loads(raw) if raw else []

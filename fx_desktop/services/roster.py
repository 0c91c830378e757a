"""The roster of officers and their enforcement certificates (人员与执法证, seed 四(八)), and their training record
(培训记录, seed 四(七)).

A town's office staff and squad leader add, update and retire entries; everyone of the town reads them, the bureau
reads every town's. Every action commits, in one transaction, the entry's row, an audit entry (kind
"roster_entry", record_id the entry, no case) and an outbox mutation of kind "roster_entry". The rules are
`domain.roster`'s, the same functions fx-bureau's handlers and the sync rebase call.

The case's services ask `check_filing` when a case is filed and `check_officers_change` when a filed case's
officers change: an expired certificate on the roster cannot be one of the case's officers (officers whose
certificate number is not on the roster are allowed: the roster is light)."""
from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select, text
from sqlalchemy.orm import Session

from ..domain import roster as ro
from ..domain.errors import DomainError
from ..domain.roles import Role
from ..store import Store, audit, outbox, reference
from ..store.models import RosterEntry
from .referrals import actor_org
from . import records

KIND = ro.KIND


@dataclass(frozen=True)
class EntryRecord:
    """An entry as plain data for the UI: `data` is the whole state (domain.roster)."""

    id: str
    owner_org: str
    data: dict
    state: ro.CertState
    days_left: int
    synced: bool = False

    @property
    def name(self) -> str:
        return self.data.get("name") or ""

    @property
    def cert_no(self) -> str:
        return self.data.get("cert_no") or ""

    @property
    def issuer(self) -> str:
        return self.data.get("issuer") or ""

    @property
    def expires_on(self) -> str:
        return self.data.get("expires_on") or ""

    @property
    def active(self) -> bool:
        return bool(self.data.get("active", True))


def rules_in(session: Session) -> ro.RosterRules:
    try:
        return ro.RosterRules.from_reference(reference.current(session))
    except DomainError:
        return ro.RosterRules()  # a faulty number in the reference data: the default rather than no page at all


def may_edit(actor) -> bool:
    return bool(getattr(actor, "in_town", False)) and Role(actor.role) in ro.EDITORS


def _actor(session: Session, actor) -> ro.Actor:
    return ro.Actor(actor.name, Role(actor.role), actor_org(session, actor) or "")


def roster_of(session: Session, town: str) -> list[dict]:
    """The town's entries (states), retired ones too: an expired certificate is expired."""
    return [dict(d) for d in session.execute(select(RosterEntry.data).where(RosterEntry.owner_org == town)).scalars()]


def check_filing(session: Session, town: str, officers, on: date) -> None:
    ro.check_case_officers(officers, roster_of(session, town), on)


def check_officers_change(session: Session, town: str, before, after, on: date, *, filed: bool) -> None:
    ro.check_officers_change(before, after, roster_of(session, town), on, filed=filed)


def waiting_ids(session: Session) -> frozenset[str]:
    return records.waiting_ids(session, KIND)


def to_record(row: RosterEntry, today: date, rules: ro.RosterRules, waiting=frozenset()) -> EntryRecord:
    data = dict(row.data or {})
    return EntryRecord(row.id, row.owner_org, data, ro.certificate_state(data, today, rules),
                       ro.days_left(data, today), synced=row.server_version is not None and row.id not in waiting)


# --- reading ------------------------------------------------------------------------------------------------------

def scope(session: Session, actor) -> tuple[str, dict]:
    """The entries the actor sees: their town's; the bureau every town's; any other organisation none."""
    if getattr(actor, "sees_all", False):
        return "1", {}
    if getattr(actor, "in_town", False):
        return "owner_org = :org", {"org": actor.town_code}
    return "0", {}


def entries(store: Store, actor, *, today: date | None = None, include_retired: bool = False) -> list[EntryRecord]:
    """The roster, soonest expiry first (active entries; retired ones after them when asked)."""
    today = today or date.today()
    with store.sessions() as session:
        clause, params = scope(session, actor)
        query = select(RosterEntry).where(text(clause).bindparams(**params))
        if not include_retired:
            query = query.where(RosterEntry.active.is_(True))
        rows = session.execute(query.order_by(RosterEntry.active.desc(), RosterEntry.expires_on,
                                              RosterEntry.name)).scalars()
        rules, waiting = rules_in(session), waiting_ids(session)
        return [to_record(r, today, rules, waiting) for r in rows]


def get(store: Store, entry_id: str, *, today: date | None = None) -> EntryRecord:
    with store.sessions() as session:
        return to_record(_load(session, entry_id), today or date.today(), rules_in(session), waiting_ids(session))


def officer_choices(store: Store, town: str | None, *, today: date | None = None,
                    include_retired: bool = False) -> list[EntryRecord]:
    """The town's active officers, for the case editor's completer (with their certificate's state); retired ones
    too when asked (an expired certificate of a retired officer still cannot file a case)."""
    today = today or date.today()
    if not town:
        return []
    with store.sessions() as session:
        query = select(RosterEntry).where(RosterEntry.owner_org == town)
        if not include_retired:
            query = query.where(RosterEntry.active.is_(True))
        rows = session.execute(query.order_by(RosterEntry.name)).scalars()
        rules = rules_in(session)
        return [to_record(r, today, rules) for r in rows]


def expiring(session: Session, scope_sql: str, params: dict, today: date, limit: int) -> tuple[list[tuple], int]:
    """(id, name, cert_no, expires_on) of active entries whose certificate expires within the warning days or has
    expired, soonest first (at most `limit`), and how many there are."""
    until = date.fromordinal(today.toordinal() + rules_in(session).warn_days).isoformat()
    where = f"active = 1 AND expires_on <= :until AND {scope_sql}"
    args = {**params, "until": until}
    total = session.execute(text(f"SELECT count(*) FROM roster_entries WHERE {where}"), args).scalar()
    rows = session.execute(text(f"SELECT id, name, cert_no, expires_on FROM roster_entries WHERE {where} "
                                "ORDER BY expires_on, name LIMIT :limit"), {**args, "limit": limit}).all()
    return [tuple(r) for r in rows], total


@dataclass(frozen=True)
class Training:
    """A training the officer attended (a meeting of kind 'training' where they are marked 出席)."""

    meeting_id: str
    starts_at: str
    title: str
    number: str
    owner_org: str


def training_record(session: Session, name: str) -> list[Training]:
    """The trainings `name` attended, newest first: meetings of kind 'training' whose sign-in marks `name` 出席
    (domain/meeting.py `trained`; people are matched by name, as the sign-in sheet lists them)."""
    from ..domain.meeting import trained
    from ..store.models import Meeting

    name = name.strip()
    if not name:
        return []
    rows = session.execute(select(Meeting).where(Meeting.kind == "training", Meeting.status != "cancelled")
                           .order_by(Meeting.starts_at.desc())).scalars()
    return [Training(row.id, row.starts_at or "", row.title or "", row.number or "", row.owner_org or "")
            for row in rows if any((p.get("name") or "").strip() == name for p in trained(row.data or {}))]


def trainings(store: Store, name: str) -> list[Training]:
    with store.sessions() as session:
        return training_record(session, name)


# --- actions ------------------------------------------------------------------------------------------------------

def _load(session: Session, entry_id: str) -> RosterEntry:
    return records.load(session, RosterEntry, entry_id, "人员记录")


def _others(session: Session, town: str) -> list[tuple[str, str, bool]]:
    return list(session.execute(select(RosterEntry.id, RosterEntry.cert_no, RosterEntry.active)
                                .where(RosterEntry.owner_org == town)).all())


def _write(row: RosterEntry, state: dict, now: datetime) -> None:
    row.data, row.name, row.cert_no, row.active = state, state["name"], state["cert_no"], state["active"]
    row.expires_on = date.fromisoformat(state["expires_on"])
    row.updated_at = now


def _audit(session: Session, actor, org: str, name: str, row: RosterEntry, now: datetime, detail: dict) -> None:
    audit.append(session, actor=actor.name, role=str(actor.role), case_id=None, action=name, kind=KIND,
                 record_id=row.id, detail={**detail, "org": org, "name": row.name, "cert_no": row.cert_no}, at=now)


FORM_KEYS = (*ro.FIELDS, *ro.DATE_FIELDS, "active")


def _form(form: dict) -> dict:
    out = {}
    for key in FORM_KEYS:
        if key in form:
            value = form[key]
            out[key] = value.isoformat() if isinstance(value, (date, datetime)) else value
    return out


def add(store: Store, actor, form: dict, *, now: datetime | None = None) -> EntryRecord:
    now = now or datetime.now()
    with store.writes.begin() as session:
        who = _actor(session, actor)
        if not getattr(actor, "in_town", False):
            raise DomainError("人员与执法证名单由各街镇的内勤或中队长维护，您所在的单位只能查看。")
        args = _form(form)
        state = ro.create(args, owner_org=actor.town_code, actor=who, at=now)
        entry_id = str(uuid.uuid4())
        ro.check_unique(state["cert_no"], entry_id, _others(session, actor.town_code))
        row = RosterEntry(id=entry_id, owner_org=actor.town_code, version=1, server_version=None)
        _write(row, state, now)
        session.add(row)
        session.flush()
        _audit(session, actor, who.org_code, "add_roster_entry", row, now, {"expires_on": state["expires_on"]})
        outbox.enqueue(session, "add_roster_entry", {"entry_id": entry_id, **args}, owner=actor.user_id, at=now,
                       kind=KIND, record_id=entry_id, case_id=None)
        return to_record(row, now.date(), rules_in(session))


def _step(store: Store, actor, name: str, entry_id: str, args: dict, now: datetime | None) -> EntryRecord:
    now = now or datetime.now()
    with store.writes.begin() as session:
        row = _load(session, entry_id)
        who = _actor(session, actor)
        new = ro.apply_step(name, row.data, args, actor=who, at=now)
        if new["active"]:
            ro.check_unique(new["cert_no"], row.id, _others(session, row.owner_org))
        changed = {k: [row.data.get(k), new.get(k)] for k in FORM_KEYS if row.data.get(k) != new.get(k)}
        _write(row, new, now)
        row.version += 1
        _audit(session, actor, who.org_code, name, row, now, {"changes": changed, **(
            {"reason": args.get("reason") or ""} if name == "retire_roster_entry" else {})})
        outbox.enqueue(session, name, {"entry_id": entry_id, **args}, owner=actor.user_id, at=now, kind=KIND,
                       record_id=entry_id, case_id=None)
        return to_record(row, now.date(), rules_in(session))


def update(store: Store, actor, entry_id: str, form: dict, *, now: datetime | None = None) -> EntryRecord:
    return _step(store, actor, "update_roster_entry", entry_id, _form(form), now)


def retire(store: Store, actor, entry_id: str, reason: str = "", *, now: datetime | None = None) -> EntryRecord:
    return _step(store, actor, "retire_roster_entry", entry_id, {"reason": reason}, now)

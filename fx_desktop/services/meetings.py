"""Coordination meetings (会商) and the consultation item list (协调会商事项清单), DOMAIN.md section 6: office staff
of a town (or the bureau) prepare a meeting, record attendance, write, circulate and sign off the minutes; the
invited organisations see the meeting and comment on circulated minutes from their own clients.

Every action commits, in one transaction, the row, an audit entry (kind "meeting" or "consultation_item", record_id
the record; a consultation item naming a case is on the case's timeline) and an outbox mutation of that kind. Nothing
waits for the network: the sync pushes later. The rules are `domain.meeting`'s, the same functions fx-bureau's
handlers and the sync rebase call."""
from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select, text
from sqlalchemy.orm import Session

from ..domain import meeting as mt
from ..domain import organisations as orgs
from ..domain.docnumbers import DocNumberTemplate
from ..domain.errors import DomainError
from ..domain.roles import Role
from ..store import Store, audit, meta, outbox, reference
from ..store.models import ConsultationItem, Meeting, Serial
from ..sync.apply_meeting import party_text
from .referrals import actor_org, directory_in, domain_actor
from . import records

KIND = mt.KIND
ITEM_KIND = mt.ITEM_KIND
DEFAULT_TEMPLATE = {"pattern": "〔{年}〕第{序号}期", "serial_width": 0}


@dataclass(frozen=True)
class MeetingRecord:
    """A meeting as plain data for the UI: `data` is the whole state (domain.meeting)."""

    id: str
    owner_org: str
    owner_name: str
    kind: str
    number: str
    title: str
    starts_at: str
    status: str
    data: dict
    synced: bool = False

    @property
    def kind_label(self) -> str:
        return mt.KINDS.get(self.kind, self.kind)

    @property
    def status_label(self) -> str:
        return mt.STATUS_LABELS.get(self.status, self.status)

    @property
    def minutes(self) -> dict | None:
        return self.data.get("minutes")

    @property
    def minutes_label(self) -> str:
        m = self.minutes
        return f"{mt.MINUTES_LABELS[m['status']]}（第{m['version']}版）" if m else "未编写"


@dataclass(frozen=True)
class ItemRecord:
    id: str
    owner_org: str
    owner_name: str
    case_id: str | None
    status: str
    data: dict
    synced: bool = False
    case_number: str = ""  # the case's number as this store has it now (official once the case synced)

    @property
    def status_label(self) -> str:
        return mt.ITEM_STATUS_LABELS.get(self.status, self.status)


def to_record(row: Meeting, directory: orgs.OrgDirectory, waiting: frozenset[str] = frozenset()) -> MeetingRecord:
    return MeetingRecord(row.id, row.owner_org, directory.name(row.owner_org), row.kind, row.number, row.title,
                         row.starts_at, row.status, row.data or {},
                         synced=row.server_version is not None and row.id not in waiting)


def to_item(row: ConsultationItem, directory: orgs.OrgDirectory, waiting: frozenset[str] = frozenset(),
            numbers: dict[str, str] | None = None) -> ItemRecord:
    data = row.data or {}
    number = (numbers or {}).get(row.case_id) or data.get("case_number") or ""
    return ItemRecord(row.id, row.owner_org, directory.name(row.owner_org), row.case_id, row.status, data,
                      synced=row.server_version is not None and row.id not in waiting, case_number=number)


def case_numbers(session: Session, case_ids) -> dict[str, str]:
    """The numbers this store has for these cases now (a provisional number kept in an item is replaced by the
    official one once the case synced; a department has no cases: the item's own copy is shown then)."""
    from ..store.models import Case

    ids = [c for c in set(case_ids) if c]
    return dict(session.execute(select(Case.id, Case.number).where(Case.id.in_(ids))).all()) if ids else {}


def _actor(session: Session, actor) -> mt.Actor:
    who = domain_actor(session, actor)
    return mt.Actor(who.name, who.role, who.org_code)


def _load(session: Session, meeting_id: str) -> Meeting:
    return records.load(session, Meeting, meeting_id, "会议")


def _write(row: Meeting, state: dict, now: datetime) -> None:
    row.data, row.status, row.number = state, state["status"], state.get("number") or ""
    row.kind, row.title, row.starts_at = state["kind"], state.get("title") or "", state.get("starts_at") or ""
    row.party_orgs = party_text(mt.parties_of(state))
    row.updated_at = now


def _audit(session: Session, actor, org: str, name: str, kind: str, record_id: str, now: datetime, detail: dict,
           case_id: str | None = None) -> None:
    """`org` lets the sync rebase replay the step as the same actor."""
    audit.append(session, actor=actor.name, role=str(actor.role), case_id=case_id, action=name, kind=kind,
                 record_id=record_id, detail={**detail, "org": org}, at=now)


def _number(session: Session, state: dict, now: datetime) -> None:
    """The number, when the notice goes out: provisional on a device that syncs (the server's replaces it)."""
    if state["notified"] is None or state["number"]:
        return
    year, scope = now.year, state["owner_org"]
    serial = session.get(Serial, (KIND, scope, year))
    if serial is None:
        serial = Serial(kind=KIND, scope=scope, year=year, next_serial=1)
        session.add(serial)
    value = serial.next_serial
    serial.next_serial = value + 1
    if meta.get(session, "sync.account"):
        state["number"] = f"临时编号{year}-{meta.client_id(session)[:4]}-{value:04d}"
        return
    from ..store import reference

    spec = (reference.current(session) or {}).get("doc_templates", {}).get(KIND) or DEFAULT_TEMPLATE
    state["number"] = DocNumberTemplate(kind=KIND, pattern=spec["pattern"],
                                        serial_width=spec.get("serial_width", 0)).format("", year, value)


# --- reading ------------------------------------------------------------------------------------------------------

def get(store: Store, meeting_id: str) -> MeetingRecord:
    with store.sessions() as session:
        return to_record(_load(session, meeting_id), directory_in(session), records.waiting_ids(session, KIND))


def scope(session: Session, actor) -> tuple[str, dict]:
    """The meetings the actor's organisation sees: its own and those it takes part in (the bureau: all)."""
    org = actor_org(session, actor) or ""
    found = directory_in(session).get(org)
    if found is not None and found.sees_all:
        return "1", {}
    return "(owner_org = :org OR party_orgs LIKE '%,' || :org || ',%')", {"org": org}


@dataclass(frozen=True)
class MeetingFilter:
    kind: str | None = None
    status: str | None = None
    since: date | None = None
    until: date | None = None
    text: str = ""


def meetings(store: Store, actor, f: MeetingFilter = MeetingFilter()) -> list[MeetingRecord]:
    """The list, the latest meeting first (those without a time, in preparation, on top)."""
    with store.sessions() as session:
        clause, params = scope(session, actor)
        parts = [clause]
        for column in ("kind", "status"):
            if getattr(f, column):
                parts.append(f"{column} = :{column}")
                params[column] = getattr(f, column)
        if f.since:
            parts.append("starts_at >= :since")
            params["since"] = f.since.isoformat()
        if f.until:
            parts.append("starts_at < :until")
            params["until"] = date.fromordinal(f.until.toordinal() + 1).isoformat()
        if f.text.strip():
            parts.append("(title LIKE :q OR number LIKE :q)")
            params["q"] = f"%{f.text.strip()}%"
        ids = list(session.execute(text(
            f"SELECT id FROM meetings WHERE {' AND '.join(parts)} ORDER BY starts_at = '' DESC, starts_at DESC, "
            "rowid DESC"), params).scalars())
        rows = {r.id: r for r in session.execute(select(Meeting).where(Meeting.id.in_(ids))).scalars()}
        directory, waiting = directory_in(session), records.waiting_ids(session, KIND)
        return [to_record(rows[i], directory, waiting) for i in ids]


def may_edit(record: MeetingRecord, actor, org_code: str | None = None) -> bool:
    """Whether the actor prepares this meeting (the convening organisation's office staff or squad leader)."""
    org = org_code or getattr(actor, "org_code", None) or actor.town_code
    return org == record.owner_org and Role(actor.role) in mt.CONVENERS and record.status != "cancelled"


def may_comment(record: MeetingRecord, actor, org_code: str | None = None) -> bool:
    org = org_code or getattr(actor, "org_code", None) or actor.town_code
    m = record.minutes
    return bool(m) and m["status"] == "circulated" and mt.is_party(record.data, org or "")


def may_convene(actor) -> bool:
    kind = getattr(actor, "org_kind", None)
    return Role(actor.role) in mt.CONVENERS and kind in (orgs.OrgKind.TOWN, orgs.OrgKind.BUREAU, None)


def known_people(store: Store, actor) -> dict[tuple[str | None, str], dict]:
    """The people an invitee row offers as a completion of the name, by (organisation code or None, unit as typed)
    and name: {key: {"name", "title", "phone"}}. The organisations' users from the directory the server sends (the
    role's label as the title, no phone), merged with the people invited before to the meetings the organisation
    sees (the latest meeting's values: the title and phone typed there win)."""
    found: dict[tuple[str | None, str], dict] = {}
    with store.sessions() as session:
        people = reference.directory(session)
    for person in people:  # the organisations' users (the server's directory): their role as the title
        try:
            title = Role(person["role"]).label
        except ValueError:
            title = ""
        found.setdefault((person["org"], ""), {})[person["name"]] = {"name": person["name"], "title": title,
                                                                     "phone": ""}
    for record in reversed(meetings(store, actor)):  # oldest first: later meetings' titles and phones win
        for p in record.data.get("invitees") or []:
            if p.get("name"):
                unit = (p.get("org"), "" if p.get("org") else p.get("unit") or "")
                found.setdefault(unit, {})[p["name"]] = {"name": p["name"], "title": p.get("title") or "",
                                                         "phone": p.get("phone") or ""}
    return found


def unit_choices(store: Store) -> list[tuple[str, str]]:
    """(code, name) of the organisations a meeting may invite: towns, the bureau, departments, police, procuratorate."""
    with store.sessions() as session:
        return [(o.code, o.name) for o in directory_in(session)]


def org_names(store: Store) -> dict[str, str]:
    return dict(unit_choices(store))


# --- actions ------------------------------------------------------------------------------------------------------

def create(store: Store, actor, form: dict, *, now: datetime | None = None) -> MeetingRecord:
    """A new meeting in preparation: saved here at once, pushed later."""
    now = now or datetime.now()
    with store.writes.begin() as session:
        directory = directory_in(session)
        who = _actor(session, actor)
        owner = directory.get(who.org_code)
        if owner is None:
            raise DomainError("单位名单中没有您所在的单位，请先同步参考数据。")
        meeting_id = str(uuid.uuid4())
        args = {k: v for k, v in form.items() if k not in ("meeting_id", "number")}
        for n, person in enumerate(args.get("invitees") or []):
            if isinstance(person, dict) and not person.get("key"):
                person["key"] = uuid.uuid4().hex[:8]
        state = mt.create(args, owner=owner, actor=who, at=now, known=directory.get)
        args["meeting_id"] = meeting_id
        row = Meeting(id=meeting_id, owner_org=owner.code, version=1, server_version=None)
        _write(row, state, now)
        session.add(row)
        _audit(session, actor, who.org_code, "create_meeting", KIND, meeting_id, now,
               {"kind": state["kind"], "title": state["title"]})
        outbox.enqueue(session, "create_meeting", args, owner=actor.user_id, at=now, kind=KIND,
                       record_id=meeting_id, case_id=None)
        session.flush()
        return to_record(row, directory, frozenset({meeting_id}))


def step(store: Store, actor, meeting_id: str, name: str, args: dict, *, now: datetime | None = None
         ) -> MeetingRecord:
    """One step of domain.meeting (update_meeting, set_meeting_agenda, notify_meeting, record_attendance,
    write_minutes, circulate_minutes, comment_minutes, sign_minutes, amend_minutes, cancel_meeting)."""
    if name not in mt.STEPS or name == "create_meeting":
        raise DomainError(f"不认识的会议操作“{name}”。")
    now = now or datetime.now()
    with store.writes.begin() as session:
        row = _load(session, meeting_id)
        directory = directory_in(session)
        who = _actor(session, actor)
        args = dict(args)
        for person in args.get("invitees") or []:
            if isinstance(person, dict) and not person.get("key"):
                person["key"] = uuid.uuid4().hex[:8]
        state = mt.apply_step(name, row.data, args, actor=who, at=now, known=directory.get)
        _number(session, state, now)
        _write(row, state, now)
        row.version += 1
        minutes = state.get("minutes") or {}
        _audit(session, actor, who.org_code, name, KIND, row.id, now,
               {"status": state["status"], "number": state["number"], "minutes_status": minutes.get("status"),
                "minutes_version": minutes.get("version"),
                **{k: v for k, v in args.items() if k in ("reason", "text")}})
        outbox.enqueue(session, name, {"meeting_id": row.id, **args}, owner=actor.user_id, at=now, kind=KIND,
                       record_id=row.id, case_id=None)
        if name == "set_meeting_agenda":
            _schedule_items(session, actor, who, state, directory, now)
        session.flush()
        return to_record(row, directory, frozenset({row.id}))


def _schedule_items(session: Session, actor, who: mt.Actor, state: dict, directory, now: datetime) -> None:
    """The organisation's own open consultation items the agenda names become 已列入议程, each with its audit entry
    and outbox mutation (in the agenda's transaction)."""
    ids = [(a.get("ref") or {}).get("id") for a in state.get("agenda") or []
           if (a.get("ref") or {}).get("kind") == ITEM_KIND]
    rows = session.execute(select(ConsultationItem).where(
        ConsultationItem.id.in_([i for i in ids if i]), ConsultationItem.owner_org == who.org_code,
        ConsultationItem.status == "open")).scalars().all() if ids else []
    for item in rows:
        _update_item(session, actor, who, item, {"status": "scheduled"}, directory, now)


def update(store, actor, meeting_id, fields: dict, *, now=None) -> MeetingRecord:
    return step(store, actor, meeting_id, "update_meeting", fields, now=now)


def set_agenda(store, actor, meeting_id, agenda: list[dict], *, now=None) -> MeetingRecord:
    return step(store, actor, meeting_id, "set_meeting_agenda", {"agenda": agenda}, now=now)


def notify(store, actor, meeting_id, *, now=None) -> MeetingRecord:
    return step(store, actor, meeting_id, "notify_meeting", {"expected_status": "draft"}, now=now)


def record_attendance(store, actor, meeting_id, marks: dict[str, str | None], *, now=None) -> MeetingRecord:
    return step(store, actor, meeting_id, "record_attendance", {"attendance": marks}, now=now)


def write_minutes(store, actor, meeting_id, *, intro: str | None = None, items: list[dict] | None = None,
                  expected_version: int | None = None, now=None) -> MeetingRecord:
    args = {"intro": intro, "items": items, "expected_version": expected_version}
    return step(store, actor, meeting_id, "write_minutes", {k: v for k, v in args.items() if v is not None}, now=now)


def circulate(store, actor, meeting_id, *, now=None) -> MeetingRecord:
    return step(store, actor, meeting_id, "circulate_minutes", {}, now=now)


def comment(store, actor, meeting_id, comment_text: str, *, now=None) -> MeetingRecord:
    return step(store, actor, meeting_id, "comment_minutes", {"text": comment_text}, now=now)


def sign(store, actor, meeting_id, *, expected_version: int, now=None) -> MeetingRecord:
    return step(store, actor, meeting_id, "sign_minutes", {"expected_version": expected_version}, now=now)


def amend(store, actor, meeting_id, *, reason: str, intro: str | None = None, items: list[dict] | None = None,
          now=None) -> MeetingRecord:
    args = {"reason": reason, "intro": intro, "items": items}
    return step(store, actor, meeting_id, "amend_minutes", {k: v for k, v in args.items() if v is not None},
                now=now)


def cancel(store, actor, meeting_id, *, reason: str, now=None) -> MeetingRecord:
    return step(store, actor, meeting_id, "cancel_meeting", {"reason": reason}, now=now)


# --- trainings ----------------------------------------------------------------------------------------------------

def training_record(session: Session, name: str) -> list[tuple[date | None, str, str]]:
    """An officer's trainings (services/roster.py `training_record`) as (date, title, attendance), oldest first."""
    from .roster import training_record as attended

    return [(date.fromisoformat(t.starts_at[:10]) if t.starts_at else None, t.title, "出席")
            for t in reversed(attended(session, name))]


# --- the consultation item list -------------------------------------------------------------------------------------

def items(store: Store, actor, *, open_only: bool = False) -> list[ItemRecord]:
    with store.sessions() as session:
        clause, params = scope(session, actor)
        if open_only:
            clause += " AND status IN ('open', 'scheduled')"
        rows = session.execute(select(ConsultationItem).where(text(clause).bindparams(**params))
                               .order_by(ConsultationItem.updated_at.desc())).scalars().all()
        directory, waiting = directory_in(session), records.waiting_ids(session, ITEM_KIND)
        numbers = case_numbers(session, [r.case_id for r in rows])
        return [to_item(r, directory, waiting, numbers) for r in rows]


def case_on_list(store: Store, case_id: str) -> bool:
    """Whether the case is on the consultation item list, still open."""
    with store.sessions() as session:
        found = session.execute(select(ConsultationItem.id).where(
            ConsultationItem.case_id == case_id, ConsultationItem.status.in_(("open", "scheduled")))).first()
        return found is not None


def create_item(store: Store, actor, form: dict, *, now: datetime | None = None) -> ItemRecord:
    """A matter on the list; from a case (`case_id`) the case's number is kept with it."""
    now = now or datetime.now()
    with store.writes.begin() as session:
        directory = directory_in(session)
        who = _actor(session, actor)
        owner = directory.get(who.org_code)
        if owner is None:
            raise DomainError("单位名单中没有您所在的单位，请先同步参考数据。")
        item_id = str(uuid.uuid4())
        args = {k: v for k, v in form.items() if k != "item_id"}
        if args.get("case_id"):
            from .cases import load_case

            case = load_case(session, args["case_id"])
            args["case_number"] = case.number
        state = mt.create_item(args, owner=owner, actor=who, at=now, known=directory.get)
        args["item_id"] = item_id
        row = ConsultationItem(id=item_id, owner_org=owner.code, party_orgs=party_text(mt.item_parties(state)),
                               case_id=state["case_id"], status=state["status"], version=1, server_version=None,
                               data=state, updated_at=now)
        session.add(row)
        _audit(session, actor, who.org_code, "create_consultation_item", ITEM_KIND, item_id, now,
               {"matter": state["matter"]}, case_id=state["case_id"])
        outbox.enqueue(session, "create_consultation_item", args, owner=actor.user_id, at=now, kind=ITEM_KIND,
                       record_id=item_id, case_id=None)
        session.flush()
        return to_item(row, directory, frozenset({item_id}))


def update_item(store: Store, actor, item_id: str, fields: dict, *, now: datetime | None = None) -> ItemRecord:
    now = now or datetime.now()
    with store.writes.begin() as session:
        row = session.get(ConsultationItem, item_id)
        if row is None:
            raise DomainError("找不到该协调会商事项，请同步后再看。")
        directory = directory_in(session)
        _update_item(session, actor, _actor(session, actor), row, fields, directory, now)
        session.flush()
        return to_item(row, directory, frozenset({item_id}))


def _update_item(session: Session, actor, who: mt.Actor, row: ConsultationItem, fields: dict, directory,
                 now: datetime) -> None:
    state = mt.update_item(row.data, fields, actor=who, at=now, known=directory.get)
    row.data, row.status, row.party_orgs = state, state["status"], party_text(mt.item_parties(state))
    row.version += 1
    row.updated_at = now
    _audit(session, actor, who.org_code, "update_consultation_item", ITEM_KIND, row.id, now,
           {"status": state["status"]}, case_id=row.case_id)
    outbox.enqueue(session, "update_consultation_item", {"item_id": row.id, **fields}, owner=actor.user_id,
                   at=now, kind=ITEM_KIND, record_id=row.id, case_id=None)

"""Supervision sheets (督办单, DOMAIN.md section 6): the supervising office (a town's office staff or squad leader;
the bureau's dispatcher) issues a sheet for an agreed item, a referral, a police request, a criminal referral or a
free matter; the responsible unit signs, works, may ask for more time, reports one matter per report; the office
decides the extension, chases (催办) late sheets, closes the sheet or sends it back (退回重办).

Every action commits, in one transaction, the sheet row, an audit entry (kind "supervision", record_id the sheet)
and an outbox mutation of kind "supervision". Nothing waits for the network: the sync pushes later. The rules are
`domain.supervision`'s, the same functions fx-bureau's handlers and the sync rebase call."""
from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select, text
from sqlalchemy.orm import Session

from ..domain import organisations as orgs
from ..domain import supervision as sv
from ..domain.errors import DomainError
from ..store import Store, audit, outbox
from ..store.models import Meeting, Supervision
from .calendar import current_calendar
from .numbering import next_number
from .referrals import actor_org, directory_in, domain_actor
from . import records

KIND = sv.KIND


@dataclass(frozen=True)
class SheetRecord:
    """A sheet as plain data for the UI: `data` is the whole state (domain.supervision)."""

    id: str
    number: str
    status: sv.SheetStatus
    owner_org: str
    owner_name: str
    responsible_org: str
    responsible_name: str
    matter: str
    deadline: date
    days_left: int
    overdue: bool
    data: dict
    synced: bool = False

    @property
    def status_label(self) -> str:
        return self.status.label

    @property
    def source_text(self) -> str:
        return self.data.get("source_text") or ("其他事项" if not self.data.get("source") else "")

    @property
    def history(self) -> list[dict]:
        return list(self.data.get("history") or [])


def to_record(row: Supervision, directory: orgs.OrgDirectory, today: date, calendar=None, *,
              waiting: frozenset[str] = frozenset()) -> SheetRecord:
    state = row.data or {}
    state = {**state, "status": row.status, "deadline": row.deadline}
    return SheetRecord(
        id=row.id, number=row.number, status=sv.SheetStatus(row.status), owner_org=row.owner_org,
        owner_name=directory.name(row.owner_org), responsible_org=row.responsible_org,
        responsible_name=directory.name(row.responsible_org), matter=row.matter,
        deadline=date.fromisoformat(row.deadline), days_left=sv.days_left(state, today, calendar),
        overdue=sv.is_overdue(state, today, calendar), data=row.data or {},
        synced=row.server_version is not None and row.id not in waiting)


def waiting_ids(session: Session) -> frozenset[str]:
    return records.waiting_ids(session, KIND)


def _actor(session: Session, actor) -> sv.Actor:
    who = domain_actor(session, actor)
    return sv.Actor(who.name, who.role, who.org_code)


def _load(session: Session, sheet_id: str) -> Supervision:
    return records.load(session, Supervision, sheet_id, "督办单")


def _write(row: Supervision, state: dict, now: datetime) -> None:
    row.data, row.status, row.number = state, state["status"], state.get("number") or ""
    row.deadline, row.matter = state["deadline"], state["matter"]
    row.updated_at = now


def _audit(session: Session, actor, org: str, name: str, row: Supervision, now: datetime, detail: dict) -> None:
    """The step in the audit log; `org` lets the sync rebase replay it as the same actor."""
    audit.append(session, actor=actor.name, role=str(actor.role), case_id=None, action=name, kind=KIND,
                 record_id=row.id, detail={**detail, "org": org, "number": row.number, "status": row.status}, at=now)


def _number(session: Session, owner: str, now: datetime) -> str:
    try:
        return next_number(session, KIND, owner, now.year)
    except KeyError:  # a reference older than the supervision template: the server numbers it when it arrives
        return f"临时编号{now.year}-督办"


# --- reading ------------------------------------------------------------------------------------------------------

def get(store: Store, sheet_id: str, *, today: date | None = None) -> SheetRecord:
    today = today or date.today()
    with store.sessions() as session:
        return to_record(_load(session, sheet_id), directory_in(session), today, current_calendar(session),
                         waiting=waiting_ids(session))


@dataclass(frozen=True)
class SheetFilter:
    """The list's filters (None: any): status, responsible unit, overdue only; `side`: "issued" the sheets the
    user's organisation supervises, "mine" those it is responsible for, None both."""

    status: str | None = None
    responsible: str | None = None
    overdue_only: bool = False
    side: str | None = None


def scope(session: Session, actor, side: str | None = None) -> tuple[str, dict]:
    """The rows the actor's organisation sees: the bureau all, others those it supervises or answers for."""
    org = actor_org(session, actor) or ""
    found = directory_in(session).get(org)
    if side == "issued":
        return "owner_org = :org", {"org": org}
    if side == "mine":
        return "responsible_org = :org", {"org": org}
    if found is not None and found.sees_all:
        return "1", {}
    return "(owner_org = :org OR responsible_org = :org)", {"org": org}


OWING = tuple(str(s) for s in sv.OWING)


def where(session: Session, actor, f: SheetFilter, today: date) -> tuple[str, dict]:
    clause, params = scope(session, actor, f.side)
    parts = [clause]
    if f.status:
        parts.append("status = :status")
        params["status"] = f.status
    if f.responsible:
        parts.append("responsible_org = :responsible")
        params["responsible"] = f.responsible
    if f.overdue_only:  # by the deadline as written; a deadline on a day off moves later (checked per row below)
        parts.append(f"deadline < :today AND status IN ({', '.join(repr(s) for s in OWING)})")
        params["today"] = today.isoformat()
    return " AND ".join(parts), params


def sheets(store: Store, actor, f: SheetFilter = SheetFilter(), *, today: date | None = None,
           limit: int = 500) -> list[SheetRecord]:
    """The sheets of the list, the earliest deadline first (closed and withdrawn ones after the open ones)."""
    today = today or date.today()
    with store.sessions() as session:
        clause, params = where(session, actor, f, today)
        ids = session.execute(text(
            f"SELECT id FROM supervisions WHERE {clause} ORDER BY status IN ('closed', 'withdrawn'), deadline, "
            "number LIMIT :limit"), {**params, "limit": limit}).scalars().all()
        directory, calendar, waiting = directory_in(session), current_calendar(session), waiting_ids(session)
        rows = {r.id: r for r in session.execute(select(Supervision).where(Supervision.id.in_(ids))).scalars()}
        found = [to_record(rows[i], directory, today, calendar, waiting=waiting) for i in ids]
    return [r for r in found if r.overdue] if f.overdue_only else found


def for_source(store: Store, kind: str, source_id: str, *, today: date | None = None) -> list[SheetRecord]:
    """The sheets that follow up a record (a referral, a police request, a criminal referral, a meeting)."""
    today = today or date.today()
    with store.sessions() as session:
        directory, calendar, waiting = directory_in(session), current_calendar(session), waiting_ids(session)
        rows = session.execute(select(Supervision).where(Supervision.source_kind == kind,
                                                         Supervision.source_id == source_id)
                               .order_by(Supervision.deadline)).scalars()
        return [to_record(r, directory, today, calendar, waiting=waiting) for r in rows]


def responsible_choices(store: Store, actor) -> list[tuple[str, str]]:
    """(code, name) of the units a sheet of the actor's organisation may go to: its own squad (a town) or the towns
    (the bureau), the district departments, the procuratorate, the police."""
    with store.sessions() as session:
        directory = directory_in(session)
        org = directory.get(actor_org(session, actor) or "")
        out = []
        if org is not None and org.kind == orgs.OrgKind.TOWN:
            out.append((org.code, f"{org.name}（本街镇执法中队）"))
        elif org is not None and org.kind == orgs.OrgKind.BUREAU:
            out += [(o.code, o.name) for o in directory.of_kind(orgs.OrgKind.TOWN)]
        for kind in (orgs.OrgKind.DEPARTMENT, orgs.OrgKind.PROCURATORATE, orgs.OrgKind.POLICE_BUREAU,
                     orgs.OrgKind.POLICE_STATION):
            out += [(o.code, o.name) for o in directory.of_kind(kind)]
        return out


def may_issue(store: Store, actor) -> bool:
    with store.sessions() as session:
        who = _actor(session, actor)
        org = directory_in(session).get(who.org_code)
    if org is None:
        return False
    try:
        sv.check_office(who, org)
    except DomainError:
        return False
    return True


# --- actions ------------------------------------------------------------------------------------------------------

def issue(store: Store, actor, form: dict, *, now: datetime | None = None) -> SheetRecord:
    """A new sheet, issued at once (待签收): saved here, pushed later; the number is provisional until the server's
    answer (a store that does not sync numbers it itself)."""
    now = now or datetime.now()
    with store.writes.begin() as session:
        directory = directory_in(session)
        who = _actor(session, actor)
        owner = directory.get(who.org_code)
        if owner is None:
            raise DomainError("单位名单中没有您所在的单位，请先同步参考数据。")
        responsible = directory.require(form.get("responsible_org"), "责任单位")
        sheet_id = str(uuid.uuid4())
        args = {k: v for k, v in form.items() if k not in ("supervision_id", "number")}
        args.update(supervision_id=sheet_id, responsible_org=responsible.code)
        state = sv.issue(args, owner=owner, responsible=responsible, actor=who, at=now)
        source = state["source"] or {}
        if source.get("kind") == "meeting" and session.get(Meeting, source.get("id")) is not None:
            from ..domain import meeting as mt  # an agreed item: of the office's own meeting, its minutes signed

            mt.supervisable_item(session.get(Meeting, source["id"]).data or {}, source.get("item"), owner.code)
        state["number"] = args["number"] = _number(session, owner.code, now)
        row = Supervision(id=sheet_id, owner_org=owner.code, responsible_org=responsible.code,
                          source_kind=(state["source"] or {}).get("kind"), source_id=(state["source"] or {}).get("id"),
                          source_item=(state["source"] or {}).get("item"), number=state["number"],
                          matter=state["matter"], deadline=state["deadline"], status=state["status"], version=1,
                          server_version=None, data=state, updated_at=now)
        _write(row, state, now)
        session.add(row)
        _audit(session, actor, who.org_code, "issue_supervision", row, now,
               {"responsible_org": responsible.code, "deadline": state["deadline"]})
        outbox.enqueue(session, "issue_supervision", args, owner=actor.user_id, at=now, kind=KIND,
                       record_id=sheet_id, case_id=None)
        session.flush()
        return to_record(row, directory, now.date(), current_calendar(session), waiting=frozenset({row.id}))


def _step(store: Store, actor, sheet_id: str, name: str, args: dict, now: datetime | None) -> SheetRecord:
    now = now or datetime.now()
    with store.writes.begin() as session:
        row = _load(session, sheet_id)
        directory, calendar = directory_in(session), current_calendar(session)
        who = _actor(session, actor)
        state = sv.apply_step(name, row.data, args, actor=who, at=now, calendar=calendar)
        _write(row, state, now)
        row.version += 1
        _audit(session, actor, who.org_code, name, row, now, {k: v for k, v in args.items() if k != "expected_status"})
        outbox.enqueue(session, name, {"supervision_id": row.id, **args}, owner=actor.user_id, at=now, kind=KIND,
                       record_id=row.id, case_id=None)
        session.flush()
        return to_record(row, directory, now.date(), calendar, waiting=frozenset({row.id}))


def sign(store: Store, actor, sheet_id: str, *, handler: str = "", now=None) -> SheetRecord:
    return _step(store, actor, sheet_id, "sign_supervision", {"expected_status": "issued", "handler": handler}, now)


def report(store: Store, actor, sheet_id: str, *, text: str, attachments: list[str] = (), expected_status,
           now=None) -> SheetRecord:
    """One matter per report: what was done about this sheet's matter, with the names of its attachments."""
    return _step(store, actor, sheet_id, "report_supervision",
                 {"expected_status": str(expected_status), "text": text, "attachments": list(attachments)}, now)


def ask_extension(store: Store, actor, sheet_id: str, *, reason: str, new_deadline: date | str, expected_status,
                  now=None) -> SheetRecord:
    return _step(store, actor, sheet_id, "ask_supervision_extension",
                 {"expected_status": str(expected_status), "reason": reason, "new_deadline": str(new_deadline)}, now)


def decide_extension(store: Store, actor, sheet_id: str, *, approved: bool, reason: str = "",
                     new_deadline: date | str | None = None, now=None) -> SheetRecord:
    args = {"expected_status": "extension_asked", "approved": approved, "reason": reason}
    if new_deadline:
        args["new_deadline"] = str(new_deadline)
    return _step(store, actor, sheet_id, "decide_supervision_extension", args, now)


def close(store: Store, actor, sheet_id: str, *, note: str = "", now=None) -> SheetRecord:
    return _step(store, actor, sheet_id, "close_supervision", {"expected_status": "reported", "note": note}, now)


def send_back(store: Store, actor, sheet_id: str, *, reason: str, now=None) -> SheetRecord:
    return _step(store, actor, sheet_id, "send_back_supervision", {"expected_status": "reported", "reason": reason},
                 now)


def urge(store: Store, actor, sheet_id: str, *, note: str = "", now=None) -> SheetRecord:
    return _step(store, actor, sheet_id, "urge_supervision", {"note": note}, now)


def withdraw(store: Store, actor, sheet_id: str, *, reason: str, expected_status, now=None) -> SheetRecord:
    return _step(store, actor, sheet_id, "withdraw_supervision",
                 {"expected_status": str(expected_status), "reason": reason}, now)


def available_steps(record: SheetRecord, actor, org_code: str | None = None, *, today: date | None = None,
                    calendar=None) -> list[str]:
    """The step names `actor` may take on `record` now (the UI's buttons); the domain checks again on save."""
    today = today or date.today()
    org = org_code or getattr(actor, "org_code", None) or actor.town_code
    who = sv.Actor(actor.name, actor.role, org)
    state = {**record.data, "status": str(record.status), "deadline": record.deadline.isoformat()}
    S = sv.SheetStatus
    by_status = {
        "sign_supervision": record.status == S.ISSUED,
        "report_supervision": record.status in sv.WORKING,
        "ask_supervision_extension": record.status in sv.WORKING,
        "decide_supervision_extension": record.status == S.EXTENSION_ASKED,
        "close_supervision": record.status == S.REPORTED,
        "send_back_supervision": record.status == S.REPORTED,
        "urge_supervision": sv.may_urge(state, today, calendar)
        and today.isoformat() not in (record.data.get("urged") or []),
        "withdraw_supervision": record.status.is_open,
    }
    return [name for name, ok in by_status.items() if ok and sv.may_act(state, who, name)]


def step(store: Store, actor, sheet_id: str, name: str, args: dict, *, expected_status=None,
         now=None) -> SheetRecord:
    """Any later step by its mutation name (the page's dialogs): `args` as the domain reads them."""
    if name not in sv.STEP_LABELS or name == "issue_supervision":
        raise DomainError(f"不认识的督办操作“{name}”。")
    if expected_status is not None and name != "urge_supervision":
        args = {**args, "expected_status": str(expected_status)}
    return _step(store, actor, sheet_id, name, args, now)


def open_counts(store: Store, actor, *, today: date | None = None) -> tuple[int, int]:
    """(open sheets, overdue ones) the user's organisation supervises or answers for (the sidebar's count)."""
    found = sheets(store, actor, today=today)
    return sum(1 for s in found if s.status.is_open), sum(1 for s in found if s.overdue)

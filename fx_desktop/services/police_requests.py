"""Police assistance requests (公安协助, DOMAIN.md section 5): the squad logs and completes them, the police
station's liaison (or the squad, for a station without an account) enters the police's steps.

Every action commits, in one transaction, the request row, an audit entry (on the case's timeline when the request
names a case; kind "police_request", record_id the request) and an outbox mutation of kind "police_request". Nothing
waits for the network: the sync pushes later. The rules are `domain.police_request`'s, the same functions
fx-bureau's handlers and the sync rebase call."""
from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import func, select, text
from sqlalchemy.orm import Session

from ..domain import organisations as orgs
from ..domain import police_request as pr
from ..domain.errors import DomainError
from ..domain.identifiers import mask_citizen_id
from ..domain.roles import Role
from ..store import Store, audit, outbox
from ..store.models import PoliceRequest
from ..sync.apply_police_request import call_at
from .cases import load_case
from .numbering import next_number
from .referrals import actor_org, case_data, directory_in, domain_actor
from . import records

KIND = pr.KIND
SQUAD_STEPS = ("update_police_request", "file_police_request", "approve_police_request", "withdraw_police_request")


@dataclass(frozen=True)
class RequestRecord:
    """A request as plain data for the UI: `data` is the whole state (domain.police_request)."""

    id: str
    case_id: str | None
    number: str
    situation: pr.Situation
    status: pr.RequestStatus
    owner_org: str
    owner_name: str
    station_org: str
    station_name: str
    call_at: datetime | None
    arrival_minutes: int | None
    data: dict
    synced: bool = False

    @property
    def situation_label(self) -> str:
        return self.situation.label

    @property
    def status_label(self) -> str:
        return self.status.label

    @property
    def to_complete(self) -> list[str]:
        return pr.still_to_complete(self.data) if self.status != pr.RequestStatus.WITHDRAWN else []

    @property
    def party(self) -> str:
        return self.data.get("party") or ""


def to_record(row: PoliceRequest, directory: orgs.OrgDirectory, *, waiting: frozenset[str] = frozenset()
              ) -> RequestRecord:
    return RequestRecord(
        id=row.id, case_id=row.case_id, number=row.number, situation=pr.Situation(row.situation),
        status=pr.RequestStatus(row.status), owner_org=row.owner_org, owner_name=directory.name(row.owner_org),
        station_org=row.station_org, station_name=directory.name(row.station_org), call_at=row.call_at,
        arrival_minutes=row.arrival_minutes, data=row.data or {},
        synced=row.server_version is not None and row.id not in waiting)


def waiting_ids(session: Session) -> frozenset[str]:
    return records.waiting_ids(session, KIND)


def _actor(session: Session, actor) -> pr.Actor:
    who = domain_actor(session, actor)
    return pr.Actor(who.name, who.role, who.org_code)


def _load(session: Session, request_id: str) -> PoliceRequest:
    return records.load(session, PoliceRequest, request_id, "公安协助申请")


def _write(row: PoliceRequest, state: dict, now: datetime) -> None:
    row.data, row.status, row.number, row.station_org = state, state["status"], state.get("number") or "", \
        state["station_org"]
    row.call_at = datetime.fromisoformat(call_at(state)) if call_at(state) else None
    row.arrival_minutes = pr.minutes_to_arrival(state)
    row.updated_at = now


def _audit(session: Session, actor, org: str, name: str, row: PoliceRequest, now: datetime, detail: dict) -> None:
    """The step on the case's timeline; `org` lets the sync rebase replay it as the same actor. An ID number the
    police verified is kept masked there."""
    if detail.get("id_number"):
        detail = {**detail, "id_number": mask_citizen_id(str(detail["id_number"]))}
    audit.append(session, actor=actor.name, role=str(actor.role), case_id=row.case_id, action=name, kind=KIND,
                 record_id=row.id, detail={**detail, "org": org, "number": row.number, "status": row.status}, at=now)


def _number(session: Session, state: dict, now: datetime) -> None:
    if state["filed"] is not None and not state["number"]:
        state["number"] = next_number(session, KIND, state["owner_org"], now.year)


# --- reading ------------------------------------------------------------------------------------------------------

def get(store: Store, request_id: str) -> RequestRecord:
    with store.sessions() as session:
        return to_record(_load(session, request_id), directory_in(session), waiting=waiting_ids(session))


def for_case(store: Store, case_id: str) -> list[RequestRecord]:
    """The case's requests, newest first."""
    with store.sessions() as session:
        directory, waiting = directory_in(session), waiting_ids(session)
        rows = session.execute(select(PoliceRequest).where(PoliceRequest.case_id == case_id)
                               .order_by(PoliceRequest.call_at.desc())).scalars()
        return [to_record(r, directory, waiting=waiting) for r in rows]


def police_choices(store: Store) -> list[tuple[str, str]]:
    """(code, name) of the police organisations a request may go to: the stations, then the sub-bureau."""
    with store.sessions() as session:
        directory = directory_in(session)
        return [(o.code, o.name) for o in (*directory.of_kind(orgs.OrgKind.POLICE_STATION),
                                           *directory.of_kind(orgs.OrgKind.POLICE_BUREAU))]


def default_station(store: Store, org_code: str | None) -> str | None:
    """The town's own station (pcs_<town>), else the first station."""
    choices = [code for code, _name in police_choices(store)]
    if f"pcs_{org_code}" in choices:
        return f"pcs_{org_code}"
    return choices[0] if choices else None


@dataclass(frozen=True)
class RequestFilter:
    """The list's filters (None: any): situation, station, status, the call's period [since, until]."""

    situation: str | None = None
    station: str | None = None
    status: str | None = None
    since: date | None = None
    until: date | None = None


def scope(session: Session, actor) -> tuple[str, dict]:
    """The rows the actor's organisation sees: a police organisation those addressed to it, a town its own, the
    bureau all."""
    org = actor_org(session, actor) or ""
    found = directory_in(session).get(org)
    if found is not None and found.sees_all:
        return "1", {}
    if found is not None and found.kind in (orgs.OrgKind.POLICE_STATION, orgs.OrgKind.POLICE_BUREAU):
        return "station_org = :org", {"org": org}
    return "owner_org = :org", {"org": org}


def where(session: Session, actor, f: RequestFilter) -> tuple[str, dict]:
    clause, params = scope(session, actor)
    parts = [clause]
    for column, value in (("situation", f.situation), ("station_org", f.station), ("status", f.status)):
        if value:
            parts.append(f"{column} = :{column}")
            params[column] = value
    if f.since:
        parts.append("call_at >= :since")
        params["since"] = f"{f.since.isoformat()} 00:00:00"
    if f.until:
        parts.append("call_at < :until")
        params["until"] = f"{date.fromordinal(f.until.toordinal() + 1).isoformat()} 00:00:00"
    return " AND ".join(parts), params


LIST_COLUMNS = ("id", "number", "situation", "status", "station_org", "owner_org", "call_at", "arrival_minutes",
                "json_extract(data, '$.party')", "json_extract(data, '$.place')")


def count(store: Store, actor, f: RequestFilter) -> int:
    with store.sessions() as session:
        clause, params = where(session, actor, f)
        return session.execute(text(f"SELECT count(*) FROM police_requests WHERE {clause}"), params).scalar()


def page(store: Store, actor, f: RequestFilter, offset: int, limit: int) -> list[tuple]:
    """Rows of the list, newest call first (those without a call time, drafts, last): LIST_COLUMNS in that order."""
    with store.sessions() as session:
        clause, params = where(session, actor, f)
        return session.execute(text(
            f"SELECT {', '.join(LIST_COLUMNS)} FROM police_requests WHERE {clause} "
            "ORDER BY call_at DESC, rowid DESC LIMIT :limit OFFSET :offset"),  # the index's order, backwards
            {**params, "limit": limit, "offset": offset}).all()


@dataclass(frozen=True)
class Figures:
    """What the squad is asked for: requests per station and month, and the median minutes from call to arrival."""

    per_station_month: list[tuple[str, str, int]]  # (station name, YYYY-MM, requests)
    median_minutes: float | None
    arrivals: int


def figures(store: Store, actor, f: RequestFilter = RequestFilter()) -> Figures:
    with store.sessions() as session:
        clause, params = where(session, actor, f)
        clause += " AND status != 'draft' AND status != 'withdrawn'"
        directory = directory_in(session)
        counts = session.execute(text(
            f"SELECT station_org, substr(call_at, 1, 7) AS month, count(*) FROM police_requests "
            f"WHERE {clause} GROUP BY station_org, month ORDER BY month, station_org"), params).all()
        minutes = list(session.execute(text(
            f"SELECT arrival_minutes FROM police_requests WHERE {clause} AND arrival_minutes IS NOT NULL"),
            params).scalars())
    return Figures([(directory.name(s), m or "", n) for s, m, n in counts], pr.median(minutes), len(minutes))


# --- actions ------------------------------------------------------------------------------------------------------

def create(store: Store, actor, form: dict, *, file: bool = True, now: datetime | None = None) -> RequestRecord:
    """A new request (an emergency one with only its four fields is enough): saved here at once, pushed later."""
    now = now or datetime.now()
    with store.writes.begin() as session:
        directory = directory_in(session)
        who = _actor(session, actor)
        owner = directory.get(who.org_code)
        if owner is None:
            raise DomainError("单位名单中没有您所在的单位，请先同步参考数据。")
        station = directory.require(form.get("station_org"), "接收的公安机关")
        case = load_case(session, form["case_id"]) if form.get("case_id") else None
        request_id = str(uuid.uuid4())
        args = {k: v for k, v in form.items() if k not in ("request_id", "file", "number")}
        args.update(request_id=request_id, file=file, station_org=station.code,
                    case_id=case.id if case is not None else None)
        state = pr.create(args, case=case_data(case) if case is not None else None, owner=owner, station=station,
                          actor=who, at=now)
        _number(session, state, now)
        args["number"] = state["number"]
        row = PoliceRequest(id=request_id, case_id=state["case_id"], owner_org=owner.code, station_org=station.code,
                            number=state["number"], situation=state["situation"], status=state["status"], version=1,
                            server_version=None, data=state, updated_at=now)
        _write(row, state, now)
        session.add(row)
        _audit(session, actor, who.org_code, "create_police_request", row, now,
               {"situation": state["situation"], "station_org": station.code})
        outbox.enqueue(session, "create_police_request", args, owner=actor.user_id, at=now, kind=KIND,
                       record_id=request_id, case_id=None)
        session.flush()
        return to_record(row, directory, waiting=frozenset({row.id}))


def _step(store: Store, actor, request_id: str, name: str, args: dict, now: datetime | None) -> RequestRecord:
    now = now or datetime.now()
    with store.writes.begin() as session:
        row = _load(session, request_id)
        directory = directory_in(session)
        who = _actor(session, actor)
        station = directory.get(args.get("station_org")) if args.get("station_org") else None
        state = pr.apply_step(name, row.data, args, actor=who, at=now, station=station,
                              station_has_account=bool((row.data or {}).get("station_has_account")))
        _number(session, state, now)
        _write(row, state, now)
        row.version += 1
        _audit(session, actor, who.org_code, name, row, now,
               {k: v for k, v in args.items() if k != "expected_status"})
        outbox.enqueue(session, name, {"request_id": row.id, **args}, owner=actor.user_id, at=now, kind=KIND,
                       record_id=row.id, case_id=None)
        session.flush()
        return to_record(row, directory, waiting=frozenset({row.id}))


def update(store: Store, actor, request_id: str, fields: dict, *, expected_status, now=None) -> RequestRecord:
    """Completing the record (补录) or editing a draft."""
    return _step(store, actor, request_id, "update_police_request",
                 {**fields, "expected_status": str(expected_status)}, now)


def file_request(store: Store, actor, request_id: str, *, now=None) -> RequestRecord:
    return _step(store, actor, request_id, "file_police_request", {"expected_status": "draft"}, now)


def approve(store: Store, actor, request_id: str, *, note: str = "", now=None) -> RequestRecord:
    return _step(store, actor, request_id, "approve_police_request",
                 {"expected_status": "awaiting_approval", "note": note}, now)


def withdraw(store: Store, actor, request_id: str, *, reason: str, expected_status, now=None) -> RequestRecord:
    return _step(store, actor, request_id, "withdraw_police_request",
                 {"expected_status": str(expected_status), "reason": reason}, now)


def police_step(store: Store, actor, request_id: str, name: str, args: dict, *, now=None) -> RequestRecord:
    """One of the police's steps (acknowledge, arrival, identity, outcome), by the liaison or on the police's
    behalf by the squad (`on_behalf_reason`)."""
    if name not in pr.POLICE_STEPS:
        raise DomainError(f"不认识的公安步骤“{name}”。")
    return _step(store, actor, request_id, name, args, now)


def available_steps(record: RequestRecord, actor, org_code: str | None = None) -> list[str]:
    """The step names `actor` may take on `record` now (the UI's buttons); the domain checks again on save."""
    org = org_code or getattr(actor, "org_code", None) or actor.town_code
    role, status = Role(actor.role), record.status
    S = pr.RequestStatus
    police_ok = org == record.station_org and role == Role.POLICE_LIAISON or \
        org == record.owner_org and role in (Role.OFFICER, Role.SQUAD_LEADER, Role.BUREAU_DISPATCHER)
    leader = org == record.owner_org and role in (Role.SQUAD_LEADER, Role.BUREAU_DISPATCHER)
    steps = []
    if org == record.owner_org and role in (Role.OFFICER, Role.SQUAD_LEADER, Role.BUREAU_DISPATCHER) \
            and status != S.WITHDRAWN:
        steps.append("update_police_request")
    if leader and status == S.DRAFT:
        steps.append("file_police_request")
    if leader and status == S.AWAITING_APPROVAL:
        steps.append("approve_police_request")
    if leader and status in (S.DRAFT, S.AWAITING_APPROVAL, S.SENT):
        steps.append("withdraw_police_request")
    if police_ok:
        if status == S.SENT:
            steps.append("acknowledge_police_request")
        if status in (S.SENT, S.ACKNOWLEDGED):
            steps.append("record_police_arrival")
        if status in (S.SENT, S.ACKNOWLEDGED, S.ARRIVED):
            steps.append("record_police_identity")
        if status in (S.ACKNOWLEDGED, S.ARRIVED):
            steps.append("record_police_outcome")
    return steps


def needs_reason(record: RequestRecord, org_code: str) -> bool:
    """Whether the squad must say why it enters a police step: the station has an account (as the server said)."""
    return org_code != record.station_org and bool(record.data.get("station_has_account", True))


def verified_identity(record: RequestRecord) -> dict | None:
    """The identity the police verified, offered to the case's party fields: {party_name, party_id_number}."""
    identity = (record.data.get("police") or {}).get("identity")
    if not identity or identity.get("result") != "verified":
        return None
    return {"party_name": identity["name"], "party_id_number": identity["id_number"]}


def masked_identity(record: RequestRecord) -> str:
    found = verified_identity(record)
    return f"{found['party_name']} {mask_citizen_id(found['party_id_number'])}" if found else ""


def open_for_station(store: Store, actor, *, limit: int = 50) -> tuple[list[RequestRecord], int]:
    """A police liaison's open requests (sent or being handled), oldest call first, and how many there are."""
    with store.sessions() as session:
        clause, params = scope(session, actor)
        open_states = ("sent", "acknowledged", "arrived")
        query = select(PoliceRequest).where(text(clause).bindparams(**params), PoliceRequest.status.in_(open_states))
        total = session.execute(select(func.count()).select_from(query.subquery())).scalar()
        rows = session.execute(query.order_by(PoliceRequest.call_at).limit(limit)).scalars()
        directory, waiting = directory_in(session), waiting_ids(session)
        return [to_record(r, directory, waiting=waiting) for r in rows], total


# An emergency request still lacking one of the fields still_to_complete() names (the same list, in SQL)
_TO_COMPLETE = ("situation = 'emergency' AND status != 'withdrawn' AND (json_extract(data, '$.urgency') = '' "
                "OR json_extract(data, '$.call_time') = '' OR json_extract(data, '$.incident_number') = '' "
                "OR json_extract(data, '$.details') = '' OR json_extract(data, '$.contact.name') = '' "
                "OR (json_extract(data, '$.risk.people_expected') IS NULL "
                "AND json_extract(data, '$.risk.notes') = ''))")


def squad_open_ids(session: Session, org: str, limit: int) -> tuple[list[str], int]:
    """The ids of the first `limit` of squad_open's requests (oldest call first) and how many there are. Two parts,
    each read from an index: those to complete from the partial index of store migration 0018 (its condition
    stated as the same terms), not every emergency request's JSON."""
    params = {"org": org}
    steps = "owner_org = :org AND status IN ('draft', 'awaiting_approval')"
    owing = f"owner_org = :org AND {_TO_COMPLETE} AND status NOT IN ('draft', 'awaiting_approval')"
    total = session.execute(text(f"SELECT (SELECT count(*) FROM police_requests WHERE {steps}) + "
                                 f"(SELECT count(*) FROM police_requests WHERE {owing})"), params).scalar()
    ids = list(session.execute(text(
        f"SELECT id FROM (SELECT id, call_at FROM police_requests WHERE {steps} UNION ALL "
        f"SELECT id, call_at FROM police_requests WHERE {owing}) ORDER BY call_at LIMIT :n"),
        {**params, "n": limit}).scalars())
    return ids, total


def squad_open(store: Store, actor, *, limit: int = 50) -> tuple[list[RequestRecord], int]:
    """The squad's own requests to act on (drafts, joint operations awaiting approval, emergency requests still to
    be completed), oldest call first, and how many there are; the bureau's dispatcher: the bureau's own."""
    with store.sessions() as session:
        ids, total = squad_open_ids(session, actor_org(session, actor) or "", limit)
        rows = session.execute(select(PoliceRequest).where(PoliceRequest.id.in_(ids))).scalars().all()
        directory, waiting = directory_in(session), waiting_ids(session)
        order = {i: n for n, i in enumerate(ids)}
        return [to_record(r, directory, waiting=waiting) for r in sorted(rows, key=lambda r: order[r.id])], total


def identity_to_case(store: Store, actor, record: RequestRecord):
    """The identity the police verified, into the case's party fields: the case is validated and saved as any edit
    (services.cases.update_case), so the change is on the case's timeline."""
    import dataclasses

    from . import cases

    found = verified_identity(record)
    if found is None or not record.case_id:
        raise DomainError("该公安协助申请没有公安核实的身份，或未关联案件。")
    case = cases.get_case(store, record.case_id)
    draft = dataclasses.replace(case.draft(), party_kind="person", **found)
    return cases.update_case(store, actor, record.case_id, draft, base_version=case.version, loaded=case)

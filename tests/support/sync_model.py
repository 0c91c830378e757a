"""The bookkeeping of the model-based sync test (tests/sync/test_sync_model.py): what each user saved (case edits,
referral steps), what the server and each device hold after a quiet sync, and the invariants between them. Read
from the databases themselves (the server's through SQL, each device's SQLite store), never from what the sync
code reports. Record kinds: cases (owned by a town) and referrals (owned by the town, shared with the receiving
department, a party that sees the referral and its case snapshot and nothing else of the town's) and supervision
sheets (owned by the supervising town, shared with the responsible department); meetings (owned by the convening
town, shared with the organisations invited or named by an agreed item) and consultation items (owned by the town
that keeps the list, shared with the units concerned); roster entries (owned by a town, shared with nobody: only the
town and the bureau see them)."""
from __future__ import annotations

import json
from dataclasses import dataclass, field

from sqlalchemy import select

from fx_desktop.domain.case_draft import to_json_value
from fx_desktop.domain.case_fields import EDITABLE_COLUMNS as EDITABLE
from fx_desktop.domain.referral import ReferralStatus, case_effect, case_snapshot
from fx_desktop.store.models import (Case, ConsultationItem, Evidence, LegalReview, Meeting, OutboxEntry, Referral,
                                     RosterEntry, Supervision, SyncConflict)

# What the server's mutation_log says for each local outbox state.
RESULT_OF = {"done": "applied", "conflict": "conflict", "rejected": "rejected"}


def _json(value):
    """A JSON column read as text (CAST(... AS TEXT) in the query: PostgreSQL would hand a JSON string back
    decoded, SQLite as its JSON text)."""
    return None if value is None else json.loads(value)


def may_see(account, owner: str, parties=frozenset()) -> bool:
    """Whether the user of `account` sees a record owned by organisation `owner` with these party organisations
    (a case and a roster entry have none: their town's and the bureau's alone): the bureau sees all, anyone else
    what their organisation owns or is a party to. The one place the test says who sees what; `audience` says who a
    meeting's or consultation item's parties are."""
    return account.org_kind == "bureau" or account.org_code == owner or account.org_code in parties


def audience(kind: str, data: dict | None) -> set[str]:
    """The parties of a meeting (the organisations invited, and those an agreed item of the minutes or of a kept
    version names as lead or supporting unit) or of a consultation item (the units concerned), read from the state
    as the user wrote it; once a party always one (the state's `shared_with`). The owner is not its own party."""
    data = data or {}
    codes = set(data.get("shared_with") or [])
    if kind == "meeting":
        codes |= {i.get("org") for i in data.get("invitees") or []}
        minutes = data.get("minutes") or {}
        for m in (minutes, *(minutes.get("previous") or [])):
            for item in m.get("items") or []:
                codes |= {item.get("lead_org"), *(item.get("supporting_orgs") or [])}
    elif kind == "consultation_item":
        codes |= set(data.get("units") or [])
    return {c for c in codes if c and c != data.get("owner_org")}


# What a referral's state holds (domain.referral.submit makes it, the steps fill their entries) and what of the case
# its party sees: a key beyond these would be something of the town's the department was not meant to get.
REFERRAL_KEYS = frozenset({
    "id", "case_id", "owner_org", "receiving_org", "number", "status", "reason", "legal_basis", "summary", "materials",
    "items", "contact", "case_status_before", "case_snapshot", "submitted", "submitted_on", "receipt_due",
    "result_due", "receipt", "accepted", "returned", "result", "withdrawn"})
SNAPSHOT_KEYS = frozenset(case_snapshot({}, []))
# Where each referral step leaves the text the user typed (the model makes each one unique).
STEP_MARK = {"submit_referral": (None, "reason"), "sign_referral": ("receipt", "signed_by"),
             "accept_referral": ("accepted", "their_number"), "return_referral": ("returned", "reason"),
             "record_referral_result": ("result", "reasons"), "withdraw_referral": ("withdrawn", "reason")}
KEEP_STATUS = frozenset({"create_case", "update_case", "resolve_conflict", "add_evidence"})  # leave the status be
UNDONE_BY = {"returned": "return_referral", "withdrawn": "withdraw_referral"}  # the steps giving the case back
HOLDS_CASE = frozenset(s for s in ReferralStatus if s.is_open) | {ReferralStatus.CONCLUDED}


def step_mark(data: dict | None, name: str):
    entry, key = STEP_MARK[name]
    found = data if entry is None else (data or {}).get(entry)
    return (found or {}).get(key)


@dataclass
class Edit:
    """One saved change of one case field: `base` is the value the user saw and replaced."""

    device: str
    client_id: str
    seq: int  # the owner's mutation id of the update_case
    case_id: str
    field: str
    base: object
    value: str
    superseded: bool = False  # someone saw this value and replaced it with another: it need not survive


@dataclass
class Step:
    """One saved referral step (submit included): `mark` is the unique text the user typed into it (the reason,
    who signed, their case number...), which the step's entry in the referral's state shows once applied."""

    device: str
    client_id: str
    seq: int
    referral_id: str
    name: str
    mark: str


@dataclass
class ServerState:
    cases: dict[str, dict]
    conflicts: dict[str, dict]
    log: dict[tuple[str, int], dict]
    clients: dict[str, int]
    rounds: dict[str, dict]  # legal review rounds (record kind legal_review): case_id, version
    referrals: dict[str, dict] = field(default_factory=dict)
    parties: dict[str, set[str]] = field(default_factory=dict)  # referral id -> party organisations
    case_meta: dict[str, dict] = field(default_factory=dict)  # case id -> number, seq (not compared with devices)
    sheets: dict[str, dict] = field(default_factory=dict)  # supervision sheets (record kind supervision)
    sheet_parties: dict[str, set[str]] = field(default_factory=dict)
    meetings: dict[str, dict] = field(default_factory=dict)  # record kind meeting, with its parties
    items: dict[str, dict] = field(default_factory=dict)  # record kind consultation_item, with its parties
    roster: dict[str, dict] = field(default_factory=dict)  # record kind roster_entry (no parties)

    @classmethod
    def read(cls, bureau) -> "ServerState":
        cases, reviews, rounds = {}, {}, {}
        for id_, case_id, round_no, status, version in bureau.sql(
                "SELECT id, case_id, round_no, status, version FROM legal_reviews"):
            reviews.setdefault(case_id, []).append((id_, round_no, status, version))
            rounds[id_] = {"case_id": case_id, "version": version}
        for id_, town, status, version, passed, fields, officers in bureau.sql(
                "SELECT id, town_code, status, version, review_passed, CAST(fields AS TEXT), CAST(officers AS TEXT) "
                "FROM cases"):
            cases[id_] = {"town": town, "status": status, "version": version, "review_passed": bool(passed),
                          "fields": _fields(_json(fields) or {}), "officers": _json(officers) or [],
                          "reviews": sorted(reviews.get(id_, []))}
        conflicts = {c[0]: {"case_id": c[1], "town": c[2], "field": c[3], "mine": _json(c[4]), "theirs": _json(c[5]),
                            "status": c[6]}
                     for c in bureau.sql("SELECT id, case_id, town_code, field, CAST(mine AS TEXT), "
                                         "CAST(theirs AS TEXT), status FROM conflicts")}
        log = {(c, int(m)): {"result": r, "reason": reason, "case_id": case_id, "kind": kind, "name": name}
               for c, m, r, reason, case_id, kind, name in
               bureau.sql("SELECT client_id, mutation_id, result, reason, case_id, kind, name FROM mutation_log")}
        clients = {c: int(last) for c, last in bureau.sql("SELECT id, last_mutation_id FROM clients")}
        referrals = {r[0]: {"owner": r[1], "receiving": r[2], "case_id": r[3], "number": r[4], "status": r[5],
                            "version": r[6], "data": _json(r[7])} | {"seq": int(r[8])}
                     for r in bureau.sql("SELECT id, owner_org, receiving_org, case_id, number, status, version, "
                                         "CAST(data AS TEXT), seq FROM referrals")}
        parties: dict[str, set[str]] = {}
        for record_id, org in bureau.sql("SELECT record_id, org_code FROM record_parties WHERE kind = 'referral'"):
            parties.setdefault(record_id, set()).add(org)
        case_meta = {i: {"number": n, "seq": int(q)} for i, n, q in bureau.sql("SELECT id, number, seq FROM cases")}
        sheets = {r[0]: {"owner": r[1], "responsible": r[2], "number": r[3], "status": r[4], "deadline": str(r[5]),
                         "version": r[6], "data": _json(r[7])}
                  for r in bureau.sql("SELECT id, owner_org, responsible_org, number, status, deadline, version, "
                                      "CAST(data AS TEXT) FROM supervisions")}
        sheet_parties: dict[str, set[str]] = {}
        for record_id, org in bureau.sql("SELECT record_id, org_code FROM record_parties WHERE kind = 'supervision'"):
            sheet_parties.setdefault(record_id, set()).add(org)
        shared: dict[tuple[str, str], set[str]] = {}
        for kind, record_id, org in bureau.sql("SELECT kind, record_id, org_code FROM record_parties "
                                               "WHERE kind IN ('meeting', 'consultation_item')"):
            shared.setdefault((kind, record_id), set()).add(org)
        meetings = {r[0]: {"owner": r[1], "number": r[2], "status": r[3], "version": r[4], "data": _json(r[5]),
                           "parties": shared.get(("meeting", r[0]), set())}
                    for r in bureau.sql("SELECT id, owner_org, number, status, version, CAST(data AS TEXT) "
                                        "FROM meetings")}
        items = {r[0]: {"owner": r[1], "case_id": r[2], "status": r[3], "version": r[4], "data": _json(r[5]),
                        "parties": shared.get(("consultation_item", r[0]), set())}
                 for r in bureau.sql("SELECT id, owner_org, case_id, status, version, CAST(data AS TEXT) "
                                     "FROM consultation_items")}
        roster = {r[0]: {"owner": r[1], "active": bool(r[2]), "version": r[3], "data": _json(r[4])}
                  for r in bureau.sql("SELECT id, owner_org, active, version, CAST(data AS TEXT) FROM roster_entries")}
        return cls(cases, conflicts, log, clients, rounds, referrals, parties, case_meta, sheets, sheet_parties,
                   meetings, items, roster)


def _fields(values: dict) -> dict:
    return {k: values.get(k) for k in EDITABLE}


@dataclass
class DeviceState:
    cases: dict[str, dict]
    conflicts: dict[str, dict]
    outbox: dict[int, dict]  # the owner's mutation id -> state, reason
    referrals: dict[str, dict] = field(default_factory=dict)
    case_rows: int = 0  # rows of the case's tables (evidence, review rounds): none on a department's device
    sheets: dict[str, dict] = field(default_factory=dict)
    meetings: dict[str, dict] = field(default_factory=dict)
    items: dict[str, dict] = field(default_factory=dict)
    roster: dict[str, dict] = field(default_factory=dict)

    @classmethod
    def read(cls, store, owner: str) -> "DeviceState":
        with store.sessions() as session:
            reviews: dict[str, list] = {}
            for r in session.execute(select(LegalReview)).scalars():
                reviews.setdefault(r.case_id, []).append((r.id, r.round_no, r.status, r.server_version))
            cases = {c.id: {"town": c.town_code, "status": c.status, "version": c.server_version,
                            "review_passed": bool(c.review_passed),
                            "fields": {k: to_json_value(getattr(c, k)) for k in EDITABLE},
                            "officers": [[o.name, o.cert_no] for o in c.officers],
                            "reviews": sorted(reviews.get(c.id, []))}
                     for c in session.execute(select(Case)).scalars()}
            conflicts = {c.id: {"case_id": c.case_id, "field": c.field, "mine": c.mine, "theirs": c.theirs,
                                "status": c.status} for c in session.execute(select(SyncConflict)).scalars()}
            outbox = {e.seq: {"state": e.state, "reason": e.reason, "name": e.name, "case_id": e.case_id}
                      for e in session.execute(select(OutboxEntry).where(OutboxEntry.owner == owner)).scalars()}
            referrals = {r.id: {"owner": r.owner_org, "receiving": r.receiving_org, "case_id": r.case_id,
                                "number": r.number, "status": r.status, "version": r.server_version, "data": r.data}
                         for r in session.execute(select(Referral)).scalars()}
            case_rows = sum(len(session.execute(select(m)).all()) for m in (Evidence, LegalReview))
            sheets = {s.id: {"owner": s.owner_org, "responsible": s.responsible_org, "number": s.number,
                             "status": s.status, "deadline": s.deadline, "version": s.server_version, "data": s.data}
                      for s in session.execute(select(Supervision)).scalars()}
            meetings = {m.id: {"owner": m.owner_org, "number": m.number, "status": m.status,
                               "version": m.server_version, "data": m.data, "parties": _party_set(m.party_orgs)}
                        for m in session.execute(select(Meeting)).scalars()}
            items = {i.id: {"owner": i.owner_org, "case_id": i.case_id, "status": i.status,
                            "version": i.server_version, "data": i.data, "parties": _party_set(i.party_orgs)}
                     for i in session.execute(select(ConsultationItem)).scalars()}
            roster = {e.id: {"owner": e.owner_org, "active": bool(e.active), "version": e.server_version,
                             "data": e.data}
                      for e in session.execute(select(RosterEntry)).scalars()}
        return cls(cases, conflicts, outbox, referrals, case_rows, sheets, meetings, items, roster)


def _party_set(text: str | None) -> set[str]:
    """A client row's `party_orgs` (",scjg,ghzy,") as a set."""
    return {c for c in (text or "").split(",") if c}


@dataclass
class Model:
    """What must be true whatever the order of syncs and faults."""

    edits: list[Edit] = field(default_factory=list)
    created: dict[str, str] = field(default_factory=dict)  # case id -> device that created it, in creation order
    steps: list[Step] = field(default_factory=list)
    referrals: dict[str, str] = field(default_factory=dict)  # referral id -> device that submitted it, in order
    sheets: dict[str, str] = field(default_factory=dict)  # supervision sheet id -> device that issued it, in order
    meetings: dict[str, str] = field(default_factory=dict)  # meeting id -> device that created it, in order
    items: dict[str, str] = field(default_factory=dict)  # consultation item id -> device that created it, in order
    roster: dict[str, str] = field(default_factory=dict)  # roster entry id -> device that added it, in order

    def saved(self, edit: Edit) -> None:
        """A user replaced `edit.base`: the edit that wrote that value has been seen and superseded (values are
        unique, so the value names the edit)."""
        for earlier in self.edits:
            if (earlier.case_id, earlier.field, earlier.value) == (edit.case_id, edit.field, edit.base):
                earlier.superseded = True
        self.edits.append(edit)

    def stepped(self, step: Step) -> None:
        if step.name == "submit_referral":
            self.referrals[step.referral_id] = step.device
        self.steps.append(step)


def problems(model: Model, server: ServerState, devices: list[tuple[str, object, DeviceState]]) -> list[str]:
    """Every broken invariant, in words. `devices` holds (name, account, state read after a quiet sync)."""
    found = []
    for name, account, state in devices:
        found += _device_matches_server(name, account, state, server)
        found += _each_mutation_once(name, account, state, server)
    found += _nothing_lost(model, server)
    found += _clashes_are_conflicts(model, server)
    found += _versions_explained(server)
    found += _steps_applied_or_rejected(model, server)
    found += _referred_exactly_while_held(server)
    found += _referrals_well_formed(server)
    found += _parties_as_named(server)
    return found


def _parties_as_named(server: ServerState) -> list[str]:
    """fx-bureau shares a meeting or consultation item with exactly the organisations its state names (`audience`):
    a unit left out would never get it, an extra one would see what it was not meant to."""
    found = []
    for kind, rows in (("meeting", server.meetings), ("consultation_item", server.items)):
        for i, r in rows.items():
            if r["parties"] != audience(kind, r["data"]):
                found.append(f"{kind} {i}: parties {sorted(r['parties'])}, its state names "
                             f"{sorted(audience(kind, r['data']))}")
    return found


def _device_matches_server(name: str, account, state: DeviceState, server: ServerState) -> list[str]:
    found = []
    visible = {i: c for i, c in server.cases.items() if may_see(account, c["town"])}
    for case_id in sorted(set(visible) | set(state.cases)):
        mine, theirs = state.cases.get(case_id), visible.get(case_id)
        if theirs is None:
            found.append(f"{name}: has case {case_id} the server does not show it ({mine and mine['status']})")
        elif mine is None:
            found.append(f"{name}: lacks case {case_id} of its town ({theirs['status']} v{theirs['version']})")
        elif mine != theirs:
            diff = {k: (mine[k], theirs[k]) for k in theirs if mine[k] != theirs[k]}
            found.append(f"{name}: case {case_id} differs from the server (device, server): {diff}")
    seen = {i: {k: v for k, v in c.items() if k != "town"} for i, c in server.conflicts.items()
            if may_see(account, c["town"])}
    if state.conflicts != seen:
        found.append(f"{name}: conflicts differ from the server's for its town: device {state.conflicts}, "
                     f"server {seen}")
    found += _referrals_match(name, account, state, server)
    found += _sheets_match(name, account, state, server)
    for kind, what, mine, theirs in (("meeting", "meeting", state.meetings, server.meetings),
                                     ("consultation_item", "consultation item", state.items, server.items),
                                     ("roster_entry", "roster entry", state.roster, server.roster)):
        found += _records_match(name, account, kind, what, mine, theirs)
    if account.town_code is None and account.org_kind != "bureau":
        if state.cases or state.conflicts or state.case_rows:
            found.append(f"{name} ({account.org_code}) holds case data of a town: {len(state.cases)} cases, "
                         f"{len(state.conflicts)} conflicts, {state.case_rows} evidence / review rows")
    return found


def _referrals_match(name: str, account, state: DeviceState, server: ServerState) -> list[str]:
    """The device holds exactly the referrals its organisation owns or is a party to, each as the server has it
    (status, number, version, the whole state with every step's entry)."""
    found = []
    visible = {i: {k: v for k, v in r.items() if k != "seq"} for i, r in server.referrals.items()
               if may_see(account, r["owner"], server.parties.get(i, ()))}
    for referral_id in sorted(set(visible) | set(state.referrals)):
        mine, theirs = state.referrals.get(referral_id), visible.get(referral_id)
        if theirs is None:
            where = "the server has it for another organisation" if referral_id in server.referrals else \
                "the server does not have it"
            found.append(f"{name}: has referral {referral_id} ({mine['status']}, {mine['number']}) but {where}")
        elif mine is None:
            found.append(f"{name}: lacks referral {referral_id} of {theirs['owner']} to {theirs['receiving']} "
                         f"({theirs['status']} v{theirs['version']})")
        elif mine != theirs:
            diff = {k: (mine[k], theirs[k]) for k in theirs if mine[k] != theirs[k]}
            found.append(f"{name}: referral {referral_id} differs from the server (device, server): {diff}")
    return found


def _sheets_match(name: str, account, state: DeviceState, server: ServerState) -> list[str]:
    """The device holds exactly the supervision sheets its organisation issued or answers for, each as the server
    has it (status, number, deadline, version, the whole state with every step in its history)."""
    found = []
    visible = {i: s for i, s in server.sheets.items() if may_see(account, s["owner"], server.sheet_parties.get(i, ()))}
    for sheet_id in sorted(set(visible) | set(state.sheets)):
        mine, theirs = state.sheets.get(sheet_id), visible.get(sheet_id)
        if theirs is None:
            found.append(f"{name}: has supervision sheet {sheet_id} ({mine['status']}) the server does not show it")
        elif mine is None:
            found.append(f"{name}: lacks supervision sheet {sheet_id} ({theirs['status']} v{theirs['version']})")
        elif mine != theirs:
            diff = {k: (mine[k], theirs[k]) for k in theirs if mine[k] != theirs[k]}
            found.append(f"{name}: supervision sheet {sheet_id} differs from the server (device, server): {diff}")
    return found


def _records_match(name: str, account, kind: str, what: str, held: dict[str, dict],
                   server_rows: dict[str, dict]) -> list[str]:
    """The device holds exactly the records of a kind its organisation owns or is a party to (a roster entry has no
    parties: its town's and the bureau's alone), each as the server has it: status, number, version, the whole
    state, and the parties (the client's `party_orgs`, the server's record_parties)."""
    found = []
    visible = {i: r for i, r in server_rows.items() if may_see(account, r["owner"], audience(kind, r["data"]))}
    for record_id in sorted(set(visible) | set(held)):
        mine, theirs = held.get(record_id), visible.get(record_id)
        if theirs is None:
            where = f"the server has it for {server_rows[record_id]['owner']}" if record_id in server_rows else \
                "the server does not have it"
            found.append(f"{name}: has {what} {record_id} ({mine.get('status', mine['owner'])}) but {where}")
        elif mine is None:
            found.append(f"{name}: lacks {what} {record_id} of {theirs['owner']} (v{theirs['version']})")
        elif mine != theirs:
            diff = {k: (mine[k], theirs[k]) for k in theirs if mine[k] != theirs[k]}
            found.append(f"{name}: {what} {record_id} differs from the server (device, server): {diff}")
    return found


def _each_mutation_once(name: str, account, state: DeviceState, server: ServerState) -> list[str]:
    """Every saved change reached the server exactly once, with the outcome the device shows."""
    found = []
    pending = sorted(seq for seq, e in state.outbox.items() if e["state"] == "pending")
    if pending:
        found.append(f"{name}: mutations still pending after a quiet sync: {pending}")
    logged = {m: e for (c, m), e in server.log.items() if c == account.client_id}
    if set(logged) != set(state.outbox):
        found.append(f"{name}: outbox ids {sorted(state.outbox)} but the server logged {sorted(logged)}")
    for seq, entry in state.outbox.items():
        done = logged.get(seq)
        if done and RESULT_OF.get(entry["state"]) != done["result"]:
            found.append(f"{name}: mutation {seq} ({entry['name']}) is {entry['state']} here, {done['result']} on "
                         "the server")
        if entry["state"] == "rejected" and not entry["reason"]:
            found.append(f"{name}: mutation {seq} ({entry['name']}) rejected without a reason")
    last = server.clients.get(account.client_id)
    if last != max(state.outbox, default=0):
        found.append(f"{name}: the server's last_mutation_id is {last}, the outbox ends at "
                     f"{max(state.outbox, default=0)}")
    return found


def _holds(server: ServerState, case_id: str, field_name: str, value) -> bool:
    """`value` is readable on the server: the field's value, or a side of a conflict on that field."""
    case = server.cases.get(case_id)
    if case is not None and case["fields"].get(field_name) == value:
        return True
    return any(c["case_id"] == case_id and c["field"] == field_name and value in (c["mine"], c["theirs"])
               for c in server.conflicts.values())


def _rejected(server: ServerState, edit: Edit) -> bool:
    entry = server.log.get((edit.client_id, edit.seq))
    return bool(entry and entry["result"] == "rejected" and entry["reason"])


def _nothing_lost(model: Model, server: ServerState) -> list[str]:
    found = []
    for case_id, device in model.created.items():
        if case_id not in server.cases:
            found.append(f"case {case_id} created on {device} is not on the server")
    for what, made, rows, create in (("meeting", model.meetings, server.meetings, "create_meeting"),
                                     ("consultation item", model.items, server.items, "create_consultation_item"),
                                     ("roster entry", model.roster, server.roster, "add_roster_entry")):
        refused = {e["case_id"] for e in server.log.values() if e["name"] == create and e["result"] == "rejected"}
        found += [f"{what} {i} created on {device} is not on the server and its creation was not rejected"
                  for i, device in made.items() if i not in rows and i not in refused]
    for e in model.edits:
        if not e.superseded and not _holds(server, e.case_id, e.field, e.value) and not _rejected(server, e):
            now = server.cases.get(e.case_id, {}).get("fields", {}).get(e.field)
            found.append(f"lost: {e.device} set {e.field} of {e.case_id} from {e.base!r} to {e.value!r} (mutation "
                         f"{e.seq}); the server has {now!r}, no conflict holds it and it was not rejected")
    return found


def _clashes_are_conflicts(model: Model, server: ServerState) -> list[str]:
    """Two devices that changed one field from the same value, neither having seen the other's: a conflict on
    that field holds one of the two values (the other is the field's value or a side of it), unless the server
    refused one of the changes with its reason."""
    found = []
    for i, a in enumerate(model.edits):
        for b in model.edits[i + 1:]:
            if (a.case_id, a.field, a.base) != (b.case_id, b.field, b.base) or a.device == b.device:
                continue
            if _rejected(server, a) or _rejected(server, b):
                continue
            if not any(c["case_id"] == a.case_id and c["field"] == a.field
                       and {a.value, b.value} & {c["mine"], c["theirs"]} for c in server.conflicts.values()):
                found.append(f"clash without a conflict: {a.device} set {a.field} of {a.case_id} to {a.value!r}, "
                             f"{b.device} to {b.value!r}, both from {a.base!r}")
    return found


def _versions_explained(server: ServerState) -> list[str]:
    """A record's version counts the changes applied to it: never more than the mutations the log shows applied to
    it (an effect applied twice would show as a version no logged mutation explains). A review step is logged on
    its round and changes the case too; a return of the case (logged on the case) withdraws its open round. A
    referral step that moves its case (submit, return, withdraw) counts for the case too."""
    applied: dict[str, int] = {}
    for entry in server.log.values():
        if entry["result"] in ("applied", "conflict") and entry["case_id"]:
            applied[entry["case_id"]] = applied.get(entry["case_id"], 0) + 1
            if entry["kind"] == "legal_review" and entry["case_id"] in server.rounds:
                case_id = server.rounds[entry["case_id"]]["case_id"]
                applied[case_id] = applied.get(case_id, 0) + 1
            referral = server.referrals.get(entry["case_id"]) if entry["kind"] == "referral" else None
            if referral and entry["name"] in ("submit_referral", "return_referral", "withdraw_referral"):
                applied[referral["case_id"]] = applied.get(referral["case_id"], 0) + 1
    records = [("case", i, c) for i, c in server.cases.items()] + [("referral", i, r)
                                                                  for i, r in server.referrals.items()]
    records += [("supervision sheet", i, s) for i, s in server.sheets.items()]
    records += [("meeting", i, m) for i, m in server.meetings.items()]
    records += [("consultation item", i, m) for i, m in server.items.items()]
    records += [("roster entry", i, m) for i, m in server.roster.items()]
    found = [f"{kind} {i} is at version {r['version']} but only {applied.get(i, 0)} mutations were applied to it"
             for kind, i, r in records if r["version"] > applied.get(i, 0)]
    for i, r in server.rounds.items():
        explained = applied.get(i, 0) + applied.get(r["case_id"], 0)
        if r["version"] > explained:
            found.append(f"review round {i} is at version {r['version']} but only {explained} mutations on it and "
                         "its case were applied")
    return found


def _steps_applied_or_rejected(model: Model, server: ServerState) -> list[str]:
    """Each saved referral step is on the server once: applied, and its entry in the referral's state holds what
    the user typed; or rejected with its reason, and nothing of it in the state. Never silently lost."""
    found = []
    for s in model.steps:
        entry = server.log.get((s.client_id, s.seq))
        data = (server.referrals.get(s.referral_id) or {}).get("data")
        there = step_mark(data, s.name) == s.mark
        what = f"{s.device}'s {s.name} on {s.referral_id} (mutation {s.seq}, {s.mark!r})"
        if entry is None:
            found.append(f"lost: {what} is not in the server's log")
        elif entry["result"] == "applied" and not there:
            found.append(f"{what} is logged applied but the referral shows {step_mark(data, s.name)!r}")
        elif entry["result"] == "rejected" and (there or not entry["reason"]):
            found.append(f"{what} is rejected ({entry['reason']!r}) yet shows in the referral" if there else
                         f"{what} is rejected without a reason")
        elif entry["result"] not in ("applied", "rejected"):
            found.append(f"{what} has the result {entry['result']!r}")
    return found


def _referred_exactly_while_held(server: ServerState) -> list[str]:
    """A case is 已移送 exactly while one referral of it is open or concluded; after a return or a withdrawal it is
    back where it was when referred (checked for the cases no status step of the squad's has moved since: then
    every referral of the case left from, and gave back, that one status)."""
    found = []
    by_case: dict[str, list[dict]] = {}
    for r in server.referrals.values():
        by_case.setdefault(r["case_id"], []).append(r)
    moved = {e["case_id"] for e in server.log.values()
             if e["kind"] == "case" and e["result"] == "applied" and e["name"] not in KEEP_STATUS}
    for case_id, case in server.cases.items():
        held = [r for r in by_case.get(case_id, []) if r["status"] in HOLDS_CASE]
        if len(held) > 1 or (case["status"] == "referred") != bool(held):
            found.append(f"case {case_id} is {case['status']} with referrals "
                         f"{[(r['number'], r['status']) for r in by_case.get(case_id, [])]}")
        if held or case_id in moved:
            continue
        for r in by_case.get(case_id, []):
            before = case_effect(UNDONE_BY[r["status"]], r["data"])
            if case["status"] != before:
                found.append(f"case {case_id} is {case['status']} after its referral {r['number']} was "
                             f"{r['status']}, not back to {before}")
    return found


def _referrals_well_formed(server: ServerState) -> list[str]:
    """The receiving department is the referral's one party; its state holds the steps' entries and a snapshot of
    the case (its number, the fields a department needs) and nothing else of the town's."""
    found = []
    for i, r in server.referrals.items():
        data = r["data"] or {}
        if server.parties.get(i, set()) != {r["receiving"]}:
            found.append(f"referral {i}: parties {server.parties.get(i)}, expected {{{r['receiving']!r}}}")
        if set(data) != REFERRAL_KEYS or set(data.get("case_snapshot") or {}) != SNAPSHOT_KEYS:
            found.append(f"referral {i}: unexpected keys {sorted(set(data) ^ REFERRAL_KEYS)} / "
                         f"{sorted(set(data.get('case_snapshot') or {}) ^ SNAPSHOT_KEYS)}")
        case, fields = server.case_meta.get(r["case_id"]), server.cases.get(r["case_id"], {}).get("fields", {})
        snapshot = data.get("case_snapshot") or {}
        if case is None or (snapshot.get("number"), snapshot.get("party_name")) != (
                case["number"], fields.get("party_name")) or (data.get("status"), data.get("number")) != (
                r["status"], r["number"]):
            found.append(f"referral {i}: snapshot {snapshot.get('number')!r} {snapshot.get('party_name')!r} vs "
                         f"case {case and case['number']!r} {fields.get('party_name')!r}; state "
                         f"{data.get('status')}/{data.get('number')} vs row {r['status']}/{r['number']}")
    return found

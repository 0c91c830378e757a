"""The bookkeeping of the model-based sync test (tests/sync/test_sync_model.py): what each user saved, what the
server and each device hold after a quiet sync, and the invariants between them. Read from the databases
themselves (the server's through SQL, each device's SQLite store), never from what the sync code reports."""
from __future__ import annotations

import json
from dataclasses import dataclass, field

from sqlalchemy import select

from fx_desktop.domain.case_draft import to_json_value
from fx_desktop.domain.case_fields import EDITABLE_COLUMNS as EDITABLE
from fx_desktop.store.models import Case, LegalReview, OutboxEntry, SyncConflict

# What the server's mutation_log says for each local outbox state.
RESULT_OF = {"done": "applied", "conflict": "conflict", "rejected": "rejected"}


def _json(value):
    """A JSON column read as text (CAST(... AS TEXT) in the query: PostgreSQL would hand a JSON string back
    decoded, SQLite as its JSON text)."""
    return None if value is None else json.loads(value)


def may_see(town_code: str | None, case_town: str) -> bool:
    """Whether a user of `town_code` (None: the bureau) sees a case of `case_town`. The one place the test says who
    sees what: a party organisation's rule joins it when shared records exist."""
    return town_code is None or town_code == case_town


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
class ServerState:
    cases: dict[str, dict]
    conflicts: dict[str, dict]
    log: dict[tuple[str, int], dict]
    clients: dict[str, int]
    rounds: dict[str, dict]  # legal review rounds (record kind legal_review): case_id, version

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
        log = {(c, int(m)): {"result": r, "reason": reason, "case_id": case_id, "kind": kind}
               for c, m, r, reason, case_id, kind in
               bureau.sql("SELECT client_id, mutation_id, result, reason, case_id, kind FROM mutation_log")}
        clients = {c: int(last) for c, last in bureau.sql("SELECT id, last_mutation_id FROM clients")}
        return cls(cases, conflicts, log, clients, rounds)


def _fields(values: dict) -> dict:
    return {k: values.get(k) for k in EDITABLE}


@dataclass
class DeviceState:
    cases: dict[str, dict]
    conflicts: dict[str, dict]
    outbox: dict[int, dict]  # the owner's mutation id -> state, reason

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
        return cls(cases, conflicts, outbox)


@dataclass
class Model:
    """What must be true whatever the order of syncs and faults."""

    edits: list[Edit] = field(default_factory=list)
    created: dict[str, str] = field(default_factory=dict)  # case id -> device that created it, in creation order

    def saved(self, edit: Edit) -> None:
        """A user replaced `edit.base`: the edit that wrote that value has been seen and superseded (values are
        unique, so the value names the edit)."""
        for earlier in self.edits:
            if (earlier.case_id, earlier.field, earlier.value) == (edit.case_id, edit.field, edit.base):
                earlier.superseded = True
        self.edits.append(edit)


def problems(model: Model, server: ServerState, devices: list[tuple[str, object, DeviceState]]) -> list[str]:
    """Every broken invariant, in words. `devices` holds (name, account, state read after a quiet sync)."""
    found = []
    for name, account, state in devices:
        found += _device_matches_server(name, account, state, server)
        found += _each_mutation_once(name, account, state, server)
    found += _nothing_lost(model, server)
    found += _clashes_are_conflicts(model, server)
    found += _versions_explained(server)
    return found


def _device_matches_server(name: str, account, state: DeviceState, server: ServerState) -> list[str]:
    found = []
    visible = {i: c for i, c in server.cases.items() if may_see(account.town_code, c["town"])}
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
            if may_see(account.town_code, c["town"])}
    if state.conflicts != seen:
        found.append(f"{name}: conflicts differ from the server's for its town: device {state.conflicts}, "
                     f"server {seen}")
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
    its round and changes the case too; a return of the case (logged on the case) withdraws its open round."""
    applied: dict[str, int] = {}
    for entry in server.log.values():
        if entry["result"] in ("applied", "conflict") and entry["case_id"]:
            applied[entry["case_id"]] = applied.get(entry["case_id"], 0) + 1
            if entry["kind"] == "legal_review" and entry["case_id"] in server.rounds:
                case_id = server.rounds[entry["case_id"]]["case_id"]
                applied[case_id] = applied.get(case_id, 0) + 1
    found = [f"case {i} is at version {c['version']} but only {applied.get(i, 0)} mutations were applied to it"
             for i, c in server.cases.items() if c["version"] > applied.get(i, 0)]
    for i, r in server.rounds.items():
        explained = applied.get(i, 0) + applied.get(r["case_id"], 0)
        if r["version"] > explained:
            found.append(f"review round {i} is at version {r['version']} but only {explained} mutations on it and "
                         "its case were applied")
    return found

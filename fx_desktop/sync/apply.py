"""Applying a pulled page to the local database in one transaction together with the new cursor.

Rows with pending local mutations are never overwritten: the server copy is taken as the new base and the pending
mutations are replayed on top of it (rebase). Rows are written with raw SQL in batches: a first pull brings
every case of the town, and the search-index triggers must keep up."""
from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass, field
from datetime import datetime
from typing import Callable

from ..domain import case_fields, json_text
from ..domain.case_changes import change_fields, status_effects
from ..domain.legal_review import Outcome
from ..domain.lifecycle import get_transition
from ..domain.review_effects import submit_effect, verdict_effect
from ..domain.text_cleaning import clean_name
from ..domain.workdays import HolidayCalendar
from ..store import audit, meta, reference, search_index
from ..store.outbox import PENDING

FIELD_COLUMNS = case_fields.COLUMNS  # a pulled case's `fields`, one column each
CASE_COLUMNS = (
    "id", "number", "town_code", "status", "version", "server_version", "opened_on", "filed_on", "decision_due",
    "decided_on", "created_by", "updated_at", "review_passed", *FIELD_COLUMNS,
)
_DATETIME_FIELDS = frozenset(case_fields.of_kind(case_fields.DATETIME))
_JSON_FIELDS = frozenset(case_fields.of_kind(case_fields.LIST))
_INSERT = f"INSERT INTO cases ({', '.join(CASE_COLUMNS)}) VALUES ({', '.join('?' * len(CASE_COLUMNS))})"
_UPSERT = (
    f"{_INSERT} ON CONFLICT(id) DO UPDATE SET "
    + ", ".join(f"{c} = excluded.{c}" for c in CASE_COLUMNS if c not in ("id", "version"))
    + ", version = cases.version + 1"
)
_EVIDENCE = ("INSERT INTO evidence (id, case_id, kind, name, sha256, size, captured_at, added_at, added_by) "
             "VALUES (?,?,?,?,?,?,?,?,?) ON CONFLICT(id) DO NOTHING")


@dataclass
class PageResult:
    cases: int = 0
    conflicts: int = 0
    new_conflicts: int = 0  # not seen here before (those from this device's own push are already counted)
    deleted: int = 0
    rebased: list[str] = field(default_factory=list)
    reference_updated: bool = False
    referrals: int = 0
    received: int = 0  # rows new here, of every kind (the page's audit entry counts them)


def _sql_time(value):
    """ISO text as SQLAlchemy stores DateTime on SQLite (space between date and time)."""
    return value.replace("T", " ") if isinstance(value, str) else value


def _json_list(value) -> str:
    return json_text.encode(value) if value else "[]"  # most are empty


# the field columns stored otherwise than sent: (position in FIELD_COLUMNS, conversion)
_CONVERTED = tuple((i, _sql_time if c in _DATETIME_FIELDS else _json_list) for i, c in enumerate(FIELD_COLUMNS)
                   if c in _DATETIME_FIELDS or c in _JSON_FIELDS)


def _row(change: dict, fields: dict) -> tuple:
    top = (change["id"], change["number"], change["town_code"], change["status"], 1, change["version"],
           change.get("opened_on"), change.get("filed_on"), change.get("decision_due"), change.get("decided_on"),
           change.get("created_by") or "", _sql_time(change.get("updated_at")), bool(change.get("review_passed")))
    values = list(map(fields.get, FIELD_COLUMNS))
    for i, convert in _CONVERTED:
        values[i] = convert(values[i])
    return top + tuple(values)


def _pending_by_case(cur: sqlite3.Cursor, case_ids: list[str]) -> dict[str, list[tuple[str, dict, datetime]]]:
    """Pending outbox entries by case, oldest first: (name, args, created_at)."""
    found: dict[str, list[tuple[str, dict, datetime]]] = {}
    for start in range(0, len(case_ids), 500):
        chunk = case_ids[start:start + 500]
        rows = cur.execute(
            f"SELECT case_id, name, args, created_at FROM outbox WHERE state = ? "
            f"AND case_id IN ({','.join('?' * len(chunk))}) ORDER BY mutation_id", [PENDING, *chunk]).fetchall()
        for case_id, name, args, created_at in rows:
            found.setdefault(case_id, []).append((name, json.loads(args), _when(created_at)))
    return found


def _when(value) -> datetime | None:
    if isinstance(value, datetime) or value is None:
        return value
    try:
        return datetime.fromisoformat(str(value))
    except ValueError:
        return None


STATUS_DATES = ("filed_on", "decision_due", "decided_on")  # what a status change dates (case_changes.status_effects)


def rebase(server_fields: dict, officers: list, status: str, pending: list[tuple],
           review_passed: bool = False, *, calendar: HolidayCalendar | None = None) -> tuple:
    """The server copy with the pending local mutations replayed on top, as the local row should now read:
    (fields, officers, status, review_passed). `pending`: (name, args) or (name, args, created_at). A pending
    workflow step also has its status's side effects (domain.case_changes.status_effects: 立案 starts the decision
    clock on `calendar`, 作出决定 dates the decision), dated by the day the step was taken here (the entry's
    created_at, as the server dates it by the mutation's time); those dates (STATUS_DATES, ISO text) are returned
    among the fields."""
    case = {**server_fields, "officers": list(officers)}
    for name, args, *when in pending:
        changes = None
        if name == "update_case":
            changes = args.get("changed_fields") or {}
        elif name == "resolve_conflict" and args.get("field") not in (None, "__deleted__"):
            changes = {args["field"]: args.get("value")}
        elif name == "transition_case":
            target = get_transition(args["action"]).target
            status = str(target)
            if when and when[0] is not None:
                effects = status_effects(args["action"], target, when[0].date(), calendar)
                case.update({k: v.isoformat() for k, v in effects.items() if k in STATUS_DATES})
        elif name == "submit_review":
            status, review_passed = _effect(submit_effect(), status, review_passed)
        elif name == "record_review" and args.get("outcome") in set(Outcome):
            status, review_passed = _effect(verdict_effect(args["outcome"]), status, review_passed)
        if changes is not None:
            change = change_fields(case, changes, review_passed=review_passed)
            case, review_passed = change.values, change.review_passed
    officers = case.pop("officers") or []
    return case, officers, status, review_passed


def _effect(effect: dict, status: str, review_passed: bool) -> tuple[str, bool]:
    return effect.get("status", status), effect.get("review_passed", review_passed)


@dataclass
class PageContext:
    """What every applier of a page shares: the transaction (session and its raw cursor), who pulls, when."""

    session: object
    cur: sqlite3.Cursor
    actor: str
    now: datetime
    result: PageResult
    fresh: bool = False  # the pull began with no records here and nothing of this device waits: see inserted_as_new


def apply_page(session, changes: list[dict], cursor: str, *, cursor_key: str, actor: str,
               now: datetime | None = None, pause_search: bool = False, fresh: bool = False) -> PageResult:
    """Write one page and its cursor in the caller's transaction (session from Store.writes). `pause_search`
    (the first page of a pull from the start) stops the search-index triggers until search_index.rebuild().
    `fresh`: the pull began with no records here (a first pull): while nothing of this device waits to be pushed,
    each kind's rows are first tried as new ones (inserted_as_new). Each change goes to the applier registered
    for its `type` (sync/kinds.py), in the registry's order."""
    from .kinds import APPLIERS

    now = now or datetime.now()
    result = PageResult()
    cur = session.connection().connection.cursor()
    if pause_search:
        cur.execute("INSERT OR REPLACE INTO meta (key, value) VALUES (?, '1')", (search_index.PAUSED,))
    if fresh:
        fresh = cur.execute("SELECT 1 FROM outbox WHERE state = ? LIMIT 1", (PENDING,)).fetchone() is None
    ctx = PageContext(session, cur, actor, now, result, fresh)
    by_type: dict[str, list[dict]] = {}
    for change in changes:
        by_type.setdefault(change.get("type"), []).append(change)
    for type_, applier in APPLIERS.items():
        if by_type.get(type_):
            applier(ctx, by_type[type_])
    if result.received or result.deleted:
        audit.append(session, actor=actor, role="sync", case_id=None, action="sync_pull",
                     detail={"received": result.received, "deleted": result.deleted, "cursor": cursor}, at=now)
    meta.put(session, cursor_key, cursor)
    return result


def apply_cases(ctx: PageContext, cases: list[dict]) -> None:
    """Upsert pulled cases (with their officers and evidence); rebase those with pending changes. Their legal review
    rounds are records of their own (sync/apply_review.py); the `reviews` a pulled case row still carries for
    clients of the previous version are not read."""
    from .apply_review import drop_refused

    session, cur, result = ctx.session, ctx.cur, ctx.result
    if inserted_as_new(ctx, lambda: _write_cases(cur, *_case_rows(ctx, cases, {}), _INSERT)):
        result.cases += len(cases)
        result.received += len(cases)
        return
    ids = [c["id"] for c in cases]
    pending = _pending_by_case(cur, ids)
    existing = _existing_rows(cur, ids)
    _free_numbers(cur, cases)
    updated = [(c, existing[c["id"]]) for c in cases
               if c["id"] in existing and existing[c["id"]][0] != c["version"]]
    for start in range(0, len(ids), 500):
        chunk = ids[start:start + 500]
        cur.execute(f"DELETE FROM case_officers WHERE case_id IN ({','.join('?' * len(chunk))})", chunk)
    _write_cases(cur, *_case_rows(ctx, cases, pending), _UPSERT)
    drop_refused(cur, ids)
    result.cases += len(cases)
    result.received += len(cases) - len(updated)
    for c, (version, number, status) in updated:
        audit.append(session, actor=ctx.actor, role="sync", case_id=c["id"], action="sync_update",
                     detail=_update_detail(version, c["version"], (number, c["number"]),
                                           (status, status if c["id"] in pending else c["status"])),
                     at=ctx.now)


def _update_detail(old_version, new_version, number: tuple, status: tuple) -> dict:
    """What the timeline says of a pulled change (audit_text._sync_update): the number the district gave, a new
    status (not told while this device's own steps are pending: the row shows those); the server versions stay
    in the record only."""
    detail: dict = {"server_version": [old_version, new_version]}
    if number[0] != number[1]:
        detail["number"] = list(number)
    if status[0] != status[1]:
        detail["case_status"] = list(status)
    return detail


def _case_rows(ctx: PageContext, cases: list[dict], pending: dict) -> tuple[list, list, list]:
    """The rows of pulled cases, their officers and evidence, those with `pending` changes rebased."""
    from ..services.calendar import current_calendar
    from .apply_referral import case_status_after

    calendar = None  # read once, for the first case rebased
    rows, officers, evidence = [], [], []
    for c in cases:
        fields, offs, status = c.get("fields") or {}, c.get("officers") or [], c["status"]
        passed = bool(c.get("review_passed"))
        dated = {}
        if c["id"] in pending:
            if calendar is None:
                calendar = current_calendar(ctx.session)
            fields, offs, status, passed = rebase(fields, offs, status, pending[c["id"]], passed, calendar=calendar)
            dated = {k: fields[k] for k in STATUS_DATES if k in fields}  # a pending step's dates
            status = case_status_after(ctx.cur, pending[c["id"]], status)  # steps of other kinds on this case
            ctx.result.rebased.append(c["id"])
        rows.append(_row({**c, **dated, "status": status, "review_passed": passed}, fields))
        officers.extend((c["id"], i, name, cert) for i, (name, cert) in enumerate(offs))
        evidence.extend((e["id"], c["id"], e.get("kind") or "document", clean_name(e.get("name") or ""), e["sha256"],
                         int(e.get("size") or 0), _sql_time(e.get("captured_at")), _sql_time(e.get("added_at")),
                         e.get("added_by") or "") for e in c.get("evidence") or [])
    return rows, officers, evidence


def _write_cases(cur: sqlite3.Cursor, rows: list, officers: list, evidence: list, sql: str) -> None:
    cur.executemany(sql, rows)
    cur.executemany("INSERT INTO case_officers (case_id, position, name, cert_no) VALUES (?,?,?,?)", officers)
    cur.executemany(_EVIDENCE, evidence)


def inserted_as_new(ctx: PageContext, insert: Callable[[], object]) -> bool:
    """In a pull into a store that held no records (ctx.fresh): run `insert`, plain INSERTs of one kind's rows of
    the page with nothing looked up first, under a savepoint. False, with nothing of it left, when a constraint
    says a row is here already (its record changed on the server while the pull went on, or a case saved here
    meanwhile took its number): the caller then applies the rows the normal way, as it always does otherwise."""
    if not ctx.fresh:
        return False
    ctx.cur.execute("SAVEPOINT fresh_rows")
    try:
        insert()
    except sqlite3.IntegrityError:
        ctx.cur.execute("ROLLBACK TO fresh_rows")
        return False
    finally:
        ctx.cur.execute("RELEASE fresh_rows")
    return True


def apply_conflicts(ctx: PageContext, changes: list[dict]) -> None:
    for change in changes:
        if record_conflict(ctx.session, change):
            ctx.result.new_conflicts += 1
        ctx.result.conflicts += 1


def delete_case(ctx: PageContext, case_id: str) -> bool:
    """A case tombstone: gone here too, unless a change of this device still waits for it."""
    if case_id in _pending_by_case(ctx.cur, [case_id]):
        return False
    ctx.cur.execute("DELETE FROM cases WHERE id = ?", (case_id,))
    ctx.cur.execute("DELETE FROM legal_reviews WHERE case_id = ?", (case_id,))  # no foreign key (store 0009)
    return True


def apply_reference(ctx: PageContext, changes: list[dict]) -> None:
    """Reference rows by key: the reference document, the directory of the organisations' people; a key this
    version does not know is skipped (a newer server may distribute more)."""
    for change in changes:
        key = change.get("key", "reference")
        if key == "reference":
            ctx.result.reference_updated = reference.load(ctx.session, change["data"]) or ctx.result.reference_updated
        elif key == reference.DIRECTORY:
            reference.load_directory(ctx.session, change["data"])


def _existing_rows(cur: sqlite3.Cursor, ids: list[str]) -> dict[str, tuple]:
    """id -> (server_version, number, status) of the cases already here."""
    found = {}
    for start in range(0, len(ids), 500):
        chunk = ids[start:start + 500]
        found.update((r[0], r[1:]) for r in cur.execute(
            f"SELECT id, server_version, number, status FROM cases WHERE id IN ({','.join('?' * len(chunk))})",
            chunk).fetchall())
    return found


def _free_numbers(cur: sqlite3.Cursor, cases: list[dict]) -> None:
    """A local case still waiting for its official number may hold a number the server has just given another
    case (numbers made before this database was connected to a server): it gets a provisional one instead."""
    by_number = {c["number"]: c["id"] for c in cases}
    numbers = list(by_number)
    for start in range(0, len(numbers), 500):
        chunk = numbers[start:start + 500]
        clashes = cur.execute(
            f"SELECT id, number FROM cases WHERE number IN ({','.join('?' * len(chunk))})", chunk).fetchall()
        for case_id, number in clashes:
            if by_number[number] != case_id:
                cur.execute("UPDATE cases SET number = ? WHERE id = ?", (f"临时-{case_id[:8]}", case_id))


def record_conflict(session, change: dict) -> bool:
    """Record or update a conflict from the server; True when it was not known here before."""
    from ..store.models import SyncConflict

    known = session.get(SyncConflict, change["id"])
    row = known or SyncConflict(id=change["id"])
    row.case_id, row.field = change["case_id"], change["field"]
    row.kind = change.get("kind") or "case"
    row.base, row.mine, row.theirs = change.get("base"), change.get("mine"), change.get("theirs")
    row.mine_by = change.get("mine_by") or ""
    if not (row.status == "resolving" and change.get("status") == "open"):
        row.status = change.get("status") or "open"
    row.resolution, row.resolved_by = change.get("resolution"), change.get("resolved_by")
    row.created_at = datetime.fromisoformat(change["created_at"]) if change.get("created_at") else datetime.now()
    row.mine_client = change.get("client_id")
    session.merge(row)
    return known is None and row.status == "open"

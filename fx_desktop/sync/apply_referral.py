"""Pulled referrals: upsert the rows; a referral with steps of this device still waiting to be pushed is rebased,
the server's state taken as the base and the pending steps replayed on it with `domain.referral.apply_step`, the
same function the service and fx-bureau call. A step that no longer applies (the town withdrew meanwhile, say) is
left out of the local view but stays pending: the server rejects it with its reason, which the user then sees
with the other rejections, so nothing is lost silently."""
from __future__ import annotations

import copy
import json
from datetime import datetime

from ..domain import json_text
from ..domain import referral as rf
from ..domain.errors import DomainError
from ..store import audit
from ..store.models import AuditEntry
from ..store.outbox import PENDING
from .apply import PageContext, _sql_time, inserted_as_new

KIND = "referral"
_COLUMNS = ("id", "case_id", "owner_org", "receiving_org", "number", "status", "version", "server_version",
            "next_due", "data", "updated_at")
_INSERT = f"INSERT INTO referrals ({', '.join(_COLUMNS)}) VALUES ({', '.join('?' * len(_COLUMNS))})"
_UPSERT = (
    f"{_INSERT} ON CONFLICT(id) DO UPDATE SET "
    + ", ".join(f"{c} = excluded.{c}" for c in _COLUMNS if c not in ("id", "version"))
    + ", version = referrals.version + 1"
)


def pending_of_kind(cur, kind: str, ids: list[str]) -> dict[str, list[tuple]]:
    """Pending outbox entries acting on records of `kind`, by record id, oldest first:
    (name, args, created_at)."""
    found: dict[str, list[tuple]] = {}
    for start in range(0, len(ids), 500):
        chunk = ids[start:start + 500]
        rows = cur.execute(
            f"SELECT record_id, name, args, created_at FROM outbox WHERE state = ? AND kind = ? "
            f"AND record_id IN ({','.join('?' * len(chunk))}) ORDER BY mutation_id", [PENDING, kind, *chunk])
        for record_id, name, args, created_at in rows.fetchall():
            found.setdefault(record_id, []).append((name, json.loads(args), _time(created_at)))
    return found


def _time(value) -> datetime:
    return value if isinstance(value, datetime) else datetime.fromisoformat(str(value))


def _step_actor(session, referral_id: str, name: str, at: datetime, *, kind: str = KIND,
                actor_type=rf.Actor):
    """Who took the pending step: its audit entry (written in the same transaction, at the same time)."""
    from sqlalchemy import select

    rows = session.execute(select(AuditEntry).where(AuditEntry.kind == kind, AuditEntry.record_id == referral_id,
                                                    AuditEntry.action == name)
                           .order_by(AuditEntry.seq.desc())).scalars().all()
    entry = next((e for e in rows if e.at == at), rows[0] if rows else None)
    if entry is None or not (entry.detail or {}).get("org"):
        return None
    return actor_type(entry.actor, entry.role, entry.detail["org"])


def rebase(session, referral_id: str, server_state: dict, pending: list[tuple], *, calendar, rules) -> dict:
    """The server's state with this device's pending steps replayed on top."""
    state = copy.deepcopy(server_state)
    for name, args, at in pending:
        if name == "submit_referral":
            continue  # the server has the referral: its row is the base
        actor = _step_actor(session, referral_id, name, at)
        if actor is None:
            continue
        try:
            state = rf.apply_step(name, state, args, actor=actor, at=at, calendar=calendar, rules=rules)
        except DomainError:
            continue  # no longer applies: stays pending, and the server will say why it refuses it
    return state


def upsert_pulled(ctx, kind: str, table: str, changes: list[dict], rows, insert: str, upsert: str
                  ) -> dict[str, int | None] | None:
    """A pulled page's rows of one kind, made by `rows(ctx, changes, pending)`: plain INSERTs into a store that held
    no records (apply.inserted_as_new), else upserted with this device's pending steps replayed; the rows new here
    are counted as received. Returns the server versions held before ({id: version}), for what the kind does with a
    record that changed (its timeline), or None after the plain INSERTs."""
    cur = ctx.cur
    if inserted_as_new(ctx, lambda: cur.executemany(insert, rows(ctx, changes, {}))):
        ctx.result.received += len(changes)
        return None
    ids = [c["id"] for c in changes]
    pending = pending_of_kind(cur, kind, ids)
    known = _existing(cur, ids, table)
    cur.executemany(upsert, rows(ctx, changes, pending))
    ctx.result.received += sum(1 for c in changes if c["id"] not in known)
    return known


def _existing(cur, ids: list[str], table: str = "referrals") -> dict[str, int | None]:
    found = {}
    for start in range(0, len(ids), 500):
        chunk = ids[start:start + 500]
        found.update(cur.execute(
            f"SELECT id, server_version FROM {table} WHERE id IN ({','.join('?' * len(chunk))})", chunk).fetchall())
    return found


def apply_referrals(ctx: PageContext, changes: list[dict]) -> None:
    session, cur = ctx.session, ctx.cur
    if inserted_as_new(ctx, lambda: cur.executemany(_INSERT, _rows(ctx, changes, {}))):
        ctx.result.referrals += len(changes)
        ctx.result.received += len(changes)
        return
    ids = [c["id"] for c in changes]
    pending = pending_of_kind(cur, KIND, ids)
    existing = _existing(cur, ids)
    cur.executemany(_UPSERT, _rows(ctx, changes, pending))
    updated = [(c, existing[c["id"]]) for c in changes if c["id"] in existing and existing[c["id"]] != c["version"]]
    ctx.result.referrals += len(changes)
    ctx.result.received += len(changes) - len(updated)
    for c, old in updated:
        audit.append(session, actor=ctx.actor, role="sync", case_id=c.get("case_id"), action="sync_update",
                     kind=KIND, record_id=c["id"], detail={"server_version": [old, c["version"]],
                                                           "status": c["status"]}, at=ctx.now)


def _rows(ctx: PageContext, changes: list[dict], pending: dict) -> list[tuple]:
    """The rows of pulled referrals, those with `pending` steps rebased."""
    from ..services.calendar import current_calendar
    from ..services.referrals import next_due, rules_in

    calendar = rules = None
    rows = []
    for c in changes:
        state = dict(c.get("data") or {})
        if c["id"] in pending:
            if rules is None:
                calendar, rules = current_calendar(ctx.session), rules_in(ctx.session)
            state = rebase(ctx.session, c["id"], state, pending[c["id"]], calendar=calendar, rules=rules)
            ctx.result.rebased.append(c["id"])
        state["number"] = c.get("number") or state.get("number") or ""  # the official number, once given
        due = next_due(state)
        rows.append((c["id"], c.get("case_id"), c["owner_org"], c["receiving_org"], state["number"],
                     state.get("status") or c["status"], 1, c["version"], due.isoformat() if due else None,
                     json_text.encode(state), _sql_time(c.get("updated_at"))))
    return rows


def case_status_after(cur, pending: list[tuple], status: str) -> str:
    """The case's status with this device's pending referral steps on it (submit: 已移送; withdrawal: back to
    where it was), as `domain.referral.case_effect` says."""
    for name, args, *_when in pending:
        if name not in rf.STEPS:
            continue
        found = cur.execute("SELECT data FROM referrals WHERE id = ?", (args.get("referral_id"),)).fetchone()
        effect = rf.case_effect(name, json.loads(found[0]) if found else {}) if found or name == "submit_referral" \
            else None
        status = effect or status
    return status


def delete_referral(ctx: PageContext, referral_id: str, *, kind: str = KIND, table: str = "referrals") -> bool:
    """A tombstone: the row goes unless this device still has steps of its own waiting on it."""
    if referral_id in pending_of_kind(ctx.cur, kind, [referral_id]):
        return False
    ctx.cur.execute(f"DELETE FROM {table} WHERE id = ?", (referral_id,))
    return True


def drop_refused(session) -> None:
    """A referral whose submission the server refused never existed there, and no pull will ever bring or delete
    it: its local row (the optimistic copy, still 已移送，待签收) goes, as the case's own optimistic status is put
    back by the pull. The refusal, its reason and what the user typed stay in the rejected outbox entry."""
    from sqlalchemy import text

    session.execute(text(
        "DELETE FROM referrals WHERE server_version IS NULL AND id IN (SELECT record_id FROM outbox "
        "WHERE kind = 'referral' AND name = 'submit_referral' AND state = 'rejected')"))


def record_number(session, args: dict, detail: dict, *, model=None, id_arg: str = "referral_id") -> None:
    """The push answer of submit_referral names the official number: it replaces the provisional one at once
    (`model` and `id_arg`: another numbered kind's, the police request's)."""
    from ..store.models import Referral

    row = session.get(model or Referral, args.get(id_arg))
    number = detail.get("number")
    if row is None or not isinstance(number, str) or not number or row.number == number:
        return
    row.number = number
    row.data = {**row.data, "number": number}

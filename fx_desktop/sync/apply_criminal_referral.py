"""Pulled criminal referrals (涉嫌犯罪案件移送): upsert the rows; a record with steps of this device still waiting to
be pushed is rebased, the server's state the base and the pending steps replayed with
`domain.criminal_referral.apply_step` (the function the service and fx-bureau call). A step that no longer applies
is left out of the local view but stays pending: the server rejects it with its reason."""
from __future__ import annotations

import copy
import json
from datetime import datetime

from ..domain import criminal_referral as cr
from ..domain import json_text
from ..domain.errors import DomainError
from ..store import audit
from .apply import PageContext, _sql_time
from .apply_referral import pending_of_kind, upsert_pulled

KIND = cr.KIND
_COLUMNS = ("id", "case_id", "owner_org", "receiving_org", "party_orgs", "number", "status", "version",
            "server_version", "due_at", "data", "updated_at")
_INSERT = f"INSERT INTO criminal_referrals ({', '.join(_COLUMNS)}) VALUES ({', '.join('?' * len(_COLUMNS))})"
_UPSERT = (f"{_INSERT} ON CONFLICT(id) DO UPDATE SET "
           + ", ".join(f"{c} = excluded.{c}" for c in _COLUMNS if c not in ("id", "version"))
           + ", version = criminal_referrals.version + 1")


def party_text(state: dict) -> str:
    """The parties as the visibility check reads them: ",code,code," (empty before the record is sent)."""
    parties = cr.parties_of(state)
    return f",{','.join(parties)}," if parties else ""


def due_at(state: dict) -> datetime | None:
    running = cr.clock(state)
    return running.due if running else None


def _actor_of(cur, record_id: str, name: str, at: datetime) -> cr.Actor | None:
    """Who took the pending step: its audit entry (written with the step, at the same time)."""
    rows = cur.execute("SELECT actor, role, detail, at FROM audit_log WHERE kind = ? AND record_id = ? AND action = ? "
                       "ORDER BY seq DESC", (KIND, record_id, name)).fetchall()
    chosen = next((r for r in rows if datetime.fromisoformat(str(r[3])) == at), rows[0] if rows else None)
    detail = json.loads(chosen[2]) if chosen else {}
    return cr.Actor(chosen[0], chosen[1], detail["org"]) if chosen and detail.get("org") else None


def rebase(ctx: PageContext, record_id: str, server_state: dict, pending: list[tuple], *, rules, directory) -> dict:
    """The server's state with this device's pending steps replayed on top."""
    state = copy.deepcopy(server_state)
    for name, args, at in pending:
        if name == "report_criminal_referral":
            continue  # the server has the record: its row is the base
        actor = _actor_of(ctx.cur, record_id, name, at)
        if actor is None:
            continue
        try:
            state = cr.apply_step(name, state, args, actor=actor, at=at, rules=rules,
                                  to=directory.get(args.get("to_org")))
        except DomainError:
            continue  # no longer applies: stays pending, and the server will say why it refuses it
    return state


def _rows(ctx: PageContext, changes: list[dict], pending: dict) -> list[tuple]:
    from ..services.criminal_referrals import rules_in
    from ..services.referrals import directory_in

    rules = directory = None
    rows = []
    for c in changes:
        state = dict(c.get("data") or {})
        if c["id"] in pending:
            if rules is None:
                rules, directory = rules_in(ctx.session), directory_in(ctx.session)
            state = rebase(ctx, c["id"], state, pending[c["id"]], rules=rules, directory=directory)
            ctx.result.rebased.append(c["id"])
        state["number"] = c.get("number") or state.get("number") or ""
        due = due_at(state)
        rows.append((c["id"], c.get("case_id"), c["owner_org"], state.get("receiving_org") or c["receiving_org"],
                     party_text(state), state["number"], state.get("status") or c["status"], 1, c["version"],
                     due.isoformat(sep=" ") if due else None, json_text.encode(state), _sql_time(c.get("updated_at"))))
    return rows


def apply_criminal_referrals(ctx: PageContext, changes: list[dict]) -> None:
    ctx.result.referrals += len(changes)
    known = upsert_pulled(ctx, KIND, "criminal_referrals", changes, _rows, _INSERT, _UPSERT)
    if known is None:
        return
    for c in changes:
        if c["id"] in known and known[c["id"]] != c["version"]:
            audit.append(ctx.session, actor=ctx.actor, role="sync", case_id=c.get("case_id"), action="sync_update",
                         kind=KIND, record_id=c["id"], at=ctx.now,
                         detail={"server_version": [known[c["id"]], c["version"]], "status": c["status"]})


def delete_criminal_referral(ctx: PageContext, record_id: str) -> bool:
    if record_id in pending_of_kind(ctx.cur, KIND, [record_id]):
        return False
    ctx.cur.execute("DELETE FROM criminal_referrals WHERE id = ?", (record_id,))
    return True


def drop_refused(session) -> None:
    """A report the server refused never existed there: its optimistic local row goes; the refusal and what the
    user typed stay in the rejected outbox entry."""
    from sqlalchemy import text

    session.execute(text(
        "DELETE FROM criminal_referrals WHERE server_version IS NULL AND id IN (SELECT record_id FROM outbox "
        "WHERE kind = 'criminal_referral' AND name = 'report_criminal_referral' AND state = 'rejected')"))


def record_number(session, args: dict, detail: dict) -> None:
    """The push answer of the report names the official number of the 移送书: it replaces the provisional one."""
    from ..store.models import CriminalReferral

    row = session.get(CriminalReferral, args.get("criminal_referral_id"))
    number = detail.get("number")
    if row is None or not isinstance(number, str) or not number or row.number == number:
        return
    row.number = number
    row.data = {**row.data, "number": number}

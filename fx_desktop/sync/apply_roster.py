"""Pulled roster entries (人员与执法证): upsert the rows; an entry with steps of this device still waiting to be
pushed is rebased, the server's state taken as the base and the pending steps replayed on it with
`domain.roster.apply_step`, the same function the service and fx-bureau call. A step that no longer applies is left
out of the local view but stays pending: the server rejects it with its reason."""
from __future__ import annotations

import copy

from ..domain import json_text
from ..domain import roster as ro
from ..domain.errors import DomainError
from .apply import PageContext, _sql_time
from .apply_referral import _step_actor, delete_referral, upsert_pulled

KIND = ro.KIND
_COLUMNS = ("id", "owner_org", "name", "cert_no", "expires_on", "active", "version", "server_version", "data",
            "updated_at")
_INSERT = f"INSERT INTO roster_entries ({', '.join(_COLUMNS)}) VALUES ({', '.join('?' * len(_COLUMNS))})"
_UPSERT = (
    f"{_INSERT} ON CONFLICT(id) DO UPDATE SET "
    + ", ".join(f"{c} = excluded.{c}" for c in _COLUMNS if c not in ("id", "version"))
    + ", version = roster_entries.version + 1"
)


def rebase(session, entry_id: str, server_state: dict, pending: list[tuple]) -> dict:
    """The server's state with this device's pending steps replayed on top."""
    state = copy.deepcopy(server_state)
    for name, args, at in pending:
        if name == "add_roster_entry":
            continue  # the server has the entry: its row is the base
        who = _step_actor(session, entry_id, name, at, kind=KIND, actor_type=ro.Actor)
        if who is None:
            continue
        try:
            state = ro.apply_step(name, state, {k: v for k, v in args.items() if k != "entry_id"}, actor=who, at=at)
        except DomainError:
            continue  # no longer applies: stays pending, and the server will say why it refuses it
    return state


def row_values(entry_id: str, state: dict, *, owner_org: str, version: int, server_version: int | None,
               updated_at) -> tuple:
    return (entry_id, owner_org, state.get("name") or "", state.get("cert_no") or "",
            (state.get("expires_on") or "")[:10], 1 if state.get("active", True) else 0, version, server_version,
            json_text.encode(state), _sql_time(updated_at))


def _rows(ctx: PageContext, changes: list[dict], pending: dict) -> list[tuple]:
    rows = []
    for c in changes:
        state = dict(c.get("data") or {})
        if c["id"] in pending:
            state = rebase(ctx.session, c["id"], state, pending[c["id"]])
            ctx.result.rebased.append(c["id"])
        rows.append(row_values(c["id"], state, owner_org=c["owner_org"], version=1, server_version=c["version"],
                               updated_at=c.get("updated_at")))
    return rows


def apply_roster_entries(ctx: PageContext, changes: list[dict]) -> None:
    upsert_pulled(ctx, KIND, "roster_entries", changes, _rows, _INSERT, _UPSERT)


def delete_roster_entry(ctx: PageContext, entry_id: str) -> bool:
    return delete_referral(ctx, entry_id, kind=KIND, table="roster_entries")


def drop_refused(session) -> None:
    """An entry whose addition the server refused never existed there: its local row goes; the refusal, its reason
    and what the user typed stay in the rejected outbox entry."""
    from sqlalchemy import text

    session.execute(text(
        "DELETE FROM roster_entries WHERE server_version IS NULL AND id IN (SELECT record_id FROM outbox "
        "WHERE kind = 'roster_entry' AND name = 'add_roster_entry' AND state = 'rejected')"))

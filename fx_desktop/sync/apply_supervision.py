"""Pulled supervision sheets (督办单): upsert the rows; a sheet with steps of this device still waiting to be pushed is
rebased, the server's state taken as the base and the pending steps replayed on it with
`domain.supervision.apply_step`, the same function the service and fx-bureau call. A step that no longer applies
is left out of the local view but stays pending: the server rejects it with its reason, which the user then sees
with the other rejections."""
from __future__ import annotations

import copy

from ..domain import json_text
from ..domain import supervision as sv
from ..domain.errors import DomainError
from ..store import audit
from .apply import PageContext, _sql_time
from .apply_referral import _step_actor, delete_referral, upsert_pulled
from .apply_referral import record_number as referral_number

KIND = sv.KIND
TABLE = "supervisions"
_COLUMNS = ("id", "owner_org", "responsible_org", "source_kind", "source_id", "source_item", "number", "matter",
            "deadline", "status", "version", "server_version", "data", "updated_at")
_INSERT = f"INSERT INTO {TABLE} ({', '.join(_COLUMNS)}) VALUES ({', '.join('?' * len(_COLUMNS))})"
_UPSERT = (
    f"{_INSERT} ON CONFLICT(id) DO UPDATE SET "
    + ", ".join(f"{c} = excluded.{c}" for c in _COLUMNS if c not in ("id", "version"))
    + f", version = {TABLE}.version + 1"
)


def rebase(session, sheet_id: str, server_state: dict, pending: list[tuple], *, calendar=None) -> dict:
    """The server's state with this device's pending steps replayed on top."""
    state = copy.deepcopy(server_state)
    for name, args, at in pending:
        if name == "issue_supervision":
            continue  # the server has the sheet: its row is the base
        who = _step_actor(session, sheet_id, name, at, kind=KIND, actor_type=sv.Actor)
        if who is None:
            continue
        try:
            state = sv.apply_step(name, state, args, actor=who, at=at, calendar=calendar)
        except DomainError:
            continue  # no longer applies: stays pending, and the server will say why it refuses it
    return state


def row_values(sheet_id: str, state: dict, *, version: int, server_version: int | None, updated_at) -> tuple:
    """One row of the table from a state (the services write the same columns)."""
    source = state.get("source") or {}
    return (sheet_id, state["owner_org"], state["responsible_org"], source.get("kind"), source.get("id"),
            source.get("item"), state.get("number") or "", state["matter"], state["deadline"], state["status"],
            version, server_version, json_text.encode(state), _sql_time(updated_at))


def _rows(ctx: PageContext, changes: list[dict], pending: dict) -> list[tuple]:
    rows = []
    for c in changes:
        state = dict(c.get("data") or {})
        if c["id"] in pending:
            state = rebase(ctx.session, c["id"], state, pending[c["id"]])
            ctx.result.rebased.append(c["id"])
        state["number"] = c.get("number") or state.get("number") or ""
        rows.append(row_values(c["id"], state, version=1, server_version=c["version"], updated_at=c.get("updated_at")))
    return rows


def apply_supervisions(ctx: PageContext, changes: list[dict]) -> None:
    existing = upsert_pulled(ctx, KIND, TABLE, changes, _rows, _INSERT, _UPSERT)
    if existing is None:
        return
    for c in changes:  # the other side's steps, in the sheet's own history (shown on its page)
        old = existing.get(c["id"], c["version"])
        if c["id"] in existing and old != c["version"]:
            audit.append(ctx.session, actor=ctx.actor, role="sync", case_id=None, action="sync_update",
                         kind=KIND, record_id=c["id"], at=ctx.now,
                         detail={"server_version": [old, c["version"]], "status": c["status"]})


def delete_supervision(ctx: PageContext, sheet_id: str) -> bool:
    return delete_referral(ctx, sheet_id, kind=KIND, table=TABLE)


def drop_refused(session) -> None:
    """A sheet whose issue the server refused never existed there: its local row goes; the refusal, its reason and
    what the user typed stay in the rejected outbox entry."""
    from sqlalchemy import text

    session.execute(text(
        f"DELETE FROM {TABLE} WHERE server_version IS NULL AND id IN (SELECT record_id FROM outbox "
        "WHERE kind = 'supervision' AND name = 'issue_supervision' AND state = 'rejected')"))


def record_number(session, args: dict, detail: dict) -> None:
    """The push answer of issue_supervision names the official number: it replaces the provisional one at once."""
    from ..store.models import Supervision

    referral_number(session, args, detail, model=Supervision, id_arg="supervision_id")

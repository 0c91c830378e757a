"""Pulled police assistance requests: upsert the rows; a request with steps of this device still waiting to be
pushed is rebased, the server's state taken as the base and the pending steps replayed on it with
`domain.police_request.apply_step`, the same function the service and fx-bureau call. A step that no longer applies
is left out of the local view but stays pending: the server rejects it with its reason, which the user then sees
with the other rejections."""
from __future__ import annotations

import copy

from ..domain import json_text
from ..domain import police_request as pr
from ..domain.errors import DomainError
from ..store import audit
from .apply import PageContext, _sql_time
from .apply_referral import _step_actor, delete_referral, upsert_pulled
from .apply_referral import record_number as referral_number

KIND = pr.KIND
_COLUMNS = ("id", "case_id", "owner_org", "station_org", "number", "situation", "status", "call_at",
            "arrival_minutes", "version", "server_version", "data", "updated_at")
_INSERT = f"INSERT INTO police_requests ({', '.join(_COLUMNS)}) VALUES ({', '.join('?' * len(_COLUMNS))})"
_UPSERT = (
    f"{_INSERT} ON CONFLICT(id) DO UPDATE SET "
    + ", ".join(f"{c} = excluded.{c}" for c in _COLUMNS if c not in ("id", "version"))
    + ", version = police_requests.version + 1"
)


def call_at(state: dict) -> str | None:
    """The call's time, or the filing's (what lists sort and filter by), as SQLite stores a DateTime."""
    when = state.get("call_time") or ((state.get("filed") or {}).get("at") or "")[:16]
    return _sql_time(when) if when else None


def rebase(session, request_id: str, server_state: dict, pending: list[tuple], *, directory) -> dict:
    """The server's state with this device's pending steps replayed on top."""
    state = copy.deepcopy(server_state)
    for name, args, at in pending:
        if name == "create_police_request":
            continue  # the server has the request: its row is the base
        who = _step_actor(session, request_id, name, at, kind=KIND, actor_type=pr.Actor)
        if who is None:
            continue
        try:
            state = pr.apply_step(name, state, args, actor=who, at=at, station=directory.get(args.get("station_org")),
                                  station_has_account=bool(state.get("station_has_account")))
        except DomainError:
            continue  # no longer applies: stays pending, and the server will say why it refuses it
    return state


def row_values(request_id: str, state: dict, *, version: int, server_version: int | None, updated_at) -> tuple:
    """One row of the table from a state (the services write the same columns)."""
    return (request_id, state.get("case_id"), state["owner_org"], state["station_org"], state.get("number") or "",
            state["situation"], state["status"], call_at(state), pr.minutes_to_arrival(state), version,
            server_version, json_text.encode(state), _sql_time(updated_at))


def _rows(ctx: PageContext, changes: list[dict], pending: dict) -> list[tuple]:
    from ..services.referrals import directory_in

    directory = None
    rows = []
    for c in changes:
        state = dict(c.get("data") or {})
        if c["id"] in pending:
            directory = directory or directory_in(ctx.session)
            state = rebase(ctx.session, c["id"], state, pending[c["id"]], directory=directory)
            ctx.result.rebased.append(c["id"])
        state["number"] = c.get("number") or state.get("number") or ""
        rows.append(row_values(c["id"], state, version=1, server_version=c["version"], updated_at=c.get("updated_at")))
    return rows


def apply_police_requests(ctx: PageContext, changes: list[dict]) -> None:
    existing = upsert_pulled(ctx, KIND, "police_requests", changes, _rows, _INSERT, _UPSERT)
    if existing is None:
        return
    for c in changes:  # the police's steps reach the case's timeline (the request's status, as pulled)
        old = existing.get(c["id"], c["version"])
        if c["id"] in existing and old != c["version"] and c.get("case_id"):
            audit.append(ctx.session, actor=ctx.actor, role="sync", case_id=c["case_id"], action="sync_update",
                         kind=KIND, record_id=c["id"], at=ctx.now,
                         detail={"server_version": [old, c["version"]], "police_status": c["status"]})


def delete_police_request(ctx: PageContext, request_id: str) -> bool:
    return delete_referral(ctx, request_id, kind=KIND, table="police_requests")


def drop_refused(session) -> None:
    """A request whose creation the server refused never existed there: its local row goes; the refusal, its reason
    and what the user typed stay in the rejected outbox entry."""
    from sqlalchemy import text

    session.execute(text(
        "DELETE FROM police_requests WHERE server_version IS NULL AND id IN (SELECT record_id FROM outbox "
        "WHERE kind = 'police_request' AND name = 'create_police_request' AND state = 'rejected')"))


def record_number(session, args: dict, detail: dict) -> None:
    """A push answer naming the official number (given when the request is filed) replaces the provisional one."""
    from ..store.models import PoliceRequest

    referral_number(session, args, detail, model=PoliceRequest, id_arg="request_id")

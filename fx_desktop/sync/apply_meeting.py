"""Pulled meetings and consultation items: upsert the rows; a record with steps of this device still waiting to be
pushed is rebased, the server's state the base and the pending steps replayed with `domain.meeting` (the function
the service and fx-bureau call). A step that no longer applies is left out of the local view but stays pending: the
server rejects it with its reason, which the user then sees with the other rejections."""
from __future__ import annotations

import copy

from ..domain import json_text
from ..domain import meeting as mt
from ..domain.errors import DomainError
from ..store import audit
from .apply import PageContext, _sql_time
from .apply_referral import _step_actor, delete_referral, upsert_pulled

KIND = mt.KIND
ITEM_KIND = mt.ITEM_KIND
_COLUMNS = ("id", "owner_org", "party_orgs", "kind", "number", "title", "starts_at", "status", "version",
            "server_version", "data", "updated_at")
_INSERT = f"INSERT INTO meetings ({', '.join(_COLUMNS)}) VALUES ({', '.join('?' * len(_COLUMNS))})"
_UPSERT = (f"{_INSERT} ON CONFLICT(id) DO UPDATE SET "
           + ", ".join(f"{c} = excluded.{c}" for c in _COLUMNS if c not in ("id", "version"))
           + ", version = meetings.version + 1")
_ITEM_COLUMNS = ("id", "owner_org", "party_orgs", "case_id", "status", "version", "server_version", "data",
                 "updated_at")
_ITEM_INSERT = (f"INSERT INTO consultation_items ({', '.join(_ITEM_COLUMNS)}) "
                f"VALUES ({', '.join('?' * len(_ITEM_COLUMNS))})")
_ITEM_UPSERT = (f"{_ITEM_INSERT} ON CONFLICT(id) DO UPDATE SET "
                + ", ".join(f"{c} = excluded.{c}" for c in _ITEM_COLUMNS if c not in ("id", "version"))
                + ", version = consultation_items.version + 1")


def party_text(codes: list[str]) -> str:
    """The parties as the visibility check reads them: ",code,code," (empty when there are none)."""
    return f",{','.join(codes)}," if codes else ""


def row_values(meeting_id: str, state: dict, *, version: int, server_version: int | None, updated_at) -> tuple:
    """One row of the table from a state (the services write the same columns)."""
    return (meeting_id, state["owner_org"], party_text(mt.parties_of(state)), state["kind"], state.get("number") or "",
            state.get("title") or "", state.get("starts_at") or "", state["status"], version, server_version,
            json_text.encode(state), _sql_time(updated_at))


def item_values(item_id: str, state: dict, *, version: int, server_version: int | None, updated_at) -> tuple:
    return (item_id, state["owner_org"], party_text(mt.item_parties(state)), state.get("case_id"), state["status"],
            version, server_version, json_text.encode(state), _sql_time(updated_at))


def _known(ctx: PageContext):
    from ..services.referrals import directory_in

    return directory_in(ctx.session).get


def rebase(ctx: PageContext, meeting_id: str, server_state: dict, pending: list[tuple], *, known) -> dict:
    """The server's state with this device's pending steps replayed on top."""
    state = copy.deepcopy(server_state)
    for name, args, at in pending:
        if name == "create_meeting":
            continue  # the server has the meeting: its row is the base
        who = _step_actor(ctx.session, meeting_id, name, at, kind=KIND, actor_type=mt.Actor)
        if who is None:
            continue
        try:
            state = mt.apply_step(name, state, args, actor=who, at=at, known=known)
        except DomainError:
            continue  # no longer applies: stays pending, and the server will say why it refuses it
    return state


def rebase_item(ctx: PageContext, item_id: str, server_state: dict, pending: list[tuple], *, known) -> dict:
    state = copy.deepcopy(server_state)
    for name, args, at in pending:
        if name != "update_consultation_item":
            continue
        who = _step_actor(ctx.session, item_id, name, at, kind=ITEM_KIND, actor_type=mt.Actor)
        if who is None:
            continue
        try:
            state = mt.update_item(state, args, actor=who, at=at, known=known)
        except DomainError:
            continue
    return state


def _rows(ctx: PageContext, changes: list[dict], pending: dict) -> list[tuple]:
    known = None
    rows = []
    for c in changes:
        state = dict(c.get("data") or {})
        if c["id"] in pending:
            known = known or _known(ctx)
            state = rebase(ctx, c["id"], state, pending[c["id"]], known=known)
            ctx.result.rebased.append(c["id"])
        state["number"] = c.get("number") or state.get("number") or ""
        rows.append(row_values(c["id"], state, version=1, server_version=c["version"], updated_at=c.get("updated_at")))
    return rows


def _item_rows(ctx: PageContext, changes: list[dict], pending: dict) -> list[tuple]:
    known = None
    rows = []
    for c in changes:
        state = dict(c.get("data") or {})
        if c["id"] in pending:
            known = known or _known(ctx)
            state = rebase_item(ctx, c["id"], state, pending[c["id"]], known=known)
            ctx.result.rebased.append(c["id"])
        rows.append(item_values(c["id"], state, version=1, server_version=c["version"], updated_at=c.get("updated_at")))
    return rows


def _apply(ctx: PageContext, changes: list[dict], kind: str, table: str, insert: str, upsert: str, rows) -> None:
    known = upsert_pulled(ctx, kind, table, changes, rows, insert, upsert)
    if known is None:
        return
    for c in changes:  # what another organisation did (a department's comment) on the record's timeline
        if c["id"] in known and known[c["id"]] != c["version"]:
            audit.append(ctx.session, actor=ctx.actor, role="sync", case_id=None, action="sync_update", kind=kind,
                         record_id=c["id"], at=ctx.now,
                         detail={"server_version": [known[c["id"]], c["version"]], "status": c["status"]})


def apply_meetings(ctx: PageContext, changes: list[dict]) -> None:
    _apply(ctx, changes, KIND, "meetings", _INSERT, _UPSERT, _rows)


def apply_consultation_items(ctx: PageContext, changes: list[dict]) -> None:
    _apply(ctx, changes, ITEM_KIND, "consultation_items", _ITEM_INSERT, _ITEM_UPSERT, _item_rows)


def delete_meeting(ctx: PageContext, meeting_id: str) -> bool:
    return delete_referral(ctx, meeting_id, kind=KIND, table="meetings")


def delete_consultation_item(ctx: PageContext, item_id: str) -> bool:
    return delete_referral(ctx, item_id, kind=ITEM_KIND, table="consultation_items")


def drop_refused(session) -> None:
    """A meeting or item whose creation the server refused never existed there: its local row goes; the refusal,
    its reason and what the user typed stay in the rejected outbox entry."""
    from sqlalchemy import text

    session.execute(text(
        "DELETE FROM meetings WHERE server_version IS NULL AND id IN (SELECT record_id FROM outbox "
        "WHERE kind = 'meeting' AND name = 'create_meeting' AND state = 'rejected')"))


def drop_refused_item(session) -> None:
    from sqlalchemy import text

    session.execute(text(
        "DELETE FROM consultation_items WHERE server_version IS NULL AND id IN (SELECT record_id FROM outbox "
        "WHERE kind = 'consultation_item' AND name = 'create_consultation_item' AND state = 'rejected')"))


def record_number(session, args: dict, detail: dict) -> None:
    """The push answer of the notice names the official number: it replaces the provisional one."""
    from ..store.models import Meeting

    row = session.get(Meeting, args.get("meeting_id"))
    number = detail.get("number")
    if row is None or not isinstance(number, str) or not number or row.number == number:
        return
    row.number = number
    row.data = {**row.data, "number": number}

"""An agreed item of a meeting's minutes and the supervision sheet (督办单) that follows it up (DOMAIN.md section 6).

The sheet decides the item's status: once a sheet is issued for an item (source kind "meeting", the meeting's id and
the item's no), the item shows the sheet's status (待签收 / 办理中 / 延期申请中 / 已反馈 / 已办结 / 退回重办); an item
whose sheet is closed is no longer open. A withdrawn sheet is left out (the item keeps its own status, and may be
supervised again); when an item has several sheets, the latest one issued counts.

`linked` is the one function every place showing agreed items goes through: the minutes table, the workbench, the
agenda proposal (items still open from earlier meetings) and the printed 议定事项清单."""
from __future__ import annotations

import copy
from dataclasses import dataclass

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from ..domain import supervision as sv
from ..store import Store
from ..store.models import Meeting, Supervision


@dataclass(frozen=True)
class FollowUp:
    """The sheet that follows up an agreed item."""

    sheet_id: str
    number: str
    status: str  # the sheet's status (domain.supervision.SheetStatus value)

    @property
    def label(self) -> str:
        return sv.STATUS_LABELS.get(self.status, self.status)


def follow_ups(session: Session, meeting_ids=None) -> dict[tuple[str, int], FollowUp]:
    """{(meeting id, item no): FollowUp} of the sheets this store holds for agreed items (of `meeting_ids`, or of
    every meeting when None)."""
    # a sheet counts for a meeting this store holds only when the meeting's convener issued it
    query = select(Supervision.id, Supervision.number, Supervision.status, Supervision.source_id,
                   Supervision.source_item, Supervision.data).outerjoin(
        Meeting, Meeting.id == Supervision.source_id).where(
        Supervision.source_kind == "meeting", Supervision.source_item.is_not(None),
        Supervision.status != str(sv.SheetStatus.WITHDRAWN),
        or_(Meeting.id.is_(None), Meeting.owner_org == Supervision.owner_org))
    if meeting_ids is not None:
        ids = list(meeting_ids)
        if not ids:
            return {}
        query = query.where(Supervision.source_id.in_(ids))
    rows = session.execute(query).all()
    # the latest issued wins: by the issue time the sheet records, then its number
    rows.sort(key=lambda r: (((r.data or {}).get("issued") or {}).get("at") or "", r.number or ""))
    return {(r.source_id, int(r.source_item)): FollowUp(r.id, r.number or "", r.status) for r in rows}


def status_of(item: dict, follow_up: FollowUp | None) -> str:
    """The status an agreed item shows: its sheet's when it has one, else its own (未启动 when none)."""
    return follow_up.label if follow_up is not None else item.get("status") or "未启动"


def linked(meeting_id: str, state: dict, found: dict[tuple[str, int], FollowUp]) -> dict:
    """A copy of a meeting's state whose agreed items (of every version of the minutes) carry the status their
    sheets give them, and `supervision` ({"id", "number", "status"}) when they have one. `found` is what
    `follow_ups` returned. domain.meeting.agreed_open over the result gives the items still open."""
    minutes = state.get("minutes")
    if not minutes:
        return state
    new = dict(state)
    new_minutes = copy.deepcopy(minutes)
    for m in [new_minutes, *(new_minutes.get("previous") or [])]:
        for item in m.get("items") or []:
            follow = found.get((meeting_id, item.get("no")))
            item["status"] = status_of(item, follow)
            if follow is not None:
                item["supervision"] = {"id": follow.sheet_id, "number": follow.number, "status": follow.status}
    new["minutes"] = new_minutes
    return new


def linked_state(session: Session, meeting_id: str, state: dict) -> dict:
    return linked(meeting_id, state, follow_ups(session, [meeting_id]))


def for_meeting(store: Store, meeting_id: str) -> dict[int, FollowUp]:
    """{item no: FollowUp} of one meeting (the minutes table)."""
    with store.sessions() as session:
        return {no: f for (_m, no), f in follow_ups(session, [meeting_id]).items()}

"""Roster mutations (人员与执法证, record kind "roster_entry"): each calls the same `fx_desktop.domain.roster`
function the client and its rebase call, with the entry's state (RosterEntry.data) and an Actor built from the
principal as the server knows it. The town owns its entries (not shared); the bureau sees them all. A user of no
town (a department, the police) adding an entry, or anyone acting on another town's entry, is refused with 403 and
nothing applied (OutsideTown); the domain then checks the role (office staff or squad leader) and the fields.

`roster_of(session, town)` is what the filing check reads (mutations.transition_case, update_case): the town's
entries, against which `domain.roster.check_case_officers` refuses an officer whose certificate has expired."""
from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from fx_desktop.domain import roster as ro
from fx_desktop.domain.errors import DomainError
from fx_desktop.domain.lifecycle import CaseStatus

from .arguments import Args, Uuid
from .kinds import KINDS, sees
from .models import RosterEntry
from .mutations import MUTATIONS, Context, MutationSpec, Outcome, OutsideTown
from .principal import Principal
from .schema import next_seq

KIND = ro.KIND


def actor(p: Principal) -> ro.Actor:
    return ro.Actor(p.name, p.role, p.org_code)


class EntryFields(Args):
    """The entry's fields (checked by the domain, whose reasons name them); None: not given."""

    name: Any = None
    cert_no: Any = None
    issuer: Any = None
    issued_on: Any = None
    expires_on: Any = None
    post: Any = None
    phone: Any = None
    username: Any = None
    active: Any = None


class AddRosterEntryArgs(EntryFields):
    entry_id: Uuid


class UpdateRosterEntryArgs(EntryFields):
    entry_id: Uuid


class RetireRosterEntryArgs(Args):
    entry_id: Uuid
    reason: Any = None


def given(args: dict) -> dict:
    return {k: v for k, v in args.items() if v is not None}


def roster_of(session: Session, town: str) -> list[dict]:
    """The town's roster entries (states), retired ones too: a certificate expired is expired."""
    return list(session.execute(select(RosterEntry.data).where(RosterEntry.owner_org == town)).scalars())


def check_case_officers(session: Session, town: str, officers, on: date) -> None:
    ro.check_case_officers(officers, roster_of(session, town), on)


def check_officers_change(session: Session, case, officers, on: date) -> None:
    ro.check_officers_change(case.officers, officers, roster_of(session, case.town_code), on,
                             filed=case.status != str(CaseStatus.CLUE))


def _others(session: Session, town: str) -> list[tuple[str, str, bool]]:
    return list(session.execute(select(RosterEntry.id, RosterEntry.cert_no, RosterEntry.active)
                                .where(RosterEntry.owner_org == town)).all())


def _write(session: Session, row: RosterEntry, state: dict, at) -> None:
    row.data, row.name, row.cert_no, row.active = state, state["name"], state["cert_no"], state["active"]
    row.expires_on = date.fromisoformat(state["expires_on"])
    row.seq = next_seq(session)
    row.updated_at = at


def add_roster_entry(session: Session, p: Principal, args: dict, ctx: Context) -> Outcome:
    args = given(args)
    entry_id = args.pop("entry_id")
    if p.town_code is None and not p.sees_all:
        raise OutsideTown("人员与执法证名单由各街镇维护，您所在的单位不能添加。")
    if p.town_code is None:
        raise DomainError("人员与执法证名单由各街镇的内勤或中队长维护，区局可以查看，不能代为添加。")
    if session.get(RosterEntry, entry_id) is not None:
        raise DomainError("该人员已经登记过（标识重复），未重复办理。")
    state = ro.create(args, owner_org=p.town_code, actor=actor(p), at=ctx.at)
    ro.check_unique(state["cert_no"], entry_id, _others(session, p.town_code))
    row = RosterEntry(id=entry_id, owner_org=p.town_code, version=1, created_at=ctx.at)
    _write(session, row, state, ctx.at)
    session.add(row)
    return Outcome("applied", entry_id, kind=KIND, detail={"cert_no": state["cert_no"]})


def _entry_for_update(session: Session, p: Principal, entry_id: str) -> RosterEntry:
    found = session.execute(select(RosterEntry).where(RosterEntry.id == entry_id)
                            .with_for_update()).scalar_one_or_none()
    if found is None:
        raise DomainError("服务器上没有该人员记录。")
    if not sees(session, p, KINDS[KIND], found):
        raise OutsideTown("该人员不属于您所在的街镇，无权查看或修改。")
    return found


def _step(name: str):
    def handler(session: Session, p: Principal, args: dict, ctx: Context) -> Outcome:
        args = given(args)
        row = _entry_for_update(session, p, args.pop("entry_id"))
        new = ro.apply_step(name, row.data, args, actor=actor(p), at=ctx.at)
        if new["active"]:
            ro.check_unique(new["cert_no"], row.id, _others(session, row.owner_org))
        _write(session, row, new, ctx.at)
        row.version += 1
        return Outcome("applied", row.id, kind=KIND, detail={"active": new["active"]})
    handler.__name__ = name
    return handler


ROSTER_MUTATIONS: dict[str, MutationSpec] = {
    "add_roster_entry": MutationSpec(AddRosterEntryArgs, add_roster_entry, KIND),
    "update_roster_entry": MutationSpec(UpdateRosterEntryArgs, _step("update_roster_entry"), KIND),
    "retire_roster_entry": MutationSpec(RetireRosterEntryArgs, _step("retire_roster_entry"), KIND),
}
MUTATIONS.update(ROSTER_MUTATIONS)

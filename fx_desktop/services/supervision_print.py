"""What a supervision sheet (督办单) and the periodic report (督办通报) print, built from the synced sheets with the
organisations' names resolved (printing/meeting_data.py SupervisionSheet, SupervisionReport): the forms need neither
the store nor Qt."""
from __future__ import annotations

import json
from datetime import date, datetime

from sqlalchemy import select

from ..domain import supervision as sv
from ..printing.meeting_data import Progress, SupervisionReport, SupervisionSheet, UnitTally
from ..store import Store, meta
from ..store.models import Supervision
from .referrals import directory_in


def _day(at: str | None) -> date | None:
    return datetime.fromisoformat(at).date() if at else None


def _sheet(row: Supervision, directory) -> SupervisionSheet:
    state = row.data or {}
    history = state.get("history") or []
    progress = tuple(Progress(on=_day(h["at"]), text=sv.step_text(h),
                              by=f"{directory.name(h.get('org') or '')} {h.get('by') or ''}".strip())
                     for h in history if h.get("step") != "issue_supervision")
    number = row.number or None
    return SupervisionSheet(
        number=number, matter=row.matter, source=state.get("source_text") or "",
        deadline=date.fromisoformat(row.deadline),
        responsible_unit=directory.name(row.responsible_org), leader=state.get("leader") or "",
        handler=state.get("handler") or "", issued_by=directory.name(row.owner_org),
        issued_on=_day((state.get("issued") or {}).get("at")), status=sv.STATUS_LABELS.get(row.status, row.status),
        progress=progress, extension=sv.extension_text(state),
        urged=tuple(date.fromisoformat(d) for d in state.get("urged") or ()))


def sheet_print(store: Store, sheet_id: str) -> SupervisionSheet:
    with store.sessions() as session:
        row = session.get(Supervision, sheet_id)
        if row is None:
            from ..domain.errors import DomainError
            raise DomainError("找不到该督办单，可能尚未同步到本机，请同步后再打印。")
        return _sheet(row, directory_in(session))


def _store_org(session) -> str | None:
    for key in ("profile", "sync.account"):
        raw = meta.get(session, key)
        if raw:
            found = json.loads(raw)
            if found.get("org_code") or found.get("town_code"):
                return found.get("org_code") or found.get("town_code")
    return None


def report_print(store: Store, start: date, end: date, today: date, *, org: str | None = None,
                 number: str | None = None) -> SupervisionReport:
    """督办通报 for [start, end]: every sheet of the supervising office (`org`, by default this store's organisation)
    issued by the end of the period and not closed before it began (withdrawn ones left out), by responsible unit in
    the reference's order, each unit's sheets by deadline; `today` is what "overdue" is measured against."""
    with store.sessions() as session:
        directory = directory_in(session)
        owner = org or _store_org(session)
        query = select(Supervision).where(Supervision.status != str(sv.SheetStatus.WITHDRAWN))
        if owner and not (directory.get(owner) and directory.get(owner).sees_all):
            query = query.where(Supervision.owner_org == owner)
        rows = session.execute(query.order_by(Supervision.deadline, Supervision.number)).scalars().all()
        by_unit: dict[str, list[SupervisionSheet]] = {}
        for row in rows:
            state = row.data or {}
            issued = _day((state.get("issued") or {}).get("at"))
            closed = _day((state.get("closed") or {}).get("at"))
            if issued is None or issued > end or (closed is not None and closed < start):
                continue
            by_unit.setdefault(row.responsible_org, []).append(_sheet(row, directory))
        order = {o.code: i for i, o in enumerate(directory)}
        units = tuple(UnitTally(directory.name(code), tuple(found))
                      for code, found in sorted(by_unit.items(), key=lambda kv: (order.get(kv[0], 10**6), kv[0])))
        return SupervisionReport(number=number, issued_by=directory.name(owner) if owner else "", period_start=start,
                                 period_end=end, today=today, units=units)


def for_meeting(store: Store, meeting_id: str) -> dict[int, SupervisionSheet]:
    """The sheets that follow up a meeting's agreed items, by item no (the latest one issued when an item has
    several; withdrawn ones left out, as services.agreed_items.follow_ups chooses them): what MeetingPrint.supervision
    prints, one per agreed item, and the status its AgreedItem shows (`SupervisionSheet.status`)."""
    from .agreed_items import follow_ups

    with store.sessions() as session:
        directory = directory_in(session)
        chosen = {f.sheet_id: no for (_m, no), f in follow_ups(session, [meeting_id]).items()}
        rows = session.execute(select(Supervision).where(Supervision.id.in_(list(chosen)))).scalars() \
            if chosen else []
        return {chosen[row.id]: _sheet(row, directory) for row in rows}

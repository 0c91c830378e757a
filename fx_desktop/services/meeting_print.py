"""What the meeting pack prints (printing/meeting_data.py MeetingPrint), read from a meeting of the local store
with every organisation's name resolved. The case briefing sheets (`cases`) are those of the cases the agenda names
and this store holds, built as the case briefing is (services/print_data.py `dossier`). `supervision` is left
one 督办单 per agreed item in the items' order: the sheet issued for it (supervision_print.for_meeting), else one
pre-filled from the item (a draft); each agreed item's status is its sheet's (services.agreed_items)."""
from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime

from sqlalchemy import select

from ..domain import meeting as mt
from ..domain.errors import DomainError
from ..printing.meeting_data import AgendaItem, AgreedItem, Attendee, MeetingPrint
from ..store import Store
from ..store.models import Case, Meeting
from .agreed_items import linked_state
from .print_data import dossier
from .referrals import directory_in


def _case_ids(state: dict) -> list[str]:
    ids = []
    for item in state.get("agenda") or []:
        ref = item.get("ref") or {}
        case_id = ref.get("id") if ref.get("kind") == "case" else ref.get("case_id")
        if case_id and case_id not in ids:
            ids.append(case_id)
    return ids


def _day(value: str | None) -> date | None:
    return date.fromisoformat(value[:10]) if value else None


def meeting_print(store: Store, meeting_id: str) -> MeetingPrint:
    with store.sessions() as session:
        row = session.get(Meeting, meeting_id)
        if row is None:
            raise DomainError("找不到该会议，可能尚未同步到本机，请同步后再打印。")
        state = linked_state(session, meeting_id, row.data or {})
        names = directory_in(session)
        held = set(session.execute(select(Case.id).where(Case.id.in_(_case_ids(state)))).scalars())
    case_ids = [c for c in _case_ids(state) if c in held]
    organiser = names.name(row.owner_org)
    minutes = state.get("minutes") or {}
    attendees = tuple(Attendee(unit=names.name(p["org"]) if p.get("org") else p.get("unit") or "",
                               title=p.get("title") or "", name=p.get("name") or "", phone=p.get("phone") or "",
                               attendance=p.get("attendance")) for p in state.get("invitees") or [])
    agenda = tuple(AgendaItem(no=a["no"], title=a["title"], source=mt.SOURCES.get(a.get("source"), ""),
                              carried_over_from=a.get("carried_over_from"), presenter=a.get("presenter") or "")
                   for a in state.get("agenda") or [])
    agreed = tuple(AgreedItem(no=i["no"], matter=i["matter"], lead_unit=names.name(i["lead_org"]),
                              supporting_units=tuple(names.name(c) for c in i.get("supporting_orgs") or []),
                              deadline=_day(i.get("deadline")), status=i.get("status") or "未启动")
                   for i in minutes.get("items") or [])
    title = state.get("title") or ""
    signed = minutes.get("signed") or {}
    notified = state.get("notified") or {}
    printed = MeetingPrint(
        number=row.number or None, kind=row.kind, title=title, organiser=organiser,
        mark=f"{title}纪要" if title else f"{organiser}会议纪要",
        starts_at=datetime.fromisoformat(state["starts_at"]) if state.get("starts_at") else None,
        place=state.get("place") or "", chair=state.get("chair") or "", minute_taker=state.get("minute_taker") or "",
        attendees=attendees, agenda=agenda, minutes_intro=minutes.get("intro") or "", agreed=agreed,
        minutes_status=mt.MINUTES_LABELS.get(minutes.get("status"), "草稿"),
        minutes_version=minutes.get("version") or 1, signed_on=_day(signed.get("at")),
        notice_issued_on=_day(notified.get("at")), notice_body=state.get("notice_body") or "",
        contact=state.get("contact") or "", supervision=(),
        cases=tuple(dossier(store, case_id) for case_id in case_ids))
    if not agreed:
        return printed
    from ..printing.forms.meeting_pack import prefilled
    from .supervision_print import for_meeting

    issued = for_meeting(store, meeting_id)
    return replace(printed, supervision=tuple(issued.get(item.no) or prefilled(printed, item) for item in agreed))

"""The agenda a meeting's convener is offered (DOMAIN.md section 6): the open problems the local store already
knows, as plain records for `domain.meeting.propose_agenda`, which the office staff then edit by hand.

- agreed items still open from earlier signed minutes of the organisation (carried over, with the earlier number);
- open consultation items of the list, and the cases a squad put on it (cases marked for coordination);
- referrals whose department is late to sign or report back (the workbench's `_sent`);
- criminal referrals whose police step is late (the workbench's criminal referral chase);
- disputed clues the bureau routed to the town (source 线索移送) not yet filed (`_clues_routed`, for the town)."""
from __future__ import annotations

from datetime import date

from sqlalchemy import select, text

from ..domain import meeting as mt
from ..store import Store
from ..store.models import ConsultationItem, Meeting, Referral
from . import workbench
from .agreed_items import follow_ups, linked
from .calendar import current_calendar
from .meetings import case_numbers, scope
from .referrals import actor_org, directory_in


def _late(days: int | None) -> str:
    return f"（已逾期{-days}个工作日）" if days is not None and days < 0 else ""


def open_problems(store: Store, profile, *, today: date | None = None, exclude: str | None = None,
                  limit: int = 50) -> list[dict]:
    """Every open problem of the profile's organisation (`exclude`: the meeting being prepared)."""
    today = today or date.today()
    found: list[dict] = []
    with store.sessions() as session:
        org = actor_org(session, profile) or ""
        directory = directory_in(session)
        ctx = workbench.Context(store, session, profile, today, current_calendar(session), limit)

        rows = session.execute(select(Meeting).where(Meeting.owner_org == org, Meeting.status != "cancelled")
                               .order_by(Meeting.starts_at)).scalars()
        rows = [row for row in rows if row.id != exclude]
        sheets = follow_ups(session, [row.id for row in rows])  # an item whose 督办单 is closed is not open
        for row in rows:
            for item in mt.agreed_open(linked(row.id, row.data or {}, sheets)):
                found.append({"source": "carried_over", "title": item["matter"],
                              "ref": {"kind": "meeting", "id": row.id, "item": item["no"]},
                              "carried_over_from": row.number or row.title, "due": item.get("deadline"),
                              "presenter": directory.name(item["lead_org"])})

        clause, params = scope(session, profile)  # the consultation items the organisation sees
        items = session.execute(select(ConsultationItem).where(
            text(clause).bindparams(**params), ConsultationItem.status.in_(("open", "scheduled")))
            .order_by(ConsultationItem.updated_at)).scalars().all()
        numbers = case_numbers(session, [i.case_id for i in items])
        for item in items:
            data = item.data or {}
            units = "、".join(directory.name(c) for c in data.get("units") or [])
            if item.case_id:
                number = numbers.get(item.case_id) or data.get("case_number") or ""
                title = f"案件{number}需协调：{data.get('matter', '')}"
                source = "case"
            else:
                title, source = data.get("matter", ""), "consultation"
            found.append({"source": source, "title": title,
                          "ref": {"kind": "consultation_item", "id": item.id, "case_id": item.case_id},
                          "presenter": units})

        late_referrals = workbench._sent(ctx).items
        receivers = dict(session.execute(select(Referral.id, Referral.receiving_org).where(
            Referral.id.in_([w.record_id for w in late_referrals]))).all()) if late_referrals else {}
        for w in late_referrals:
            found.append({"source": "overdue_referral", "title": f"{w.number} {w.title}：{w.task}{_late(w.left)}",
                          "ref": {"kind": "referral", "id": w.record_id, "case_id": w.case_id},
                          "due": w.due.isoformat() if w.due else None,
                          "presenter": directory.name(receivers.get(w.record_id))})

        late = workbench._crime_items(ctx, "owner_org", workbench._CRIME_CHASE_TASKS, late_only=True)
        for w in late.items:
            found.append({"source": "overdue_criminal_referral", "title": f"{w.number} {w.title}：{w.task}",
                          "ref": {"kind": "criminal_referral", "id": w.record_id, "case_id": w.case_id},
                          "due": w.due.isoformat() if w.due else None})

        town = "" if directory.get(org) and directory.get(org).sees_all else "AND town_code = :org"
        clues = session.execute(text(
            f"SELECT id, number, party_name, cause, opened_on FROM cases WHERE status = 'clue' "
            f"AND source = '线索移送' {town} ORDER BY opened_on LIMIT :limit"), {"org": org, "limit": limit}).all()
        for case_id, number, party, cause, opened in clues:
            found.append({"source": "disputed_clue", "title": f"{number} {party} · {cause}：线索尚未立案",
                          "ref": {"kind": "case", "id": case_id}, "due": str(opened) if opened else None})
    return found


def propose(store: Store, profile, *, today: date | None = None, exclude: str | None = None) -> list[dict]:
    """The proposed agenda (domain.meeting.propose_agenda over open_problems)."""
    return mt.propose_agenda(open_problems(store, profile, today=today, exclude=exclude))

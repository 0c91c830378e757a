"""Legal review use cases (DOMAIN.md section 4): submit, answer, extend, and the reviewer's queue. Each action
commits the review row, the case's status, an audit entry and an outbox mutation in one transaction; fx-bureau
checks the same rules again (fx_bureau/reviews.py) with the same `domain.legal_review` functions. A round is a
record of kind "legal_review" (sync/kinds.py): its mutations act on the round (outbox kind and record id) and
concern its case (outbox case_id)."""
from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..domain import legal_review as lr
from ..domain.errors import DomainError
from ..domain.lifecycle import CaseStatus, apply_transition
from ..domain.review_effects import apply_verdict, extend_round, submit_effect
from ..domain.roles import Role, require_case_handler
from ..domain.workdays import HolidayCalendar
from ..store import Store, audit, outbox
from ..store.models import Case, LegalReview
from .calendar import current_calendar
from .cases import load_case, load_for_step, outside_town
from .profile import Profile
from .review_rules import rules_in

KIND = "legal_review"
REVIEW_COLUMNS = ("id", "round_no", "status", "submitted_at", "submitted_by", "materials", "report", "accepted_on",
                  "due_on", "extension_reason", "criteria", "outcome", "opinion", "reviewer", "reviewed_at",
                  "opinion_number")


@dataclass(frozen=True)
class ReviewRecord:
    id: str
    case_id: str
    round_no: int
    status: lr.ReviewStatus
    submitted_at: datetime
    submitted_by: str
    materials: list[str]
    report: str
    accepted_on: date
    due_on: date
    extension_reason: str | None
    criteria: dict | None
    outcome: lr.Outcome | None
    opinion: str | None
    reviewer: str | None
    reviewed_at: datetime | None
    opinion_number: str | None

    @property
    def extended(self) -> bool:
        return bool(self.extension_reason)


def to_review(row: LegalReview) -> ReviewRecord:
    return ReviewRecord(
        id=row.id, case_id=row.case_id, round_no=row.round_no, status=lr.ReviewStatus(row.status),
        submitted_at=row.submitted_at, submitted_by=row.submitted_by, materials=list(row.materials or []),
        report=row.report, accepted_on=row.accepted_on, due_on=row.due_on, extension_reason=row.extension_reason,
        criteria=row.criteria, outcome=lr.Outcome(row.outcome) if row.outcome else None, opinion=row.opinion,
        reviewer=row.reviewer, reviewed_at=row.reviewed_at, opinion_number=row.opinion_number)


def reviews_of(store: Store, case_id: str) -> list[ReviewRecord]:
    with store.sessions() as session:
        rows = session.execute(select(LegalReview).where(LegalReview.case_id == case_id)
                               .order_by(LegalReview.round_no)).scalars()
        return [to_review(r) for r in rows]


def _pending(case: Case, review_id: str | None = None) -> LegalReview:
    current = next((r for r in reversed(case.reviews) if r.status == lr.ReviewStatus.PENDING), None)
    if current is None or (review_id and current.id != review_id):
        raise DomainError("该案件没有待审核的送审记录，可能已被审核或撤回，请刷新后再操作。")
    return current


def submit(store: Store, actor: Profile, case_id: str, *, materials: list[str], report: str,
           expected_status: CaseStatus = CaseStatus.NOTIFIED, now: datetime | None = None) -> ReviewRecord:
    """The squad submits a case for legal review with its materials checked off (a new round each time)."""
    now = now or datetime.now()
    require_case_handler(actor.role)
    with store.writes.begin() as session:
        case, current = load_for_step(session, actor, case_id, expected_status)
        target = apply_transition(current, "submit_review", actor.role)
        materials = lr.check_submission(materials, case.circumstances, report)
        rules = rules_in(session)
        row = LegalReview(
            id=str(uuid.uuid4()), case_id=case.id, owner_org=case.town_code, version=1, round_no=len(case.reviews) + 1,
            status=str(lr.ReviewStatus.PENDING), submitted_at=now, submitted_by=actor.name, materials=materials,
            report=lr.check_report(report), accepted_on=now.date(),
            due_on=lr.review_due(now.date(), current_calendar(session), rules.time_limit_days))
        case.reviews.append(row)
        for column, value in submit_effect().items():  # target: legal_review
            setattr(case, column, value)
        _touch(case, now)
        audit.append(session, actor=actor.name, role=str(actor.role), case_id=case.id, action="review_submit",
                     detail={"round": row.round_no, "materials": materials, "from": str(current)}, at=now)
        outbox.enqueue(session, "submit_review", {"case_id": case.id, "review_id": row.id, "expected_state":
                                                  str(current), "materials": materials, "report": row.report},
                       owner=actor.user_id, at=now, kind=KIND, record_id=row.id)
        session.flush()
        return to_review(row)


def require_reviewer(actor: Profile, case: Case) -> None:
    if actor.role != Role.LEGAL_REVIEWER:
        raise DomainError(f"您的角色“{actor.role.label}”不能进行法制审核，该工作由本街镇的法制审核员办理。")
    if outside_town(case.town_code, actor):
        raise DomainError("该案件不属于您所在的街镇，不能审核。")


def record_verdict(store: Store, actor: Profile, case_id: str, review_id: str, *, outcome: str | None,
                   opinion: str, criteria: dict | None, now: datetime | None = None) -> ReviewRecord:
    """The reviewer's answer, signed with the user's name and the time. 同意 passes the case; 建议修改后再报 sends
    it back to the squad; 不同意 ends the round without a pass."""
    now = now or datetime.now()
    with store.writes.begin() as session:
        case = load_case(session, case_id)
        require_reviewer(actor, case)
        row = _pending(case, review_id)
        lr.check_not_handler(actor.name, officers=[o.name for o in case.officers], created_by=case.created_by,
                             submitted_by=row.submitted_by)
        verdict = lr.check_verdict(outcome, opinion, criteria)
        apply_verdict(row, case, verdict, reviewer=actor.name, at=now)
        row.opinion_number = _opinion_number(session, case, now)
        row.version += 1
        _touch(case, now)
        audit.append(session, actor=actor.name, role=str(actor.role), case_id=case.id, action="review_verdict",
                     detail={"round": row.round_no, "outcome": str(verdict.outcome), "status": case.status,
                             "opinion_number": row.opinion_number}, at=now)
        outbox.enqueue(session, "record_review", {"case_id": case.id, "review_id": row.id,
                                                  "outcome": str(verdict.outcome), "opinion": verdict.opinion,
                                                  "criteria": verdict.criteria}, owner=actor.user_id, at=now,
                       kind=KIND, record_id=row.id)
        session.flush()
        return to_review(row)


def _opinion_number(session: Session, case: Case, now: datetime) -> str:
    from .numbering import next_number

    return next_number(session, "review_opinion", case.town_code, now.year)


def extend(store: Store, actor: Profile, case_id: str, review_id: str, reason: str,
           now: datetime | None = None) -> ReviewRecord:
    """One extension per round, with a reason, by the reviewer."""
    now = now or datetime.now()
    with store.writes.begin() as session:
        case = load_case(session, case_id)
        require_reviewer(actor, case)
        row = _pending(case, review_id)
        extend_round(row, reason, calendar=current_calendar(session), days=rules_in(session).extension_days)
        reason = row.extension_reason
        row.version += 1
        _touch(case, now)
        audit.append(session, actor=actor.name, role=str(actor.role), case_id=case.id, action="review_extend",
                     detail={"round": row.round_no, "due_on": row.due_on.isoformat(), "reason": reason}, at=now)
        outbox.enqueue(session, "extend_review", {"case_id": case.id, "review_id": row.id, "reason": reason},
                       owner=actor.user_id, at=now, kind=KIND, record_id=row.id)
        session.flush()
        return to_review(row)


def _touch(case: Case, now: datetime) -> None:
    case.version += 1
    case.updated_at = now


@dataclass(frozen=True)
class QueueItem:
    review: ReviewRecord
    case_number: str
    party_name: str
    cause: str
    proposed: str
    working_days_left: int  # negative: overdue by that many working days
    provisional: bool  # the deadline falls in a year without a holiday calendar

    @property
    def overdue(self) -> bool:
        return self.working_days_left < 0


def queue(store: Store, actor: Profile, *, today: date | None = None, pending_only: bool = True,
          limit: int = 500) -> list[QueueItem]:
    """Rounds of the actor's town (all towns for bureau staff; none for other organisations), pending ones by
    deadline, else newest first."""
    today = today or date.today()
    if not actor.sees_all and not actor.in_town:
        return []
    with store.sessions() as session:
        calendar = current_calendar(session)
        q = select(LegalReview, Case).join(Case, Case.id == LegalReview.case_id)
        if not actor.sees_all:  # `|| ''` keeps SQLite off the town index: a town has 100,000 cases, fewer rounds
            q = q.where(Case.town_code + "" == actor.town_code)  # (at 1,000,000 cases: 0.46 s, now < 1 ms)
        if pending_only:
            q = q.where(LegalReview.status == str(lr.ReviewStatus.PENDING)).order_by(LegalReview.due_on)
        else:
            q = q.order_by(LegalReview.submitted_at.desc())
        rows = session.execute(q.limit(limit)).all()
        return [_item(r, c, calendar, today) for r, c in rows]


def _item(row: LegalReview, case: Case, calendar: HolidayCalendar, today: date) -> QueueItem:
    amount = f" {case.proposed_amount:,.2f} 元" if case.proposed_amount is not None else ""
    left = calendar.working_days_between(today, row.due_on)
    if left == 0 and today > row.due_on:
        left = -1
    return QueueItem(to_review(row), case.number, case.party_name, case.cause,
                     f"{case.proposed_penalty or ''}{amount}".strip(), left, not calendar.covers(row.due_on.year))

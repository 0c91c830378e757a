"""Cases registered here whose creation the server refused (its create_case came back rejected with a reason, e.g.
a value the bureau validates differently, or a town the user no longer belongs to). The server has no such case,
so the local one is kept exactly as typed and marked as not accepted by the bureau until the user either resends
it corrected (a fresh create_case) or discards it; nothing more is queued for it meanwhile (store.outbox.enqueue).

The case's other mutations the server refused with it (it had no case to apply them to) are dealt with too: field
edits are in the resent case itself, its workflow steps, evidence and legal review steps are queued again after it
in their order and at their times; a referral refused with it stays listed on the sync page."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from ..domain.case_draft import CaseDraft, clean_to_json, to_json_value, validate
from ..domain.case_fields import EDITABLE_COLUMNS
from ..domain.errors import DomainError
from ..domain.roles import require_case_registrar
from ..store import Store, audit, outbox
from ..store.models import Case, LegalReview, OutboxEntry, Referral, Town
from .cases import CaseRecord, diff_case, load_case, outside_town, to_record, write_changes
from .profile import Profile
from .review_rules import review_rules

FOLDED = frozenset({"create_case", "update_case", "resolve_conflict"})  # what the resent case itself carries
REQUEUED_KINDS = ("case", "legal_review")  # whose other refused mutations go again after the resent case


@dataclass(frozen=True)
class Refusal:
    """Why the bureau did not accept a case registered here, as the server said it."""

    case_id: str
    reason: str
    refused_at: datetime | None
    registered_at: datetime


def refusal(store: Store, case_id: str) -> Refusal | None:
    """The refusal still waiting for the user on this case, if any."""
    with store.sessions() as session:
        entry = outbox.creation_refused(session, case_id)
        return None if entry is None else _refusal(entry)


def _refusal(entry: OutboxEntry) -> Refusal:
    return Refusal(entry.case_id, entry.reason or "服务器拒绝了该案件的登记。", entry.done_at, entry.created_at)


def _refused(session: Session, case: Case) -> tuple[OutboxEntry, list[OutboxEntry]]:
    """The refused create_case and every refused mutation of the case, oldest first; a clear message when the
    case is not (or no longer) refused, or a change of it is still being sent."""
    first = outbox.creation_refused(session, case.id)
    if first is None:
        raise DomainError("该案件没有被区局拒绝的登记，可能已重新提交或已被处理，请刷新后再看。")
    entries = list(session.execute(select(OutboxEntry).where(
        OutboxEntry.case_id == case.id, OutboxEntry.state.in_((outbox.PENDING, outbox.REJECTED)))
        .order_by(OutboxEntry.mutation_id)).scalars())
    if any(e.state == outbox.PENDING for e in entries):
        raise DomainError("该案件还有变更正在发送，请等同步完成后再处理。")
    return first, entries


def resubmit(store: Store, actor: Profile, case_id: str, draft: CaseDraft, *, now: datetime | None = None
             ) -> CaseRecord:
    """Save the corrected `draft` into the case and queue it again as a new create_case (dated when it was first
    registered, so the bureau opens it on that day), followed by its refused steps; the refusals are marked
    handled. One transaction, with an audit entry naming the reason it answers."""
    now = now or datetime.now()
    require_case_registrar(actor.role)
    clean = validate(draft, today=now.date(), rules=review_rules(store))
    with store.writes.begin() as session:
        case = load_case(session, case_id)
        first, entries = _refused(session, case)
        if outside_town(case.town_code, actor):
            town = session.get(Town, case.town_code)
            raise DomainError(f"该案件登记在{town.name if town else case.town_code}，您现在不属于该街镇，"
                              "不能重新提交。请联系该街镇执法中队登记，或放弃此草稿。", "town")
        changes = diff_case(case, clean)
        shown = write_changes(case, clean, changes, now) if changes else {}
        handled = [e for e in entries if (e.kind or "case") in REQUEUED_KINDS]
        outbox.settle(session, [e.mutation_id for e in handled])
        values, officers = clean_to_json(clean)
        outbox.enqueue(session, "create_case", {"case_id": case.id, "number": case.number,
                                                "town_code": case.town_code, "fields": values, "officers": officers},
                       owner=actor.user_id, at=first.created_at)
        again = [e for e in handled if e.name not in FOLDED]
        for e in again:
            outbox.enqueue(session, e.name, e.args, owner=actor.user_id, at=e.created_at, kind=e.kind or "case",
                           record_id=e.record_id, case_id=e.case_id)
        audit.append(session, actor=actor.name, role=str(actor.role), case_id=case.id, action="resubmit",
                     detail={"reason": first.reason, "changes": shown, "requeued": [e.name for e in again]}, at=now)
        session.flush()
        return to_record(case)


def discard(store: Store, actor: Profile, case_id: str, *, now: datetime | None = None) -> None:
    """Give up a refused case: it never existed on the server, so it goes from this computer only. The audit
    trail keeps what it held and why the bureau refused it; its refusals are marked handled."""
    now = now or datetime.now()
    require_case_registrar(actor.role)
    with store.writes.begin() as session:
        case = load_case(session, case_id)
        first, entries = _refused(session, case)
        values = {k: to_json_value(getattr(case, k)) for k in EDITABLE_COLUMNS}
        audit.append(session, actor=actor.name, role=str(actor.role), case_id=case.id, action="discard_refused",
                     detail={"number": case.number, "party_name": case.party_name, "reason": first.reason,
                             "values": values, "officers": [[o.name, o.cert_no] for o in case.officers]}, at=now)
        outbox.settle(session, [e.mutation_id for e in entries])
        session.execute(delete(LegalReview).where(LegalReview.case_id == case.id))  # no foreign key (store 0009)
        session.execute(delete(Referral).where(Referral.case_id == case.id, Referral.server_version.is_(None)))
        session.delete(case)

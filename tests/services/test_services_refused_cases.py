"""A case whose creation the server refused: kept as typed and marked, nothing more queued for it, resent corrected
(a fresh create_case, its refused steps again after it, the refusals handled) or discarded with an audit entry."""
from __future__ import annotations

from datetime import datetime

import pytest
from sqlalchemy import select

from fx_desktop.domain.case_draft import DraftInvalid
from fx_desktop.domain.errors import DomainError
from fx_desktop.domain.lifecycle import CaseStatus
from fx_desktop.services import cases, refused_cases
from fx_desktop.services.conflicts import rejected_entries
from fx_desktop.services.evidence import add_evidence
from fx_desktop.services.profile import save_profile
from fx_desktop.store import outbox
from fx_desktop.store.case_queries import CaseFilter, CaseQueries
from fx_desktop.store.models import AuditEntry, Case, Evidence, OutboxEntry

NOW = datetime(2026, 11, 26, 9, 0)
LATER = datetime(2026, 11, 27, 15, 30)
REASON = "案件数据未通过校验：没有这些重大执法情形：demolition。"


def _entries(store) -> list[OutboxEntry]:
    with store.sessions() as session:
        return list(session.execute(select(OutboxEntry).order_by(OutboxEntry.mutation_id)).scalars())


def _refuse_all(store, reason_of_create: str = REASON) -> None:
    """What the sync engine does with the server's answer: the create refused with its reason, the case's later
    mutations refused because the server has no such case."""
    with store.writes.begin() as session:
        for e in session.execute(select(OutboxEntry).where(OutboxEntry.state == outbox.PENDING)).scalars():
            outbox.mark(session, e.owner, e.seq, outbox.REJECTED,
                        reason_of_create if e.name == "create_case" else "服务器上没有该案件。", at=NOW)


@pytest.fixture
def refused(store, profile, make_draft, tmp_path):
    """A case registered offline, filed and given a piece of evidence, all refused by the server."""
    case = cases.create_case(store, profile, make_draft(party_name="被拒当事人"), now=NOW)
    cases.change_status(store, profile, case.id, "file", expected_status=CaseStatus.CLUE, now=NOW)
    photo = tmp_path / "现场.jpg"
    photo.write_bytes(b"\xff\xd8 photo")
    add_evidence(store, profile, case.id, photo)
    _refuse_all(store)
    return cases.get_case(store, case.id)


def test_a_refused_case_is_kept_as_typed_and_marked_in_the_register(store, refused):
    found = refused_cases.refusal(store, refused.id)
    assert found is not None and found.reason == REASON and found.refused_at == NOW
    kept = cases.get_case(store, refused.id)
    assert kept.values["party_name"] == "被拒当事人" and kept.status is CaseStatus.FILED and len(kept.evidence) == 1
    queries = CaseQueries(store.engine)
    try:
        (row,) = queries.page(queries.plan(CaseFilter()))
    finally:
        queries.close()
    assert row[0] == refused.id and row[-1] == REASON  # the register reads the reason with the row


def test_nothing_more_is_queued_for_a_refused_case_and_edits_stay_here(store, profile, refused, make_draft):
    before = len(_entries(store))
    with pytest.raises(DomainError, match="未被区局接受"):
        cases.change_status(store, profile, refused.id, "start_investigation", expected_status=CaseStatus.FILED)
    saved = cases.update_case(store, profile, refused.id, make_draft(party_name="改过的当事人"),
                              base_version=refused.version)
    assert saved.values["party_name"] == "改过的当事人"
    assert len(_entries(store)) == before  # the edit is local: the resend carries the whole case


def test_resubmitting_queues_a_fresh_create_then_the_refused_steps_and_handles_the_refusals(store, profile, refused,
                                                                                          make_draft):
    old = _entries(store)
    record = refused_cases.resubmit(store, profile, refused.id, make_draft(party_name="更正后的当事人"), now=LATER)
    assert record.values["party_name"] == "更正后的当事人" and refused_cases.refusal(store, refused.id) is None
    entries = _entries(store)
    assert [e.state for e in entries[:len(old)]] == [outbox.HANDLED] * len(old)
    fresh = entries[len(old):]
    assert [(e.name, e.state) for e in fresh] == [("create_case", "pending"), ("transition_case", "pending"),
                                                  ("add_evidence", "pending")]
    create = fresh[0]
    assert create.args["fields"]["party_name"] == "更正后的当事人" and create.args["case_id"] == refused.id
    assert create.args["number"] == refused.number and create.created_at == NOW  # opened the day it was registered
    assert fresh[1].args == old[1].args and fresh[2].args == old[2].args
    assert [s.seq for s in fresh] == [max(e.seq for e in old) + i for i in (1, 2, 3)]  # no gap for the server
    assert rejected_entries(store) == []  # nothing left waiting on the sync page
    with store.sessions() as session:
        audit = session.execute(select(AuditEntry).where(AuditEntry.action == "resubmit")).scalar_one()
    assert audit.detail["reason"] == REASON and audit.detail["changes"]["party_name"][1] == "更正后的当事人"
    with pytest.raises(DomainError, match="没有被区局拒绝"):  # a second press does not queue it twice
        refused_cases.resubmit(store, profile, refused.id, make_draft(), now=LATER)


def test_a_resubmission_is_validated_like_a_new_case(store, profile, refused, make_draft):
    with pytest.raises(DraftInvalid) as raised:
        refused_cases.resubmit(store, profile, refused.id, make_draft(party_name=""), now=LATER)
    assert "party_name" in raised.value.fields
    assert refused_cases.refusal(store, refused.id) is not None  # still refused, nothing queued
    assert all(e.state == outbox.REJECTED for e in _entries(store))


def test_a_case_of_a_town_the_user_left_cannot_be_resent_but_can_be_discarded(store, refused, make_draft):
    moved = save_profile(store, name="张伟", role="squad_leader", town_code="fengcheng")
    with pytest.raises(DomainError, match="不属于该街镇"):
        refused_cases.resubmit(store, moved, refused.id, make_draft(), now=LATER)
    refused_cases.discard(store, moved, refused.id, now=LATER)
    with store.sessions() as session:
        assert session.get(Case, refused.id) is None
        assert session.execute(select(Evidence).where(Evidence.case_id == refused.id)).first() is None
        audit = session.execute(select(AuditEntry).where(AuditEntry.action == "discard_refused")).scalar_one()
    assert audit.case_id == refused.id and audit.detail["reason"] == REASON
    assert audit.detail["values"]["party_name"] == "被拒当事人"  # what it held stays readable
    assert {e.state for e in _entries(store)} == {outbox.HANDLED} and rejected_entries(store) == []


def test_a_case_not_refused_cannot_be_discarded_here(store, profile, make_draft):
    case = cases.create_case(store, profile, make_draft(), now=NOW)
    with pytest.raises(DomainError, match="没有被区局拒绝"):
        refused_cases.discard(store, profile, case.id)
    assert cases.get_case(store, case.id).id == case.id

"""Settling sync conflicts: the case, the audit entry, the conflict's state and the queued mutation change together
or not at all; rejected changes are listed with the server's reason."""
from __future__ import annotations

import uuid
from datetime import datetime

import pytest
from sqlalchemy import func, select

from fx_desktop.domain.errors import DomainError
from fx_desktop.domain.roles import Role
from fx_desktop.services import cases
from fx_desktop.services.conflicts import (
    DELETED,
    open_conflicts_for,
    rejected_entries,
    resolve_conflict,
    text_to_value,
    value_to_text,
)
from fx_desktop.services.profile import Profile
from fx_desktop.store import outbox, reference
from fx_desktop.store.models import AuditEntry, OutboxEntry, SyncConflict

NOW = datetime(2026, 11, 26, 9, 0)


def _conflict(store, case_id: str, field: str, base, mine, theirs, *, mine_by="李娜") -> str:
    conflict_id = str(uuid.uuid4())
    with store.writes.begin() as session:
        session.add(SyncConflict(id=conflict_id, case_id=case_id, field=field, base=base, mine=mine, theirs=theirs,
                                 mine_by=mine_by, status="open", created_at=NOW))
    return conflict_id


def _outbox(store) -> list[OutboxEntry]:
    with store.sessions() as session:
        return list(session.execute(select(OutboxEntry).order_by(OutboxEntry.mutation_id)).scalars())


@pytest.fixture
def case(store, profile, make_draft):
    return cases.create_case(store, profile, make_draft(place="原地址1号"), now=NOW)


def test_resolving_writes_case_audit_conflict_and_mutation_together(store, profile, case):
    cid = _conflict(store, case.id, "place", "原地址1号", "乙地址3号", "甲地址2号")
    assert [c.id for c in open_conflicts_for(store, case.id)] == [cid]
    resolve_conflict(store, profile, cid, "  乙地址3号 ", now=NOW)
    after = cases.get_case(store, case.id)
    assert after.values["place"] == "乙地址3号" and after.version == case.version + 1
    with store.sessions() as session:
        row = session.get(SyncConflict, cid)
        assert (row.status, row.resolution, row.resolved_by) == ("resolving", "乙地址3号", "张伟")
        entry = session.execute(select(AuditEntry).where(AuditEntry.action == "conflict_resolve")).scalar_one()
        assert entry.detail["value"] == "乙地址3号" and entry.case_id == case.id
    last = _outbox(store)[-1]
    assert (last.name, last.owner, last.state) == ("resolve_conflict", profile.user_id, outbox.PENDING)
    assert last.args == {"conflict_id": cid, "case_id": case.id, "field": "place", "value": "乙地址3号"}
    assert open_conflicts_for(store, case.id) == []
    assert [c.status for c in open_conflicts_for(store, case.id, include_resolving=True)] == ["resolving"]


def test_officers_and_amounts_are_stored_as_validated(store, profile, case):
    officers = _conflict(store, case.id, "officers", [], [["王磊", "31200001"]], [["陈静", "31200002"]])
    amount = _conflict(store, case.id, "proposed_amount", None, "5000", "6000")
    resolve_conflict(store, profile, officers, [["王磊", "31200001"], ["周敏", "31200009"]], now=NOW)
    resolve_conflict(store, profile, amount, "5000", now=NOW)
    after = cases.get_case(store, case.id)
    assert [(o.name, o.cert_no) for o in after.officers] == [("王磊", "31200001"), ("周敏", "31200009")]
    assert str(after.values["proposed_amount"]) == "5000.00"
    assert _outbox(store)[-1].args["value"] == "5000.00"  # the server is sent what was stored


def test_an_invalid_value_changes_nothing(store, profile, case):
    cid = _conflict(store, case.id, "place", "原地址1号", "", "甲地址2号")
    before = len(_outbox(store))
    with pytest.raises(DomainError) as raised:
        resolve_conflict(store, profile, cid, "", now=NOW)
    assert "案发地点" in raised.value.message and raised.value.field == "place"
    assert len(_outbox(store)) == before
    assert cases.get_case(store, case.id).version == case.version
    assert [c.status for c in open_conflicts_for(store, case.id)] == ["open"]


def test_twice_or_by_a_role_without_case_rights_is_refused(store, profile, case):
    cid = _conflict(store, case.id, "place", "原地址1号", "乙", "甲")
    reviewer = Profile("r1", "赵敏", Role.LEGAL_REVIEWER, "nanqiao")
    with pytest.raises(DomainError, match="法制审核员"):
        resolve_conflict(store, reviewer, cid, "甲", now=NOW)
    resolve_conflict(store, profile, cid, "甲", now=NOW)
    with pytest.raises(DomainError, match="等待同步"):
        resolve_conflict(store, profile, cid, "乙", now=NOW)
    with store.sessions() as session:
        assert session.execute(select(func.count()).select_from(OutboxEntry)
                               .where(OutboxEntry.name == "resolve_conflict")).scalar_one() == 1


def test_an_edit_to_a_deleted_case_is_settled_without_touching_cases(store, profile):
    cid = _conflict(store, str(uuid.uuid4()), DELETED, None, {"place": "甲地址"}, None)
    record = resolve_conflict(store, profile, cid, "ignored", now=NOW)
    assert record.status == "resolving" and _outbox(store)[-1].args["value"] is None


def test_sides_are_turned_to_the_viewer(store, case):
    _conflict(store, case.id, "place", "原", "乙（李娜）", "甲（张伟）", mine_by="李娜")
    found = open_conflicts_for(store)[0]
    assert found.case_number == case.number and found.label == "案发地点"
    assert found.sides("张伟") == ("甲（张伟）", "乙（李娜）")
    assert found.sides("李娜") == ("乙（李娜）", "甲（张伟）")


def test_rejected_changes_are_listed_with_the_reason(store, profile, case):
    with store.writes.begin() as session:
        entry = session.execute(select(OutboxEntry)).scalars().first()
        outbox.mark(session, entry.owner, entry.seq, outbox.REJECTED, "案件数据未通过校验：请填写“案由”。", at=NOW)
    found = rejected_entries(store)
    assert len(found) == 1
    assert (found[0].what, found[0].case_number) == ("登记案件", case.number)
    assert "案由" in found[0].reason


def test_merge_text_round_trips():
    officers = [["欧阳 修", "31200001"], ["陈静", "31200002"]]
    assert text_to_value("officers", value_to_text("officers", officers)) == officers
    assert text_to_value("occurred_at", value_to_text("occurred_at", "2025-12-01T10:30:00")) == "2025-12-01T10:30:00"
    assert text_to_value("place", "  ") is None
    with pytest.raises(DomainError, match="执法证号"):
        text_to_value("officers", "王磊")
    with pytest.raises(DomainError, match="案发时间"):
        text_to_value("occurred_at", "昨天")


def test_sides_follow_the_client_that_pushed_not_only_the_name():
    from fx_desktop.services.conflicts import ConflictRecord

    c = ConflictRecord("c", "k", None, "place", "原", "乙", "甲", "张伟", "open", NOW, mine_client="client-2")
    assert c.sides("张伟", "client-2") == ("乙", "甲")
    assert c.sides("张伟", "client-1") == ("甲", "乙")  # the same user's other computer saved first
    assert c.sides("李娜") == ("甲", "乙")  # no client id known: the name decides


def _pass_review(store, case_id: str) -> None:
    with store.writes.begin() as session:
        cases.load_case(session, case_id).review_passed = True


def test_resolving_a_decision_field_takes_a_passed_review_back_as_the_server_does(store, profile, case):
    _pass_review(store, case.id)
    place = _conflict(store, case.id, "place", "原地址1号", "乙地址3号", "甲地址2号")
    resolve_conflict(store, profile, place, "乙地址3号", now=NOW)
    assert cases.get_case(store, case.id).review_passed  # where it happened is not what the reviewer agreed to
    facts = _conflict(store, case.id, "facts", case.values["facts"], "甲补充的事实。", "乙补充的事实。")
    resolve_conflict(store, profile, facts, "甲补充的事实。", now=NOW)
    assert not cases.get_case(store, case.id).review_passed


def test_resolving_checks_the_case_with_the_reference_rules(store, profile, make_draft):
    with store.writes.begin() as session:
        data = reference.current(session)
        reference.load(session, {**data, "version": data["version"] + 1, "legal_review": {"circumstances": [
            {"key": "river_works", "label": "涉河道工程", "major": True}]}})
    made = cases.create_case(store, profile, make_draft(circumstances=["river_works"]), now=NOW)
    cid = _conflict(store, made.id, "place", "原地址1号", "乙地址3号", "甲地址2号")
    resolve_conflict(store, profile, cid, "乙地址3号", now=NOW)
    after = cases.get_case(store, made.id)
    assert after.values["place"] == "乙地址3号" and after.values["circumstances"] == ["river_works"]

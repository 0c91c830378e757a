"""Criminal referral on a real SQLite store: the squad leader reports (number, outbox and audit in one transaction),
the head decides and the 24-hour clock shows in hours, refusals save nothing, the case cannot be closed while the
referral waits, the list filters, and the workbench gives each side its step with its clock."""
from datetime import datetime, timedelta

import pytest
from sqlalchemy import func, select

from fx_desktop.domain.errors import DomainError
from fx_desktop.domain.lifecycle import CaseStatus
from fx_desktop.domain.roles import Role
from fx_desktop.services import cases, criminal_referrals as crs, workbench
from fx_desktop.services.cases import add_evidence_row, load_case
from fx_desktop.services.profile import Profile
from fx_desktop.store.models import AuditEntry, CriminalReferral, OutboxEntry
from tests.support.people import Person

NOW = datetime(2026, 3, 10, 9, 0)
LEADER = Profile("u-leader", "张伟", Role.SQUAD_LEADER, "nanqiao")
OFFICER = Profile("u-officer", "李娜", Role.OFFICER, "nanqiao")


POLICE = Person("u-police", "孙浩", Role.POLICE_LIAISON, None, "pcs_nanqiao")


def filed_case(store, make_draft) -> str:
    made = cases.create_case(store, LEADER, make_draft(), now=NOW)
    cases.change_status(store, LEADER, made.id, "file", expected_status=CaseStatus.CLUE, now=NOW)
    with store.writes.begin() as session:
        add_evidence_row(session, load_case(session, made.id), LEADER, kind="document", name="检测报告.pdf",
                         sha256="1" * 64, size=100, captured_at=None, now=NOW)
    return made.id


def form(store, case_id, **over) -> dict:
    data = crs.prepare(store, LEADER, case_id)
    data.update(receiving_org="pcs_nanqiao", suspicion="涉嫌污染环境罪", report="倾倒废酸 5 吨。",
                attachments=[{**data["evidence"][0], "kind": "检验报告"}],
                items=[{"name": "废酸桶", "quantity": "20", "unit": "只", "features": "蓝色", "kept_at": "仓库",
                        "measure": "扣押"}], contact={"name": "张伟", "phone": "021-1"})
    return {**data, **over}


def test_report_writes_the_record_audit_and_outbox_and_the_clocks_run(store, make_draft):
    case_id = filed_case(store, make_draft)
    record = crs.report(store, LEADER, case_id, form(store, case_id), now=NOW)
    assert record.status == "reported" and record.number.startswith("奉南桥综执刑移〔2026〕")
    assert [m["name"] for m in record.data["team"]] == ["王磊", "陈静"]  # the case's officers by default
    with store.sessions() as s:
        assert s.execute(select(OutboxEntry.name, OutboxEntry.kind)).all()[-1] == (
            "report_criminal_referral", "criminal_referral")
        assert s.execute(select(AuditEntry.action).where(AuditEntry.record_id == record.id)).scalars().all() == [
            "report_criminal_referral"]
    with pytest.raises(DomainError, match="行政处罚不能代替移送"):
        cases.change_status(store, LEADER, case_id, "close", expected_status=CaseStatus.FILED, now=NOW)
    approved = crs.step(store, LEADER, record.id, "decide_criminal_referral",
                        {"expected_status": "reported", "approve": True}, now=NOW + timedelta(hours=1))
    assert approved.clock.hours and approved.clock.shown(NOW + timedelta(hours=6)) == "还剩 19 小时"
    late = crs.get(store, record.id, now=NOW + timedelta(hours=26))
    assert late.overdue
    with store.sessions() as s:
        row = s.get(CriminalReferral, record.id)
        assert row.due_at == NOW + timedelta(hours=25) and row.party_orgs == ""
    sent = crs.step(store, LEADER, record.id, "send_criminal_referral",
                    {"expected_status": "approved", "when": (NOW + timedelta(hours=20)).isoformat()},
                    now=NOW + timedelta(hours=26))
    assert sent.status == "sent" and sent.data["sent"]["when"] == (NOW + timedelta(hours=20)).isoformat()
    with store.sessions() as s:
        assert s.get(CriminalReferral, record.id).party_orgs == ",pcs_nanqiao,jcy,"
    from fx_desktop.services.audit_text import sentence

    said = [sentence(e) for e in cases.timeline(store, case_id) if e.kind == "criminal_referral"]
    assert any("涉嫌犯罪案件移送·提交移送报告" in t for t in said)
    assert any("负责人审批：批准移送" in t for t in said)
    assert any("移送公安机关" in t for t in said)


def test_refusals_save_nothing(store, make_draft):
    case_id = filed_case(store, make_draft)
    with store.sessions() as s:
        before = s.execute(select(func.count()).select_from(OutboxEntry)).scalar()
    for who, over, words in ((LEADER, {"team": [{"name": "王磊", "cert_no": "1"}]}, "至少两名"),
                             (LEADER, {"receiving_org": "scjg"}, "不是公安机关"),
                             (OFFICER, {}, "中队长")):
        with pytest.raises(DomainError, match=words):
            crs.report(store, who, case_id, form(store, case_id, **over), now=NOW)
    with store.sessions() as s:
        assert s.execute(select(func.count()).select_from(OutboxEntry)).scalar() == before
        assert s.execute(select(func.count()).select_from(CriminalReferral)).scalar() == 0
    assert crs.refer_refusal(store, OFFICER, case_id) and crs.refer_refusal(store, LEADER, case_id) is None


def test_list_filters_and_the_workbench_shows_each_sides_step(store, make_draft):
    first = crs.report(store, LEADER, (a := filed_case(store, make_draft)), form(store, a), now=NOW)
    second = crs.report(store, LEADER, (b := filed_case(store, make_draft)), form(store, b), now=NOW)
    crs.step(store, LEADER, second.id, "decide_criminal_referral", {"expected_status": "reported", "approve": True},
             now=NOW)
    found, total = crs.listing(store, LEADER, now=NOW)
    assert total == 2 and [r.id for r in found] == [second.id, first.id]  # the 24 hours end first
    assert [r.id for r in crs.listing(store, LEADER, crs.CrimeFilter(status="reported"), now=NOW)[0]] == [first.id]
    late = crs.listing(store, LEADER, crs.CrimeFilter(overdue_only=True), now=NOW + timedelta(days=2))[0]
    assert [r.id for r in late] == [second.id]
    assert crs.listing(store, POLICE, now=NOW)[1] == 0  # not sent: nothing for the police yet

    bench = workbench.load(store, LEADER, today=(NOW + timedelta(days=2)).date())
    mine = {i.record_id: i for i in bench.items if i.kind == "criminal_referral"}
    assert mine[second.id].task == "移送公安机关（24小时内）" and mine[second.id].overdue
    assert mine[first.id].task == "负责人审批移送报告" and not mine[first.id].overdue
    assert next(c for c in bench.counts if c.kind == "criminal_referral").overdue == 1

"""Case referral on real SQLite stores: the town's squad leader submits offline (provisional number, case 已移送,
outbox and audit in one transaction), every refusal says the domain's Chinese message and saves nothing, and a
department's store (the referral arriving as a pull brings it) signs, accepts, returns and records the result."""
import json
from datetime import date, datetime

import pytest
from sqlalchemy import func, select

from fx_desktop.domain import referral as rf
from fx_desktop.domain.errors import DomainError
from fx_desktop.domain.lifecycle import CaseStatus
from fx_desktop.domain.roles import Role
from fx_desktop.paths import DataPaths
from fx_desktop.services import cases, referrals
from fx_desktop.services.cases import add_evidence_row, load_case
from fx_desktop.services.conflicts import rejected_entries
from fx_desktop.services.profile import Profile
from fx_desktop.store import audit, meta, open_store, outbox
from fx_desktop.store.models import AuditEntry, Case, OutboxEntry, Referral
from fx_desktop.sync.apply import apply_page
from tests.support.people import Person

NOW = datetime(2026, 3, 10, 9, 0)  # a Tuesday
LEADER = Profile("u-leader", "张伟", Role.SQUAD_LEADER, "nanqiao")
OFFICER = Profile("u-officer", "李娜", Role.OFFICER, "nanqiao")


LIAISON = Person("u-liaison", "周敏", Role.DEPARTMENT_LIAISON, None, "sthj")
OTHER_LIAISON = Person("u-liaison2", "吴刚", Role.DEPARTMENT_LIAISON, None, "sw")


def investigating_case(store, make_draft, *, evidence=("现场照片.jpg", "询问笔录.pdf")):
    made = cases.create_case(store, LEADER, make_draft(), now=NOW)
    status = CaseStatus.CLUE
    for action in ("file", "start_investigation"):
        status = cases.change_status(store, LEADER, made.id, action, expected_status=status, now=NOW).status
    with store.writes.begin() as session:
        case = load_case(session, made.id)
        for i, name in enumerate(evidence):
            add_evidence_row(session, case, LEADER, kind="document", name=name, sha256=f"{i:064x}", size=100,
                             captured_at=None, now=NOW)
    return made.id


def form(store, case_id, **overrides):
    data = referrals.prepare(store, LEADER, case_id)
    data.update(receiving_org="sthj", reason="涉及环境污染，不属于城管执法管辖。", legal_basis="《行政处罚法》第二十五条",
                contact={"name": "张伟", "phone": "021-57420000"},
                items=[{"name": "油烟净化器", "spec": "X-200", "quantity": "1", "unit": "台", "condition": "完好",
                        "kept_at": "南桥镇执法队仓库"}])
    data.update(overrides)
    return data


def counts(store) -> dict:
    with store.sessions() as s:
        return {m.__name__: s.execute(select(func.count()).select_from(m)).scalar_one()
                for m in (Referral, OutboxEntry, AuditEntry)}


def syncing(store):
    """This database syncs with fx-bureau (an account is stored): numbers are provisional."""
    with store.writes.begin() as s:
        meta.put(s, "sync.account", json.dumps({"username": "u-leader", "org_code": "nanqiao"}))


@pytest.fixture
def dept_store(tmp_path):
    opened = open_store(DataPaths.at(tmp_path / "dept"))
    yield opened
    opened.close()


def pulled(record: referrals.ReferralRecord, version: int = 1, **changes) -> dict:
    data = {**record.data, **changes}
    return {"type": "referral", "seq": version, "id": record.id, "version": version, "owner_org": record.owner_org,
            "receiving_org": record.receiving_org, "case_id": record.case_id, "number": data["number"],
            "status": data["status"], "updated_at": NOW.isoformat(), "data": data}


def pull_into(store, changes, cursor="e:1"):
    with store.writes.begin() as s:
        return apply_page(s, changes, cursor, cursor_key="sync.cursor:x", actor="sync", now=NOW)


# --- submit -------------------------------------------------------------------------------------------------------

def test_prepare_fills_the_form_from_the_case(store, make_draft):
    case_id = investigating_case(store, make_draft)
    data = referrals.prepare(store, LEADER, case_id)
    case = cases.get_case(store, case_id)
    assert data["summary"] == case.values["facts"] and data["expected_case_state"] == "investigating"
    assert [(m["no"], m["title"], m["pages"]) for m in data["materials"]] == [(1, "现场照片.jpg", 1), (2, "询问笔录.pdf", 1)]
    assert {m["evidence_id"] for m in data["materials"]} == {e.id for e in case.evidence}
    assert data["contact"] == {"name": "张伟", "phone": ""} and data["items"] == []
    assert ("sthj", "区生态环境局") in referrals.receiving_choices(store)
    assert all(code not in ("nanqiao", "cgzf", "gafj") for code, _ in referrals.receiving_choices(store))


def test_submit_offline_takes_a_provisional_number_and_refers_the_case_in_one_transaction(store, make_draft):
    case_id = investigating_case(store, make_draft)
    syncing(store)
    version = cases.get_case(store, case_id).version
    record = referrals.submit(store, LEADER, case_id, form(store, case_id), now=NOW)
    assert record.number.startswith("临时编号2026-") and record.provisional
    assert record.status is rf.ReferralStatus.SUBMITTED and record.status_label == "已移送，待签收"
    assert record.receiving_name == "区生态环境局" and record.owner_org == "nanqiao"
    assert record.receipt_due == date(2026, 3, 13) and record.next_due == date(2026, 3, 13)  # 3 working days
    assert record.data["case_status_before"] == "investigating" and len(record.data["materials"]) == 2
    case = cases.get_case(store, case_id)
    assert case.status is CaseStatus.REFERRED and case.version == version + 1
    with store.sessions() as s:
        entry = s.execute(select(OutboxEntry).order_by(OutboxEntry.mutation_id.desc())).scalars().first()
        assert (entry.name, entry.kind, entry.record_id, entry.case_id) == ("submit_referral", "referral",
                                                                            record.id, case_id)
        assert entry.args["number"] == record.number and entry.args["expected_case_state"] == "investigating"
        assert entry.args["materials"][0] == {"no": 1, "title": "现场照片.jpg", "pages": 1,
                                              "evidence_id": record.data["materials"][0]["evidence_id"]}
        assert entry.args["items"] == [{"name": "油烟净化器", "spec": "X-200", "quantity": "1", "unit": "台",
                                        "condition": "完好", "kept_at": "南桥镇执法队仓库"}]
        trail = s.execute(select(AuditEntry).where(AuditEntry.case_id == case_id)
                          .order_by(AuditEntry.seq.desc()).limit(2)).scalars().all()
        assert [(a.action, a.kind, a.record_id) for a in trail] == [("submit_referral", "referral", record.id),
                                                                    ("transition", None, None)]
        assert trail[1].detail["to"] == "referred" and trail[0].detail["org"] == "nanqiao"
        assert audit.verify_chain(s).ok
    assert [a.action for a in cases.timeline(store, case_id)][-2:] == ["transition", "submit_referral"]
    assert (cases.timeline(store, case_id)[-1].kind, cases.timeline(store, case_id)[-1].record_id) == (
        "referral", record.id)
    assert [r.id for r in referrals.for_case(store, case_id)] == [record.id]
    assert referrals.get(store, record.id).data == record.data


def test_a_database_that_does_not_sync_numbers_the_referral_itself(store, make_draft):
    case_id = investigating_case(store, make_draft)
    record = referrals.submit(store, LEADER, case_id, form(store, case_id), now=NOW)
    assert record.number == "奉南桥综执移〔2026〕0001号" and not record.provisional


@pytest.mark.parametrize("actor, overrides, message", [
    (OFFICER, {}, "不能移送案件，移送由中队长签发"),
    (LEADER, {"receiving_org": "fengcheng"}, "不是区级行业管理部门"),
    (LEADER, {"receiving_org": "nosuch"}, "接收单位代码“nosuch”不在单位名单中"),
    (LEADER, {"reason": "  "}, "请填写移送理由"),
    (LEADER, {"legal_basis": ""}, "请填写移送的法律依据"),
    (LEADER, {"summary": ""}, "请填写违法行为概要"),
    (LEADER, {"materials": []}, "请至少列出一项移送的材料"),
    (LEADER, {"materials": [{"title": "笔录", "pages": 0}]}, "页数应为 1–9999 的整数"),
    (LEADER, {"materials": [{"title": "笔录", "pages": 2, "evidence_id": "not-of-this-case"}]}, "不属于本案"),
    (LEADER, {"items": [{"name": "冰柜", "quantity": "0", "unit": "台", "kept_at": "仓库"}]}, "数量应为大于 0"),
    (LEADER, {"contact": {"name": "张伟", "phone": ""}}, "请填写联系人和联系电话"),
    (LEADER, {"expected_case_state": "filed"}, "案件状态已变为“调查取证”，移送未执行"),
])
def test_every_refusal_says_why_and_saves_nothing(store, make_draft, actor, overrides, message):
    case_id = investigating_case(store, make_draft)
    before, case_before = counts(store), cases.get_case(store, case_id)
    with pytest.raises(DomainError, match=message):
        referrals.submit(store, actor, case_id, form(store, case_id, **overrides), now=NOW)
    assert counts(store) == before
    after = cases.get_case(store, case_id)
    assert (after.status, after.version) == (case_before.status, case_before.version)
    record = referrals.submit(store, LEADER, case_id, form(store, case_id), now=NOW)
    assert record.number.endswith("〔2026〕0001号")  # the refused attempt took no serial


def test_a_referred_or_closed_case_cannot_be_referred_again(store, make_draft):
    case_id = investigating_case(store, make_draft)
    referrals.submit(store, LEADER, case_id, form(store, case_id), now=NOW)
    assert "不能再移送" in referrals.refer_refusal(store, LEADER, case_id)
    before = counts(store)
    with pytest.raises(DomainError, match="案件已处于“移送”状态，不能再移送"):
        referrals.submit(store, LEADER, case_id, form(store, case_id, expected_case_state=None), now=NOW)
    assert counts(store) == before
    other = investigating_case(store, make_draft)
    assert referrals.refer_refusal(store, LEADER, other) is None
    assert "中队长" in referrals.refer_refusal(store, OFFICER, other)


# --- steps --------------------------------------------------------------------------------------------------------

def submitted(store, make_draft):
    case_id = investigating_case(store, make_draft)
    syncing(store)
    return case_id, referrals.submit(store, LEADER, case_id, form(store, case_id), now=NOW)


def test_the_squad_withdraws_before_the_receipt_and_the_case_reopens(store, make_draft):
    case_id, record = submitted(store, make_draft)
    with pytest.raises(DomainError, match="请填写撤回理由"):
        referrals.withdraw(store, LEADER, record.id, reason="", expected_status="submitted", now=NOW)
    done = referrals.withdraw(store, LEADER, record.id, reason="当事人已自行整改，本队继续办理。",
                              expected_status=record.status, now=NOW)
    assert done.status is rf.ReferralStatus.WITHDRAWN and done.next_due is None
    assert cases.get_case(store, case_id).status is CaseStatus.INVESTIGATING
    with store.sessions() as s:
        entry = s.execute(select(OutboxEntry).order_by(OutboxEntry.mutation_id.desc())).scalars().first()
        assert (entry.name, entry.kind, entry.record_id, entry.case_id) == ("withdraw_referral", "referral",
                                                                            record.id, case_id)
        assert entry.args == {"referral_id": record.id, "expected_status": "submitted",
                              "reason": "当事人已自行整改，本队继续办理。"}
    assert [a.action for a in cases.timeline(store, case_id)][-2:] == ["transition", "withdraw_referral"]


def test_a_town_cannot_act_for_the_department(store, make_draft):
    case_id, record = submitted(store, make_draft)
    before = counts(store)
    with pytest.raises(DomainError, match="只有接收移送的单位可以签收"):
        referrals.sign(store, LEADER, record.id, received_on=NOW.date(), signed_by="张伟", materials_match=True,
                       now=NOW)
    assert counts(store) == before


def test_the_department_signs_accepts_and_records_the_result_in_its_own_store(store, dept_store, make_draft):
    case_id, record = submitted(store, make_draft)
    pull_into(dept_store, [pulled(record)])
    got = referrals.get(dept_store, record.id)
    assert got.data == record.data and got.synced
    assert [r.id for r in referrals.inbox(dept_store, LIAISON, today=NOW.date())] == [record.id]
    assert referrals.inbox(dept_store, OTHER_LIAISON, today=NOW.date()) == []
    assert referrals.available_steps(got, LIAISON) == ["sign_referral", "return_referral"]
    assert referrals.available_steps(got, OTHER_LIAISON) == []
    before = counts(dept_store)
    with pytest.raises(DomainError, match="只有接收移送的单位"):
        referrals.sign(dept_store, OTHER_LIAISON, record.id, received_on="2026-03-10", signed_by="吴刚",
                       materials_match=True, now=NOW)
    with pytest.raises(DomainError, match="请写明缺少或不符的材料"):
        referrals.sign(dept_store, LIAISON, record.id, received_on="2026-03-10", signed_by="周敏",
                       materials_match=False, now=NOW)
    assert counts(dept_store) == before
    signed = referrals.sign(dept_store, LIAISON, record.id, received_on=date(2026, 3, 11), signed_by="周敏",
                            materials_match=False, missing="缺询问笔录第 3 页", now=datetime(2026, 3, 11, 10))
    assert signed.status is rf.ReferralStatus.RECEIVED and signed.result_due == date(2026, 4, 1)
    assert signed.next_due == date(2026, 4, 1) and not signed.synced
    with pytest.raises(DomainError, match="请填写本单位受理后的案件编号"):
        referrals.accept(dept_store, LIAISON, record.id, their_number=" ", now=NOW)
    accepted = referrals.accept(dept_store, LIAISON, record.id, their_number="奉环罚〔2026〕12号",
                                expected_status=signed.status, now=datetime(2026, 3, 12, 9))
    with pytest.raises(DomainError, match="须写明理由"):
        referrals.record_result(dept_store, LIAISON, record.id, result="not_filed", expected_status="accepted")
    with pytest.raises(DomainError, match="该移送已变为“已受理”（您办理时为“已签收”）"):
        referrals.record_result(dept_store, LIAISON, record.id, result="filed", expected_status="received")
    done = referrals.record_result(dept_store, LIAISON, record.id, result="filed", expected_status=accepted.status,
                                   now=datetime(2026, 3, 20, 9))
    assert done.status is rf.ReferralStatus.CONCLUDED and done.data["result"]["result"] == "filed"
    assert done.next_due is None and done.overdue is None
    with dept_store.sessions() as s:
        entries = s.execute(select(OutboxEntry).order_by(OutboxEntry.mutation_id)).scalars().all()
        assert [(e.name, e.kind, e.record_id, e.case_id) for e in entries] == [
            (n, "referral", record.id, None) for n in ("sign_referral", "accept_referral", "record_referral_result")]
        assert entries[0].args == {"referral_id": record.id, "expected_status": "submitted",
                                   "received_on": "2026-03-11", "signed_by": "周敏", "materials_match": False,
                                   "missing": "缺询问笔录第 3 页"}
        assert s.execute(select(Case)).first() is None  # a department never has the town's case
        trail = s.execute(select(AuditEntry).where(AuditEntry.kind == "referral")).scalars().all()
        assert {(a.case_id, a.record_id, a.detail["org"]) for a in trail} == {(case_id, record.id, "sthj")}
        assert audit.verify_chain(s).ok
    rejected = _reject_last(dept_store, "该移送已撤回。")
    assert rejected.what == "案件移送：反馈处理结果" and rejected.kind == "referral"
    assert rejected.record_number == record.number and rejected.reason == "该移送已撤回。"


def _reject_last(store, reason):
    with store.writes.begin() as s:
        entry = s.execute(select(OutboxEntry).order_by(OutboxEntry.mutation_id.desc())).scalars().first()
        outbox.mark(s, entry.owner, entry.seq, outbox.REJECTED, reason)
    return rejected_entries(store)[0]


def test_a_return_needs_a_reason(store, dept_store, make_draft):
    _, record = submitted(store, make_draft)
    pull_into(dept_store, [pulled(record)])
    with pytest.raises(DomainError, match="请填写退回理由"):
        referrals.return_referral(dept_store, LIAISON, record.id, reason="", expected_status="submitted", now=NOW)
    back = referrals.return_referral(dept_store, LIAISON, record.id, reason="不属于本部门管辖。",
                                     expected_status="submitted", now=NOW)
    assert back.status is rf.ReferralStatus.RETURNED and back.data["returned"]["reason"] == "不属于本部门管辖。"


def test_inbox_sorts_by_the_running_clock_and_flags_overdue(store, dept_store, make_draft):
    early = investigating_case(store, make_draft)
    late = investigating_case(store, make_draft)
    first = referrals.submit(store, LEADER, late, form(store, late), now=datetime(2026, 3, 16, 9))
    second = referrals.submit(store, LEADER, early, form(store, early), now=NOW)
    town = referrals.inbox(store, LEADER, today=date(2026, 3, 16))
    assert [r.id for r in town] == [second.id, first.id]  # due 3-13 before 3-19
    assert [r.overdue for r in town] == ["receipt", None]
    pull_into(dept_store, [pulled(first), pulled(second)])
    dept = referrals.inbox(dept_store, LIAISON, today=date(2026, 3, 16))
    assert [(r.id, r.overdue) for r in dept] == [(second.id, "receipt"), (first.id, None)]
    referrals.sign(dept_store, LIAISON, second.id, received_on="2026-03-16", signed_by="周敏",
                   materials_match=True, now=datetime(2026, 3, 16, 10))
    dept = referrals.inbox(dept_store, LIAISON, today=date(2026, 3, 16))
    assert [(r.id, r.overdue) for r in dept] == [(first.id, None), (second.id, None)]  # result due 4-7


@pytest.mark.parametrize("status", list(rf.ReferralStatus))
def test_the_steps_offered_are_those_the_domain_allows(status):
    """STEPS_FROM mirrors domain.referral's states: for every status, a step is offered iff the domain does not
    refuse it for its status."""
    base = {"status": str(status), "owner_org": "nanqiao", "receiving_org": "sthj", "submitted_on": "2026-03-10",
            "case_status_before": "filed"}
    for name, allowed in referrals.STEPS_FROM.items():
        actor = rf.Actor("张伟", Role.SQUAD_LEADER, "nanqiao") if name in referrals.OWNER_STEPS else \
            rf.Actor("周敏", Role.DEPARTMENT_LIAISON, "sthj")
        try:
            rf.apply_step(name, base, {}, actor=actor, at=NOW, calendar=None, rules=rf.ReferralRules())
            refused_for_status = False
        except DomainError as exc:
            refused_for_status = "状态，不能" in exc.message
        assert refused_for_status == (status not in allowed), (name, status)

"""Found by the model-based test (test_sync_model.py): a referral step the server refuses must leave the town's
device as the server is, the case included.

- A referral the squad leader submitted offline, refused because another device of the town moved the case
  meanwhile, must not stay on the leader's device as 已移送，待签收 (a referral that exists nowhere else, with a
  provisional number): the case is back in its status, no referral; the refusal is listed with its reason and the
  form's contents stay in the rejected outbox entry, so nothing typed is lost.
- A withdrawal made offline, refused because the department signed for the referral meanwhile, must not leave the
  case reopened on the squad's device while it stays 已移送 on the server (the digest, over ids and versions, does
  not see a status the device changed on its own)."""
from __future__ import annotations

from sqlalchemy import select

from datetime import date

from fx_desktop.domain.lifecycle import CaseStatus
from fx_desktop.services import cases, referrals
from fx_desktop.services.conflicts import rejected_entries
from fx_desktop.store.models import OutboxEntry, Referral
from fx_desktop.sync.digest import local_digest
from tests.conftest import case_draft
from tests.sync.test_sync_referral_clients import liaison, referable_case, submit


def test_a_refused_submission_leaves_no_referral_on_the_device(bureau, device):
    leader, officer = device(bureau, "zhang"), device(bureau, "li")
    case_id = cases.create_case(leader.store, leader.profile, case_draft(party_name="移送被拒")).id
    cases.change_status(leader.store, leader.profile, case_id, "file", expected_status=CaseStatus.CLUE)
    assert leader.sync().ok and officer.sync().ok
    cases.change_status(officer.store, officer.profile, case_id, "start_investigation",
                        expected_status=CaseStatus.FILED)
    assert officer.sync().ok  # the case moved on the server; the leader has not seen it
    form = referrals.prepare(leader.store, leader.profile, case_id)
    form.update(receiving_org="scjg", reason="属市场监管部门管辖。", legal_basis="《行政处罚法》第二十二条",
                materials=[{"no": 1, "title": "现场检查笔录", "pages": 2, "evidence_id": None}],
                contact={"name": leader.profile.name, "phone": "021-57420000"})
    made = referrals.submit(leader.store, leader.profile, case_id, form)

    report = leader.sync()
    assert report.rejected == 1, report.summary()
    (refused,) = rejected_entries(leader.store)
    assert refused.record_id == made.id and "移送未执行" in refused.reason
    assert cases.get_case(leader.store, case_id).status is CaseStatus.INVESTIGATING
    assert referrals.for_case(leader.store, case_id) == []  # not 已移送，待签收
    with leader.store.sessions() as s:
        assert s.get(Referral, made.id) is None
        entry = s.execute(select(OutboxEntry).where(OutboxEntry.record_id == made.id)).scalar_one()
        assert entry.args["reason"] == "属市场监管部门管辖。"  # what the leader typed is kept with the refusal
        mine = local_digest(s, leader.profile.case_towns)
    server = leader.client.digest()
    assert (mine["count"], mine["hash"]) == (server["count"], server["hash"])
    assert leader.sync().ok and referrals.for_case(leader.store, case_id) == []


def test_a_refused_withdrawal_leaves_the_case_referred_on_the_device(bureau, device, tmp_path):
    bureau.add_user("wu", "department_liaison", "sthj", "吴静")
    town, dept = device(bureau, "zhang"), device(bureau, "wu")
    case_id = referable_case(town, tmp_path)
    made = submit(town, case_id)  # to sthj
    assert town.sync().ok and dept.sync().ok
    referrals.withdraw(town.store, town.profile, made.id, reason="本队继续办理。", expected_status="submitted")
    assert cases.get_case(town.store, case_id).status is CaseStatus.INVESTIGATING  # offline: reopened here, for now
    referrals.sign(dept.store, liaison(dept, "sthj"), made.id, received_on=date.today(), signed_by="吴静",
                   materials_match=True)
    assert dept.sync().ok  # the department signed first

    report = town.sync()
    assert report.rejected == 1, report.summary()
    assert "已签收" in rejected_entries(town.store)[0].reason
    assert referrals.get(town.store, made.id).status == "received"
    assert cases.get_case(town.store, case_id).status is CaseStatus.REFERRED  # as on the server

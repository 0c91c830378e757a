"""Found by the model-based test (test_sync_model.py): a referral the squad leader submitted offline, refused by
fx-bureau because another device of the town moved the case meanwhile, must not stay on the leader's device as
已移送，待签收 (a referral that exists nowhere else, with a provisional number). After the sync the device holds what
the server holds: the case back in its status, no referral; the refusal is listed with its reason and the form's
contents stay in the rejected outbox entry, so nothing typed is lost."""
from __future__ import annotations

from sqlalchemy import select

from fx_desktop.domain.lifecycle import CaseStatus
from fx_desktop.services import cases, referrals
from fx_desktop.services.conflicts import rejected_entries
from fx_desktop.store.models import OutboxEntry, Referral
from fx_desktop.sync.digest import local_digest
from tests.conftest import case_draft


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

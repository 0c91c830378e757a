"""Case referral between two real clients' stores (a town's squad leader, a department's liaison) through a real
fx-bureau process: the whole flow step by step with each side seeing every step, either side offline for a while
with its steps queued, a department's step on a referral the town withdrew meanwhile (a rejection with its reason,
nothing lost), a return reopening the case, and a user moved to another organisation losing what they may no
longer see. After every quiet sync both sides' digests match the server's."""
from __future__ import annotations

import re
from datetime import date, datetime

import pytest
from sqlalchemy import select

from fx_desktop.domain import referral as rf
from fx_desktop.domain.lifecycle import CaseStatus
from fx_desktop.services import cases, evidence, referrals
from fx_desktop.services.conflicts import rejected_entries
from fx_desktop.store import outbox
from fx_desktop.store.models import Case, OutboxEntry, Referral
from fx_desktop.sync.digest import local_digest
from tests.conftest import case_draft
from tests.support.bureau import run_cli
from tests.support.people import Person

NUMBER = re.compile(r"^奉南桥综执移〔\d{4}〕\d{4}号$")


@pytest.fixture(scope="module")
def server(bureau):
    bureau.add_user("zhou", "department_liaison", "sthj", "周敏")
    return bureau


def liaison(device, org="sthj") -> Person:
    a = device.account
    return Person(a.username, a.name, a.role, None, org)


def quiet(device) -> None:
    """A sync with nothing new to exchange ends with the same digest as the server's."""
    report = device.sync()
    assert report.ok, report.summary()
    with device.store.sessions() as s:
        mine = local_digest(s, device.account.town_code)
    server = device.client.digest()
    assert (mine["count"], mine["hash"]) == (server["count"], server["hash"])


def referable_case(town, tmp_path) -> str:
    made = cases.create_case(town.store, town.profile, case_draft(party_name=f"当事人{datetime.now():%H%M%S%f}"))
    status = CaseStatus.CLUE
    for action in ("file", "start_investigation"):
        status = cases.change_status(town.store, town.profile, made.id, action, expected_status=status).status
    photo = tmp_path / f"现场照片-{made.id[:8]}.jpg"
    photo.write_bytes(b"\xff\xd8\xff\xe0" + made.id.encode() * 100)
    evidence.add_evidence(town.store, town.profile, made.id, photo)
    return made.id


def submit(town, case_id: str) -> referrals.ReferralRecord:
    form = referrals.prepare(town.store, town.profile, case_id)
    form.update(receiving_org="sthj", reason="涉及环境污染，不属于城管执法管辖。", legal_basis="《行政处罚法》第二十五条",
                contact={"name": town.profile.name, "phone": "021-57420000"})
    return referrals.submit(town.store, town.profile, case_id, form)


def test_the_whole_flow_each_side_sees_every_step(server, device, tmp_path):
    town, dept = device(server, "zhang"), device(server, "zhou")
    person = liaison(dept)
    case_id = referable_case(town, tmp_path)
    record = submit(town, case_id)
    assert record.provisional
    assert town.sync().ok
    sent = referrals.get(town.store, record.id)
    assert NUMBER.match(sent.number) and sent.data["number"] == sent.number and sent.synced
    quiet(town)

    assert dept.sync().ok
    box = referrals.inbox(dept.store, person)
    assert [r.id for r in box] == [record.id] and box[0].number == sent.number
    snapshot = box[0].data["case_snapshot"]
    assert snapshot["facts"] == cases.get_case(town.store, case_id).values["facts"]
    assert [e["name"] for e in snapshot["evidence"]] == [m["title"] for m in sent.data["materials"]]
    with dept.store.sessions() as s:
        assert s.execute(select(Case)).first() is None  # nothing else of the town
    quiet(dept)

    steps = [
        lambda: referrals.sign(dept.store, person, record.id, received_on=date.today(), signed_by="周敏",
                               materials_match=True),
        lambda: referrals.accept(dept.store, person, record.id, their_number="奉环罚〔2026〕12号"),
        lambda: referrals.record_result(dept.store, person, record.id, result="filed",
                                        expected_status=rf.ReferralStatus.ACCEPTED),
    ]
    for step, status in zip(steps, ("received", "accepted", "concluded")):
        assert step().status == status
        assert dept.sync().ok and referrals.get(dept.store, record.id).synced
        report = town.sync()
        assert report.ok and report.pulled >= 1
        seen = referrals.get(town.store, record.id)
        assert seen.status == status and seen.data == referrals.get(dept.store, record.id).data
        quiet(town)
        quiet(dept)
    assert seen.data["accepted"]["their_number"] == "奉环罚〔2026〕12号" and seen.data["result"]["result"] == "filed"
    assert cases.get_case(town.store, case_id).status is CaseStatus.REFERRED
    trail = [(t.action, t.role) for t in cases.timeline(town.store, case_id)]
    assert ("submit_referral", "squad_leader") in trail and trail.count(("sync_update", "sync")) >= 3


def test_either_side_offline_for_a_while(fresh_bureau, device, tmp_path):
    fresh_bureau.add_user("zhou", "department_liaison", "sthj", "周敏")
    fresh_bureau.start()
    town, dept = device(fresh_bureau, "zhang"), device(fresh_bureau, "zhou")
    person = liaison(dept)
    case_id = referable_case(town, tmp_path)
    assert town.sync().ok
    fresh_bureau.stop()  # the town works offline: the referral waits in its outbox
    record = submit(town, case_id)
    offline = town.sync()
    assert offline.outcome == "offline" and offline.pending_after == 1
    assert cases.get_case(town.store, case_id).status is CaseStatus.REFERRED  # the squad sees it referred already
    fresh_bureau.start()
    assert town.sync().ok and NUMBER.match(referrals.get(town.store, record.id).number)
    assert dept.sync().ok
    fresh_bureau.stop()  # now the department is offline: two steps queued
    referrals.sign(dept.store, person, record.id, received_on=date.today(), signed_by="周敏", materials_match=False,
                   missing="缺询问笔录")
    referrals.accept(dept.store, person, record.id, their_number="奉环罚〔2026〕13号")
    offline = dept.sync()
    assert offline.outcome == "offline" and offline.pending_after == 2
    fresh_bureau.start()
    report = dept.sync()
    assert report.ok and report.pushed == 2 and report.rejected == 0
    assert town.sync().ok
    seen = referrals.get(town.store, record.id)
    assert seen.status == "accepted" and seen.data["receipt"]["missing"] == "缺询问笔录"
    quiet(town)
    quiet(dept)


def test_a_step_on_a_referral_the_town_withdrew_meanwhile_is_rejected_with_its_reason(server, device, tmp_path):
    town, dept = device(server, "zhang"), device(server, "zhou")
    person = liaison(dept)
    record = submit(town, referable_case(town, tmp_path))
    assert town.sync().ok and dept.sync().ok
    referrals.withdraw(town.store, town.profile, record.id, reason="当事人已整改，本队继续办理。",
                       expected_status="submitted")
    assert town.sync().ok
    assert cases.get_case(town.store, record.case_id).status is CaseStatus.INVESTIGATING
    signed = referrals.sign(dept.store, person, record.id, received_on=date.today(), signed_by="周敏",
                            materials_match=True)  # offline, before the withdrawal reached this client
    assert signed.status == "received"
    report = dept.sync()
    assert report.rejected == 1 and report.pending_after == 0
    refused = rejected_entries(dept.store)[0]
    assert refused.what == "案件移送：签收（回执）" and refused.kind == "referral" and refused.record_id == record.id
    assert "已撤回" in refused.reason and "签收（回执）未执行" in refused.reason
    with dept.store.sessions() as s:  # the step is kept, rejected, with its arguments
        entry = s.execute(select(OutboxEntry).where(OutboxEntry.record_id == record.id)).scalar_one()
        assert entry.state == outbox.REJECTED and entry.args["signed_by"] == "周敏"
    assert referrals.get(dept.store, record.id).status == "withdrawn"  # the server's state, after the pull
    quiet(dept)
    quiet(town)


def test_a_return_reopens_the_case_for_the_squad(server, device, tmp_path):
    town, dept = device(server, "zhang"), device(server, "zhou")
    case_id = referable_case(town, tmp_path)
    record = submit(town, case_id)
    assert town.sync().ok and dept.sync().ok
    referrals.return_referral(dept.store, liaison(dept), record.id, reason="不属于本部门管辖，请移送区水务局。",
                              expected_status="submitted")
    assert dept.sync().ok and town.sync().ok
    assert cases.get_case(town.store, case_id).status is CaseStatus.INVESTIGATING
    back = referrals.for_case(town.store, case_id)[0]
    assert back.status == "returned" and back.data["returned"]["reason"] == "不属于本部门管辖，请移送区水务局。"
    quiet(town)
    quiet(dept)


def test_a_user_moved_to_another_organisation_loses_what_they_may_no_longer_see(server, device, tmp_path):
    town = device(server, "zhang")
    record = submit(town, referable_case(town, tmp_path))
    assert town.sync().ok
    server.add_user("mover", "officer", "nanqiao", "调动人")
    mover = device(server, "mover")
    assert mover.sync().ok
    with mover.store.sessions() as s:
        assert s.execute(select(Case).where(Case.town_code == "nanqiao")).first() is not None
        assert s.get(Referral, record.id) is not None  # a town officer sees the town's referrals
    moved = run_cli("set-user", "--db", server.db_url, "--username", "mover", "--org", "sw", "--role",
                    "department_liaison")
    assert moved.returncode == 0, moved.stderr
    report = mover.sync()
    assert report.ok and report.resyncs == 1 and report.deleted >= 2, report.summary()
    with mover.store.sessions() as s:
        assert s.execute(select(Case)).first() is None
        assert s.execute(select(Referral)).first() is None  # 区水务局 is not a party to it
    quiet(mover)

"""Criminal referral between two real clients' stores (a town's squad leader, a police station's liaison) and the
procuratorate's, through a real fx-bureau process: report -> approval -> sent -> receipt -> 立案 -> handover with
each side seeing every step, the police client offline with its steps queued, and a squad's step the police
overtook meanwhile (rebased locally, rejected with its reason, nothing lost). Digests equal after each quiet sync."""
from __future__ import annotations

import re
from datetime import datetime

import pytest

from fx_desktop.domain.lifecycle import CaseStatus
from fx_desktop.services import cases, criminal_referrals as crs, evidence
from fx_desktop.services.conflicts import rejected_entries
from fx_desktop.sync.digest import local_digest
from tests.conftest import case_draft
from tests.support.people import Person

NUMBER = re.compile(r"^奉南桥综执刑移〔\d{4}〕\d{4}号$")


@pytest.fixture(scope="module")
def server(bureau):
    bureau.add_user("sunhao", "police_liaison", "pcs_nanqiao", "孙浩")
    bureau.add_user("qianyu", "department_liaison", "jcy", "钱宇")
    return bureau


def person(device, org: str) -> Person:
    a = device.account
    return Person(a.username, a.name, a.role, None, org)


def quiet(device) -> None:
    report = device.sync()
    assert report.ok, report.summary()
    with device.store.sessions() as s:
        mine = local_digest(s, device.account.town_code)
    server = device.client.digest()
    assert (mine["count"], mine["hash"]) == (server["count"], server["hash"])


def reported(town, tmp_path) -> tuple[str, crs.CrimeRecord]:
    made = cases.create_case(town.store, town.profile, case_draft(party_name=f"某化工{datetime.now():%H%M%S%f}"))
    status = CaseStatus.CLUE
    for action in ("file", "start_investigation"):
        status = cases.change_status(town.store, town.profile, made.id, action, expected_status=status).status
    report_file = tmp_path / f"检测报告-{made.id[:8]}.pdf"
    report_file.write_bytes(b"%PDF-1.4 " + made.id.encode() * 50)
    evidence.add_evidence(town.store, town.profile, made.id, report_file)
    form = crs.prepare(town.store, town.profile, made.id)
    form.update(receiving_org="pcs_nanqiao", suspicion="涉嫌污染环境罪", report="倾倒废酸约 5 吨，已达追诉标准。",
                attachments=[{**form["evidence"][0], "kind": "检验报告"}],
                items=[{"name": "废酸桶", "quantity": "20", "unit": "只", "features": "蓝色 200L",
                        "kept_at": "南桥中队仓库", "measure": "扣押"}],
                contact={"name": town.profile.name, "phone": "021-57180000"})
    return made.id, crs.report(town.store, town.profile, made.id, form)


def step(device, who, record_id: str, name: str, **args) -> crs.CrimeRecord:
    status = crs.get(device.store, record_id).status
    return crs.step(device.store, who, record_id, name, {"expected_status": str(status), **args})


def test_report_to_handover_with_the_police_steps_in_the_police_client(server, device, tmp_path):
    town, police, procuratorate = device(server, "zhang"), device(server, "sunhao"), device(server, "qianyu")
    sun = person(police, "pcs_nanqiao")
    case_id, record = reported(town, tmp_path)
    assert record.provisional and record.clock.step == "decide_criminal_referral"
    with pytest.raises(Exception, match="行政处罚不能代替移送"):
        cases.change_status(town.store, town.profile, case_id, "close", expected_status=CaseStatus.INVESTIGATING)
    assert town.sync().ok
    assert NUMBER.match(crs.get(town.store, record.id).number)
    step(town, town.profile, record.id, "decide_criminal_referral", approve=True)
    approved = crs.get(town.store, record.id)
    assert approved.clock.hours and approved.clock.side == "town"
    step(town, town.profile, record.id, "send_criminal_referral")
    quiet(town)

    assert police.sync().ok
    mine, total = crs.listing(police.store, sun)
    assert total == 1 and [r.id for r in mine] == [record.id] and mine[0].clock.side == "police"
    assert mine[0].data["case_snapshot"]["party_name"].startswith("某化工")
    quiet(police)
    assert procuratorate.sync().ok
    copies, _ = crs.listing(procuratorate.store, person(procuratorate, "jcy"))
    assert [r.id for r in copies] == [record.id]
    assert crs.available_steps(copies[0], person(procuratorate, "jcy")) == []  # a copy, read only

    police_steps = [("receipt_criminal_referral", {"signed_by": "孙浩"}, "received"),
                    ("police_decide_criminal_referral", {"result": "filed", "their_number": "奉公（南）立字1号"},
                     "filed")]
    for name, args, status in police_steps:
        assert crs.available_steps(crs.get(police.store, record.id), sun)[0] == name
        assert step(police, sun, record.id, name, **args).status == status
        assert police.sync().ok and crs.get(police.store, record.id).synced
        assert town.sync().ok
        seen = crs.get(town.store, record.id)
        assert seen.status == status and seen.data == crs.get(police.store, record.id).data
        quiet(town)
        quiet(police)
    assert seen.data["receipt"]["entered_by"] == "police" and seen.clock.step == "hand_over_criminal_referral"

    done = step(town, town.profile, record.id, "hand_over_criminal_referral", materials="案卷一册、光盘一张",
                handed_by="张伟", received_by="孙浩")
    assert done.status == "handed_over"
    assert town.sync().ok and police.sync().ok
    assert crs.get(police.store, record.id).status == "handed_over"
    quiet(town)
    quiet(police)
    trail = [t.action for t in cases.timeline(town.store, case_id)]
    for name in ("report_criminal_referral", "decide_criminal_referral", "send_criminal_referral",
                 "hand_over_criminal_referral"):
        assert name in trail
    with town.store.sessions() as s:
        assert not crs.pending_for_case(s, case_id)  # handed over: the case may be closed again


def test_police_offline_queue_and_a_squad_step_overtaken_is_rejected_with_its_reason(server, device, tmp_path):
    town, police = device(server, "zhang"), device(server, "sunhao")
    sun = person(police, "pcs_nanqiao")
    _case_id, record = reported(town, tmp_path)
    step(town, town.profile, record.id, "decide_criminal_referral", approve=True)
    step(town, town.profile, record.id, "send_criminal_referral")
    assert town.sync().ok and police.sync().ok
    # the police work offline: receipt and decision queued
    step(police, sun, record.id, "receipt_criminal_referral", signed_by="孙浩")
    step(police, sun, record.id, "police_decide_criminal_referral", result="not_filed", reasons="未达追诉标准")
    # meanwhile the squad enters the receipt itself (it has the paper receipt), offline too
    step(town, town.profile, record.id, "receipt_criminal_referral", signed_by="孙浩",
         on_behalf_reason="书面回执已收到")
    assert police.sync().ok  # the police's steps reach the server first
    report = town.sync()
    assert report.ok
    rejected = rejected_entries(town.store)
    assert any(e.name == "receipt_criminal_referral" and "已变为" in (e.reason or "") for e in rejected)
    seen = crs.get(town.store, record.id)
    assert seen.status == "not_filed" and seen.data["police_decision"]["reasons"] == "未达追诉标准"
    assert crs.available_steps(seen, town.profile) == ["request_crime_reconsideration"]
    quiet(town)
    quiet(police)


def test_the_police_refer_a_case_back_and_it_arrives_in_the_town_as_a_new_case(server, device, tmp_path):
    """The reverse route (art. 13): the police liaison sends a case with its materials; the town's next pull brings
    a clue whose source is 公安移送, the police's letter and reason in its facts and their files as evidence the
    town may download. A case for a department or with a bad ID number is refused before anything is queued."""
    from fx_desktop.domain.case_draft import clean_to_json, validate
    from fx_desktop.domain.errors import DomainError
    from fx_desktop.sync.attachments import download

    town, police = device(server, "zhang"), device(server, "sunhao")
    sun = person(police, "pcs_nanqiao")
    values, _officers = clean_to_json(validate(case_draft(party_name="赵某某", officers=[])))
    record = tmp_path / "询问笔录（公安）.pdf"
    record.write_bytes(b"%PDF-1.4 police record " + datetime.now().isoformat().encode())
    with pytest.raises(DomainError, match="不是街镇"):
        crs.police_return(police.store, sun, town_code="scjg", fields=values, letter_number="x", reason="y")
    with pytest.raises(DomainError) as bad:
        crs.police_return(police.store, sun, town_code="nanqiao", fields={**values, "party_id_number": "123"},
                          letter_number="奉公（南）行移字〔2026〕1号", reason="不构成犯罪")
    assert bad.value.field == "party_id_number"
    case_id = crs.police_return(police.store, sun, town_code="nanqiao", fields=values,
                                letter_number="奉公（南）行移字〔2026〕1号",
                                reason="经审查不构成犯罪，当事人违反市容管理规定，应予行政处罚。", files=[record])
    report = police.sync()
    assert report.ok and report.uploaded == 1 and report.rejected == 0, report.summary()
    assert town.sync().ok
    arrived = cases.get_case(town.store, case_id)
    assert arrived.status is CaseStatus.CLUE and arrived.values["source"] == "公安移送"
    assert arrived.values["facts"].startswith("【公安移送】南桥派出所《奉公（南）行移字〔2026〕1号》：经审查不构成犯罪")
    assert [e.name for e in arrived.evidence] == ["询问笔录（公安）.pdf"]
    blob = arrived.evidence[0]
    assert download(town.client, town.store.blobs, blob.sha256, blob.size).read_bytes() == record.read_bytes()
    quiet(town)
    quiet(police)

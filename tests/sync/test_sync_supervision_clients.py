"""Supervision sheets between two real clients' stores (a town's office staff, a district department's liaison)
through a real fx-bureau process: the office issues a sheet offline, the department signs, asks for more time, the
office approves, the department reports, the office sends it back once with a reason, the department reports
again, the office closes it; both sides see every step with who and when. A chase (催办) made while the
department's steps were on their way is rebased. After every quiet sync both sides' digests match the server's."""
from __future__ import annotations

import re
from datetime import date, timedelta

from fx_desktop.services import supervisions
from tests.sync.test_sync_referral_clients import liaison, quiet

NUMBER = re.compile(r"^奉南桥督办〔\d{4}〕\d+号$")


def _in(days: int) -> str:
    return (date.today() + timedelta(days=days)).isoformat()


def _form(**over) -> dict:
    return {"responsible_org": "ghzy", "matter": "拆除南桥镇某路1号违法搭建并恢复原状", "deadline": _in(10),
            "leader": "张副镇长", "source_kind": "meeting", "source_id": "m-3", "source_item": 1,
            "source_text": "〔2026〕第3期纪要议定事项第一项", **over}


def test_a_department_chases_its_sheet_to_closure_with_the_office(fresh_bureau, device):
    fresh_bureau.add_user("fang", "office_staff", "nanqiao", "王芳")
    fresh_bureau.add_user("ligh", "department_liaison", "ghzy", "李规划")
    fresh_bureau.start()
    office, dept = device(fresh_bureau, "fang"), device(fresh_bureau, "ligh")
    unit = liaison(dept, "ghzy")
    assert office.sync().ok and dept.sync().ok

    fresh_bureau.stop()  # issued offline: saved here, waits in the outbox
    sheet = supervisions.issue(office.store, office.profile, _form())
    assert sheet.status == "issued" and sheet.number.startswith("临时编号") and not sheet.synced
    assert office.sync().outcome == "offline"
    fresh_bureau.start()
    report = office.sync()
    assert report.ok and report.pushed == 1 and report.rejected == 0, report.summary()
    issued = supervisions.get(office.store, sheet.id)
    assert NUMBER.match(issued.number) and issued.synced
    quiet(office)

    assert dept.sync().ok
    mine = supervisions.sheets(dept.store, unit)
    assert [s.id for s in mine] == [sheet.id] and mine[0].owner_name == "南桥镇"
    assert mine[0].source_text == "〔2026〕第3期纪要议定事项第一项"
    assert supervisions.available_steps(mine[0], unit) == ["sign_supervision"]

    def both_sync():
        for side in (dept, office):
            r = side.sync()
            assert r.ok and r.rejected == 0, r.summary()

    supervisions.sign(dept.store, unit, sheet.id, handler="李工")
    supervisions.ask_extension(dept.store, unit, sheet.id, reason="需等待规划复核", new_deadline=_in(20),
                               expected_status="in_progress")
    both_sync()
    seen = supervisions.get(office.store, sheet.id)
    assert seen.status == "extension_asked"
    assert supervisions.available_steps(seen, office.profile) == ["decide_supervision_extension",
                                                                   "withdraw_supervision"]
    supervisions.decide_extension(office.store, office.profile, sheet.id, approved=True)
    both_sync()
    both_sync()
    assert supervisions.get(dept.store, sheet.id).deadline.isoformat() == _in(20)

    supervisions.report(dept.store, unit, sheet.id, text="已拆除一半", attachments=["现场照片.jpg"],
                        expected_status="in_progress")
    both_sync()
    supervisions.send_back(office.store, office.profile, sheet.id, reason="尚未拆除完毕，请继续")
    both_sync()
    both_sync()
    back = supervisions.get(dept.store, sheet.id)
    assert back.status == "sent_back" and back.history[-1]["reason"] == "尚未拆除完毕，请继续"
    supervisions.report(dept.store, unit, sheet.id, text="已全部拆除，恢复原状", expected_status="sent_back")
    both_sync()
    supervisions.close(office.store, office.profile, sheet.id, note="经核查已整改到位")
    both_sync()
    both_sync()

    for side in (office, dept):
        final = supervisions.get(side.store, sheet.id)
        assert final.status == "closed" and final.synced
        assert [(h["step"], h["by"]) for h in final.history] == [
            ("issue_supervision", "王芳"), ("sign_supervision", "李规划"), ("ask_supervision_extension", "李规划"),
            ("decide_supervision_extension", "王芳"), ("report_supervision", "李规划"),
            ("send_back_supervision", "王芳"), ("report_supervision", "李规划"), ("close_supervision", "王芳")]
    quiet(office)
    quiet(dept)


def test_a_chase_meanwhile_is_rebased_under_the_departments_report(fresh_bureau, device):
    fresh_bureau.add_user("fang", "office_staff", "nanqiao", "王芳")
    fresh_bureau.add_user("ligh", "department_liaison", "ghzy", "李规划")
    fresh_bureau.start()
    office, dept = device(fresh_bureau, "fang"), device(fresh_bureau, "ligh")
    unit = liaison(dept, "ghzy")
    sheet = supervisions.issue(office.store, office.profile, _form(deadline=_in(1)))
    assert office.sync().ok and dept.sync().ok

    supervisions.sign(dept.store, unit, sheet.id)  # not pushed yet
    supervisions.report(dept.store, unit, sheet.id, text="已办结", expected_status="in_progress")
    urged = supervisions.urge(office.store, office.profile, sheet.id, note="明天到期，请抓紧")
    assert urged.data["urged"] == [date.today().isoformat()]
    assert office.sync().ok
    report = dept.sync()
    assert report.ok and report.rejected == 0, report.summary()
    assert office.sync().ok
    for side in (office, dept):
        seen = supervisions.get(side.store, sheet.id)
        assert seen.status == "reported"
        assert [h["step"] for h in seen.history] == ["issue_supervision", "urge_supervision", "sign_supervision",
                                                     "report_supervision"]
    quiet(office)
    quiet(dept)

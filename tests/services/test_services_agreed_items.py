"""An agreed item follows its supervision sheet (services/agreed_items.py): the minutes table, the workbench, the agenda
proposal and the printed 议定事项清单 and meeting pack all show the sheet's status; an item whose sheet is closed is
not open any more; a withdrawn sheet gives the item back its own status. One real SQLite store, the office and the
department acting in it as they would after syncs."""
from __future__ import annotations

import io
from datetime import date, timedelta

from pypdf import PdfReader

from fx_desktop.domain import meeting as mt
from fx_desktop.domain.roles import Role
from fx_desktop.printing.forms import build_form
from fx_desktop.services import agreed_items, meeting_agenda, meeting_print, meetings, supervisions, workbench
from fx_desktop.services.profile import Profile
from fx_desktop.store.models import Meeting
from tests.services.test_services_meetings import LEADER, NOW, STAFF, prepare

PLANNING = Profile("u-liu", "刘科长", Role.DEPARTMENT_LIAISON, None, org_code="ghzy", org_kind="department")
ITEMS = [{"matter": "拆除江海路违法搭建", "lead_org": "ghzy", "supporting_orgs": ["nanqiao"], "deadline": "2026-12-10"},
         {"matter": "核查工业园区疑似违法用地", "lead_org": "ghzy", "supporting_orgs": [], "deadline": "2026-12-20"}]


def signed(store):
    m = prepare(store)
    meetings.notify(store, STAFF, m.id, now=NOW)
    meetings.write_minutes(store, STAFF, m.id, intro="会议议定：", items=ITEMS, now=NOW)
    meetings.circulate(store, STAFF, m.id, now=NOW)
    return meetings.sign(store, LEADER, m.id, expected_version=1, now=NOW)


def supervise(store, m, no: int, **over):
    item = ITEMS[no - 1]
    return supervisions.issue(store, STAFF, {
        "source_kind": "meeting", "source_id": m.id, "source_item": no,
        "source_text": f"{m.number}纪要议定事项第{'一二'[no - 1]}项", "matter": item["matter"],
        "responsible_org": item["lead_org"], "deadline": item["deadline"], **over}, now=NOW + timedelta(hours=1))


def shown(store, m) -> list[str]:
    """The statuses the minutes table shows (the page's column), item by item."""
    found = agreed_items.for_meeting(store, m.id)
    return [agreed_items.status_of(i, found.get(i["no"])) for i in meetings.get(store, m.id).minutes["items"]]


def open_nos(store, m) -> list[int]:
    with store.sessions() as s:
        return [i["no"] for i in mt.agreed_open(agreed_items.linked_state(s, m.id, s.get(Meeting, m.id).data))]


def lead_tasks(store) -> list[str]:
    return [i.task for i in workbench.load(store, PLANNING, today=date(2026, 11, 24)).items if i.kind == "meeting"]


def test_an_item_follows_its_sheet_from_issue_to_closure_everywhere_it_is_shown(store):
    m = signed(store)
    assert shown(store, m) == ["未启动", "未启动"] and open_nos(store, m) == [1, 2]
    sheet = supervise(store, m, 1)
    assert shown(store, m) == ["待签收", "未启动"]
    assert agreed_items.for_meeting(store, m.id)[1].number == sheet.number
    steps = [("sign", lambda: supervisions.sign(store, PLANNING, sheet.id, handler="刘科长"), "办理中"),
             ("ask", lambda: supervisions.ask_extension(store, PLANNING, sheet.id, reason="需现场复核",
                                                         new_deadline="2026-12-31", expected_status="in_progress"),
              "延期申请中"),
             ("grant", lambda: supervisions.decide_extension(store, STAFF, sheet.id, approved=True), "办理中"),
             ("report", lambda: supervisions.report(store, PLANNING, sheet.id, text="已出具认定意见",
                                                    expected_status="in_progress"), "已反馈"),
             ("back", lambda: supervisions.send_back(store, STAFF, sheet.id, reason="缺少现场照片"), "退回重办"),
             ("again", lambda: supervisions.report(store, PLANNING, sheet.id, text="已补现场照片",
                                                   expected_status="sent_back"), "已反馈")]
    for name, act, label in steps:
        act()
        assert shown(store, m)[0] == label, name
        assert open_nos(store, m) == [1, 2], name
        assert meeting_print.meeting_print(store, m.id).agreed[0].status == label, name
    assert lead_tasks(store) == ["落实议定事项第1项（督办已反馈）：拆除江海路违法搭建",
                                 "落实议定事项第2项：核查工业园区疑似违法用地"]

    supervisions.close(store, STAFF, sheet.id, note="已办结")
    assert shown(store, m) == ["已办结", "未启动"] and open_nos(store, m) == [2]
    # the workbench and the next meeting's proposed agenda no longer carry the closed item over
    assert lead_tasks(store) == ["落实议定事项第2项：核查工业园区疑似违法用地"]
    carried = [a for a in meeting_agenda.open_problems(store, STAFF, today=date(2026, 11, 24))
               if a["source"] == "carried_over"]
    assert [a["ref"]["item"] for a in carried] == [2]
    # the printed 议定事项清单 and the meeting pack: the item's status, the real 督办单 with its number
    printed = meeting_print.meeting_print(store, m.id)
    assert [a.status for a in printed.agreed] == ["已办结", "未启动"]
    assert [s.number for s in printed.supervision] == [sheet.number, None]
    assert printed.supervision[0].status == "已办结" and printed.supervision[1].matter == ITEMS[1]["matter"]
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(build_form("meeting-items", printed))).pages)
    assert "已办结" in text
    pack = "".join(p.extract_text() for p in PdfReader(io.BytesIO(build_form("meeting-pack", printed))).pages)
    assert sheet.number in pack


def test_a_withdrawn_sheet_gives_the_item_back_and_the_latest_sheet_counts(store):
    m = signed(store)
    first = supervise(store, m, 2)
    supervisions.withdraw(store, STAFF, first.id, reason="责任单位有误", expected_status="issued")
    assert shown(store, m) == ["未启动", "未启动"] and agreed_items.for_meeting(store, m.id) == {}
    assert meeting_print.meeting_print(store, m.id).supervision[1].number is None
    again = supervisions.issue(store, STAFF, {
        "source_kind": "meeting", "source_id": m.id, "source_item": 2, "source_text": "第二项",
        "matter": ITEMS[1]["matter"], "responsible_org": "ghzy", "deadline": "2026-12-20"},
        now=NOW + timedelta(days=1))
    assert agreed_items.for_meeting(store, m.id)[2].sheet_id == again.id and shown(store, m)[1] == "待签收"
    # a sheet of another meeting, or of no item, changes nothing here
    supervisions.issue(store, STAFF, {"source_kind": "meeting", "source_id": "other", "source_item": 1,
                                      "matter": "x", "responsible_org": "ghzy", "deadline": "2026-12-20"},
                       now=NOW + timedelta(days=1))
    assert shown(store, m) == ["未启动", "待签收"]


def test_status_of_and_linked_are_plain_functions():
    follow = agreed_items.FollowUp("s-1", "奉南桥督办〔2026〕1号", "closed")
    assert agreed_items.status_of({"status": "办理中"}, None) == "办理中"
    assert agreed_items.status_of({}, None) == "未启动"
    assert agreed_items.status_of({"status": "未启动"}, follow) == "已办结"
    state = {"status": "held", "minutes": {"status": "signed", "version": 1, "items": [
        {"no": 1, "matter": "a", "status": "未启动"}, {"no": 2, "matter": "b", "status": "未启动"}]}}
    out = agreed_items.linked("m-1", state, {("m-1", 1): follow, ("m-2", 2): follow})
    assert [i["status"] for i in out["minutes"]["items"]] == ["已办结", "未启动"]
    assert out["minutes"]["items"][0]["supervision"] == {"id": "s-1", "number": "奉南桥督办〔2026〕1号",
                                                          "status": "closed"}
    assert state["minutes"]["items"][0]["status"] == "未启动"  # the stored state is not touched
    assert [i["no"] for i in mt.agreed_open(out)] == [2]


def test_an_item_is_supervised_here_only_from_the_conveners_signed_minutes(store):
    import pytest

    from fx_desktop.domain.errors import DomainError

    m = prepare(store)
    meetings.notify(store, STAFF, m.id, now=NOW)
    meetings.write_minutes(store, STAFF, m.id, intro="会议议定：", items=ITEMS, now=NOW)
    with pytest.raises(DomainError, match="尚未签发"):
        supervise(store, m, 1)
    meetings.circulate(store, STAFF, m.id, now=NOW)
    m = meetings.sign(store, LEADER, m.id, expected_version=1, now=NOW)
    with pytest.raises(DomainError, match="没有第3项"):
        supervisions.issue(store, STAFF, {"source_kind": "meeting", "source_id": m.id, "source_item": 3,
                                          "matter": "x", "responsible_org": "ghzy", "deadline": "2026-12-20"},
                           now=NOW)
    assert supervisions.sheets(store, STAFF) == []  # nothing saved, nothing queued
    assert supervise(store, m, 1).status == "issued"

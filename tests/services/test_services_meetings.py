"""Meetings on a real SQLite store: office staff prepare a meeting (row, audit and outbox in one transaction), the
agenda proposed from the store's open problems (an agreed item still open from earlier signed minutes, a case put
on the consultation list, a disputed clue), the minutes signed and amended as a new version, the training record,
the printed data with names resolved, and the workbench items of the convener and of a department."""
from datetime import date, datetime

import pytest
from sqlalchemy import select

from fx_desktop.domain.errors import DomainError
from fx_desktop.domain.roles import Role
from fx_desktop.services import audit_text, cases, meeting_agenda, meeting_print, meetings, workbench
from fx_desktop.services.profile import Profile
from fx_desktop.store.models import AuditEntry, OutboxEntry
from tests.support.people import Person

NOW = datetime(2026, 11, 20, 9, 0)
STAFF = Profile("u-staff", "王芳", Role.OFFICE_STAFF, "nanqiao")
LEADER = Profile("u-leader", "张伟", Role.SQUAD_LEADER, "nanqiao")
OFFICER = Profile("u-officer", "李娜", Role.OFFICER, "nanqiao")
PLANNING = Person("u-liu", "刘科长", Role.DEPARTMENT_LIAISON, None, "ghzy")
ITEM = {"matter": "拆除江海路违法搭建", "lead_org": "ghzy", "supporting_orgs": ["nanqiao"], "deadline": "2026-12-10"}


def prepare(store, **over):
    form = {"kind": "regular", "title": "南桥镇综合行政执法协调会议", "starts_at": "2026-11-25T09:30",
            "place": "镇政府3楼会议室", "chair": "张副镇长", "minute_taker": "王芳",
            "invitees": [{"org": "ghzy", "name": "刘科长", "title": "科长", "phone": "57420001"},
                         {"org": None, "unit": "江海村委", "name": "陈书记", "title": "书记", "phone": ""}], **over}
    return meetings.create(store, STAFF, form, now=NOW)


def signed_meeting(store):
    m = prepare(store)
    m = meetings.notify(store, STAFF, m.id, now=NOW)
    keys = [p["key"] for p in m.data["invitees"]]
    meetings.record_attendance(store, STAFF, m.id, {keys[0]: "出席", keys[1]: "列席"}, now=NOW)
    meetings.write_minutes(store, STAFF, m.id, intro="会议议定：", items=[ITEM], now=NOW)
    meetings.circulate(store, STAFF, m.id, now=NOW)
    return meetings.sign(store, LEADER, m.id, expected_version=1, now=NOW)


def test_a_meeting_is_saved_here_with_its_audit_and_outbox_entry_and_numbered_when_notified(store):
    m = prepare(store)
    assert m.status == "draft" and m.number == "" and all(p["key"] for p in m.data["invitees"])
    m = meetings.notify(store, STAFF, m.id, now=NOW)
    assert m.number == "〔2026〕第1期" and m.status == "notified"  # a store that does not sync numbers itself
    with store.sessions() as s:
        names = [e.name for e in s.execute(select(OutboxEntry).where(OutboxEntry.kind == "meeting")
                                           .order_by(OutboxEntry.mutation_id)).scalars()]
        assert names == ["create_meeting", "notify_meeting"]
        trail = s.execute(select(AuditEntry).where(AuditEntry.kind == "meeting")).scalars().all()
        assert [t.detail["org"] for t in trail] == ["nanqiao", "nanqiao"]
    with pytest.raises(DomainError, match="不能登记会议"):
        meetings.create(store, OFFICER, {"kind": "regular", "title": "x"}, now=NOW)
    assert [r.id for r in meetings.meetings(store, PLANNING)] == [m.id]  # the invited department sees it
    assert meetings.meetings(store, Person("u-w", "水", Role.DEPARTMENT_LIAISON, None, "sw")) == []


def test_signed_minutes_are_locked_and_an_amendment_keeps_version_one(store):
    m = signed_meeting(store)
    assert m.minutes["status"] == "signed" and m.minutes_label == "已签发（第1版）"
    with pytest.raises(DomainError, match="签发锁定"):
        meetings.write_minutes(store, STAFF, m.id, intro="改", now=NOW)
    m2 = meetings.amend(store, STAFF, m.id, reason="时限调整", items=[{**ITEM, "deadline": "2027-01-15"}], now=NOW)
    assert m2.minutes["version"] == 2 and m2.minutes["previous"][0]["items"][0]["deadline"] == "2026-12-10"
    said = [audit_text.sentence(t) for t in _trail(store, m.id)]
    assert any("签发了会议纪要" in t and "第1版" in t for t in said)
    assert any("修订了已签发的会议纪要" in t and "理由：时限调整" in t for t in said)


def _trail(store, record_id):
    with store.sessions() as s:
        rows = s.execute(select(AuditEntry).where(AuditEntry.record_id == record_id).order_by(AuditEntry.seq)).scalars()
        return [cases.TimelineEntry(r.at, r.actor, r.role, r.action, r.detail) for r in rows]


def test_the_agenda_is_proposed_from_the_stores_open_problems(store, make_draft):
    earlier = signed_meeting(store)
    case = cases.create_case(store, LEADER, make_draft(party_name="某建材公司"), now=NOW)
    clue = cases.create_case(store, LEADER, make_draft(party_name="某餐馆", source="线索移送"), now=NOW)
    meetings.create_item(store, LEADER, {"matter": "规划认定意见迟迟未出", "units": ["ghzy"], "case_id": case.id},
                         now=NOW)
    meetings.create_item(store, STAFF, {"matter": "夜间施工噪声扰民的管辖分工", "units": ["sthj"]}, now=NOW)
    agenda = meeting_agenda.propose(store, STAFF, today=date(2026, 11, 24))
    by_source = {a["source"]: a for a in agenda}
    assert [a["source"] for a in agenda] == ["carried_over", "consultation", "case", "disputed_clue"]
    assert by_source["carried_over"]["carried_over_from"] == earlier.number == "〔2026〕第1期"
    assert by_source["carried_over"]["ref"] == {"kind": "meeting", "id": earlier.id, "item": 1}
    assert by_source["case"]["title"].startswith(f"案件{case.number}需协调")
    assert by_source["disputed_clue"]["ref"] == {"kind": "case", "id": clue.id}
    later = prepare(store, title="第二次协调会")
    later = meetings.set_agenda(store, STAFF, later.id, agenda, now=NOW)
    # the town's own items on the agenda are 已列入议程 now (the squad leader's and the office's alike)
    assert {i.status_label for i in meetings.items(store, STAFF)} == {"已列入议程"}
    with store.sessions() as s:
        assert [e.name for e in s.execute(select(OutboxEntry).where(OutboxEntry.kind == "consultation_item")
                                          .order_by(OutboxEntry.mutation_id)).scalars()] == \
            ["create_consultation_item"] * 2 + ["update_consultation_item"] * 2
    printed = meeting_print.meeting_print(store, later.id)
    assert [a.source for a in printed.agenda][:2] == ["以往会议议定事项", "协调会商事项"]
    assert printed.agenda[0].carried_over_from == "〔2026〕第1期" and printed.agenda[0].presenter == "区规划资源局"
    assert [d.case.party.name for d in printed.cases] == ["某建材公司", "某餐馆"]
    assert printed.attendees[0].unit == "区规划资源局" and printed.attendees[1].unit == "江海村委"


def test_the_printed_minutes_name_units_and_version(store):
    m = signed_meeting(store)
    p = meeting_print.meeting_print(store, m.id)
    assert p.number == "〔2026〕第1期" and p.organiser == "南桥镇" and p.minutes_status == "已签发"
    assert p.agreed[0].lead_unit == "区规划资源局" and p.agreed[0].supporting_units == ("南桥镇",)
    assert p.agreed[0].deadline == date(2026, 12, 10) and p.signed_on == NOW.date()
    assert [a.attendance for a in p.attendees] == ["出席", "列席"]
    # no 督办单 issued yet: the item's sheet is pre-filled from it, unnumbered (a draft)
    assert [(s.number, s.matter, s.source) for s in p.supervision] == [
        (None, "拆除江海路违法搭建", "〔2026〕第1期纪要议定事项第一项")]


def test_a_training_attendance_is_the_officers_training_record(store):
    m = meetings.create(store, STAFF, {"kind": "training", "title": "新《行政处罚法》专题培训",
                                       "starts_at": "2026-11-18T14:00", "place": "镇会议室",
                                       "invitees": [{"org": "nanqiao", "name": "李娜", "title": "队员"},
                                                    {"org": "nanqiao", "name": "赵敏", "title": "队员"}]}, now=NOW)
    keys = [p["key"] for p in m.data["invitees"]]
    meetings.record_attendance(store, STAFF, m.id, {keys[0]: "出席", keys[1]: "请假"}, now=NOW)
    with store.sessions() as s:
        assert meetings.training_record(s, "李娜") == [(date(2026, 11, 18), "新《行政处罚法》专题培训", "出席")]
        assert meetings.training_record(s, "赵敏") == []


def test_the_workbench_lists_meetings_to_prepare_minutes_to_sign_and_agreed_items(store):
    m = prepare(store)
    bench = workbench.load(store, STAFF, today=date(2026, 11, 24))
    assert [(i.kind, i.task, i.left) for i in bench.items if i.kind == "meeting"] == \
        [("meeting", "筹备会议：确定议程、发出通知", 1)]
    meetings.write_minutes(store, STAFF, m.id, intro="议定：", items=[ITEM], now=NOW)
    meetings.circulate(store, STAFF, m.id, now=NOW)
    tasks = [i.task for i in workbench.load(store, LEADER, today=date(2026, 11, 24)).items if i.kind == "meeting"]
    assert "签发会议纪要" in tasks
    dept = [i.task for i in workbench.load(store, PLANNING, today=date(2026, 11, 24)).items]
    assert dept == ["传阅纪要：提出意见"]
    meetings.sign(store, STAFF, m.id, expected_version=1, now=NOW)
    late = [i for i in workbench.load(store, PLANNING, today=date(2026, 12, 11)).items]
    assert [(i.task, i.overdue) for i in late] == [("落实议定事项第1项：拆除江海路违法搭建", True)]

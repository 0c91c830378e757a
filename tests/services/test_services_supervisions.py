"""Supervision sheets on a real SQLite store: each action writes the row, its audit entry and its outbox mutation in
one transaction; a refusal saves nothing; the list filters by status, responsible unit and overdue; each side gets
its own actions; the printed sheet and the 督办通报 carry the organisations' names and every step."""
from datetime import date, datetime, timedelta

import pytest
from sqlalchemy import select

from fx_desktop.domain.errors import DomainError
from fx_desktop.domain.roles import Role
from fx_desktop.services import supervision_print, supervisions as svs
from fx_desktop.services.profile import Profile
from fx_desktop.store.models import AuditEntry, OutboxEntry, Supervision
from tests.support.people import Person

NOW = datetime(2026, 3, 10, 9, 0)
OFFICE = Profile("u-office", "王芳", Role.OFFICE_STAFF, "nanqiao")
OFFICER = Profile("u-officer", "李娜", Role.OFFICER, "nanqiao")
GH = Person("u-gh", "李规划", Role.DEPARTMENT_LIAISON, None, "ghzy")
HB = Person("u-hb", "周环保", Role.DEPARTMENT_LIAISON, None, "sthj")


def issue(store, **over):
    form = {"responsible_org": "ghzy", "matter": "拆除某路1号违法搭建", "deadline": "2026-03-20", "leader": "张副镇长",
            "source_kind": "referral", "source_id": "r-1", "source_text": "奉南桥综执移〔2026〕0003号移送", **over}
    return svs.issue(store, OFFICE, form, now=NOW)


def test_issue_writes_the_row_audit_and_outbox_and_numbers_the_sheet(store):
    sheet = issue(store)
    assert sheet.number == "奉南桥督办〔2026〕1号" and sheet.status == "issued"
    assert (sheet.owner_name, sheet.responsible_name) == ("南桥镇", "区规划资源局")
    with store.sessions() as s:
        assert s.execute(select(OutboxEntry.name, OutboxEntry.kind, OutboxEntry.record_id)).all() == [
            ("issue_supervision", "supervision", sheet.id)]
        assert s.execute(select(AuditEntry.action).where(AuditEntry.record_id == sheet.id)).scalars().all() == [
            "issue_supervision"]
    assert svs.for_source(store, "referral", "r-1", today=NOW.date())[0].id == sheet.id


def test_a_refusal_saves_nothing(store):
    with pytest.raises(DomainError, match="执法队员"):
        svs.issue(store, OFFICER, {"responsible_org": "ghzy", "matter": "x", "deadline": "2026-03-20"}, now=NOW)
    sheet = issue(store)
    with pytest.raises(DomainError, match="只有责任单位"):
        svs.sign(store, HB, sheet.id, now=NOW)
    with store.sessions() as s:
        assert s.get(Supervision, sheet.id).version == 1
        assert len(s.execute(select(OutboxEntry)).all()) == 1


def test_each_side_gets_its_actions_and_the_list_filters(store):
    a = issue(store)
    b = issue(store, responsible_org="sthj", deadline="2026-03-12", matter="整治扬尘")
    assert svs.available_steps(a, GH, today=NOW.date()) == ["sign_supervision"]
    assert svs.available_steps(a, OFFICE, today=NOW.date()) == ["withdraw_supervision"]
    assert svs.available_steps(b, OFFICE, today=NOW.date()) == ["urge_supervision", "withdraw_supervision"]
    svs.sign(store, GH, a.id, handler="李工", now=NOW)
    svs.report(store, GH, a.id, text="已拆除", expected_status="in_progress", now=NOW)
    later = date(2026, 3, 16)
    everything = svs.sheets(store, OFFICE, today=later)
    assert [s.id for s in everything] == [b.id, a.id]  # by deadline
    assert [s.id for s in svs.sheets(store, OFFICE, svs.SheetFilter(overdue_only=True), today=later)] == [b.id]
    assert [s.id for s in svs.sheets(store, OFFICE, svs.SheetFilter(status="reported"), today=later)] == [a.id]
    assert [s.id for s in svs.sheets(store, OFFICE, svs.SheetFilter(responsible="sthj"), today=later)] == [b.id]
    assert [s.id for s in svs.sheets(store, GH, today=later)] == [a.id]  # the department: its own only
    got = svs.get(store, a.id, today=later)
    assert svs.available_steps(got, OFFICE, today=later) == ["close_supervision", "send_back_supervision",
                                                             "withdraw_supervision"]
    assert svs.get(store, b.id, today=later).overdue and svs.get(store, b.id, today=later).days_left < 0


def test_the_printed_sheet_and_report(store):
    a = issue(store)
    svs.sign(store, GH, a.id, handler="李工", now=NOW)
    svs.ask_extension(store, GH, a.id, reason="需复核", new_deadline="2026-03-31", expected_status="in_progress",
                      now=NOW + timedelta(hours=1))
    svs.decide_extension(store, OFFICE, a.id, approved=True, now=NOW + timedelta(hours=2))
    svs.report(store, GH, a.id, text="已拆除", attachments=["照片.jpg"], expected_status="in_progress",
               now=NOW + timedelta(days=1))
    svs.close(store, OFFICE, a.id, now=NOW + timedelta(days=2))
    b = issue(store, responsible_org="sthj", deadline="2026-03-12", matter="整治扬尘")
    printed = supervision_print.sheet_print(store, a.id)
    assert (printed.number, printed.responsible_unit, printed.issued_by, printed.leader, printed.handler) == \
        ("奉南桥督办〔2026〕1号", "区规划资源局", "南桥镇", "张副镇长", "李工")
    assert printed.status == "已办结" and printed.deadline == date(2026, 3, 31)
    assert printed.source == "奉南桥综执移〔2026〕0003号移送" and printed.issued_on == NOW.date()
    assert printed.extension == "申请延期至2026年3月31日，已同意"
    assert [p.text for p in printed.progress][:2] == ["签收，承办人李工", "申请延期至2026-03-31，理由：需复核"]
    assert printed.progress[0].by == "区规划资源局 李规划"
    report = supervision_print.report_print(store, date(2026, 3, 1), date(2026, 3, 31), date(2026, 3, 16),
                                            org="nanqiao")
    assert report.issued_by == "南桥镇" and report.period_end == date(2026, 3, 31)
    assert [(u.unit, len(u.sheets), u.done) for u in report.units] == [("区规划资源局", 1, 1), ("区生态环境局", 1, 0)]
    assert report.units[1].sheets[0].number == svs.get(store, b.id).number
    april = supervision_print.report_print(store, date(2026, 4, 1), date(2026, 4, 30), date(2026, 4, 30),
                                           org="nanqiao")
    assert [(u.unit, u.done) for u in april.units] == [("区生态环境局", 0)]  # closed in March: not April's


def test_the_workbench_gives_each_side_its_step_with_the_deadline(store):
    from fx_desktop.services import workbench

    a = issue(store)
    b = issue(store, responsible_org="sthj", deadline="2026-03-12", matter="整治扬尘")
    svs.sign(store, GH, a.id, now=NOW)
    svs.ask_extension(store, GH, a.id, reason="需复核", new_deadline="2026-03-31", expected_status="in_progress",
                      now=NOW)
    today = date(2026, 3, 16)
    unit = workbench.load(store, Profile("u-hb", "周环保", Role.DEPARTMENT_LIAISON, None, org_code="sthj",
                                         org_kind="department"), today=today)
    mine = [i for i in unit.items if i.kind == "supervision"]
    assert [(i.task, i.record_id, i.overdue) for i in mine] == [("签收督办单", b.id, True)]
    office = [i for i in workbench.load(store, OFFICE, today=today).items if i.kind == "supervision"]
    assert {(i.task, i.record_id) for i in office} == {("审批延期申请", a.id), ("催办：逾期未办结", b.id)}
    assert next(i for i in office if i.record_id == b.id).left < 0


def test_the_sheets_of_a_meetings_agreed_items_by_item(store):
    meeting = {"source_kind": "meeting", "source_id": "m-3"}
    one = issue(store, **meeting, source_item=1, source_text="〔2026〕第3期纪要议定事项第一项")
    two = issue(store, **meeting, source_item=2, source_text="〔2026〕第3期纪要议定事项第二项", responsible_org="sthj")
    svs.withdraw(store, OFFICE, two.id, reason="并入第一项", expected_status="issued", now=NOW)
    svs.sign(store, GH, one.id, now=NOW)
    found = supervision_print.for_meeting(store, "m-3")
    assert list(found) == [1] and found[1].status == "办理中" and found[1].source == "〔2026〕第3期纪要议定事项第一项"
    assert supervision_print.for_meeting(store, "other") == {}


def test_a_refused_step_is_said_in_words_on_the_sync_page():
    from fx_desktop.services.conflicts import describe_mutation

    assert describe_mutation("send_back_supervision", {"reason": "x"}) == "督办：退回重办"
    assert describe_mutation("issue_supervision", {}) == "督办：下发督办单"

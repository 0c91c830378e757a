"""The supervision sheet's rules (domain/supervision.py): who issues and who answers, the states of DOMAIN.md
section 6 with extension, send-back and closing, chasing only when overdue or near, the deadline against the
calendar."""
from datetime import date, datetime

import pytest

from fx_desktop.domain import supervision as sv
from fx_desktop.domain.errors import DomainError
from fx_desktop.domain.organisations import OrgDirectory
from fx_desktop.domain.workdays import HolidayCalendar
from fx_desktop.store.reference import shipped

ORGS = OrgDirectory.from_reference(shipped())
AT = datetime(2026, 11, 27, 10, 0)  # a Friday
OFFICE = sv.Actor("王芳", "office_staff", "nanqiao")
LEADER = sv.Actor("王队长", "squad_leader", "nanqiao")
OFFICER = sv.Actor("赵队员", "officer", "nanqiao")
LIAISON = sv.Actor("李联络", "department_liaison", "ghzy")
OTHER_DEPT = sv.Actor("周联络", "department_liaison", "sthj")
OTHER_TOWN = sv.Actor("钱内勤", "office_staff", "fengcheng")
DISPATCHER = sv.Actor("调度", "bureau_dispatcher", "cgzf")
ARGS = {"supervision_id": "s1", "matter": "拆除南桥镇某路1号违法搭建", "deadline": "2026-12-10",
        "leader": "张副镇长", "handler": "", "source_kind": "meeting", "source_id": "m1", "source_item": 1,
        "source_text": "〔2026〕第3期纪要议定事项第一项"}


def issued(args=None, *, actor=OFFICE, owner="nanqiao", responsible="ghzy"):
    return sv.issue(dict(args or ARGS), owner=ORGS.require(owner), responsible=ORGS.require(responsible),
                    actor=actor, at=AT)


def step(name, state, args=None, *, actor=LIAISON, at=AT, calendar=None):
    return sv.apply_step(name, state, args or {}, actor=actor, at=at, calendar=calendar)


def test_the_whole_way_issue_sign_extend_report_send_back_report_close():
    s = issued()
    assert s["status"] == "issued" and s["source"] == {"kind": "meeting", "id": "m1", "item": 1}
    assert s["source_text"] == "〔2026〕第3期纪要议定事项第一项" and s["responsible_kind"] == "department"
    s = step("sign_supervision", s, {"handler": "李工"})
    assert s["status"] == "in_progress" and s["handler"] == "李工"
    s = step("ask_supervision_extension", s, {"reason": "需等待规划复核", "new_deadline": "2026-12-31"})
    assert s["status"] == "extension_asked"
    s = step("decide_supervision_extension", s, {"approved": True}, actor=OFFICE)
    assert s["status"] == "in_progress" and s["deadline"] == "2026-12-31" and s["first_deadline"] == "2026-12-10"
    assert sv.extension_text(s) == "申请延期至2026年12月31日，已同意"
    s = step("report_supervision", s, {"text": "已拆除一半", "attachments": ["现场照片.jpg"]})
    assert s["status"] == "reported" and s["reports"][-1]["attachments"] == ["现场照片.jpg"]
    s = step("send_back_supervision", s, {"reason": "尚未拆除完毕"}, actor=LEADER)
    assert s["status"] == "sent_back"
    s = step("report_supervision", s, {"text": "已全部拆除，恢复原状"})
    s = step("close_supervision", s, {}, actor=OFFICE)
    assert s["status"] == "closed"
    assert [h["step"] for h in s["history"]] == [
        "issue_supervision", "sign_supervision", "ask_supervision_extension", "decide_supervision_extension",
        "report_supervision", "send_back_supervision", "report_supervision", "close_supervision"]
    assert all(h["by"] and h["at"] for h in s["history"])
    assert s["history"][2]["decision"]["approved"] is True  # the request shows its answer
    assert sv.step_text(s["history"][5]) == "退回重办，理由：尚未拆除完毕"


def test_who_may_issue():
    with pytest.raises(DomainError, match="执法队员.*不能下发督办单"):
        issued(actor=OFFICER)
    with pytest.raises(DomainError, match="只有督办单位"):
        issued(actor=OTHER_TOWN)
    with pytest.raises(DomainError, match="不能督办其他街镇"):
        issued(responsible="fengcheng")
    with pytest.raises(DomainError, match="街镇不能向区城管执法局"):
        issued(responsible="cgzf")
    assert issued(actor=DISPATCHER, owner="cgzf", responsible="nanqiao")["responsible_kind"] == "town"
    own = issued(responsible="nanqiao")  # the town's own squad: its staff answer
    assert step("sign_supervision", own, actor=OFFICER)["status"] == "in_progress"


def test_bad_arguments_get_a_chinese_reason():
    for change, pattern in (({"matter": ""}, "请填写督办事项"), ({"deadline": "明天"}, "不是有效的日期"),
                            ({"deadline": "2026-11-01"}, "已经过去"), ({"source_kind": "x"}, "来源只能是"),
                            ({"source_item": None}, "第几项"), ({"matter": 3}, "应为文本"),
                            ({"matter": "长" * 5001}, "不能超过 5000 个字")):
        with pytest.raises(DomainError, match=pattern):
            issued({**ARGS, **change})
    free = issued({**ARGS, "source_kind": None, "source_id": None, "source_item": None, "source_text": ""})
    assert free["source"] is None


def test_only_the_responsible_unit_answers_and_only_the_office_decides():
    s = issued()
    with pytest.raises(DomainError, match="只有责任单位可以签收"):
        step("sign_supervision", s, actor=OTHER_DEPT)
    with pytest.raises(DomainError, match="只有责任单位"):
        step("sign_supervision", s, actor=OFFICE)
    s = step("sign_supervision", s)
    with pytest.raises(DomainError, match="只有督办单位可以办结"):
        step("close_supervision", step("report_supervision", s, {"text": "办完"}), actor=LIAISON)
    assert sv.may_act(s, LIAISON, "report_supervision") and not sv.may_act(s, OFFICE, "report_supervision")
    assert sv.may_act(s, OFFICE, "urge_supervision") and not sv.may_act(s, OFFICER, "urge_supervision")


def test_states_are_checked():
    s = issued()
    with pytest.raises(DomainError, match="“待签收”状态，不能反馈办理情况"):
        step("report_supervision", s, {"text": "x"})
    s = step("sign_supervision", s)
    with pytest.raises(DomainError, match="已变为“办理中”"):
        step("sign_supervision", s, {"expected_status": "issued"})
    with pytest.raises(DomainError, match="不能办结"):
        step("close_supervision", s, actor=OFFICE)
    with pytest.raises(DomainError, match="请填写办理情况"):
        step("report_supervision", s, {"text": "  "})
    with pytest.raises(DomainError, match="请填写退回理由"):
        step("send_back_supervision", step("report_supervision", s, {"text": "x"}), {"reason": ""}, actor=OFFICE)


def test_a_refused_extension_keeps_the_deadline_and_needs_a_reason():
    s = step("ask_supervision_extension", step("sign_supervision", issued()),
             {"reason": "人手不足", "new_deadline": "2026-12-20"})
    with pytest.raises(DomainError, match="不同意延期时请写明理由"):
        step("decide_supervision_extension", s, {"approved": False}, actor=OFFICE)
    with pytest.raises(DomainError, match="请选择同意或不同意"):
        step("decide_supervision_extension", s, {"approved": "yes"}, actor=OFFICE)
    refused = step("decide_supervision_extension", s, {"approved": False, "reason": "事项紧急"}, actor=OFFICE)
    assert refused["deadline"] == "2026-12-10" and refused["status"] == "in_progress"
    assert sv.extension_text(refused) == "申请延期至2026年12月20日，不同意（事项紧急）"
    with pytest.raises(DomainError, match="应晚于现在的办结时限"):
        step("ask_supervision_extension", refused, {"reason": "x", "new_deadline": "2026-12-01"})


def test_urge_only_when_overdue_or_near_once_a_day():
    s = step("sign_supervision", issued())
    with pytest.raises(DomainError, match="不需要催办"):
        step("urge_supervision", s, actor=OFFICE)
    near = datetime(2026, 12, 8, 9, 0)
    s = step("urge_supervision", s, {"note": "请抓紧"}, actor=OFFICE, at=near)
    assert s["urged"] == ["2026-12-08"] and s["history"][-1]["overdue"] is False
    with pytest.raises(DomainError, match="已经催办过"):
        step("urge_supervision", s, actor=OFFICE, at=near)
    late = datetime(2026, 12, 11, 9, 0)
    s = step("urge_supervision", s, actor=OFFICE, at=late)
    assert s["history"][-1]["overdue"] is True and sv.step_text(s["history"][-1]).startswith("催办（已逾期）")
    reported = step("report_supervision", s, {"text": "办完"}, at=late)
    assert not sv.is_overdue(reported, date(2026, 12, 20))  # waits for the office, the unit owes nothing
    with pytest.raises(DomainError, match="不能催办"):
        step("urge_supervision", reported, actor=OFFICE, at=late)


def test_deadline_and_overdue_against_the_calendar():
    s = issued({**ARGS, "deadline": "2026-12-12"})  # a Saturday
    calendar = HolidayCalendar.load_official()
    assert sv.due_day(s, calendar) == date(2026, 12, 14)  # moves to Monday
    assert not sv.is_overdue(s, date(2026, 12, 14), calendar) and sv.is_overdue(s, date(2026, 12, 13))
    assert sv.is_overdue(s, date(2026, 12, 15), calendar)
    assert sv.days_left(s, date(2026, 12, 10), calendar) == 2 and sv.days_left(s, date(2026, 12, 10)) == 2


def test_withdraw_needs_a_reason_and_an_open_sheet():
    s = issued()
    with pytest.raises(DomainError, match="请填写撤销理由"):
        step("withdraw_supervision", s, actor=OFFICE)
    w = step("withdraw_supervision", s, {"reason": "事项已由会议另行安排"}, actor=OFFICE)
    assert w["status"] == "withdrawn"
    with pytest.raises(DomainError, match="已撤销"):
        step("withdraw_supervision", w, {"reason": "x"}, actor=OFFICE)
    with pytest.raises(DomainError, match="不认识的督办操作"):
        step("nothing", s)

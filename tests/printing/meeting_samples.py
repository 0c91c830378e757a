"""Sample meeting and supervision data for the printing tests and the benchmark's checks: a signed regular meeting
of 南桥镇 with its attendance taken, agenda, agreed items, issued 督办单 and two cases on the agenda, and a 督办通报."""
from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime

from fx_desktop.printing.meeting_data import (AgendaItem, AgreedItem, Attendee, MeetingPrint, Progress,
                                              SupervisionReport, SupervisionSheet, UnitTally)
from tests.printing.conftest import sample_dossier, with_

NUMBER = "〔2026〕第3期"
ATTENDEES = (
    Attendee("南桥镇人民政府", "副镇长", "周建华", "13900000001", "出席"),
    Attendee("南桥镇城市管理综合行政执法队", "队长", "张伟", "13900000002", "出席"),
    Attendee("南桥镇城市管理综合行政执法队", "法制员", "赵敏", "13900000003", "出席"),
    Attendee("区规划资源局", "科长", "李国强", "13900000004", "出席"),
    Attendee("区市场监管局", "副所长", "王秀英", "13900000005", "请假"),
    Attendee("区生态环境局", "科员", "陈志强", "13900000006", "列席"),
    Attendee("南桥派出所", "副所长", "孙浩", "13900000007", "出席"),
)
AGENDA = (
    AgendaItem(1, "解放东路100号违法建筑拆除的协调配合", "协调会商事项", presenter="南桥镇城市管理综合行政执法队"),
    AgendaItem(2, "江海路餐饮油烟扰民投诉的联合执法", "逾期未答复的移送", presenter="区市场监管局"),
    AgendaItem(3, "金海公路沿线渣土偷倒整治", "以往会议议定事项", carried_over_from="〔2026〕第2期",
               presenter="区生态环境局"),
)
AGREED = (
    AgreedItem(1, "由执法队牵头，于12月底前完成解放东路100号违法建筑的拆除，区规划资源局出具认定意见", "南桥镇城市管理综合行政执法队",
               ("区规划资源局",), date(2026, 12, 31), "办理中"),
    AgreedItem(2, "区市场监管局对江海路餐饮店油烟净化设施开展专项检查并书面反馈", "区市场监管局",
               ("南桥镇城市管理综合行政执法队", "区生态环境局"), date(2026, 12, 15), "待签收"),
    AgreedItem(3, "派出所配合开展金海公路夜间渣土偷倒联合巡查", "南桥派出所", (), date(2027, 1, 15)),
)


def sample_sheet(i: int = 1, **overrides) -> SupervisionSheet:
    values = dict(number=f"南桥督〔2026〕{10 + i}号", matter=AGREED[(i - 1) % 3].matter,
                  source=f"{NUMBER}纪要议定事项第{'一二三'[(i - 1) % 3]}项", deadline=AGREED[(i - 1) % 3].deadline,
                  responsible_unit=AGREED[(i - 1) % 3].lead_unit, leader="周建华", handler="张伟",
                  issued_by="南桥镇人民政府办公室", issued_on=date(2026, 11, 24), status="办理中",
                  progress=(Progress(date(2026, 11, 28), "已完成现场测量，规划认定意见已发函", "张伟"),),
                  extension="", urged=(date(2026, 12, 10),))
    values.update(overrides)
    return SupervisionSheet(**values)


def sample_meeting(**overrides) -> MeetingPrint:
    cases = (sample_dossier(), with_(sample_dossier(), number="奉南城管〔2026〕第00124号", cause="占道经营"))
    values = dict(
        number=NUMBER, kind="regular", title="南桥镇综合行政执法协调会议", organiser="南桥镇人民政府",
        mark="南桥镇综合行政执法协调会议纪要", starts_at=datetime(2026, 11, 20, 9, 30), place="镇政府三楼第一会议室",
        chair="周建华", minute_taker="赵敏", attendees=ATTENDEES, agenda=AGENDA,
        minutes_intro="2026年11月20日，周建华副镇长在镇政府三楼第一会议室主持召开南桥镇综合行政执法协调会议，"
                      "研究解放东路违法建筑拆除等三项协调事项。现将会议议定事项纪要如下。\n会议议定：",
        agreed=AGREED, minutes_status="已签发", minutes_version=2, signed_on=date(2026, 11, 23),
        notice_issued_on=date(2026, 11, 16), notice_body="请各单位分管负责同志准时参加，不得缺席。\n请于11月19日前报送参会人员名单。",
        contact="联系人：王芳，电话：57420000", supervision=tuple(sample_sheet(i) for i in (1, 2, 3)), cases=cases)
    values.update(overrides)
    return MeetingPrint(**values)


def unsigned(m: MeetingPrint | None = None) -> MeetingPrint:
    return replace(m or sample_meeting(), minutes_status="传阅中", signed_on=None)


def sample_report(**overrides) -> SupervisionReport:
    today = date(2026, 12, 20)
    units = (
        UnitTally("南桥镇城市管理综合行政执法队", (sample_sheet(1, status="已办结"), sample_sheet(4, deadline=date(2026, 12, 1)))),
        UnitTally("区市场监管局", (sample_sheet(2, deadline=date(2026, 12, 15), status="办理中"),)),
        UnitTally("南桥派出所", (sample_sheet(3, status="已反馈", deadline=date(2026, 12, 5)),)),
    )
    values = dict(number="南桥督通〔2026〕第4期", issued_by="南桥镇人民政府办公室", period_start=date(2026, 11, 1),
                  period_end=date(2026, 11, 30), today=today, units=units)
    values.update(overrides)
    return SupervisionReport(**values)

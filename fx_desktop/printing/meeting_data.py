"""What the meeting documents print (会议通知, 议程, 签到表, 纪要, 议定事项清单, 督办单, 督办通报), as plain data. The
services build it from the synced meeting and supervision records with organisation names already resolved, so
this module and the forms need neither the store nor Qt (DOMAIN.md section 6).

A value not known yet prints as a blank to fill in by hand: attendance not taken (`attendance` None) leaves the
sign-in sheet's marks empty; a meeting without an official number (`number` None or provisional) prints as a draft."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from ..domain.meeting import ATTENDANCE  # noqa: F401 - the order the 纪要 lists them in (GB/T 9704-2012 §10.3)
from ..domain.meeting import KINDS as MEETING_KINDS  # noqa: F401 - the kinds' names as printed
from .data import ReviewDossier


@dataclass(frozen=True)
class Attendee:
    unit: str  # the organisation's name as printed, e.g. "区规划资源局"
    title: str  # 职务
    name: str
    phone: str
    attendance: str | None = None  # one of ATTENDANCE, None before it is taken


@dataclass(frozen=True)
class AgendaItem:
    no: int
    title: str
    source: str  # where it comes from, in words: "协调会商事项", "逾期未答复的移送", "以往会议议定事项" ...
    carried_over_from: str | None = None  # the earlier meeting's number ("〔2026〕第3期") when carried over
    presenter: str = ""  # the unit or person who reports on it


@dataclass(frozen=True)
class AgreedItem:
    no: int  # 1-based, printed as 一、二、…
    matter: str
    lead_unit: str
    supporting_units: tuple[str, ...] = ()
    deadline: date | None = None
    status: str = "未启动"  # as printed: 未启动 / 待签收 / 办理中 / 已反馈 / 已办结 / 退回重办 …


@dataclass(frozen=True)
class Progress:
    on: date
    text: str
    by: str = ""  # unit or person


@dataclass(frozen=True)
class SupervisionSheet:
    """One 督办单: for an agreed item, a request or a referral."""

    number: str | None  # None or provisional: a draft
    matter: str
    source: str  # what it supervises, in words: "〔2026〕第3期纪要议定事项第一项", "南桥移〔2026〕3号移送"
    deadline: date | None
    responsible_unit: str
    leader: str  # 分管领导
    handler: str  # 承办人
    issued_by: str  # the supervising office's name
    issued_on: date | None = None
    status: str = "待签收"
    progress: tuple[Progress, ...] = ()
    extension: str = ""  # an extension asked or granted, in words ("申请延期至2026年12月31日，已同意")
    urged: tuple[date, ...] = ()  # days it was chased (催办)


@dataclass(frozen=True)
class MeetingPrint:
    """Everything the meeting pack prints."""

    number: str | None  # "〔2026〕第3期"; None or provisional: a draft
    kind: str  # a key of MEETING_KINDS
    title: str  # "南桥镇综合行政执法协调会议"
    organiser: str  # the convening organisation's name, "南桥镇人民政府"
    mark: str  # the 纪要's mark, "南桥镇综合行政执法协调会议纪要"
    starts_at: datetime | None
    place: str
    chair: str
    minute_taker: str
    attendees: tuple[Attendee, ...] = ()
    agenda: tuple[AgendaItem, ...] = ()
    minutes_intro: str = ""  # the body before the agreed items ("2026年11月20日，…召开…会议。会议议定：")
    agreed: tuple[AgreedItem, ...] = ()
    minutes_status: str = "草稿"  # 草稿 / 传阅中 / 已签发
    minutes_version: int = 1
    signed_on: date | None = None  # the day the minutes were signed off (printed as the 纪要's date)
    notice_issued_on: date | None = None
    notice_body: str = ""  # requirements for attending, as typed; the forms add time, place and attendees
    contact: str = ""  # "联系人：王芳，电话：57420000"
    supervision: tuple[SupervisionSheet, ...] = ()  # one per agreed item, in the items' order
    cases: tuple[ReviewDossier, ...] = field(default=())  # the case briefing sheets of the cases on the agenda


@dataclass(frozen=True)
class UnitTally:
    """One unit's line of a 督办通报."""

    unit: str
    sheets: tuple[SupervisionSheet, ...]  # every sheet of the period the unit is responsible for

    @property
    def done(self) -> int:
        return sum(1 for s in self.sheets if s.status == "已办结")


@dataclass(frozen=True)
class SupervisionReport:
    """督办通报: the period's supervision sheets by responsible unit, overdue ones named."""

    number: str | None
    issued_by: str
    period_start: date
    period_end: date
    today: date  # what "overdue" is measured against
    units: tuple[UnitTally, ...]

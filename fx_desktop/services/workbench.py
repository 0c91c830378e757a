"""The workbench (工作台): what is the user's to act on, for their organisation and role, each with the day it falls
due, sorted by what falls due first.

Each record kind contributes its items through one entry of SOURCES: a label and, per role, a provider that reads
the store and returns the kind's items for that user. A later kind (police assistance, meetings) adds an entry
here; nothing else changes. Providers read at most `limit` items but count them all, so the counts stay true on a
register of 100,000 cases."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Callable

from sqlalchemy import text
from sqlalchemy.orm import Session

from ..domain import referral as rf
from ..domain.deadlines import service_deadline
from ..domain.legal_review import ReviewStatus
from ..domain.meeting import DONE_ITEM_STATUS, ITEM_STATUS
from ..domain.lifecycle import CaseStatus
from ..domain.roles import Role
from ..domain.workdays import HolidayCalendar
from ..store import Store
from ..store.case_queries import OPEN_BEFORE_DECISION
from . import legal_review, police_requests, referrals
from .calendar import current_calendar
from .profile import Profile

LIMIT = 100  # items read per query of a provider (the first screen shows ~20); the counts cover all of them
# Cases whose decision clock is the squad's to watch: one in legal review waits for the reviewer, and once answered
# it is on the list through its round
DECISION_CLOCK = tuple(s for s in OPEN_BEFORE_DECISION if s != str(CaseStatus.LEGAL_REVIEW))


@dataclass(frozen=True)
class WorkItem:
    """One thing to do. `kind` is the record kind opened for it (its page), `record_id` that record; `due` the day
    its clock falls due (None: no clock), counted in working days when `working_days` (reviews, referrals) else in
    calendar days (the 90-day decision limit). `left`: days left (0 on the day itself), negative once overdue."""

    kind: str
    task: str
    record_id: str
    case_id: str | None
    number: str
    title: str
    due: date | None = None
    left: int | None = None
    working_days: bool = False

    @property
    def overdue(self) -> bool:
        return self.left is not None and self.left < 0

    @property
    def key(self) -> tuple[str, str, str]:
        """Which row this is, across reloads (a record may be on the list for two tasks)."""
        return self.kind, self.record_id, self.task


@dataclass(frozen=True)
class Found:
    items: list[WorkItem]
    total: int
    overdue: int


@dataclass(frozen=True)
class KindCount:
    kind: str
    label: str
    total: int
    overdue: int


@dataclass(frozen=True)
class Workbench:
    items: list[WorkItem]
    counts: list[KindCount]
    served: bool  # some kind has a provider for this role (else the role has nothing here yet)

    @property
    def total(self) -> int:
        return sum(c.total for c in self.counts)

    @property
    def shown_all(self) -> bool:
        return len(self.items) >= self.total


@dataclass(frozen=True)
class Context:
    store: Store
    session: Session
    profile: Profile
    today: date
    calendar: HolidayCalendar
    limit: int = LIMIT
    _days: dict = field(default_factory=dict, compare=False, repr=False)  # working days left, by day (many share one)

    def working_left(self, due: date) -> int:
        """Working days left until `due`: 0 on the day, negative (at least -1) once it has passed."""
        left = self._days.get(due)
        if left is None:
            left = self.calendar.working_days_between(self.today, due)
            left = self._days[due] = min(left, -1) if self.today > due else left
        return left

    def calendar_left(self, due: date) -> int:
        return (due - self.today).days


Provider = Callable[[Context], Found]


@dataclass(frozen=True)
class Source:
    """A record kind's contribution: its label for the counts, a provider for each role it serves, and its icon
    (a key of views/icons.py NAMES, drawn beside each item's task)."""

    label: str
    by_role: dict[Role, Provider] = field(default_factory=dict)
    icon: str = ""


def _found(items: list[WorkItem], total: int | None = None, overdue: int | None = None) -> Found:
    return Found(items, len(items) if total is None else total,
                 sum(i.overdue for i in items) if overdue is None else overdue)


def _title(party: str | None, cause: str | None) -> str:
    return " · ".join(p for p in (party, cause) if p)


# --- cases: the decision and service clocks ---------------------------------------------------------------------

def _case_scope(ctx: Context, officer_only: bool) -> tuple[str, dict]:
    if officer_only:  # the officer's own cases: they are named on them
        return ("c.town_code = :town AND c.id IN (SELECT case_id FROM case_officers WHERE name = :me)",
                {"town": ctx.profile.town_code or "", "me": ctx.profile.name})
    return "c.town_code = :town", {"town": ctx.profile.town_code or ""}


# A case the reviewer sent back is listed through its round (what to revise), not twice. Named by row id, which
# every index holds: the counts below read ix_cases_clocks alone (store migration 0012), no case row
_RETURNED_BY_REVIEW = (f"(c.status = '{CaseStatus.INVESTIGATION_CLOSED}' AND c.row_id IN (SELECT c2.row_id "
                       "FROM legal_reviews r JOIN cases c2 ON c2.id = r.case_id "
                       f"WHERE r.status = '{ReviewStatus.RETURNED}'))")
_COLUMNS = "c.id, c.number, c.party_name, c.cause"


def _rows(ctx: Context, where: str, params: dict, *, day: str | None = None) -> list:
    """The first `limit` cases matching `where`, as (id, number, party, cause[, day]), by the column `day` (then
    in the order they were registered)."""
    select = f"{_COLUMNS}, {day}" if day else _COLUMNS
    order = f"{day}, c.row_id" if day else "c.row_id"
    # the first `limit` picked from the index (ix_cases_clocks holds the clocks and the row id), then their rows:
    # not every matching case row read to be sorted
    return list(ctx.session.connection().execute(text(
        f"SELECT {select} FROM cases c WHERE c.row_id IN (SELECT c.row_id FROM cases c WHERE {where} "
        f"ORDER BY {order} LIMIT :limit) ORDER BY {order}"), {**params, "limit": ctx.limit}))


def _served_late_until(ctx: Context) -> date:
    """The last decision day whose 7 working days to serve it have passed by today (deadlines grow with the day
    decided, so a decision is late to serve exactly when it was made on this day or before)."""
    day = ctx.today - timedelta(days=1)
    while service_deadline(day, calendar=ctx.calendar) >= ctx.today:
        day -= timedelta(days=1)
    return day


def _case_clocks(ctx: Context, officer_only: bool) -> Found:
    """Open cases before their decision (90 days from filing, calendar days), decided cases until they are
    served (7 working days), and, for the squad leader, clues waiting to be filed or not (no clock)."""
    scope, params = _case_scope(ctx, officer_only)
    conn = ctx.session.connection()
    statuses = ", ".join(f"'{s}'" for s in DECISION_CLOCK)
    decide = f"{scope} AND c.status IN ({statuses}) AND c.decision_due IS NOT NULL AND NOT {_RETURNED_BY_REVIEW}"
    total, late = conn.execute(text(
        f"SELECT count(*), coalesce(sum(c.decision_due < :today), 0) FROM cases c WHERE {decide}"),
        {**params, "today": ctx.today.isoformat()}).one()
    items = []
    for cid, number, party, cause, due in _rows(ctx, decide, params, day="c.decision_due"):
        due = date.fromisoformat(due)
        items.append(WorkItem("case", "作出处罚决定", cid, cid, number, _title(party, cause), due,
                              ctx.calendar_left(due)))
    serve = f"{scope} AND c.status = '{CaseStatus.DECIDED}' AND c.decided_on IS NOT NULL"
    more, more_late = conn.execute(text(
        f"SELECT count(*), coalesce(sum(c.decided_on <= :late), 0) FROM cases c WHERE {serve}"),
        {**params, "late": _served_late_until(ctx).isoformat()}).one()
    total, late = total + more, late + more_late
    deadlines: dict[str, date] = {}  # by the day decided: many cases share one
    for cid, number, party, cause, decided in _rows(ctx, serve, params, day="c.decided_on"):
        due = deadlines.get(decided) or deadlines.setdefault(
            decided, service_deadline(date.fromisoformat(decided), calendar=ctx.calendar))
        items.append(WorkItem("case", "送达处罚决定书", cid, cid, number, _title(party, cause), due,
                              ctx.working_left(due), True))
    if not officer_only:
        clues = f"{scope} AND c.status = '{CaseStatus.CLUE}'"
        total += conn.execute(text(f"SELECT count(*) FROM cases c WHERE {clues}"), params).scalar_one()
        items += [WorkItem("case", "审批立案", r[0], r[0], r[1], _title(r[2], r[3]))
                  for r in _rows(ctx, clues, params)]
    return _found(items, total, late)


def _clues_routed(ctx: Context) -> Found:
    """For the bureau's dispatcher (who sees every town): clues still waiting for their town to file them or not
    (no clock: the town decides when it has checked the clue; the first `limit` read are the longest-waiting)."""
    where, params = f"c.status = '{CaseStatus.CLUE}'", {}
    total = ctx.session.connection().execute(text(f"SELECT count(*) FROM cases c WHERE {where}")).scalar_one()
    return _found([WorkItem("case", "跟进线索立案", r[0], r[0], r[1], _title(r[2], r[3]))
                   for r in _rows(ctx, where, params, day="c.opened_on")], total, 0)


# --- legal review rounds ------------------------------------------------------------------------------------------

def _rounds_waiting(ctx: Context) -> Found:
    """The reviewer's queue: the town's pending rounds by their deadline (services.legal_review.queue)."""
    queue = legal_review.queue(ctx.store, ctx.profile, today=ctx.today, pending_only=True, limit=ctx.limit)
    return _found([WorkItem("legal_review", f"审核第 {q.review.round_no} 次送审", q.review.id, q.review.case_id,
                            q.case_number, _title(q.party_name, q.cause), q.review.due_on, q.working_days_left, True)
                   for q in queue])


# The last round's outcome -> what the squad does now, given the case's status then
_ANSWERED = {
    (str(ReviewStatus.AGREED), str(CaseStatus.LEGAL_REVIEW)): "审核通过，作出决定",
    (str(ReviewStatus.DISAGREED), str(CaseStatus.LEGAL_REVIEW)): "审核不同意，提请集体讨论或撤回",
    (str(ReviewStatus.RETURNED), str(CaseStatus.INVESTIGATION_CLOSED)): "审核退回，修改后再报",
}


def _last_rounds(ctx: Context, statuses: tuple[str, ...], *, officer_only: bool = False) -> list[tuple]:
    """(round id, case id, number, party, cause, decision due, round status, case status) of the town's cases
    (the officer's own) whose last round was answered and whose case is still where the answer left it."""
    case_statuses = sorted({c for _r, c in _ANSWERED})
    scope, params = _case_scope(ctx, officer_only)
    # From the town's cases where an answer leaves them (ix_cases_clocks: town, status), each one's rounds by
    # case: a town's rounds are its history (every decided case had one), its cases waiting on an answer are few
    rows = ctx.session.connection().execute(text(
        "SELECT r.id, c.id, c.number, c.party_name, c.cause, c.decision_due, r.status, c.status "
        "FROM cases c CROSS JOIN legal_reviews r ON r.case_id = c.id "
        f"WHERE {scope} AND r.status IN ({', '.join(repr(s) for s in statuses)}) "
        f"AND c.status IN ({', '.join(repr(s) for s in case_statuses)}) "
        "AND r.round_no = (SELECT max(round_no) FROM legal_reviews WHERE case_id = r.case_id)"), params)
    return [r for r in rows if (r[6], r[7]) in _ANSWERED]


def _round_item(ctx: Context, row: tuple, task: str) -> WorkItem:
    due = date.fromisoformat(row[5]) if row[5] else None
    return WorkItem("legal_review", task, row[0], row[1], row[2], _title(row[3], row[4]), due,
                    ctx.calendar_left(due) if due else None)


def _rounds_answered(ctx: Context) -> Found:
    """For the squad leader: rounds answered whose case waits for the squad (decide, discuss, revise)."""
    rows = _last_rounds(ctx, (str(ReviewStatus.AGREED), str(ReviewStatus.DISAGREED), str(ReviewStatus.RETURNED)))
    return _found([_round_item(ctx, r, _ANSWERED[(r[6], r[7])]) for r in rows])


def _rounds_returned(ctx: Context) -> Found:
    """For an officer: their cases the reviewer sent back to be revised and submitted again."""
    rows = _last_rounds(ctx, (str(ReviewStatus.RETURNED),), officer_only=True)
    return _found([_round_item(ctx, r, _ANSWERED[(r[6], r[7])]) for r in rows])


def _opinions_to_print(ctx: Context) -> Found:
    """For office staff: the opinion (法制审核意见书) of a round answered, while its case waits for the decision."""
    rows = _last_rounds(ctx, (str(ReviewStatus.AGREED), str(ReviewStatus.DISAGREED)))
    return _found([_round_item(ctx, r, "打印法制审核意见书") for r in rows])


# --- referrals ----------------------------------------------------------------------------------------------------

_RECEIVER_TASKS = {rf.ReferralStatus.SUBMITTED: "签收移送", rf.ReferralStatus.RECEIVED: "受理或退回",
                   rf.ReferralStatus.ACCEPTED: "反馈处理结果"}
_SENDER_TASKS = {rf.ReferralStatus.SUBMITTED: "催办签收", rf.ReferralStatus.RECEIVED: "跟进受理",
                 rf.ReferralStatus.ACCEPTED: "跟进处理结果"}


def _referral_items(ctx: Context, tasks: dict[rf.ReferralStatus, str], *, only_late: bool = False) -> Found:
    """The organisation's referrals (a town: sent; a department: received) in the statuses of `tasks`, by their
    running clock: counted from the index of store migration 0018 (organisation, status, clock), the first `limit`
    read. Late: the clock's day has passed (working days end on it)."""
    from ..domain import organisations as orgs

    org = referrals.actor_org(ctx.session, ctx.profile)
    kind = getattr(ctx.profile, "org_kind", None)
    if kind is None:  # a user of before organisations: its kind from the directory
        found = referrals.directory_in(ctx.session).get(org)
        kind = found.kind if found else None
    column = "owner_org" if kind == orgs.OrgKind.TOWN else "receiving_org"
    where = f"status IN ({', '.join(repr(str(s)) for s in tasks)})"
    if kind is None or not orgs.sees_all(kind):
        where = f"{column} = :org AND {where}"
    if only_late:
        where += " AND next_due < :today"
    params = {"org": org or "", "today": ctx.today.isoformat()}
    conn = ctx.session.connection()
    total, late = conn.execute(text(f"SELECT count(*), coalesce(sum(next_due < :today), 0) FROM referrals "
                                    f"WHERE {where}"), params).one()
    order = "ORDER BY next_due IS NULL, next_due"  # from the index alone: the workbench sorts its items again
    rows = conn.execute(text(  # the first `limit` found by the index, then their rows (no JSON but two fields)
        "SELECT id, case_id, number, status, next_due, json_extract(data, '$.case_snapshot.party_name'), "
        "json_extract(data, '$.case_snapshot.cause') FROM referrals WHERE rowid IN (SELECT rowid FROM referrals "
        f"WHERE {where} {order} LIMIT :limit) {order}"), {**params, "limit": ctx.limit}).all()
    items = []
    for record_id, case_id, number, status, next_due, party, cause in rows:
        due = date.fromisoformat(next_due) if next_due else None
        left = ctx.working_left(due) if due else None
        items.append(WorkItem("referral", tasks[rf.ReferralStatus(status)], record_id, case_id, number,
                              _title(party, cause), due, left, True))
    return _found(items, total, late)


def _inbox(ctx: Context) -> Found:
    """A department's referrals received: sign, accept or return, report the result."""
    return _referral_items(ctx, _RECEIVER_TASKS)


def _sent(ctx: Context) -> Found:
    """The squad's referrals whose department is late to sign or to report back: time to chase them."""
    return _referral_items(ctx, _SENDER_TASKS, only_late=True)


def _letters_to_print(ctx: Context) -> Found:
    """For office staff: a referral submitted goes to the department with its letter, list of items and receipt."""
    return _referral_items(ctx, {rf.ReferralStatus.SUBMITTED: "打印移送函、物品清单和回执"})


# --- police assistance requests -----------------------------------------------------------------------------------

_POLICE_TASKS = {"sent": "接警确认", "acknowledged": "登记民警到场", "arrived": "登记处置结果"}


def _police_item(r, task: str) -> WorkItem:
    """No legal clock runs on a police request: the item has no due day (listed after those that have one)."""
    snap = r.data.get("case_snapshot") or {}
    return WorkItem("police_request", task, r.id, r.case_id, r.number or "（草稿）",
                    _title(r.party or snap.get("party_name"), f"{r.situation_label} · {r.data.get('place') or ''}"))


def _police_inbox(ctx: Context) -> Found:
    """A police liaison's requests addressed to the station: acknowledge, record arrival, record the outcome."""
    records, total = police_requests.open_for_station(ctx.store, ctx.profile, limit=ctx.limit)
    return _found([_police_item(r, _POLICE_TASKS[str(r.status)]) for r in records], total, 0)


def _police_squad(ctx: Context) -> Found:
    """The squad leader's requests to act on: drafts to file, joint operations to approve, emergency requests
    still to complete (补录). Read as police_requests.squad_open reads them, in the workbench's session and as the
    plain rows it needs (no organisation names, no sync marks)."""
    import json

    from ..domain import police_request as pr

    org = referrals.actor_org(ctx.session, ctx.profile) or ""
    ids, total = police_requests.squad_open_ids(ctx.session, org, ctx.limit)
    found = {r[0]: r for r in ctx.session.connection().execute(text(
        "SELECT id, case_id, number, status, situation, data FROM police_requests WHERE id IN "
        f"({', '.join(f':i{n}' for n in range(len(ids)))})"), {f"i{n}": i for n, i in enumerate(ids)})} if ids else {}
    tasks = {"draft": "提请或撤回草稿", "awaiting_approval": "审批专项协作"}
    items = []
    for record_id in ids:
        _id, case_id, number, status, situation, raw = found[record_id]
        state = json.loads(raw) if isinstance(raw, str) else (raw or {})
        snap = state.get("case_snapshot") or {}
        task = tasks.get(status) or "补录：" + "、".join(
            (pr.still_to_complete(state) if status != str(pr.RequestStatus.WITHDRAWN) else [])[:3])
        where = f"{pr.Situation(situation).label} · {state.get('place') or ''}"
        items.append(WorkItem("police_request", task, record_id, case_id, number or "（草稿）",
                              _title(state.get("party") or snap.get("party_name"), where)))
    return _found(items, total, 0)


# --- criminal referrals (涉嫌犯罪案件移送): each side's steps with their clocks -------------------------------------

_CRIME_SQUAD_TASKS = {"reported": "负责人审批移送报告", "approved": "移送公安机关（24小时内）",
                      "filed": "移交涉案物品和材料", "not_filed": "可提请复议（3日内）", "upheld": "可提请立案监督（3日内）"}
_CRIME_CHASE_TASKS = {"sent": "催办：公安机关回执超时", "passed_on": "催办：主管机关回执超时",
                      "received": "催办：立案决定超期", "reconsidering": "催办：复议决定超期"}
_CRIME_POLICE_TASKS = {"sent": "签收回执（24小时内）", "passed_on": "签收回执（24小时内）",
                       "received": "作出立案决定（3日内）", "reconsidering": "作出复议决定（3日内）",
                       "filed": "接收移交的涉案物品和材料"}
_CRIME_WINDOWS = ("not_filed", "upheld")  # the squad may use them, nothing is late when it does not


def _crime_items(ctx: Context, column: str, tasks: dict[str, str], *, late_only: bool = False) -> Found:
    """The criminal referrals of the user's organisation (`column`: owner_org or receiving_org) in the statuses of
    `tasks`, by the end of their running clock; a window passed is no longer listed, a duty passed is overdue."""
    now = datetime.combine(ctx.today, datetime.now().time())
    statuses = ", ".join(f"'{s}'" for s in tasks)
    where = (f"{column} = :org AND status IN ({statuses}) AND NOT (status IN ('not_filed', 'upheld') "
             "AND due_at < :now)" + (" AND due_at < :now" if late_only else ""))
    params = {"org": ctx.profile.org_code or "", "now": now.isoformat(sep=" ")}
    conn = ctx.session.connection()
    total, overdue = conn.execute(text(
        f"SELECT count(*), coalesce(sum(due_at < :now AND status NOT IN ('not_filed', 'upheld')), 0) "
        f"FROM criminal_referrals WHERE {where}"), params).one()
    rows = conn.execute(text(  # the first `limit` found by the index (store migration 0018), then their rows
        f"SELECT id, case_id, number, status, due_at, json_extract(data, '$.case_snapshot.party_name'), "
        f"json_extract(data, '$.case_snapshot.cause') FROM criminal_referrals WHERE rowid IN (SELECT rowid FROM "
        f"criminal_referrals WHERE {where} ORDER BY due_at IS NULL, due_at LIMIT :limit) "
        f"ORDER BY due_at IS NULL, due_at"), {**params, "limit": ctx.limit}).all()
    items = []
    for record_id, case_id, number, status, due_at, party, cause in rows:
        due = datetime.fromisoformat(str(due_at)) if due_at else None
        left = None if due is None else (-1 if due < now and status not in _CRIME_WINDOWS
                                         else max(ctx.calendar_left(due.date()), 0))
        items.append(WorkItem("criminal_referral", tasks[status], record_id, case_id, number, _title(party, cause),
                              due.date() if due else None, left))
    return _found(items, total, overdue)


def _crime_squad(ctx: Context) -> Found:
    """The squad leader: the town's own steps, and the police's steps that are late (to chase them)."""
    mine = _crime_items(ctx, "owner_org", _CRIME_SQUAD_TASKS)
    late = _crime_items(ctx, "owner_org", _CRIME_CHASE_TASKS, late_only=True)
    return Found(mine.items + late.items, mine.total + late.total, mine.overdue + late.overdue)


def _crime_police(ctx: Context) -> Found:
    """The police liaison: the referrals addressed to the organisation, with their 24-hour and 3-day clocks."""
    return _crime_items(ctx, "receiving_org", _CRIME_POLICE_TASKS)


# --- meetings (会商): meetings to prepare, minutes to sign off or comment on, agreed items by their deadlines ----

# The meetings that may give someone an item (a superset of what _meeting_items lists, which decides): in
# preparation, minutes not signed (drafted, circulating, amended: an earlier signed version's items count), or
# signed minutes with an agreed item still open (one of the open statuses in the items' JSON, as SQLite writes it
# out). The partial index ix_meetings_open_work of store migration 0018 holds exactly these (its condition is this
# text: keep both the same, a test checks the plan), so the years of meetings held and done are not read at all.
MAY_GIVE_WORK = (
    "(status IN ('draft', 'notified') OR json_extract(data, '$.minutes.status') IS NOT 'signed' OR "
    + " OR ".join(f"instr(json_extract(data, '$.minutes.items'), '\"status\":\"{s}\"') > 0"
                  for s in ITEM_STATUS if s not in DONE_ITEM_STATUS) + ")")


# ... and of those, the ones that may give this organisation one (SQLite's JSON functions decide, so that Python
# parses only the meetings it lists): its own in preparation, minutes circulating or amended, an agreed item it
# leads still open
_MAY_GIVE_ORG_WORK = (
    "((owner_org = :org AND status IN ('draft', 'notified')) "
    "OR json_extract(data, '$.minutes.status') = 'circulated' OR json_array_length(data, '$.minutes.previous') > 0 "
    "OR EXISTS (SELECT 1 FROM json_each(data, '$.minutes.items') i WHERE json_extract(i.value, '$.lead_org') = :org "
    f"AND json_extract(i.value, '$.status') NOT IN ({', '.join(repr(s) for s in DONE_ITEM_STATUS)})))")


# ... and, whatever their minutes say, those with an agreed item followed up by a sheet still open (a sheet decides
# its item's status where agreed items are linked to their sheets), when the organisation leads one of their items
# (or the minutes were amended): few, read by ix_supervisions_source_status
_FOLLOWED_UP = ("id IN (SELECT source_id FROM supervisions WHERE source_kind = 'meeting' "
                "AND status NOT IN ('closed', 'withdrawn')) AND (json_array_length(data, '$.minutes.previous') > 0 "
                "OR EXISTS (SELECT 1 FROM json_each(data, '$.minutes.items') i "
                "WHERE json_extract(i.value, '$.lead_org') = :org))")


def _meeting_rows(ctx: Context) -> list[tuple]:
    org = ctx.profile.org_code or ""
    scope = "(owner_org = :org OR party_orgs LIKE '%,' || :org || ',%') AND status != 'cancelled'"
    columns = "id, owner_org, number, title, starts_at, status, data"
    return ctx.session.connection().execute(text(
        f"SELECT {columns} FROM meetings WHERE {scope} AND {MAY_GIVE_WORK} AND {_MAY_GIVE_ORG_WORK} UNION "
        f"SELECT {columns} FROM meetings WHERE {scope} AND {_FOLLOWED_UP} ORDER BY starts_at"), {"org": org}).all()


def _meeting_items(ctx: Context, *, convener: bool) -> Found:
    """A convener (office staff, squad leader, the bureau): meetings to prepare until they are held (due the
    meeting's day), minutes circulated to sign off; every party: circulated minutes it has not commented on (a
    department), the open agreed items its organisation leads, by their deadline."""
    import json

    from ..domain import meeting as mt

    from .agreed_items import follow_ups, linked

    org = ctx.profile.org_code or ""
    items: list[WorkItem] = []
    rows = _meeting_rows(ctx)
    sheets = follow_ups(ctx.session, [r[0] for r in rows])  # an item whose sheet is closed is done
    for meeting_id, owner, number, title, starts_at, status, raw in rows:
        state = linked(meeting_id, json.loads(raw) if isinstance(raw, str) else (raw or {}), sheets)
        minutes = state.get("minutes") or {}
        mine = owner == org
        day = date.fromisoformat(starts_at[:10]) if starts_at else None
        if convener and mine and status in ("draft", "notified"):
            task = "筹备会议：确定议程、发出通知" if status == "draft" else "召开会议：登记出席、编写纪要"
            items.append(WorkItem("meeting", task, meeting_id, None, number, title, day,
                                  ctx.calendar_left(day) if day else None))
        if convener and mine and minutes.get("status") == "circulated":
            items.append(WorkItem("meeting", "签发会议纪要", meeting_id, None, number, title))
        if not mine and minutes.get("status") == "circulated" and not any(
                c.get("org") == org and c.get("version") == minutes.get("version")
                for c in minutes.get("comments") or []):
            items.append(WorkItem("meeting", "传阅纪要：提出意见", meeting_id, None, number, title))
        for item in mt.agreed_open(state):
            if item.get("lead_org") == org:
                due = date.fromisoformat(item["deadline"]) if item.get("deadline") else None
                follow = f"（督办{item['status']}）" if item.get("supervision") else ""  # the sheet's status
                task = f"落实议定事项第{item['no']}项{follow}：{item['matter'][:30]}"
                items.append(WorkItem("meeting", task, meeting_id,
                                      None, number, title, due, ctx.calendar_left(due) if due else None))
    items.sort(key=lambda i: (i.due is None, i.due or date.max))
    return _found(items[:ctx.limit], len(items), sum(i.overdue for i in items))


def _meetings_convener(ctx: Context) -> Found:
    return _meeting_items(ctx, convener=True)


def _meetings_party(ctx: Context) -> Found:
    return _meeting_items(ctx, convener=False)


# --- supervision sheets (督办单): the responsible unit's and the supervising office's steps, by the deadline ---------

_SHEET_UNIT_TASKS = {"issued": "签收督办单", "in_progress": "按时限反馈办理情况", "sent_back": "退回重办：重新反馈"}
_SHEET_OFFICE_TASKS = {"reported": "审核反馈：办结或退回重办", "extension_asked": "审批延期申请"}
_SHEET_CHASE = ("issued", "in_progress", "sent_back")  # overdue: the office chases them (催办)


def _late_deadline(ctx: Context) -> str:
    """The last deadline that has passed by today: a deadline on a day off falls on the next working day, so a
    sheet is late exactly when its deadline is this day or before (the day moves forward with the deadline)."""
    day = ctx.today - timedelta(days=1)
    while ctx.calendar.first_working_day_from(day) >= ctx.today:
        day -= timedelta(days=1)
    return day.isoformat()


def _sheet_items(ctx: Context, column: str, tasks: dict[str, str], *, late_only: bool = False,
                 limit: int | None = None) -> Found:
    """The sheets of the user's organisation (`column`: owner_org or responsible_org) in the statuses of `tasks`,
    by their deadline (a deadline on a day off falls on the next working day): counted from the index
    (organisation, deadline, status), the first `limit` read."""
    statuses = ", ".join(f"'{s}'" for s in tasks)
    where = f"{column} = :org AND status IN ({statuses})"
    params = {"org": ctx.profile.org_code or "", "late": _late_deadline(ctx)}
    if late_only:
        where += " AND deadline <= :late"
    office = ", ".join(f"'{s}'" for s in _SHEET_OFFICE_TASKS)  # the office's own check runs on no clock
    conn = ctx.session.connection()
    total, late = conn.execute(text(
        f"SELECT count(*), coalesce(sum(deadline <= :late AND status NOT IN ({office})), 0) FROM supervisions "
        f"WHERE {where}"), params).one()
    order = f"ORDER BY status IN ({office}), deadline"
    rows = conn.execute(text(  # the first `limit` found by the index, then their rows
        f"SELECT id, number, status, deadline, matter FROM supervisions WHERE rowid IN (SELECT rowid FROM "
        f"supervisions WHERE {where} {order} LIMIT :limit) {order}"),
        {**params, "limit": ctx.limit if limit is None else limit}).all()
    items = []
    for record_id, number, status, deadline, matter in rows:
        if status in _SHEET_OFFICE_TASKS:  # listed after those that have a clock
            items.append(WorkItem("supervision", tasks[status], record_id, None, number, _title(matter, "")))
            continue
        due = ctx.calendar.first_working_day_from(date.fromisoformat(deadline))
        items.append(WorkItem("supervision", tasks[status], record_id, None, number, _title(matter, ""), due,
                              ctx.working_left(due), working_days=True))
    return _found(items, total, late)


def _sheets_unit(ctx: Context) -> Found:
    """The responsible unit (a department's or the police's liaison, a town's own staff): sign, report by the
    deadline, report again when sent back."""
    return _sheet_items(ctx, "responsible_org", _SHEET_UNIT_TASKS)


def _sheets_office(ctx: Context) -> Found:
    """The supervising office: reports to check, extensions to decide, overdue sheets to chase; and, a town's own
    squad being a responsible unit too, its own sheets."""
    found: list[Found] = []
    room = ctx.limit  # the first `limit` items in this order: each part reads only what is still shown
    for column, tasks, late_only in (("owner_org", _SHEET_OFFICE_TASKS, False),
                                     ("owner_org", {s: "催办：逾期未办结" for s in _SHEET_CHASE}, True),
                                     ("responsible_org", _SHEET_UNIT_TASKS, False)):
        found.append(_sheet_items(ctx, column, tasks, late_only=late_only, limit=room))
        room -= len(found[-1].items)
    return Found([i for f in found for i in f.items][:ctx.limit], sum(f.total for f in found),
                 sum(f.overdue for f in found))


# --- the roster (人员与执法证): certificates expiring or expired --------------------------------------------------

def _certificates(ctx: Context) -> Found:
    """Office staff and the squad leader: the town's officers whose enforcement certificate expires within the
    warning days (60 by default) or has expired (overdue: such an officer cannot file a case), soonest first."""
    from . import roster

    if not ctx.profile.in_town:
        return _found([], 0, 0)
    rows, total = roster.expiring(ctx.session, "owner_org = :org", {"org": ctx.profile.town_code}, ctx.today,
                                  ctx.limit)
    items = []
    for entry_id, name, cert_no, expires_on in rows:
        due = date.fromisoformat(str(expires_on)[:10])
        left = ctx.calendar_left(due)
        task = "执法证已过期：换证或停用" if left < 0 else "执法证即将到期：办理换证"
        items.append(WorkItem("roster_entry", task, entry_id, None, cert_no, name, due, left))
    overdue = ctx.session.connection().execute(text(
        "SELECT count(*) FROM roster_entries WHERE owner_org = :org AND active = 1 AND expires_on < :today"),
        {"org": ctx.profile.town_code, "today": ctx.today.isoformat()}).scalar()
    return _found(items, total, overdue)


SOURCES: dict[str, Source] = {
    "case": Source("案件", {Role.SQUAD_LEADER: lambda ctx: _case_clocks(ctx, officer_only=False),
                          Role.OFFICER: lambda ctx: _case_clocks(ctx, officer_only=True),
                          Role.BUREAU_DISPATCHER: _clues_routed}, icon="case_register"),
    "legal_review": Source("法制审核", {Role.LEGAL_REVIEWER: _rounds_waiting, Role.SQUAD_LEADER: _rounds_answered,
                                    Role.OFFICER: _rounds_returned, Role.OFFICE_STAFF: _opinions_to_print},
                          icon="legal_review"),
    "referral": Source("移送", {Role.DEPARTMENT_LIAISON: _inbox, Role.SQUAD_LEADER: _sent,
                              Role.OFFICE_STAFF: _letters_to_print}, icon="referrals"),
    "police_request": Source("公安协助", {Role.POLICE_LIAISON: _police_inbox, Role.SQUAD_LEADER: _police_squad,
                                      Role.BUREAU_DISPATCHER: _police_squad}, icon="police_requests"),
    "criminal_referral": Source("刑事移送", {Role.SQUAD_LEADER: _crime_squad, Role.POLICE_LIAISON: _crime_police},
                                icon="criminal_referrals"),
    "meeting": Source("会议", {Role.OFFICE_STAFF: _meetings_convener, Role.SQUAD_LEADER: _meetings_convener,
                             Role.BUREAU_DISPATCHER: _meetings_convener, Role.DEPARTMENT_LIAISON: _meetings_party,
                             Role.OFFICER: _meetings_party}, icon="meetings"),
    "supervision": Source("督办", {Role.OFFICE_STAFF: _sheets_office, Role.SQUAD_LEADER: _sheets_office,
                                 Role.BUREAU_DISPATCHER: _sheets_office, Role.OFFICER: _sheets_unit,
                                 Role.DEPARTMENT_LIAISON: _sheets_unit, Role.POLICE_LIAISON: _sheets_unit},
                          icon="supervision"),
    "roster_entry": Source("执法证", {Role.OFFICE_STAFF: _certificates, Role.SQUAD_LEADER: _certificates},
                           icon="roster"),
}


def _order(item: WorkItem) -> tuple:
    return item.due is None, item.due or date.max, item.number, item.task


def load(store: Store, profile: Profile, *, today: date | None = None, limit: int = LIMIT,
         sources: dict[str, Source] | None = None) -> Workbench:
    """The user's workbench: every source's items for the role, by due day (those without a clock last)."""
    today = today or date.today()
    items: list[WorkItem] = []
    counts: list[KindCount] = []
    served = False
    with store.sessions() as session:
        ctx = Context(store, session, profile, today, current_calendar(session), limit)
        for kind, source in (sources or SOURCES).items():
            provider = source.by_role.get(profile.role)
            if provider is None:
                continue
            served = True
            found = provider(ctx)
            items += found.items
            counts.append(KindCount(kind, source.label, found.total, found.overdue))
    items.sort(key=_order)
    return Workbench(items, counts, served)

"""Case lifecycle (DOMAIN.md section 3) as an explicit state machine.

Main path::

    clue -> filed -> investigating -> investigation_closed -> notified
         -> [legal_review] -> [collective_discussion] -> decided -> served -> executing -> closed

Transitions (officers = officer or squad_leader; leader = squad_leader; reviewer =
legal_reviewer; ``a .. b`` = every status from a to b in declaration order)::

    action                from                               to                     roles
    file                  clue                               filed                  leader
    not_file              clue                               not_filed              leader
    start_investigation   filed                              investigating          officers
    close_investigation   investigating                      investigation_closed   officers
    reopen_investigation  investigation_closed, notified     investigating          officers
    notify                investigation_closed               notified               officers
    submit_review         notified                           legal_review           officers
    return_review         legal_review                       investigation_closed   reviewer, leader
    discuss               notified, legal_review             collective_discussion  leader
    decide                notified .. collective_discussion  decided                leader
    serve                 decided                            served                 officers
    execute               served                             executing              officers
    close                 served, executing                  closed                 leader
    refer                 clue .. notified                   referred               leader
    revoke                filed .. decided                   revoked                leader

Choices:

* Officers do the investigation steps; the squad leader can do everything an officer can
  and alone approves filing, not filing, referral, revocation, the decision and closing
  (结案审批). Other roles (office staff, bureau, departments, admin) have no workflow steps.
* Legal review (行政处罚法 art. 58): a major decision must pass through ``legal_review``;
  from ``notified`` a major case can neither ``decide`` nor ``discuss`` and must
  ``submit_review``. A case in ``legal_review`` moves forward (``decide``/``discuss``) only
  once ``review_passed`` is true, and a major case cannot be decided from
  ``collective_discussion`` without it either. The review itself (opinion form, outcomes
  同意/建议修改后再报/不同意) is recorded elsewhere; this machine only sees its result as the
  ``review_passed`` flag. DOMAIN.md section 4 sends a lasting disagreement to collective
  discussion: that discussion belongs to the review record, and only a resulting pass
  unlocks the case here. A non-major case may also be submitted for review voluntarily.
* ``return_review`` (建议修改后再报, or the squad leader withdrawing the submission) goes
  back to ``investigation_closed``: the squad revises the draft decision, must notify the
  party again (the proposed penalty may change, art. 44) and resubmit. If more evidence is
  needed, ``reopen_investigation`` (补充调查) leads back to ``investigating``; it is also
  open from ``notified`` when the party's statement brings new facts.
* ``close`` is allowed straight from ``served`` because some decisions (e.g. 不予行政处罚)
  leave nothing to execute.
* ``refer`` is open up to ``notified``; after that the case leaves the squad only by
  ``revoke``.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from .errors import DomainError
from .roles import Role


class CaseStatus(StrEnum):
    CLUE = "clue"
    FILED = "filed"
    INVESTIGATING = "investigating"
    INVESTIGATION_CLOSED = "investigation_closed"
    NOTIFIED = "notified"
    LEGAL_REVIEW = "legal_review"
    COLLECTIVE_DISCUSSION = "collective_discussion"
    DECIDED = "decided"
    SERVED = "served"
    EXECUTING = "executing"
    CLOSED = "closed"
    REFERRED = "referred"
    NOT_FILED = "not_filed"
    REVOKED = "revoked"

    @property
    def label(self) -> str:
        return _STATUS_LABELS[self]

    @property
    def is_terminal(self) -> bool:
        return self in _TERMINAL


_STATUS_LABELS: dict[CaseStatus, str] = {
    CaseStatus.CLUE: "线索登记",
    CaseStatus.FILED: "立案",
    CaseStatus.INVESTIGATING: "调查取证",
    CaseStatus.INVESTIGATION_CLOSED: "调查终结",
    CaseStatus.NOTIFIED: "事先告知",
    CaseStatus.LEGAL_REVIEW: "法制审核",
    CaseStatus.COLLECTIVE_DISCUSSION: "集体讨论",
    CaseStatus.DECIDED: "决定",
    CaseStatus.SERVED: "送达",
    CaseStatus.EXECUTING: "执行",
    CaseStatus.CLOSED: "结案",
    CaseStatus.REFERRED: "移送",
    CaseStatus.NOT_FILED: "不予立案",
    CaseStatus.REVOKED: "撤销",
}

_TERMINAL = frozenset(
    {CaseStatus.CLOSED, CaseStatus.REFERRED, CaseStatus.NOT_FILED, CaseStatus.REVOKED}
)


@dataclass(frozen=True)
class Transition:
    action: str
    label: str
    source: frozenset[CaseStatus]
    target: CaseStatus
    roles: frozenset[Role]


_S = CaseStatus
_OFFICERS = frozenset({Role.OFFICER, Role.SQUAD_LEADER})
_LEADER = frozenset({Role.SQUAD_LEADER})


def _t(action: str, label: str, source: set[CaseStatus], target: CaseStatus,
       roles: frozenset[Role]) -> Transition:
    return Transition(action, label, frozenset(source), target, roles)


TRANSITIONS: tuple[Transition, ...] = (
    _t("file", "立案", {_S.CLUE}, _S.FILED, _LEADER),
    _t("not_file", "不予立案", {_S.CLUE}, _S.NOT_FILED, _LEADER),
    _t("start_investigation", "开始调查取证", {_S.FILED}, _S.INVESTIGATING, _OFFICERS),
    _t("close_investigation", "调查终结", {_S.INVESTIGATING}, _S.INVESTIGATION_CLOSED, _OFFICERS),
    _t("reopen_investigation", "补充调查", {_S.INVESTIGATION_CLOSED, _S.NOTIFIED},
       _S.INVESTIGATING, _OFFICERS),
    _t("notify", "事先告知", {_S.INVESTIGATION_CLOSED}, _S.NOTIFIED, _OFFICERS),
    _t("submit_review", "提交法制审核", {_S.NOTIFIED}, _S.LEGAL_REVIEW, _OFFICERS),
    _t("return_review", "退回修改", {_S.LEGAL_REVIEW}, _S.INVESTIGATION_CLOSED,
       frozenset({Role.LEGAL_REVIEWER, Role.SQUAD_LEADER})),
    _t("discuss", "提请集体讨论", {_S.NOTIFIED, _S.LEGAL_REVIEW}, _S.COLLECTIVE_DISCUSSION, _LEADER),
    _t("decide", "作出决定", {_S.NOTIFIED, _S.LEGAL_REVIEW, _S.COLLECTIVE_DISCUSSION},
       _S.DECIDED, _LEADER),
    _t("serve", "送达", {_S.DECIDED}, _S.SERVED, _OFFICERS),
    _t("execute", "开始执行", {_S.SERVED}, _S.EXECUTING, _OFFICERS),
    _t("close", "结案", {_S.SERVED, _S.EXECUTING}, _S.CLOSED, _LEADER),
    _t("refer", "移送",
       {_S.CLUE, _S.FILED, _S.INVESTIGATING, _S.INVESTIGATION_CLOSED, _S.NOTIFIED},
       _S.REFERRED, _LEADER),
    _t("revoke", "撤销",
       {_S.FILED, _S.INVESTIGATING, _S.INVESTIGATION_CLOSED, _S.NOTIFIED, _S.LEGAL_REVIEW,
        _S.COLLECTIVE_DISCUSSION, _S.DECIDED},
       _S.REVOKED, _LEADER),
)

_BY_ACTION: dict[str, Transition] = {t.action: t for t in TRANSITIONS}

_MAJOR_BLOCKED = "重大执法决定须经法制审核通过后才能作出决定"


def get_transition(action: str) -> Transition:
    """The transition named ``action``; ``DomainError`` if there is none."""
    try:
        return _BY_ACTION[action]
    except KeyError:
        raise DomainError(f"没有“{action}”这一办案操作。") from None


def _blocked_reason(t: Transition, status: CaseStatus, major: bool,
                    review_passed: bool) -> str | None:
    """Why the legal-review rule (art. 58) forbids ``t`` now, or ``None``."""
    if t.action not in ("decide", "discuss"):
        return None
    if status is _S.NOTIFIED and major:
        return f"{_MAJOR_BLOCKED}，请先“提交法制审核”。"
    if status is _S.LEGAL_REVIEW and not review_passed:
        if major:
            return f"{_MAJOR_BLOCKED}，请等待审核结果。"
        return f"法制审核尚未通过，暂不能“{t.label}”，请等待审核结果或退回修改。"
    if status is _S.COLLECTIVE_DISCUSSION and major and not review_passed:
        return f"{_MAJOR_BLOCKED}。"
    return None


def allowed_transitions(status: CaseStatus, role: Role, *, major: bool = False,
                        review_passed: bool = False) -> list[Transition]:
    """What a user with ``role`` may do to a case in ``status`` now, in table order."""
    status, role = CaseStatus(status), Role(role)
    return [
        t for t in TRANSITIONS
        if status in t.source and role in t.roles
        and _blocked_reason(t, status, major, review_passed) is None
    ]


def apply_transition(status: CaseStatus, action: str, role: Role, *, major: bool = False,
                     review_passed: bool = False) -> CaseStatus:
    """The status after ``action``; ``DomainError`` explaining why it is not allowed."""
    status, role = CaseStatus(status), Role(role)
    t = get_transition(action)
    if status not in t.source:
        tail = "案件已办结，不能再变更状态。" if status.is_terminal else ""
        raise DomainError(f"当前状态“{status.label}”不能执行“{t.label}”。{tail}")
    if role not in t.roles:
        who = "、".join(r.label for r in Role if r in t.roles)
        raise DomainError(f"您的角色“{role.label}”无权执行“{t.label}”，该操作须由{who}办理。")
    reason = _blocked_reason(t, status, major, review_passed)
    if reason:
        raise DomainError(reason)
    return t.target


MIN_OFFICERS_TO_FILE = 2  # 行政处罚法 art. 42: at least two officers with enforcement certificates


def require_officers_to_file(target: CaseStatus, officer_count: int) -> None:
    """Filing needs two officers on the case; the client's services and the server's handlers both ask."""
    if target == CaseStatus.FILED and officer_count < MIN_OFFICERS_TO_FILE:
        raise DomainError("立案前须登记至少两名承办人员及其执法证号。", "officers")


# actions that end the case's administrative handling: a pending criminal referral forbids them (国务院令310 art. 11)
ENDED_BY_PENALTY = frozenset({"close"})


def require_no_pending_criminal_referral(action: str, pending: bool) -> None:
    """A penalty never replaces referral: a case whose criminal referral is still pending (domain.criminal_referral
    CrimeStatus.pending) is not closed on the strength of a penalty decision. Warnings and fines already decided
    stay; a fine already paid is recorded on the referral for the court to offset."""
    if pending and action in ENDED_BY_PENALTY:
        raise DomainError("本案有尚未办结的涉嫌犯罪案件移送，行政处罚不能代替移送，案件暂不能结案；"
                          "请等公安机关作出不予立案决定（或复议维持）、或涉案物品和材料移交完成后再结案。")

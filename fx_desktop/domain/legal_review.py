"""Legal review of major enforcement decisions (重大行政执法决定法制审核, 行政处罚法 art. 58; DOMAIN.md section 4).

What makes a decision "major" is data (`ReviewRules`, from the reference document the bureau distributes), so the
district can change thresholds without a new release. The rules here are shared by the client's services and the
server's mutation handlers, so both refuse the same things with the same words.

A review goes round by round: the squad submits (materials checked off), the town's legal reviewer answers with
the eight criteria, an outcome and a written opinion. 同意 passes the case (the squad leader may then decide);
建议修改后再报 returns it to the squad, which revises and submits again as a new round; 不同意 ends the round without
a pass (a lasting disagreement goes to collective discussion). The deadline is counted in working days from the
day the complete materials arrived, and may be extended once, with a reason.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from enum import StrEnum

from .errors import DomainError
from .lifecycle import CaseStatus, apply_transition, require_officers_to_file
from .roles import Role
from .text_limits import checked_text
from .workdays import HolidayCalendar

PERSON = "person"


@dataclass(frozen=True)
class Circumstance:
    key: str
    label: str
    major: bool  # whether this circumstance alone makes the decision major


DEFAULT_CIRCUMSTANCES = (
    Circumstance("hearing_held", "已举行听证", True),
    Circumstance("hearing_waived", "当事人申请听证后放弃", True),
    Circumstance("reduced_penalty", "拟减轻处罚", True),
    Circumstance("demolition", "拟责令拆除已建成的违法建筑物、构筑物", True),
    Circumstance("suspected_crime", "涉嫌犯罪需移送司法机关", True),
    Circumstance("coercive_execution", "拟作出行政强制执行决定", True),
    Circumstance("other_by_law", "法律、法规、规章规定的其他情形", True),
)


@dataclass(frozen=True)
class ReviewRules:
    """Triggers and time limits. Amount thresholds apply to the kinds in `amount_kinds` (fines, confiscation);
    the kinds in `always_major` (suspension of business, licence revocation) are major whatever the amount."""

    person_threshold: Decimal = Decimal("5000")
    org_threshold: Decimal = Decimal("50000")
    amount_kinds: frozenset[str] = frozenset({"罚款", "没收违法所得", "没收非法财物"})
    always_major: frozenset[str] = frozenset({"责令停产停业", "吊销许可证件"})
    circumstances: tuple[Circumstance, ...] = DEFAULT_CIRCUMSTANCES
    time_limit_days: int = 5  # working days from complete materials
    extension_days: int = 5

    @classmethod
    def from_reference(cls, data: dict | None) -> ReviewRules:
        """The `legal_review` section of the reference document; missing keys keep their defaults."""
        spec = (data or {}).get("legal_review") or {}
        base = cls()
        try:
            circumstances = tuple(Circumstance(str(c["key"]), str(c["label"]), bool(c.get("major", True)))
                                  for c in spec["circumstances"]) if "circumstances" in spec else base.circumstances
            return cls(
                person_threshold=Decimal(str(spec.get("person_threshold", base.person_threshold))),
                org_threshold=Decimal(str(spec.get("org_threshold", base.org_threshold))),
                amount_kinds=frozenset(spec.get("amount_kinds", base.amount_kinds)),
                always_major=frozenset(spec.get("always_major", base.always_major)),
                circumstances=circumstances,
                time_limit_days=int(spec.get("time_limit_days", base.time_limit_days)),
                extension_days=int(spec.get("extension_days", base.extension_days)),
            )
        except (KeyError, TypeError, ValueError, InvalidOperation) as exc:
            raise DomainError(f"参考数据中的法制审核规则格式不正确：{exc}") from exc

    def circumstance(self, key: str) -> Circumstance | None:
        return next((c for c in self.circumstances if c.key == key), None)

    def check_circumstances(self, keys) -> list[str]:
        """The keys, validated and in the rules' order; DomainError naming an unknown one."""
        keys = list(keys or [])
        unknown = [k for k in keys if self.circumstance(str(k)) is None]
        if unknown:
            raise DomainError(f"没有这些重大执法情形：{'、'.join(map(str, unknown))}。", "circumstances")
        return [c.key for c in self.circumstances if c.key in keys]

    def major_reasons(self, *, party_kind: str, penalty: str | None, amount, circumstances=()) -> list[str]:
        """Why a decision with these facts is major, in words for the form; empty when it is not."""
        reasons = []
        penalty = (penalty or "").strip()
        if penalty in self.always_major:
            reasons.append(f"拟作出“{penalty}”的决定")
        if penalty in self.amount_kinds and amount not in (None, ""):
            value = Decimal(str(amount))
            person = party_kind == PERSON
            threshold = self.person_threshold if person else self.org_threshold
            if value >= threshold:
                who = "个人" if person else "单位"
                reasons.append(f"对{who}“{penalty}”{_yuan(value)}元，达到{_yuan(threshold)}元的标准")
        given = set(circumstances or ())
        reasons.extend(c.label for c in self.circumstances if c.key in given and c.major)
        return reasons


def _yuan(value: Decimal) -> str:
    return f"{value:,.2f}".rstrip("0").rstrip(".")


class Outcome(StrEnum):
    AGREE = "agree"
    REVISE = "revise"
    DISAGREE = "disagree"

    @property
    def label(self) -> str:
        return {"agree": "同意", "revise": "建议修改后再报", "disagree": "不同意"}[self.value]


class ReviewStatus(StrEnum):
    PENDING = "pending"  # submitted, waiting for the reviewer
    AGREED = "agreed"
    RETURNED = "returned"  # 建议修改后再报: back to the squad
    DISAGREED = "disagreed"
    WITHDRAWN = "withdrawn"  # the squad leader took it back

    @property
    def label(self) -> str:
        return {"pending": "待审核", "agreed": "审核通过", "returned": "退回修改", "disagreed": "不同意",
                "withdrawn": "已撤回"}[self.value]


OUTCOME_STATUS = {Outcome.AGREE: ReviewStatus.AGREED, Outcome.REVISE: ReviewStatus.RETURNED,
                  Outcome.DISAGREE: ReviewStatus.DISAGREED}

MATERIALS = (
    ("case_file", "案卷材料"),
    ("officer_opinion", "承办人员意见"),
    ("draft_decision", "行政处罚决定书（草案）"),
    ("hearing_record", "听证笔录"),
    ("request_report", "法制审核申请报告"),
)
MATERIAL_LABELS = dict(MATERIALS)

CRITERIA = (
    ("subject", "主体合法与执法资格"),
    ("facts", "事实清楚"),
    ("evidence", "证据确凿充分"),
    ("basis", "适用依据准确"),
    ("procedure", "程序合法与当事人权利保障"),
    ("discretion", "裁量适当"),
    ("documents", "文书完备规范"),
    ("crime", "是否涉嫌犯罪需移送司法机关"),
)
CRITERIA_LABELS = dict(CRITERIA)
# What "passed" / "not passed" mean, in words, where 符合 / 不符合 would be misread: next to a question ("是否涉嫌犯罪")
# 符合 reads as "yes, it is a crime". Every other criterion is a statement (事实清楚), which 符合 confirms. The stored
# value stays {"passed": bool} under the criterion's key; passed means the decision may go ahead on this point.
MET, NOT_MET = "符合", "不符合"
CRITERION_ANSWERS = {"crime": ("未发现涉嫌犯罪", "涉嫌犯罪需移送")}


def criterion_answers(key: str) -> tuple[str, str]:
    """(passed, not passed) wording of criterion `key`, for the screen and the printed form."""
    return CRITERION_ANSWERS.get(key, (MET, NOT_MET))


def criterion_answer(key: str, passed: bool) -> str:
    met, not_met = criterion_answers(key)
    return met if passed else not_met


def required_materials(circumstances=()) -> list[str]:
    """The hearing record is required only when a hearing was held."""
    held = "hearing_held" in (circumstances or ())
    return [k for k, _ in MATERIALS if k != "hearing_record" or held]


def check_submission(materials, circumstances, report: str) -> list[str]:
    """The checked-off materials, validated; DomainError naming every missing one."""
    given = set(materials or [])
    unknown = given - set(MATERIAL_LABELS)
    if unknown:
        raise DomainError(f"没有这些送审材料：{'、'.join(sorted(map(str, unknown)))}。", "materials")
    missing = [MATERIAL_LABELS[k] for k in required_materials(circumstances) if k not in given]
    if missing:
        raise DomainError(f"送审材料不齐，缺少：{'、'.join(missing)}。请备齐后再提交法制审核。", "materials")
    check_report(report)
    return [k for k, _ in MATERIALS if k in given]


def check_report(report: str) -> str:
    """The request report as it is stored: cleaned, not empty, within its length limit."""
    report = checked_text("review_report", report)
    if not report:
        raise DomainError("请填写法制审核申请报告的内容（提请审核的事项和理由）。", "report")
    return report


@dataclass(frozen=True)
class Verdict:
    """A reviewer's answer, validated."""

    outcome: Outcome
    opinion: str
    criteria: dict[str, dict] = field(default_factory=dict)  # key -> {"passed": bool, "note": str}


def check_verdict(outcome: str | None, opinion: str, criteria: dict | None) -> Verdict:
    """Every criterion assessed; an outcome chosen; a written opinion for anything but 同意; 同意 only when every
    criterion is met."""
    if not outcome:
        raise DomainError("请选择审核结论：同意、建议修改后再报或不同意。", "outcome")
    try:
        chosen = Outcome(outcome)
    except ValueError:
        raise DomainError(f"审核结论“{outcome}”无效，应为同意、建议修改后再报或不同意。", "outcome") from None
    opinion = checked_text("review_opinion", opinion)
    if chosen != Outcome.AGREE and not opinion:
        raise DomainError(f"审核结论为“{chosen.label}”时须写明审核意见（需要修改或不同意的理由）。", "opinion")
    criteria = criteria or {}
    clean: dict[str, dict] = {}
    unassessed = []
    for key, label in CRITERIA:
        item = criteria.get(key)
        if not isinstance(item, dict) or item.get("passed") not in (True, False):
            unassessed.append(label)
            continue
        note = checked_text("criterion_note", str(item.get("note") or ""), label=f"审核项“{label}”的说明")
        clean[key] = {"passed": bool(item["passed"]), "note": note}
    if unassessed:
        raise DomainError(f"以下审核项尚未评定：{'、'.join(unassessed)}。", "criteria")
    failed = [f"“{CRITERIA_LABELS[k]}”评定为“{criterion_answer(k, False)}”" for k, v in clean.items()
              if not v["passed"]]
    if chosen == Outcome.AGREE and failed:
        raise DomainError(f"审核项{'、'.join(failed)}，不能作出“同意”的结论。", "outcome")
    return Verdict(chosen, opinion, clean)


def review_due(accepted_on: date, calendar: HolidayCalendar | None, days: int) -> date:
    """Last day of the review: `days` working days after the complete materials arrived."""
    return (calendar or HolidayCalendar()).add_working_days(accepted_on, days).date


def check_extension(already_extended: bool, reason: str) -> str:
    if already_extended:
        raise DomainError("审核期限只能延长一次，本次审核已经延长过。", "extension")
    reason = checked_text("extension_reason", reason)
    if not reason:
        raise DomainError("延长审核期限须写明理由。", "reason")
    return reason


def check_not_handler(reviewer: str, *, officers, created_by: str, submitted_by: str) -> None:
    """回避: whoever handled the case (an officer on it, who registered it, who submitted it) cannot review it."""
    names = {str(o[0] if isinstance(o, (list, tuple)) else getattr(o, "name", o)).strip() for o in officers or []}
    if reviewer.strip() in names | {created_by.strip(), submitted_by.strip()}:
        raise DomainError(f"{reviewer}承办或经手过该案件，按回避要求不能审核本案，请由其他法制审核人员审核。", "reviewer")


# Steps that are not plain status changes: submitting needs the materials and makes a review round.
REVIEW_STEPS = frozenset({"submit_review"})


def workflow_step(current: CaseStatus, action: str, role: Role, *, major: bool, review_passed: bool,
                  officer_count: int) -> CaseStatus:
    """A plain workflow step with the legal-review rule (art. 58) applied; the client's services and fx-bureau's
    handlers both call it. A reviewer returns a case only with a written opinion (the review form)."""
    if action in REVIEW_STEPS:
        raise DomainError("提交法制审核须勾选送审材料并填写申请报告，请使用“提交法制审核”。")
    if action == "return_review" and Role(role) == Role.LEGAL_REVIEWER:
        raise DomainError("法制审核员退回案件须出具审核意见，请在审核页面选择“建议修改后再报”。")
    target = apply_transition(current, action, role, major=major, review_passed=review_passed)
    require_officers_to_file(target, officer_count)
    return target

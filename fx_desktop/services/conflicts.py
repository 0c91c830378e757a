"""Sync conflicts and rejected changes, as the person who settles them sees them (SYNC.md: a conflict is always
shown to a person, and the resolution is itself a mutation)."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from ..domain import case_fields
from ..domain.case_changes import change_fields
from ..domain.case_draft import DraftInvalid, clean_to_json, draft_from_json, to_json_value, validate
from ..domain.case_fields import EDITABLE, EDITABLE_COLUMNS
from ..domain.case_fields import label as field_label
from ..domain.errors import DomainError
from ..domain.legal_review import Outcome, ReviewRules
from ..domain.lifecycle import get_transition
from ..domain.referral import STEP_LABELS
from ..domain.roles import require_case_handler
from ..store import Store, audit, meta, outbox
from ..store.models import Case, CaseOfficer, OutboxEntry, Referral, SyncConflict
from .cases import ensure_same_town, load_case
from .profile import Profile
from .review_rules import rules_in

DELETED = "__deleted__"  # the field of a conflict between an edit and a case deleted on the server
OPEN, RESOLVING = "open", "resolving"


@dataclass(frozen=True)
class ConflictRecord:
    """One conflict. `mine`/`theirs` are as the server recorded them: `mine` is the value of whoever pushed second
    (`mine_by`), `theirs` the value the server already held. `sides()` turns them to the viewer."""

    id: str
    case_id: str
    case_number: str | None
    field: str
    base: object
    mine: object
    theirs: object
    mine_by: str
    status: str
    created_at: datetime
    mine_client: str | None = None  # the client id that pushed `mine`


    @property
    def label(self) -> str:
        if self.field == DELETED:
            return "案件已在服务器上删除"
        return field_label(self.field)

    def pushed_here(self, viewer: str, viewer_client: str | None = None) -> bool:
        """Whether `mine` is the edit of the user named `viewer` on the client `viewer_client`. The client id
        tells apart one user's two computers; the name is the fallback for conflicts recorded without it."""
        if self.mine_client and viewer_client:
            return self.mine_client == viewer_client
        return not self.mine_by or self.mine_by == viewer

    def sides(self, viewer: str, viewer_client: str | None = None) -> tuple[object, object]:
        """(my value, the other value): for whoever saved first, the server's `theirs` is their own edit."""
        if self.pushed_here(viewer, viewer_client):
            return self.mine, self.theirs
        return self.theirs, self.mine


def own_client_id(store: Store, profile: Profile) -> str | None:
    """The client id this database pushes under for `profile` (None before its first login)."""
    with store.sessions() as session:
        return meta.get(session, f"sync.client:{profile.user_id}")


@dataclass(frozen=True)
class RejectedRecord:
    """A change the server refused, with its reason."""

    mutation_id: int
    case_id: str | None
    case_number: str | None
    what: str
    reason: str
    created_at: datetime
    rejected_at: datetime | None
    name: str = ""  # the mutation's name (update_case, ...)
    kind: str = "case"  # the kind of record it acted on
    record_id: str | None = None
    record_number: str | None = None  # the number of that record when it is not the case (a referral's)


def open_conflicts_for(store: Store, case_id: str | None = None, *, include_resolving: bool = False
                       ) -> list[ConflictRecord]:
    """Conflicts still waiting for a person (and, with include_resolving, those whose resolution is not yet
    pushed), oldest first."""
    states = (OPEN, RESOLVING) if include_resolving else (OPEN,)
    query = (select(SyncConflict, Case.number).outerjoin(Case, Case.id == SyncConflict.case_id)
             .where(SyncConflict.status.in_(states)).order_by(SyncConflict.created_at))
    if case_id:
        query = query.where(SyncConflict.case_id == case_id)
    with store.sessions() as session:
        return [ConflictRecord(c.id, c.case_id, number, c.field, c.base, c.mine, c.theirs, c.mine_by, c.status,
                               c.created_at, c.mine_client) for c, number in session.execute(query)]


def rejected_entries(store: Store, limit: int | None = 200) -> list[RejectedRecord]:
    """Refused changes of every record kind, newest first, with the server's reason."""
    query = (select(OutboxEntry, Case.number, Referral.number)
             .outerjoin(Case, Case.id == OutboxEntry.case_id)
             .outerjoin(Referral, (OutboxEntry.kind == "referral") & (Referral.id == OutboxEntry.record_id))
             .where(OutboxEntry.state == outbox.REJECTED).order_by(OutboxEntry.mutation_id.desc()).limit(limit))
    with store.sessions() as session:
        return [RejectedRecord(e.mutation_id, e.case_id, number, describe_mutation(e.name, e.args),
                               e.reason or "服务器拒绝了该变更。", e.created_at, e.done_at, e.name, e.kind or "case",
                               e.record_id, other)
                for e, number, other in session.execute(query)]


def describe_mutation(name: str, args: dict) -> str:
    """What a queued change did, in words."""
    if name == "create_case":
        return "登记案件"
    if name == "update_case":
        fields = "、".join(field_label(k) for k in (args.get("changed_fields") or {}))
        return f"修改案件（{fields}）" if fields else "修改案件"
    if name == "transition_case":
        try:
            return f"变更状态：{get_transition(args.get('action', '')).label}"
        except (KeyError, ValueError):
            return "变更状态"
    if name == "add_evidence":
        return f"添加证据：{args.get('name', '')}"
    if name == "resolve_conflict":
        return "处理同步冲突"
    if name == "delete_case":
        return "删除线索"
    if name == "submit_review":
        return "提交法制审核"
    if name == "record_review":
        try:
            return f"法制审核意见：{Outcome(args.get('outcome')).label}"
        except ValueError:
            return "法制审核意见"
    if name == "extend_review":
        return "延长法制审核期限"
    if name in STEP_LABELS:
        return f"案件移送：{STEP_LABELS[name]}"
    from ..domain.criminal_referral import STEP_LABELS as CRIME_STEPS

    if name in CRIME_STEPS:
        return f"涉嫌犯罪案件移送：{CRIME_STEPS[name]}"
    if name == "police_return_case":
        return "公安机关移送案件（行政处罚）"
    from ..domain.supervision import STEP_LABELS as SHEET_STEPS

    if name in SHEET_STEPS:
        return f"督办：{SHEET_STEPS[name]}"
    roster_steps = {"add_roster_entry": "添加执法人员", "update_roster_entry": "修改执法人员信息",
                    "retire_roster_entry": "停用执法人员"}
    if name in roster_steps:
        who = args.get("name")
        return f"{roster_steps[name]}：{who}" if isinstance(who, str) and who else roster_steps[name]
    return name


def resolve_conflict(store: Store, actor: Profile, conflict_id: str, value, now: datetime | None = None
                     ) -> ConflictRecord:
    """Settle a conflict with `value` (the field's JSON value; officers as [[name, cert_no], ...]): in one
    transaction the case takes the value, an audit entry records the decision, the conflict is marked
    `resolving` and the `resolve_conflict` mutation is queued. The case must stay valid as a whole."""
    now = now or datetime.now()
    require_case_handler(actor.role)  # as the server's resolve_conflict handler requires
    with store.writes.begin() as session:
        conflict = session.get(SyncConflict, conflict_id)
        if conflict is None:
            raise DomainError("找不到该冲突，可能已被处理，请刷新后再看。")
        if conflict.status != OPEN:
            raise DomainError("该冲突已经处理过了" + ("，处理结果正在等待同步。" if conflict.status == RESOLVING else "。"))
        number = None
        if conflict.field == DELETED:
            value = None  # the server keeps the deletion; nothing here to change
        else:
            case = load_case(session, conflict.case_id)
            ensure_same_town(case, actor)
            number = case.number
            value = _apply(session, case, conflict.field, value, now)
        audit.append(session, actor=actor.name, role=str(actor.role), case_id=conflict.case_id,
                     action="conflict_resolve", detail={"conflict_id": conflict.id, "field": conflict.field,
                                                        "base": conflict.base, "mine": conflict.mine,
                                                        "theirs": conflict.theirs, "value": value}, at=now)
        conflict.status, conflict.resolution, conflict.resolved_by = RESOLVING, value, actor.name
        outbox.enqueue(session, "resolve_conflict", {"conflict_id": conflict.id, "case_id": conflict.case_id,
                                                     "field": conflict.field, "value": value},
                       owner=actor.user_id, at=now)
        return ConflictRecord(conflict.id, conflict.case_id, number, conflict.field, conflict.base, conflict.mine,
                              conflict.theirs, conflict.mine_by, conflict.status, conflict.created_at,
                              conflict.mine_client)


def _apply(session, case: Case, field: str, value, now: datetime):
    """Put `value` into the case after validating the whole case with it under the reference rules; returns the
    value as stored (trimmed, amounts with two decimals), which is also what the server is sent. A changed
    decision field takes a passed legal review back, as on fx-bureau (domain.case_changes)."""
    if field not in EDITABLE:
        raise DomainError(f"字段“{field_label(field)}”不能在本机修改，请联系管理员。")
    current = {k: to_json_value(getattr(case, k)) for k in EDITABLE_COLUMNS}
    current["officers"] = [[o.name, o.cert_no] for o in case.officers]
    values = {**current, field: value}
    officers = values.pop("officers") or []
    try:
        clean = validate(draft_from_json(values, officers), today=now.date(), rules=rules_in(session))
    except DraftInvalid as exc:
        raise DomainError(f"所选的值使案件无法通过校验：{exc.message}请修改后再保存。", field) from exc
    new_values, new_officers = clean_to_json(clean)
    stored = new_officers if field == "officers" else new_values.get(field)
    change = change_fields(current, {field: stored}, review_passed=bool(case.review_passed))
    if field == "officers":  # an officer put on a filed case holds a valid certificate (domain.roster)
        from . import roster

        roster.check_officers_change(session, case.town_code, case.officers, clean.officers, now.date(),
                                     filed=case.status != "clue")
    for name, column in clean.columns.items():
        setattr(case, name, column)
    if field == "officers":
        case.officers = [CaseOfficer(position=i, name=o.name, cert_no=o.cert_no) for i, o in enumerate(clean.officers)]
    case.review_passed = change.review_passed
    case.version += 1
    case.updated_at = now
    return stored


_CIRCUMSTANCE_LABELS = {c.key: c.label for c in ReviewRules().circumstances}  # the only list-valued field


def _kind(field: str) -> str | None:
    spec = case_fields.BY_NAME.get(field)
    return spec.kind if spec else None


def value_to_text(field: str, value) -> str:
    """How a value reads in the side-by-side view and the merge editor."""
    if value is None or value == "":
        return ""
    kind = _kind(field)
    if kind == case_fields.OFFICERS:
        return "\n".join(f"{o[0]} {o[1]}" if isinstance(o, (list, tuple)) and len(o) == 2 else str(o)
                         for o in value or [])
    if kind == case_fields.DATETIME and isinstance(value, str):
        return value.replace("T", " ")[:16]
    if kind == case_fields.LIST and isinstance(value, list):
        return "、".join(_CIRCUMSTANCE_LABELS.get(k, str(k)) for k in value)
    if field == DELETED and isinstance(value, dict):
        return "\n".join(f"{field_label(k)}：{value_to_text(k, v)}" for k, v in value.items())
    return str(value)


def text_to_value(field: str, text: str):
    """The merge editor's text as the field's value; officers one per line as "姓名 执法证号"."""
    text = text.strip()
    kind = _kind(field)
    if kind == case_fields.OFFICERS:
        officers = []
        for line in filter(None, (raw.strip() for raw in text.splitlines())):
            name, _, cert = line.rpartition(" ")
            if not name.strip() or not cert:
                raise DomainError(f"承办人员“{line}”应写成“姓名 执法证号”，每行一人。", field)
            officers.append([name.strip(), cert])
        return officers
    if kind == case_fields.LIST:
        keys = {label: key for key, label in _CIRCUMSTANCE_LABELS.items()}
        parts = [p.strip() for p in text.replace("\n", "、").split("、") if p.strip()]
        unknown = [p for p in parts if p not in keys]
        if unknown:
            raise DomainError(f"没有这些重大执法情形：{'、'.join(unknown)}；请从“{'、'.join(keys)}”中选择，用顿号分隔。",
                              field)
        return [keys[p] for p in parts]
    if kind == case_fields.DATETIME and text:
        try:
            return datetime.fromisoformat(text).isoformat()
        except ValueError:
            raise DomainError(f"{field_label(field)}应写成“2025-12-01 10:30”的格式。", field) from None
    return text or None

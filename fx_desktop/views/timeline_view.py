"""The case's audit trail, newest last, in words."""
from __future__ import annotations

from PySide6.QtWidgets import QHeaderView, QTreeWidget, QTreeWidgetItem, QWidget

from ..domain.case_fields import label as field_label
from ..domain.lifecycle import CaseStatus
from ..domain.referral import STEP_LABELS, ReferralResult, ReferralStatus
from ..domain.roles import Role
from ..services.cases import TimelineEntry


def describe(entry: TimelineEntry) -> tuple[str, str]:
    """(what happened, details) for one audit entry."""
    d = entry.detail
    if entry.action == "create":
        return "登记案件", f"案件编号 {d.get('number', '')}"
    if entry.action == "update":
        parts = []
        for field, (old, new) in d.get("changes", {}).items():
            label = field_label(field)
            parts.append(f"{label}：{_short(old)} → {_short(new)}")
        return "修改案件", "；".join(parts)
    if entry.action == "transition":
        return "变更状态", f"{_status(d.get('from'))} → {_status(d.get('to'))}"
    if entry.action == "conflict_resolve":
        field = d.get("field", "")
        label = "案件已在服务器上删除" if field == "__deleted__" else field_label(field)
        return "处理同步冲突", f"{label}：采用 {_short(d.get('value'))}"
    if entry.action == "sync_update":
        old, new = (d.get("server_version") or ["", ""])[:2]
        return "从服务器同步", f"服务器版本 {old} → {new}"
    if entry.action in STEP_LABELS:  # a step on the case's referral (services/referrals.py)
        return STEP_LABELS[entry.action], _referral_detail(d)
    if entry.action == "resubmit":  # services/refused_cases.py
        changed = "、".join(field_label(f) for f in d.get("changes", {}))
        return "修改后重新提交区局", f"区局拒绝的原因：{d.get('reason') or ''}" + (f"；修改了{changed}" if changed else "")
    if entry.action == "discard_refused":
        return "放弃未被区局接受的案件", f"区局拒绝的原因：{d.get('reason') or ''}"
    if entry.action == "evidence_add":
        return "添加证据", f"{d.get('name', '')}（{int(d.get('size', 0)):,} 字节）"
    return entry.action, str(d)


def _referral_detail(d: dict) -> str:
    parts = [f"移送编号 {d['number']}"] if d.get("number") else []
    if d.get("status"):
        try:
            parts.append(ReferralStatus(d["status"]).label)
        except ValueError:
            pass
    if d.get("their_number"):
        parts.append(f"受理案号 {d['their_number']}")
    if d.get("received_on"):
        parts.append(f"收到日期 {d['received_on']}")
    if d.get("result"):
        try:
            parts.append(f"结果：{ReferralResult(d['result']).label}")
        except ValueError:
            pass
    for key in ("reason", "reasons", "missing"):
        if d.get(key):
            parts.append(f"理由：{_short(d[key])}" if key != "missing" else f"缺少：{_short(d[key])}")
    return "；".join(parts)


def _status(value) -> str:
    try:
        return CaseStatus(value).label
    except ValueError:
        return str(value)


def _short(value) -> str:
    if value in (None, "", []):
        return "（空）"
    if isinstance(value, list):
        return "、".join(f"{v[0]}（{v[1]}）" if isinstance(v, list) and len(v) == 2 else str(v) for v in value)
    text = str(value)
    return text if len(text) <= 40 else text[:40] + "…"


class TimelineView(QTreeWidget):
    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setHeaderLabels([self.tr("Time"), self.tr("By"), self.tr("Event"), self.tr("Details")])
        self.setRootIsDecorated(False)
        self.setAlternatingRowColors(True)
        self.header().setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)

    def show_entries(self, entries: list[TimelineEntry]) -> None:
        self.clear()
        for e in entries:
            what, details = describe(e)
            try:
                who = f"{e.actor}（{Role(e.role).label}）"
            except ValueError:
                who = e.actor
            item = QTreeWidgetItem([e.at.strftime("%Y-%m-%d %H:%M:%S"), who, what, details])
            item.setToolTip(3, details)
            self.addTopLevelItem(item)
        for col in range(3):
            self.resizeColumnToContents(col)

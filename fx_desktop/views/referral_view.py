"""One referral as both sides see it: number, the two organisations, status and clocks (overdue in red, and said in
words), the buttons of the steps this user may take now, the three forms to print, and in tabs the case as
referred, the materials (the referred evidence files open through the evidence panel, fetched from fx-bureau when
not here yet), the seized items and the steps so far."""
from __future__ import annotations

import html
from datetime import date, datetime
from typing import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from ..domain import referral as rf
from ..domain.timestamps import parse_time
from ..services.cases import EvidenceRecord
from .evidence_panel import EvidencePanel, _size_text
from .referral_actions import ACCEPT, RESULT, RETURN, SIGN, WITHDRAW, ReferralActions, status_of
from . import style
from .style import EmptyState, heading, mark_destructive, mark_primary

OVERDUE_STYLE = f"color: {style.OVERDUE}; font-weight: bold;"
RETURNED_QSS = (f"#referral_returned {{ background: {style.DANGER_BG}; border: 1px solid {style.DANGER_BORDER}; "
                "border-radius: 3px; }")
PRINTS = ("referral-letter", "referral-items", "referral-receipt")


def _when(value) -> str:
    if not value:
        return ""
    try:
        return parse_time(value, "时间").strftime("%Y-%m-%d %H:%M") if isinstance(value, str) else \
            value.strftime("%Y-%m-%d %H:%M")
    except Exception:  # noqa: BLE001 - shown as stored rather than not at all
        return str(value)


def steps_of(state: dict, org_name: Callable[[str], str]) -> list[tuple[str, str, str, str]]:
    """(when, who, step, details) of every step so far, oldest first, in the words both sides read."""
    out = []
    sub = state.get("submitted") or {}
    if sub:
        out.append((sub.get("at"), sub, rf.STEP_LABELS["submit_referral"],
                    f"移送至{org_name(state.get('receiving_org'))}，移送编号 {state.get('number') or '（待分配）'}"))
    rec = state.get("receipt")
    if rec:
        match = "材料与清单一致" if rec.get("materials_match") else f"材料与清单不一致，缺少：{rec.get('missing') or ''}"
        out.append((rec.get("at"), rec, "回执",
                    f"收到日期 {rec.get('received_on')}；签收人 {rec.get('signed_by')}；{match}"))
    acc = state.get("accepted")
    if acc:
        out.append((acc.get("at"), acc, "受理", f"受理案号 {acc.get('their_number')}"))
    ret = state.get("returned")
    if ret:
        out.append((ret.get("at"), ret, "退回", f"退回理由：{ret.get('reason')}"))
    res = state.get("result")
    if res:
        try:
            label = rf.ReferralResult(res.get("result")).label
        except ValueError:
            label = str(res.get("result"))
        out.append((res.get("at"), res, "结果", f"{label}" + (f"；理由：{res['reasons']}" if res.get("reasons") else "")))
    wd = state.get("withdrawn")
    if wd:
        out.append((wd.get("at"), wd, rf.STEP_LABELS["withdraw_referral"], f"撤回理由：{wd.get('reason')}"))
    out.sort(key=lambda s: str(s[0] or ""))
    return [(_when(at), f"{who.get('by', '')}（{org_name(who.get('org'))}）", what, details)
            for at, who, what, details in out]


def deadline_text(state: dict, today: date) -> tuple[str, bool]:
    """The running clock in words for the list's 期限 column ("签收 2026-12-02", "【已逾期】反馈 2026-12-20") and
    whether it is overdue."""
    clock = rf.due(state)
    if clock is None:
        return "—", False
    which, day = clock
    late = today > day
    text = ("签收 " if which == "receipt" else "反馈 ") + day.isoformat()
    return (f"【已逾期】{text}" if late else text), late


def _evidence(d: dict) -> EvidenceRecord | None:
    """An evidence file of the case snapshot as the evidence panel shows it."""
    try:
        added = d.get("added_at")
        return EvidenceRecord(id=str(d["id"]), kind=str(d.get("kind") or "document"), name=str(d.get("name") or ""),
                              sha256=str(d["sha256"]), size=int(d.get("size") or 0), captured_at=None,
                              added_at=added if isinstance(added, datetime)
                              else (parse_time(added, "时间") if added else datetime.min),
                              added_by=str(d.get("added_by") or ""))
    except (KeyError, TypeError, ValueError):
        return None


def _table(headers: list[str], stretch: tuple[int, ...]) -> QTableWidget:
    t = QTableWidget(0, len(headers))
    t.setHorizontalHeaderLabels(headers)
    t.verticalHeader().hide()
    t.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    t.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    t.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    t.setWordWrap(True)
    for c in range(len(headers)):
        t.horizontalHeader().setSectionResizeMode(
            c, QHeaderView.ResizeMode.Stretch if c in stretch else QHeaderView.ResizeMode.ResizeToContents)
    t.horizontalHeader().sectionResized.connect(lambda *_: t.resizeRowsToContents())  # wrapped text stays whole
    return t


def _fill(table: QTableWidget, rows: list[list[str]]) -> None:
    table.setRowCount(len(rows))
    for r, cells in enumerate(rows):
        for c, text in enumerate(cells):
            item = QTableWidgetItem(text)
            item.setToolTip(text)
            table.setItem(r, c, item)
    table.resizeRowsToContents()


class ReferralView(QWidget):
    def __init__(self, store, tasks, actions: ReferralActions, *, show_case: bool = True,
                 today: Callable[[], date] = date.today, parent: QWidget | None = None):
        """`show_case`: the 案件概况 tab shows the case as referred (the department has nothing else of it)."""
        super().__init__(parent)
        self.actions, self.today = actions, today
        self.record = None
        self.title = QLabel()
        self.title.setObjectName("referral_title")
        self.title.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        heading(self.title, 2)
        self.parties = QLabel()
        self.parties.setWordWrap(True)
        self.clock = QLabel()
        self.clock.setObjectName("referral_clock")
        self.clock.setWordWrap(True)
        self.returned = QFrame()
        self.returned.setObjectName("referral_returned")
        self.returned.setStyleSheet(RETURNED_QSS)
        self.returned_text = QLabel()
        self.returned_text.setObjectName("referral_returned_text")
        self.returned_text.setWordWrap(True)
        self.returned_text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        QVBoxLayout(self.returned).addWidget(self.returned_text)
        self.returned.hide()

        labels = {SIGN: self.tr("Sign for it…"), ACCEPT: self.tr("Accept…"), RETURN: self.tr("Return…"),
                  RESULT: self.tr("Record the result…"), WITHDRAW: self.tr("Withdraw…")}
        self.step_buttons: dict[str, QPushButton] = {}
        steps = QHBoxLayout()
        for step, text in labels.items():
            b = QPushButton(text)
            b.setObjectName(f"referral_{step}")
            if step in (RETURN, WITHDRAW):  # cannot be undone; the step's form asks before it acts
                mark_destructive(b)
            elif step in (SIGN, ACCEPT, RESULT):  # the department's next step (one at a time)
                mark_primary(b)
            b.clicked.connect(lambda _=False, s=step: self._run(s))
            b.hide()
            self.step_buttons[step] = b
            steps.addWidget(b)
        self.supervise = QPushButton(self.tr("Supervise…"))
        self.supervise.setObjectName("referral_supervise")
        self.supervise.clicked.connect(lambda: self.record is not None and self.actions.supervise(self.record))
        self.supervise.hide()
        steps.addWidget(self.supervise)
        steps.addStretch(1)
        titles = {"referral-letter": self.tr("Referral letter"), "referral-items": self.tr("Item list"),
                  "referral-receipt": self.tr("Receipt")}
        prints = QHBoxLayout()
        prints.addWidget(QLabel(self.tr("Print:")))
        self.print_buttons: dict[str, QPushButton] = {}
        for form in PRINTS:
            b = QPushButton(titles[form])
            b.setObjectName(f"print_{form}")
            b.clicked.connect(lambda _=False, f=form: self.actions.print_form(f, self.record))
            self.print_buttons[form] = b
            prints.addWidget(b)
        prints.addStretch(1)

        self.case = QTextBrowser()
        self.case.setObjectName("referral_case")
        self.materials = _table([self.tr("No."), self.tr("Material"), self.tr("Pages"), self.tr("Evidence file")],
                                (1, 3))
        self.materials.setObjectName("referral_materials_list")
        self.files = EvidencePanel(store.blobs, store.paths.opened, tasks)
        self.files.setObjectName("referral_files")
        self.files.add_button.hide()
        self.files.read_only_empty_text = self.tr("No evidence file was referred with this referral.")
        materials_page = QWidget()
        mp = QVBoxLayout(materials_page)
        mp.addWidget(self.materials, 3)
        files_label = QLabel(self.tr("Evidence files referred (double-click to open; fetched from the server when "
                                     "not on this computer yet)"))
        files_label.setWordWrap(True)
        mp.addWidget(files_label)
        mp.addWidget(self.files, 2)
        self.items = _table([self.tr("No."), self.tr("Item"), self.tr("Specification"), self.tr("Quantity"),
                             self.tr("Unit"), self.tr("Condition"), self.tr("Where kept")], (1, 2, 5, 6))
        self.items.setObjectName("referral_items_list")
        self.steps = _table([self.tr("Time"), self.tr("By"), self.tr("Step"), self.tr("Details")], (3,))
        self.steps.setObjectName("referral_steps")
        self.tabs = QTabWidget()
        self.tabs.addTab(self.case, self.tr("Referral and case"))
        self.tabs.addTab(materials_page, self.tr("Materials"))
        self.tabs.addTab(self.items, self.tr("Seized items"))
        self.tabs.addTab(self.steps, self.tr("Steps so far"))
        self.show_case = show_case

        self.empty = EmptyState(width_chars=26)  # nothing chosen, or a case not referred: what and how
        self.empty.setObjectName("referral_empty")
        self.body = QWidget()
        body = QVBoxLayout(self.body)
        body.setContentsMargins(0, 0, 0, 0)
        body.addWidget(self.title)
        body.addWidget(self.parties)
        body.addWidget(self.clock)
        body.addWidget(self.returned)
        body.addLayout(steps)
        body.addLayout(prints)
        body.addWidget(self.tabs, 1)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addWidget(self.empty, 1)
        lay.addWidget(self.body, 1)
        self.show_referral(None)

    def set_downloads(self, downloads) -> None:
        self.files.set_downloads(downloads)

    def _run(self, step: str) -> None:
        if self.record is not None:
            self.actions.run(step, self.record, self)

    def show_referral(self, record, *, empty_text: str = "") -> None:
        self.record = record
        self.empty.set_text(empty_text)
        self.empty.setVisible(record is None and bool(empty_text))
        self.body.setVisible(record is not None)
        if record is None:
            return
        state, name = record.data or {}, self.actions.orgs.name
        status = status_of(record)
        self.title.setText(self.tr("Referral %1 — %2").replace("%1", record.number or self.tr("(number pending)"))
                           .replace("%2", status.label))
        sub = state.get("submitted") or {}
        self.parties.setText(self.tr("%1 → %2 · referred %3 by %4").replace("%1", name(record.owner_org))
                             .replace("%2", name(record.receiving_org)).replace("%3", _when(sub.get("at")))
                             .replace("%4", sub.get("by") or ""))
        self._show_clock(state)
        ret = state.get("returned") if status == rf.ReferralStatus.RETURNED else None
        self.returned.setVisible(bool(ret))
        if ret:
            self.returned_text.setText(self.tr("Returned by %1 on %2. Reason: %3").replace("%1", name(ret.get("org")))
                                       .replace("%2", _when(ret.get("at"))).replace("%3", ret.get("reason") or ""))
        allowed = self.actions.steps_for(record)
        for step, b in self.step_buttons.items():
            b.setVisible(step in allowed)
        self.supervise.setVisible(self.actions.may_supervise(record))
        self.print_buttons["referral-receipt"].setToolTip(
            "" if state.get("receipt") else self.tr("Not signed yet: prints a blank receipt to fill in by hand."))
        self._show_case(state, name)
        self._show_materials(state)
        _fill(self.items, [[str(it.get("no") or i), it.get("name", ""), it.get("spec", ""), str(it.get("quantity", "")),
                            it.get("unit", ""), it.get("condition", ""), it.get("kept_at", "")]
                           for i, it in enumerate(state.get("items") or [], 1)])
        self.tabs.setTabText(2, self.tr("Seized items (%1)").replace("%1", str(len(state.get("items") or []))))
        _fill(self.steps, [list(step) for step in steps_of(state, name)])

    def _show_clock(self, state: dict) -> None:
        today = self.today()
        late = rf.overdue(state, today)
        overdue = self.tr("— OVERDUE")
        parts = []
        for which, key, label in (("receipt", "receipt_due", self.tr("Receipt due %1")),
                                  ("result", "result_due", self.tr("Result due %1"))):
            if not state.get(key):
                continue
            text = label.replace("%1", state[key])
            if late == which:
                text = f"<span style='{OVERDUE_STYLE}'>{html.escape(text)} {html.escape(overdue)}</span>"
            else:
                text = html.escape(text)
            parts.append(text)
        self.clock.setText("　".join(parts))
        self.clock.setProperty("overdue", late or "")

    def _show_case(self, state: dict, name: Callable[[str], str]) -> None:
        snap = state.get("case_snapshot") or {}
        contact = state.get("contact") or {}

        def row(label: str, value) -> str:
            text = html.escape(str(value or "")).replace("\n", "<br>")
            return f"<tr><th align='left' valign='top' style='padding-right:12px'>{html.escape(label)}</th>" \
                   f"<td>{text}</td></tr>"

        rows = [row(self.tr("Reason for referral"), state.get("reason")),
                row(self.tr("Legal basis"), state.get("legal_basis")),
                row(self.tr("Summary of the conduct"), state.get("summary")),
                row(self.tr("Contact"), f"{contact.get('name', '')}　{contact.get('phone', '')}")]
        if self.show_case:
            occurred = _when(snap.get("occurred_at"))
            rows = [row(self.tr("Case number"), snap.get("number")), row(self.tr("Cause"), snap.get("cause")),
                    row(self.tr("Party"), snap.get("party_name")),
                    row(self.tr("ID number / credit code"), snap.get("party_id_number")),
                    row(self.tr("Party address"), snap.get("party_address")),
                    row(self.tr("Place"), snap.get("place")), row(self.tr("Time of conduct"), occurred),
                    row(self.tr("Facts"), snap.get("facts"))] + rows
        self.case.setHtml(f"<table cellspacing='4'>{''.join(rows)}</table>")

    def _show_materials(self, state: dict) -> None:
        files = {e.get("id"): e for e in (state.get("case_snapshot") or {}).get("evidence") or []}
        rows = []
        for i, m in enumerate(state.get("materials") or [], 1):
            ev = files.get(m.get("evidence_id"))
            rows.append([str(m.get("no") or i), m.get("title", ""), str(m.get("pages", "")),
                         f"{ev.get('name', '')}（{_size_text(int(ev.get('size') or 0))}）" if ev else ""])
        _fill(self.materials, rows)
        self.tabs.setTabText(1, self.tr("Materials (%1)").replace("%1", str(len(rows))))
        self.files.show_evidence([r for r in (_evidence(e) for e in files.values()) if r is not None])


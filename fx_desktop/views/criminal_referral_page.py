"""The 刑事移送 section (涉嫌犯罪案件移送): the list of criminal referrals with filters (status, police organisation,
overdue only, number or party), and the selected one with every step taken, the clock running (hours for the
24-hour ones, days otherwise; overdue in red, and in words) and a button per step the user may take. A town sees
the referrals it made; a police organisation (its home page) and the procuratorate those addressed or copied to
them. The same page serves both sides, so a clock is red on both."""
from __future__ import annotations

import html
from datetime import datetime
from typing import Callable

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMenu,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from sqlalchemy.exc import SQLAlchemyError

from ..domain import criminal_referral as cr
from ..domain.errors import DomainError
from ..domain.organisations import OrgDirectory
from ..domain.roles import Role
from ..services import storage_errors
from . import style
from .activating_table import ActivatingTable
from .crime_dialogs import CrimeStepDialog, PoliceReturnDialog
from .record_pane import RecordPane
from .rows_model import RecordRowsModel
from .style import mark_primary

NUMBER, PARTY, POLICE, STATUS, CLOCK = range(5)


def clock_text(record, now: datetime) -> tuple[str, bool]:
    """"负责人审批 · 还剩 19 小时（至 11-30 15:00）" and whether it is late; "" when no clock runs."""
    running = record.clock
    if running is None:
        return "", False
    late = running.overdue(now)
    until = running.due.strftime("%m-%d %H:%M" if running.hours else "%m-%d")
    text = f"{cr.STEP_LABELS[running.step]} · {running.shown(now)}（至 {until}）"
    if not running.duty:
        text = f"{cr.STEP_LABELS[running.step]} · 可于 {until} 前办理"
    return (f"【已逾期】{text}" if late else text), late


class CrimeTableModel(RecordRowsModel):
    def __init__(self, org_name: Callable[[str], str], now: Callable[[], datetime], parent: QObject | None = None):
        super().__init__(parent)
        self.org_name, self.now = org_name, now
        self.headers = [self.tr("Number"), self.tr("Party · cause"), self.tr("Police organisation"),
                        self.tr("Status"), self.tr("Clock")]

    def set_records(self, records: list) -> None:
        self._now = self.now()  # one time for every row
        super().set_records(records)

    def texts(self, r) -> tuple[tuple[str, ...], bool]:
        snap = r.data.get("case_snapshot") or {}
        clock, late = clock_text(r, self._now)
        party = " · ".join(str(p) for p in (snap.get("party_name"), snap.get("cause")) if p)
        return (r.number, party, self.org_name(r.receiving_org), r.status_label, clock), late


def _entered(rec: dict) -> str:
    if rec.get("entered_by") == "squad":
        why = rec.get("on_behalf_reason")
        return "街镇代录" + (f"（{why}）" if why else "（公安机关未开通账号）")
    return "公安机关录入" if rec.get("entered_by") == "police" else "街镇录入"


def _said(name: str, rec: dict) -> str:
    """What a step decided or said, in a few words."""
    parts = []
    if name == "decide_criminal_referral":
        parts.append("批准移送" if rec.get("approved") else "不批准")
    if rec.get("result"):
        parts.append({"filed": "立案", "not_filed": "不予立案", "upheld": "维持不予立案"}.get(rec["result"], ""))
    for key in ("reasons", "notice", "signed_by", "their_number", "materials", "received_by", "note"):
        if rec.get(key):
            parts.append(str(rec[key]))
    if rec.get("delay_reason"):
        parts.append(f"逾期原因：{rec['delay_reason']}")
    return "；".join(p for p in parts if p)


def details_html(record, orgs: OrgDirectory) -> str:
    """The record as the page shows it: the case summary, team, offence, items, fine, and every step."""
    s = record.data
    snap = s.get("case_snapshot") or {}
    e = html.escape
    rows = [("案件", f"{snap.get('number') or ''} {snap.get('cause') or ''}"),
            ("当事人", snap.get("party_name") or ""), ("移送公安机关", orgs.name(record.receiving_org)),
            ("抄送", orgs.name(s.get("copy_org")) if s.get("copy_org") else "—"),
            ("移送小组", "、".join(f"{m['name']}（证号 {m['cert_no']}）" for m in s.get("team") or [])),
            ("涉嫌罪名", s.get("suspicion") or ""),
            ("随附报告", "、".join(f"{a['title']}（{a['kind']}）" for a in s.get("attachments") or []) or "—")]
    fine = s.get("fine_paid")
    rows.append(("已缴罚款", f"{fine['amount']} 元（{fine['paid_on']} 缴纳，折抵用）" if fine else "无"))
    out = ["<table cellspacing=0 cellpadding=3>"]
    out += [f"<tr><td><b>{e(k)}</b></td><td>{e(str(v))}</td></tr>" for k, v in rows]
    out.append("</table>")
    items = s.get("items") or []
    if items:
        out.append("<p><b>涉案物品清单</b></p><table border=1 cellspacing=0 cellpadding=3>"
                   "<tr><th>序号</th><th>名称</th><th>数量</th><th>特征</th><th>存放地点</th><th>措施</th></tr>")
        out += [f"<tr><td>{it['no']}</td><td>{e(it['name'])}</td><td>{e(it['quantity'])}{e(it['unit'])}</td>"
                f"<td>{e(it['features'])}</td><td>{e(it['kept_at'])}</td><td>{e(it['measure'])}</td></tr>"
                for it in items]
        out.append("</table>")
    out.append("<p><b>办理经过</b></p><table border=1 cellspacing=0 cellpadding=3>"
               "<tr><th>步骤</th><th>时间</th><th>办理人</th><th>单位</th><th>录入</th><th>内容</th></tr>")
    for name, rec in cr.steps_taken(s):
        who = _entered(rec) if name in cr.POLICE_STEPS or name == "hand_over_criminal_referral" else "街镇录入"
        out.append(f"<tr><td>{e(cr.STEP_LABELS[name])}</td><td>{e(rec['when'][5:16].replace('T', ' '))}</td>"
                   f"<td>{e(rec['by'])}</td><td>{e(orgs.name(rec['org']))}</td><td>{e(who)}</td>"
                   f"<td>{e(_said(name, rec))}</td></tr>")
    out.append("</table>")
    return "".join(out)


class CrimeView(RecordPane):
    """One criminal referral: title, clock, the step buttons, and its details and steps."""

    stepRequested = Signal(str)
    printRequested = Signal(str)  # the form's name (printing/forms CRIME_FORMS)
    superviseRequested = Signal()  # 督办: the supervising office follows the referral up with a sheet

    def __init__(self, orgs: OrgDirectory, now: Callable[[], datetime], parent: QWidget | None = None):
        super().__init__("crime", parent)
        self.orgs, self.now = orgs, now
        self.show_record(None, [])

    def show_record(self, record, steps: list[str]) -> None:
        if record is None:
            self.show_nothing(self.tr("No criminal referral selected"),
                              self.tr("Choose a referral in the list. A squad leader starts one from a case "
                                      "with “Refer to police”."))
            return
        self.record = record
        self.clear_buttons()
        self.title.setText(f"{record.number}　{record.status_label}")
        text, late = clock_text(record, self.now())
        side = {"town": self.tr("the town's step"), "police": self.tr("the police's step")}.get(
            record.clock.side if record.clock else "", "")
        self.clock.setText(f"{text}（{side}）" if text else self.tr("No clock runs."))
        self.clock.setStyleSheet(style.ERROR_STYLE if late else "")
        for i, name in enumerate(steps):
            b = QPushButton(cr.STEP_LABELS[name])
            b.setObjectName(f"crime_step_{name}")
            if i == 0:
                mark_primary(b)
            b.clicked.connect(lambda _=False, n=name: self.stepRequested.emit(n))
            self.buttons.addWidget(b)
        printing = QPushButton(self.tr("Print…"))
        printing.setObjectName("crime_print")
        menu = QMenu(printing)
        menu.aboutToShow.connect(lambda: self._print_menu(menu))  # the forms (and reportlab) loaded when asked
        printing.setMenu(menu)
        self.buttons.addWidget(printing)
        if self.may_supervise(record):
            supervise = QPushButton(self.tr("Supervise…"))
            supervise.setObjectName("crime_supervise")
            supervise.clicked.connect(self.superviseRequested.emit)
            self.buttons.addWidget(supervise)
        self.details.setHtml(details_html(record, self.orgs))


    may_supervise: Callable[[object], bool] = staticmethod(lambda _record: False)  # set by the page

    def _print_menu(self, menu: QMenu) -> None:
        from ..printing.forms import CRIME_FORMS

        if menu.actions():
            return
        for spec in CRIME_FORMS.values():
            action = menu.addAction(spec.title)
            action.setObjectName(f"crime_print_{spec.name}")
            action.triggered.connect(lambda _=False, f=spec.name: self.printRequested.emit(f))


class CriminalReferralPage(QWidget):
    """`service`: services.criminal_referrals (or an object with its functions)."""

    changed = Signal(str)  # a record's id, after a step was stored
    countChanged = Signal(int, int)  # open, overdue
    superviseRequested = Signal(dict, str, str)  # the source, the matter, the responsible unit (督办)

    def __init__(self, store, profile, orgs: OrgDirectory, service, *, printer=None,
                 now: Callable[[], datetime] = datetime.now, parent: QWidget | None = None):
        super().__init__(parent)
        self.store, self.profile, self.orgs, self.service, self.printer, self.now = (store, profile, orgs, service,
                                                                                     printer, now)
        self.dialog = None
        self.status = QComboBox()
        self.status.setObjectName("crime_filter_status")
        self.status.addItem(self.tr("All"), None)
        self.status.addItem(self.tr("Open"), "__open__")
        for s in cr.CrimeStatus:
            self.status.addItem(s.label, str(s))
        self.police = QComboBox()
        self.police.setObjectName("crime_filter_police")
        self.police.addItem(self.tr("All police organisations"), None)
        for o in orgs.of_kind(*cr.POLICE_KINDS):
            self.police.addItem(o.name, o.code)
        self.late = QCheckBox(self.tr("Overdue only"))
        self.late.setObjectName("crime_filter_late")
        self.text = QLineEdit()
        self.text.setObjectName("crime_filter_text")
        self.text.setPlaceholderText(self.tr("Number or party"))
        self.count = QLabel()
        self.error = QLabel()
        self.error.setStyleSheet(style.ERROR_STYLE)
        self.error.setWordWrap(True)
        self.error.hide()
        for w in (self.status, self.police):
            w.currentIndexChanged.connect(lambda _i: self.refresh())
        self.late.toggled.connect(lambda _c: self.refresh())
        self.text.returnPressed.connect(self.refresh)
        filters = QHBoxLayout()
        for w in (QLabel(self.tr("Status")), self.status, self.police, self.late, self.text):
            filters.addWidget(w)
        filters.addStretch(1)
        filters.addWidget(self.count)
        self.return_button = QPushButton(self.tr("Refer a case to a town…"))
        self.return_button.setObjectName("crime_police_return")
        self.return_button.clicked.connect(self.police_return)
        filters.addWidget(self.return_button)
        self.return_button.setVisible(Role(profile.role) == Role.POLICE_LIAISON)
        self.model = CrimeTableModel(orgs.name, now, self)
        self.table = ActivatingTable()
        self.table.setObjectName("crime_table")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        chars = self.table.fontMetrics().horizontalAdvance("中")
        for column, width in ((NUMBER, 11), (PARTY, 8), (POLICE, 6), (STATUS, 7)):
            header.resizeSection(column, chars * width)
        self.table.selectionModel().currentRowChanged.connect(lambda cur, _prev: self._show_row(cur.row()))
        self.view = CrimeView(orgs, now)
        self.view.stepRequested.connect(self.run_step)
        self.view.printRequested.connect(self.print_record)
        self.view.may_supervise = lambda r: (
            r.owner_org == (self.profile.org_code or self.profile.town_code)
            and str(self.profile.role) in ("squad_leader", "office_staff", "bureau_dispatcher"))
        self.view.superviseRequested.connect(lambda: self.view.record is not None and self.superviseRequested.emit(
            {"source_kind": "criminal_referral", "source_id": self.view.record.id,
             "source_text": f"{self.view.record.number}刑事移送"}, "", self.view.record.receiving_org))
        split = QSplitter(Qt.Orientation.Horizontal)
        split.addWidget(self.table)
        split.addWidget(self.view)
        split.setStretchFactor(0, 1)
        split.setStretchFactor(1, 1)
        split.setSizes([600, 600])
        lay = QVBoxLayout(self)
        lay.addLayout(filters)
        lay.addWidget(self.error)
        lay.addWidget(split, 1)

    def set_profile(self, profile) -> None:
        self.profile = profile
        self.return_button.setVisible(Role(profile.role) == Role.POLICE_LIAISON)

    def police_return(self) -> None:
        """The reverse route: the police liaison sends a case to a town for an administrative penalty."""
        from ..domain.organisations import OrgKind
        from ..store import reference

        with self.store.sessions() as session:
            categories = list(reference.current(session).get("categories") or [])
        dialog = PoliceReturnDialog(self.orgs.of_kind(OrgKind.TOWN), categories, lambda **kw: self.service.police_return(
            self.store, self.profile, **kw), parent=self)
        dialog.setObjectName("crime_police_return_dialog")
        dialog.accepted.connect(lambda: self._returned(dialog))
        if self.dialog is not None:
            self.dialog.deleteLater()
        self.dialog = dialog
        dialog.open()

    def _returned(self, dialog) -> None:
        self.error.setStyleSheet(style.OK_STYLE)
        self.error.setText(self.tr("The case was sent to %1; it reaches the town at the next sync.")
                           .replace("%1", dialog.town.currentText()))
        self.error.show()

    def _filter(self):
        status = self.status.currentData()
        return self.service.CrimeFilter(status=None if status in (None, "__open__") else status,
                                        org=self.police.currentData(), open_only=status == "__open__",
                                        overdue_only=self.late.isChecked(), text=self.text.text())

    def refresh(self) -> None:
        shown = self.view.record.id if self.view.record is not None else None
        try:
            records, total = self.service.listing(self.store, self.profile, self._filter(), now=self.now())
        except (DomainError, SQLAlchemyError, OSError) as exc:
            self._fail(exc)
            return
        self.error.hide()
        self.model.set_records(records)
        self.count.setText(self.tr("%1 shown of %2").replace("%1", str(len(records))).replace("%2", str(total)))
        late = sum(1 for r in records if r.overdue)
        self.countChanged.emit(sum(1 for r in records if r.status.pending), late)
        self.open_record(shown) if shown else self._show_row(-1)

    def open_record(self, record_id: str | None) -> None:
        row = self.model.row_of(record_id)
        if row is None and record_id:  # filtered out: list everything, then select it
            self.status.blockSignals(True)
            self.status.setCurrentIndex(0)
            self.status.blockSignals(False)
            self.late.setChecked(False)
            self.text.clear()
            records, _total = self.service.listing(self.store, self.profile, self._filter(), now=self.now())
            self.model.set_records(records)
            row = self.model.row_of(record_id)
        if row is not None:
            if self.table.currentIndex().row() == row:
                self._show_row(row)  # already current: no currentRowChanged to show it
            else:
                self.table.setCurrentIndex(self.model.index(row, 0))

    def _show_row(self, row: int) -> None:
        record = self.model.record(row)
        steps = self.service.available_steps(record, self.profile) if record is not None else []
        self.view.show_record(record, steps)

    def _fail(self, exc: Exception) -> None:
        self.error.setStyleSheet(style.ERROR_STYLE)
        text = exc.message if isinstance(exc, DomainError) else storage_errors.describe(exc)
        self.error.setText(text)
        self.error.show()

    def run_step(self, step: str) -> None:
        record = self.view.record
        if record is None:
            return
        role = Role(self.profile.role)
        squad_for_police = record.owner_org == (self.profile.org_code or self.profile.town_code) and (
            step in cr.POLICE_STEPS)
        rid, expected = record.id, str(record.status)
        dialog = CrimeStepDialog(
            step, record, user_name=self.profile.name, squad_for_police=squad_for_police and role != Role.POLICE_LIAISON,
            police=self.orgs.of_kind(*cr.POLICE_KINDS), now=self.now(), parent=self,
            submit=lambda args: self.service.step(self.store, self.profile, rid, step,
                                                  {**args, "expected_status": expected}))
        dialog.setObjectName(f"crime_dialog_{step}")
        dialog.accepted.connect(lambda: self._stepped(rid))
        if self.dialog is not None:
            self.dialog.deleteLater()
        self.dialog = dialog
        dialog.open()

    def _stepped(self, record_id: str) -> None:
        self.refresh()
        self.open_record(record_id)
        self.changed.emit(record_id)

    def print_record(self, form: str) -> None:
        if self.printer is not None and self.view.record is not None:
            self.printer.print_criminal_referral(form, self.view.record)

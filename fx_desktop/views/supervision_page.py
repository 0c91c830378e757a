"""The 督办 section: the supervision sheets with filters (status, responsible unit, overdue only), and the selected
sheet with its deadline (overdue in red, 【已逾期】), every step with who and when, and a button per step the
user's side may take now. The supervising office (a town's office staff and squad leader, the bureau) issues sheets
and builds the periodic report (督办通报) for a period; the responsible unit (a department's liaison, a town's own
staff) signs, asks for more time and reports. The same page serves both sides."""
from __future__ import annotations

import html
from datetime import date
from typing import Callable

from PySide6.QtCore import QDate, QObject, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.exc import SQLAlchemyError

from ..domain import supervision as sv
from ..domain.errors import DomainError
from ..domain.organisations import OrgDirectory
from ..services import storage_errors
from . import style
from .activating_table import ActivatingTable
from .record_pane import RecordPane
from .rows_model import RecordRowsModel
from .style import mark_destructive, mark_primary
from .supervision_dialogs import IssueDialog, SheetStepDialog

NUMBER, MATTER, UNIT, STATUS, DEADLINE = range(5)


def deadline_text(record) -> tuple[str, bool]:
    """"2026-12-10（还剩 3 天）", "【已逾期】2026-12-10（逾期 2 天）"; and whether it is overdue."""
    day = record.deadline.isoformat()
    if not record.status.is_open:
        return day, False
    if record.status == sv.SheetStatus.REPORTED:
        return f"{day}（已反馈，待审核）", False
    if record.overdue:
        return f"【已逾期】{day}（逾期 {-record.days_left} 个工作日）", True
    return f"{day}（还剩 {record.days_left} 个工作日）", False


class SheetTableModel(RecordRowsModel):
    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self.headers = [self.tr("Number"), self.tr("Matter"), self.tr("Responsible unit"), self.tr("Status"),
                        self.tr("Deadline")]

    def texts(self, r) -> tuple[tuple[str, ...], bool]:
        text, late = deadline_text(r)
        return (r.number, r.matter, r.responsible_name, r.status_label, text), late


def details_html(record, orgs: OrgDirectory) -> str:
    """The sheet as the page shows it: its fields, then every step with who, which unit and when."""
    s, e = record.data, html.escape
    first = s.get("first_deadline")
    moved = f"（原定 {first}）" if first not in (None, record.deadline.isoformat()) else ""
    rows = [("督办事项", record.matter), ("来源", record.source_text or "其他事项"),
            ("督办单位", record.owner_name), ("责任单位", record.responsible_name),
            ("办结时限", record.deadline.isoformat() + moved),
            ("分管领导", s.get("leader") or "—"), ("承办人", s.get("handler") or "—")]
    if s.get("urged"):
        rows.append(("催办", "、".join(s["urged"])))
    if sv.extension_text(s):
        rows.append(("延期", sv.extension_text(s)))
    out = ["<table cellspacing=0 cellpadding=3>"]
    out += [f"<tr><td><b>{e(k)}</b></td><td>{e(str(v))}</td></tr>" for k, v in rows]
    out.append("</table><p><b>办理经过</b></p><table border=1 cellspacing=0 cellpadding=3>"
               "<tr><th>时间</th><th>步骤</th><th>办理人</th><th>单位</th><th>内容</th></tr>")
    for h in s.get("history") or []:
        out.append(f"<tr><td nowrap>{e(h['at'][:16].replace('T', ' '))}</td>"
                   f"<td nowrap>{e(sv.STEP_LABELS.get(h['step'], ''))}</td>"
                   f"<td nowrap>{e(h.get('by') or '')}</td><td>{e(orgs.name(h.get('org')))}</td>"
                   f"<td>{e(sv.step_text(h))}</td></tr>")
    out.append("</table>")
    return "".join(out)


class SheetView(RecordPane):
    """One sheet: title, deadline, the step buttons, and its details and steps."""

    stepRequested = Signal(str)
    printRequested = Signal()

    def __init__(self, orgs: OrgDirectory, parent: QWidget | None = None):
        super().__init__("supervision", parent)
        self.orgs = orgs
        self.deadline = self.clock  # a sheet's clock is its completion deadline
        self.show_record(None, [])

    def show_record(self, record, steps: list[str]) -> None:
        if record is None:
            self.show_nothing(self.tr("No supervision sheet selected"),
                              self.tr("Choose a sheet in the list. The supervising office issues one with "
                                      "“Issue sheet…”, or from a referral, police request or criminal "
                                      "referral."))
            return
        self.record = record
        self.clear_buttons()
        self.title.setText(f"{record.number}　{record.status_label}")
        text, late = deadline_text(record)
        self.deadline.setText(self.tr("Deadline: %1").replace("%1", text))
        self.deadline.setStyleSheet(style.ERROR_STYLE if late else "")
        for i, name in enumerate(steps):
            b = QPushButton(sv.STEP_LABELS[name])
            b.setObjectName(f"supervision_step_{name}")
            if name == "withdraw_supervision":  # cannot be undone: its form asks again, No by default
                mark_destructive(b)
            elif i == 0:
                mark_primary(b)
            b.clicked.connect(lambda _=False, n=name: self.stepRequested.emit(n))
            self.buttons.addWidget(b)
        printing = QPushButton(self.tr("Print sheet…"))
        printing.setObjectName("supervision_print")
        printing.clicked.connect(self.printRequested.emit)
        self.buttons.addWidget(printing)
        self.details.setHtml(details_html(record, self.orgs))


class PeriodDialog(QDialog):
    """The 督办通报's period (start, end)."""

    def __init__(self, today: date, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("supervision_period_dialog")
        self.setWindowTitle(self.tr("Supervision report"))
        first = today.replace(day=1)
        self.start = QDateEdit(QDate(first.year, first.month, first.day))
        self.end = QDateEdit(QDate(today.year, today.month, today.day))
        for name, w in (("supervision_period_start", self.start), ("supervision_period_end", self.end)):
            w.setObjectName(name)
            w.setCalendarPopup(True)
            w.setDisplayFormat("yyyy-MM-dd")
        self.error = QLabel()
        self.error.setStyleSheet(style.ERROR_STYLE)
        self.error.hide()
        for w in (self.start, self.end):
            w.dateChanged.connect(lambda _d: self.error.hide())
        form = QFormLayout()
        form.addRow(self.tr("From"), self.start)
        form.addRow(self.tr("To"), self.end)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        mark_primary(buttons.button(QDialogButtonBox.StandardButton.Ok))
        buttons.accepted.connect(self._ok)
        buttons.rejected.connect(self.reject)
        lay = QVBoxLayout(self)
        lay.addLayout(form)
        lay.addWidget(self.error)
        lay.addWidget(buttons)

    def period(self) -> tuple[date, date]:
        return self.start.date().toPython(), self.end.date().toPython()

    def _ok(self) -> None:
        start, end = self.period()
        if end < start:
            self.error.setText(self.tr("The end of the period cannot be before its start."))
            self.error.show()
            return
        self.accept()


class SupervisionPage(QWidget):
    """`service`: services.supervisions; `printer`: the main window's FormPrinter (or None)."""

    changed = Signal(str)  # a sheet's id, after a step was stored
    countChanged = Signal(int, int)  # open, overdue
    reportBuilt = Signal(object)  # the SupervisionReport the 通报 prints from

    def __init__(self, store, profile, orgs: OrgDirectory, service=None, *, printer=None,
                 today: Callable[[], date] = date.today, parent: QWidget | None = None):
        super().__init__(parent)
        if service is None:
            from ..services import supervisions as service
        self.store, self.profile, self.orgs, self.service, self.printer, self.today = (store, profile, orgs, service,
                                                                                       printer, today)
        self.dialog = None
        self.report = None  # the last SupervisionReport built
        self.status = QComboBox()
        self.status.setObjectName("supervision_filter_status")
        self.status.addItem(self.tr("All"), None)
        for s in sv.SheetStatus:
            self.status.addItem(s.label, str(s))
        self.unit = QComboBox()
        self.unit.setObjectName("supervision_filter_unit")
        for combo, chars in ((self.status, 5), (self.unit, 8)):  # long unit names: the window's minimum stays
            combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
            combo.setMinimumContentsLength(chars)
        self.late = QCheckBox(self.tr("Overdue only"))
        self.late.setObjectName("supervision_filter_late")
        self.count = QLabel()
        self.error = QLabel()
        self.error.setObjectName("supervision_error")
        self.error.setStyleSheet(style.ERROR_STYLE)
        self.error.setWordWrap(True)
        self.error.hide()
        self.status.currentIndexChanged.connect(lambda _i: self.refresh())
        self.unit.currentIndexChanged.connect(lambda _i: self.refresh())
        self.late.toggled.connect(lambda _c: self.refresh())
        self.issue_button = QPushButton(self.tr("Issue sheet…"))
        self.issue_button.setObjectName("supervision_issue")
        self.issue_button.clicked.connect(lambda: self.issue())
        self.report_button = QPushButton(self.tr("Supervision report…"))
        self.report_button.setObjectName("supervision_report")
        self.report_button.clicked.connect(self.build_report)
        filters = QHBoxLayout()  # above the list; the office's buttons above the sheet (the window stays narrow)
        self.unit_label = QLabel(self.tr("Responsible unit"))
        for w in (QLabel(self.tr("Status")), self.status, self.unit_label, self.unit, self.late):
            filters.addWidget(w)
        filters.addStretch(1)
        office = QHBoxLayout()
        office.addStretch(1)
        office.addWidget(self.report_button)
        office.addWidget(self.issue_button)
        self.model = SheetTableModel(self)
        self.table = ActivatingTable()
        self.table.setObjectName("supervision_table")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        chars = self.table.fontMetrics().horizontalAdvance("中")
        for column, width in ((NUMBER, 13), (MATTER, 9), (UNIT, 7), (STATUS, 5)):
            header.resizeSection(column, chars * width)
        self.table.selectionModel().currentRowChanged.connect(lambda cur, _prev: self._show_row(cur.row()))
        self.empty = QLabel(self.tr("No supervision sheets yet."))
        self.empty.setObjectName("supervision_empty")
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty.hide()
        self.view = SheetView(orgs)
        self.view.stepRequested.connect(self.run_step)
        self.view.printRequested.connect(self.print_sheet)
        left = QWidget()
        left_lay = QVBoxLayout(left)
        left_lay.setContentsMargins(0, 0, 0, 0)
        left_lay.addLayout(filters)
        left_lay.addWidget(self.table, 1)
        left_lay.addWidget(self.empty)
        left_lay.addWidget(self.count)
        right = QWidget()
        right_lay = QVBoxLayout(right)
        right_lay.setContentsMargins(0, 0, 0, 0)
        right_lay.addLayout(office)
        right_lay.addWidget(self.view, 1)
        split = QSplitter(Qt.Orientation.Horizontal)
        split.addWidget(left)
        split.addWidget(right)
        split.setStretchFactor(0, 1)
        split.setStretchFactor(1, 1)
        split.setSizes([600, 600])
        lay = QVBoxLayout(self)
        lay.addWidget(self.error)
        lay.addWidget(split, 1)
        self.set_profile(profile)

    def set_profile(self, profile) -> None:
        self.profile = profile
        office = self.service.may_issue(self.store, profile)
        self.issue_button.setVisible(office)
        self.report_button.setVisible(office)
        self.unit.blockSignals(True)
        self.unit.clear()
        self.unit.addItem(self.tr("All units"), None)
        for code, name in self.service.responsible_choices(self.store, profile) if office else []:
            self.unit.addItem(name, code)
        self.unit.setVisible(office)
        self.unit_label.setVisible(office)
        self.unit.blockSignals(False)

    def _filter(self):
        return self.service.SheetFilter(status=self.status.currentData(), responsible=self.unit.currentData(),
                                        overdue_only=self.late.isChecked())

    def refresh(self) -> None:
        shown = self.view.record.id if self.view.record is not None else None
        try:
            records = self.service.sheets(self.store, self.profile, self._filter(), today=self.today())
            everything = self.service.sheets(self.store, self.profile, today=self.today())
        except (DomainError, SQLAlchemyError, OSError) as exc:
            self._fail(exc)
            return
        self.error.hide()
        self.model.set_records(records)
        self.empty.setVisible(not records)
        self.empty.setText(self.tr("No supervision sheets yet.") if not everything
                           else self.tr("No sheet matches the filters."))
        self.count.setText(self.tr("%1 shown of %2").replace("%1", str(len(records)))
                           .replace("%2", str(len(everything))))
        self.countChanged.emit(sum(1 for r in everything if r.status.is_open), sum(1 for r in everything if r.overdue))
        self.open_record(shown) if shown else self._show_row(-1)

    def open_record(self, record_id: str | None) -> None:
        row = self.model.row_of(record_id)
        if row is None and record_id:  # filtered out: list everything, then select it
            for w in (self.status, self.unit):
                w.blockSignals(True)
                w.setCurrentIndex(0)
                w.blockSignals(False)
            self.late.blockSignals(True)
            self.late.setChecked(False)
            self.late.blockSignals(False)
            self.model.set_records(self.service.sheets(self.store, self.profile, self._filter(), today=self.today()))
            row = self.model.row_of(record_id)
        if row is not None:
            if self.table.currentIndex().row() == row:
                self._show_row(row)
            else:
                self.table.setCurrentIndex(self.model.index(row, 0))

    def _show_row(self, row: int) -> None:
        record = self.model.record(row)
        steps = self.service.available_steps(record, self.profile, today=self.today()) if record is not None else []
        self.view.show_record(record, steps)

    def _fail(self, exc: Exception) -> None:
        self.error.setStyleSheet(style.ERROR_STYLE)
        self.error.setText(exc.message if isinstance(exc, DomainError) else storage_errors.describe(exc))
        self.error.show()

    def _open(self, dialog) -> None:
        if self.dialog is not None:
            self.dialog.deleteLater()
        self.dialog = dialog
        dialog.open()

    def issue(self, source: dict | None = None, *, matter: str = "", responsible: str | None = None,
              deadline: date | None = None) -> None:
        """The issue dialog; `source` names the record followed up (from a referral's, a police request's or a
        criminal referral's page)."""
        dialog = IssueDialog(self.service.responsible_choices(self.store, self.profile),
                             lambda form: self.service.issue(self.store, self.profile, form), today=self.today(),
                             source=source, matter=matter, responsible=responsible, deadline=deadline,
                             parent=self)
        dialog.accepted.connect(lambda: self._stepped(dialog.result_record.id))
        self._open(dialog)

    def run_step(self, step: str) -> None:
        record = self.view.record
        if record is None:
            return
        rid, expected = record.id, str(record.status)
        dialog = SheetStepDialog(step, record, lambda args: self.service.step(
            self.store, self.profile, rid, step, args, expected_status=expected), today=self.today(), parent=self)
        dialog.accepted.connect(lambda: self._stepped(rid))
        self._open(dialog)

    def _stepped(self, record_id: str) -> None:
        self.refresh()
        self.open_record(record_id)
        self.changed.emit(record_id)

    def build_report(self) -> None:
        dialog = PeriodDialog(self.today(), self)
        dialog.accepted.connect(lambda: self._report(*dialog.period()))
        self._open(dialog)

    def _report(self, start: date, end: date) -> None:
        from ..services.supervision_print import report_print

        self.report = report_print(self.store, start, end, self.today())
        self.reportBuilt.emit(self.report)
        if self.printer is not None:
            self.printer.print_supervision("supervision-report", self.report,
                                           self.tr("%1 to %2").replace("%1", start.isoformat())
                                           .replace("%2", end.isoformat()))

    def print_sheet(self) -> None:
        record = self.view.record
        if record is None:
            return
        from ..services.supervision_print import sheet_print

        if self.printer is not None:  # built off the GUI thread by the preview
            self.printer.print_supervision("supervision-sheet", lambda: sheet_print(self.store, record.id),
                                           record.number or record.matter)
"""The 法制审核 tab of a case: whether its decision is major and why, every review round with its answer, and the
steps the user may take now (submit, review, extend) plus printing the review forms."""
from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QMenu,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from ..domain import legal_review as lr
from ..domain.roles import Role
from .flow_layout import FlowLayout
from .icons import icon
from .style import mark_primary


def round_text(r) -> str:
    """One round as the squad and the reviewer read it."""
    lines = [f"第 {r.round_no} 次送审　{r.submitted_at:%Y-%m-%d %H:%M}　{r.submitted_by}",
             "送审材料：" + "、".join(lr.MATERIAL_LABELS.get(m, m) for m in r.materials),
             f"审核期限：{r.due_on}" + (f"（已延长：{r.extension_reason}）" if r.extension_reason else ""),
             "", "申请报告：", r.report]
    if r.outcome:
        lines += ["", f"审核结论：{r.outcome.label}　审核人：{r.reviewer}　{r.reviewed_at:%Y-%m-%d %H:%M}"
                  + (f"　意见书编号：{r.opinion_number}" if r.opinion_number else "")]
        for key, label in lr.CRITERIA:
            item = (r.criteria or {}).get(key) or {}
            mark = lr.criterion_answer(key, bool(item.get("passed")))
            lines.append(f"　{label}：{mark}" + (f"（{item['note']}）" if item.get("note") else ""))
        lines += ["审核意见：", r.opinion or "（无）"]
    elif r.status is lr.ReviewStatus.WITHDRAWN:
        lines += ["", "已由中队长撤回。"]
    return "\n".join(lines)


class ReviewPanel(QWidget):
    submitRequested = Signal()
    reviewRequested = Signal(str)  # review id
    extendRequested = Signal(str)  # review id
    printRequested = Signal(str)  # form name

    def __init__(self, forms=lambda: [], parent: QWidget | None = None):
        """`forms` lists (name, title) of the printable forms; asked when the print menu first opens, so the form
        builders are not imported at start-up."""
        super().__init__(parent)
        self.major = QLabel()
        self.major.setObjectName("review_major")
        self.major.setWordWrap(True)
        self.table = QTableWidget(0, 6)
        self.table.setHorizontalHeaderLabels([self.tr("Round"), self.tr("Submitted"), self.tr("By"),
                                              self.tr("Due"), self.tr("Status"), self.tr("Reviewer")])
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setMaximumHeight(140)
        self.table.currentCellChanged.connect(lambda row, *_: self._show_round(row))
        self.detail = QTextBrowser()
        self.detail.setObjectName("review_detail")
        self.submit = QPushButton(icon("submit_review"), self.tr("Submit for legal review…"))
        self.submit.setObjectName("review_submit")
        mark_primary(self.submit)
        self.submit.clicked.connect(self.submitRequested)
        self.review = QPushButton(icon("review"), self.tr("Review…"))
        self.review.setObjectName("review_verdict")
        mark_primary(self.review)  # opens the review desk; its “确认提交” is the irreversible step
        self.review.clicked.connect(lambda: self.reviewRequested.emit(self._pending_id or ""))
        self.extend = QPushButton(icon("extend"), self.tr("Extend deadline…"))
        self.extend.setObjectName("review_extend")
        self.extend.clicked.connect(lambda: self.extendRequested.emit(self._pending_id or ""))
        self.print_button = QPushButton(icon("print"), self.tr("Print"))
        self.print_button.setObjectName("review_print")
        self.print_menu = QMenu(self.print_button)
        self.print_menu.aboutToShow.connect(lambda: self.fill_print_menu(forms))
        self.print_button.setMenu(self.print_menu)
        buttons = FlowLayout()  # wraps in a narrow pane
        for b in (self.submit, self.review, self.extend, self.print_button):
            buttons.addWidget(b)
        for scrolled in (self.table, self.detail):  # both scroll: a low window (150 %) keeps room for the case
            scrolled.setMinimumHeight(self.fontMetrics().height() * 3)
        lay = QVBoxLayout(self)
        lay.addWidget(self.major)
        lay.addLayout(buttons)
        lay.addWidget(self.table)
        lay.addWidget(self.detail, 1)
        self._rounds: list = []
        self._pending_id: str | None = None

    def fill_print_menu(self, forms) -> None:
        if self.print_menu.actions():
            return
        for name, title in forms():
            act = self.print_menu.addAction(title)
            act.setObjectName(f"print_{name}")
            act.triggered.connect(lambda _=False, n=name: self.printRequested.emit(n))

    def show_review(self, rounds: list, reasons: list[str] | None, *, can_submit: bool, role: Role | None,
                    editable: bool, reopened: bool = False) -> None:
        """`reasons` None: no case shown. `editable`: the user's town and an open case. `reopened`: the case was
        changed after the reviewer agreed, so the pass no longer holds."""
        self._rounds = rounds
        if reasons is None:
            self.major.setText("")
        elif reasons:
            self.major.setText(self.tr("Major enforcement decision — legal review must pass before the decision: %1")
                               .replace("%1", "；".join(reasons)))
        else:
            self.major.setText(self.tr("Not a major enforcement decision; legal review may still be requested."))
        if reopened:
            self.major.setText(self.major.text() + "\n" + self.tr(
                "The proposed decision was changed after the review agreed to it: the squad leader withdraws the "
                "submission (“Return for revision”) and it is submitted again."))
        pending = next((r for r in reversed(rounds) if r.status is lr.ReviewStatus.PENDING), None)
        self._pending_id = pending.id if pending else None
        reviewer = role == Role.LEGAL_REVIEWER and editable and pending is not None
        self.submit.setVisible(can_submit)
        self.review.setVisible(reviewer)
        self.extend.setVisible(reviewer and not pending.extension_reason)
        self.print_button.setEnabled(reasons is not None)
        self.table.setRowCount(len(rounds))
        for row, r in enumerate(rounds):
            cells = [str(r.round_no), f"{r.submitted_at:%Y-%m-%d}", r.submitted_by, str(r.due_on),
                     r.outcome.label if r.outcome else r.status.label, r.reviewer or ""]
            for col, text in enumerate(cells):
                self.table.setItem(row, col, QTableWidgetItem(text))
        if rounds:
            self.table.setCurrentCell(len(rounds) - 1, 0)
            self._show_round(len(rounds) - 1)
        else:
            self.detail.setPlainText(self.tr("Not submitted for legal review yet.") if reasons is not None else "")

    def _show_round(self, row: int) -> None:
        if 0 <= row < len(self._rounds):
            self.detail.setPlainText(round_text(self._rounds[row]))

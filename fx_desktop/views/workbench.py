"""The workbench (工作台), the first page: what is the user's to act on (services.workbench), sorted by what falls
due first, overdue rows red and said in words (已逾期 3 个工作日), counts per kind above the list. Enter or a
double-click asks the window to open the record in its own page; the window brings the user back here (Alt+Left)
with the same row selected, since a reload keeps the selection by the item's key. Where there is nothing, the page
says what will appear here and offers the next step. A new case's draft left by a crash is offered in a banner."""
from __future__ import annotations

from datetime import date, datetime
from typing import Callable

from PySide6.QtCore import QItemSelectionModel, QModelIndex, QObject, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QFont
from PySide6.QtWidgets import (
    QAbstractItemView, QFrame, QHBoxLayout, QHeaderView, QLabel, QMessageBox, QPushButton, QStackedWidget,
    QVBoxLayout, QWidget
)

from ..domain.case_draft import CaseDraft
from ..domain.roles import Role
from ..services.drafts import OFFERED, DraftStore
from ..services.workbench import WorkItem, Workbench
from .activating_table import ActivatingTable
from .rows_model import RowsModel
from . import style
from .icons import icon
from .style import EmptyState, heading, mark_destructive, mark_primary

OVERDUE = QColor(style.OVERDUE)
SOON = QColor(style.WARN)  # due within SOON_DAYS
SOON_DAYS = 2
DUE, STATE, TASK, NUMBER, TITLE, KIND = range(6)  # the clock first: what falls due first is read first


class WorkbenchModel(RowsModel):
    """The items as rows (a few hundred at most: the service reads at most LIMIT per kind)."""

    def __init__(self, labels: dict[str, str], parent: QObject | None = None, icons: dict[str, str] | None = None):
        """`labels`: the record kinds' names for the 类别 column; `icons`: their icons (keys of icons.NAMES), drawn
        beside each item's task."""
        super().__init__(parent)
        self.labels = labels
        self.icons = {kind: icon(key) for kind, key in (icons or {}).items() if key}
        self.items: list[WorkItem] = []
        self.headers = [self.tr("Due"), self.tr("Time left"), self.tr("To do"), self.tr("Number"),
                        self.tr("Party · cause"), self.tr("Kind")]

    def set_items(self, items: list[WorkItem]) -> None:
        self.beginResetModel()
        self.items = list(items)
        self.endResetModel()

    def rows(self) -> list[WorkItem]:
        return self.items

    def time_left(self, item: WorkItem) -> str:
        """已逾期 3 个工作日 / 剩 2 天 / 今日到期 / 无期限."""
        if item.left is None:
            return self.tr("No deadline")
        unit = self.tr("working day(s)") if item.working_days else self.tr("day(s)")
        if item.left < 0:
            return self.tr("Overdue by %1 %2").replace("%1", str(-item.left)).replace("%2", unit)
        if item.left == 0:
            return self.tr("Due today")
        return self.tr("%1 %2 left").replace("%1", str(item.left)).replace("%2", unit)

    def data(self, index: QModelIndex, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or not 0 <= index.row() < len(self.items):
            return None
        item, column = self.items[index.row()], index.column()
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return (item.due.isoformat() if item.due else "—", self.time_left(item), item.task, item.number,
                    item.title, self.labels.get(item.kind, item.kind))[column]
        if role == Qt.ItemDataRole.ForegroundRole:
            if item.overdue:
                return QBrush(OVERDUE)
            if column == STATE and item.left is not None and item.left <= SOON_DAYS:
                return QBrush(SOON)
        if role == Qt.ItemDataRole.FontRole and column in (TASK, STATE) and item.overdue:
            font = QFont()
            font.setBold(True)
            return font
        if role == Qt.ItemDataRole.DecorationRole and column == TASK:
            return self.icons.get(item.kind)
        if role == Qt.ItemDataRole.UserRole:
            return item
        return None

    def row_of(self, key) -> int | None:
        for row, item in enumerate(self.items):
            if item.key == key:
                return row
        return None


class DraftBanner(QFrame):
    """A new case typed but never saved (the program was closed unexpectedly): continue it or throw it away."""

    resumeRequested = Signal()
    discardRequested = Signal()

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("draft_banner")
        self.setStyleSheet(f"#draft_banner {{ background: {style.WARN_BG}; border: 1px solid {style.WARN_BORDER}; "
                           "border-radius: 4px; }")
        self.text = QLabel()
        self.text.setWordWrap(True)
        self.resume = QPushButton(self.tr("Continue editing"))
        self.resume.setObjectName("draft_resume")
        mark_primary(self.resume)
        self.resume.clicked.connect(self.resumeRequested)
        self.discard = QPushButton(self.tr("Discard"))
        self.discard.setObjectName("draft_discard")
        mark_destructive(self.discard)  # DraftOffer asks before it deletes the draft
        self.discard.clicked.connect(self.discardRequested)
        row = QHBoxLayout(self)
        row.addWidget(self.text, 1)
        row.addWidget(self.resume)
        row.addWidget(self.discard)
        self.hide()

    def offer(self, saved_at: datetime | None, what: str = "") -> None:
        """Show the offer of a draft saved at `saved_at` (None: hide it); `what` names it (its party, its cause)."""
        if saved_at is None:
            self.hide()
            return
        self.text.setText(self.tr("A new case typed at %1 was not saved (the program was closed unexpectedly)%2. "
                                  "Continue where you left off?")
                          .replace("%1", saved_at.strftime("%Y-%m-%d %H:%M"))
                          .replace("%2", f"（{what}）" if what else ""))
        self.show()


class DraftOffer(QObject):
    """The banner's choices about the draft set aside at start (DraftStore.set_aside_new): 继续编辑 hands it to
    `resume(draft)`, which opens it in the new-case form and returns whether it did (then it is forgotten here:
    the form keeps it from now on); 丢弃 deletes it. Either way it is not offered again."""

    def __init__(self, drafts: DraftStore, offered: tuple[CaseDraft, datetime] | None, banner: DraftBanner,
                 resume: Callable[[CaseDraft], bool], parent: QObject | None = None):
        super().__init__(parent)
        self.drafts, self.banner, self.resume = drafts, banner, resume
        self.draft = offered[0] if offered else None
        banner.offer(offered[1] if offered else None,
                     " · ".join(p for p in (self.draft.party_name, self.draft.cause) if p) if self.draft else "")
        banner.resumeRequested.connect(self._resume)
        banner.discardRequested.connect(self._discard)

    def _resume(self) -> None:
        if self.draft is not None and self.resume(self.draft):
            self._forget()

    def _discard(self) -> None:
        answer = QMessageBox.question(
            self.banner, self.tr("Discard the unsaved case"),
            self.tr("Discard the new case that was not saved? What was typed in it is deleted and cannot be "
                    "restored."), QMessageBox.StandardButton.Discard | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Cancel)
        if answer == QMessageBox.StandardButton.Discard:
            self._forget()

    def _forget(self) -> None:
        self.drafts.discard(OFFERED)
        self.draft = None
        self.banner.hide()


class WorkbenchPage(QWidget):
    """`load()` returns the user's Workbench (services.workbench.load for this user and today); `role()` the
    user's role, for the empty state's words."""

    openRequested = Signal(object)  # the WorkItem
    sectionRequested = Signal(str)  # the empty state's next step: "register", "reviews" or "sync"
    countChanged = Signal(int, int)  # items to do, of which overdue (after each reading)

    def __init__(self, load: Callable[[], Workbench], labels: dict[str, str], role: Callable[[], Role], *,
                 today: Callable[[], date] = date.today, load_now: bool = True, icons: dict[str, str] | None = None,
                 parent: QWidget | None = None):
        """`load_now`: read the items at once (else at the first refresh(), e.g. when the page is shown);
        `icons`: each record kind's icon (a key of icons.NAMES)."""
        super().__init__(parent)
        self.load, self.role, self.today = load, role, today
        self.heading = QLabel()
        self.heading.setObjectName("workbench_heading")
        heading(self.heading, 1)
        self.counts = QLabel()
        self.counts.setObjectName("workbench_counts")
        self.counts.setTextFormat(Qt.TextFormat.RichText)
        self.counts.setWordWrap(True)  # one count per record kind: on a narrow window the line wraps, never widens it
        refresh = QPushButton(icon("refresh"), self.tr("Refresh"))
        refresh.clicked.connect(self.refresh)
        self.draft = DraftBanner()

        self.model = WorkbenchModel(labels, self, icons)
        self.table = ActivatingTable()
        self.table.setObjectName("workbench_table")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 12)
        header = self.table.horizontalHeader()
        metrics = self.fontMetrics()
        for column, sample in ((TASK, "打印移送函、物品清单和回执"), (NUMBER, "奉南桥综执立〔2026〕0001号"),
                               (KIND, "法制审核"), (DUE, "2026-03-20"), (STATE, "已逾期 999 个工作日")):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Interactive)
            beside = self.table.iconSize().width() + 6 if column == TASK else 0  # the record kind's icon
            header.resizeSection(column, metrics.horizontalAdvance(sample) + 24 + beside)
        self.table.fill_column(TITLE, metrics.horizontalAdvance("上海锦程农业发展有限公司 · 擅自改变"))
        header.setHighlightSections(False)
        self.table.activatedRow.connect(self._activate)
        self.table.selectionModel().currentRowChanged.connect(self._current_changed)

        self.empty_state = EmptyState(width_chars=36)
        self.empty_state.setObjectName("workbench_empty_state")
        self.empty = self.empty_state.label
        self.empty.setObjectName("workbench_empty")
        self.next_step = self.empty_state.button
        self.next_step.setObjectName("workbench_next_step")
        self.empty_state.nextStep.connect(lambda: self.sectionRequested.emit(self._next_section))
        self.body = QStackedWidget()
        self.body.addWidget(self.table)
        self.body.addWidget(self.empty_state)

        top = QHBoxLayout()
        top.addWidget(self.heading)
        top.addSpacing(16)
        top.addWidget(self.counts, 1)
        top.addWidget(refresh)
        lay = QVBoxLayout(self)
        lay.addLayout(top)
        lay.addWidget(self.draft)
        lay.addWidget(self.body, 1)
        self._selected = None
        self._next_section = "register"
        self.bench: Workbench | None = None
        if load_now:
            self.refresh()

    def empty_text(self, role: Role, served: bool) -> tuple[str, str, str]:
        """(what is missing and what will appear here, the next step's button, the section it opens) for a role."""
        register = self.tr("Open the case register")
        if not served:
            return (self.tr("The workbench lists nothing for the role “%1” yet: your work is in the sections on the "
                            "left.").replace("%1", role.label), register, "register")
        texts = {
            Role.LEGAL_REVIEWER: (self.tr("No case is waiting for your legal review. Cases your town submits for "
                                          "review will appear here, the nearest deadline first."),
                                  self.tr("See every review round"), "reviews"),
            Role.SQUAD_LEADER: (self.tr("Nothing needs you now. Cases nearing their decision deadline, clues to file, "
                                        "review results and referrals a department is late with will appear here."),
                                register, "register"),
            Role.OFFICER: (self.tr("No case of yours has a deadline running. Cases you are named on will appear here "
                                   "as their decision or service deadlines run."), register, "register"),
            Role.OFFICE_STAFF: (self.tr("No document to print. Referral letters of referrals just submitted and legal "
                                        "review opinions of cases waiting for their decision will appear here."),
                                register, "register"),
            Role.DEPARTMENT_LIAISON: (self.tr("No referral is waiting for you. Referrals the towns send to your "
                                              "organisation appear here after a sync: sign for them, accept or return "
                                              "them, report the result."), self.tr("Sync now"), "sync"),
            Role.BUREAU_DISPATCHER: (self.tr("No clue is waiting for a town. Clues you route to a town appear here "
                                             "until the town files them or decides not to."), register, "register"),
        }
        return texts.get(role, (self.tr("Nothing to do here now."), register, "register"))

    def refresh(self) -> None:
        """Read the items again; the row selected stays selected (by its item) when it is still on the list."""
        self.bench = bench = self.load()
        self.model.set_items(bench.items)
        self.heading.setText(self.tr("My work · %1").replace("%1", self.today().strftime("%Y-%m-%d")))
        self.counts.setText(self._counts_text(bench))
        self.countChanged.emit(*self.count())
        if bench.items:
            self.body.setCurrentIndex(0)
            row = self.model.row_of(self._selected)
            self._select(0 if row is None else row)
        else:
            text, button, section = self.empty_text(self.role(), bench.served)
            self.empty_state.set_text(text, button)
            self._next_section = section
            self.body.setCurrentIndex(1)

    def count(self) -> tuple[int, int]:
        """(items to do, of which overdue) as last read; (0, 0) before the first reading."""
        if self.bench is None:
            return 0, 0
        return self.bench.total, sum(c.overdue for c in self.bench.counts)

    def _counts_text(self, bench: Workbench) -> str:
        parts = []
        for c in bench.counts:
            late = (f" <span style='color:{OVERDUE.name()}'>"
                    + self.tr("(%1 overdue)").replace("%1", str(c.overdue)) + "</span>") if c.overdue else ""
            parts.append(f"{c.label} <b>{c.total}</b>{late}")
        text = "　·　".join(parts)
        if not bench.shown_all:
            text += "　" + self.tr("(the %1 due first are listed)").replace("%1", str(len(bench.items)))
        return text

    def _select(self, row: int) -> None:
        self.table.selectionModel().setCurrentIndex(
            self.model.index(row, 0),
            QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows)

    def _current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if current.isValid():
            self._selected = self.model.items[current.row()].key

    def current_item(self) -> WorkItem | None:
        index = self.table.currentIndex()
        return self.model.items[index.row()] if index.isValid() else None

    def _activate(self, row: int) -> None:
        if 0 <= row < len(self.model.items):
            self._select(row)
            self.openRequested.emit(self.model.items[row])

    def focus_list(self) -> None:
        """The keyboard back on the list (after returning here)."""
        (self.table if self.body.currentIndex() == 0 else self.next_step).setFocus()

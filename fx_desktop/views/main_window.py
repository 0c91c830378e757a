"""Main window: section navigation (sidebar with icons and live counts, Ctrl+1…n; the workbench first), back to
where the user was (Alt+Left), the menu bar, the case register (filters, list, detail), the sync page and its
status-bar indicator, help (F1 guide, About), shortcuts, a size that fits the screen and remembered layout."""
from __future__ import annotations

from datetime import date
from typing import Callable

from PySide6.QtCore import QItemSelectionModel, QRect, QSettings, QSize, Qt
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMainWindow,
    QMenu,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from ..domain.organisations import OrgDirectory, OrgKind
from ..domain.roles import Role
from ..services import criminal_referrals, organisations, workbench
from ..services.drafts import DraftStore
from ..services.cases import register_towns
from ..services.profile import Profile
from ..store import Store
from ..store.case_queries import CaseQueries
from ..sync.credentials import system_store
from ..sync.worker import SyncController
from .background_count import BackgroundCount
from .case_detail import CaseDetail
from .case_table_model import KEYS, CaseTableModel
from .case_table_view import CaseTableView
from .column_chooser import ColumnChooser
from .data_page import DataPage
from .filter_bar import FilterBar
from .form_printer import FormPrinter
from .help_dialogs import GuideDialog, about_box
from .icons import icon
from .meetings_page import MeetingsSection
from .police_request_list import PoliceRequestList
from .police_request_page import PoliceRequestPage
from .roster_page import RosterPage
from .referral_actions import ReferralActions
from .referral_inbox import ReferralInbox
from .criminal_referral_page import CriminalReferralPage
from .supervision_page import SupervisionPage
from .sync_indicator import SyncIndicator
from .review_desk import ReviewDesk
from .review_queue import ReviewQueue
from .screen_fit import place, screen_available
from .style import style_window
from .section_nav import SectionNav
from .sync_page import SyncPage
from .workbench import DraftOffer, WorkbenchPage

RECEIVING_KINDS = (OrgKind.DEPARTMENT, OrgKind.PROCURATORATE, OrgKind.POLICE_BUREAU, OrgKind.POLICE_STATION)
POLICE_KINDS = (OrgKind.POLICE_BUREAU, OrgKind.POLICE_STATION)


def supervision_section(profile) -> bool:
    """督办: a town's office staff and squad leader, a department's (the police's, the procuratorate's) liaison as a
    responsible unit, the bureau."""
    return Role(profile.role) not in (Role.OFFICER, Role.LEGAL_REVIEWER)
PREFERRED_SIZE = QSize(1360, 820)  # the window's size where the screen has room for it


class MainWindow(QMainWindow):
    def __init__(self, store: Store, profile: Profile, reference: dict, tasks, settings: QSettings,
                 today: Callable[[], date] = date.today, parent: QWidget | None = None, *,
                 sync: SyncController | None = None, credentials: Callable | None = None,
                 orgs: OrgDirectory | None = None, referral_service=None, available: Callable[[], QRect] | None = None):
        """`sync` runs synchronisation (app.py passes the one it wires; by default a logged-out one);
        `credentials` gives the store for the refresh token (the system keyring by default); `orgs` the
        organisations (the store's directory by default); `referral_service` what the referral steps call
        (services.referrals by default); `available` the screen area the window must fit in (the available
        geometry of its screen by default)."""
        super().__init__(parent)
        self.available = available or screen_available(self)
        self.store, self.profile, self.settings, self.tasks = store, profile, settings, tasks
        self.sync = sync or SyncController(store, tasks, parent=self)
        self.setWindowTitle(self.tr("Fengxian enforcement coordination — case register"))
        style_window(self)  # views/style.py: its dialogs inherit the style sheet
        self.towns = towns = {t["code"]: t["name"] for t in reference["towns"]}
        drafts = DraftStore(store.paths.drafts)
        offered = drafts.set_aside_new()  # before the case form exists: it would ask about the draft at once

        self.filters = FilterBar(towns, reference.get("categories", []), today=today)
        self.counter = BackgroundCount(store.engine, parent=self)  # a list's cases counted off the GUI thread
        self.model = CaseTableModel(CaseQueries(store.engine), towns, today=today,
                                    owner_towns=register_towns(profile), counter=self.counter, parent=self)
        self.table = CaseTableView(self.model)
        self.table.horizontalHeader().setSortIndicator(KEYS.index("opened_on"), Qt.SortOrder.DescendingOrder)
        self.table.setSortingEnabled(True)  # sorts by the indicator: this loads the first page
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(self.table.fontMetrics().height() + 8)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.setWordWrap(False)
        self.columns = ColumnChooser(self.table, settings, profile, self)  # restored with the layout
        self.orgs = orgs or organisations.directory(store)
        self.printer = FormPrinter(store, tasks, self)
        self.referral_actions = ReferralActions(store, profile, self.orgs, self.printer, today=today,
                                                service=referral_service, parent=self)
        self.detail = CaseDetail(store, profile, reference, tasks, today=today, orgs=self.orgs,
                                 referral_actions=self.referral_actions)
        # a department, the procuratorate or the police: their inbox of referrals is the home page
        self.receiving = profile.org_kind in RECEIVING_KINDS
        self._crime_section = profile.org_kind not in (OrgKind.DEPARTMENT,)  # 刑事移送: not a department's
        actions = self.referral_actions
        self.referral_inbox = ReferralInbox(
            store, tasks, actions, lambda: actions.service.inbox(store, actions.profile, today=today()),
            receiving_side=self.receiving, today=today)
        self.referral_inbox.caseRequested.connect(self.show_case)
        # 公安协助: the squad's requests (a police organisation's: those addressed to it) and one request's page
        self.police_list = PoliceRequestList(store, lambda: self.profile, self.orgs)
        self.police_list.openRequested.connect(lambda rid: self._open_police_from(self.police_list, rid))
        self.police_list.newRequested.connect(self._new_police_request)
        self.police_page = PoliceRequestPage(store, lambda: self.profile, printer=self.printer)
        self.police_page.caseRequested.connect(self.show_case)
        self.detail.police.openRequested.connect(lambda rid: self._open_police_from(self.splitter, rid))
        self.crime_page = CriminalReferralPage(store, profile, self.orgs, criminal_referrals, printer=self.printer)
        self.detail.criminalReferred.connect(self.show_criminal_referral)
        # 会议: the meetings the organisation convenes or is invited to, the consultation item list, one meeting
        self.meetings = MeetingsSection(store, lambda: self.profile, today=today, printer=self.printer)
        self.meetings.page.superviseRequested.connect(self.issue_supervision)  # 督办 of an agreed item
        self.meetings.page.sheetRequested.connect(self.show_supervision)
        # 督办: the supervision sheets the user's organisation issued or answers for
        self.supervision_page = SupervisionPage(store, profile, self.orgs, printer=self.printer, today=today)
        self._sup_section = supervision_section(profile)
        self.meetings.page.opens_sheets = lambda: self._sup_section  # 查看督办单 only where 督办 is in the sidebar
        for page in (self.referral_actions, self.police_page, self.crime_page):  # their 督办 action
            page.superviseRequested.connect(self.issue_supervision)
        self.roster_page = RosterPage(store, lambda: self.profile, today=today, town_name=self.orgs.name)  # 人员与执法证
        self.roster_page.changed.connect(self.detail.load_roster)

        register = QWidget()
        left = QVBoxLayout(register)
        left.setContentsMargins(0, 0, 0, 0)
        left.addWidget(self.filters)
        left.addWidget(self.table, 1)
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.addWidget(register)
        self.splitter.addWidget(self.detail)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 2)

        self.review_queue = ReviewQueue(store, profile, today=today)
        self.review_queue.caseRequested.connect(lambda case_id: self._open_review_from(self.review_queue, case_id))
        self.review_desk = ReviewDesk(store, profile, tasks, settings, towns, today=today)  # a page without a row
        self.review_desk.backRequested.connect(self._review_desk_back)  # Esc
        self.review_desk.verdictRecorded.connect(self._review_recorded)
        self.detail.reviewDeskRequested.connect(lambda case_id: self._open_review_from(self.splitter, case_id))
        self.workbench = WorkbenchPage(lambda: workbench.load(store, self.profile, today=today()),
                                       {kind: source.label for kind, source in workbench.SOURCES.items()},
                                       lambda: self.profile.role, today=today, load_now=False,  # read when shown
                                       icons={kind: source.icon for kind, source in workbench.SOURCES.items()})
        self.workbench.openRequested.connect(self.open_work)
        self.workbench.sectionRequested.connect(self._next_step)
        self.draft_offer = DraftOffer(drafts, None if self.receiving else offered, self.workbench.draft,
                                      self._resume_draft, self)  # a department registers no cases
        # how the workbench opens a record of each kind (a later kind adds its page here)
        self.openers: dict[str, Callable[[workbench.WorkItem], None]] = {
            "case": lambda item: self.show_case(item.case_id),
            "legal_review": lambda item: self.show_review_of(item.case_id, [
                i.case_id for i in self.workbench.model.items if i.kind == "legal_review" and i.case_id]),
            "referral": lambda item: self.show_referral(item.record_id),
            "police_request": lambda item: self.show_police_request(item.record_id),
            "criminal_referral": lambda item: self.show_criminal_referral(item.record_id),
            "meeting": lambda item: self.show_meeting(item.record_id),
            "supervision": lambda item: self.show_supervision(item.record_id),
            "roster_entry": lambda item: self.show_roster_entry(item.record_id),
        }
        self._back: list[QWidget] = []  # the pages to go back to, the last one first
        self.data_page = DataPage(store, tasks)
        self.sync_page = SyncPage(store, self.sync, tasks, settings, profile, credentials or system_store)
        self.sections = QStackedWidget()
        self.nav = SectionNav()
        self._on_show: list[Callable[[], None] | None] = []
        self._counts: dict[QWidget, tuple[int | None, bool, str]] = {}  # a section's count, kept across rebuilds
        self.guide: GuideDialog | None = None
        self.nav.currentRowChanged.connect(self._section_chosen)
        self.nav.itemClicked.connect(  # the row already current while the review desk (no row of its own) shows
            lambda _item: self._section_chosen(self.nav.currentRow())
            if self.sections.currentWidget() is self.review_desk else None)
        central = QWidget()
        row = QHBoxLayout(central)
        row.setContentsMargins(4, 4, 4, 0)
        row.addWidget(self.nav)
        right = QVBoxLayout()
        right.setContentsMargins(0, 0, 0, 0)
        self.back_button = QPushButton(icon("back"), self.tr("Back to the workbench (Alt+←)"))
        self.back_button.setObjectName("back_button")
        self.back_button.clicked.connect(self.go_back)
        self.back_button.hide()
        right.addWidget(self.back_button, 0, Qt.AlignmentFlag.AlignLeft)
        right.addWidget(self.sections, 1)
        row.addLayout(right, 1)
        self.setCentralWidget(central)
        self.back_action = QAction(icon("back"), self.tr("Back"), self)
        keys = [QKeySequence("Alt+Left")]
        keys += [k for k in QKeySequence.keyBindings(QKeySequence.StandardKey.Back) if k not in keys]  # macOS: Cmd+[
        self.back_action.setShortcuts(keys)
        self.back_action.triggered.connect(self.go_back)
        self.addAction(self.back_action)
        self.sections.currentChanged.connect(lambda _i: self._show_back())

        self._build_actions()
        self.count_label = QLabel()
        self.user_label = QLabel(self._user_text(profile, towns))
        self.sync_indicator = SyncIndicator()
        self.sync_indicator.clicked.connect(self.show_sync_page)
        self.statusBar().addWidget(self.count_label)
        self.statusBar().addPermanentWidget(self.sync_indicator)
        self.statusBar().addPermanentWidget(self.user_label)

        self.filters.filterChanged.connect(self.model.set_filter)
        self.model.totalChanged.connect(self._show_total)
        if self.model.counted:  # else the count follows once the list is painted
            self._show_total(self.model.total)
        self.model.modelReset.connect(self._reselect)
        self.table.selectionModel().currentRowChanged.connect(self._row_changed)
        self.detail.saved.connect(self._case_saved)
        self.detail.discarded.connect(self._case_discarded)
        self._connect_sync()
        self._selected_id: str | None = None
        self._restoring = False

        self._build_menus()
        self._build_sections()
        self.nav.setCurrentRow(0)
        self._connect_counts()
        self._restore_layout()

    def _build_sections(self) -> None:
        """The navigation for the user's organisation: a department's (the procuratorate's, the police's) inbox
        of referrals as the home page; a town's (or the bureau's) register, legal review and referrals sent."""
        current = self.sections.currentWidget()
        self.nav.blockSignals(True)
        self.nav.clear()
        while self.sections.count():
            self.sections.removeWidget(self.sections.widget(0))
        self._on_show = []
        for a in self.section_actions:
            self.section_menu.removeAction(a)
            self.removeAction(a)
            a.deleteLater()
        self.section_actions = []
        self.add_section(self.tr("Workbench"), self.workbench, on_show=self.workbench.refresh, icon_key="workbench")
        if self.profile.org_kind in POLICE_KINDS:  # a station's home: the requests addressed to it come first
            self._add_police_section()
        if self.receiving:
            self.add_section(self.tr("Referrals received"), self.referral_inbox, icon_key="referrals_received")
            if self._crime_section:  # the police and the procuratorate; a department has no criminal referrals
                self.add_section(self.tr("Criminal referrals"), self.crime_page, on_show=self.crime_page.refresh,
                                 icon_key="criminal_referrals")
        else:
            self.add_section(self.tr("Case register"), self.splitter, icon_key="case_register")
            self.add_section(self.tr("Legal review"), self.review_queue, on_show=self.review_queue.refresh,
                             icon_key="legal_review")
            self.add_section(self.tr("Referrals"), self.referral_inbox, on_show=self.referral_inbox.refresh,
                             icon_key="referrals")
        if self.profile.org_kind not in (OrgKind.DEPARTMENT, OrgKind.PROCURATORATE, *POLICE_KINDS):
            self._add_police_section()
            self.add_section(self.tr("Criminal referrals"), self.crime_page, on_show=self.crime_page.refresh,
                             icon_key="criminal_referrals")
        self.add_section(self.tr("Meetings"), self.meetings, on_show=self.meetings.refresh, icon_key="meetings")
        if self._sup_section:
            self.add_section(self.tr("Supervision"), self.supervision_page, on_show=self.supervision_page.refresh,
                             icon_key="supervision")
        if self.profile.org_kind not in (OrgKind.DEPARTMENT, OrgKind.PROCURATORATE, *POLICE_KINDS):
            # 执法人员: the page is 人员与执法证; a label of five characters or more widens the sidebar past the
            # 900-pixel screen's room (tests/views/test_views_screen_fit_form.py)
            self.add_section(self.tr("Officers"), self.roster_page, on_show=self.roster_page.refresh,
                             icon_key="roster")
        self.add_section(self.tr("Data and backups"), self.data_page, icon_key="data")
        self.add_section(self.tr("Sync"), self.sync_page, icon_key="sync")
        self.sections.addWidget(self.police_page)  # a page without a row: opened from a list or the workbench
        if current is self.police_page:
            current = self.police_list
        if not self.receiving:
            self.sections.addWidget(self.review_desk)  # after the sections: opened from the queue, no row
            if current is self.review_desk:
                current = self.review_queue
        self.nav.blockSignals(False)
        self.nav.fit_width()
        self.case_bar.setVisible(not self.receiving)  # the case actions have no cases to act on in a department
        for a in (self.new_action, self.save_action, self.find_action):
            a.setEnabled(not self.receiving)
        self.nav.setCurrentRow(max(0, self.sections.indexOf(current)) if current is not None else 0)
        self._show_back()

    def _add_police_section(self) -> None:
        """公安协助: a squad's requests (it may log new ones), a police organisation's requests addressed to it."""
        self.add_section(self.tr("Police assistance"), self.police_list, on_show=self.police_list.refresh,
                         icon_key="police_requests")
        self.police_list.set_can_create(self.profile.org_kind not in POLICE_KINDS)

    def add_section(self, title: str, page: QWidget, *, on_show: Callable[[], None] | None = None,
                    icon_key: str | None = None) -> int:
        """A page of the navigation with its icon (a key of icons.NAMES); `on_show` runs each time it is chosen.
        The first nine get Ctrl+1…Ctrl+9 in the 视图 menu. Returns its row."""
        row = self.sections.addWidget(page)
        section_icon = icon(icon_key) if icon_key else None
        self.nav.add(title, section_icon)
        self._on_show.append(on_show)
        if page in self._counts:
            count, alert, tip = self._counts[page]
            self.nav.set_count(row, count, alert=alert, tip=tip)
        go = QAction(title, self)
        if section_icon is not None:
            go.setIcon(section_icon)
        if row < 9:
            go.setShortcut(QKeySequence(f"Ctrl+{row + 1}"))
        go.triggered.connect(lambda _checked=False, p=page: self.show_section(p))
        self.section_menu.addAction(go)
        self.addAction(go)
        self.section_actions.append(go)
        return row

    def set_section_count(self, page: QWidget, count: int | None, *, alert: bool = False, tip: str = "") -> None:
        """The live count beside a section in the sidebar (None or 0: none); red when `alert`."""
        self._counts[page] = (count, alert, tip)
        row = self.sections.indexOf(page)
        if row >= 0:
            self.nav.set_count(row, count, alert=alert, tip=tip)

    def _section_chosen(self, row: int) -> None:
        self.sections.setCurrentIndex(row)
        if 0 <= row < len(self._on_show) and self._on_show[row] is not None:
            self._on_show[row]()

    def show_section(self, page: QWidget) -> None:
        row = self.sections.indexOf(page)
        if row == self.nav.currentRow() and self.sections.currentWidget() is not page:  # from the review desk
            self._section_chosen(row)
        else:
            self.nav.setCurrentRow(row)

    def _user_text(self, profile: Profile, towns: dict[str, str]) -> str:
        where = towns.get(profile.town_code or "") or (
            self.tr("District bureau") if profile.sees_all else self.orgs.name(profile.org_code))
        return f"{profile.name}（{profile.role.label}）· {where}"

    def _connect_sync(self) -> None:
        self.sync.stateChanged.connect(self.sync_indicator.show_state)
        self.sync_indicator.show_state(self.sync.state)
        self.sync.finished.connect(self._sync_finished)
        self.sync.conflictsChanged.connect(lambda _count: self.detail.show_conflicts())
        self.sync.accountChanged.connect(self._account_changed)
        self.detail.evidence.set_downloads(self.sync.downloads)
        self.detail.saved.connect(lambda _case_id: self.sync.schedule())
        self.detail.syncPageRequested.connect(self.show_sync_page)
        self.referral_actions.changed.connect(lambda *_ids: self.sync.schedule())
        self.supervision_page.changed.connect(lambda _id: self.sync.schedule())
        self.referral_inbox.detail.set_downloads(self.sync.downloads)
        self.detail.referrals.view.set_downloads(self.sync.downloads)
        self.review_desk.evidence.set_downloads(self.sync.downloads)
        self.sync_page.openCaseRequested.connect(self.show_case)
        self.sync_page.resolved.connect(self._conflict_resolved)

    def _connect_counts(self) -> None:
        """The sidebar's live counts: rounds waiting for review, referrals still running, changes not synced
        (conflicts in red)."""
        self.workbench.countChanged.connect(self._workbench_count)
        self._workbench_count(*self.workbench.count())
        queue = self.review_queue
        queue.pendingChanged.connect(self._review_count)
        self._review_count(queue.pending, queue.overdue)
        self.detail.saved.connect(self._case_changed_review)
        self.detail.discarded.connect(self._case_changed_review)  # its rounds went with it
        self.referral_inbox.model.modelReset.connect(self._referral_count)
        self._referral_count()
        self.sync.stateChanged.connect(self._sync_count)
        self._sync_count(self.sync.state)
        self.supervision_page.countChanged.connect(
            lambda total, late: self.set_section_count(self.supervision_page, total, alert=late > 0, tip=self.tr(
                "%1 open, %2 overdue").replace("%1", str(total)).replace("%2", str(late))))

    def _case_changed_review(self, _case_id: str) -> None:
        """A save may have submitted or decided a review round: the queue (and its count) is read again."""
        if not self.receiving:
            self.review_queue.refresh()

    def _workbench_count(self, total: int, overdue: int) -> None:
        self.set_section_count(self.workbench, total, alert=overdue > 0,
                               tip=self.tr("%1 to do, %2 overdue").replace("%1", str(total))
                               .replace("%2", str(overdue)))

    def _review_count(self, pending: int, overdue: int) -> None:
        self.set_section_count(self.review_queue, pending, alert=overdue > 0,
                               tip=self.tr("%1 waiting for review, %2 overdue").replace("%1", str(pending))
                               .replace("%2", str(overdue)))

    def _referral_count(self) -> None:
        running, late = self.referral_inbox.model.open_and_late()
        self.set_section_count(self.referral_inbox, running, alert=late > 0,
                               tip=self.tr("%1 open referrals, %2 overdue").replace("%1", str(running))
                               .replace("%2", str(late)))

    def _sync_count(self, state) -> None:
        if state.conflicts:
            self.set_section_count(self.sync_page, state.conflicts, alert=True,
                                   tip=self.tr("%1 conflicts to settle").replace("%1", str(state.conflicts)))
        else:
            self.set_section_count(self.sync_page, state.pending,
                                   tip=self.tr("%1 changes waiting to sync").replace("%1", str(state.pending)))

    def _build_actions(self) -> None:
        bar = QToolBar(self.tr("Case"))
        bar.setObjectName("case_toolbar")
        bar.setMovable(False)
        self.case_bar = bar
        self.addToolBar(bar)

        bar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        bar.setIconSize(QSize(20, 20))
        self.new_action = self._action(self.tr("New case"), "new_case", QKeySequence.StandardKey.New, self.new_case)
        self.save_action = self._action(self.tr("Save"), "save", QKeySequence.StandardKey.Save, self.save_case)
        self.find_action = self._action(self.tr("Find"), "find", QKeySequence.StandardKey.Find, self.focus_search)
        self.refresh_action = self._action(self.tr("Refresh"), "refresh", QKeySequence.StandardKey.Refresh,
                                           self.refresh)
        for a in (self.new_action, self.save_action, self.find_action, self.refresh_action):
            bar.addAction(a)
        self.sync_action = self._action(self.tr("Sync now"), "sync_now", None, self.sync_now)
        self.settings_action = self._action(self.tr("Settings…"), "settings", QKeySequence("Ctrl+,"),
                                            self.show_settings)
        self.quit_action = self._action(self.tr("Quit"), "quit", QKeySequence.StandardKey.Quit, self.close)
        if self.quit_action.shortcut().isEmpty():  # Windows has no standard key for quitting
            self.quit_action.setShortcut(QKeySequence("Ctrl+Q"))
        self.guide_action = self._action(self.tr("User guide"), "guide", QKeySequence.StandardKey.HelpContents,
                                         self.show_guide)
        if self.guide_action.shortcut() != QKeySequence("F1"):  # macOS has Ctrl+? here: the guide promises F1
            self.guide_action.setShortcut(QKeySequence("F1"))
        self.about_action = self._action(self.tr("About"), "about", None, self.show_about)

    def _action(self, text: str, icon_key: str, shortcut, slot) -> QAction:
        """A window action with its icon and shortcut, the shortcut also named in its tooltip. Added to the window
        itself too, so that its shortcut works with the toolbar hidden and wherever the focus is in the window."""
        a = QAction(icon(icon_key), text, self)
        self.addAction(a)
        if shortcut is not None:
            a.setShortcut(QKeySequence(shortcut))
            keys = a.shortcut().toString(QKeySequence.SequenceFormat.NativeText)
            a.setToolTip(f"{text}（{keys}）")
        a.triggered.connect(slot)
        return a

    def _build_menus(self) -> None:
        """文件 / 编辑 / 视图 / 帮助: every action of the window, its shortcut shown beside it."""
        bar = self.menuBar()
        file = bar.addMenu(self.tr("&File"))
        file.addActions([self.new_action, self.save_action])
        file.addSeparator()
        file.addAction(self.sync_action)
        file.addSeparator()
        file.addAction(self.settings_action)
        file.addSeparator()
        file.addAction(self.quit_action)
        bar.addMenu(self.tr("&Edit")).addAction(self.find_action)
        view = bar.addMenu(self.tr("&View"))
        view.addActions([self.refresh_action, self.back_action])
        view.addSeparator()
        self.section_menu: QMenu = view  # the sections' actions (Ctrl+1…n) go at its end, rebuilt with them
        self.section_actions: list[QAction] = []
        view.addMenu(self.columns.menu)
        toolbar = self.case_bar.toggleViewAction()
        toolbar.setText(self.tr("Show toolbar"))
        view.addAction(toolbar)
        view.addSeparator()
        help_menu = bar.addMenu(self.tr("&Help"))
        help_menu.addActions([self.guide_action, self.about_action])

    # --- slots --------------------------------------------------------------------------------------------------------
    def new_case(self) -> None:
        if self.receiving:
            return
        self.show_section(self.splitter)
        if self.detail.maybe_keep_changes():
            self.table.clearSelection()
            self._selected_id = None
            self.detail.new_case()

    def save_case(self) -> None:
        self.detail.save()

    def focus_search(self) -> None:
        if self.receiving:
            return
        self.show_section(self.splitter)
        self.filters.search.setFocus()
        self.filters.search.selectAll()

    def refresh(self) -> None:
        self.model.reload()
        self.referral_inbox.refresh()
        if self.sections.currentWidget() is self.workbench:
            self.workbench.refresh()

    def show_sync_page(self) -> None:
        self.show_section(self.sync_page)

    def sync_now(self) -> None:
        """Sync at once; without a login the sync page, where one logs in."""
        if not self.sync.sync_now():
            self.show_sync_page()

    def show_settings(self) -> None:
        """文件 → 设置… (views/settings_dialog.py); the sync page's download limit follows what was saved."""
        from .settings_dialog import SettingsDialog

        dialog = SettingsDialog(self.store, self.settings, self.tasks, controller=self.sync,
                                credentials=self.sync_page.credentials, parent=self)
        dialog.saved.connect(lambda values: self.sync_page.download_limit.setValue(values.download_mb))
        dialog.open()
        self.settings_dialog = dialog

    def show_guide(self) -> None:
        """The user guide beside the window (made once; F1 again brings it to the front)."""
        if self.guide is None:
            self.guide = GuideDialog(self)
            self.guide.fit(self.available())
        self.guide.show()
        self.guide.raise_()
        self.guide.activateWindow()

    def show_about(self) -> None:
        self.about = about_box(self)
        self.about.open()

    def show_case(self, case_id: str) -> None:
        """Open a case in the register (from the sync page); unsaved changes to another case are asked about."""
        if self.receiving:
            return
        self.show_section(self.splitter)
        if case_id == self._selected_id or not self.detail.maybe_keep_changes():
            return
        self._selected_id = case_id
        self.detail.open_case(case_id)
        self._reselect()
        record = self.detail.record
        if record is not None and record.id == case_id and self.model.row_of(case_id) is None:
            self.filters.show_only(record.number)  # the list as it was does not hold it: list it, selected
            self._reselect()

    def show_referral(self, referral_id: str) -> None:
        """A referral in the 移送 section (a department's inbox, a town's referrals sent)."""
        self.show_section(self.referral_inbox)
        self.referral_inbox.refresh()
        self.referral_inbox.open_referral(referral_id)

    def show_police_request(self, request_id: str) -> None:
        """One police assistance request on its page (from the workbench, a list or the case page)."""
        self.police_page.open_request(request_id)
        self.sections.setCurrentWidget(self.police_page)
        self.nav.blockSignals(True)  # the sidebar shows the section the page belongs to
        self.nav.setCurrentRow(self.sections.indexOf(self.police_list))
        self.nav.blockSignals(False)

    def _open_police_from(self, page: QWidget, request_id: str) -> None:
        self._back.append(page)
        self.show_police_request(request_id)
        self._show_back()

    def _new_police_request(self) -> None:
        """From the list, a request without a case (a district operation, a party not yet in a case)."""
        from ..services import police_requests
        from .police_request_dialog import PoliceRequestDialog

        store, profile = self.store, self.profile
        dialog = PoliceRequestDialog(lambda form, file: police_requests.create(store, profile, form, file=file),
                                     police_requests.police_choices(store), role=profile.role, case_id=None,
                                     station=police_requests.default_station(store, profile.org_code), parent=self)
        if dialog.exec() == QDialog.DialogCode.Accepted and dialog.saved is not None:
            self.police_list.refresh()
            self._open_police_from(self.police_list, dialog.saved.id)
    def show_criminal_referral(self, record_id: str) -> None:
        """A criminal referral in the 刑事移送 section (the town's and the police's alike)."""
        self.show_section(self.crime_page)
        self.crime_page.refresh()
        self.crime_page.open_record(record_id)

    def show_meeting(self, meeting_id: str) -> None:
        """A meeting on its page in the 会议 section (from the workbench)."""
        self.show_section(self.meetings)
        self.meetings.open_meeting(meeting_id)

    def show_supervision(self, record_id: str) -> None:
        """A supervision sheet in the 督办 section."""
        self.show_section(self.supervision_page)
        self.supervision_page.refresh()
        self.supervision_page.open_record(record_id)

    def issue_supervision(self, source: dict, matter: str = "", responsible: str | None = None,
                          deadline: str | date | None = None) -> None:
        """The 督办 action of a referral's, a police request's, a criminal referral's page or of a meeting's agreed
        item: the issue dialog in the 督办 section, its source named (and the item's deadline offered)."""
        if isinstance(deadline, str):
            deadline = date.fromisoformat(deadline) if deadline else None
        self.show_section(self.supervision_page)
        self.supervision_page.refresh()
        self.supervision_page.issue(source, matter=matter, responsible=responsible or None, deadline=deadline)

    def show_roster_entry(self, entry_id: str) -> None:
        """An officer of the roster in the 人员与执法证 section (the workbench's certificate clocks open it)."""
        if self.sections.indexOf(self.roster_page) < 0:
            return
        self.show_section(self.roster_page)
        self.roster_page.select(entry_id)

    def open_work(self, item: workbench.WorkItem) -> None:
        """From the workbench: the record in its own page; go_back() returns to the workbench as it was."""
        opener = self.openers.get(item.kind)
        if opener is None:
            return
        self._back.append(self.workbench)
        opener(item)
        self._show_back()

    def go_back(self) -> None:
        """Alt+Left or the back button: the page the user came from, with its row still selected."""
        if not self._back:
            return
        page = self._back.pop()
        desk = self.sections.currentWidget() is self.review_desk  # the case it shows last is the row to select
        case_id = self.review_desk.case_id if desk else self.detail.record.id if self.detail.record else None
        self.show_section(page)
        if page is self.workbench:
            rows = [r for r, i in enumerate(self.workbench.model.items) if i.kind == "legal_review"
                    and i.case_id == case_id] if desk else []
            if rows:
                self.workbench.table.setCurrentIndex(self.workbench.model.index(rows[0], 0))
            self.workbench.focus_list()
        elif page is self.review_queue:
            self.review_queue.select_case(case_id)
        self._show_back()

    def _show_back(self) -> None:
        if self._back and self.sections.currentWidget() is self._back[-1]:
            self._back.pop()  # came back another way (the navigation)
        self.back_button.setVisible(bool(self._back) and self.sections.currentWidget() is not self.review_desk)
        if self._back:  # the desk has its own (Esc)
            self.back_button.setText(self.tr("Back to %1 (Alt+←)").replace("%1", self._page_name(self._back[-1])))
        # the register's count, shown with the register only (counts describe the section shown)
        self.count_label.setVisible(self.sections.currentWidget() is self.splitter)

    def _next_step(self, section: str) -> None:
        """The workbench's empty state offers the next step: a section, or a sync."""
        if section == "sync":
            self.show_sync_page()
            self.sync.sync_now()
            return
        if self.receiving:
            self.show_section(self.referral_inbox)
        else:
            self.show_section(self.review_queue if section == "reviews" else self.splitter)

    def _resume_draft(self, draft) -> bool:
        """The draft offered on the workbench, in the new-case form (unsaved changes elsewhere asked about)."""
        if self.receiving:
            return False
        self.show_section(self.splitter)
        if not self.detail.maybe_keep_changes():
            return False
        self.table.clearSelection()
        self._selected_id = None
        self.detail.new_case()
        self.detail.form.set_draft(draft)
        self.detail.show_message(self.tr("Unsaved changes restored; press Ctrl+S to save them."), error=False)
        self.detail.write_draft()  # kept as the new case's draft from now on
        return True

    def show_review_of(self, case_id: str, order: list[str] | None = None) -> None:
        """A legal reviewer: the case on the review desk, 上一件/下一件 through `order` (the list it was opened
        from); anyone else: the case in the register, on its 法制审核 tab."""
        if self.receiving:
            return
        if self.profile.role != Role.LEGAL_REVIEWER:
            self.show_case(case_id)
            if self.detail.record is not None and self.detail.record.id == case_id:
                self.detail.tabs.setCurrentWidget(self.detail.review)
            return
        self.review_desk.set_back_text(self._page_name(self._back[-1] if self._back else self.review_queue))
        self.review_desk.open(order or [case_id], case_id)
        self.sections.setCurrentWidget(self.review_desk)
        self.review_desk.facts.setFocus()

    def _open_review_from(self, page: QWidget, case_id: str) -> None:
        """From the review queue (in its order) or the register's 审核 button: go_back() returns to `page`."""
        self._back.append(page)
        self.show_review_of(case_id, self.review_queue.case_ids() if page is self.review_queue else None)
        self._show_back()

    def _review_desk_back(self) -> None:
        if self._back:
            self.go_back()
        else:
            self.show_section(self.review_queue)
            self.review_queue.select_case(self.review_desk.case_id)

    def _review_recorded(self, case_id: str) -> None:
        """An answer saved on the review desk: the lists and counts read again, the change sent."""
        self.sync.schedule()
        self.review_queue.refresh()
        self.workbench.refresh()
        self.model.reload()
        if self.detail.record is not None and self.detail.record.id == case_id:
            self.detail.reload()

    def _page_name(self, page: QWidget) -> str:
        return {self.workbench: self.tr("the workbench"), self.review_queue: self.tr("the review queue"),
                self.splitter: self.tr("the case register"),
                self.referral_inbox: self.tr("the referrals"),
                self.police_list: self.tr("the police assistance requests")}.get(page, self.tr("the previous page"))

    def set_profile(self, profile: Profile) -> None:
        """After a login, changes are made (and queued for sync) as the logged-in user."""
        self.profile = profile
        self.model.set_owner_towns(register_towns(profile))
        self.referral_actions.set_profile(profile)
        self.crime_page.set_profile(profile)
        self.supervision_page.set_profile(profile)
        self.columns.set_profile(profile)
        self.detail.set_profile(profile)
        self.review_queue.set_profile(profile)
        self.review_desk.set_profile(profile)
        self.workbench.refresh()
        self.sync_page.set_profile(profile)
        self.user_label.setText(self._user_text(profile, self.towns))
        receiving = profile.org_kind in RECEIVING_KINDS
        crime = profile.org_kind not in (OrgKind.DEPARTMENT,)
        sup = supervision_section(profile)
        if receiving != self.receiving or crime != self._crime_section or sup != self._sup_section:
            self.receiving, self._crime_section, self._sup_section = receiving, crime, sup
            self.referral_inbox.set_receiving_side(receiving)
            self._build_sections()
        self.referral_inbox.refresh()

    def _account_changed(self, account) -> None:
        if account is not None and account.profile != self.profile:
            self.set_profile(account.profile)

    def _sync_finished(self, report) -> None:
        if report.pulled or report.deleted or report.conflicts or report.rejected:
            self.model.reload()
            self.detail.reload()
            if not self.receiving:  # the queue, and the sidebar's count of it
                self.review_queue.refresh()
                if self.sections.currentWidget() is self.review_desk:
                    self.review_desk.reload()
            if self.sections.currentWidget() is self.workbench:
                self.workbench.refresh()
            self.referral_inbox.refresh()
            if self.sections.currentWidget() is self.crime_page:
                self.crime_page.refresh()
            if self.sections.currentWidget() is self.supervision_page:
                self.supervision_page.refresh()
            if self.sections.currentWidget() is self.meetings:  # the agreed items' 督办单 may have moved on
                self.meetings.refresh()

    def _conflict_resolved(self, _case_id: str) -> None:
        self.sync.local_conflicts_changed()
        self.model.reload()
        self.detail.reload()

    def _show_total(self, total: int) -> None:
        self.count_label.setText(self.tr("%n case(s)", "", total))

    def _row_changed(self, current, previous) -> None:
        if self._restoring or not current.isValid():
            return
        case_id = self.model.case_id(current.row())
        if case_id == self._selected_id:
            return
        if not self.detail.maybe_keep_changes():
            self._select_row(previous.row() if previous.isValid() else -1)
            return
        self._selected_id = case_id
        self.detail.open_case(case_id)
        self._reselect()  # saving the previous case reloaded the list; keep the highlight on the opened case

    def _select_row(self, row: int) -> None:
        self._restoring = True
        try:
            if row < 0:
                self.table.clearSelection()
            else:
                self.table.selectionModel().setCurrentIndex(
                    self.model.index(row, 0),
                    QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows)
        finally:
            self._restoring = False

    def _reselect(self) -> None:
        row = self.model.row_of(self._selected_id) if self._selected_id else None
        self._select_row(-1 if row is None else row)

    def _case_saved(self, case_id: str) -> None:
        self._selected_id = case_id
        self.model.reload()

    def _case_discarded(self, _case_id: str) -> None:
        self._selected_id = None
        self.model.reload()

    # --- layout memory ----------------------------------------------------------------------------------------------
    def _restore_layout(self) -> None:
        place(self, self.available(), PREFERRED_SIZE, self.settings.value("main/geometry"))
        state = self.settings.value("main/splitter")
        if state is not None:
            self.splitter.restoreState(state)
        else:
            self.splitter.setSizes([760, 600])
        self.columns.restore()

    def closeEvent(self, event: QCloseEvent) -> None:
        if not self.detail.maybe_keep_changes():
            event.ignore()
            return
        self.settings.setValue("main/geometry", self.saveGeometry())
        self.settings.setValue("main/splitter", self.splitter.saveState())
        self.settings.setValue("main/header", self.table.horizontalHeader().saveState())
        self.settings.sync()
        self.sync.stop()
        self.tasks.wait(10000)
        self.counter.close()
        self.model.queries.close()
        event.accept()

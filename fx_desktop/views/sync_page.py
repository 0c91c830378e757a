"""The "同步" page: server and user, state, pending changes, log in/out, sync now, the conflicts inbox and the
history of sync runs."""
from __future__ import annotations

from typing import Callable

from PySide6.QtCore import QSettings, Qt, Signal
from PySide6.QtWidgets import (
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QSplitter,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy import select

from ..services.profile import Profile
from ..services.storage_errors import describe
from ..store import Store
from ..store.models import SyncRun
from ..store.settings import DOWNLOAD_AUTO_MAX_MB
from ..sync.credentials import CredentialStore
from ..sync.worker import LOGGED_OUT, NEEDS_LOGIN, RESUMING, SYNCING, SyncController, SyncState
from .conflict_panel import ConflictInbox
from .login_dialog import LoginDialog
from .sync_history import SyncHistory, group_runs
from .sync_indicator import explanation, headline, state_icon
from .style import heading as style_heading, mark_primary

HISTORY_ROWS = 100
READ_RUNS = 2000  # runs read to fill HISTORY_ROWS rows: a night of retries is one row


class SyncPage(QWidget):
    openCaseRequested = Signal(str)
    resolved = Signal(str)  # case id whose conflict was settled here

    def __init__(self, store: Store, controller: SyncController, tasks, settings: QSettings, profile: Profile,
                 credentials: Callable[[], CredentialStore], parent: QWidget | None = None):
        super().__init__(parent)
        self.store, self.controller, self.tasks, self.settings = store, controller, tasks, settings
        self.credentials = credentials
        self.login_dialog: LoginDialog | None = None
        self.server, self.user, self.state, self.pending = QLabel(), QLabel(), QLabel(), QLabel()
        self.detail = QLabel()
        self.detail.setWordWrap(True)
        self.detail.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.sync_button = QPushButton(self.tr("Sync now"))
        self.sync_button.clicked.connect(self.controller.sync_now)
        mark_primary(self.sync_button)
        self.login_button = QPushButton(self.tr("Log in to the server…"))
        self.login_button.clicked.connect(self.open_login)
        self.logout_button = QPushButton(self.tr("Log out"))
        self.logout_button.clicked.connect(self.log_out)
        form = QFormLayout()
        form.addRow(self.tr("Server"), self.server)
        form.addRow(self.tr("User"), self.user)
        self.state_icon = QLabel()
        state_row = QHBoxLayout()
        state_row.addWidget(self.state_icon)
        state_row.addWidget(self.state, 1)
        form.addRow(self.tr("State"), state_row)
        form.addRow(self.tr("Changes waiting to be sent"), self.pending)
        self.download_limit = QSpinBox()
        self.download_limit.setRange(DOWNLOAD_AUTO_MAX_MB.minimum, DOWNLOAD_AUTO_MAX_MB.maximum)
        self.download_limit.setSuffix(" MB")
        self.download_limit.setValue(controller.downloads.limit_mb)
        self.download_limit.setToolTip(self.tr("Evidence files attached on other computers are downloaded in the "
                                               "background after each sync up to this size; larger ones when "
                                               "you open them. 0: only when opened."))
        self.download_limit.editingFinished.connect(self._download_limit_changed)
        limit_row = QHBoxLayout()
        limit_row.addWidget(self.download_limit)
        limit_row.addWidget(QLabel(self.tr("(larger files are downloaded when opened)")))
        limit_row.addStretch(1)
        form.addRow(self.tr("Download evidence files automatically up to"), limit_row)
        buttons = QHBoxLayout()
        for b in (self.sync_button, self.login_button, self.logout_button):
            buttons.addWidget(b)
        buttons.addStretch(1)
        self.inbox = ConflictInbox(store, profile)
        self.inbox.resolved.connect(self.resolved)
        self.inbox.openCaseRequested.connect(self.openCaseRequested)
        self.history = SyncHistory()
        self.splitter = splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(self._section(self.tr("Conflicts and rejected changes"), self.inbox))
        splitter.addWidget(self._section(self.tr("Sync history"), self.history))
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        body = QWidget()  # scrolls up and down where the window is low (a laptop at 150 %)
        lay = QVBoxLayout(body)
        lay.addLayout(form)
        lay.addWidget(self.detail)
        lay.addLayout(buttons)
        lay.addWidget(splitter, 1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # Tab goes to the page's controls, not the frame
        scroll.setWidget(body)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(scroll)
        controller.stateChanged.connect(self.show_state)
        controller.accountChanged.connect(lambda _account: self.show_state(controller.state))
        controller.finished.connect(lambda _report: self.refresh())
        controller.conflictsChanged.connect(lambda _count: self.inbox.refresh() if self.isVisible() else None)
        self.show_state(controller.state)

    @staticmethod
    def _section(title: str, body: QWidget) -> QWidget:
        box = QWidget()
        lay = QVBoxLayout(box)
        lay.setContentsMargins(0, 4, 0, 0)
        lay.addWidget(style_heading(QLabel(title), 2))
        lay.addWidget(body, 1)
        return box

    def showEvent(self, event) -> None:  # noqa: N802 - Qt override
        """The lists are read when the page is looked at (and after each sync while it is)."""
        self.refresh()
        super().showEvent(event)

    def set_profile(self, profile: Profile) -> None:
        self.inbox.set_profile(profile)

    def refresh(self) -> None:
        if not self.isVisible():
            return
        self.inbox.refresh()
        with self.store.sessions() as session:
            runs = list(session.execute(select(SyncRun).order_by(SyncRun.id.desc()).limit(READ_RUNS)).scalars())
        self.history.show_runs(group_runs(runs, HISTORY_ROWS))
        if self.inbox.is_empty():  # one line says there is nothing to settle; the history takes the room
            line = self.fontMetrics().height()
            self.splitter.setSizes([line * 4, max(line, self.splitter.height() - line * 4)])

    def show_state(self, state: SyncState) -> None:
        account = self.controller.account
        stored = self.controller.stored or {}  # at start-up, before the saved login is restored
        server = account.server_url if account else stored.get("server_url")
        self.server.setText(server or self.tr("(none)"))
        if account:
            self.user.setText(f"{account.name}（{account.username}，{account.role.label}）")
        elif stored.get("username"):
            self.user.setText(f"{stored.get('name') or stored['username']}（{stored['username']}）")
        else:
            self.user.setText(self.tr("(this computer only)"))
        self.state.setText(headline(state))
        self.state_icon.setPixmap(state_icon(state).pixmap(20, 20))
        self.detail.setText(explanation(state))
        self.pending.setText(str(state.pending))
        logged_in = state.kind not in (LOGGED_OUT, NEEDS_LOGIN)
        self.sync_button.setEnabled(logged_in and state.kind not in (SYNCING, RESUMING))
        self.login_button.setText(self.tr("Log in again…") if state.kind == NEEDS_LOGIN
                                  else self.tr("Log in to the server…"))
        self.login_button.setVisible(not logged_in)
        self.logout_button.setVisible(account is not None)

    def _download_limit_changed(self) -> None:
        mb, downloads = self.download_limit.value(), self.controller.downloads
        if mb == downloads.limit_mb:
            return

        def failed(exc, _trace) -> None:
            QMessageBox.warning(self, self.tr("Sync"),
                                self.tr("The setting was not saved: %1").replace("%1", describe(exc)))

        self.tasks.run(lambda: downloads.set_limit(mb), on_done=lambda _result: downloads.limit_changed(),
                       on_error=failed)

    # --- login / logout -------------------------------------------------------------------------------------

    def open_login(self) -> None:
        account = self.controller.account
        self.login_dialog = LoginDialog(self.store, self.tasks, self.settings, self.credentials,
                                        server_url=account.server_url if account else "",
                                        username=account.username if account else "", parent=self)
        self.login_dialog.accepted.connect(self._logged_in)
        self.login_dialog.open()

    def _logged_in(self) -> None:
        dialog = self.login_dialog
        message = self.tr("Logged in offline: work is kept here and sent after the next online login.") \
            if dialog.offline and not (dialog.client and dialog.client.tokens.refresh) else ""
        self.controller.attach(dialog.client, dialog.account, dialog.creds, message=message)

    def log_out(self) -> None:
        answer = QMessageBox.question(
            self, self.tr("Log out"),
            self.tr("Log out of the server? This computer stops syncing. %n change(s) not yet sent stay here and "
                    "are sent after the next login.", "", self.controller.state.pending))
        if answer == QMessageBox.StandardButton.Yes:
            self.controller.sign_out()

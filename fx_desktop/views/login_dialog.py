"""Logging in to the bureau server. The password is exchanged once for tokens and never stored; the refresh token
goes to the system keyring, or, only if the user agrees, is kept for this run alone. When the server cannot be
reached, a user who has logged in here before may log in offline (checked against the local verifier)."""
from __future__ import annotations

from typing import Callable

from PySide6.QtCore import QCoreApplication, QSettings
from PySide6.QtWidgets import (
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ..store import Store
from ..sync.credentials import CredentialStore, MemoryCredentials, NoSecureStorage
from .field_widgets import ERROR_STYLE
from .style import mark_primary

SERVER_KEY = "sync/server_url"
translate = QCoreApplication.translate


def ask_memory_only(parent: QWidget | None, reason: str) -> bool:
    """No keyring: stay logged in for this run only? Never a plain file instead."""
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Warning)
    box.setWindowTitle(translate("LoginDialog", "No secure storage"))
    box.setText(reason)
    box.setInformativeText(translate("LoginDialog", "To stay logged in across restarts, enable the system keyring "
                                                    "(for example GNOME Keyring) and log in again."))
    keep = box.addButton(translate("LoginDialog", "Stay logged in for this run only"),
                         QMessageBox.ButtonRole.AcceptRole)
    box.addButton(translate("LoginDialog", "Do not log in"), QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(keep)
    box.exec()
    return box.clickedButton() is keep


class LoginDialog(QDialog):
    """On success `client`, `account` and `creds` hold the session; `offline` tells an offline login."""

    def __init__(self, store: Store, tasks, settings: QSettings, credentials: Callable[[], CredentialStore], *,
                 server_url: str = "", username: str = "", parent: QWidget | None = None):
        super().__init__(parent)
        self.store, self.tasks, self.settings, self.credentials = store, tasks, settings, credentials
        self.client = self.account = self.creds = None
        self.offline = self._is_busy = False
        self.setWindowTitle(self.tr("Log in to the bureau server"))
        self.server = QLineEdit(server_url or str(settings.value(SERVER_KEY, "") or ""))
        self.server.setPlaceholderText("https://fx-bureau.example.gov.cn")
        self.username = QLineEdit(username)
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setStyleSheet(ERROR_STYLE)
        self.message.hide()
        self.login_button = QPushButton(self.tr("Log in"))
        self.login_button.setDefault(True)
        mark_primary(self.login_button)
        self.login_button.clicked.connect(self.login)
        self.offline_button = QPushButton(self.tr("Offline login"))
        self.offline_button.setToolTip(self.tr("Check the password against the last online login on this "
                                               "computer; syncing starts after the next online login."))
        self.offline_button.clicked.connect(self.login_offline)
        self.offline_button.hide()
        self.cancel_button = QPushButton(self.tr("Cancel"))
        self.cancel_button.clicked.connect(self.reject)
        form = QFormLayout()
        form.addRow(self.tr("Server address"), self.server)
        form.addRow(self.tr("User name"), self.username)
        form.addRow(self.tr("Password"), self.password)
        buttons = QHBoxLayout()
        buttons.addWidget(self.offline_button)
        buttons.addStretch(1)
        buttons.addWidget(self.login_button)
        buttons.addWidget(self.cancel_button)
        lay = QVBoxLayout(self)
        lay.addLayout(form)
        lay.addWidget(QLabel(self.tr("The password is used once to log in and is not stored.")))
        lay.addWidget(self.message)
        lay.addLayout(buttons)
        self.setMinimumWidth(460)
        (self.password if server_url and username else self.server).setFocus()

    def reject(self) -> None:
        if not self._is_busy:  # a login under way has already told the server; its answer decides
            super().reject()

    # --- helpers --------------------------------------------------------------------------------------------

    def show_message(self, text: str | None) -> None:
        self.message.setText(text or "")
        self.message.setVisible(bool(text))

    def _busy(self, busy: bool) -> None:
        self._is_busy = busy
        for w in (self.login_button, self.offline_button, self.cancel_button, self.server, self.username,
                  self.password):
            w.setEnabled(not busy)
        if busy:
            self.show_message(None)

    def _inputs(self) -> tuple[str, str, str] | None:
        url, user, password = self.server.text().strip(), self.username.text().strip(), self.password.text()
        if url and "://" not in url:
            url = "https://" + url
        missing = [name for name, value in ((self.tr("server address"), url), (self.tr("user name"), user),
                                            (self.tr("password"), password)) if not value]
        if missing:
            self.show_message(self.tr("Please fill in: %1.").replace("%1", "、".join(missing)))
            return None
        return url.rstrip("/"), user, password

    def _credential_store(self) -> CredentialStore | None:
        """The keyring; without one, memory for this run if the user agrees; None if not."""
        try:
            return self.credentials()
        except NoSecureStorage as exc:
            if ask_memory_only(self, exc.message):
                return MemoryCredentials()
            self.show_message(self.tr("Not logged in: there is no secure place to keep the login on this "
                                      "computer. Enable the system keyring, then log in again."))
            return None

    def _known_here(self, username: str) -> bool:
        from ..sync.account import can_login_offline

        return can_login_offline(self.store, username)

    # --- actions --------------------------------------------------------------------------------------------

    def login(self) -> None:
        inputs = self._inputs()
        creds = self._credential_store() if inputs else None
        if creds is None:
            return
        url, user, password = inputs
        store = self.store
        self._busy(True)

        def work():
            from ..sync import account
            from ..services.office_settings import verify_for
            from ..sync.transport import BureauClient

            client = BureauClient(url, verify=verify_for(store))  # the district's CA (设置)
            return client, account.login(store, client, creds, username=user, password=password)

        def failed(exc, _trace) -> None:
            from ..sync.transport import SyncProblem, Unreachable

            self._busy(False)
            if isinstance(exc, NoSecureStorage) and ask_memory_only(self, exc.message):  # the keyring refused
                self.credentials = MemoryCredentials
                self.login()
                return
            if isinstance(exc, Unreachable) and self._known_here(user):
                self.offline_button.show()
                self.show_message(exc.message + self.tr(" You have logged in on this computer before: "
                                                        "“Offline login” lets you keep working."))
                return
            self.show_message(exc.message if isinstance(exc, SyncProblem)
                              else self.tr("Login failed: %1").replace("%1", str(exc)))

        self.tasks.run(work, on_done=lambda result: self._logged_in(url, *result, creds, offline=False),
                       on_error=failed)

    def login_offline(self) -> None:
        inputs = self._inputs()
        if inputs is None:
            return
        _url, user, password = inputs
        store, credentials = self.store, self.credentials
        self._busy(True)

        def work():
            from ..sync import account
            from ..services.office_settings import verify_for
            from ..sync.transport import BureauClient, SyncProblem

            acc = account.offline_login(store, user, password)
            client = BureauClient(acc.server_url, verify=verify_for(store))
            try:  # a refresh token kept from before lets syncing start once the server answers
                creds = credentials()
                account.restore_tokens(client, creds, acc)
            except NoSecureStorage:
                creds = None
            except SyncProblem:  # the only token found is another data folder's: sync needs a new login
                pass
            return client, acc, creds

        def failed(exc, _trace) -> None:
            self._busy(False)
            self.show_message(getattr(exc, "message", None) or self.tr("Login failed: %1").replace("%1", str(exc)))

        self.tasks.run(work, on_done=lambda r: self._logged_in(r[1].server_url, r[0], r[1], r[2], offline=True),
                       on_error=failed)

    def _logged_in(self, url: str, client, account, creds, *, offline: bool) -> None:
        self._busy(False)
        self.password.clear()
        self.settings.setValue(SERVER_KEY, url)
        self.client, self.account, self.creds, self.offline = client, account, creds, offline
        self.accept()

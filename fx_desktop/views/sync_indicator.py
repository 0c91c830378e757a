"""The sync state in words and as an icon, and the status-bar button that shows them (a click opens the sync
page). A user whose account is stored is never shown as logged out: at start-up, until the login is restored,
the state is RESUMING (the last sync time, or 正在连接)."""
from __future__ import annotations

from datetime import date

from PySide6.QtCore import QCoreApplication, QSize, Qt
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QToolButton, QWidget

from ..sync.worker import ERROR, IDLE, LOGGED_OUT, NEEDS_LOGIN, OFFLINE, RESUMING, SYNCED, SYNCING, SyncState
from .icons import icon
from . import style

translate = QCoreApplication.translate  # lupdate reads translate("SyncIndicator", "...") calls


def _time(when) -> str:
    return when.strftime("%H:%M") if when.date() == date.today() else when.strftime("%m-%d %H:%M")


def headline(state: SyncState) -> str:
    """Short: 离线 / 正在同步 n/m / 已同步 hh:mm / 同步出错 / 仅本机 / 请重新登录, with waiting changes and
    conflicts."""
    if state.kind == LOGGED_OUT:
        text = translate("SyncIndicator", "This computer only")
    elif state.kind == NEEDS_LOGIN:
        text = translate("SyncIndicator", "Please log in again")
    elif state.kind == RESUMING and not state.last_synced:
        text = translate("SyncIndicator", "Connecting…")
    elif state.kind == SYNCING and state.total:
        text = translate("SyncIndicator", "Syncing %1/%2").replace("%1", str(state.done))
        text = text.replace("%2", str(state.total))
    elif state.kind == SYNCING:
        text = translate("SyncIndicator", "Syncing…")
    elif state.kind == OFFLINE:
        text = translate("SyncIndicator", "Offline")
    elif state.kind == ERROR:
        text = translate("SyncIndicator", "Sync error")
    elif state.kind == SYNCED and state.last_synced:
        text = translate("SyncIndicator", "Synced %1").replace("%1", _time(state.last_synced))
    elif state.last_synced:
        text = translate("SyncIndicator", "Last synced %1").replace("%1", _time(state.last_synced))
    else:
        text = translate("SyncIndicator", "Not synced yet")
    if state.pending and state.kind in (OFFLINE, ERROR, NEEDS_LOGIN, IDLE):
        text += translate("SyncIndicator", " (%1 change(s) waiting)").replace("%1", str(state.pending))
    if state.conflicts:
        text += translate("SyncIndicator", " · %1 conflict(s)").replace("%1", str(state.conflicts))
    if state.download is not None and state.kind != SYNCING:
        text += " · " + downloading(state.download)
    return text


def downloading(progress) -> str:
    """正在下载附件 n/m（x MB / y MB）: evidence files fetched in the background or on opening."""
    mb = 1024 * 1024
    total = progress.total_bytes / mb
    digits = 0 if total >= 10 else 1
    return (translate("SyncIndicator", "Downloading attachments %1/%2 (%3 MB / %4 MB)")
            .replace("%1", str(progress.file_no)).replace("%2", str(progress.files))
            .replace("%3", f"{progress.done_bytes / mb:.{digits}f}").replace("%4", f"{total:.{digits}f}"))


def explanation(state: SyncState) -> str:
    """Longer, for a tooltip or the sync page: what is going on and what to do."""
    if state.kind == LOGGED_OUT:
        text = translate("SyncIndicator", "Not logged in to the bureau server: changes are kept on this computer "
                                          "only. Log in on the “Sync” page to send them.")
    elif state.kind == NEEDS_LOGIN:
        text = translate("SyncIndicator", "The login has expired or was not kept. Log in again on the “Sync” page; "
                                          "changes made meanwhile are kept and sent then.")
    elif state.kind == RESUMING:
        text = translate("SyncIndicator", "Connecting to the server with the saved login; syncing starts shortly.")
    elif state.kind == SYNCING and state.phase == "push":
        text = translate("SyncIndicator", "Syncing: sending the changes made here.")
    elif state.kind == SYNCING and state.phase == "pull":
        text = translate("SyncIndicator", "Syncing: receiving changes from the server.")
    elif state.kind == SYNCING:
        text = translate("SyncIndicator", "Syncing: connecting to the server.")
    elif state.kind == OFFLINE:
        text = translate("SyncIndicator", "The server cannot be reached. Keep working: changes are kept here and "
                                          "sent automatically as soon as the server answers again.")
    elif state.kind == ERROR:
        text = translate("SyncIndicator", "The last sync failed. It is retried automatically; if this persists, "
                                          "tell your administrator the message shown here.")
    else:
        text = translate("SyncIndicator", "Changes are sent to the server and received from it automatically.")
    if state.message:  # an error, or what a successful run had to say (the organisation changed)
        text += "\n" + state.message
    return text


# state -> (icon key in views/icons.py, colour)
_ICONS = {
    SYNCED: ("sync_synced", style.OK),
    SYNCING: ("sync_syncing", style.INFO),
    RESUMING: ("sync_syncing", style.MUTED),
    IDLE: ("sync_idle", style.MUTED),
    OFFLINE: ("sync_offline", style.WARN),
    ERROR: ("sync_error", style.OVERDUE),
    NEEDS_LOGIN: ("sync_login", style.WARN),
    LOGGED_OUT: ("sync_local", style.MUTED),
}
CONFLICTS_ICON = ("sync_conflicts", style.WARN)


def icon_spec(state: SyncState) -> tuple[str, str]:
    """(icon key, colour) for the state; open conflicts outrank every state but an error."""
    if state.conflicts and state.kind not in (ERROR, SYNCING):
        return CONFLICTS_ICON
    return _ICONS.get(state.kind, _ICONS[IDLE])


def state_icon(state: SyncState) -> QIcon:
    return icon(*icon_spec(state))


class SyncIndicator(QToolButton):
    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setAutoRaise(True)
        self.setObjectName("sync_indicator")
        self.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.setIconSize(QSize(18, 18))
        self.shown_icon: tuple[str, str] | None = None

    def show_state(self, state: SyncState) -> None:
        spec = icon_spec(state)
        if spec != self.shown_icon:
            self.setIcon(state_icon(state))
            self.shown_icon = spec
        self.setText(headline(state))
        self.setToolTip(explanation(state) + "\n" + self.tr("Click to open the “Sync” page."))
        color = {ERROR: style.OVERDUE, OFFLINE: style.WARN}.get(state.kind, "")
        self.setStyleSheet(f"color: {color};" if color else "")

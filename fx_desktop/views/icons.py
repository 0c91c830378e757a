"""Every icon of the desk, by what it stands for, drawn from the Material Design icon font that qtawesome ships
(no image files to keep). Views ask `icon("save")`; changing a picture is a change of one name here.

qtawesome draws with a font, so it needs a QApplication; the icons are made on first use and kept."""
from __future__ import annotations

from functools import lru_cache

from PySide6.QtGui import QIcon

INK = "#37474f"  # the icons' default colour: dark grey-blue, readable on the light toolbar and sidebar
PRIMARY = "#1f5fbf"  # the main action's colour (the sidebar's selected section)

NAMES: dict[str, str] = {
    # actions
    "new_case": "mdi6.file-document-plus-outline",
    "save": "mdi6.content-save-outline",
    "find": "mdi6.magnify",
    "refresh": "mdi6.refresh",
    "sync_now": "mdi6.cloud-sync-outline",
    "settings": "mdi6.cog-outline",
    "quit": "mdi6.exit-to-app",
    "print": "mdi6.printer-outline",
    "open": "mdi6.open-in-new",
    "add_evidence": "mdi6.paperclip",
    "submit_review": "mdi6.send-check-outline",
    "review": "mdi6.gavel",
    "extend": "mdi6.calendar-clock",
    "backup": "mdi6.backup-restore",
    "verify": "mdi6.shield-check-outline",
    "open_case": "mdi6.folder-open-outline",
    "guide": "mdi6.book-open-variant",
    "about": "mdi6.information-outline",
    "toolbar": "mdi6.dock-top",
    "back": "mdi6.arrow-left",
    # sections
    "workbench": "mdi6.view-dashboard-outline",
    "case_register": "mdi6.folder-text-outline",
    "legal_review": "mdi6.scale-balance",
    "referrals": "mdi6.send-outline",
    "referrals_received": "mdi6.inbox-arrow-down-outline",
    "data": "mdi6.database-outline",
    "sync": "mdi6.sync",
    # sync states (views/sync_indicator.py colours them)
    "sync_synced": "mdi6.cloud-check-outline",
    "sync_syncing": "mdi6.cloud-sync-outline",
    "sync_idle": "mdi6.cloud-outline",
    "sync_offline": "mdi6.cloud-off-outline",
    "sync_error": "mdi6.cloud-alert-outline",
    "sync_conflicts": "mdi6.cloud-question-outline",
    "sync_login": "mdi6.account-key-outline",
    "sync_local": "mdi6.laptop",
}


@lru_cache(maxsize=None)
def icon(key: str, color: str = INK) -> QIcon:
    """The icon for `key` (one of NAMES), selected items drawn in the primary colour."""
    import qtawesome  # imported on first use: it loads its fonts into the running QApplication

    return qtawesome.icon(NAMES[key], color=color, color_active=color, color_selected=PRIMARY)

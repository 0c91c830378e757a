"""Shown when the database cannot be read: names the file, offers the latest backup, never overwrites the file."""
from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QMessageBox, QWidget



def ask_restore(db_path: Path, reason: str, latest_backup: Path | None, parent: QWidget | None = None) -> bool:
    """True when the user chose to restore `latest_backup`."""
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Critical)
    box.setWindowTitle(QCoreApplication.translate("RecoveryDialog", "Database cannot be opened"))
    text = QCoreApplication.translate("RecoveryDialog", "The case database\n%1\ncannot be read (%2).")
    text = text.replace("%1", str(db_path)).replace("%2", reason)
    if latest_backup is None:
        advice = QCoreApplication.translate(
            "RecoveryDialog", "No backup was found. The file has not been changed; please contact your administrator.")
        box.setText(f"{text}\n\n{advice}")
        box.setStandardButtons(QMessageBox.StandardButton.Close)
        box.exec()
        return False
    advice = QCoreApplication.translate(
        "RecoveryDialog",
        "Restore the latest backup %1? The damaged file will be kept next to it under a new name, not overwritten.")
    box.setText(f"{text}\n\n{advice.replace('%1', latest_backup.name)}")
    restore = box.addButton(QCoreApplication.translate("RecoveryDialog", "Restore backup"), QMessageBox.ButtonRole.AcceptRole)
    box.addButton(QCoreApplication.translate("RecoveryDialog", "Quit"), QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(restore)
    box.exec()
    return box.clickedButton() is restore

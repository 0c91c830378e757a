"""Where the data lives, its backups, and a check of the audit trail."""
from __future__ import annotations

from PySide6.QtWidgets import QFormLayout, QHBoxLayout, QLabel, QListWidget, QPushButton, QVBoxLayout, QWidget

from ..store import Store, backups, checked_backup, outbox
from ..store.audit import verify_chain
from .icons import icon


class DataPage(QWidget):
    def __init__(self, store: Store, tasks, parent: QWidget | None = None):
        super().__init__(parent)
        self.store, self.tasks = store, tasks
        self.location = QLabel(str(store.paths.root))
        self.size = QLabel()
        self.pending = QLabel()
        self.backups = QListWidget()
        self.result = QLabel()
        self.result.setWordWrap(True)
        self.backup_button = QPushButton(icon("backup"), self.tr("Back up now"))
        self.backup_button.clicked.connect(self.backup_now)
        self.verify_button = QPushButton(icon("verify"), self.tr("Verify audit trail"))
        self.verify_button.clicked.connect(self.verify)
        form = QFormLayout()
        form.addRow(self.tr("Data folder"), self.location)
        form.addRow(self.tr("Database size"), self.size)
        form.addRow(self.tr("Changes waiting to sync"), self.pending)
        buttons = QHBoxLayout()
        buttons.addWidget(self.backup_button)
        buttons.addWidget(self.verify_button)
        buttons.addStretch(1)
        lay = QVBoxLayout(self)
        lay.addLayout(form)
        lay.addWidget(QLabel(self.tr("Backups (newest first)")))
        lay.addWidget(self.backups, 1)
        lay.addLayout(buttons)
        lay.addWidget(self.result)

    def showEvent(self, event) -> None:  # noqa: N802 - Qt override
        """Read sizes, the outbox and the backups folder when the page is looked at, not at start-up or on every
        save of a case."""
        self.refresh()
        super().showEvent(event)

    def refresh(self) -> None:
        db = self.store.paths.database
        self.size.setText(f"{db.stat().st_size / 1024 / 1024:.1f} MB" if db.exists() else "—")
        with self.store.sessions() as session:
            self.pending.setText(str(outbox.pending_count(session)))
        self.backups.clear()
        for b in backups.list_backups(self.store.paths.backups):
            self.backups.addItem(f"{b.name}　{b.stat().st_size / 1024 / 1024:.1f} MB")

    def backup_now(self) -> None:
        self.backup_button.setEnabled(False)
        self.result.setText(self.tr("Backing up…"))

        def done(path) -> None:
            self.backup_button.setEnabled(True)
            self.result.setText(self.tr("Backup written: %1").replace("%1", str(path)))
            self.refresh()

        def failed(exc, _trace) -> None:
            self.backup_button.setEnabled(True)
            self.result.setText(self.tr("Backup failed: %1").replace("%1", str(exc)))

        self.tasks.run(lambda: checked_backup(self.store.paths, label="manual"), on_done=done, on_error=failed)

    def verify(self) -> None:
        self.verify_button.setEnabled(False)
        self.result.setText(self.tr("Checking the audit trail…"))

        def work():
            with self.store.sessions() as session:
                return verify_chain(session)

        def done(report) -> None:
            self.verify_button.setEnabled(True)
            self.result.setText(report.message)

        def failed(exc, _trace) -> None:
            self.verify_button.setEnabled(True)
            self.result.setText(str(exc))

        self.tasks.run(work, on_done=done, on_error=failed)

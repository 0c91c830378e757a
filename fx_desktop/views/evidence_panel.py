"""Evidence of one case: thumbnails for photos, add files (copied into the store off the GUI thread), open a file
with the system viewer."""
from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSize, Qt, QUrl, Signal
from PySide6.QtGui import QDesktopServices, QIcon, QImage, QImageReader, QPixmap
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QStyle,
    QVBoxLayout,
    QWidget,
)

from ..services.cases import EvidenceRecord
from ..services.evidence import KINDS
from ..services.storage_errors import describe
from ..store.blobs import BlobStore

THUMB = QSize(120, 90)


def load_thumbnail(path: Path) -> QImage:
    """Decode only as much of the image as the thumbnail needs (QImage is safe off the GUI thread)."""
    reader = QImageReader(str(path))
    reader.setAutoTransform(True)
    size = reader.size()
    if size.isValid():
        reader.setScaledSize(size.scaled(THUMB, Qt.AspectRatioMode.KeepAspectRatio))
    return reader.read()


class EvidencePanel(QWidget):
    addRequested = Signal(list)  # of Path

    def __init__(self, blobs: BlobStore, opened_dir: Path, tasks, parent: QWidget | None = None):
        super().__init__(parent)
        self.blobs = blobs
        self.opened_dir = opened_dir
        self.tasks = tasks
        self.list = QListWidget()
        self.list.setViewMode(QListWidget.ViewMode.IconMode)
        self.list.setIconSize(THUMB)
        self.list.setGridSize(QSize(THUMB.width() + 40, THUMB.height() + 50))
        self.list.setResizeMode(QListWidget.ResizeMode.Adjust)
        self.list.setWordWrap(True)
        self.list.itemActivated.connect(self._open_item)
        self.add_button = QPushButton(self.tr("Add evidence…"))
        self.add_button.clicked.connect(self._pick)
        self.open_button = QPushButton(self.tr("Open"))
        self.open_button.clicked.connect(lambda: self._open_item(self.list.currentItem()))
        self.hint = QLabel()
        self.hint.setWordWrap(True)
        buttons = QHBoxLayout()
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.open_button)
        buttons.addStretch(1)
        lay = QVBoxLayout(self)
        lay.addLayout(buttons)
        lay.addWidget(self.list, 1)
        lay.addWidget(self.hint)
        self._generation = 0

    def set_enabled_for_case(self, enabled: bool, *, unsaved: bool = False) -> None:
        self.add_button.setEnabled(enabled)
        self.hint.setText(self.tr("Save the case before adding evidence.") if unsaved else "")

    def show_evidence(self, items: list[EvidenceRecord]) -> None:
        self._generation += 1
        generation = self._generation
        self.list.clear()
        doc_icon = self.style().standardIcon(QStyle.StandardPixmap.SP_FileIcon)
        photos = []
        for ev in items:
            item = QListWidgetItem(doc_icon, f"{ev.name}\n{KINDS.get(ev.kind, ev.kind)}")
            item.setData(Qt.ItemDataRole.UserRole, ev)
            item.setToolTip(self.tr("%1\nSize: %2 bytes\nSHA-256: %3\nAdded by %4 at %5")
                            .replace("%1", ev.name).replace("%2", f"{ev.size:,}").replace("%3", ev.sha256)
                            .replace("%4", ev.added_by).replace("%5", ev.added_at.strftime("%Y-%m-%d %H:%M")))
            self.list.addItem(item)
            if ev.kind == "photo" and self.blobs.has(ev.sha256):
                photos.append((self.list.count() - 1, self.blobs.path_for(ev.sha256)))
        if photos:
            self.tasks.run(lambda: [(row, load_thumbnail(p)) for row, p in photos],
                           on_done=lambda thumbs: self._set_thumbnails(generation, thumbs))

    def _set_thumbnails(self, generation: int, thumbs: list[tuple[int, QImage]]) -> None:
        if generation != self._generation:
            return  # another case is shown now
        for row, image in thumbs:
            item = self.list.item(row)
            if item is not None and not image.isNull():
                item.setIcon(QIcon(QPixmap.fromImage(image)))

    def _pick(self) -> None:
        files, _ = QFileDialog.getOpenFileNames(
            self, self.tr("Add evidence"), "",
            self.tr("Evidence (*.jpg *.jpeg *.png *.heic *.mp4 *.mov *.avi *.pdf *.doc *.docx *.txt);;All files (*)"))
        if files:
            self.addRequested.emit([Path(f) for f in files])

    def _open_item(self, item: QListWidgetItem | None) -> None:
        if item is None:
            return
        ev: EvidenceRecord = item.data(Qt.ItemDataRole.UserRole)
        if not self.blobs.has(ev.sha256):
            self.hint.setText(self.tr("The file of this evidence is not on this computer yet."))
            return
        self.hint.setText(self.tr("Opening %1…").replace("%1", ev.name))

        def opened(path) -> None:
            self.hint.setText("")
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))

        def failed(exc, _trace) -> None:
            self.hint.setText(self.tr("The file could not be opened: %1").replace("%1", describe(exc)))

        # A video can be gigabytes: the named copy for the viewer is made off the GUI thread.
        self.tasks.run(lambda: self.blobs.export_named(ev.sha256, ev.name, self.opened_dir), on_done=opened,
                       on_error=failed)

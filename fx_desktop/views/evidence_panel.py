"""Evidence of one case: thumbnails for photos, add files (copied into the store off the GUI thread), open a file
with the system viewer. A file another computer attached may not be here yet: its row says whether it is queued,
being downloaded, left until opened (large) or unavailable, and opening it fetches it at once with a progress
dialog (sync/download_worker.py does the fetching)."""
from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSize, Qt, QUrl, Signal
from PySide6.QtGui import QDesktopServices, QIcon, QImage, QImageReader, QPixmap
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QStyle,
    QVBoxLayout,
    QWidget,
)

from ..services.cases import EvidenceRecord
from ..services.evidence import KINDS
from ..services.storage_errors import describe
from ..store.blobs import BlobStore
from ..sync import downloads as dl
from .icons import icon
from .style import EmptyState, mark_primary

THUMB = QSize(120, 90)


def load_thumbnail(path: Path) -> QImage:
    """Decode only as much of the image as the thumbnail needs (QImage is safe off the GUI thread)."""
    reader = QImageReader(str(path))
    reader.setAutoTransform(True)
    size = reader.size()
    if size.isValid():
        reader.setScaledSize(size.scaled(THUMB, Qt.AspectRatioMode.KeepAspectRatio))
    return reader.read()


def _size_text(size: int) -> str:
    return f"{max(1, round(size / 1024))} KB" if size < dl.MB else f"{size / dl.MB:.1f} MB"


class FetchDialog(QDialog):
    """The progress of a file being fetched because it was opened. Not a QProgressDialog: once shown, its
    setValue() runs the event loop, which could deliver the download's next news inside the slot reporting the
    last one. Opened with open() (window-modal, returns at once); Cancel, Esc or closing it emits `canceled`."""

    canceled = Signal()

    def __init__(self, title: str, label: str, cancel: str, parent: QWidget):
        super().__init__(parent)
        self.setWindowTitle(title)
        self.label = QLabel(label)
        self.label.setWordWrap(True)
        self.bar = QProgressBar()
        self.bar.setRange(0, 1000)
        self.bar.setValue(0)
        self.bar.setTextVisible(False)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(cancel)
        buttons.rejected.connect(self.reject)
        self.rejected.connect(self.canceled)
        lay = QVBoxLayout(self)
        lay.addWidget(self.label)
        lay.addWidget(self.bar)
        lay.addWidget(buttons)

    def labelText(self) -> str:  # noqa: N802 - named like QProgressDialog's
        return self.label.text()

    def value(self) -> int:
        return self.bar.value()

    def setValue(self, value: int) -> None:  # noqa: N802
        self.bar.setValue(value)


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
        self.list.currentItemChanged.connect(self._selection_changed)
        self.add_button = QPushButton(icon("add_evidence"), self.tr("Add evidence…"))
        self.add_button.clicked.connect(self._pick)
        mark_primary(self.add_button)
        self.open_button = QPushButton(icon("open"), self.tr("Open"))
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
        self.empty = EmptyState.over(self.list, width_chars=24)
        self.empty.setObjectName("evidence_empty")
        self._unsaved = False
        self.read_only_empty_text = self.tr("This case has no evidence files.")  # where nothing can be added
        self._generation = 0
        self.downloads = None  # sync.download_worker.DownloadController, once wired
        self.fetching: FetchDialog | None = None  # while a file being opened is fetched
        self._fetching_ev: EvidenceRecord | None = None
        self._downloading: str | None = None  # the file the downloads report progress of
        self._hint_kept = False  # the hint says something about opening a file: kept until the selection changes

    def set_downloads(self, downloads) -> None:
        """Fetch missing files through `downloads`; rows follow its news."""
        self.downloads = downloads
        downloads.fileArrived.connect(self.file_arrived)
        downloads.fileFailed.connect(self._fetch_failed)
        downloads.statusChanged.connect(self._refresh_states)
        downloads.progressChanged.connect(self._progress)

    def set_enabled_for_case(self, enabled: bool, *, unsaved: bool = False) -> None:
        self.add_button.setEnabled(enabled)
        self._unsaved = unsaved
        self.hint.setText(self.tr("Save the case before adding evidence.") if unsaved else "")
        self._show_empty()

    def _show_empty(self) -> None:
        """Over the empty list: that there is no evidence yet, and how to add it when the user can."""
        if self._unsaved:
            text = self.tr("No evidence yet. Save the case first (Ctrl+S); then add its photos, videos and "
                           "documents here.")
        elif self.add_button.isEnabled() and not self.add_button.isHidden():
            text = self.tr("No evidence yet. Press “Add evidence…” to add photos, videos and documents (up to "
                           "2 GiB each); they are copied into the data folder.")
        else:
            text = self.read_only_empty_text
        self.empty.set_text(text)
        self.empty.show_when(self.list.count() == 0)

    def show_evidence(self, items: list[EvidenceRecord]) -> None:
        self._generation += 1
        generation = self._generation
        self.list.clear()
        doc_icon = self.style().standardIcon(QStyle.StandardPixmap.SP_FileIcon)
        photos = []
        for ev in items:
            item = QListWidgetItem(doc_icon, self._label(ev))
            item.setData(Qt.ItemDataRole.UserRole, ev)
            item.setToolTip(self.tr("%1\nSize: %2 bytes\nSHA-256: %3\nAdded by %4 at %5")
                            .replace("%1", ev.name).replace("%2", f"{ev.size:,}").replace("%3", ev.sha256)
                            .replace("%4", ev.added_by).replace("%5", ev.added_at.strftime("%Y-%m-%d %H:%M")))
            self.list.addItem(item)
            if ev.kind == "photo" and self.blobs.has(ev.sha256):
                photos.append((self.list.count() - 1, self.blobs.path_for(ev.sha256)))
        self._show_empty()
        if photos:
            self.tasks.run(lambda: [(row, load_thumbnail(p)) for row, p in photos],
                           on_done=lambda thumbs: self._set_thumbnails(generation, thumbs))

    # --- files not on this computer yet -------------------------------------------------------------------------

    def _state(self, ev: EvidenceRecord) -> str:
        if self.blobs.has(ev.sha256):
            return dl.HERE
        return self.downloads.status(ev.sha256, ev.size) if self.downloads is not None else dl.OFFLINE

    def _label(self, ev: EvidenceRecord) -> str:
        text = f"{ev.name}\n{KINDS.get(ev.kind, ev.kind)}"
        short = {dl.QUEUED: self.tr("waiting to download"), dl.DOWNLOADING: self.tr("downloading"),
                 dl.ON_OPEN: self.tr("downloaded when opened"), dl.REFUSED: self.tr("not available"),
                 dl.DAMAGED: self.tr("download failed")}
        state = self._state(ev)
        if state == dl.HERE:
            return text
        note = short.get(state) or self.tr("not here yet")
        return f"{text} · {note}"

    def state_text(self, ev: EvidenceRecord) -> str:
        """What the hint says of a file that is not here (empty when it is)."""
        state = self._state(ev)
        if state == dl.HERE:
            return ""
        if self.downloads is None:
            return self.tr("The file of this evidence is not on this computer yet.")
        texts = {
            dl.QUEUED: self.tr("The file of this evidence is not on this computer yet; it is queued and is "
                               "downloaded in the background."),
            dl.DOWNLOADING: self.tr("The file of this evidence is being downloaded."),
            dl.ON_OPEN: self.tr("The file of this evidence (%1) is above the automatic download limit and is "
                                "downloaded when you open it.").replace("%1", _size_text(ev.size)),
            dl.REFUSED: self.tr("The server does not have the file of this evidence, or you may not view it."),
            dl.DAMAGED: self.tr("The last download of this file failed its check and was discarded; open it to "
                                "try again."),
            dl.LOGGED_OUT: self.tr("The file of this evidence is not on this computer yet. Log in to the server on "
                                   "the “Sync” page to download it."),
        }
        return texts.get(state, self.tr("The file of this evidence is not on this computer yet, and the server "
                                        "cannot be reached now; it is downloaded once connected."))

    def _selection_changed(self, item: QListWidgetItem | None, _previous) -> None:
        self._hint_kept = False
        self._show_file_state(item)

    def _show_file_state(self, item: QListWidgetItem | None) -> None:
        """The hint follows the selected file's download state, unless it tells of opening a file (an error
        must not vanish with the next background download's news)."""
        if item is not None and not self._hint_kept:
            self.hint.setText(self.state_text(item.data(Qt.ItemDataRole.UserRole)))

    def _refresh_states(self) -> None:
        for row in range(self.list.count()):
            item = self.list.item(row)
            item.setText(self._label(item.data(Qt.ItemDataRole.UserRole)))
        self._show_file_state(self.list.currentItem())

    def _progress(self, progress) -> None:
        sha = progress.sha256 if progress is not None else None
        if sha != self._downloading:  # another file started: its row says so
            self._downloading = sha
            self._refresh_states()
        if progress is not None and self.fetching is not None and progress.sha256 == self._fetching_ev.sha256:
            self.fetching.setValue(progress.file_done * 1000 // max(1, progress.file_size))

    def file_arrived(self, sha256: str) -> None:
        """A file came in: its rows lose their note, a photo gets its thumbnail, a waiting open goes on."""
        rows = [row for row in range(self.list.count())
                if self.list.item(row).data(Qt.ItemDataRole.UserRole).sha256 == sha256]
        for row in rows:
            item = self.list.item(row)
            item.setText(self._label(item.data(Qt.ItemDataRole.UserRole)))
        self._show_file_state(self.list.currentItem())
        photos = [(row, self.blobs.path_for(sha256)) for row in rows
                  if self.list.item(row).data(Qt.ItemDataRole.UserRole).kind == "photo"]
        if photos:
            generation = self._generation
            self.tasks.run(lambda: [(row, load_thumbnail(p)) for row, p in photos],
                           on_done=lambda thumbs: self._set_thumbnails(generation, thumbs))
        if self._fetching_ev is not None and sha256 == self._fetching_ev.sha256:
            self._export_and_open(self._close_fetching())

    def _fetch(self, ev: EvidenceRecord) -> None:
        """Opened but not here: fetch it now, ahead of the background queue, with a cancellable progress dialog."""
        if self._fetching_ev is not None:
            return  # one at a time; the dialog is modal
        failure = self.downloads.fetch_now(dl.Wanted(ev.sha256, ev.size, ev.name))
        if failure is not None:
            self._tell(failure.message)
            return
        self._fetching_ev = ev
        dialog = FetchDialog(self.tr("Evidence file"),
                             self.tr("Downloading “%1” from the server…").replace("%1", ev.name), self.tr("Cancel"),
                             self)
        dialog.canceled.connect(self._cancel_fetch)
        self.fetching = dialog
        dialog.open()

    def _cancel_fetch(self) -> None:
        if self._fetching_ev is not None:
            self.downloads.withdraw(self._fetching_ev.sha256)
        self._close_fetching()

    def _close_fetching(self) -> EvidenceRecord | None:
        dialog, ev, self.fetching, self._fetching_ev = self.fetching, self._fetching_ev, None, None
        if dialog is not None:
            dialog.canceled.disconnect(self._cancel_fetch)  # closing it here is no cancel
            dialog.close()
            dialog.deleteLater()
        return ev

    def _fetch_failed(self, failure) -> None:
        self._refresh_states()
        if self._fetching_ev is None or failure.sha256 != self._fetching_ev.sha256:
            return
        self._close_fetching()
        if failure.kind != dl.CANCELLED:  # offline, refused, damaged: said plainly; nothing else changes
            self._tell(failure.message)

    def _tell(self, message: str) -> None:
        QMessageBox.warning(self, self.tr("Evidence file"), message)

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
            if self.downloads is None:
                self.hint.setText(self.tr("The file of this evidence is not on this computer yet."))
            else:
                self._fetch(ev)
            return
        self._export_and_open(ev)

    def _export_and_open(self, ev: EvidenceRecord) -> None:
        self.hint.setText(self.tr("Opening %1…").replace("%1", ev.name))
        self._hint_kept = True

        def opened(path) -> None:
            self._hint_kept = False
            self._show_file_state(self.list.currentItem())
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))

        def failed(exc, _trace) -> None:
            self.hint.setText(self.tr("The file could not be opened: %1").replace("%1", describe(exc)))

        # A video can be gigabytes: the named copy for the viewer is made off the GUI thread.
        self.tasks.run(lambda: self.blobs.export_named(ev.sha256, ev.name, self.opened_dir), on_done=opened,
                       on_error=failed)

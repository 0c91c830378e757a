"""The Qt bridge for printed documents: a preview window for PDF bytes (QPdfView), printing through the system
print dialog, and "Save as PDF" for clerks without a printer.

Printing renders each page to an image with QPdfDocument and draws it full-page onto a QPrinter: the PDF already
has its margins, so the printer adds none. Pages are rendered one per event-loop turn (a single-shot QTimer), so
the window stays responsive and a long job can be cancelled from its progress dialog.
"""
from __future__ import annotations

import errno
import os
import re
from pathlib import Path
from typing import Callable, Sequence

from PySide6.QtCore import (
    QBuffer,
    QCoreApplication,
    QElapsedTimer,
    QIODevice,
    QObject,
    QPointF,
    QRectF,
    QSize,
    QStandardPaths,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QAction, QColor, QGuiApplication, QImage, QKeySequence, QPageLayout, QPageSize, QPainter
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPdfWidgets import QPdfView
from PySide6.QtPrintSupport import QAbstractPrintDialog, QPrintDialog, QPrinter, QPrinterInfo
from PySide6.QtWidgets import (
    QDialog,
    QFileDialog,
    QLabel,
    QMessageBox,
    QProgressDialog,
    QSpinBox,
    QToolBar,
    QVBoxLayout,
)

from ..domain.errors import DomainError
from . import bundle
from .files import write_atomically

# Pages are rendered at the printer's resolution up to this: Qt's HighResolution printers report 1200 dpi, and an
# A4 page at 1200 dpi is a 560 MB image. 300 dpi prints forms sharply at 35 MB a page.
MAX_RENDER_DPI = 300
PROGRESS_FROM_PAGES = 4  # print jobs of this many pages or more show a progress dialog
PROGRESS_EVERY_MS = 100  # at most this often
ZOOM_STEP, MIN_ZOOM, MAX_ZOOM = 1.25, 0.25, 5.0
NOTICE_STYLE = "QLabel { background: #fff4e5; color: #8a1c00; border-bottom: 1px solid #e0a060; padding: 6px 10px; }"

PrinterFactory = Callable[[], QPrinter]
PrintDialog = Callable[[QPrinter, int], bool]  # (printer, page count) -> print?; may set the printer's page range
SaveDialog = Callable[[str], str]  # suggested path -> chosen path, "" when cancelled


# --- plain helpers ----------------------------------------------------------------------------------------------------
def safe_file_name(name: str) -> str:
    """`name` usable as a file name on Windows and Linux: no path separators or reserved characters."""
    cleaned = re.sub(r'[\\/:*?"<>|\x00-\x1f]+', "_", name).strip(" ._")
    return cleaned[:120] or "document"


def printer_available() -> bool:
    return bool(QPrinterInfo.availablePrinters()) or not QPrinterInfo.defaultPrinter().isNull()


def setup_printer(printer: QPrinter, document_name: str) -> None:
    """The job's defaults: named after the document, one copy, A4 portrait, the whole sheet (no added margins)."""
    printer.setDocName(document_name)
    printer.setCopyCount(1)
    printer.setPageSize(QPageSize(QPageSize.PageSizeId.A4))
    printer.setPageOrientation(QPageLayout.Orientation.Portrait)
    printer.setFullPage(True)


def load_document(pdf: bytes, document_name: str, parent: QObject | None = None) -> QPdfDocument:
    """A QPdfDocument reading from an in-memory copy of `pdf`; DomainError when it cannot be read."""
    document = QPdfDocument(parent)
    buffer = QBuffer(document)  # lives as long as the document, which reads pages from it on demand
    buffer.setData(pdf)
    buffer.open(QIODevice.OpenModeFlag.ReadOnly)
    document.load(buffer)
    if document.status() != QPdfDocument.Status.Ready or document.pageCount() == 0:
        document.deleteLater()
        raise DomainError(QCoreApplication.translate(
            "PrintPreview", "“%1” cannot be shown: it is not a valid PDF file.").replace("%1", document_name))
    return document


def selected_pages(printer: QPrinter, page_count: int, current: int = 0) -> list[int]:
    """0-based pages the print dialog asked for, repeated when the printer cannot make copies itself."""
    mode = printer.printRange()
    if mode == QPrinter.PrintRange.CurrentPage:
        pages = [current]
    elif mode == QPrinter.PrintRange.PageRange and not printer.pageRanges().isEmpty():
        pages = [p - 1 for r in printer.pageRanges().toRangeList() for p in range(r.from_, r.to + 1)]
    elif mode == QPrinter.PrintRange.PageRange and printer.fromPage() > 0:
        pages = list(range(printer.fromPage() - 1, printer.toPage()))
    else:
        pages = list(range(page_count))
    pages = [p for p in pages if 0 <= p < page_count]
    copies = 1 if printer.supportsMultipleCopies() else max(printer.copyCount(), 1)
    return pages * copies


class PrintJob:
    """Draws pages onto a printer one at a time: begin(), step() until it returns False, then end() (or abort())."""

    def __init__(self, document: QPdfDocument, printer: QPrinter, pages: Sequence[int]):
        self.document, self.printer, self.pages = document, printer, list(pages)
        self.done = 0
        self.cancelled = False
        self._painter = QPainter()

    def begin(self) -> bool:
        return self._painter.begin(self.printer)

    def step(self) -> bool:
        """Print the next page; True while pages remain."""
        if self.done:
            self.printer.newPage()
        self._draw(self.pages[self.done])
        self.done += 1
        return self.done < len(self.pages)

    def end(self) -> bool:
        return self._painter.end()

    def abort(self) -> None:
        self.printer.abort()
        if self._painter.isActive():
            self._painter.end()

    def _draw(self, page: int) -> None:
        points = self.document.pagePointSize(page)
        paper = self.printer.paperRect(QPrinter.Unit.DevicePixel)
        dpi = min(self.printer.resolution(), MAX_RENDER_DPI)
        rendered = self.document.render(page, QSize(round(points.width() * dpi / 72),
                                                    round(points.height() * dpi / 72)))
        image = QImage(rendered.size(), QImage.Format.Format_RGB32)  # transparent page on white: no alpha to print
        image.fill(QColor(Qt.GlobalColor.white))
        onto_white = QPainter(image)
        onto_white.drawImage(0, 0, rendered)
        onto_white.end()
        scale = min(paper.width() / points.width(), paper.height() / points.height())  # device pixels per point
        width, height = points.width() * scale, points.height() * scale
        target = QRectF(paper.x() + (paper.width() - width) / 2, paper.y() + (paper.height() - height) / 2,
                        width, height)
        self._painter.drawImage(target, image)


def print_to_file(pdf: bytes, path: str | os.PathLike, document_name: str,
                  page_range: tuple[int, int] | None = None) -> int:
    """Print `pdf` (pages `page_range`, 1-based inclusive; all by default) through a real QPrinter writing a PDF
    file, without any dialog; returns the pages printed. For tests and the command line; needs a QGuiApplication."""
    document = load_document(pdf, document_name)
    try:
        count = document.pageCount()
        first, last = page_range or (1, count)
        if not 1 <= first <= last <= count:
            raise ValueError(f"page range {first}-{last} is outside 1-{count}")
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        printer.setOutputFileName(os.fspath(path))
        setup_printer(printer, document_name)
        job = PrintJob(document, printer, range(first - 1, last))
        if not job.begin():
            raise OSError(errno.EIO, "cannot start printing", os.fspath(path))
        try:
            while job.step():
                pass
        finally:
            job.end()
        return len(job.pages)
    finally:
        document.close()  # frees the parsed document now; the command line may have no event loop to delete it


# --- the window -------------------------------------------------------------------------------------------------------
class PrintPreview(QDialog):
    """Preview of one PDF: page navigation, zoom, Print…, Save as PDF….

    `printer_factory` makes the QPrinter (default: the system's, high resolution); `print_dialog(printer, pages)`
    asks for the print options (default QPrintDialog) and `save_dialog(suggested_path)` for the file to save
    (default QFileDialog); tests pass their own. `notice`: a warning shown in a bar above the pages, such as why
    the document is marked as a draft.
    """

    printed = Signal(int)  # pages sent to the printer, after a job completed
    saved = Signal(str)  # path of a saved PDF

    def __init__(self, pdf: bytes, document_name: str, parent=None, *, printer_factory: PrinterFactory | None = None,
                 print_dialog: PrintDialog | None = None, save_dialog: SaveDialog | None = None,
                 notice: str | None = None):
        super().__init__(parent)
        self.pdf, self.document_name = bytes(pdf), document_name
        self._printer_factory = printer_factory or (lambda: QPrinter(QPrinter.PrinterMode.HighResolution))
        self._print_dialog = print_dialog or self._ask_print_options
        self._save_dialog = save_dialog or self._ask_save_path
        self._job: PrintJob | None = None
        self._progress: QProgressDialog | None = None
        self._since_progress = QElapsedTimer()
        self._print_timer = QTimer(self, singleShot=True, interval=0)
        self._print_timer.timeout.connect(self._print_next)

        self.setWindowTitle(document_name)
        self.setWindowFlag(Qt.WindowType.WindowMaximizeButtonHint, True)
        self.document = load_document(self.pdf, document_name, self)
        self.view = QPdfView(self)
        self.view.setPageMode(QPdfView.PageMode.MultiPage)
        self.view.setZoomMode(QPdfView.ZoomMode.FitToWidth)
        self.view.setDocument(self.document)
        self.navigator = self.view.pageNavigator()

        count = self.document.pageCount()
        self.page_box = QSpinBox()
        self.page_box.setRange(1, count)
        self.page_box.setPrefix(self.tr("Page "))
        self.page_box.setSuffix(self.tr(" of %n", "", count))
        self.page_box.setKeyboardTracking(False)  # jump when the number is complete, not at every digit
        self.page_box.setToolTip(self.tr("Type a page number and press Enter"))
        self.page_box.valueChanged.connect(lambda value: self.go_to_page(value - 1))
        self.navigator.currentPageChanged.connect(self._show_page)

        self.toolbar = QToolBar()
        self._build_actions()
        self.notice = QLabel(notice or "")
        self.notice.setObjectName("preview_notice")
        self.notice.setWordWrap(True)
        self.notice.setStyleSheet(NOTICE_STYLE)
        self.notice.setVisible(bool(notice))
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.toolbar)
        layout.addWidget(self.notice)
        layout.addWidget(self.view, 1)
        self._show_page(0)
        self._size_to_screen()
        self.view.setFocus()

    def _build_actions(self) -> None:
        def action(text: str, keys, slot) -> QAction:
            a = QAction(text, self)
            sequences = {}  # a key listed twice (a standard key is often also spelled out) would be ambiguous
            for key in keys:
                for sequence in (QKeySequence.keyBindings(key) if isinstance(key, QKeySequence.StandardKey)
                                 else [QKeySequence(key)]):
                    sequences.setdefault(sequence.toString(), sequence)
            a.setShortcuts(list(sequences.values()))
            native = QKeySequence.SequenceFormat.NativeText
            a.setToolTip(f"{text}（{QKeySequence(keys[0]).toString(native)}）")
            a.triggered.connect(slot)
            self.toolbar.addAction(a)
            return a

        standard = QKeySequence.StandardKey
        self.previous_action = action(self.tr("Previous page"), [Qt.Key.Key_PageUp],
                                      lambda: self.go_to_page(self.navigator.currentPage() - 1))
        self.next_action = action(self.tr("Next page"), [Qt.Key.Key_PageDown],
                                  lambda: self.go_to_page(self.navigator.currentPage() + 1))
        self.toolbar.addWidget(self.page_box)
        self.toolbar.addSeparator()
        self.zoom_out_action = action(self.tr("Zoom out"), [standard.ZoomOut, "Ctrl+-"],
                                      lambda: self.zoom_by(1 / ZOOM_STEP))
        self.zoom_in_action = action(self.tr("Zoom in"), [standard.ZoomIn, "Ctrl++", "Ctrl+="],
                                     lambda: self.zoom_by(ZOOM_STEP))
        self.fit_width_action = action(self.tr("Fit width"), ["Ctrl+0"], self.fit_width)
        self.actual_size_action = action(self.tr("100%"), ["Ctrl+1"], lambda: self.set_zoom(1.0))
        self.toolbar.addSeparator()
        self.print_action = action(self.tr("Print…"), [standard.Print], self.print_document)
        self.save_action = action(self.tr("Save as PDF…"), [standard.Save], self.save_as_pdf)

    def _size_to_screen(self) -> None:
        screen = (self.parentWidget() or self).screen().availableGeometry()
        self.resize(min(900, int(screen.width() * 0.9)), min(1000, int(screen.height() * 0.9)))

    # --- navigation and zoom ------------------------------------------------------------------------------------------
    def current_page(self) -> int:
        """0-based page at the top of the view."""
        return self.navigator.currentPage()

    def go_to_page(self, page: int) -> None:
        page = max(0, min(page, self.document.pageCount() - 1))
        if page != self.navigator.currentPage():
            self.navigator.jump(page, QPointF(), self.view.zoomFactor())

    def _show_page(self, page: int) -> None:
        self.page_box.blockSignals(True)
        self.page_box.setValue(page + 1)
        self.page_box.blockSignals(False)
        self.previous_action.setEnabled(page > 0)
        self.next_action.setEnabled(page < self.document.pageCount() - 1)

    def zoom_factor(self) -> float:
        """The zoom in effect (QPdfView keeps its zoomFactor unchanged while it fits the page to the width)."""
        if self.view.zoomMode() == QPdfView.ZoomMode.Custom:
            return self.view.zoomFactor()
        margins = self.view.documentMargins()
        width = self.view.viewport().width() - margins.left() - margins.right()
        points = self.document.pagePointSize(self.navigator.currentPage())
        dpi = QGuiApplication.primaryScreen().logicalDotsPerInch()  # what QPdfView scales by
        return width / (points.width() * dpi / 72)

    def zoom_by(self, factor: float) -> None:
        self.set_zoom(self.zoom_factor() * factor)

    def set_zoom(self, factor: float) -> None:
        self._set_zoom(QPdfView.ZoomMode.Custom, max(MIN_ZOOM, min(factor, MAX_ZOOM)))

    def fit_width(self) -> None:
        self._set_zoom(QPdfView.ZoomMode.FitToWidth)

    def _set_zoom(self, mode: QPdfView.ZoomMode, factor: float | None = None) -> None:
        """Change the zoom keeping the middle of the view on the same spot of the document (QPdfView keeps the
        scroll position in pixels, which would land on another page)."""
        bar = self.view.verticalScrollBar()
        fraction = (bar.value() + bar.pageStep() / 2) / max(bar.maximum() + bar.pageStep(), 1)
        self.view.setZoomMode(mode)
        if factor is not None:
            self.view.setZoomFactor(factor)
        bar.setValue(round(fraction * (bar.maximum() + bar.pageStep()) - bar.pageStep() / 2))

    # --- printing -----------------------------------------------------------------------------------------------------
    def is_printing(self) -> bool:
        return self._job is not None

    def print_document(self) -> None:
        """Ask for the print options, then print page by page; without a printer, offer Save as PDF instead."""
        if self._job is not None:
            return
        printer = self._printer_factory()
        setup_printer(printer, self.document_name)
        if not printer.outputFileName() and not printer_available():
            self._offer_save_instead()
            return
        if not self._print_dialog(printer, self.document.pageCount()):
            return
        pages = selected_pages(printer, self.document.pageCount(), self.current_page())
        if not pages:
            return
        job = PrintJob(self.document, printer, pages)
        if not job.begin():
            QMessageBox.warning(self, self.tr("Printing failed"),
                                self.tr("The printer “%1” could not be started. Check that it is switched on and "
                                        "connected, or save the document as PDF.").replace("%1", printer.printerName()))
            return
        self._job = job
        self.print_action.setEnabled(False)
        if len(pages) >= PROGRESS_FROM_PAGES:
            self._progress = QProgressDialog(self.tr("Printing “%1”…").replace("%1", self.document_name),
                                             self.tr("Cancel"), 0, len(pages), self)
            self._progress.setWindowModality(Qt.WindowModality.WindowModal)
            self._progress.setMinimumDuration(0)
            self._progress.canceled.connect(self._cancel_print)
            self._progress.setValue(0)
        self._since_progress.start()
        self._print_timer.start()

    def _print_next(self) -> None:
        job = self._job
        if job is None:
            return
        if job.cancelled:
            job.abort()
            self._print_finished()
            return
        more = job.step()
        if self._progress is not None and (not more or self._since_progress.elapsed() >= PROGRESS_EVERY_MS):
            self._since_progress.restart()
            self._progress.setValue(job.done)
        if more and not job.cancelled:
            self._print_timer.start()
        elif more:
            job.abort()
            self._print_finished()
        else:
            ok = job.end()
            self._print_finished()
            if ok:
                self.printed.emit(len(job.pages))
            else:
                QMessageBox.warning(self, self.tr("Printing failed"),
                                    self.tr("The document could not be sent to the printer. Please try again, or "
                                            "save it as PDF."))

    def _cancel_print(self) -> None:
        if self._job is not None:
            self._job.cancelled = True

    def _print_finished(self) -> None:
        self._job = None
        self.print_action.setEnabled(True)
        if self._progress is not None:
            self._progress.canceled.disconnect(self._cancel_print)
            self._progress.close()
            self._progress.deleteLater()
            self._progress = None

    def _offer_save_instead(self) -> None:
        box = QMessageBox(QMessageBox.Icon.Information, self.tr("No printer"),
                          self.tr("No printer was found. You can “Save as PDF” first, then print the file on a "
                                  "computer that has a printer."), QMessageBox.StandardButton.NoButton, self)
        save = box.addButton(self.tr("Save as PDF…"), QMessageBox.ButtonRole.AcceptRole)
        box.addButton(QMessageBox.StandardButton.Close)
        box.setDefaultButton(save)
        box.exec()
        if box.clickedButton() == save:
            self.save_as_pdf()

    def _ask_print_options(self, printer: QPrinter, page_count: int) -> bool:
        dialog = QPrintDialog(printer, self)
        dialog.setWindowTitle(self.tr("Print “%1”").replace("%1", self.document_name))
        option = QAbstractPrintDialog.PrintDialogOption
        dialog.setOptions(option.PrintPageRange | option.PrintCurrentPage | option.PrintToFile
                          | option.PrintShowPageSize)
        dialog.setMinMax(1, page_count)
        return dialog.exec() == QDialog.DialogCode.Accepted

    def done(self, result: int) -> None:
        """Closing the window (Esc included) cancels a print job still running."""
        if self._job is not None:
            self._print_timer.stop()
            self._job.abort()
            self._print_finished()
        super().done(result)

    # --- saving -------------------------------------------------------------------------------------------------------
    def save_as_pdf(self) -> bool:
        """Ask where, then write the PDF atomically; on failure say why and keep the window (nothing is lost)."""
        folder = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation) or str(Path.home())
        path = self._save_dialog(str(Path(folder) / f"{safe_file_name(self.document_name)}.pdf"))
        if not path:
            return False
        try:
            write_atomically(path, self.pdf)
        except OSError as exc:
            QMessageBox.warning(self, self.tr("PDF not saved"),
                                self.tr("The PDF could not be saved as %1: %2.\n\nNothing was lost: the preview "
                                        "stays open. Please choose another folder and save again.")
                                .replace("%1", path).replace("%2", self._reason(exc)))
            return False
        self.saved.emit(path)
        return True

    def _reason(self, exc: OSError) -> str:
        if exc.errno == errno.ENOSPC:
            return self.tr("the disk is full")
        if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
            return self.tr("you have no permission to write in that folder")
        if exc.errno == errno.ENOENT:
            return self.tr("the folder does not exist")
        return exc.strerror or str(exc)

    def _ask_save_path(self, suggested: str) -> str:
        dialog = QFileDialog(self, self.tr("Save as PDF"), suggested, self.tr("PDF files (*.pdf)"))
        dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
        dialog.setDefaultSuffix("pdf")
        dialog.selectFile(suggested)
        return dialog.selectedFiles()[0] if dialog.exec() == QDialog.DialogCode.Accepted else ""


def preview_documents(documents: Sequence[tuple[str, bytes]], name: str, parent=None, **options) -> PrintPreview:
    """One preview of several documents bound together (bundle.combine); the saved PDF keeps a bookmark per
    document. `options` are PrintPreview's keyword arguments."""
    return PrintPreview(bundle.combine(documents), name, parent, **options)

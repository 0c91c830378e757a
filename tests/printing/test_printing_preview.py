"""The print preview window: navigation, zoom, Save as PDF (atomic, clear message on failure), printing through a
real QPrinter writing a PDF file (pages parsed back with pypdf and compared by rendering), no printer installed."""
from __future__ import annotations

import errno
import io
import os
import sys
from pathlib import Path

import pytest
from pypdf import PdfReader
from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QColor, QImage, QPageRanges, QPainter
from PySide6.QtPdfWidgets import QPdfView
from PySide6.QtPrintSupport import QPrinter, QPrinterInfo
from PySide6.QtWidgets import QMessageBox, QProgressDialog, QPushButton

PROJECT = Path(__file__).resolve().parents[2]
if str(PROJECT) not in sys.path:  # `bench` is a top-level package next to fx_desktop, not installed
    sys.path.insert(0, str(PROJECT))

from bench.preview import chinese_document, cjk_font, first_paint_ms  # noqa: E402
from fx_desktop.domain.errors import DomainError  # noqa: E402
from fx_desktop.printing import preview as preview_module  # noqa: E402
from fx_desktop.printing.preview import (  # noqa: E402
    PrintPreview,
    load_document,
    preview_documents,
    print_to_file,
    safe_file_name,
)
from tests.views.test_views_startup import _click_when_shown
from tests.views.test_views_sync import chinese as zh  # noqa: F401 - the Chinese UI, as the app installs it

NAME = "询问笔录（李建国）"


@pytest.fixture(scope="module")
def three_pages() -> bytes:
    return chinese_document(3, "询问笔录")


@pytest.fixture(scope="module")
def numbered() -> bytes:
    """Three pages, each with its number in huge characters: printed pages can be told apart by their look."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen.canvas import Canvas

    out = io.BytesIO()
    canvas = Canvas(out, pagesize=A4)
    for number in "一二三":
        canvas.setFont(cjk_font(), 200 if number != "二" else 120)
        canvas.drawCentredString(A4[0] / 2, A4[1] / 2 if number != "三" else 80, f"第{number}页")
        canvas.showPage()
    canvas.save()
    return out.getvalue()


@pytest.fixture
def open_preview(qtbot):
    def open_(pdf: bytes, name: str = NAME, **options) -> PrintPreview:
        window = PrintPreview(pdf, name, **options)
        qtbot.addWidget(window)
        window.show()
        qtbot.waitExposed(window)
        window.activateWindow()
        qtbot.waitUntil(window.isActiveWindow)  # window shortcuts need the active window
        return window

    return open_


def _pdf_printer(path: Path):
    def factory() -> QPrinter:
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        printer.setOutputFileName(str(path))
        return printer

    return factory


def _gray(pdf: bytes, page: int) -> list[int]:
    """Page `page` rendered small on white paper, as gray levels."""
    document = load_document(pdf, "test")
    rendered = document.render(page, QSize(75, 106))
    document.deleteLater()
    paper = QImage(rendered.size(), QImage.Format.Format_RGB32)
    paper.fill(QColor("white"))
    painter = QPainter(paper)
    painter.drawImage(0, 0, rendered)
    painter.end()
    return [paper.pixelColor(x, y).lightness() for y in range(paper.height()) for x in range(paper.width())]


def _ink(image: QImage) -> int:
    """Dark pixels in a sample of the image."""
    return sum(image.pixelColor(x, y).lightness() < 100
               for y in range(0, image.height(), 3) for x in range(0, image.width(), 3))


def _difference(a, b) -> float:
    return sum(abs(p - q) for p, q in zip(a, b)) / len(a)


def _printed_pages_match(printed: bytes, original: bytes, expected: list[int]) -> None:
    """Printed page i looks like original page expected[i] (same place and size on the sheet) and unlike the others."""
    count = len(PdfReader(io.BytesIO(original)).pages)
    assert len(PdfReader(io.BytesIO(printed)).pages) == len(expected)
    originals = [_gray(original, p) for p in range(count)]
    for printed_page, want in enumerate(expected):
        image = _gray(printed, printed_page)
        distances = [_difference(image, o) for o in originals]
        others = [d for p, d in enumerate(distances) if p != want]
        assert distances[want] < 6 and min(others) > 2 * distances[want], (printed_page, distances)


# --- window and navigation ------------------------------------------------------------------------------------------
def test_opens_on_page_one_of_three_and_navigates(qtbot, zh, open_preview, three_pages):
    window = open_preview(three_pages)
    assert window.windowTitle() == NAME
    assert window.view.pageMode() == QPdfView.PageMode.MultiPage
    assert window.page_box.text() == "第 1 页 / 共 3 页"
    assert not window.previous_action.isEnabled() and window.next_action.isEnabled()
    qtbot.waitUntil(lambda: _ink(window.view.viewport().grab().toImage()) > 100)  # page 1 rendered and painted
    window.grab().save("/tmp/preview.png")  # looked at by eye: Chinese page, Chinese toolbar

    window.next_action.trigger()
    qtbot.waitUntil(lambda: window.current_page() == 1)
    assert window.page_box.text() == "第 2 页 / 共 3 页"
    window.previous_action.trigger()
    qtbot.waitUntil(lambda: window.current_page() == 0)

    window.page_box.setValue(3)  # typing a number jumps there
    qtbot.waitUntil(lambda: window.current_page() == 2)
    assert not window.next_action.isEnabled()

    qtbot.keyClick(window.view, Qt.Key.Key_PageUp)
    qtbot.waitUntil(lambda: window.current_page() == 1)
    qtbot.keyClick(window.view, Qt.Key.Key_PageDown)
    qtbot.waitUntil(lambda: window.current_page() == 2)
    assert window.page_box.value() == 3


def test_zoom_in_out_actual_size_and_fit_width(qtbot, open_preview, three_pages):
    window = open_preview(three_pages)
    assert window.view.zoomMode() == QPdfView.ZoomMode.FitToWidth
    fitted = window.zoom_factor()

    qtbot.keyClick(window.view, Qt.Key.Key_Equal, Qt.KeyboardModifier.ControlModifier)
    assert window.view.zoomMode() == QPdfView.ZoomMode.Custom
    assert window.view.zoomFactor() == pytest.approx(fitted * 1.25)
    qtbot.keyClick(window.view, Qt.Key.Key_Minus, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(window.view, Qt.Key.Key_Minus, Qt.KeyboardModifier.ControlModifier)
    assert window.view.zoomFactor() == pytest.approx(fitted / 1.25)

    window.actual_size_action.trigger()
    assert window.view.zoomFactor() == 1.0
    for _ in range(20):
        window.zoom_in_action.trigger()
    assert window.view.zoomFactor() == preview_module.MAX_ZOOM
    window.fit_width_action.trigger()
    assert window.view.zoomMode() == QPdfView.ZoomMode.FitToWidth
    assert window.zoom_factor() == pytest.approx(fitted)


def test_escape_closes(qtbot, open_preview, three_pages):
    window = open_preview(three_pages)
    qtbot.keyClick(window.view, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: not window.isVisible())


def test_an_invalid_pdf_is_refused_with_its_name(qtbot, zh):
    with pytest.raises(DomainError, match="现场检查笔录"):
        PrintPreview(b"not a pdf", "现场检查笔录")


# --- save as PDF ----------------------------------------------------------------------------------------------------
def test_ctrl_s_saves_the_same_bytes_under_a_safe_suggested_name(qtbot, open_preview, three_pages, tmp_path):
    suggested: list[str] = []
    target = tmp_path / "saved.pdf"

    def choose(path: str) -> str:
        suggested.append(path)
        return str(target)

    window = open_preview(three_pages, "询问笔录 2/3: 李建国", save_dialog=choose)
    with qtbot.waitSignal(window.saved) as saved:
        qtbot.keyClick(window.view, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert saved.args == [str(target)]
    assert target.read_bytes() == three_pages
    assert len(PdfReader(target).pages) == 3
    assert Path(suggested[0]).name == "询问笔录 2_3_ 李建国.pdf"
    assert list(tmp_path.iterdir()) == [target]  # no temporary file left behind


def test_cancelled_save_dialog_writes_nothing(qtbot, open_preview, three_pages, tmp_path):
    window = open_preview(three_pages, save_dialog=lambda _suggested: "")
    assert window.save_as_pdf() is False
    assert list(tmp_path.iterdir()) == []


def test_save_into_an_unwritable_folder_says_why_and_loses_nothing(qtbot, zh, open_preview, three_pages, tmp_path,
                                                                    monkeypatch):
    locked = tmp_path / "locked"
    locked.mkdir()
    (locked / "saved.pdf").write_bytes(b"the earlier copy")
    locked.chmod(0o500)
    real_open = os.open

    def refusing_open(path, *args, **kwargs):  # root ignores the folder's permissions: refuse as the OS would
        if Path(path).parent == locked:
            raise PermissionError(errno.EACCES, "Permission denied", str(path))
        return real_open(path, *args, **kwargs)

    monkeypatch.setattr(preview_module.os, "open", refusing_open)
    warnings: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", staticmethod(lambda _p, _t, text, *a, **k: warnings.append(text)))
    targets = iter([locked / "saved.pdf", tmp_path / "elsewhere.pdf"])
    window = open_preview(three_pages, save_dialog=lambda _suggested: str(next(targets)))
    try:
        assert window.save_as_pdf() is False
        assert len(warnings) == 1 and "没有在该文件夹中写入文件的权限" in warnings[0]
        assert str(locked / "saved.pdf") in warnings[0] and "没有丢失" in warnings[0]
        assert (locked / "saved.pdf").read_bytes() == b"the earlier copy"
        assert sorted(p.name for p in locked.iterdir()) == ["saved.pdf"]
        assert window.isVisible()
        assert window.save_as_pdf() is True  # the user picks another folder: the document is still all there
        assert (tmp_path / "elsewhere.pdf").read_bytes() == three_pages
    finally:
        locked.chmod(0o700)


def test_disk_full_while_saving_keeps_the_earlier_file(qtbot, zh, open_preview, three_pages, tmp_path, monkeypatch):
    target = tmp_path / "saved.pdf"
    target.write_bytes(b"the earlier copy")

    def full(_fd):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(preview_module.os, "fsync", full)
    warnings: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", staticmethod(lambda _p, _t, text, *a, **k: warnings.append(text)))
    window = open_preview(three_pages, save_dialog=lambda _suggested: str(target))
    assert window.save_as_pdf() is False
    assert "磁盘空间已满" in warnings[0]
    assert target.read_bytes() == b"the earlier copy"
    assert list(tmp_path.iterdir()) == [target]


def test_bound_documents_keep_their_bookmarks_when_saved(qtbot, tmp_path):
    target = tmp_path / "case.pdf"
    window = preview_documents([("立案审批表", chinese_document(1)), ("询问笔录", chinese_document(2))], "案卷",
                               save_dialog=lambda _suggested: str(target))
    qtbot.addWidget(window)
    assert window.document.pageCount() == 3 and window.windowTitle() == "案卷"
    assert window.save_as_pdf()
    reader = PdfReader(target)
    assert [(o.title, reader.get_destination_page_number(o)) for o in reader.outline] == [("立案审批表", 0),
                                                                                          ("询问笔录", 1)]


def test_safe_file_name():
    assert safe_file_name("询问笔录 2/3") == "询问笔录 2_3"
    assert safe_file_name('..\\a:b*c?"d"<e>|') == "a_b_c_d_e"
    assert safe_file_name("///") == "document"


# --- printing -------------------------------------------------------------------------------------------------------
def test_print_to_file_prints_the_page_range(qapp, tmp_path, numbered):
    out = tmp_path / "range.pdf"
    assert print_to_file(numbered, out, NAME, page_range=(2, 3)) == 2
    printed = out.read_bytes()
    reader = PdfReader(io.BytesIO(printed))
    assert len(reader.pages) == 2
    assert reader.metadata.title == NAME
    box = reader.pages[0].mediabox
    assert (float(box.width), float(box.height)) == pytest.approx((595.3, 841.9), abs=1.5)  # A4 portrait
    _printed_pages_match(printed, numbered, [1, 2])
    with pytest.raises(ValueError):
        print_to_file(numbered, out, NAME, page_range=(2, 4))


def test_ctrl_p_prints_every_page_through_the_printer(qtbot, open_preview, numbered, tmp_path):
    out = tmp_path / "printed.pdf"
    asked: list[tuple] = []

    def print_dialog(printer: QPrinter, pages: int) -> bool:
        asked.append((pages, printer.docName(), printer.copyCount(), printer.fullPage(),
                      printer.pageLayout().pageSize().id(), printer.pageLayout().orientation()))
        return True

    window = open_preview(numbered, printer_factory=_pdf_printer(out), print_dialog=print_dialog)
    with qtbot.waitSignal(window.printed, timeout=30000) as printed:
        qtbot.keyClick(window.view, Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier)
    assert printed.args == [3]
    assert asked == [(3, NAME, 1, True, preview_module.QPageSize.PageSizeId.A4,
                      preview_module.QPageLayout.Orientation.Portrait)]
    assert not window.is_printing() and window.print_action.isEnabled()
    _printed_pages_match(out.read_bytes(), numbered, [0, 1, 2])


def test_page_range_chosen_in_the_print_dialog(qtbot, open_preview, numbered, tmp_path):
    out = tmp_path / "printed.pdf"

    def pages_two_to_three(printer: QPrinter, _pages: int) -> bool:
        ranges = QPageRanges()
        ranges.addRange(2, 3)
        printer.setPrintRange(QPrinter.PrintRange.PageRange)
        printer.setPageRanges(ranges)
        return True

    window = open_preview(numbered, printer_factory=_pdf_printer(out), print_dialog=pages_two_to_three)
    with qtbot.waitSignal(window.printed, timeout=30000) as printed:
        window.print_action.trigger()
    assert printed.args == [2]
    _printed_pages_match(out.read_bytes(), numbered, [1, 2])


def test_cancelled_print_dialog_prints_nothing(qtbot, open_preview, three_pages, tmp_path):
    out = tmp_path / "printed.pdf"
    window = open_preview(three_pages, printer_factory=_pdf_printer(out), print_dialog=lambda _printer, _n: False)
    window.print_action.trigger()
    assert not window.is_printing() and not out.exists()


def test_a_long_job_shows_progress_and_can_be_cancelled(qtbot, open_preview, tmp_path, monkeypatch):
    pages = preview_module.PROGRESS_FROM_PAGES + 6
    pdf = chinese_document(pages)
    out = tmp_path / "printed.pdf"
    window = open_preview(pdf, printer_factory=_pdf_printer(out), print_dialog=lambda _printer, _n: True)
    printed: list[int] = []
    window.printed.connect(printed.append)
    clicked: list[tuple[int, bool]] = []
    step = preview_module.PrintJob.step

    def step_then_cancel(job):  # the user clicks Cancel midway, whatever the machine's speed
        more = step(job)
        if progress.isVisible() and job.done >= 2 and more and not clicked:
            clicked.append((job.done, window.print_action.isEnabled()))
            qtbot.mouseClick(progress.findChild(QPushButton), Qt.MouseButton.LeftButton)  # its Cancel button
        return more

    monkeypatch.setattr(preview_module.PrintJob, "step", step_then_cancel)
    window.print_action.trigger()
    progress = window.findChild(QProgressDialog)
    assert window.is_printing() and progress is not None
    qtbot.waitUntil(lambda: not window.is_printing())
    assert clicked and clicked[0][0] < pages and clicked[0][1] is False  # printing could not be started twice
    assert printed == [] and window.print_action.isEnabled()
    monkeypatch.setattr(preview_module.PrintJob, "step", step)

    with qtbot.waitSignal(window.printed, timeout=60000):  # and the next job runs to the end
        window.print_action.trigger()
    assert printed == [pages]
    assert len(PdfReader(out).pages) == pages


def test_without_a_printer_it_says_so_and_offers_save(qtbot, zh, open_preview, three_pages, tmp_path, monkeypatch):
    monkeypatch.setattr(QPrinterInfo, "availablePrinters", staticmethod(lambda: []))
    monkeypatch.setattr(QPrinterInfo, "defaultPrinter", staticmethod(lambda: QPrinterInfo()))
    asked: list[int] = []
    target = tmp_path / "saved.pdf"
    window = open_preview(three_pages, print_dialog=lambda _printer, n: asked.append(n) or True,
                          save_dialog=lambda _suggested: str(target))
    seen = _click_when_shown("另存为 PDF")
    window.print_action.trigger()
    assert seen == ["未找到可用的打印机。您可以先“另存为 PDF”，再在连接打印机的电脑上打印。"]
    assert asked == [] and not window.is_printing()
    assert target.read_bytes() == three_pages


# --- benchmark helper -----------------------------------------------------------------------------------------------
def test_first_paint_probe_measures_a_painted_page(qapp, three_pages):
    assert 0 < first_paint_ms(three_pages) < 20000


def test_a_notice_shows_in_a_bar_above_the_pages_and_none_by_default(qtbot, open_preview, three_pages):
    from fx_desktop.printing.draft import NOTICE

    assert not open_preview(three_pages).notice.isVisible()
    noted = open_preview(three_pages, notice=NOTICE)
    assert noted.notice.isVisible() and noted.notice.text() == NOTICE
    assert noted.notice.geometry().bottom() < noted.view.geometry().top()

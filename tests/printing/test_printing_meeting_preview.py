"""The preview side of the meeting documents: FormPrinter lists a meeting's, a supervision sheet's and the report's
forms, builds one off the GUI thread from the print data a page hands it (or a function making it) and opens the
preview with the reason it is a draft in the notice bar; the real preview shows the whole pack."""
from __future__ import annotations

import io

import pytest
from pypdf import PdfReader
from PySide6.QtWidgets import QWidget

from fx_desktop.printing.preview import PrintPreview
from fx_desktop.tasks import TaskRunner
from fx_desktop.views.form_printer import FormPrinter
from tests.printing.meeting_samples import sample_meeting, sample_report, sample_sheet, unsigned
from tests.support.printing import CapturedPreview


@pytest.fixture
def printer(qtbot):
    parent = QWidget()
    qtbot.addWidget(parent)
    tasks = TaskRunner()
    form_printer = FormPrinter(None, tasks, parent, open_preview=CapturedPreview())
    yield form_printer
    tasks.wait()


def shown(qtbot, printer, count: int = 1):
    qtbot.waitUntil(lambda: len(printer.open_preview.documents) >= count, timeout=20000)
    return printer.open_preview.documents[-1], printer.open_preview.notices[-1]


def test_the_form_lists(printer):
    assert printer.meeting_forms() == [
        ("meeting-notice", "会议通知"), ("meeting-agenda", "会议议程"), ("meeting-signin", "签到表"),
        ("meeting-minutes", "会议纪要"), ("meeting-items", "议定事项清单"), ("meeting-pack", "会议材料（合订）")]
    assert printer.supervision_forms() == [("supervision-sheet", "督办单")]
    assert printer.report_forms() == [("supervision-report", "督办通报")]


def test_signed_minutes_open_without_a_notice_and_unsigned_ones_say_why(qtbot, printer):
    printer.print_meeting("meeting-minutes", sample_meeting(), "〔2026〕第3期")
    (pdf, name), notice = shown(qtbot, printer)
    assert name == "会议纪要（〔2026〕第3期）" and notice is None
    assert "南桥镇综合行政执法协调会议纪要" in PdfReader(io.BytesIO(pdf)).pages[0].extract_text()
    printer.print_meeting("meeting-minutes", lambda: unsigned(), "〔2026〕第3期")  # a loader, run off the GUI thread
    _, notice = shown(qtbot, printer, 2)
    assert notice.startswith("本纪要尚未签发（传阅中）")


def test_a_sheet_and_the_report(qtbot, printer):
    printer.print_supervision("supervision-sheet", sample_sheet(number=None), "议定事项一")
    (_, name), notice = shown(qtbot, printer)
    assert name == "督办单（议定事项一）" and "督办单尚未编号签发" in notice
    printer.print_supervision("supervision-report", sample_report(), "2026年11月")
    (pdf, name), notice = shown(qtbot, printer, 2)
    assert name == "督办通报（2026年11月）" and notice is None and len(PdfReader(io.BytesIO(pdf)).pages) >= 1


def test_the_pack_opens_in_the_real_preview_with_every_page(qtbot, printer):
    printer.print_meeting("meeting-pack", sample_meeting(), "〔2026〕第3期")
    (pdf, name), _ = shown(qtbot, printer)
    window = PrintPreview(pdf, name)
    qtbot.addWidget(window)
    assert window.document.pageCount() == len(PdfReader(io.BytesIO(pdf)).pages) == 14
    window.go_to_page(8)
    assert window.page_box.value() == 9

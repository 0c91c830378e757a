"""Supervision (督办) through the GUI against a real fx-bureau: the town's office issues a sheet from the 督办
section, the department's liaison finds it on its workbench and signs, asks for more time; the office approves;
the department reports; the office sends it back once with a reason; the department reports again; the office
closes it (confirmed); both clients show every step with who did it. An overdue sheet is red with 【已逾期】 and
the office is told to chase it. The Chinese translation is installed, as users see it; screenshots are written to
/tmp/shots-supervision."""
from __future__ import annotations

from datetime import date, datetime, timedelta

import io

import pytest
from pypdf import PdfReader
from PySide6.QtCore import QDate
from PySide6.QtWidgets import QDialogButtonBox, QMessageBox, QPushButton

from fx_desktop.services import supervisions
from fx_desktop.views.supervision_dialogs import IssueDialog, SheetStepDialog
from tests.support.printing import CapturedPreview
from tests.views.test_views_legal_review import sync, window_for  # noqa: F401 - fixture: a window logged in
from tests.views.test_views_sync import bureau, chinese  # noqa: F401 - fixtures: one fx-bureau, Chinese UI
from tests.support.shots import shots_folder, take

SHOTS = shots_folder("/tmp/shots-supervision")


@pytest.fixture(scope="module")
def sup_bureau(bureau):  # noqa: F811 - the imported fixture
    bureau.add_user("fang", "office_staff", "nanqiao", "王芳")
    bureau.add_user("ligh", "department_liaison", "ghzy", "李规划")
    return bureau


@pytest.fixture
def answer_yes(monkeypatch):
    """Modal confirmation boxes cannot be clicked from a test; this stands in for the user pressing Yes."""
    asked = []
    monkeypatch.setattr(QMessageBox, "question", staticmethod(
        lambda *a, **k: asked.append(a) or QMessageBox.StandardButton.Yes))
    return asked


def shot(widget, name: str) -> None:
    take(widget, SHOTS, name)


def step(page, name: str, fill=None) -> None:
    """Click the step's button on the sheet, fill its form and press OK; the form closes when stored."""
    button = page.view.findChild(QPushButton, f"supervision_step_{name}")
    assert button is not None, [b.objectName() for b in page.view.findChildren(QPushButton)]
    button.click()
    dialog = page.dialog
    assert isinstance(dialog, SheetStepDialog) and dialog.isVisible()
    if fill is not None:
        fill(dialog)
    dialog.buttons.accepted.emit()
    assert not dialog.isVisible(), dialog.error.text() or [b.error.text() for b in dialog.field_boxes.values()]


def steps_shown(page) -> str:
    return page.view.details.toPlainText()


def test_the_office_and_the_department_chase_a_sheet_to_closure(qtbot, window_for, sup_bureau, chinese,
                                                                answer_yes):
    office = window_for("fang")
    page = office.supervision_page
    assert office.sections.indexOf(page) >= 0
    office.show_section(page)
    assert page.empty.isVisible() and page.issue_button.isVisible()
    page.issue_button.click()
    dialog = page.dialog
    assert isinstance(dialog, IssueDialog) and dialog.isVisible()
    dialog.buttons.accepted.emit()
    assert dialog.isVisible() and "督办事项" in dialog.field_boxes["matter"].error.text()  # refused, typing kept
    dialog.matter.setPlainText("拆除南桥镇江海路 8 号违法搭建并恢复原状")
    dialog.responsible.setCurrentIndex(dialog.responsible.findData("ghzy"))
    deadline = date.today() + timedelta(days=10)
    dialog.deadline.setDate(QDate(deadline.year, deadline.month, deadline.day))
    dialog.leader.setText("张副镇长")
    shot(dialog, "issue-dialog")
    dialog.buttons.accepted.emit()
    assert not dialog.isVisible(), dialog.error.text()
    record = page.view.record
    assert record is not None and record.status == "issued" and "待签收" in page.view.title.text()
    shot(office, "office-issued")
    sync(qtbot, office)

    dept = window_for("ligh")
    dpage = dept.supervision_page
    assert not dpage.issue_button.isVisible()  # a department answers, it does not issue
    dept.workbench.refresh()
    items = [i for i in dept.workbench.model.items if i.kind == "supervision"]
    assert [i.task for i in items] == ["签收督办单"] and items[0].record_id == record.id
    dept.show_section(dept.workbench)
    shot(dept, "department-workbench")
    dept.open_work(items[0])
    assert dept.sections.currentWidget() is dpage and dpage.view.record.id == record.id
    step(dpage, "sign_supervision", lambda d: d.widgets["handler"].setText("李工"))
    later = deadline + timedelta(days=10)
    step(dpage, "ask_supervision_extension", lambda d: (
        d.widgets["new_deadline"].setDate(QDate(later.year, later.month, later.day)),
        d.widgets["reason"].setPlainText("需等待规划复核结论")))
    assert dpage.view.record.status == "extension_asked"
    sync(qtbot, dept)

    sync(qtbot, office)
    office.workbench.refresh()
    tasks = {i.task for i in office.workbench.model.items if i.kind == "supervision"}
    assert "审批延期申请" in tasks
    office.show_supervision(record.id)
    step(page, "decide_supervision_extension")  # approved, as asked
    assert page.view.record.deadline == later
    sync(qtbot, office)

    sync(qtbot, dept)
    dept.show_supervision(record.id)
    step(dpage, "report_supervision", lambda d: (d.widgets["text"].setPlainText("已拆除违法搭建一半"),
                                                 d.widgets["attachments"].setText("现场照片1.jpg、现场照片2.jpg")))
    sync(qtbot, dept)

    sync(qtbot, office)
    office.show_supervision(record.id)
    assert page.view.record.status == "reported"
    page.view.findChild(QPushButton, "supervision_step_send_back_supervision").click()
    page.dialog.buttons.accepted.emit()
    assert page.dialog.isVisible() and "退回理由" in page.dialog.field_boxes["reason"].error.text()
    page.dialog.widgets["reason"].setPlainText("尚未全部拆除，请继续整改")
    page.dialog.buttons.accepted.emit()
    assert not page.dialog.isVisible()
    sync(qtbot, office)

    sync(qtbot, dept)
    dept.show_supervision(record.id)
    assert dpage.view.record.status == "sent_back" and "尚未全部拆除" in steps_shown(dpage)
    step(dpage, "report_supervision", lambda d: d.widgets["text"].setPlainText("已全部拆除，恢复原状"))
    sync(qtbot, dept)

    sync(qtbot, office)
    office.show_supervision(record.id)
    asked = len(answer_yes)
    step(page, "close_supervision", lambda d: d.widgets["note"].setPlainText("经核查已整改到位"))
    assert len(answer_yes) == asked + 1  # closing was confirmed first
    assert page.view.record.status == "closed"
    shot(office, "office-closed")
    sync(qtbot, office)
    sync(qtbot, dept)
    dept.show_supervision(record.id)
    for window, shown in ((office, steps_shown(page)), (dept, steps_shown(dpage))):
        for words in ("下发督办单", "签收督办单", "申请延期", "审批延期申请", "反馈办理情况", "退回重办", "办结督办事项",
                      "王芳", "李规划", "现场照片1.jpg"):
            assert words in shown, (window, words)
    assert dpage.view.record.status == "closed"
    shot(dept, "department-closed")


def extract_text(pdf: bytes) -> str:
    return "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


def test_an_overdue_sheet_is_red_and_the_office_chases_it(qtbot, window_for, sup_bureau, chinese):
    office = window_for("fang")
    sheet = supervisions.issue(office.store, office.profile, {  # issued three weeks ago, due ten days ago
        "responsible_org": "sthj", "matter": "整治某工地扬尘", "deadline": (date.today() - timedelta(days=10)).isoformat()},
        now=datetime.now() - timedelta(days=21))
    page = office.supervision_page
    office.show_supervision(sheet.id)
    assert "【已逾期】" in page.view.deadline.text()
    row = page.model.row_of(sheet.id)
    assert "【已逾期】" in page.model.index(row, 4).data()
    page.late.setChecked(True)
    assert page.model.row_of(sheet.id) is not None
    step(page, "urge_supervision", lambda d: d.widgets["note"].setPlainText("请于三日内反馈"))
    assert "催办（已逾期）" in steps_shown(page)
    shot(office, "office-overdue")

    printed = office.printer.open_preview = CapturedPreview()
    page.view.printRequested.emit()  # 打印督办单: built off the GUI thread, shown in the preview
    qtbot.waitUntil(lambda: len(printed.documents) == 1, timeout=20000)
    pdf, name = printed.documents[0]
    assert name.startswith("督办单（") and "整治某工地扬尘" in extract_text(pdf)

    page.report_button.click()  # 督办通报: the period picked, then printed
    period = page.dialog
    period.end.setDate(period.start.date().addDays(-1))
    period.findChild(QDialogButtonBox).accepted.emit()
    assert period.isVisible() and "不能早于" in period.error.text()
    period.end.setDate(QDate.currentDate())
    period.start.setDate(QDate.currentDate().addDays(-30))
    shot(period, "period-dialog")
    period.findChild(QDialogButtonBox).accepted.emit()
    assert not period.isVisible()
    report = page.report
    assert report.issued_by == "南桥镇" and report.today == date.today()
    tally = {u.unit: u for u in report.units}
    assert sheet.id and any(s.matter == "整治某工地扬尘" for s in tally["区生态环境局"].sheets)
    qtbot.waitUntil(lambda: len(printed.documents) == 2, timeout=20000)
    pdf, name = printed.documents[1]
    assert name.startswith("督办通报（") and "区生态环境局" in extract_text(pdf)


def test_the_squad_leader_supervises_a_police_request_from_its_page(qtbot, window_for, sup_bureau, chinese):
    from fx_desktop.services import police_requests

    town = window_for("zhang")
    request = police_requests.create(town.store, town.profile, {
        "situation": "emergency", "station_org": "pcs_nanqiao", "place": "南桥镇江海路 8 号", "party": "吴某",
        "asks": ["keep_order"]})
    town.show_police_request(request.id)
    button = town.police_page.supervise
    assert button.isVisible()
    button.click()
    page = town.supervision_page
    dialog = page.dialog
    assert isinstance(dialog, IssueDialog) and dialog.isVisible() and town.sections.currentWidget() is page
    assert "公安协助申请" in dialog.source_label.text() and dialog.responsible.currentData() == "pcs_nanqiao"
    dialog.matter.setPlainText("请南桥派出所反馈对吴某阻碍执法一事的处理结果")
    dialog.buttons.accepted.emit()
    assert not dialog.isVisible(), dialog.error.text()
    sheet = page.view.record
    assert (sheet.data["source"]["kind"], sheet.data["source"]["id"]) == ("police_request", request.id)
    assert sheet.responsible_name == "南桥派出所" and "公安协助申请" in steps_shown(page)
    assert [s.id for s in supervisions.for_source(town.store, "police_request", request.id)] == [sheet.id]

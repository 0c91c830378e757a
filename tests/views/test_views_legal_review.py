"""The legal review through the GUI on three clients of one town and a real fx-bureau: the officer submits through
the submission form, the reviewer (another client) returns it with an opinion from the queue on the review desk, the
officer sees the opinion and resubmits, the reviewer approves, the squad leader's 作出决定 unlocks, the opinion form
is printed."""
from __future__ import annotations

import io

import pytest
from PySide6.QtCore import QSettings, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox
from pypdf import PdfReader

from fx_desktop.domain.lifecycle import CaseStatus
from fx_desktop.paths import DataPaths
from fx_desktop.services import cases, legal_review
from fx_desktop.store import open_store, reference
from fx_desktop.sync import account
from fx_desktop.sync.credentials import MemoryCredentials
from fx_desktop.sync.transport import BureauClient
from fx_desktop.sync.worker import SyncController
from fx_desktop.tasks import TaskRunner
from fx_desktop.views.main_window import MainWindow
from fx_desktop.views.review_dialogs import SubmitReviewDialog
from tests.conftest import case_draft
from tests.support.bureau import PASSWORD
from tests.support.printing import CapturedPreview
from tests.views.test_views_sync import WAIT
from tests.views.test_views_sync import bureau, chinese  # noqa: F401 - fixtures: one fx-bureau, the Chinese UI

MATERIALS = ("case_file", "officer_opinion", "draft_decision", "request_report")


@pytest.fixture
def window_for(qtbot, tmp_path, bureau):  # noqa: F811 - the imported fixture
    made = []

    def make(username: str) -> MainWindow:
        store = open_store(DataPaths.at(tmp_path / username))
        client, creds = BureauClient(bureau.url), MemoryCredentials()
        acc = account.login(store, client, creds, username=username, password=PASSWORD)
        tasks = TaskRunner()
        controller = SyncController(store, tasks, debounce_ms=50, retry_delay=lambda _attempt: 0.2)
        with store.sessions() as session:
            ref = reference.current(session)
        window = MainWindow(store, acc.profile, ref, tasks,
                            QSettings(str(tmp_path / f"{username}.ini"), QSettings.Format.IniFormat),
                            sync=controller, credentials=lambda: creds)
        qtbot.addWidget(window)
        window.show()
        with qtbot.waitSignal(controller.finished, timeout=WAIT):
            controller.attach(client, acc, creds)
        made.append(window)
        return window

    yield make
    for window in made:
        window.sync.stop()
        window.tasks.wait()
        window.store.close()


def sync(qtbot, window):
    with qtbot.waitSignal(window.sync.finished, timeout=WAIT) as blocker:
        assert window.sync.sync_now()
    report = blocker.args[0]
    assert report.ok and report.rejected == 0, report.summary()
    return report


def when_modal(kind, act) -> list:
    """Run `act(dialog)` on the modal dialog of type `kind` as soon as it is shown."""
    seen = []

    def poll() -> None:
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, kind):
            QTimer.singleShot(20, poll)
            return
        seen.append(dialog)
        act(dialog)

    QTimer.singleShot(0, poll)
    return seen


def fill_submission(report_text: str):
    def act(dialog: SubmitReviewDialog) -> None:
        for key in MATERIALS:
            dialog.materials[key].setChecked(True)
        dialog.report.setPlainText(report_text)
        dialog.buttons.accepted.emit()
        if dialog.isVisible():  # refused: say why instead of hanging
            dialog.reject()
    return act


def give_verdict(desk, outcome: str, opinion: str, failed: str | None = None) -> None:
    """On the review desk: every criterion, the outcome, the opinion; checked, then confirmed."""
    for key, (ok, bad, note) in desk.form.criteria.items():
        (bad if key == failed else ok).setChecked(True)
        if key == failed:
            note.setText("缺少现场勘验笔录")
    desk.form.findChild(type(desk.form.outcomes.buttons()[0]), f"outcome_{outcome}").setChecked(True)
    desk.form.opinion.setPlainText(opinion)
    desk.submit_button.click()
    assert desk.confirm.isVisible(), desk.error.text()
    desk.confirm_button.click()
    assert not desk.error.isVisible(), desk.error.text()


def open_in(window, case_id: str) -> None:
    window.show_case(case_id)
    assert window.detail.record.id == case_id


def test_submit_return_resubmit_approve_decide_and_print(qtbot, window_for, monkeypatch):
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    leader, officer, reviewer = window_for("zhang"), window_for("li"), window_for("reviewer")
    made = cases.create_case(leader.store, leader.profile, case_draft(proposed_penalty="罚款", proposed_amount="30000"))
    status = CaseStatus.CLUE
    for action in ("file", "start_investigation", "close_investigation", "notify"):
        status = cases.change_status(leader.store, leader.profile, made.id, action, expected_status=status).status
    sync(qtbot, leader)
    sync(qtbot, officer)

    # the officer: 作出决定 is not offered; submitting without the report is refused in the form, then done
    open_in(officer, made.id)
    detail = officer.detail
    assert detail.header.findChild(type(detail.review.submit), "action_decide") is None
    assert "重大执法决定" in detail.review.major.text()
    refused = when_modal(SubmitReviewDialog, lambda d: (d.buttons.accepted.emit(), d.error.text() and d.reject()))
    detail.header.findChild(type(detail.review.submit), "action_submit_review").click()
    assert "请填写法制审核申请报告" in refused[0].error.text() or "送审材料不齐" in refused[0].error.text()
    when_modal(SubmitReviewDialog, fill_submission("拟对当事人罚款三万元，提请法制审核。"))
    detail.review.submit.click()
    assert detail.record.status is CaseStatus.LEGAL_REVIEW
    sync(qtbot, officer)

    # the reviewer: the queue shows it; opened from the queue; returned with an opinion
    sync(qtbot, reviewer)
    assert reviewer.workbench.model.rowCount() == 1  # the start page lists it too
    reviewer.show_section(reviewer.review_queue)
    queue = reviewer.review_queue
    assert queue.table.rowCount() == 1 and queue.table.item(0, 0).text() == detail.record.number
    queue.table.cellDoubleClicked.emit(0, 0)  # the review desk: the case's facts beside the answer
    desk = reviewer.review_desk
    assert reviewer.sections.currentWidget() is desk and desk.case_id == made.id and desk.form.isVisible()
    assert "拟对当事人罚款三万元" in desk.facts.toPlainText()
    give_verdict(desk, "revise", "证据链不完整，请补充现场勘验笔录后再报。", failed="evidence")
    assert cases.get_case(reviewer.store, made.id).status is CaseStatus.INVESTIGATION_CLOSED
    assert desk.body.currentIndex() == 1  # nothing else waiting
    desk.done_back.click()
    assert reviewer.sections.currentWidget() is queue
    sync(qtbot, reviewer)

    # the officer sees the opinion, notifies again and resubmits (round 2)
    sync(qtbot, officer)
    assert detail.record.status is CaseStatus.INVESTIGATION_CLOSED
    assert "证据链不完整" in detail.review.detail.toPlainText()
    detail.header.findChild(type(detail.review.submit), "action_notify").click()
    when_modal(SubmitReviewDialog, fill_submission("已补充现场勘验笔录，再次提请审核。"))
    detail.review.submit.click()
    assert detail.review.table.rowCount() == 2
    sync(qtbot, officer)

    # the reviewer approves
    sync(qtbot, reviewer)
    queue.refresh()
    queue.table.cellDoubleClicked.emit(0, 0)
    assert "第 2 次送审" in desk.round_info.text() and "证据链不完整" in desk.facts.toPlainText()  # round 1's answer
    give_verdict(desk, "agree", "经审核，事实清楚，证据充分，同意。")
    assert cases.get_case(reviewer.store, made.id).review_passed
    sync(qtbot, reviewer)

    # the squad leader's decision unlocks
    sync(qtbot, leader)
    open_in(leader, made.id)
    decide = leader.detail.header.findChild(type(detail.review.submit), "action_decide")
    assert decide is not None
    decide.click()
    assert leader.detail.record.status is CaseStatus.DECIDED
    sync(qtbot, leader)

    # the opinion, printed from the reviewer's client (preview captured instead of shown)
    printed = reviewer.detail.printer.open_preview = CapturedPreview()
    open_in(reviewer, made.id)
    reviewer.detail.print_form("review-opinion")
    qtbot.waitUntil(lambda: bool(printed.documents), timeout=WAIT)
    pdf, name = printed.documents[0]
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    number = legal_review.reviews_of(reviewer.store, made.id)[-1].opinion_number
    assert "法制审核意见书" in name and number.startswith("奉南桥法审〔")
    for expected in ("法制审核意见书", number, "经审核，事实清楚，证据充分，同意。", "赵敏", detail.record.number):
        assert expected in text.replace(" ", "").replace("\n", ""), expected

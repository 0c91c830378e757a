"""The review desk on a real SQLite store with a town's work (tests/support/workbench_data.py) and the Chinese UI: a
reviewer opens a case from the queue and sees its facts beside the answer, records an answer (checked, confirmed on
the page, saved with its audit entry and outbox mutation) and is moved on to the next case waiting, goes through the
queue with 上一件/下一件 and their keys, and returns with Esc (or Alt+Left) to the queue or the workbench with the
row selected; a wrong answer is refused in words and saves nothing; the desk fits 1366x728 without sideways
scrolling."""
from __future__ import annotations

import os
from dataclasses import replace
from datetime import datetime

import pytest
from PySide6.QtCore import QRect, Qt, QTimer
from PySide6.QtWidgets import QApplication, QRadioButton
from sqlalchemy import select

from fx_desktop.domain import legal_review as lr
from fx_desktop.domain.identifiers import mask_citizen_id
from fx_desktop.domain.lifecycle import CaseStatus
from fx_desktop.services import cases, legal_review
from fx_desktop.services.evidence import add_evidence
from fx_desktop.store.models import AuditEntry, OutboxEntry
from fx_desktop.views.main_window import MainWindow
from fx_desktop.views.review_dialogs import ExtendReviewDialog
from tests.conftest import VALID_PERSON_ID
from tests.support.workbench_data import LEADER, OFFICER, REVIEWER, TODAY, _submitted, town_with_work
from tests.support.windows import refuse_questions, window_maker
from tests.views.test_views_sync import chinese  # noqa: F401 - fixture: the Chinese UI


@pytest.fixture
def work(store, tmp_path):
    town = town_with_work(store)
    third, _ = _submitted(store, LEADER, "第三件", datetime(2026, 3, 10, 9, 0))  # due between the other two
    photo = tmp_path / "现场照片.txt"
    photo.write_text("现场检查记录", encoding="utf-8")
    add_evidence(store, OFFICER, third, photo, kind="document")
    # the queue, by deadline: the overdue round, the third case, the fresh round
    return town, [town.late_review, third, town.fresh_review]


@pytest.fixture
def open_window(qtbot, tmp_path, monkeypatch):
    refuse_questions(monkeypatch)
    maker, made = window_maker(qtbot, tmp_path, TODAY)

    def make(store, profile, size=(1366, 728)) -> MainWindow:
        return maker(store, profile, size)

    yield make
    for window in made:
        window.tasks.wait()


def open_row(qtbot, window, row: int):
    window.show_section(window.review_queue)
    table = window.review_queue.table
    table.setFocus()
    table.setCurrentCell(row, 0)
    qtbot.keyClick(table, Qt.Key.Key_Return)
    assert window.sections.currentWidget() is window.review_desk
    return window.review_desk


def key(qtbot, window, k, modifier=Qt.KeyboardModifier.NoModifier) -> None:
    qtbot.keyClick(window.focusWidget() or window, k, modifier)


def answer(desk, outcome: str | None, opinion: str = "", failed: str | None = None, assess: bool = True) -> None:
    for k, (ok, bad, note) in desk.form.criteria.items():
        if assess:
            (bad if k == failed else ok).setChecked(True)
        if k == failed:
            note.setText("缺少现场勘验笔录")
    if outcome:
        desk.form.findChild(QRadioButton, f"outcome_{outcome}").setChecked(True)
    desk.form.opinion.setPlainText(opinion)


def audit_actions(store, case_id: str) -> list[str]:
    with store.sessions() as session:
        return list(session.execute(select(AuditEntry.action).where(AuditEntry.case_id == case_id)).scalars())


def outbox_names(store) -> list[str]:
    with store.sessions() as session:
        return list(session.execute(select(OutboxEntry.name)).scalars())


def status_of(store, case_id: str) -> lr.ReviewStatus:
    return legal_review.reviews_of(store, case_id)[-1].status


def test_opened_from_the_queue_the_facts_are_beside_the_answer_and_esc_returns_to_the_row(
        qtbot, open_window, store, work):
    _town, order = work
    window = open_window(store, REVIEWER)
    assert window.review_queue.case_ids() == order
    desk = open_row(qtbot, window, 1)
    record = cases.get_case(store, order[1])
    assert desk.case_id == order[1]
    assert desk.position.text() == f"队列第 2 / 3 件 · {record.number}"
    facts = desk.facts.toPlainText()
    for shown in (record.number, "第三件（个人）", mask_citizen_id(VALID_PERSON_ID), "南桥镇", "违法建筑",
                  "擅自搭建彩钢板结构违建约30平方米", "罚款 20,000.00 元", "案卷材料", "法制审核申请报告",
                  "拟罚款二万元，提请法制审核。", "王磊（31200001）"):
        assert shown in facts, shown
    assert VALID_PERSON_ID not in facts and "13800138000" not in facts  # the ID masked, the phone not shown
    assert desk.evidence.list.count() == 1 and "现场照片" in desk.evidence.list.item(0).text()
    assert not desk.evidence.add_button.isVisible() and desk.evidence_box.title() == "证据材料（1 个文件）"
    assert desk.form.isVisible() and desk.submit_button.isVisible()
    assert "第 1 次送审" in desk.round_info.text() and "王磊" in desk.round_info.text()
    assert desk.back_button.text() == "返回审核队列（Esc）" and not window.back_button.isVisible()
    assert window.nav.currentRow() == window.sections.indexOf(window.review_queue)  # the sidebar stays on 法制审核

    key(qtbot, window, Qt.Key.Key_Escape)
    assert window.sections.currentWidget() is window.review_queue
    table = window.review_queue.table
    assert table.currentRow() == 1 and table.selectionModel().isRowSelected(1) and table.hasFocus()

    open_row(qtbot, window, 2)
    key(qtbot, window, Qt.Key.Key_Left, Qt.KeyboardModifier.AltModifier)  # Alt+Left does the same
    assert window.sections.currentWidget() is window.review_queue and table.currentRow() == 2


def test_a_verdict_is_confirmed_saved_with_its_audit_entry_and_the_desk_moves_to_the_next_case(
        qtbot, open_window, store, work):
    _town, order = work
    window = open_window(store, REVIEWER)
    desk = open_row(qtbot, window, 0)
    answer(desk, "agree", "经审核，事实清楚，证据充分，同意。")
    qtbot.mouseClick(desk.submit_button, Qt.MouseButton.LeftButton)
    assert desk.confirm.isVisible() and "不能撤回或修改" in desk.confirm_text.text()
    assert "“同意”" in desk.confirm_text.text()
    assert status_of(store, order[0]) is lr.ReviewStatus.PENDING  # nothing saved before the confirmation
    assert "review_verdict" not in audit_actions(store, order[0])

    qtbot.mouseClick(desk.confirm_button, Qt.MouseButton.LeftButton)
    rounds = legal_review.reviews_of(store, order[0])
    assert rounds[-1].status is lr.ReviewStatus.AGREED and rounds[-1].reviewer == "赵敏"
    assert rounds[-1].opinion == "经审核，事实清楚，证据充分，同意。" and rounds[-1].opinion_number
    assert cases.get_case(store, order[0]).review_passed
    assert audit_actions(store, order[0]).count("review_verdict") == 1
    assert outbox_names(store).count("record_review") == 3  # two answered by the support data, this one
    # moved on to the next case waiting, an empty form; the queue behind it read again
    assert desk.case_id == order[1] and desk.form.values() == (None, "", {})
    assert desk.message.isVisible() and "已记录" in desk.message.text() and rounds[-1].opinion_number \
        in desk.message.text()
    assert window.review_queue.case_ids() == order[1:]

    # returned with an opinion; then the last one: the queue is done, with the way back
    answer(desk, "revise", "证据链不完整，请补充现场勘验笔录后再报。", failed="evidence")
    desk.submit_button.click()
    desk.confirm_button.click()
    assert status_of(store, order[1]) is lr.ReviewStatus.RETURNED
    assert cases.get_case(store, order[1]).status is CaseStatus.INVESTIGATION_CLOSED
    assert desk.case_id == order[2]
    answer(desk, "disagree", "裁量明显不当。", failed="discretion")
    key(qtbot, window, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)  # by keyboard: check,
    assert desk.confirm.isVisible() and desk.confirm_button.hasFocus()
    key(qtbot, window, Qt.Key.Key_Return)  # then confirm
    assert status_of(store, order[2]) is lr.ReviewStatus.DISAGREED
    assert desk.body.currentIndex() == 1 and "都已审核" in desk.done.text()
    assert desk.done_back.text() == "返回审核队列" and desk.done_back.hasFocus()
    assert desk.position.text() == "队列已审核完毕"
    qtbot.mouseClick(desk.done_back, Qt.MouseButton.LeftButton)
    assert window.sections.currentWidget() is window.review_queue
    assert window.review_queue.table.rowCount() == 0 and window.nav.count_of(
        window.sections.indexOf(window.review_queue)) in (None, 0)


def test_previous_and_next_move_through_the_queue_and_keep_what_was_typed(qtbot, open_window, store, work):
    _town, order = work
    window = open_window(store, REVIEWER)
    desk = open_row(qtbot, window, 0)
    assert not desk.previous_button.isEnabled() and desk.next_button.isEnabled()
    assert desk.previous_button.text() == "上一件（Ctrl+PgUp）" and desk.next_button.text() == "下一件（Ctrl+PgDown）"
    desk.form.opinion.setPlainText("尚未写完的意见")
    key(qtbot, window, Qt.Key.Key_PageDown, Qt.KeyboardModifier.ControlModifier)
    assert desk.case_id == order[1] and desk.form.opinion.toPlainText() == ""
    key(qtbot, window, Qt.Key.Key_Down, Qt.KeyboardModifier.AltModifier)
    assert desk.case_id == order[2] and not desk.next_button.isEnabled()
    key(qtbot, window, Qt.Key.Key_PageDown, Qt.KeyboardModifier.ControlModifier)  # at the end: stays
    assert desk.case_id == order[2]
    key(qtbot, window, Qt.Key.Key_Up, Qt.KeyboardModifier.AltModifier)
    key(qtbot, window, Qt.Key.Key_PageUp, Qt.KeyboardModifier.ControlModifier)
    assert desk.case_id == order[0] and desk.form.opinion.toPlainText() == "尚未写完的意见"  # kept, not saved
    assert status_of(store, order[0]) is lr.ReviewStatus.PENDING
    qtbot.mouseClick(desk.next_button, Qt.MouseButton.LeftButton)
    assert desk.case_id == order[1]
    desk.form.opinion.setPlainText("第二件的意见")
    key(qtbot, window, Qt.Key.Key_Escape)
    assert window.review_queue.table.currentRow() == 1  # the row of the case the desk showed last
    open_row(qtbot, window, 1)
    assert desk.form.opinion.toPlainText() == "第二件的意见"  # kept across the way back to the queue


def test_a_wrong_answer_is_refused_in_words_and_saves_nothing(qtbot, open_window, store, work):
    _town, order = work
    window = open_window(store, REVIEWER)
    desk = open_row(qtbot, window, 0)
    before = outbox_names(store)
    desk.submit_button.click()  # nothing filled in
    assert desk.error.isVisible() and desk.error.text() == "请选择审核结论：同意、建议修改后再报或不同意。"
    assert not desk.confirm.isVisible()
    answer(desk, "revise", "")
    assert not desk.error.isVisible()  # an edit clears the old message
    desk.submit_button.click()
    assert desk.error.text() == "审核结论为“建议修改后再报”时须写明审核意见（需要修改或不同意的理由）。"
    assert desk.form.opinion.hasFocus()
    answer(desk, "agree", "", failed="evidence")
    desk.submit_button.click()
    assert desk.error.text() == "审核项“证据确凿充分”评定为“不符合”，不能作出“同意”的结论。"
    desk.form.set_values("agree", "", {})
    desk.submit_button.click()
    assert desk.error.text().startswith("以下审核项尚未评定：主体合法与执法资格、事实清楚")
    # confirmed, then changed: the confirmation goes and nothing is saved
    answer(desk, "agree", "")
    desk.submit_button.click()
    assert desk.confirm.isVisible()
    desk.form.opinion.setPlainText("改一下")
    assert not desk.confirm.isVisible() and desk.submit_button.isEnabled()
    desk.submit_button.click()
    key(qtbot, window, Qt.Key.Key_Escape)  # Esc first cancels the confirmation
    assert not desk.confirm.isVisible() and window.sections.currentWidget() is desk
    assert status_of(store, order[0]) is lr.ReviewStatus.PENDING
    assert outbox_names(store) == before and "review_verdict" not in audit_actions(store, order[0])


def test_a_reviewer_who_handled_the_case_is_refused_on_saving(qtbot, open_window, store, work):
    _town, order = work
    window = open_window(store, replace(REVIEWER, name="王磊"))  # an officer named on every case of the data
    desk = open_row(qtbot, window, 0)
    answer(desk, "agree", "")
    desk.submit_button.click()
    desk.confirm_button.click()
    assert desk.error.isVisible() and "王磊" in desk.error.text() and desk.case_id == order[0]
    assert status_of(store, order[0]) is lr.ReviewStatus.PENDING


def test_from_the_workbench_the_desk_goes_through_its_reviews_and_esc_returns_there(qtbot, open_window, store,
                                                                                   work):
    town, _order = work
    window = open_window(store, REVIEWER)
    page = window.workbench
    reviews = [i.case_id for i in page.model.items if i.kind == "legal_review"]
    row = reviews.index(town.fresh_review)
    page.table.setFocus()
    page.table.setCurrentIndex(page.model.index(row, 0))
    qtbot.keyClick(page.table, Qt.Key.Key_Return)
    desk = window.review_desk
    assert window.sections.currentWidget() is desk and desk.case_id == town.fresh_review
    assert desk.case_ids == reviews and desk.back_button.text() == "返回工作台（Esc）"
    key(qtbot, window, Qt.Key.Key_Escape)
    assert window.sections.currentWidget() is page and page.current_item().case_id == town.fresh_review


def test_the_register_review_button_opens_the_desk_and_the_other_roles_keep_the_register(qtbot, open_window,
                                                                                         store, work):
    town, _order = work
    window = open_window(store, REVIEWER)
    window.show_case(town.late_review)
    window.detail.tabs.setCurrentWidget(window.detail.review)
    qtbot.mouseClick(window.detail.review.review, Qt.MouseButton.LeftButton)
    assert window.sections.currentWidget() is window.review_desk
    assert window.review_desk.case_ids == [town.late_review]
    assert window.review_desk.back_button.text() == "返回案件登记（Esc）"
    key(qtbot, window, Qt.Key.Key_Escape)
    assert window.sections.currentWidget() is window.splitter

    leader = open_window(store, LEADER)  # a squad leader reads the rounds in the register, and comes back
    leader.show_section(leader.review_queue)
    leader.review_queue.table.cellDoubleClicked.emit(0, 0)
    assert leader.sections.currentWidget() is leader.splitter
    assert leader.detail.tabs.currentWidget() is leader.detail.review
    assert leader.back_button.isVisible() and leader.back_button.text() == "返回审核队列（Alt+←）"
    leader.go_back()
    assert leader.sections.currentWidget() is leader.review_queue


@pytest.mark.parametrize("size", [(1366, 728), (1920, 1080)])
def test_the_desk_fits_the_screen_without_sideways_scrolling(qtbot, open_window, store, work, tmp_path, size):
    """Look at it: FX_SCREENSHOT_DIR=/some/dir keeps the pictures."""
    window = open_window(store, REVIEWER, size)
    window.setGeometry(QRect(0, 0, *size))  # the whole screen: the smallest the towns have, and a large one
    desk = open_row(qtbot, window, 1)
    answer(desk, "revise", "请补充现场勘验笔录。", failed="evidence")
    desk.check()
    content = desk.answer_scroll.widget()
    qtbot.waitUntil(lambda: content.width() == desk.answer_scroll.viewport().width())  # laid out again
    assert window.width() <= size[0] and window.height() <= size[1]
    left, right = desk.splitter.sizes()
    assert left > 300 and right > 300  # side by side
    assert content.minimumSizeHint().width() <= desk.answer_scroll.viewport().width()  # nothing cut at the right
    assert desk.facts.horizontalScrollBar().maximum() == 0
    path = os.path.join(os.environ.get("FX_SCREENSHOT_DIR", str(tmp_path)), f"review-desk-{size[0]}x{size[1]}.png")
    assert window.grab().save(path)


def test_the_splitter_is_remembered(qtbot, open_window, store, work):
    window = open_window(store, REVIEWER)
    desk = open_row(qtbot, window, 0)
    desk.splitter.moveSplitter(450, 1)
    sizes = desk.splitter.sizes()
    window.close()
    again = open_window(store, REVIEWER)
    restored = open_row(qtbot, again, 0).splitter.sizes()
    # in proportion (the window itself may come back at another width)
    assert abs(restored[0] / sum(restored) - sizes[0] / sum(sizes)) < 0.01
    assert abs(sizes[0] / sum(sizes) - 0.5) > 0.05  # moved away from the even default


def test_the_sidebar_and_its_keys_leave_the_desk(qtbot, open_window, store, work):
    window = open_window(store, REVIEWER)
    open_row(qtbot, window, 0)
    row = window.sections.indexOf(window.review_queue)
    item = window.nav.item(row)
    qtbot.mouseClick(window.nav.viewport(), Qt.MouseButton.LeftButton, pos=window.nav.visualItemRect(item).center())
    assert window.sections.currentWidget() is window.review_queue  # its row was already the current one
    open_row(qtbot, window, 0)
    key(qtbot, window, Qt.Key.Key_3, Qt.KeyboardModifier.ControlModifier)  # 法制审核 is the third section
    assert window.sections.currentWidget() is window.review_queue
    open_row(qtbot, window, 0)
    key(qtbot, window, Qt.Key.Key_1, Qt.KeyboardModifier.ControlModifier)
    assert window.sections.currentWidget() is window.workbench


def test_the_deadline_is_extended_from_the_desk_once(qtbot, open_window, store, work):
    _town, order = work
    window = open_window(store, REVIEWER)
    desk = open_row(qtbot, window, 0)
    desk.form.opinion.setPlainText("写了一半")
    assert desk.extend_button.isVisible()

    def fill() -> None:
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, ExtendReviewDialog):
            QTimer.singleShot(20, fill)
            return
        dialog.reason.setPlainText("案情复杂，需补充调查。")
        dialog.buttons.accepted.emit()
        if dialog.isVisible():
            dialog.reject()

    QTimer.singleShot(0, fill)
    qtbot.mouseClick(desk.extend_button, Qt.MouseButton.LeftButton)
    review = legal_review.reviews_of(store, order[0])[-1]
    assert review.extension_reason == "案情复杂，需补充调查。" and review.status is lr.ReviewStatus.PENDING
    assert "审核期限已延长至" in desk.message.text() and str(review.due_on) in desk.round_info.text()
    assert not desk.extend_button.isVisible() and desk.form.opinion.toPlainText() == "写了一半"
    assert "review_extend" in audit_actions(store, order[0])

"""The case editor and the review dialogs take no more text than the domain's limits (typed, composed through an
input method, or pasted), show "已输入 n / 上限 m 字", never cut a stored text on loading, and refuse saving
an over-long one with the reason. In Chinese, as users see it."""
from __future__ import annotations

import os

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtGui import QInputMethodEvent
from PySide6.QtWidgets import QApplication, QMessageBox

from fx_desktop.domain.text_limits import TEXT_LIMITS
from fx_desktop.i18n import install_translators
from fx_desktop.store import reference
from fx_desktop.tasks import TaskRunner
from fx_desktop.views.main_window import MainWindow
from fx_desktop.views.review_dialogs import ExtendReviewDialog, SubmitReviewDialog, VerdictForm
from tests.conftest import case_draft
from tests.views.test_views_case_register import TODAY

FACTS = TEXT_LIMITS["facts"].max_chars


@pytest.fixture
def chinese(qapp):
    installed = install_translators(qapp, "zh_CN")
    yield
    for translator in installed:
        qapp.removeTranslator(translator)


@pytest.fixture
def window(qtbot, chinese, store, profile, tmp_path, monkeypatch):
    # Closing the window with unsaved typing asks whether to save it: the user here answers Discard.
    monkeypatch.setattr(QMessageBox, "question", staticmethod(lambda *a, **k: QMessageBox.StandardButton.Discard))
    tasks = TaskRunner()
    with store.sessions() as session:
        ref = reference.current(session)
    w = MainWindow(store, profile, ref, tasks, QSettings(str(tmp_path / "ui.ini"), QSettings.Format.IniFormat),
                   today=lambda: TODAY)
    qtbot.addWidget(w)
    w.resize(1366, 728)
    w.show()
    yield w
    tasks.wait()


def _to_end(edit) -> None:
    cursor = edit.textCursor()
    cursor.movePosition(cursor.MoveOperation.End)
    edit.setTextCursor(cursor)


def test_the_case_editor_takes_no_more_than_the_limit_and_counts(qtbot, window):
    qtbot.keyClick(window, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    form = window.detail.form
    facts = form.facts
    assert facts.counter.isVisibleTo(window) and facts.counter.text() == f"已输入 0 / 上限 {FACTS} 字"

    facts.setPlainText("违" * (FACTS - 2))
    _to_end(facts)
    qtbot.keyClicks(facts, "abcd")  # two fit
    assert facts.toPlainText() == "违" * (FACTS - 2) + "ab"
    assert facts.counter.text() == f"已达到上限 {FACTS} 字，多出的 1 字未输入。"
    qtbot.keyClick(facts, Qt.Key.Key_Return)
    assert len(facts.toPlainText()) == FACTS

    facts.setPlainText("违" * (FACTS - 10))
    _to_end(facts)
    QApplication.clipboard().setText("粘" * 50)
    facts.paste()
    assert facts.toPlainText() == "违" * (FACTS - 10) + "粘" * 10
    assert facts.counter.text() == f"已达到上限 {FACTS} 字，多出的 40 字未输入。"

    facts.setPlainText("违" * (FACTS - 1))
    _to_end(facts)
    composed = QInputMethodEvent("", [])
    composed.setCommitString("违法建筑")  # Chinese arrives through the input method, not key presses
    QApplication.sendEvent(facts, composed)
    assert facts.toPlainText() == "违" * FACTS and "多出的 3 字" in facts.counter.text()
    facts.setPlainText("当事人擅自搭建。")
    assert facts.counter.text() == "已输入 8 / 上限 20000 字"

    qtbot.keyClicks(form.cause, "a" * 205)
    assert len(form.cause.text()) == TEXT_LIMITS["cause"].max_chars == 200

    form.officers.setCurrentCell(0, 0)
    form.officers.editItem(form.officers.item(0, 0))
    editor = form.officers.findChild(type(form.cause))
    assert editor is not None and editor.maxLength() == TEXT_LIMITS["officer_name"].max_chars


def test_a_stored_text_over_the_limit_is_shown_whole_and_saving_says_why(qtbot, window):
    qtbot.keyClick(window, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    form = window.detail.form
    form.set_draft(case_draft(facts="违" * (FACTS + 5), cause="搭" * 250))
    assert len(form.facts.toPlainText()) == FACTS + 5 and len(form.cause.text()) == 250  # nothing silently cut
    assert form.facts.counter.text() == f"已输入 {FACTS + 5} / 上限 {FACTS} 字"
    qtbot.keyClick(window, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert window.detail.record is None
    assert form.boxes["facts"].error.text() == f"“违法事实”不能超过 {FACTS} 个字，现有 {FACTS + 5} 个字，请精简后再保存。"
    assert form.boxes["cause"].error.text() == "“案由”不能超过 200 个字，现有 250 个字，请精简后再保存。"
    qtbot.keyClicks(form.cause, "x")
    assert len(form.cause.text()) == 250  # typing cannot make it longer


def test_review_dialogs_limit_their_texts(qtbot, chinese):
    submit = SubmitReviewDialog("奉南桥综执立〔2026〕0001号", [], [], lambda materials, report: None)
    verdict = VerdictForm()
    extend = ExtendReviewDialog(lambda reason: None)
    for dialog in (submit, verdict, extend):
        qtbot.addWidget(dialog)
    for edit, key in ((submit.report, "review_report"), (verdict.opinion, "review_opinion"),
                      (extend.reason, "extension_reason")):
        limit = TEXT_LIMITS[key].max_chars
        edit.setPlainText("审" * (limit - 1))
        _to_end(edit)
        qtbot.keyClicks(edit, "ok")
        assert len(edit.toPlainText()) == limit and "多出的 1 字未输入" in edit.counter.text()
    note = verdict.criteria["facts"][2]
    qtbot.keyClicks(note, "n" * 2005)
    assert len(note.text()) == TEXT_LIMITS["criterion_note"].max_chars


def test_screenshot_of_the_case_editor_with_its_counter(qtbot, window, tmp_path):
    """Look at it: FX_SCREENSHOT_DIR=/some/dir keeps the picture (1366x728, the smallest screen in the towns)."""
    qtbot.keyClick(window, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    form = window.detail.form
    form.set_draft(case_draft(facts="当事人未经规划许可，在解放东路100号擅自搭建彩钢板结构违建约30平方米。" * 3))
    counter = form.facts.counter
    qtbot.waitUntil(lambda: counter.isVisible())
    form.verticalScrollBar().setValue(counter.mapTo(form.widget(), counter.rect().topLeft()).y() - 300)
    assert form.horizontalScrollBar().value() == 0  # the form's labels stay in view
    text_right = counter.mapTo(form.viewport(), counter.rect().topLeft()).x() + counter.fontMetrics().horizontalAdvance(
        counter.text())
    assert 0 < text_right <= form.viewport().width()  # the whole counter is on screen
    assert counter.text() == "已输入 111 / 上限 20000 字"
    path = os.path.join(os.environ.get("FX_SCREENSHOT_DIR", str(tmp_path)), "case-editor-counter.png")
    assert window.grab().save(path)

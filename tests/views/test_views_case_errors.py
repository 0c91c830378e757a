"""A refused save's messages go when their cause is fixed: each field's line as soon as the field is valid, the
summary above the form when nothing is left to correct; typing never adds a message of its own."""
from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QMessageBox

from fx_desktop.store import reference
from fx_desktop.tasks import TaskRunner
from fx_desktop.views.main_window import MainWindow
from tests.views.test_views_case_register import fill_valid_case


@pytest.fixture
def window(qtbot, store, profile, tmp_path, monkeypatch):
    # closing at the end with the refused draft unsaved: the user discards it
    monkeypatch.setattr(QMessageBox, "question", staticmethod(lambda *a, **k: QMessageBox.StandardButton.Discard))
    tasks = TaskRunner()
    with store.sessions() as session:
        ref = reference.current(session)
    w = MainWindow(store, profile, ref, tasks, QSettings(str(tmp_path / "ui.ini"), QSettings.Format.IniFormat),
                   today=lambda: date(2026, 11, 26))
    qtbot.addWidget(w)
    w.show()
    yield w
    tasks.wait()


def test_messages_of_a_refused_save_clear_when_the_fields_are_corrected(qtbot, window):
    detail, form = window.detail, window.detail.form
    qtbot.keyClick(window, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    fill_valid_case(form, id_number="340524198001010011")  # a wrong check digit
    form.place.setText("")
    qtbot.keyClick(window, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    place, id_number = form.boxes["place"].error, form.boxes["party_id_number"].error
    assert detail.record is None
    assert place.isVisibleTo(window) and id_number.isVisibleTo(window)
    assert "案发地点" in detail.message.text() and "校验位" in detail.message.text()
    text = detail.message.text()  # one sentence: the messages' own full stops do not double the separator
    assert text.count("；") == 1 and "。；" not in text and text.endswith("。") and not text.endswith("。。")

    qtbot.keyClicks(form.place, "88")  # typed (QTest types ASCII only)
    assert not place.isVisibleTo(window) and form.place.property("invalid") is False
    assert detail.message.isVisibleTo(window)  # the ID number is still wrong: the summary says only that
    assert "案发地点" not in detail.message.text() and "校验位" in detail.message.text()

    form.party_id_number.selectAll()
    qtbot.keyClicks(form.party_id_number, "34052419800101001X")
    assert not id_number.isVisibleTo(window) and not detail.message.isVisibleTo(window)

    form.cause.selectAll()
    qtbot.keyClick(form.cause, Qt.Key.Key_Delete)  # now empty, but nobody asked to save: no message yet
    assert not form.boxes["cause"].error.isVisibleTo(window) and not detail.message.isVisibleTo(window)
    qtbot.keyClick(window, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert "案由" in form.boxes["cause"].error.text()

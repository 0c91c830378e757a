"""The visual language (views/style.py, docs/visual-language.md) as the user meets it: the main action and the
destructive step drawn in their own colours, a destructive step asking first and doing nothing when answered No,
empty lists saying what is missing, body text of at least BODY_PT, the icons drawn from the icon font."""
from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtGui import QColor, QIcon
from PySide6.QtWidgets import QApplication, QMessageBox, QPushButton, QWidget

from fx_desktop.domain.lifecycle import CaseStatus
from fx_desktop.services import cases as case_service
from fx_desktop.services.evidence import add_evidence
from fx_desktop.store import reference
from fx_desktop.tasks import TaskRunner
from fx_desktop.views import style
from fx_desktop.views.icons import NAMES, glyph, icon
from fx_desktop.views.main_window import MainWindow
from fx_desktop.views.sync_history import RunRow, SyncHistory
from tests.conftest import case_draft
from tests.views.test_views_sync import chinese  # noqa: F401 - fixture: the Chinese UI, as the app installs it

TODAY = date(2026, 11, 26)


@pytest.fixture
def window(qtbot, store, profile, tmp_path):
    tasks = TaskRunner()
    with store.sessions() as session:
        ref = reference.current(session)
    w = MainWindow(store, profile, ref, tasks, QSettings(str(tmp_path / "ui.ini"), QSettings.Format.IniFormat),
                   today=lambda: TODAY)
    qtbot.addWidget(w)
    w.resize(1366, 728)
    w.show()
    qtbot.waitExposed(w)
    yield w
    tasks.wait()


def _fill_colour(button: QPushButton) -> QColor:
    """The colour the button is painted with, a few pixels in from its left edge (inside the border, before the
    text)."""
    image = button.grab().toImage()
    return image.pixelColor(6, image.height() // 2)


def test_primary_and_destructive_buttons_are_drawn_in_their_own_colours(qtbot):
    host = QWidget()
    qtbot.addWidget(host)
    plain, main, danger = QPushButton("查询", host), QPushButton("作出决定", host), QPushButton("撤销", host)
    style.mark_primary(main)
    style.mark_destructive(danger)
    for b in (plain, main, danger):
        b.resize(120, 36)
    assert (main.property("role"), danger.property("role"), plain.property("role")) == ("primary", "destructive",
                                                                                         None)
    colours = {name: _fill_colour(b).name() for name, b in (("plain", plain), ("main", main), ("danger", danger))}
    assert colours["main"] == style.PRIMARY and colours["danger"] == style.DESTRUCTIVE, colours
    assert len(set(colours.values())) == 3  # three buttons, three looks (testers saw one grey for all)
    assert not danger.autoDefault()  # Enter never starts a destructive step


def test_body_text_and_headings_use_the_type_sizes(window):
    assert QApplication.instance().font().pointSizeF() >= style.BODY_PT >= 10
    assert window.workbench.heading.font().pointSizeF() == style.H1_PT
    assert window.detail.header.title.font().pointSizeF() == style.H1_PT


def test_revoking_a_case_is_red_asks_naming_the_consequence_and_does_nothing_on_no(qtbot, window, store, profile,
                                                                                  monkeypatch):
    made = case_service.create_case(store, profile, case_draft())
    case_service.change_status(store, profile, made.id, "file", expected_status=CaseStatus.CLUE)
    window.show_case(made.id)
    header = window.detail.header
    revoke = header.findChild(QPushButton, "action_revoke")
    forward = header.findChild(QPushButton, "action_start_investigation")
    assert revoke.property("role") == "destructive" and forward.property("role") == "primary"
    assert header.findChild(QPushButton, "action_refer").property("role") is None
    # QMessageBox.question is patched only as the source of the user's answer; the question itself, its default
    # button and what follows the answer are the code under test.
    asked = []
    answer = QMessageBox.StandardButton.No
    monkeypatch.setattr(QMessageBox, "question",
                        staticmethod(lambda *a, **k: asked.append(a) or answer))
    qtbot.mouseClick(revoke, Qt.MouseButton.LeftButton)
    (parent, title, text, buttons, default), = asked
    assert title == "撤销" and made.number in text and "无法撤回" in text and "只读" in text
    assert default == QMessageBox.StandardButton.No  # Enter on the question keeps the case
    assert case_service.get_case(store, made.id).status is CaseStatus.FILED
    assert window.detail.record.status is CaseStatus.FILED
    answer = QMessageBox.StandardButton.Yes
    qtbot.mouseClick(header.findChild(QPushButton, "action_revoke"), Qt.MouseButton.LeftButton)
    assert case_service.get_case(store, made.id).status is CaseStatus.REVOKED


def test_an_ordinary_step_asks_with_yes_as_the_default(qtbot, window, store, profile, monkeypatch):
    made = case_service.create_case(store, profile, case_draft())
    window.show_case(made.id)
    asked = []
    monkeypatch.setattr(QMessageBox, "question",
                        staticmethod(lambda *a, **k: asked.append(a) or QMessageBox.StandardButton.Yes))
    qtbot.mouseClick(window.detail.header.findChild(QPushButton, "action_file"), Qt.MouseButton.LeftButton)
    assert asked[0][4] == QMessageBox.StandardButton.Yes and "无法撤回" not in asked[0][2]
    assert case_service.get_case(store, made.id).status is CaseStatus.FILED


def test_empty_timeline_and_evidence_say_what_is_missing_and_go_when_there_is_something(qtbot, window, store,
                                                                                      profile, tmp_path):
    window.show_section(window.splitter)
    window.detail.new_case()
    detail = window.detail
    evidence, timeline = detail.evidence, detail.timeline
    assert evidence.empty.isVisibleTo(evidence) and "先保存案件" in evidence.empty.text()
    assert timeline.empty.isVisibleTo(timeline) and "首次保存" in timeline.empty.text()

    made = case_service.create_case(store, profile, case_draft())
    window.show_case(made.id)
    assert not timeline.empty.isVisibleTo(timeline) and timeline.topLevelItemCount() >= 1
    assert evidence.empty.isVisibleTo(evidence) and "添加证据" in evidence.empty.text()
    other = case_service.create_case(store, profile, case_draft(party_name="王芳"))
    photo = tmp_path / "现场.txt"
    photo.write_text("现场记录", encoding="utf-8")
    add_evidence(store, profile, other.id, photo)
    window.show_case(other.id)
    assert evidence.list.count() == 1 and not evidence.empty.isVisibleTo(evidence)


def test_an_empty_sync_history_and_review_queue_say_what_is_missing(qtbot, window):
    history = SyncHistory()
    qtbot.addWidget(history)
    history.resize(800, 300)
    history.show()
    assert history.empty.isVisible() and "还没有同步记录" in history.empty.text()
    assert history.empty.geometry() == history.viewport().rect()  # over the rows, under the header
    from datetime import datetime
    history.show_runs([RunRow(datetime(2026, 11, 26, 9, 0), datetime(2026, 11, 26, 9, 0), True, 1, 1, 2, 0, 0, "")])
    assert not history.empty.isVisible()
    history.show_runs([])
    assert history.empty.isVisible()

    queue = window.review_queue
    window.show_section(queue)
    assert queue.table.rowCount() == 0 and queue.empty.isVisible()
    assert "法制审核" in queue.empty.text()


def test_the_empty_referral_inbox_offers_all_referrals_when_filtered(qtbot, window):
    inbox = window.referral_inbox
    window.show_section(inbox)
    assert inbox.model.rowCount() == 0 and inbox.empty.isVisible()
    assert "移送" in inbox.empty.text() and inbox.empty.button.isVisible()  # the filter shows open ones only
    qtbot.mouseClick(inbox.empty.button, Qt.MouseButton.LeftButton)
    assert inbox.status.currentData() is None and not inbox.empty.button.isVisible()


def test_every_icon_is_a_glyph_of_the_icon_font_drawn_in_its_colours(qtbot):
    assert all(len(glyph(key)) == 1 for key in NAMES)
    image = icon("save").pixmap(32, 32).toImage()
    inked = {image.pixelColor(x, y).name() for x in range(32) for y in range(32) if image.pixelColor(x, y).alpha()
             == 255}
    assert inked == {"#37474f"}  # icons.INK, drawn (not a blank placeholder)
    selected = icon("save").pixmap(32, 32, QIcon.Mode.Selected).toImage()
    assert any(selected.pixelColor(x, y).name() == style.PRIMARY for x in range(32) for y in range(32))

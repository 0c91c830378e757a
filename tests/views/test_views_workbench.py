"""The workbench as the first page, on real SQLite stores with a town's varied work (tests/support/workbench_data.py)
and the Chinese UI: a reviewer, a squad leader and a department liaison open a record with Enter and come back with
Alt+Left (or the back button) to the same row; overdue rows are red and said in words; counts per kind; empty states
say what will appear and offer the next step; a crashed new case's draft is offered in a banner, not a dialog."""
from __future__ import annotations

from datetime import datetime

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox

from fx_desktop.domain.roles import Role
from fx_desktop.paths import DataPaths
from fx_desktop.services.drafts import NEW, OFFERED, DraftStore
from fx_desktop.services.profile import save_profile
from fx_desktop.store import open_store
from fx_desktop.views.workbench import OVERDUE, STATE, TASK
from tests.conftest import case_draft
from tests.support.workbench_data import LEADER, REVIEWER, TODAY, pulled, town_with_work
from tests.support.windows import refuse_questions, window_maker
from tests.views.test_views_sync import chinese  # noqa: F401 - fixture: the Chinese UI


@pytest.fixture
def open_window(qtbot, tmp_path, monkeypatch):
    refuse_questions(monkeypatch)  # nothing may be asked at start
    make, made = window_maker(qtbot, tmp_path, TODAY)
    yield make
    for window in made:
        window.tasks.wait()


@pytest.fixture
def work(store):
    return town_with_work(store)


def texts(window, column: int) -> list[str]:
    model = window.workbench.model
    return [model.index(r, column).data() for r in range(model.rowCount())]


def enter(qtbot, window, row: int) -> None:
    table = window.workbench.table
    table.setFocus()
    table.setCurrentIndex(window.workbench.model.index(row, 0))
    qtbot.keyClick(table, Qt.Key.Key_Return)


def alt_left(qtbot, window) -> None:
    qtbot.keyClick(window.focusWidget() or window, Qt.Key.Key_Left, Qt.KeyboardModifier.AltModifier)


def test_a_reviewer_starts_on_the_queue_opens_a_round_with_enter_and_alt_left_returns_to_the_same_row(
        qtbot, open_window, store, work):
    window = open_window(store, REVIEWER)
    page = window.workbench
    assert window.sections.currentWidget() is page and window.nav.item(0).text() == "工作台"
    assert window.detail.record is None  # the register behind it: nothing was opened, nothing asked
    assert texts(window, STATE) == ["已逾期 9 个工作日", "剩 4 个工作日"]
    late = page.model.index(0, TASK)
    assert late.data(Qt.ItemDataRole.ForegroundRole).color() == OVERDUE
    assert page.model.index(1, TASK).data(Qt.ItemDataRole.ForegroundRole) is None
    assert "法制审核 <b>2</b>" in page.counts.text() and "逾期 1" in page.counts.text()
    assert window.nav.count_of(0) == 2 and "逾期 1 项" in window.nav.item(0).toolTip()  # the sidebar's count
    assert not window.back_button.isVisible()

    enter(qtbot, window, 1)  # a round opens on the review desk, beside the case's facts
    assert window.sections.currentWidget() is window.review_desk
    assert window.review_desk.case_id == work.fresh_review
    assert window.review_desk.back_button.text() == "返回工作台（Esc）"

    alt_left(qtbot, window)
    assert window.sections.currentWidget() is page
    assert page.table.currentIndex().row() == 1 and page.current_item().case_id == work.fresh_review
    assert page.table.hasFocus() and not window.back_button.isVisible()


def test_a_squad_leader_opens_a_late_referral_and_a_case_and_the_back_button_returns(qtbot, open_window, store,
                                                                                     work):
    window = open_window(store, LEADER)
    page = window.workbench
    assert texts(window, TASK) == ["作出处罚决定", "催办签收", "送达处罚决定书", "审核通过，作出决定",
                                   "审核退回，修改后再报", "审批立案"]
    assert texts(window, STATE)[:3] == ["已逾期 46 天", "已逾期 11 个工作日", "剩 3 个工作日"]
    assert texts(window, STATE)[-1] == "无期限"
    assert "案件 <b>3</b>" in page.counts.text() and "移送 <b>1</b>" in page.counts.text()

    enter(qtbot, window, 1)
    assert window.sections.currentWidget() is window.referral_inbox
    assert window.referral_inbox.detail.record.id == work.referral.id
    qtbot.mouseClick(window.back_button, Qt.MouseButton.LeftButton)
    assert window.sections.currentWidget() is page and page.table.currentIndex().row() == 1

    first = page.table.visualRect(page.model.index(0, TASK)).center()
    qtbot.mouseClick(page.table.viewport(), Qt.MouseButton.LeftButton, pos=first)
    qtbot.mouseDClick(page.table.viewport(), Qt.MouseButton.LeftButton, pos=first)
    assert window.sections.currentWidget() is window.splitter
    assert window.detail.record.id == work.late_decision
    alt_left(qtbot, window)
    assert window.sections.currentWidget() is page and page.current_item().case_id == work.late_decision


def test_a_department_liaison_sees_its_inbox_empty_then_the_referral_after_a_pull(qtbot, open_window, work,
                                                                                  tmp_path):
    dept = open_store(DataPaths.at(tmp_path / "dept"))
    try:
        liaison = save_profile(dept, name="周敏", role=Role.DEPARTMENT_LIAISON, org_code="ghzy")
        window = open_window(dept, liaison)
        page = window.workbench
        assert window.sections.widget(0) is page and window.sections.currentWidget() is page
        assert page.body.currentIndex() == 1 and "同步后会出现在这里" in page.empty.text()
        assert page.next_step.text() == "立即同步"

        pulled(dept, work.referral)
        window.show_section(window.referral_inbox)
        window.show_section(page)  # chosen again: read again
        assert page.body.currentIndex() == 0 and texts(window, TASK) == ["签收移送"]
        assert texts(window, STATE) == ["已逾期 11 个工作日"]
        enter(qtbot, window, 0)
        assert window.sections.currentWidget() is window.referral_inbox
        assert window.referral_inbox.detail.record.id == work.referral.id
        alt_left(qtbot, window)
        assert window.sections.currentWidget() is page and page.table.currentIndex().row() == 0
        window.close()
    finally:
        dept.close()


def test_an_empty_queue_says_what_will_appear_and_offers_every_round(qtbot, open_window, store):
    window = open_window(store, REVIEWER)
    page = window.workbench
    assert page.body.currentIndex() == 1
    assert "本街镇提交法制审核的案件会出现在这里" in page.empty.text()
    assert page.empty.height() >= page.empty.heightForWidth(page.empty.width())  # every wrapped line shows
    qtbot.mouseClick(page.next_step, Qt.MouseButton.LeftButton)
    assert window.sections.currentWidget() is window.review_queue


def test_a_crashed_new_case_is_offered_in_a_banner_and_continued_in_the_form(qtbot, open_window, store,
                                                                            monkeypatch):
    DraftStore(store.paths.drafts).save(NEW, case_draft(cause="未保存的新案件"), now=datetime(2026, 3, 19, 16, 5))
    window = open_window(store, LEADER)  # no modal question (the fixture refuses one)
    banner = window.workbench.draft
    assert window.sections.currentWidget() is window.workbench and banner.isVisible()
    assert "2026-03-19 16:05" in banner.text.text() and "未保存的新案件" in banner.text.text()
    qtbot.mouseClick(banner.resume, Qt.MouseButton.LeftButton)
    assert window.sections.currentWidget() is window.splitter
    assert window.detail.record is None and window.detail.form.cause.text() == "未保存的新案件"
    assert not banner.isVisible() and not (store.paths.drafts / f"{OFFERED}.json").exists()
    assert DraftStore(store.paths.drafts).load(NEW)[0].cause == "未保存的新案件"  # the form keeps it now
    monkeypatch.setattr(QMessageBox, "question", staticmethod(lambda *a, **k: QMessageBox.StandardButton.Discard))


def test_a_discarded_draft_is_not_offered_again(qtbot, open_window, store, tmp_path, monkeypatch):
    DraftStore(store.paths.drafts).save(NEW, case_draft(cause="不要了"))
    window = open_window(store, REVIEWER)
    discard = window.workbench.draft.discard
    assert discard.property("role") == "destructive" and window.workbench.draft.resume.property("role") == "primary"
    asked = []  # the patched question is only the source of the user's answer; the code under test decides
    answer = QMessageBox.StandardButton.Cancel
    monkeypatch.setattr(QMessageBox, "question", staticmethod(lambda *a, **k: asked.append(a[2]) or answer))
    qtbot.mouseClick(discard, Qt.MouseButton.LeftButton)
    assert "不能恢复" in asked[0]  # the question names the consequence
    assert window.workbench.draft.isVisible() and DraftStore(store.paths.drafts).load(OFFERED) is not None
    answer = QMessageBox.StandardButton.Discard
    qtbot.mouseClick(discard, Qt.MouseButton.LeftButton)
    assert not window.workbench.draft.isVisible()
    assert DraftStore(store.paths.drafts).load(NEW) is None and DraftStore(store.paths.drafts).load(OFFERED) is None
    monkeypatch.setattr(QMessageBox, "question", staticmethod(lambda *a, **k: pytest.fail("asked at start")))
    assert not open_window(store, REVIEWER).workbench.draft.isVisible()


def test_the_start_reads_the_workbench_once(qtbot, open_window, store, work, monkeypatch):
    from fx_desktop.services import workbench

    calls = []
    real = workbench.load
    monkeypatch.setattr(workbench, "load", lambda *a, **k: calls.append(1) or real(*a, **k))
    window = open_window(store, REVIEWER)
    assert len(calls) == 1 and window.workbench.model.rowCount() == 2

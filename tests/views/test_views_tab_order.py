"""A sensible Tab order through every form: in each dialog a user fills in, Tab from the first field reaches every
input once, top to bottom as they stand (left to right within a row), never stops on something hidden or disabled,
and comes back round to where it started without getting stuck (a text box passes Tab on; a group of radio buttons
is one stop). The case form and the register have their own tests (test_views_screen_fit_form.py)."""
from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import QPoint, QSettings, Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractSpinBox,
    QApplication,
    QCheckBox,
    QComboBox,
    QDialog,
    QLineEdit,
    QPlainTextEdit,
    QRadioButton,
    QTabBar,
    QTextEdit,
    QWidget,
)

from fx_desktop.services.organisations import directory
from fx_desktop.services.profile import save_profile
from fx_desktop.tasks import TaskRunner
from fx_desktop.views.first_run import FirstRunDialog
from fx_desktop.views.referral_steps import AcceptDialog, ReasonDialog, ResultDialog, SignDialog
from fx_desktop.views.review_dialogs import ExtendReviewDialog, SubmitReviewDialog
from fx_desktop.views.settings_dialog import SettingsDialog

INPUTS = (QLineEdit, QPlainTextEdit, QTextEdit, QComboBox, QAbstractSpinBox, QCheckBox, QRadioButton)


def _stop_of(widget: QWidget | None, dialog: QDialog) -> QWidget | None:
    """The input a focus widget belongs to (a combo box's or spin box's own line edit is the box)."""
    while widget is not None and widget is not dialog:
        parent = widget.parentWidget()
        if isinstance(parent, (QComboBox, QAbstractSpinBox)):
            return parent
        if isinstance(widget, (*INPUTS, QAbstractButton, QAbstractItemView, QTabBar)):  # a table, a tab bar: stops too
            return widget
        widget = parent
    return None


def _inputs(dialog: QDialog) -> list[QWidget]:
    """The inputs a user can reach: shown, enabled, taking focus by Tab; of an exclusive radio group the one Tab
    lands on (the checked one, else the first)."""
    found = []
    for w in dialog.findChildren(QWidget):
        if not isinstance(w, INPUTS) or not w.isVisibleTo(dialog) or not w.isEnabled():
            continue
        if not w.focusPolicy() & Qt.FocusPolicy.TabFocus:
            continue
        if isinstance(w.parentWidget(), (QComboBox, QAbstractSpinBox)):
            continue
        if isinstance(w, QRadioButton) and w.autoExclusive():
            group = [b for b in w.parentWidget().findChildren(QRadioButton)
                     if b.autoExclusive() and b.parentWidget() is w.parentWidget() and b.group() is w.group()]
            lead = next((b for b in group if b.isChecked()), group[0])
            if w is not lead:
                continue
        found.append(w)
    return found


def tab_round(qtbot, dialog: QDialog) -> list[QWidget]:
    """The stops of one round of Tab, from the dialog's first input."""
    dialog.show()
    qtbot.waitExposed(dialog)
    dialog.activateWindow()
    first = _inputs(dialog)[0]
    first.setFocus(Qt.FocusReason.TabFocusReason)
    qtbot.waitUntil(lambda: _stop_of(QApplication.focusWidget(), dialog) is first)
    stops = [first]
    for _ in range(80):
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
        stop = _stop_of(QApplication.focusWidget(), dialog)
        assert stop is not None, (f"Tab left the dialog's inputs and buttons after {stops[-1].objectName() or stops[-1]!r}: "
                                  f"{QApplication.focusWidget()!r}")
        if stop is first:
            return stops
        stops.append(stop)
    raise AssertionError(f"Tab never came back to the first input: stuck around {stops[-1]!r}")


def assert_sensible(qtbot, dialog: QDialog) -> None:
    stops = tab_round(qtbot, dialog)
    for s in stops:
        assert s.isVisible() and s.isEnabled(), f"Tab stopped on a hidden or disabled {s!r}"
    inputs = _inputs(dialog)
    reached = [s for s in stops if s in inputs]
    assert sorted(map(id, reached)) == sorted(map(id, inputs)), (
        "not every input reached once: missing " + ", ".join(repr(w.objectName() or w) for w in inputs
                                                           if w not in reached))
    # top to bottom, left to right within a row, as they stand
    places = [s.mapTo(dialog, QPoint(0, 0)) for s in reached]
    for (a, pa), (b, pb) in zip(zip(reached, places), zip(reached[1:], places[1:])):
        same_row = abs(pa.y() - pb.y()) < min(a.height(), b.height()) // 2
        assert pb.y() > pa.y() or (same_row and pb.x() > pa.x()), (
            f"Tab goes from {a.objectName() or a!r} at {pa.toTuple()} back to {b.objectName() or b!r} at "
            f"{pb.toTuple()}")


@pytest.fixture
def first_run(store):
    return FirstRunDialog(directory(store), lambda n, r, o: save_profile(store, name=n, role=r, org_code=o))


def test_the_first_start(qtbot, first_run):
    qtbot.addWidget(first_run)
    assert_sensible(qtbot, first_run)


def test_submitting_a_case_for_legal_review(qtbot):
    dialog = SubmitReviewDialog("奉南桥综执立〔2026〕0001号", [], ["罚款20,000元"], lambda *a: None)
    qtbot.addWidget(dialog)
    assert_sensible(qtbot, dialog)


def test_extending_a_review(qtbot):
    dialog = ExtendReviewDialog(lambda *a: None)
    qtbot.addWidget(dialog)
    assert_sensible(qtbot, dialog)


@pytest.mark.parametrize("make", [
    lambda: SignDialog("奉南桥综执移〔2026〕0001号", "周丽", date(2026, 11, 26), lambda *a: None),
    lambda: AcceptDialog("奉南桥综执移〔2026〕0001号", lambda *a: None),
    lambda: ReasonDialog("退回", "退回理由", lambda *a: None),
    lambda: ResultDialog("奉南桥综执移〔2026〕0001号", lambda *a: None),
], ids=["sign", "accept", "reason", "result"])
def test_the_referral_steps(qtbot, make):
    dialog = make()
    qtbot.addWidget(dialog)
    assert_sensible(qtbot, dialog)


def test_the_settings(qtbot, store, tmp_path):
    dialog = SettingsDialog(store, QSettings(str(tmp_path / "ui.ini"), QSettings.Format.IniFormat), TaskRunner())
    qtbot.addWidget(dialog)
    assert_sensible(qtbot, dialog)


def test_the_check_itself_catches_a_field_reached_out_of_order_and_a_trap(qtbot):
    from PySide6.QtWidgets import QVBoxLayout

    dialog = QDialog()
    qtbot.addWidget(dialog)
    lay = QVBoxLayout(dialog)
    top, middle, bottom = QLineEdit(), QLineEdit(), QLineEdit()
    for w in (top, middle, bottom):
        lay.addWidget(w)
    QWidget.setTabOrder(top, bottom)  # bottom before middle
    QWidget.setTabOrder(bottom, middle)
    with pytest.raises(AssertionError, match="back to"):
        assert_sensible(qtbot, dialog)
    trap = QPlainTextEdit()  # keeps Tab as a character: the round never comes back
    lay.addWidget(trap)
    trap.show()  # added to a dialog already shown
    with pytest.raises(AssertionError, match="never came back"):
        tab_round(qtbot, dialog)


def test_the_login(qtbot, store, tmp_path):
    from fx_desktop.sync.credentials import MemoryCredentials
    from fx_desktop.views.login_dialog import LoginDialog

    memory = MemoryCredentials()
    dialog = LoginDialog(store, TaskRunner(), QSettings(str(tmp_path / "ui.ini"), QSettings.Format.IniFormat),
                         lambda: memory)
    qtbot.addWidget(dialog)
    assert_sensible(qtbot, dialog)


def test_a_referral_to_a_department(qtbot, store, profile):
    from fx_desktop.services import cases, referrals
    from fx_desktop.views.referral_dialog import ReferralDialog
    from tests.conftest import case_draft

    made = cases.create_case(store, profile, case_draft())
    orgs = directory(store).of_kind("department")
    dialog = ReferralDialog(made.number, referrals.prepare(store, profile, made.id), orgs, [], lambda form: None)
    qtbot.addWidget(dialog)
    assert_sensible(qtbot, dialog)

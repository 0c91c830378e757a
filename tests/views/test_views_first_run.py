"""The first-run dialog picks the organisation, then one of the roles its kind allows; demo data only for a town
or the bureau. Widgets are found by their object names, which stay stable for tests and scripts."""
from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QCheckBox, QComboBox, QLineEdit

from fx_desktop.domain.organisations import OrgKind
from fx_desktop.domain.roles import Role
from fx_desktop.services.organisations import directory
from fx_desktop.services.profile import load_profile, save_profile
from fx_desktop.views.first_run import FirstRunDialog

TOWN_ROLES = [Role.OFFICER, Role.SQUAD_LEADER, Role.LEGAL_REVIEWER, Role.OFFICE_STAFF]


@pytest.fixture
def dialog(qtbot, store):
    made = FirstRunDialog(directory(store), lambda n, r, o: save_profile(store, name=n, role=r, org_code=o))
    qtbot.addWidget(made)
    return made


def _widgets(dialog):
    return (dialog.findChild(QLineEdit, "firstRunName"), dialog.findChild(QComboBox, "firstRunOrganisation"),
            dialog.findChild(QComboBox, "firstRunRole"), dialog.findChild(QCheckBox, "firstRunDemo"))


def _pick(dialog, name: str) -> None:
    org = dialog.findChild(QComboBox, "firstRunOrganisation")
    index = org.findText(name, Qt.MatchFlag.MatchStartsWith)
    assert index >= 0, name
    org.setCurrentIndex(index)


def _roles(dialog) -> list:
    role = dialog.findChild(QComboBox, "firstRunRole")
    return [role.itemData(i) for i in range(role.count())]


def test_widget_names_are_stable(dialog):
    name, org, role, demo = _widgets(dialog)
    assert None not in (name, org, role, demo)
    assert (name, org, role, demo) == (dialog.name, dialog.org, dialog.role, dialog.demo)


def test_the_organisation_list_starts_with_the_towns_and_names_each_kind(dialog, store):
    org = dialog.org
    codes = [org.itemData(i) for i in range(org.count())]
    assert len(codes) == len(directory(store)) and codes[0] == "nanqiao"
    assert org.itemText(0) == "南桥镇（街镇）" and "区市场监管局（区级部门）" in [org.itemText(i) for i in range(org.count())]
    kinds = [directory(store).require(c).kind for c in codes]
    assert kinds.index(OrgKind.BUREAU) > max(i for i, k in enumerate(kinds) if k == OrgKind.TOWN)
    assert kinds[-1] == OrgKind.PROCURATORATE
    assert org.currentIndex() == -1 and not dialog.role.isEnabled() and dialog.role.count() == 0  # nothing yet


def test_the_roles_follow_the_organisation(dialog):
    _pick(dialog, "区市场监管局")
    assert _roles(dialog) == [Role.DEPARTMENT_LIAISON] and dialog.role.currentText() == "行业管理部门联络员"
    _pick(dialog, "南桥镇")
    assert _roles(dialog) == TOWN_ROLES and dialog.role.isEnabled()
    dialog.role.setCurrentIndex(dialog.role.findData(Role.LEGAL_REVIEWER))
    _pick(dialog, "金汇镇")  # another town keeps the role chosen
    assert dialog.role.currentData() == Role.LEGAL_REVIEWER
    _pick(dialog, "南桥派出所")
    assert _roles(dialog) == [Role.POLICE_LIAISON]
    _pick(dialog, "区城管执法局")
    assert _roles(dialog) == [Role.BUREAU_DISPATCHER, Role.ADMIN]


def test_typing_part_of_a_name_finds_the_organisation(qtbot, dialog):
    from PySide6.QtGui import QInputMethodEvent
    from PySide6.QtWidgets import QApplication

    dialog.show()
    qtbot.waitExposed(dialog)
    dialog.org.lineEdit().setFocus()
    QApplication.sendEvent(dialog.org.lineEdit(), QInputMethodEvent("", []))  # as a Chinese input method commits
    event = QInputMethodEvent()
    event.setCommitString("市场监管")
    QApplication.sendEvent(dialog.org.lineEdit(), event)
    completer = dialog.org.completer()
    assert completer.completionCount() == 1 and completer.currentCompletion() == "区市场监管局（区级部门）"
    dialog.org.lineEdit().setText(completer.currentCompletion())  # as choosing the suggestion does
    dialog.name.setText("孙丽")
    dialog.accept()
    assert dialog.result() == dialog.DialogCode.Accepted
    assert (dialog.profile.org_code, dialog.profile.role) == ("scjg", Role.DEPARTMENT_LIAISON)


def test_text_that_names_no_organisation_is_refused(dialog, store):
    dialog.name.setText("孙丽")
    dialog.org.lineEdit().setText("市场")
    dialog.accept()
    assert dialog.result() != dialog.DialogCode.Accepted
    assert "单位" in dialog.error.text() and dialog.org.property("invalid") is True
    assert load_profile(store) is None


def test_a_department_liaison_saves_and_gets_no_demo(dialog, store):
    _pick(dialog, "区市场监管局")
    assert not dialog.demo.isEnabled()
    dialog.demo.setChecked(True)  # even if ticked before choosing a department: no demo cases
    dialog.name.setText("孙丽")
    dialog.accept()
    assert dialog.result() == dialog.DialogCode.Accepted and dialog.demo_cases == 0
    saved = load_profile(store)
    assert (saved.name, saved.role, saved.org_code, saved.org_kind, saved.town_code) == (
        "孙丽", Role.DEPARTMENT_LIAISON, "scjg", OrgKind.DEPARTMENT, None)


def test_a_town_officer_saves_with_demo_data(dialog, store):
    dialog.accept()
    assert "姓名" in dialog.error.text() and dialog.name.property("invalid") is True
    dialog.name.setText("李娜")
    dialog.accept()
    assert "单位" in dialog.error.text() and dialog.org.property("invalid") is True
    _pick(dialog, "南桥镇")
    assert dialog.demo.isEnabled()
    dialog.role.setCurrentIndex(dialog.role.findData(Role.SQUAD_LEADER))
    dialog.demo.setChecked(True)
    dialog.accept()
    assert dialog.result() == dialog.DialogCode.Accepted and dialog.demo_cases == 2000
    saved = load_profile(store)
    assert (saved.role, saved.org_code, saved.town_code, saved.org_kind) == (
        Role.SQUAD_LEADER, "nanqiao", "nanqiao", OrgKind.TOWN)


def test_the_dialog_fits_a_small_laptop_screen_and_shows_whole_names(qtbot, dialog, tmp_path):
    """1366x728 is the smallest screen in use; the whole list entry of the longest name must be readable. The
    dialog and the open list are grabbed to PNG in the test's tmp dir, for a look."""
    dialog.show()
    qtbot.waitExposed(dialog)
    _pick(dialog, "区市场监管局")
    dialog.name.setText("孙丽")
    dialog.adjustSize()
    assert dialog.frameGeometry().width() <= 1366 and dialog.frameGeometry().height() <= 728 - 40
    assert dialog.grab().save(str(tmp_path / "first_run.png"))
    dialog.org.showPopup()
    popup = dialog.org.view()
    qtbot.waitUntil(popup.isVisible)
    labels = [dialog.org.itemText(i) for i in range(dialog.org.count())]
    longest = max(labels, key=popup.fontMetrics().horizontalAdvance)
    assert popup.viewport().width() >= popup.fontMetrics().horizontalAdvance(longest)
    assert popup.window().height() <= 728 - 40
    assert popup.window().grab().save(str(tmp_path / "first_run_list.png"))
    dialog.org.hidePopup()

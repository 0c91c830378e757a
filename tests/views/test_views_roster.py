"""人员与执法证 through the GUI on a real SQLite store with the real services, the Chinese UI installed: office staff
add an officer in the dialog (a refusal lands at its field, the typing kept), the table shows 即将到期 in amber
with the days left and 已过期 in red, Enter edits, Delete retires after a confirmation whose default is No; an
officer reads only; the workbench lists the certificates; the case form completes officers from the roster and
says when one's certificate has expired. Screenshots under /tmp/shots-roster for a person to look at."""
from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox

from fx_desktop.domain.roles import Role
from fx_desktop.services import roster
from fx_desktop.services.profile import Profile
from fx_desktop.views.roster_page import RosterDialog
from tests.services.test_services_roster import held_training
from tests.views.test_views_legal_review import when_modal
from tests.views.test_views_referrals import windows  # noqa: F401 - fixture: windows whose tasks are waited for
from tests.views.test_views_sync import chinese  # noqa: F401 - fixture: the Chinese UI
from tests.support.shots import shots_folder, take

SHOTS = shots_folder("/tmp/shots-roster")
TODAY = date(2026, 11, 30)
STAFF = Profile("u-staff", "刘芳", Role.OFFICE_STAFF, "nanqiao")
OFFICER = Profile("u-officer", "李娜", Role.OFFICER, "nanqiao")


def form(**over):
    return {"name": "王磊", "cert_no": "31200001", "issuer": "上海市人民政府", "issued_on": "2023-01-01",
            "expires_on": "2029-01-01", "post": "执法队员", "phone": "13812345678", **over}


def seeded(store):
    roster.add(store, STAFF, form())
    roster.add(store, STAFF, form(name="龚建涛", cert_no="31200002", expires_on="2026-12-20"))
    roster.add(store, STAFF, form(name="黎兰", cert_no="31200003", issued_on="2020-01-01", expires_on="2026-11-20"))


def shot(widget, name: str, before=None) -> None:
    take(widget, SHOTS, name, before)


def test_office_staff_keep_the_roster_with_states_in_colour_and_keyboard(qtbot, chinese, store, windows):
    window = windows(store, STAFF, today=lambda: TODAY)
    page = window.roster_page
    window.show_section(page)
    assert window.sections.currentWidget() is page
    assert page.empty.isVisible() and "添加本街镇的执法人员" in page.empty.text()
    seeded(store)
    page.refresh()
    assert not page.empty.isVisible() and page.table.rowCount() == 3
    states = [page.table.item(r, 4).text() for r in range(3)]  # soonest expiry first
    assert states == ["已过期（10 天）", "即将到期（剩 20 天）", "有效"]
    assert page.table.item(0, 4).foreground().color().name() == "#b3261e"
    assert page.table.item(1, 4).foreground().color().name() == "#9a5b00"
    assert "执法证即将到期 1 人，已过期 1 人" in page.count.text()
    assert page.tabs.tabText(1) == "培训记录"
    page.table.selectRow(1)
    shot(window, "roster-page")

    # add: the first refusal lands at its field with the typing kept, then it saves
    refused = []

    def add(dialog: RosterDialog) -> None:
        dialog.fields["name"].setText("孟琳")
        dialog.fields["cert_no"].setText("31200001")  # already on the roster
        dialog.accept_form()
        refused.append((dialog.isVisible(), dialog.message.text(), dialog.fields["cert_no"].property("invalid"),
                        dialog.fields["name"].text()))
        SHOTS.mkdir(parents=True, exist_ok=True)
        dialog.grab().save(str(SHOTS / "dialog-refused.png"))
        dialog.fields["cert_no"].setText("31200009")
        dialog.accept_form()
        if dialog.isVisible():  # refused again: say why instead of hanging
            refused.append(dialog.message.text())
            dialog.reject()

    seen = when_modal(RosterDialog, add)
    page.table.setFocus()
    qtbot.keyClick(page.table, Qt.Key.Key_Insert)
    assert seen, "Insert opened no dialog"
    visible, message, invalid, typed = refused[0]
    assert visible and "已在人员名单中" in message and invalid is True and typed == "孟琳"
    assert len(refused) == 1 and page.table.rowCount() == 4
    assert page.current().name == "孟琳"  # the new officer is selected

    # Delete asks first; No (the default) keeps the officer
    page.table.selectRow(0)
    page.table.setFocus()
    asked = []

    def answer(choice):
        def question(parent, title, text, buttons, default):
            asked.append((text, default))
            return choice
        return question

    original = QMessageBox.question
    QMessageBox.question = staticmethod(answer(QMessageBox.StandardButton.No))
    try:
        qtbot.keyClick(page.table, Qt.Key.Key_Delete)
        assert asked and asked[0][1] == QMessageBox.StandardButton.No and "黎兰" in asked[0][0]
        assert page.table.rowCount() == 4
        QMessageBox.question = staticmethod(answer(QMessageBox.StandardButton.Yes))
        qtbot.keyClick(page.table, Qt.Key.Key_Delete)
    finally:
        QMessageBox.question = original
    assert page.table.rowCount() == 3 and "黎兰" not in [page.table.item(r, 0).text() for r in range(3)]
    page.retired.setChecked(True)
    assert page.table.rowCount() == 4 and page.table.item(3, 4).text() == "已停用"
    page.retired.setChecked(False)

    # Enter edits the current officer: renewed, the state turns valid
    page.select(next(e.id for e in page.records if e.name == "龚建涛"))

    def renew(dialog: RosterDialog) -> None:
        dialog.fields["expires_on"].setDate(date(2031, 12, 20))
        dialog.accept_form()
        if dialog.isVisible():
            dialog.reject()

    seen = when_modal(RosterDialog, renew)
    qtbot.keyClick(page.table, Qt.Key.Key_Return)
    assert seen and page.current().name == "龚建涛" and page.table.item(page.table.currentRow(), 4).text() == "有效"


def test_the_workbench_lists_certificates_and_opens_the_officer(qtbot, chinese, store, windows):
    seeded(store)
    window = windows(store, STAFF, today=lambda: TODAY)
    window.workbench.refresh()
    qtbot.waitUntil(lambda: any(i.kind == "roster_entry" for i in window.workbench.model.items))
    items = [i for i in window.workbench.model.items if i.kind == "roster_entry"]
    assert [(i.title, i.left) for i in items] == [("黎兰", -10), ("龚建涛", 20)]
    shot(window, "roster-workbench")
    window.open_work(items[1])
    assert window.sections.currentWidget() is window.roster_page
    assert window.roster_page.current().name == "龚建涛"


def test_an_officer_reads_the_roster_and_sees_the_training_record(qtbot, chinese, store, windows):
    seeded(store)
    held_training(store, "执法规范化培训", "2026-10-15T09:00", {"王磊": "出席"})
    window = windows(store, OFFICER, today=lambda: TODAY)
    page = window.roster_page
    window.show_section(page)
    assert not page.add.isVisible() and not page.retire.isVisible()
    page.select(next(e.id for e in page.records if e.name == "王磊"))
    page.tabs.setCurrentIndex(1)
    assert page.trainings.rowCount() == 1 and page.trainings.item(0, 1).text() == "执法规范化培训"
    shot(window, "roster-training")
    page.select(next(e.id for e in page.records if e.name == "龚建涛"))
    assert page.trainings.rowCount() == 0 and page.trainings_empty.isVisible()


def test_the_case_form_completes_officers_and_names_an_expired_certificate(qtbot, chinese, store, windows,
                                                                          monkeypatch):
    seeded(store)
    leader = Profile("u-leader", "张伟", Role.SQUAD_LEADER, "nanqiao")
    window = windows(store, leader, today=lambda: TODAY)
    window.show_section(window.splitter)
    window.detail.new_case()
    window.detail.tabs.setCurrentWidget(window.detail.form)
    form = window.detail.form
    assert {o.name for o in form.roster.values()} == {"王磊", "龚建涛", "黎兰"}
    editor_names = form.officers.itemDelegate().names
    assert editor_names == sorted(["王磊", "龚建涛", "黎兰"])
    form.officers.item(0, 0).setText("黎兰")  # a name chosen: the certificate number follows
    assert form.officers.item(0, 1).text() == "31200003"
    assert not form.officer_note.isHidden() and "已于 2026-11-20 到期" in form.officer_note.text()
    assert form.officer_note.styleSheet() == "color: #b3261e;"
    form.officers.item(1, 0).setText("龚建涛")
    assert "剩 20 天" in form.officer_note.text()
    shot(window, "roster-case-form", lambda: form.ensureWidgetVisible(form.officer_note))
    form.officers.item(0, 0).setText("王磊")
    form.officers.item(0, 1).setText("31200001")
    assert "剩 20 天" in form.officer_note.text() and "31200003" not in form.officer_note.text()
    assert form.officer_note.styleSheet() == "color: #9a5b00;"
    # a retired officer is no longer offered, but their expired certificate is still named
    retired = next(e for e in roster.entries(store, STAFF, today=TODAY) if e.name == "黎兰")
    roster.retire(store, STAFF, retired.id, "调离")
    window.detail.load_roster()
    assert "黎兰" not in form.officers.itemDelegate().names
    form.officers.item(0, 0).setText("黎兰")
    form.officers.item(0, 1).setText("31200003")
    assert "31200003" in form.officer_note.text()
    monkeypatch.setattr(QMessageBox, "question", staticmethod(lambda *_a, **_k: QMessageBox.StandardButton.No))


def test_the_bureau_reads_every_towns_roster_with_the_town(qtbot, chinese, store, windows):
    seeded(store)
    roster.add(store, Profile("u-w", "王强", Role.SQUAD_LEADER, "fengcheng"), form(name="丰城人", cert_no="31209999"))
    bureau = Profile("u-b", "刁建", Role.BUREAU_DISPATCHER, None)
    window = windows(store, bureau, today=lambda: TODAY)
    page = window.roster_page
    window.show_section(page)
    assert window.sections.currentWidget() is page and page.table.rowCount() == 4
    assert not page.table.isColumnHidden(7) and not page.add.isVisible()
    towns = {page.table.item(r, 0).text(): page.table.item(r, 7).text() for r in range(4)}
    assert towns["丰城人"] == "奉城镇" and towns["王磊"] == "南桥镇"

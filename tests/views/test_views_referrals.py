"""Case referral (移送) through the GUI, on real SQLite stores with the real services: the squad leader fills the
form and submits it, a refusal lands at the field it names with the typing kept, the department's inbox (the row
applied as a pull applies it) signs with materials missing, accepts and records the result, overdue referrals are
red and marked in words, the three forms print; and with a real fx-bureau, a returned referral reopens the town's
case with the reason shown. The Chinese translation is installed, as users see it."""
from __future__ import annotations

import dataclasses
import io
from datetime import date, timedelta

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtGui import QBrush
from PySide6.QtWidgets import QMessageBox, QPushButton, QRadioButton
from pypdf import PdfReader

from fx_desktop.domain.lifecycle import CaseStatus
from fx_desktop.domain.referral import ReferralStatus
from fx_desktop.domain.roles import Role
from fx_desktop.paths import DataPaths
from fx_desktop.services import cases, referrals
from fx_desktop.services.evidence import add_evidence
from fx_desktop.services.profile import save_profile
from fx_desktop.store import open_store, outbox, reference
from fx_desktop.sync import account
from fx_desktop.sync.credentials import MemoryCredentials
from fx_desktop.sync.transport import BureauClient
from fx_desktop.sync.worker import SyncController
from fx_desktop.tasks import TaskRunner
from fx_desktop.views.main_window import MainWindow
from fx_desktop.views.referral_dialog import ReferralDialog
from fx_desktop.views.referral_inbox import DEADLINE, OVERDUE
from fx_desktop.views.referral_steps import AcceptDialog, ReasonDialog, ResultDialog, SignDialog
from tests.conftest import case_draft
from tests.support.bureau import PASSWORD
from tests.support.printing import CapturedPreview
from tests.support.workbench_data import pulled
from tests.views.test_views_legal_review import sync, window_for  # noqa: F401 - fixture: a window logged in
from tests.views.test_views_sync import WAIT, bureau, chinese  # noqa: F401 - fixtures: one fx-bureau, Chinese UI

REASON = "当事人擅自改变房屋规划用途，属规划资源部门管辖。"
BASIS = "《上海市城乡规划条例》第六十二条"


def make_window(qtbot, store, profile, tmp_path, *, today=date.today, **kwargs) -> MainWindow:
    with store.sessions() as session:
        ref = reference.current(session)
    window = MainWindow(store, profile, ref, TaskRunner(),
                        QSettings(str(tmp_path / f"{profile.user_id}.ini"), QSettings.Format.IniFormat), today=today,
                        **kwargs)
    qtbot.addWidget(window)
    window.printer.open_preview = window.printed = CapturedPreview()
    window.show()
    return window


@pytest.fixture
def windows(qtbot, tmp_path):
    made = []

    def make(store, profile, **kwargs) -> MainWindow:
        window = make_window(qtbot, store, profile, tmp_path, **kwargs)
        made.append(window)
        return window

    yield make
    for window in made:
        window.tasks.wait()


@pytest.fixture
def dept(tmp_path):
    opened = open_store(DataPaths.at(tmp_path / "dept"))
    yield opened
    opened.close()


@pytest.fixture
def liaison(dept):
    return save_profile(dept, name="周敏", role=Role.DEPARTMENT_LIAISON, org_code="ghzy")


def case_with_evidence(store, profile, tmp_path) -> cases.CaseRecord:
    made = cases.create_case(store, profile, case_draft())
    photo = tmp_path / "现场照片.jpg"
    photo.write_bytes(b"\xff\xd8\xff\xe0" + b"0" * 2000)
    return add_evidence(store, profile, made.id, photo)


def open_form(window, case_id: str) -> ReferralDialog:
    window.show_case(case_id)
    window.detail.header.findChild(QPushButton, "action_refer").click()
    dialog = window.detail.referral_dialog
    assert isinstance(dialog, ReferralDialog) and dialog.isVisible()
    return dialog


def fill(dialog: ReferralDialog, *, reason: str = REASON, receiving: str = "ghzy") -> None:
    dialog.receiving.setCurrentIndex(dialog.receiving.findData(receiving))
    dialog.reason.setPlainText(reason)
    dialog.legal_basis.setPlainText(BASIS)
    dialog.contact_phone.setText("021-57420000")
    dialog.items.add_row()
    for column, text in enumerate(["彩钢板", "3m×1.2m", "12", "块", "完好", "南桥镇暂扣物品仓库"]):
        dialog.items.table.item(0, column).setText(text)


def texts(table) -> list[list[str]]:
    return [[table.item(r, c).text() if table.item(r, c) else "" for c in range(table.columnCount())]
            for r in range(table.rowCount())]


# --- the town ---------------------------------------------------------------------------------------------------------

def test_squad_leader_fills_the_form_submits_and_sees_the_case_referred(qtbot, windows, store, profile, tmp_path):
    made = case_with_evidence(store, profile, tmp_path)
    window = windows(store, profile)
    dialog = open_form(window, made.id)
    assert dialog.summary.toPlainText() == made.values["facts"]  # pre-filled by services.referrals.prepare
    assert [(m["title"], m["evidence_id"]) for m in dialog.materials.rows()] == [("现场照片.jpg", made.evidence[0].id)]
    assert dialog.contact_name.text() == "张伟"
    fill(dialog)
    dialog.materials.add_row()  # a second material, moved first: the numbers follow the order
    dialog.materials.table.item(1, 1).setText("询问笔录")
    dialog.materials.table.cellWidget(1, 2).setValue(3)
    dialog.materials.table.setCurrentCell(1, 1)
    dialog.materials.move(-1)
    assert [(m["no"], m["title"], m["pages"]) for m in dialog.materials.rows()] == [
        (1, "询问笔录", 3), (2, "现场照片.jpg", 1)]
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow)  # a shortcut works in the active window
    qtbot.keyClick(dialog.legal_basis, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)  # Ctrl+Enter submits

    assert not dialog.isVisible(), [e.text() for e in dialog.errors.values()] + [dialog.general_error.text()]
    detail = window.detail
    assert detail.record.status is CaseStatus.REFERRED
    assert CaseStatus.REFERRED.label in detail.header.title.text()
    assert detail.tabs.currentWidget() is detail.referrals and "区规划资源局" in detail.message.text()
    view = detail.referrals.view
    record = referrals.for_case(store, made.id)[0]
    assert record.status == ReferralStatus.SUBMITTED and [m["title"] for m in record.data["materials"]] == [
        "询问笔录", "现场照片.jpg"]
    assert record.number in view.title.text() and ReferralStatus.SUBMITTED.label in view.title.text()
    assert "南桥镇 → 区规划资源局" in view.parties.text() and record.data["receipt_due"] in view.clock.text()
    assert view.step_buttons["withdraw_referral"].isVisible()
    assert not view.step_buttons["sign_referral"].isVisible()  # the department's step, not the town's
    assert [row[2] for row in texts(view.steps)] == ["移送"]
    assert texts(view.items)[0][1:] == ["彩钢板", "3m×1.2m", "12", "块", "完好", "南桥镇暂扣物品仓库"]
    with store.sessions() as session:
        assert [e.name for e in outbox.pending(session, owner=profile.user_id)][-1] == "submit_referral"

    view.print_buttons["referral-letter"].click()
    qtbot.waitUntil(lambda: bool(window.printed.documents), timeout=WAIT)
    pdf, name = window.printed.documents[0]
    assert "案件移送函" in name and record.number in name
    assert "上海市奉贤区规划和自然资源局：" in PdfReader(io.BytesIO(pdf)).pages[0].extract_text()  # 主送机关, in full


def test_a_missing_reason_is_shown_at_the_reason_field_and_nothing_typed_is_lost(qtbot, windows, store, profile,
                                                                                 tmp_path, monkeypatch):
    made = case_with_evidence(store, profile, tmp_path)
    window = windows(store, profile)
    dialog = open_form(window, made.id)
    fill(dialog, reason="")
    dialog.ok_button.click()

    assert dialog.isVisible()
    error = dialog.boxes["reason"].error
    assert error.isVisible() and "移送理由" in error.text()
    assert dialog.reason.property("invalid") is True and dialog.focusWidget() is dialog.reason
    assert not dialog.general_error.isVisible() and not dialog.errors["materials"].isVisible()
    assert dialog.legal_basis.toPlainText() == BASIS and dialog.items.rows()[0]["name"] == "彩钢板"
    assert cases.get_case(store, made.id).status is CaseStatus.CLUE and referrals.for_case(store, made.id) == []

    asked = []
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: asked.append(a[2]) or QMessageBox.StandardButton.Cancel)
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)  # Esc with typed text asks first; Cancel keeps the form
    assert asked and dialog.isVisible() and dialog.legal_basis.toPlainText() == BASIS

    dialog.reason.setPlainText(REASON)
    dialog.materials.set_rows([])  # the next refusal names another field: shown there, the reason's line gone
    dialog.ok_button.click()
    assert dialog.errors["materials"].isVisible() and "材料" in dialog.errors["materials"].text()
    assert not error.isVisible()

    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Discard)
    dialog.reject()
    assert not dialog.isVisible() and referrals.for_case(store, made.id) == []


# --- the department ---------------------------------------------------------------------------------------------------

def test_department_inbox_signs_with_materials_missing_accepts_and_records_the_result(
        qtbot, qtmodeltester, windows, store, profile, dept, liaison, tmp_path):
    made = case_with_evidence(store, profile, tmp_path)
    sent = referrals.submit(store, profile, made.id, {
        **referrals.prepare(store, profile, made.id), "receiving_org": "ghzy", "reason": REASON,
        "legal_basis": BASIS, "contact": {"name": "张伟", "phone": "57420000"}})
    pulled(dept, sent)
    window = windows(dept, liaison)

    inbox = window.referral_inbox
    assert window.sections.currentWidget() is window.workbench and window.nav.count() == 6  # no register here
    assert window.workbench.model.items[0].record_id == sent.id  # its inbox's work, on the start page
    window.show_section(inbox)
    qtmodeltester.check(inbox.model)
    assert inbox.model.rowCount() == 1
    assert [inbox.model.index(0, c).data() for c in range(3)] == [sent.number, "南桥镇", made.values["cause"]]
    inbox.table.setCurrentIndex(inbox.model.index(0, 0))
    qtbot.keyClick(inbox.table, Qt.Key.Key_Return)  # Enter opens the detail
    view = inbox.detail
    assert view.record.id == sent.id and made.values["facts"] in view.case.toPlainText()
    assert texts(view.materials)[0][1] == "现场照片.jpg" and "现场照片.jpg" in texts(view.materials)[0][3]
    assert view.files.list.count() == 1  # the referred evidence file, openable through the evidence panel
    assert not view.step_buttons["withdraw_referral"].isVisible()

    view.step_buttons["sign_referral"].click()
    sign = window.referral_actions.dialog
    assert isinstance(sign, SignDialog) and sign.signed_by.text() == "周敏"
    sign.findChild(QRadioButton, "sign_match_no").setChecked(True)
    sign.buttons.accepted.emit()
    assert sign.isVisible() and sign.field_boxes["missing"].error.isVisible()  # what is missing: required
    sign.missing.setPlainText("询问笔录原件")
    sign.buttons.accepted.emit()
    assert not sign.isVisible()
    assert view.record.status == ReferralStatus.RECEIVED and inbox.model.index(0, 4).data() == "已签收"
    receipt = texts(view.steps)[-1]
    assert receipt[2] == "回执" and "询问笔录原件" in receipt[3] and "不一致" in receipt[3]
    assert "反馈期限" in view.clock.text()
    view.print_buttons["referral-receipt"].click()  # the receipt as signed, printed from the department's side
    qtbot.waitUntil(lambda: bool(window.printed.documents), timeout=WAIT)
    pdf, name = window.printed.documents[0]
    assert sent.number in name
    receipt_text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    assert "周敏" in receipt_text and "上海市奉贤区规划和自然资源局（印章）" in receipt_text

    view.step_buttons["accept_referral"].click()
    accept = window.referral_actions.dialog
    assert isinstance(accept, AcceptDialog)
    accept.their_number.setText("GH-2026-012")
    accept.buttons.accepted.emit()
    assert view.record.status == ReferralStatus.ACCEPTED and "GH-2026-012" in texts(view.steps)[-1][3]
    assert not view.step_buttons["accept_referral"].isVisible() and view.step_buttons["record_referral_result"].isVisible()

    view.step_buttons["record_referral_result"].click()
    result = window.referral_actions.dialog
    assert isinstance(result, ResultDialog)
    result.findChild(QRadioButton, "result_not_filed").setChecked(True)
    result.buttons.accepted.emit()
    assert result.isVisible() and "理由" in result.field_boxes["reasons"].error.text()
    result.reasons.setPlainText("经核查不构成违法。")
    result.buttons.accepted.emit()
    assert not result.isVisible()
    assert inbox.model.rowCount() == 0  # concluded: no longer among the open ones
    inbox.status.setCurrentIndex(inbox.status.findData(str(ReferralStatus.CONCLUDED)))
    assert inbox.model.rowCount() == 1
    inbox.open_referral(sent.id)
    assert view.record.status == ReferralStatus.CONCLUDED and "不予立案" in texts(view.steps)[-1][3]
    assert not any(b.isVisible() for b in view.step_buttons.values())
    qtmodeltester.check(inbox.model)
    with dept.sessions() as session:
        assert [e.name for e in outbox.pending(session, owner=liaison.user_id)] == [
            "sign_referral", "accept_referral", "record_referral_result"]


def test_overdue_referrals_are_red_and_say_so_in_words(qtbot, qtmodeltester, windows, store, profile, dept, liaison,
                                                       tmp_path):
    made = case_with_evidence(store, profile, tmp_path)
    sent = referrals.submit(store, profile, made.id, {
        **referrals.prepare(store, profile, made.id), "receiving_org": "ghzy", "reason": REASON,
        "legal_basis": BASIS, "contact": {"name": "张伟", "phone": "57420000"}})
    later = cases.create_case(store, profile, case_draft(party_name="王芳"))
    fresh = referrals.submit(store, profile, later.id, {
        **referrals.prepare(store, profile, later.id), "receiving_org": "ghzy", "reason": REASON,
        "legal_basis": BASIS, "materials": [{"title": "现场检查笔录", "pages": 2}],
        "contact": {"name": "张伟", "phone": "57420000"}})
    due = date.fromisoformat(sent.data["receipt_due"])
    stale = dict(sent.data, receipt_due=(due - timedelta(days=20)).isoformat())  # long past on the day shown
    pulled(dept, dataclasses.replace(sent, data=stale))
    pulled(dept, fresh)
    window = windows(dept, liaison, today=lambda: due)

    model = window.referral_inbox.model
    qtmodeltester.check(model)
    assert [model.index(r, 0).data() for r in range(2)] == [sent.number, fresh.number]  # by deadline
    late = model.index(0, DEADLINE)
    assert late.data().startswith("【已逾期】") and "签收" in late.data()
    assert isinstance(late.data(Qt.ItemDataRole.ForegroundRole), QBrush)
    assert late.data(Qt.ItemDataRole.ForegroundRole).color() == OVERDUE
    assert model.index(0, 3).data(Qt.ItemDataRole.ForegroundRole).color() == OVERDUE  # the whole row
    assert model.index(1, DEADLINE).data(Qt.ItemDataRole.ForegroundRole) is None
    assert "【已逾期】" not in model.index(1, DEADLINE).data()
    assert "逾期 1 件" in window.referral_inbox.title.text()
    window.referral_inbox.open_referral(sent.id)
    assert "已逾期" in window.referral_inbox.detail.clock.text()
    assert window.referral_inbox.detail.clock.property("overdue") == "receipt"


# --- both sides and a real fx-bureau --------------------------------------------------------------------------------

# window_for (a main window logged in to the test fx-bureau) and sync come from test_views_legal_review


def test_a_returned_referral_reopens_the_case_on_the_town_side_with_the_reason_shown(qtbot, window_for, bureau,  # noqa: F811
                                                                                    tmp_path, monkeypatch):
    bureau.add_user("guo", "department_liaison", "ghzy", "郭联络")
    town = window_for("zhang")
    made = case_with_evidence(town.store, town.profile, tmp_path)
    dialog = open_form(town, made.id)
    fill(dialog)
    dialog.ok_button.click()
    assert town.detail.record.status is CaseStatus.REFERRED
    sync(qtbot, town)

    department = window_for("guo")
    inbox = department.referral_inbox
    qtbot.waitUntil(lambda: inbox.model.rowCount() == 1, timeout=WAIT)  # the sync at log-in pulled it
    number = inbox.model.index(0, 0).data()
    assert number == referrals.for_case(town.store, made.id)[0].number and "临时" not in number
    inbox.open_referral(inbox.model.record(0).id)
    inbox.detail.step_buttons["return_referral"].click()
    back = department.referral_actions.dialog
    assert isinstance(back, ReasonDialog)
    back.buttons.accepted.emit()  # no reason: refused at the reason field
    assert back.isVisible() and back.field_boxes["reason"].error.isVisible()
    back.reason.setPlainText("该房屋用途变更已由区房管局立案处理，请移送区房管局。")
    asked = []  # the patched question only gives the user's answer (Yes); what is asked is the code's
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: asked.append(a[2]) or QMessageBox.StandardButton.Yes)
    back.buttons.accepted.emit()
    assert back.ok_button.property("role") == "destructive" and "无法撤回" in asked[0]
    assert not back.isVisible() and inbox.model.rowCount() == 0
    sync(qtbot, department)

    sync(qtbot, town)  # the town's window learns from the sync report: no click needed
    detail = town.detail
    assert detail.record.status is CaseStatus.CLUE  # open again for the squad, as before the referral
    assert detail.referral_banner.isVisible()
    assert "区房管局立案处理" in detail.referral_banner.text() and "区规划资源局" in detail.referral_banner.text()
    view = detail.referrals.view
    assert view.returned.isVisible() and "区房管局立案处理" in view.returned_text.text()
    assert ReferralStatus.RETURNED.label in view.title.text()
    assert town.detail.header.findChild(QPushButton, "action_refer") is not None  # it may be referred again


def test_the_squad_withdraws_before_the_receipt_with_a_reason_and_the_case_is_theirs_again(qtbot, windows, store,
                                                                                           profile, tmp_path,
                                                                                           monkeypatch):
    made = case_with_evidence(store, profile, tmp_path)
    window = windows(store, profile)
    dialog = open_form(window, made.id)
    fill(dialog)
    dialog.ok_button.click()
    view = window.detail.referrals.view
    view.step_buttons["withdraw_referral"].click()
    withdraw = window.referral_actions.dialog
    assert isinstance(withdraw, ReasonDialog)
    withdraw.buttons.accepted.emit()
    assert withdraw.isVisible() and "撤回理由" in withdraw.field_boxes["reason"].error.text()
    withdraw.reason.setPlainText("接收部门有误，改送区房管局。")
    assert view.step_buttons["withdraw_referral"].property("role") == "destructive"
    asked, answer = [], [QMessageBox.StandardButton.No]  # the patched question only gives the user's answer
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: asked.append(a[2]) or answer[0])
    withdraw.buttons.accepted.emit()  # answered No: nothing happens, the form stays with the reason typed
    assert "撤回移送" in asked[0] and "无法恢复" in asked[0]
    assert withdraw.isVisible() and window.detail.record.status is CaseStatus.REFERRED
    answer[0] = QMessageBox.StandardButton.Yes
    withdraw.buttons.accepted.emit()
    assert not withdraw.isVisible()
    assert window.detail.record.status is CaseStatus.CLUE  # the status it had before the referral
    assert ReferralStatus.WITHDRAWN.label in view.title.text() and "改送区房管局" in texts(view.steps)[-1][3]
    assert not view.step_buttons["withdraw_referral"].isVisible()
    window.show_section(window.referral_inbox)  # the town's 移送 section lists what it sent
    inbox = window.referral_inbox
    assert inbox.model.rowCount() == 0 and inbox.model.headers[1] == "接收单位"
    inbox.status.setCurrentIndex(1)  # all referrals
    assert inbox.model.rowCount() == 1 and inbox.model.index(0, 1).data() == "区规划资源局"
    inbox.open_referral(inbox.model.record(0).id)
    inbox.open_case.click()
    assert window.sections.currentWidget() is window.splitter and window.detail.record.id == made.id


def test_logging_in_as_a_department_user_turns_the_window_into_its_inbox(qtbot, windows, store, profile, liaison):
    window = windows(store, profile)
    assert window.sections.widget(1) is window.splitter and window.case_bar.isVisible()
    window.set_profile(liaison)  # as after a login on the sync page
    assert window.sections.widget(0) is window.workbench and window.nav.item(0).text() == "工作台"
    assert window.sections.widget(1) is window.referral_inbox and window.nav.item(1).text() == "移送收件"
    assert window.nav.count() == 6 and not window.case_bar.isVisible()  # 工作台 移送收件 会议 督办 数据与备份 同步
    assert window.referral_inbox.model.headers[1] == "移送单位" and not window.referral_inbox.open_case.isVisible()
    window.show_sync_page()
    assert window.sections.currentWidget() is window.sync_page

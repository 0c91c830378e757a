"""Criminal referral (涉嫌犯罪案件移送) through the GUI against a real fx-bureau: the squad leader opens 移送公安 on
the case page, the head's decision and the sending are taken on the referral page (the 24-hour clock shown in
hours), the police liaison finds it on its own client's workbench and referral page and enters the receipt and
立案, the town hands the items over, and both sides show every step. A late clock is red on both sides. The
Chinese translation is installed, as users see it; screenshots are written to /tmp/shots-criminal."""
from __future__ import annotations

import os
from datetime import datetime, timedelta

import pytest
from PySide6.QtWidgets import QPushButton

from fx_desktop.domain.lifecycle import CaseStatus
from fx_desktop.services import cases, criminal_referrals as crs
from fx_desktop.services.evidence import add_evidence
from fx_desktop.views import style
from fx_desktop.views.crime_dialogs import CrimeReportDialog, CrimeStepDialog
from tests.conftest import case_draft
from tests.views.test_views_legal_review import sync, window_for  # noqa: F401 - fixture: a window logged in
from tests.views.test_views_sync import bureau, chinese  # noqa: F401 - fixtures: one fx-bureau, Chinese UI
from tests.support.shots import shots_folder, take

SHOTS = shots_folder("/tmp/shots-criminal")


@pytest.fixture(scope="module")
def police_bureau(bureau):  # noqa: F811 - the imported fixture
    bureau.add_user("sunhao", "police_liaison", "pcs_nanqiao", "孙浩")
    return bureau


def shot(widget, name: str) -> None:
    take(widget, SHOTS, name)


def step(qtbot, page, name: str, fill=None) -> None:
    """Click the step's button on the referral page, fill its form and press OK; the form closes when stored."""
    page.view.findChild(QPushButton, f"crime_step_{name}").click()
    dialog = page.dialog
    assert isinstance(dialog, CrimeStepDialog) and dialog.isVisible()
    if fill is not None:
        fill(dialog)
    dialog.buttons.accepted.emit()
    assert not dialog.isVisible(), dialog.error.text() or [b.error.text() for b in dialog.field_boxes.values()]


def test_report_to_handover_with_the_police_steps_in_the_police_client(qtbot, window_for, police_bureau, tmp_path):
    town = window_for("zhang")
    made = cases.create_case(town.store, town.profile, case_draft(party_name="上海某化工有限公司"))
    cases.change_status(town.store, town.profile, made.id, "file", expected_status=CaseStatus.CLUE)
    report_file = tmp_path / "废酸检测报告.pdf"
    report_file.write_bytes(b"%PDF-1.4 test report " + made.id.encode())
    add_evidence(town.store, town.profile, made.id, report_file)

    town.show_case(made.id)
    town.detail.header.findChild(QPushButton, "action_refer_police").click()
    dialog = town.detail.crime_dialog
    assert isinstance(dialog, CrimeReportDialog) and dialog.isVisible()
    assert [m["name"] for m in dialog.team.rows()] == ["王磊", "陈静"]  # the case's officers
    dialog.police.setCurrentIndex(dialog.police.findData("pcs_nanqiao"))
    dialog.suspicion.setPlainText("涉嫌污染环境罪（《刑法》第三百三十八条）")
    dialog.report.setPlainText("当事人倾倒废酸约 5 吨，经检测 pH 值 1.2，已达追诉标准。")
    dialog.items.add_row({"name": "废酸桶", "quantity": "20", "unit": "只", "features": "蓝色 200L",
                          "kept_at": "南桥中队暂扣仓库", "measure": "扣押"})
    dialog.team.set_rows([{"name": "王磊", "cert_no": "31200001"}])
    dialog.buttons.accepted.emit()
    assert dialog.isVisible() and "至少两名" in dialog.field_boxes["team"].error.text()  # refused, typing kept
    dialog.team.add_row({"name": "陈静", "cert_no": "31200002"})
    shot(dialog, "report-dialog")
    dialog.buttons.accepted.emit()
    assert not dialog.isVisible(), dialog.error.text()

    page = town.crime_page
    assert town.sections.currentWidget() is page
    record = page.view.record
    assert record is not None and record.status == "reported" and "负责人审批" in page.view.clock.text()
    assert town.detail.header.findChild(QPushButton, "action_refer_police") is None  # one pending at a time
    step(qtbot, page, "decide_criminal_referral")
    assert "小时" in page.view.clock.text() and "移送公安机关" in page.view.clock.text()  # the 24-hour clock
    shot(town, "town-approved")
    step(qtbot, page, "send_criminal_referral")
    assert page.view.record.status == "sent"
    sync(qtbot, town)

    police = window_for("sunhao")
    assert police.sections.indexOf(police.crime_page) >= 0
    police.workbench.refresh()
    items = [i for i in police.workbench.model.items if i.kind == "criminal_referral"]
    assert [i.task for i in items] == ["签收回执（24小时内）"]
    police.open_work(items[0])
    ppage = police.crime_page
    assert police.sections.currentWidget() is ppage and ppage.view.record.id == record.id
    assert "上海某化工有限公司" in ppage.view.details.toPlainText()  # the case summary behind it
    step(qtbot, ppage, "receipt_criminal_referral")
    step(qtbot, ppage, "police_decide_criminal_referral",
         lambda d: d.widgets["their_number"].setText("奉公（南）刑立字〔2026〕1号"))
    assert ppage.view.record.status == "filed"
    shot(police, "police-filed")
    sync(qtbot, police)

    sync(qtbot, town)
    town.show_criminal_referral(record.id)
    assert page.view.record.status == "filed" and "移交" in page.view.clock.text()
    step(qtbot, page, "hand_over_criminal_referral", lambda d: (
        d.widgets["materials"].setPlainText("案卷一册、检测报告原件"), d.widgets["received_by"].setText("孙浩")))
    assert page.view.record.status == "handed_over"
    sync(qtbot, town)
    sync(qtbot, police)
    police.show_criminal_referral(record.id)
    shown = ppage.view.details.toPlainText()
    for words in ("提交移送报告", "负责人审批", "移送公安机关", "签收回执", "立案决定", "移交涉案物品和材料", "公安机关录入"):
        assert words in shown, words
    shot(police, "police-handed-over")


def test_a_late_clock_is_red_and_said_in_words_on_the_page(qtbot, window_for, police_bureau):
    town = window_for("zhang")
    made = cases.create_case(town.store, town.profile, case_draft())
    cases.change_status(town.store, town.profile, made.id, "file", expected_status=CaseStatus.CLUE)
    form = crs.prepare(town.store, town.profile, made.id)
    form.update(receiving_org="pcs_nanqiao", suspicion="涉嫌非法经营罪", report="经营额已达追诉标准。")
    long_ago = datetime.now() - timedelta(days=5)
    record = crs.report(town.store, town.profile, made.id, form, now=long_ago)
    town.show_criminal_referral(record.id)
    page = town.crime_page
    assert "已逾期" in page.view.clock.text() and page.view.clock.styleSheet() == style.ERROR_STYLE
    row = page.model.row_of(record.id)
    assert page.model.data(page.model.index(row, 4), 9).color().name() == style.OVERDUE  # ForegroundRole
    page.late.setChecked(True)
    assert page.model.row_of(record.id) is not None
    shot(town, "town-overdue")


def test_a_reviewers_suspected_crime_finding_offers_a_criminal_referral(qtbot, store, profile, tmp_path):
    """Criterion 8 answered 涉嫌犯罪需移送: the case page says so and offers 移送公安 to the squad leader; once the
    report is made the offer goes (one pending referral at a time)."""
    from fx_desktop.domain.legal_review import CRITERIA, MATERIALS
    from fx_desktop.domain.roles import Role
    from fx_desktop.services import legal_review
    from fx_desktop.services.profile import Profile
    from tests.views.test_views_referrals import make_window

    made = cases.create_case(store, profile, case_draft())
    status = CaseStatus.CLUE
    for action in ("file", "start_investigation", "close_investigation", "notify"):
        status = cases.change_status(store, profile, made.id, action, expected_status=status).status
    round_ = legal_review.submit(store, profile, made.id, materials=[k for k, _ in MATERIALS], report="请审核")
    reviewer = Profile("u-reviewer", "赵敏", Role.LEGAL_REVIEWER, "nanqiao")
    criteria = {k: {"passed": k != "crime", "note": "废酸倾倒量已达追诉标准" if k == "crime" else ""}
                for k, _ in CRITERIA}
    legal_review.record_verdict(store, reviewer, made.id, round_.id, outcome="disagree",
                                opinion="涉嫌污染环境罪，应移送公安机关。", criteria=criteria)
    window = make_window(qtbot, store, profile, tmp_path)
    window.show_case(made.id)
    banner = window.detail.crime_banner
    assert banner.isVisible() and "涉嫌犯罪" in banner.text() and "移送公安" in banner.text()
    button = window.detail.header.findChild(QPushButton, "action_refer_police")
    assert button is not None
    shot(window, "case-crime-finding")
    button.click()
    dialog = window.detail.crime_dialog
    dialog.police.setCurrentIndex(dialog.police.findData("pcs_nanqiao"))
    dialog.suspicion.setPlainText("涉嫌污染环境罪")
    dialog.buttons.accepted.emit()
    assert not dialog.isVisible(), dialog.error.text()
    page = window.crime_page
    assert window.sections.currentWidget() is page
    menu = page.view.findChild(QPushButton, "crime_print").menu()
    menu.aboutToShow.emit()  # the forms are listed when the menu opens
    titles = [a.text() for a in menu.actions()]
    assert titles[0] == "涉嫌犯罪案件移送书" and "涉嫌犯罪案件移送材料（合订）" in titles
    menu.actions()[titles.index("涉嫌犯罪案件移送材料（合订）")].trigger()
    qtbot.waitUntil(lambda: bool(window.printed.documents), timeout=20_000)
    pdf, name = window.printed.documents[-1]
    assert name.startswith("涉嫌犯罪案件移送材料（合订）") and pdf.startswith(b"%PDF")
    assert window.printed.notices[-1] is None  # a store without a server numbers the 移送书 itself: no draft
    window.show_case(made.id)
    assert not window.detail.crime_banner.isVisible()
    assert window.detail.header.findChild(QPushButton, "action_refer_police") is None


def test_the_police_liaison_refers_a_case_to_a_town_from_the_page(qtbot, window_for, police_bureau, tmp_path):
    """The reverse route in the police client: the form, a refusal at its field, then the case queued; the town's
    next sync brings the clue with the police's file."""
    police = window_for("sunhao")
    police.show_section(police.crime_page)
    button = police.crime_page.return_button
    assert button.isVisible()
    button.click()
    dialog = police.crime_page.dialog
    dialog.town.setCurrentIndex(dialog.town.findData("nanqiao"))
    dialog.letter.setText("奉公（南）行移字〔2026〕7号")
    dialog.reason.setPlainText("经审查不构成犯罪，应予行政处罚。")
    dialog.party_name.setText("钱某某")
    dialog.cause.setText("占道经营")
    dialog.place.setText("奉贤区南桥镇解放东路100号")
    dialog.party_id.setText("123")
    paper = tmp_path / "现场笔录（公安）.pdf"
    paper.write_bytes(b"%PDF-1.4 police " + os.urandom(8))
    dialog.add_files([str(paper)])
    shot(dialog, "police-return-dialog")
    dialog.buttons.accepted.emit()
    assert dialog.isVisible() and dialog.field_boxes["party_id_number"].error.text()
    dialog.party_id.clear()
    dialog.buttons.accepted.emit()
    assert not dialog.isVisible(), dialog.error.text()
    sync(qtbot, police)
    town = window_for("zhang")
    from sqlalchemy import text

    with town.store.sessions() as session:
        arrived = session.execute(text("SELECT source, party_name FROM cases WHERE party_name = '钱某某'")).all()
    assert [tuple(r) for r in arrived] == [("公安移送", "钱某某")]

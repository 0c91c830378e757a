"""公安协助 through the GUI against a real fx-bureau: the squad leader logs an emergency request from the case page
in one dialog while the server is down (it saves at once), completes it later (补录) on the request's page; once
online it syncs; the station liaison finds it on the workbench, acknowledges it and records the arrival; the town
sees the police steps with who entered them, and the list filters and counts them. Screenshots of the dialog, the
request's page and the list are saved under /tmp/shots-police for a person to look at."""
from __future__ import annotations


import pytest

from fx_desktop.services import cases, police_requests
from fx_desktop.views.police_request_dialog import PoliceRequestDialog
from fx_desktop.views.police_request_page import StepDialog
from tests.conftest import case_draft
from tests.support.bureau import standard
from tests.views.test_views_legal_review import sync, when_modal, window_for  # noqa: F401 - fixture
from tests.views.test_views_referrals import windows  # noqa: F401 - fixture: windows whose tasks are waited for
from tests.views.test_views_sync import chinese  # noqa: F401 - fixture: the Chinese UI
from tests.support.shots import shots_folder, take

SHOTS = shots_folder("/tmp/shots-police")


@pytest.fixture
def bureau(tmp_path):
    """A server of this test's own (it is stopped and started again), with the 南桥 station's liaison."""
    server = standard("sqlite", tmp_path / "bureau")
    server.add_user("chenjing", "police_liaison", "pcs_nanqiao", "陈静")
    server.start()
    yield server
    server.close()


def shot(widget, name: str) -> None:
    take(widget, SHOTS, name)


def test_emergency_request_offline_completed_later_and_answered_by_the_station(qtbot, window_for, bureau):
    town, station = window_for("zhang"), window_for("chenjing")
    case_id = cases.create_case(town.store, town.profile, case_draft(party_name="吴阻挠", place="南桥镇江海路8号")).id
    sync(qtbot, town)

    bureau.stop()  # on site, no network
    town.show_case(case_id)
    town.detail.tabs.setCurrentWidget(town.detail.police)

    def log(dialog: PoliceRequestDialog) -> None:
        assert dialog.place.text() == "南桥镇江海路8号" and dialog.party.text() == "吴阻挠"
        assert dialog.station.currentData() == "pcs_nanqiao" and not dialog.planned.isVisible()
        dialog.asks["verify_identity"].setChecked(True)
        SHOTS.mkdir(parents=True, exist_ok=True)
        dialog.grab().save(str(SHOTS / "dialog.png"))
        dialog.send.click()

    seen = when_modal(PoliceRequestDialog, log)
    town.detail.police.request.click()
    assert seen and seen[0].saved is not None  # saved without the server
    record = police_requests.get(town.store, seen[0].saved.id)
    assert record.status == "sent" and not record.synced and record.number.startswith("临时编号")
    assert town.detail.police.list.count() == 1

    # completed later (补录) on the request's page
    town.detail.police.openRequested.emit(record.id)
    page = town.police_page
    assert town.sections.currentWidget() is page and page.missing.isVisible()
    page.urgency.setCurrentIndex(page.urgency.findData("urgent"))
    page.incident_number.setText("J2026113000123")
    page.details.setPlainText("当事人阻挠拆除违法搭建，情绪激动。")
    page.risk_notes.setPlainText("现场约 5 人，无犬只")
    page.contact_name.setText("张伟")
    page.contact_phone.setText("13800000000")
    page.save_completion.click()
    assert not page.missing.isVisible(), page.message.text()
    assert police_requests.get(town.store, record.id).data["incident_number"] == "J2026113000123"
    shot(town, "request-page-town")

    bureau.start()
    sync(qtbot, town)
    assert police_requests.get(town.store, record.id).synced

    # the station: the workbench item, acknowledge, arrival
    sync(qtbot, station)
    station.show_section(station.workbench)
    station.workbench.refresh()
    items = [i for i in station.workbench.model.items if i.kind == "police_request"]
    assert [(i.task, i.record_id) for i in items] == [("接警确认", record.id)]
    station.open_work(items[0])
    page = station.police_page
    assert station.sections.currentWidget() is page and page.buttons["acknowledge_police_request"].isVisible()
    assert not page.completion.isVisible()  # the squad's fields are the squad's

    def acknowledge(dialog: StepDialog) -> None:
        dialog.accept()

    when_modal(StepDialog, acknowledge)
    page.buttons["acknowledge_police_request"].click()
    assert page.record.status == "acknowledged", page.message.text()

    def arrival(dialog: StepDialog) -> None:
        officers = [w for w in dialog.findChildren(type(page.details)) if w.objectName() == "step_officers"][0]
        officers.setPlainText("顾民警 031245\n沈民警 031246")
        dialog.accept()

    when_modal(StepDialog, arrival)
    page.buttons["record_police_arrival"].click()
    assert page.record.status == "arrived", page.message.text()
    sync(qtbot, station)

    sync(qtbot, town)
    town.show_police_request(record.id)
    steps = town.police_page.steps.text()
    assert "陈静" in steps and "顾民警（031245）" in steps and "J2026113000123" in steps
    assert "代" not in steps  # entered by the station itself
    shot(town, "request-page-arrived")

    town.show_section(town.police_list)
    town.police_list.refresh()
    assert town.police_list.model.rowCount() == 1
    town.police_list.status.setCurrentIndex(town.police_list.status.findData("arrived"))
    assert town.police_list.model.total == 1
    town.police_list.status.setCurrentIndex(town.police_list.status.findData("concluded"))
    assert town.police_list.model.total == 0
    town.police_list.status.setCurrentIndex(0)
    qtbot.waitUntil(lambda: "（1 次到场）" in town.police_list.median.text())  # the figures, right after the list
    assert town.police_list.per_month.item(0, 0).text() == "南桥派出所"
    shot(town, "request-list")
    sections = [station.nav.item(row).text() for row in range(station.nav.count())]
    assert sections[:3] == ["工作台", "公安协助", "移送收件"]  # the station's home, then what is addressed to it
    station.show_section(station.police_list)
    station.police_list.refresh()
    assert station.police_list.model.total == 1 and not station.police_list.new.isVisible()
    qtbot.waitUntil(lambda: "（1 次到场）" in station.police_list.median.text())  # nothing left running at the end


def test_the_squad_enters_a_police_step_for_a_station_with_an_account_only_with_a_reason(qtbot, windows, store,
                                                                                          profile):
    from fx_desktop.store.models import PoliceRequest

    record = police_requests.create(store, profile, {"situation": "emergency", "station_org": "pcs_nanqiao",
                                                     "place": "南桥镇江海路", "party": "吴某", "asks": ["keep_order"]})
    with store.writes.begin() as s:  # as the server said at its last sync: the station has an account
        row = s.get(PoliceRequest, record.id)
        row.data = {**row.data, "station_has_account": True}
    window = windows(store, profile)  # its background work waited for before it goes
    window.show_police_request(record.id)
    page = window.police_page
    assert page.buttons["record_police_arrival"].isVisible() and page.completion.isVisible()
    assert not page.print_buttons["police-letter"].isVisible()  # the letter is for planned operations

    def arrival(reason: str):
        def act(dialog: StepDialog) -> bool:  # what the user types in the step's dialog, then 保存
            texts = {w.objectName(): w for w in dialog.findChildren(type(page.details))}
            texts["step_officers"].setPlainText("顾民警 031245")
            texts["step_on_behalf_reason"].setPlainText(reason)
            return True
        return act

    page.ask = arrival("")
    page.buttons["record_police_arrival"].click()
    assert page.message.isVisible() and "写明原因" in page.message.text()
    assert police_requests.get(store, record.id).status == "sent"  # nothing saved
    page.ask = arrival("民警到场后口头告知")
    page.buttons["record_police_arrival"].click()
    assert page.record.status == "arrived", page.message.text()
    assert "由中队代公安录入：民警到场后口头告知" in page.steps.text()

"""Police assistance requests between two real clients' stores (a town's squad leader, a police station's liaison)
through a real fx-bureau process: an emergency request filed offline and completed later, the station
acknowledging and recording arrival, the town seeing every step with who entered it; each side's steps made while
the other's were on their way are rebased. After every quiet sync both sides' digests match the server's."""
from __future__ import annotations

import re
from datetime import datetime, timedelta

from sqlalchemy import select

from fx_desktop.services import audit_text, cases, police_requests
from fx_desktop.store.models import Case
from tests.conftest import case_draft
from tests.sync.test_sync_referral_clients import liaison, quiet

NUMBER = re.compile(r"^奉南桥综执协〔\d{4}〕\d{4}号$")


BASE = datetime.now().replace(second=0, microsecond=0)  # one clock reading: minutes apart stay minutes apart


def _ago(minutes: int) -> str:
    return (BASE - timedelta(minutes=minutes)).isoformat(timespec="minutes")


def _emergency(town, case_id: str) -> police_requests.RequestRecord:
    """What the squad leader types in the dialog on the case page: four fields."""
    return police_requests.create(town.store, town.profile, {
        "situation": "emergency", "station_org": "pcs_nanqiao", "case_id": case_id, "place": "南桥镇江海路 8 号",
        "asks": ["keep_order", "obstruction"], "call_time": _ago(40)})


def test_an_emergency_request_filed_offline_completed_later_and_answered_by_the_station(fresh_bureau, device):
    fresh_bureau.add_user("chenjing", "police_liaison", "pcs_nanqiao", "陈静")
    fresh_bureau.start()
    town, station = device(fresh_bureau, "zhang"), device(fresh_bureau, "chenjing")
    police = liaison(station, "pcs_nanqiao")
    case_id = cases.create_case(town.store, town.profile, case_draft(party_name="吴阻挠")).id
    assert town.sync().ok

    fresh_bureau.stop()  # on site, no network: the request is saved here and waits in the outbox
    record = _emergency(town, case_id)
    assert record.status == "sent" and record.number.startswith("临时编号") and not record.synced
    offline = town.sync()
    assert offline.outcome == "offline" and offline.pending_after == 1
    completed = police_requests.update(town.store, town.profile, record.id, {
        "urgency": "urgent", "details": "当事人持械阻挠拆除", "risk": {"people_expected": 4, "dogs_or_tools": True},
        "contact": {"name": "张伟", "phone": "13800000000"}}, expected_status="sent")
    assert "紧急程度" not in completed.to_complete and "风险评估" not in completed.to_complete

    fresh_bureau.start()
    report = town.sync()
    assert report.ok and report.pushed == 2 and report.rejected == 0, report.summary()
    filed = police_requests.get(town.store, record.id)
    assert NUMBER.match(filed.number) and filed.synced and filed.data["urgency"] == "urgent"
    assert filed.data["station_has_account"] is True
    quiet(town)

    assert station.sync().ok
    rows = police_requests.page(station.store, police, police_requests.RequestFilter(), 0, 50)
    assert [r[0] for r in rows] == [record.id]
    with station.store.sessions() as s:
        assert s.execute(select(Case)).first() is None  # the case summary only, never the case
    mine, total = police_requests.open_for_station(station.store, police)
    assert total == 1 and mine[0].data["case_snapshot"]["party_name"] == "吴阻挠"

    police_requests.police_step(station.store, police, record.id, "acknowledge_police_request",
                                {"expected_status": "sent", "incident_number": "J2026113000777"})
    # meanwhile the town adds the body-camera files: both steps travel, each side rebases the other's
    police_requests.update(town.store, town.profile, record.id, {"body_cam_ids": ["DSJ-0001-20261130"]},
                           expected_status="sent")
    police_requests.police_step(station.store, police, record.id, "record_police_arrival",
                                {"arrived_at": _ago(25), "officers": [{"name": "顾民警", "number": "031245"}]})
    assert station.sync().ok
    report = town.sync()
    assert report.ok and report.rejected == 0, report.summary()
    seen = police_requests.get(town.store, record.id)
    assert seen.status == "arrived" and seen.arrival_minutes == 15 and seen.synced
    assert seen.data["body_cam_ids"] == ["DSJ-0001-20261130"] and seen.data["incident_number"] == "J2026113000777"
    arrival = seen.data["police"]["arrival"]
    assert (arrival["by"], arrival["org"], arrival["on_behalf"]) == ("陈静", "pcs_nanqiao", False)
    trail = [(t.action, t.role) for t in cases.timeline(town.store, case_id)]
    assert ("create_police_request", "squad_leader") in trail
    said = [audit_text.sentence(t) for t in cases.timeline(town.store, case_id) if t.action == "sync_update"]
    assert any("公安协助申请更新为“民警已到场”" in s for s in said), said  # the police's steps, on the case
    assert station.sync().ok
    assert police_requests.get(station.store, record.id).data["body_cam_ids"] == ["DSJ-0001-20261130"]
    quiet(town)
    quiet(station)
    stats = police_requests.figures(town.store, town.profile)
    assert stats.median_minutes == 15 and stats.per_station_month[0][0] == "南桥派出所"

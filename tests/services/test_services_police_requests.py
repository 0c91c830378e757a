"""Police assistance requests on a real SQLite store: the squad leader logs an emergency request with four fields
(row, audit on the case's timeline and outbox in one transaction, nothing waiting for the network), completes it,
a refusal saves nothing; the list's SQL filters, the figures, and the workbench items of the squad and the station."""
from datetime import date, datetime

import pytest
from sqlalchemy import func, select

from fx_desktop.domain.errors import DomainError
from fx_desktop.domain.roles import Role
from fx_desktop.services import audit_text, cases, police_requests, workbench
from fx_desktop.services.profile import Profile
from fx_desktop.store.models import AuditEntry, OutboxEntry, PoliceRequest
from tests.support.people import Person

NOW = datetime(2026, 3, 10, 9, 0)
LEADER = Profile("u-leader", "张伟", Role.SQUAD_LEADER, "nanqiao")
OFFICER = Profile("u-officer", "李娜", Role.OFFICER, "nanqiao")


STATION = Person("u-chen", "陈静", Role.POLICE_LIAISON, None, "pcs_nanqiao")


def emergency(store, case_id=None, *, station="pcs_nanqiao", minutes=0, actor=LEADER, **over):
    form = {"situation": "emergency", "station_org": station, "case_id": case_id, "place": "南桥镇江海路",
            "asks": ["keep_order"], "party": "" if case_id else "某当事人", **over}
    return police_requests.create(store, actor, form, now=NOW.replace(minute=minutes))


def test_an_emergency_request_is_saved_here_with_its_audit_and_outbox_entry(store, make_draft):
    case_id = cases.create_case(store, LEADER, make_draft(party_name="吴某"), now=NOW).id
    record = emergency(store, case_id)
    assert record.status == "sent" and record.party == "吴某" and record.call_at == NOW
    assert record.number.startswith("奉南桥综执协〔2026〕")  # a store that does not sync numbers itself
    assert "警情编号" in record.to_complete
    with store.sessions() as s:
        entry = s.execute(select(OutboxEntry).where(OutboxEntry.kind == "police_request")).scalar_one()
        assert entry.name == "create_police_request" and entry.record_id == record.id
        assert entry.args["asks"] == ["keep_order"] and entry.args["file"] is True
    trail = [t.action for t in cases.timeline(store, case_id)]
    assert "create_police_request" in trail
    police_requests.police_step(store, LEADER, record.id, "record_police_arrival", {
        "arrived_at": "2026-03-10T09:12", "officers": [{"name": "顾", "number": "1"}], "on_behalf_reason": "口头告知"},
        now=NOW.replace(hour=10))
    said = [audit_text.sentence(t) for t in cases.timeline(store, case_id) if t.action.endswith("police_request")
            or t.action.startswith("record_police")]
    assert said[0].startswith("张伟 登记了公安协助申请") and "情形：应急处置" in said[0]
    assert any("登记了民警到场" in t and "到场民警 1 人" in t and "代公安机关录入，原因：口头告知" in t for t in said)
    done = police_requests.update(store, LEADER, record.id, {"incident_number": "J1", "urgency": "urgent"},
                                  expected_status="arrived", now=NOW.replace(hour=11))
    assert done.data["completed"][0]["fields"] == ["incident_number", "urgency"]
    assert [r.id for r in police_requests.for_case(store, case_id)] == [record.id]


def test_a_refusal_saves_nothing(store):
    with pytest.raises(DomainError, match="只能起草"):
        emergency(store, actor=OFFICER)
    with pytest.raises(DomainError, match="地点"):
        emergency(store, place="")
    with store.sessions() as s:
        assert s.execute(select(func.count()).select_from(PoliceRequest)).scalar() == 0
        assert s.execute(select(func.count()).select_from(AuditEntry)
                         .where(AuditEntry.kind == "police_request")).scalar() == 0
    draft = police_requests.create(store, OFFICER, {"situation": "emergency", "station_org": "pcs_nanqiao",
                                                    "party": "某"}, file=False, now=NOW)
    assert draft.status == "draft" and draft.number == ""
    filed = police_requests.file_request(store, LEADER, police_requests.update(
        store, OFFICER, draft.id, {"place": "某路", "asks": ["verify_identity"]}, expected_status="draft").id)
    assert filed.status == "sent" and filed.number


def test_the_list_filters_in_sql_and_the_figures_count_per_station_and_month(store):
    a = emergency(store, minutes=0)
    b = emergency(store, station="pcs_fengcheng", minutes=10)
    emergency(store, situation="public_opinion", details="网络舆情", minutes=20)
    for record, arrived in ((a, "2026-03-10T09:12"), (b, "2026-03-10T09:30")):
        police_requests.police_step(store, LEADER, record.id, "record_police_arrival",
                                    {"arrived_at": arrived, "officers": [{"name": "顾", "number": "1"}]},
                                    now=NOW.replace(hour=10))
    F = police_requests.RequestFilter
    assert police_requests.count(store, LEADER, F()) == 3
    assert police_requests.count(store, LEADER, F(situation="emergency")) == 2
    assert [r[0] for r in police_requests.page(store, LEADER, F(station="pcs_fengcheng"), 0, 10)] == [b.id]
    assert police_requests.count(store, LEADER, F(status="arrived")) == 2
    assert police_requests.count(store, LEADER, F(since=date(2026, 3, 11))) == 0
    assert police_requests.count(store, LEADER, F(until=date(2026, 3, 10))) == 3
    assert police_requests.count(store, STATION, F()) == 2  # the station: only those addressed to it
    stats = police_requests.figures(store, LEADER)
    assert stats.median_minutes == 16 and stats.arrivals == 2  # 12 and 20 minutes
    assert sorted(stats.per_station_month) == [("南桥派出所", "2026-03", 2), ("奉城派出所", "2026-03", 1)]


def test_the_workbench_shows_the_station_its_requests_and_the_squad_what_to_complete(store):
    record = emergency(store)
    station = workbench.load(store, STATION, today=NOW.date())
    assert [(i.kind, i.task, i.record_id) for i in station.items] == [("police_request", "接警确认", record.id)]
    squad = [i for i in workbench.load(store, LEADER, today=NOW.date()).items if i.kind == "police_request"]
    assert [i.record_id for i in squad] == [record.id] and squad[0].task.startswith("补录")
    police_requests.update(store, LEADER, record.id, {
        "urgency": "urgent", "incident_number": "J1", "details": "阻挠", "risk": {"notes": "无"},
        "contact": {"name": "张伟", "phone": "1"}}, expected_status="sent")
    assert not [i for i in workbench.load(store, LEADER, today=NOW.date()).items if i.kind == "police_request"]


def test_the_dispatcher_lists_every_towns_requests_but_acts_on_the_bureaus_own(store):
    emergency(store)  # 南桥镇's, still to complete
    dispatcher = Profile("u-d", "刁建", Role.BUREAU_DISPATCHER, None)
    assert police_requests.count(store, dispatcher, police_requests.RequestFilter()) == 1
    assert police_requests.squad_open(store, dispatcher) == ([], 0)
    district = police_requests.create(store, dispatcher, {
        "situation": "joint_operation", "station_org": "gafj", "place": "奉贤区全域", "party": "跨门经营户",
        "asks": ["keep_order"], "officers_needed": 20, "window_start": "2026-03-20T08:00",
        "window_end": "2026-03-20T12:00", "risk": {"people_expected": 100}}, file=False, now=NOW)
    assert [r.id for r in police_requests.squad_open(store, dispatcher)[0]] == [district.id]
    filed = police_requests.file_request(store, dispatcher, district.id, now=NOW)
    assert filed.status == "awaiting_approval" and filed.number.endswith("综执协〔2026〕0001号")

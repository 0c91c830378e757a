"""Pulled police request rows applied to a real SQLite store with hand-made pages (no server): a first pull, the
squad's pending 补录 replayed over the station's acknowledgement, a pending police step that no longer applies kept
pending (the server will say why), a tombstone kept while a step waits, and the identity the police verified put
into the case's party fields with the change on the case's timeline."""
from datetime import datetime

from fx_desktop.domain import police_request as pr
from fx_desktop.domain.organisations import OrgDirectory
from fx_desktop.domain.roles import Role
from fx_desktop.services import cases, police_requests
from fx_desktop.services.profile import Profile
from fx_desktop.store import outbox
from fx_desktop.store.reference import shipped
from fx_desktop.sync.apply import apply_page
from tests.conftest import case_draft
from tests.support.people import Person

NOW = datetime(2026, 3, 10, 9, 0)
ORGS = OrgDirectory.from_reference(shipped())
LEADER = Profile("u-leader", "张伟", Role.SQUAD_LEADER, "nanqiao")
TOWN = pr.Actor("张伟", "squad_leader", "nanqiao")
STATION = pr.Actor("陈静", "police_liaison", "pcs_nanqiao")


LIAISON = Person("u-chen", "陈静", Role.POLICE_LIAISON, None, "pcs_nanqiao")


def row(data: dict, version: int) -> dict:
    return {"type": "police_request", "seq": version, "id": data["id"], "version": version,
            "owner_org": data["owner_org"], "station_org": data["station_org"], "case_id": data["case_id"],
            "number": data["number"], "situation": data["situation"], "status": data["status"],
            "call_at": data["call_time"], "updated_at": NOW.isoformat(), "data": data}


def pull(store, changes, cursor="e:1"):
    with store.writes.begin() as s:
        return apply_page(s, changes, cursor, cursor_key="sync.cursor:x", actor="sync", now=NOW)


def pending(store) -> list[str]:
    with store.sessions() as s:
        return [e.name for e in outbox.pending(s) if e.kind == "police_request"]


def test_a_pending_completion_is_replayed_over_the_stations_acknowledgement(store):
    record = police_requests.create(store, LEADER, {"situation": "emergency", "station_org": "pcs_nanqiao",
                                                    "place": "南桥镇某路", "party": "某", "asks": ["keep_order"]},
                                    now=NOW)
    server = {**record.data, "number": "奉南桥综执协〔2026〕0001号", "station_has_account": True}
    pull(store, [row(server, 1)])  # the creation is on the server: its row is the base from now on
    police_requests.update(store, LEADER, record.id, {"urgency": "critical"}, expected_status="sent",
                           now=NOW.replace(minute=5))
    acknowledged = pr.acknowledge(server, {"incident_number": "J1"}, actor=STATION, at=NOW.replace(minute=3),
                                  station_has_account=True)
    result = pull(store, [row(acknowledged, 2)], "e:2")
    assert record.id in result.rebased
    seen = police_requests.get(store, record.id)
    assert (seen.status, seen.data["urgency"], seen.data["incident_number"]) == ("acknowledged", "critical", "J1")
    assert not seen.synced and "update_police_request" in pending(store)


def test_a_police_step_that_no_longer_applies_stays_pending_and_a_tombstone_waits(store):
    state = pr.create({"request_id": "3f2c7d9e-1111-4a5b-9c1d-000000000001", "situation": "emergency",
                       "place": "某路", "party": "某", "asks": ["keep_order"], "file": True}, case=None,
                      owner=ORGS.require("nanqiao"), station=ORGS.require("pcs_nanqiao"), actor=TOWN, at=NOW)
    state["number"] = "奉南桥综执协〔2026〕0002号"
    pull(store, [row(state, 1)])
    assert police_requests.count(store, LIAISON, police_requests.RequestFilter()) == 1
    police_requests.police_step(store, LIAISON, state["id"], "acknowledge_police_request", {}, now=NOW)
    withdrawn = pr.withdraw(state, {"reason": "当事人已离开"}, actor=TOWN, at=NOW)
    pull(store, [row(withdrawn, 2)], "e:2")
    seen = police_requests.get(store, state["id"])
    assert seen.status == "withdrawn" and pending(store) == ["acknowledge_police_request"]
    pull(store, [{"type": "tombstone", "seq": 3, "entity": "police_request", "id": state["id"]}], "e:3")
    assert police_requests.get(store, state["id"]).status == "withdrawn"  # kept: a step of this device waits


def test_the_verified_identity_goes_into_the_case_with_its_timeline_entry(store):
    made = cases.create_case(store, LEADER, case_draft(party_name="拒不报名者", party_id_number=""), now=NOW)
    record = police_requests.create(store, LEADER, {"situation": "emergency", "station_org": "pcs_zhelin",
                                                    "case_id": made.id, "place": "某路",
                                                    "asks": ["verify_identity"]}, now=NOW)
    assert police_requests.verified_identity(record) is None
    record = police_requests.police_step(store, LEADER, record.id, "record_police_identity", {
        "result": "verified", "name": "吴某某", "id_number": "11010519491231002X"}, now=NOW.replace(minute=20))
    assert record.data["police"]["identity"]["on_behalf"] is True  # 柘林所: no account, the squad enters it
    assert police_requests.masked_identity(record).startswith("吴某某 110105")
    police_requests.identity_to_case(store, LEADER, record)
    case = cases.get_case(store, made.id)
    assert (case.values["party_name"], case.values["party_id_number"]) == ("吴某某", "11010519491231002X")
    actions = [t.action for t in cases.timeline(store, made.id)]
    assert "record_police_identity" in actions and actions.count("update") >= 1
